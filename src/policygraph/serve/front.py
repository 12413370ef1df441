"""Serve the graph read-only over the SPARQL 1.1 Protocol, on loopback.

The engine is Oxigraph's own server (``oxigraph serve-read-only`` over the on-disk store, all
named graphs as the default graph). In front of it a small HTTP layer serves the query page
(offline, listing the canned queries), answers ``/canned/NAME?param=value`` with parameters
bound as terms, refuses every update, and enforces the query timeout: Oxigraph's own timeout
does not stop every query (an ungrouped aggregate runs on), so a query past the limit gets a
503 and the engine process is restarted, which really stops it.
"""

from __future__ import annotations

import contextlib
import errno
import http.client
import json
import shutil
import socket
import subprocess
import sys
import threading
import time
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from importlib import resources
from pathlib import Path

from policygraph.backends.embedded import is_complete
from policygraph.backends.endpoint import Endpoint
from policygraph.backends.queries import canned, run
from policygraph.errors import QueryError, StoreError

FORWARDED = ("Content-Type", "Accept")


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
    """An ``oxigraph serve-read-only`` process on a private loopback port, restartable."""

    def __init__(self, store: Path) -> None:
        self.store = store
        self.lock = threading.Lock()
        self.generation = 0
        self.proc: subprocess.Popen | None = None
        self.port = 0

    def start(self) -> None:
        self.port = free_port()
        command = [oxigraph_command(), "serve-read-only", "--location", str(self.store),
                   "--bind", f"127.0.0.1:{self.port}", "--union-default-graph"]  # fmt: skip
        self.proc = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                err = self.proc.stderr.read().decode(errors="replace") if self.proc.stderr else ""
                raise StoreError(f"oxigraph could not serve {self.store}: {err.strip()}")
            with (
                contextlib.suppress(OSError),
                socket.create_connection(("127.0.0.1", self.port), 0.2),
            ):
                return
            time.sleep(0.05)
        raise StoreError("oxigraph did not start within 30 s")

    def restart(self, seen: int) -> None:
        """Restart once per failure, however many threads noticed it."""
        with self.lock:
            if self.generation != seen:
                return
            self.stop()
            self.start()
            self.generation += 1

    def stop(self) -> None:
        if self.proc and self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait()


class Front(ThreadingHTTPServer):
    daemon_threads = True
    request_queue_size = 64

    def __init__(self, address, engine: Engine, timeout: float, page: bytes) -> None:
        super().__init__(address, Handler)
        self.engine = engine
        self.query_timeout = timeout
        self.page = page
        self.local = threading.local()


