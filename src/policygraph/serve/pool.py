"""The engines behind ``policygraph serve``: Oxigraph server processes, replaced, never shared out.

New queries go to the *current* engine. When a query has to be stopped (past the timeout, its
client gone, its answer too large) Oxigraph cannot cancel it: the only sure stop is to kill its
process. Killing it at once would fail every other query running there, so the engine is
*retired* instead: a fresh one (started in ~30 ms) takes all new queries, and the retired one is
killed as soon as the other queries it was running have finished (each has its own deadline).
At most ``MAX_RETIRED`` retired engines live at once; beyond that the oldest is killed, and the
few queries it still ran are retried once by the front. A store that ``build`` replaced (its
completion marker changed) also retires the engine, so answers come from the new store.
"""

from __future__ import annotations

import contextlib
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
