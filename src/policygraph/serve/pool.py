"""The engines behind ``policygraph serve``: Oxigraph server processes, replaced, never shared out.

New queries go to the *current* engine. When a query has to be stopped (past the timeout, its
client gone, its answer too large) Oxigraph cannot cancel it: the only sure stop is to kill its
process. Killing it at once would fail every other query running there, so the engine is
*retired* instead: a fresh one (started in ~30 ms) takes all new queries, and the retired one is
killed as soon as the other queries it was running have finished (each has its own deadline).
At most ``MAX_RETIRED`` retired engines live at once; beyond that the oldest is killed, and the
few queries it still ran are retried once by the front. A store that ``build`` replaced (its
completion marker changed) also retires the engine, so answers come from the new store.

:class:`Slots` bounds how many queries run on the engines at once (see :mod:`policygraph.serve.front`).
"""

from __future__ import annotations

import collections
import contextlib
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

from policygraph.backends.embedded import completion
from policygraph.errors import StoreError

MAX_RETIRED = 3


def free_port() -> int:
    """A port on 127.0.0.1 that nothing listens on now."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def oxigraph_command() -> str:
    """The ``oxigraph`` executable installed beside this Python, or on PATH."""
    beside = Path(sys.executable).with_name("oxigraph")
    found = str(beside) if beside.exists() else shutil.which("oxigraph")
    if not found:
        raise StoreError("the oxigraph server is not installed: pip install oxigraph")
    return found


class Engine:
    """One ``oxigraph serve-read-only`` process on a private loopback port."""

    def __init__(self, store: Path) -> None:
        self.store = store
        self.proc: subprocess.Popen | None = None
        self.port = 0
        self.inflight = 0

    def start(self) -> None:
        self.port = free_port()
        command = [oxigraph_command(), "serve-read-only", "--location", str(self.store),
                   "--bind", f"127.0.0.1:{self.port}", "--union-default-graph"]  # fmt: skip
        # a file, not a pipe: an engine that logged more than a pipe holds would block
        self.log = tempfile.TemporaryFile()  # noqa: SIM115 - closed by stop()
        self.proc = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=self.log)
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                self.log.seek(0)
                err = self.log.read(4000).decode(errors="replace")
                raise StoreError(f"oxigraph could not serve {self.store}: {err.strip()}")
            with (
                contextlib.suppress(OSError),
                socket.create_connection(("127.0.0.1", self.port), 0.2),
            ):
                return
            time.sleep(0.01)
        self.stop()
        raise StoreError("oxigraph did not start within 30 s")

    def alive(self) -> bool:
        return self.proc is not None and self.proc.poll() is None

    def stop(self) -> None:
        if self.proc and self.proc.poll() is None:
            self.proc.kill()
        if self.proc:
            self.proc.wait()
            self.log.close()


class Pool:
    """The current engine and the retired ones still finishing other clients' queries."""

    def __init__(self, store: Path) -> None:
        self.store = store
        self.lock = threading.Lock()
        self.current: Engine | None = None
        self.retired: list[Engine] = []
        self.marker = self._marker()

    def _marker(self):
        return completion(self.store)

    def start(self) -> None:
        engine = Engine(self.store)
        self.current = engine  # before start, so that stop() finds a half-started one
        engine.start()

    def acquire(self) -> Engine:
        """The engine to run a query on; call :meth:`release` when the query is over."""
        with self.lock:
            assert self.current is not None
            marker = self._marker()
            if marker is not None and marker != self.marker:
                self._replace()
                self.marker = marker
            elif not self.current.alive():
                self._replace()
            self.current.inflight += 1
            return self.current

    def release(self, engine: Engine, abandoned: bool = False) -> None:
        """The query on ``engine`` is over; ``abandoned`` if it may still be running there."""
        with self.lock:
            engine.inflight -= 1
            if abandoned and engine is self.current:
                self._replace()
            self._reap()

    def _replace(self) -> None:
        fresh = Engine(self.store)
        fresh.start()  # raises, leaving the current engine in place, if it cannot start
        if self.current is not None:
            self.retired.append(self.current)
        self.current = fresh
        self._reap()

    def _reap(self) -> None:
        for engine in [e for e in self.retired if e.inflight <= 0 or not e.alive()]:
            self.retired.remove(engine)
            engine.stop()
        while len(self.retired) > MAX_RETIRED:
            self.retired.pop(0).stop()

    def pids(self) -> list[int]:
        with self.lock:
            engines = [*self.retired, *([self.current] if self.current else [])]
            return [e.proc.pid for e in engines if e.proc and e.alive()]

    def stop(self) -> None:
        with self.lock:
            for engine in [*self.retired, *([self.current] if self.current else [])]:
                engine.stop()
            self.retired.clear()


def default_slots() -> int:
    """Queries that may run at once by default: two per core this process may use."""
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    return 2 * (cores or 1)


class Slots:
    """At most ``total`` queries running at once, ad-hoc ones on at most ``adhoc`` of them.

    Waiters are served in order, canned ones before ad-hoc ones: an ad-hoc query starts only
    when no canned query waits, so ad-hoc queries, whatever they cost, neither take the slots
    kept for canned ones nor overtake them in the queue.
    """

    def __init__(self, total: int, adhoc: int | None = None) -> None:
        if total < 1:
            raise ValueError("at least one query must be able to run")
        self.total = total
        self.adhoc = max(1, min(total, adhoc if adhoc is not None else total // 2))
        self.running = {True: 0, False: 0}  # by canned
        self.waiting: dict[bool, collections.deque] = {True: collections.deque(),
                                                       False: collections.deque()}  # fmt: skip
        self.cond = threading.Condition()

    def _may_start(self, ticket: object, canned: bool) -> bool:
        if sum(self.running.values()) >= self.total or self.waiting[canned][0] is not ticket:
            return False
        return canned or (not self.waiting[True] and self.running[False] < self.adhoc)

    def acquire(self, canned: bool, deadline: float, gone=lambda: False) -> bool:
        """Wait for a slot until ``deadline`` (monotonic); False if none came or ``gone()``
        (the client left) became true. Call :meth:`release` after a True."""
        ticket = object()
        with self.cond:
            self.waiting[canned].append(ticket)
            try:
                while not self._may_start(ticket, canned):
                    remaining = deadline - time.monotonic()
                    if remaining <= 0 or gone():
                        return False
                    self.cond.wait(min(remaining, 0.25))
                self.running[canned] += 1
                return True
            finally:
                self.waiting[canned].remove(ticket)
                self.cond.notify_all()  # the next in line may start, or was waiting behind this

    def release(self, canned: bool) -> None:
        with self.cond:
            self.running[canned] -= 1
            self.cond.notify_all()

    def busy(self) -> dict[str, int]:
        """Running and waiting queries, canned and ad-hoc (for tests and diagnostics)."""
        with self.cond:
            return {"canned running": self.running[True], "adhoc running": self.running[False],
                    "canned waiting": len(self.waiting[True]),
                    "adhoc waiting": len(self.waiting[False])}  # fmt: skip
