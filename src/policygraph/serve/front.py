"""Serve the graph read-only over the SPARQL 1.1 Protocol, on loopback.

The engine is Oxigraph's own server (``oxigraph serve-read-only`` over the on-disk store, all
named graphs as the default graph; see :mod:`policygraph.serve.pool`). In front of it a small HTTP layer
serves the query page (offline, listing the canned queries), answers ``/canned/NAME?param=value``
for the listed names only, with parameters bound as terms, and refuses every update, every
SERVICE clause and every request for another Host (:mod:`policygraph.serve.guard`). ``/query`` takes
``$name=value`` fields bound the same way, so an edited canned query keeps its parameters; every
query gets the known prefixes (:mod:`policygraph.serve.answers`). Each query is sent to
the engine in one checked form, and its answer is relayed under three limits: the timeout, the
size cap, and the client still listening. Answers up to ``BUFFER`` bytes are held until complete,
so an engine failure becomes a clean 502; longer ones stream chunked, and a failure or limit
reached mid-stream ends the stream without its closing chunk (every HTTP client reports an
incomplete body) after a last line saying why. A stopped query retires its engine.

Queries take turns (:class:`~policygraph.serve.pool.Slots`): at most ``--max-running`` (by
default twice the cores) run on the engines at once, since more only share the same cores and
all finish later, the heaviest past the timeout. The others wait in line, each up to the timeout;
one that cannot start by then gets 503 "busy", and one that starts has the full timeout to run
(its parameter lookups included). Canned queries (``/canned/``, of known and bounded cost) go
before ad-hoc text, and ad-hoc queries may hold at most half the slots (at least one), so
endless ad-hoc queries slow one another, never the canned ones. Refusals (SERVICE, updates,
Host, a malformed request) need no slot and are answered at once.
"""

from __future__ import annotations

import contextlib
import errno
import http.client
import queue
import select
import socket
import sys
import threading
import time
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from policygraph.backends.embedded import is_complete
from policygraph.backends.queries import Query, canned
from policygraph.backends.service import refuse_service
from policygraph.errors import QueryError, StoreError
from policygraph.serve.answers import (
    PAGE_ACCEPT,
    TURTLE,
    bound,
    page,
    parameters,
    pretty_turtle,
    readable_error,
    with_prologue,
)
from policygraph.serve.guard import (
    Refusal,
    allowed_hosts,
    body_length,
    check_host,
    form,
    one,
    utf8,
)
from policygraph.serve.pool import Engine, Pool, Slots, default_slots, free_port, oxigraph_command

__all__ = ["Front", "free_port", "oxigraph_command", "page", "serve"]

BUFFER = 1 << 20  # answers up to this size are complete before the first byte goes out
MAX_BODY = 1 << 20  # the largest request body (a query) accepted
PASSED = ("default-graph-uri", "named-graph-uri")  # protocol parameters sent on to the engine


class Stopped(Exception):
    """The relay of an answer was given up: past the timeout, too large, or the client left."""


class Front(ThreadingHTTPServer):
    daemon_threads = True
    request_queue_size = 64

    def __init__(self, address, engine: Pool, timeout: float, page: bytes, max_result: int,
                 slots: Slots) -> None:  # fmt: skip
        # bound now (a port in use fails here), listening only once the engine runs
        super().__init__(address, Handler, bind_and_activate=False)
        try:
            self.server_bind()
        except OSError:
            self.server_close()
            raise
        self.engine = engine
        self.query_timeout = timeout
        self.max_result = max_result
        self.slots = slots
        self.page = page
        self.canned = canned()
        self.hosts = allowed_hosts(address[0], self.server_address[1])