class Handler(BaseHTTPRequestHandler):
    server: Front
    protocol_version = "HTTP/1.1"
    # headers and body go out in two writes: without this, Nagle's algorithm and the client's
    # delayed ACK add 40 ms to every response
    disable_nagle_algorithm = True

    def log_message(self, format, *args) -> None:  # noqa: A002 - the base class's name
        pass

    def _send(
        self, status: int, body: bytes, content_type: str = "text/plain; charset=utf-8"
    ) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self) -> None:  # noqa: N802 - the base class's name
        url = urllib.parse.urlsplit(self.path)
        if url.path in ("/", "/index.html"):
            self._send(200, self.server.page, "text/html; charset=utf-8")
        elif url.path in ("/query", "/sparql"):
            if "update" in urllib.parse.parse_qs(url.query):
                self._refuse()
            else:
                self._forward("GET", url.query, b"")
        elif url.path.startswith("/canned/"):
            self._canned(url.path.removeprefix("/canned/"), url.query)
        elif url.path == "/update":
            self._refuse()
        else:
            self._send(404, b"not found")

    def do_POST(self) -> None:  # noqa: N802 - the base class's name
        url = urllib.parse.urlsplit(self.path)
        body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
        kind = (self.headers.get("Content-Type") or "").split(";")[0].strip()
        is_update = (
            url.path == "/update"
            or kind == "application/sparql-update"
            or (
                kind == "application/x-www-form-urlencoded"
                and "update" in urllib.parse.parse_qs(body.decode())
            )
        )
        if is_update:
            self._refuse()
        elif url.path in ("/query", "/sparql"):
            self._forward("POST", url.query, body)
        else:
            self._send(404, b"not found")

    def do_PUT(self) -> None:  # noqa: N802 - the base class's name
        self._refuse()

    do_DELETE = do_PATCH = do_PUT  # noqa: N815

    def _refuse(self) -> None:
        self._send(403, b"this endpoint is read-only: updates are refused")

    def _connection(self) -> http.client.HTTPConnection:
        local, engine = self.server.local, self.server.engine
        if getattr(local, "generation", None) != engine.generation or local.conn is None:
            local.conn = http.client.HTTPConnection(
                "127.0.0.1", engine.port, timeout=self.server.query_timeout
            )
            local.generation = engine.generation
        return local.conn

    def _forward(self, method: str, query: str, body: bytes, retry: bool = True) -> None:
        engine = self.server.engine
        seen = engine.generation
        headers = {h: self.headers[h] for h in FORWARDED if self.headers.get(h)}
        conn = self._connection()
        try:
            conn.request(
                method,
                "/query" + (f"?{query}" if query else ""),
                body=body or None,
                headers=headers,
            )
            response = conn.getresponse()
            data = response.read()
        except TimeoutError:
            self.server.local.conn = None
            engine.restart(seen)
            limit = self.server.query_timeout
            self._send(503, f"the query ran past the {limit:g} s limit and was stopped".encode())
            return
        except (ConnectionError, http.client.HTTPException, OSError):
            self.server.local.conn = None
            if retry:  # the engine was restarted under us: a read-only query is safe to repeat
                time.sleep(0.2)
                self._forward(method, query, body, retry=False)
            else:
                self._send(502, b"the SPARQL engine is unavailable")
            return
        self._send(response.status, data, response.getheader("Content-Type") or "text/plain")

    def _canned(self, name: str, query: str) -> None:
        params = {k: v[-1] for k, v in urllib.parse.parse_qs(query).items()}
        backend = Endpoint(
            f"http://127.0.0.1:{self.server.engine.port}/query", self.server.query_timeout
        )
        try:
            result = run(backend, urllib.parse.unquote(name), params)
        except QueryError as exc:
            self._send(400, str(exc).encode())
            return
        except StoreError as exc:
            self._send(502, str(exc).encode())
            return
        self._send(200, result.format("json").encode(), "application/sparql-results+json")


def page() -> bytes:
    """The query page, with the canned queries embedded as JSON that cannot close its script."""
    template = resources.files("policygraph").joinpath("serve/query.html").read_text("utf-8")
    listing = [
        {"name": q.name, "title": q.title, "description": q.description, "text": q.text,
         "params": [p.__dict__ for p in q.params]}
        for q in canned().values()
    ]  # fmt: skip
    data = json.dumps(listing, ensure_ascii=False).replace("<", "\\u003c").replace(">", "\\u003e")
    return template.replace("__CANNED__", data).encode("utf-8")


def serve(
    store: Path | str, host: str = "127.0.0.1", port: int = 8000, timeout: float = 10
) -> Front:
    """Start the endpoint (engine and front); call ``serve_forever()`` on what it returns."""
    store = Path(store)
    if not is_complete(store):
        raise StoreError(f"no complete store at {store}: run `policygraph build` first")
    engine = Engine(store)
    try:
        front = Front((host, port), engine, timeout, page())
    except OSError as exc:
        if exc.errno == errno.EADDRINUSE:
            raise StoreError(
                f"port {port} on {host} is in use: choose another with --port"
            ) from exc
        raise StoreError(f"cannot listen on {host}:{port}: {exc.strerror}") from exc
    try:
        engine.start()
    except BaseException:  # a signal or a failed start: leave no engine behind
        engine.stop()
        front.server_close()
        raise
    return front