class Handler(BaseHTTPRequestHandler):
    server: Front
    protocol_version = "HTTP/1.1"
    disable_nagle_algorithm = True  # headers and body go out in two writes
    timeout = 60  # seconds a client may take to send a request, or to take an answer

    def log_message(self, format, *args) -> None:  # noqa: A002 - the base class's name
        pass

    def _send(self, status: int, body: bytes, content_type: str = "text/plain; charset=utf-8"):
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("X-Content-Type-Options", "nosniff")
        if self.close_connection:
            self.send_header("Connection", "close")
        self.end_headers()
        self.wfile.write(body)

    def _guarded(self, route) -> None:
        """Run ``route``, answering refusals and errors with a status and a one-line message."""
        try:
            check_host(self.headers, self.server.hosts)
            route()
        except Refusal as exc:
            self.close_connection = True  # the body may be unread
            self._send(exc.status, str(exc).encode())
        except QueryError as exc:
            self._send(400, str(exc).encode())
        except StoreError as exc:  # no engine could be started
            self._send(502, str(exc).encode())
        except (BrokenPipeError, ConnectionResetError, TimeoutError, Stopped):
            self.close_connection = True
        except Exception as exc:  # noqa: BLE001 - never a traceback to the client or stderr
            print(f"policygraph serve: internal error: {type(exc).__name__}", file=sys.stderr)
            self.close_connection = True
            self._send(500, b"internal error")

    def do_GET(self) -> None:  # noqa: N802 - the base class's name
        self._guarded(self._get)

    def do_POST(self) -> None:  # noqa: N802 - the base class's name
        self._guarded(self._post)

    def do_PUT(self) -> None:  # noqa: N802 - the base class's name
        self._guarded(self._refuse)

    do_DELETE = do_PATCH = do_PUT  # noqa: N815

    def _get(self) -> None:
        url = urllib.parse.urlsplit(self.path)
        if url.path in ("/", "/index.html"):
            self._send(200, self.server.page, "text/html; charset=utf-8")
        elif url.path in ("/query", "/sparql"):
            params = form(url.query, "query string")
            if "update" in params:
                self._refuse()
            else:
                self._free(one(params, "query"), params)
        elif url.path.startswith("/canned/"):
            self._canned(url.path.removeprefix("/canned/"), url.query)
        elif url.path == "/update":
            self._refuse()
        else:
            self._send(404, b"not found")

    def _post(self) -> None:
        url = urllib.parse.urlsplit(self.path)
        body = self.rfile.read(body_length(self.headers, MAX_BODY))
        kind = (self.headers.get("Content-Type") or "").split(";")[0].strip().lower()
        params = form(url.query, "query string")
        if url.path == "/update" or kind == "application/sparql-update" or "update" in params:
            return self._refuse()
        if url.path not in ("/query", "/sparql"):
            return self._send(404, b"not found")
        if kind == "application/x-www-form-urlencoded":
            fields = form(utf8(body, "form body"), "form body")
            if "update" in fields:
                return self._refuse()
            self._free(one(fields, "query"), fields)
        elif kind == "application/sparql-query":
            self._free(utf8(body, "query"), params)
        else:
            raise Refusal(415, "send the query as application/sparql-query or a form")

    def _refuse(self) -> None:
        self._send(403, b"this endpoint is read-only: updates are refused")

    def _canned(self, name: str, query: str) -> None:
        """A listed canned query; any other name is the same 404, whatever exists on disk."""
        found = self.server.canned.get(urllib.parse.unquote(name))
        if found is None:
            return self._send(404, b"no such canned query")
        values = {k: v[-1] for k, v in form(query, "query string").items()}
        accept = self.headers.get("Accept") or "*/*"
        with self._slot(canned=True) as deadline:  # for lookups and query together
            text = bound(self.server.engine, found, values, deadline, self.server.query_timeout)
            self._query(text, {}, PAGE_ACCEPT if accept.strip() == "*/*" else accept, deadline)

    def _free(self, text: str, params: dict) -> None:
        """A query as sent, its ``$name=value`` fields bound as terms the way canned ones are:
        typed by the text's own ``# param:`` lines, else by the canned query ``canned`` names."""
        refuse_service(text)  # before waiting for a slot: a refusal needs no engine
        values = parameters(params)
        if not values:
            with self._slot(canned=False) as deadline:
                return self._query(with_prologue(text), params, None, deadline)
        query = Query.parse("query", text)
        named = self.server.canned.get((params.get("canned") or [""])[-1])
        if not query.params and named is not None:
            query.params = named.params
        with self._slot(canned=False) as deadline:
            text = bound(self.server.engine, query, values, deadline, self.server.query_timeout)
            self._query(text, params, None, deadline)

    @contextlib.contextmanager
    def _slot(self, canned: bool):
        """Wait up to the timeout for a slot to run a query in; yield the query's deadline."""
        slots, limit = self.server.slots, self.server.query_timeout
        if not slots.acquire(canned, time.monotonic() + limit, self._client_gone):
            if self._client_gone():
                self.close_connection = True
                raise Stopped("the client left")
            raise Refusal(503, f"the server is busy: no query could start within {limit:g} s; "
                               "try again later")  # fmt: skip
        try:
            yield time.monotonic() + limit
        finally:
            slots.release(canned)

    def _query(self, text: str, params: dict, accept: str | None = None, deadline=None) -> None:
        """Check a query and relay the engine's answer; retry once if the engine went away."""
        refuse_service(text)
        passed = [(k, v) for k in PASSED for v in params.get(k, [])]
        path = "/query" + ("?" + urllib.parse.urlencode(passed) if passed else "")
        headers = {"Content-Type": "application/sparql-query; charset=utf-8"}
        if accept or self.headers.get("Accept"):
            headers["Accept"] = accept or self.headers["Accept"]
        deadline = deadline or time.monotonic() + self.server.query_timeout
        for attempt in (1, 2):
            engine = self.server.engine.acquire()
            stopped = False
            try:
                if self._relay(engine, path, text.encode(), headers, deadline):
                    return
            except Stopped:
                stopped = True
                return
            finally:
                self.server.engine.release(engine, abandoned=stopped)
            if attempt == 1:
                time.sleep(0.05)
        self._send(502, b"the SPARQL engine is unavailable")

    def _client_gone(self) -> bool:
        sock = self.connection
        try:
            if not select.select([sock], [], [], 0)[0]:
                return False
            return sock.recv(1, socket.MSG_PEEK) == b""
        except OSError:
            return True

    def _relay(self, engine: Engine, path: str, body: bytes, headers: dict, deadline: float):
        """Relay one answer; False if the engine failed before anything was sent (retry)."""
        conn = http.client.HTTPConnection("127.0.0.1", engine.port,
                                          timeout=self.server.query_timeout + 5)  # fmt: skip
        # bounded: a client that reads slowly holds the engine back rather than filling memory
        events: queue.Queue = queue.Queue(maxsize=16)
        over = threading.Event()

        def put(event) -> bool:
            while not over.is_set():
                with contextlib.suppress(queue.Full):
                    events.put(event, timeout=0.5)
                    return True
            return False

        def read() -> None:
            try:
                conn.request("POST", path, body=body, headers=headers)
                response = conn.getresponse()
                put(("head", response))
                while (chunk := response.read1(1 << 16)) and put(("data", chunk)):
                    pass
                put(("end", None))
            except Exception as exc:  # noqa: BLE001 - handed to the relaying thread
                put(("error", exc))

        threading.Thread(target=read, daemon=True).start()
        head, held, size, streaming = None, [], 0, False
        cap = self.server.max_result
        try:
            while True:
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    why = f"the query ran past the {self.server.query_timeout:g} s limit"
                    raise Stopped(why)
                try:
                    kind, item = events.get(timeout=min(remaining, 0.25))
                except queue.Empty:
                    if self._client_gone():
                        raise Stopped("the client left") from None
                    continue
                if kind == "head":
                    head = item
                elif kind == "data":
                    size += len(item)
                    if size > cap:
                        raise Stopped(f"the answer passed the {cap}-byte limit (--max-result)")
                    if streaming:
                        self._chunk(item)
                    else:
                        held.append(item)
                        if size > BUFFER and head.status == 200:
                            streaming = self._begin_stream(head, held)
                elif kind == "error":
                    if not streaming:
                        return False
                    self._break_stream("the SPARQL engine failed mid-answer")
                    return True
                else:  # end
                    if streaming:
                        self.wfile.write(b"0\r\n\r\n")
                    else:
                        self._send_held(head, b"".join(held))
                    return True
        except Stopped as exc:
            if streaming:
                self._break_stream(str(exc))
            elif str(exc) == "the client left":
                self.close_connection = True
            else:
                self._send(503, f"{exc} and was stopped".encode())
            raise
        except OSError as exc:  # writing to a client that left
            self.close_connection = True
            raise Stopped("the client left") from exc
        finally:
            over.set()
            if conn.sock is not None:  # wakes the reading thread, and tells the engine
                with contextlib.suppress(OSError):
                    conn.sock.shutdown(socket.SHUT_RDWR)
            conn.close()

    def _send_held(self, head, body: bytes) -> None:
        """A whole answer: a refused query's message as one line, Turtle with prefixes."""
        kind = head.getheader("Content-Type") or "text/plain"
        if head.status == 400:
            self._send(400, readable_error(body).encode())
        elif head.status == 200 and kind.startswith(TURTLE):
            self._send(200, pretty_turtle(body), kind)
        else:
            self._send(head.status, body, kind)

    def _begin_stream(self, head, held: list[bytes]) -> bool:
        self.send_response(head.status)
        self.send_header("Content-Type", head.getheader("Content-Type") or "text/plain")
        self.send_header("Transfer-Encoding", "chunked")
        self.send_header("X-Content-Type-Options", "nosniff")
        self.end_headers()
        self._chunk(b"".join(held))
        held.clear()
        return True

    def _chunk(self, data: bytes) -> None:
        self.wfile.write(b"%x\r\n%s\r\n" % (len(data), data))

    def _break_stream(self, why: str) -> None:
        """End a stream so that no client takes it for complete: a last line, no closing chunk."""
        self.close_connection = True
        try:
            self._chunk(f"\n\n# policygraph: the answer is cut off: {why}\n".encode())
            self.wfile.flush()
        except OSError:
            pass


def serve(
    store: Path | str,
    host: str = "127.0.0.1",
    port: int = 8000,
    timeout: float = 10,
    max_result: int = 100_000_000,
    max_running: int | None = None,
) -> Front:
    """Start the endpoint (engine and front); call ``serve_forever()`` on what it returns."""
    store = Path(store)
    if not is_complete(store):
        raise StoreError(f"no complete store at {store}: run `policygraph build` first")
    pool = Pool(store)
    try:
        slots = Slots(max_running or default_slots())
        front = Front((host, port), pool, timeout, page(), max_result, slots)
    except OSError as exc:
        if exc.errno == errno.EADDRINUSE:
            raise StoreError(
                f"port {port} on {host} is in use: choose another with --port"
            ) from exc
        raise StoreError(f"cannot listen on {host}:{port}: {exc.strerror}") from exc
    try:
        pool.start()
        front.server_activate()
    except BaseException:  # a signal or a failed start: leave no engine behind
        pool.stop()
        front.server_close()
        raise
    return front
