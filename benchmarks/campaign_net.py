"""The campaign's attacks over loopback (benchmarks/campaign.py): injection through --param on
the embedded store and a real Oxigraph server, `policygraph serve` attacked over raw HTTP, and
pushes killed mid-way. Each returns ``(attack, verdict, note)`` triples."""

from __future__ import annotations

import contextlib
import http.client
import socket
import threading
import time
import urllib.parse
from pathlib import Path

from campaign_attacks import fresh, run
from conftest import Paused, _oxigraph
from test_push_safety import Server
from test_serve_attacks import Serving, ssrf_queries

from policygraph.backends.embedded import Embedded, open_disk_store
from policygraph.backends.endpoint import Endpoint
from policygraph.backends.queries import run as run_query
from policygraph.errors import QueryError, StoreError

COUNT = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
GRAPHS = "SELECT DISTINCT ?g WHERE { GRAPH ?g {} }"
VALUES = ['"} ; DROP ALL ; #', "a\"b'c", "x\ny", "<http://e/>", "}} UNION {{ ?s ?p ?o",
          "\\\" } } SERVICE <http://127.0.0.1:9/> { ?a ?b ?c } #", "'''", '"""', "\u202e", "\x00"]  # fmt: skip
PROBE = ("# param: name string required\nSELECT ?name (COUNT(?a) AS ?n) WHERE { OPTIONAL "
         "{ ?a ?p ?l FILTER(STR(?l) = ?name) } } GROUP BY ?name\n")  # fmt: skip


@contextlib.contextmanager
def listener():
    """A loopback socket counting every connection made to it."""
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    sock.listen()
    sock.settimeout(0.2)
    hits: list[int] = []
    done = threading.Event()

    def accept():
        while not done.is_set():
            with contextlib.suppress(TimeoutError):
                conn, _ = sock.accept()
                hits.append(1)
                conn.close()

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    try:
        yield sock.getsockname()[1], hits
    finally:
        time.sleep(0.3)
        done.set()
        thread.join(2)
        sock.close()


def params(folder: Path) -> list:
    data, out = fresh(folder)
    rq = folder / "probe.rq"
    rq.write_text(PROBE, "utf-8")
    found = []
    with _oxigraph(folder / "oxigraph") as url:
        assert run("push", url, "--store", out / "store").returncode == 0
        stores = {"embedded": Embedded(open_disk_store(out / "store")),
                  "server": Endpoint(url + "/query")}  # fmt: skip
        for label, backend in stores.items():
            before = backend.query(COUNT).rows
            for value in VALUES:
                name = f"{label}: --param {value!r}"
                try:
                    rows = run_query(backend, str(rq), {"name": value}).records()
                except (QueryError, StoreError) as exc:  # refused as a value: still handled
                    found.append((name, "handled", f"refused: {exc}"))
                    continue
                ok = rows == [{"name": value, "n": 0}] and backend.query(COUNT).rows == before
                found.append((name, "handled" if ok else "reachable", repr(rows)[:160]))
        with listener() as (port, hits):
            for text in ssrf_queries(port)[:4]:
                ran = run("query", text, "--store", url + "/query")
                found.append((f"server: SERVICE through query --store URL: {text[:40]}",
                              "handled" if ran.returncode == 2 else "failed", ran.stderr[-120:]))  # fmt: skip
        if hits:
            found.append(("server: SERVICE reached the listener", "reachable", f"{len(hits)} hits"))
        answers = [run("query", "SELECT ?s WHERE { ?s ?p ?o }", "--param", "o=x", "--store", s)
                   for s in (url + "/query", out / "store")]  # fmt: skip
        same = answers[0].stderr == answers[1].stderr and answers[0].returncode == 2
        found.append(("--param for an unselected variable: server and embedded agree",
                      "handled" if same else "failed", answers[0].stderr.strip()[:160]))  # fmt: skip
    return found


def _requests(port: int, trap: int) -> dict[str, tuple]:
    """Name -> (method, path, body, headers) of requests serve must refuse."""
    host = {"Host": f"127.0.0.1:{port}"}
    form = {**host, "Content-Type": "application/x-www-form-urlencoded"}
    sparql = {**host, "Content-Type": "application/sparql-query"}
    cases: dict[str, tuple] = {}
    for i, text in enumerate(ssrf_queries(trap)):
        cases[f"SERVICE #{i + 1}"] = ("GET", "/query?" + urllib.parse.urlencode({"query": text}),
                                      None, host)  # fmt: skip
    for path in ["/canned/..%2F..%2F..%2Fetc%2Fpasswd", "/canned/%2e%2e/%2e%2e/etc/passwd",
                 "/canned/_exists", "/canned/../../secret", "/../../etc/passwd",
                 "/canned/%252e%252e%252fsecret"]:  # fmt: skip
        cases[f"traversal {path}"] = ("GET", path, None, host)
    cases["update through /update"] = ("POST", "/update", b"update=DROP%20ALL", form)
    cases["update through /query"] = ("POST", "/query", b"DROP ALL", sparql)
    cases["update as a form"] = ("POST", "/query", b"update=CLEAR%20ALL", form)
    cases["Graph Store DELETE"] = ("DELETE", "/store?default", None, host)
    cases["Graph Store PUT"] = ("PUT", "/store?default", b"<a:a> <a:b> <a:c> .",
                                {**host, "Content-Type": "application/n-triples"})  # fmt: skip
    cases["bad Host (DNS rebinding)"] = ("GET", "/canned/class-counts", None,
                                         {"Host": f"rebind.example:{port}"})  # fmt: skip
    cases["foreign Origin POST"] = ("POST", "/query", b"query=SELECT%20*%20%7B%7D",
                                    {**form, "Origin": "http://evil.example"})  # fmt: skip
    cases["non-UTF-8 body"] = ("POST", "/query", b"SELECT * { ?s ?p \xff\xfe }", sparql)
    cases["non-UTF-8 form"] = ("POST", "/query", b"query=%FF%FE", form)
    cases["endless aggregate"] = ("GET", "/query?" + urllib.parse.urlencode({"query":
        "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"}), None, host)  # fmt: skip
    return cases


RAW = {  # requests http.client cannot send: bytes as they are
    "Content-Length not a number": b"POST /query HTTP/1.1\r\nHost: H\r\nContent-Length: x1\r\n\r\n",
    "negative Content-Length": b"POST /query HTTP/1.1\r\nHost: H\r\nContent-Length: -5\r\n\r\n",
    "Content-Length past the body": b"POST /query HTTP/1.1\r\nHost: H\r\nContent-Type: "
    b"application/sparql-query\r\nContent-Length: 99999999999\r\n\r\nSELECT",
    "two Content-Lengths": b"POST /query HTTP/1.1\r\nHost: H\r\nContent-Length: 3\r\n"
    b"Content-Length: 30\r\n\r\nabc",
    "header of 100 kB": b"GET /canned/class-counts HTTP/1.1\r\nHost: H\r\nX: "
    + b"a" * 100_000
    + b"\r\n\r\n",
    "request line of garbage": b"\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03\r\n\r\n",
}


def serve(folder: Path) -> list:
    data, out = fresh(folder)
    secret = folder / "secret"
    secret.write_text("SECRET-CONTENT")
    server = Serving(out / "store", folder, "--timeout", "3", "--max-result", "3000000")
    found = []
    try:
        before = server.query(COUNT)
        with listener() as (trap, hits):
            for name, (method, path, body, headers) in _requests(server.port, trap).items():
                try:
                    status, answer = server.request(method, path, body, headers, timeout=20)
                except (OSError, http.client.HTTPException) as exc:
                    status, answer = 0, str(exc).encode()
                alive = server.query(COUNT) == before
                if not alive:
                    found.append((name, "lost data" if server.proc.poll() is None else "failed",
                                  "the graph or the server changed"))  # fmt: skip
                elif b"SECRET" in answer or b"root:" in answer or 200 <= status < 300:
                    found.append((name, "reachable", f"{status} {answer[:80]!r}"))
                else:
                    found.append((name, "handled", f"{status} {answer[:60]!r}"))
        if hits:
            found.append(("SERVICE reached the listener", "reachable", f"{len(hits)} connections"))
        for name, raw in RAW.items():
            raw = raw.replace(b"Host: H", f"Host: 127.0.0.1:{server.port}".encode())
            try:
                answer = server.raw(raw)
            except OSError as exc:
                answer = str(exc).encode()
            ok = server.query(COUNT) == before
            verdict = "handled" if ok and not answer.startswith(b"HTTP/1.1 2") else "failed"
            found.append((name, verdict, answer[:60].decode("latin-1")))
    finally:
        err = server.stop()
    if "Traceback" in err:
        found.append(("serve's stderr", "failed", err[err.index("Traceback") :][:200]))
    return found


def push(folder: Path) -> list:
    data, out = fresh(folder)
    found = []
    for victim in ("client", "server"):
        server = Server(folder / f"oxigraph-{victim}")
        try:
            assert run("push", server.url, "--store", out / "store").returncode == 0
            graphs, count = server.graphs(), server.count()
            pushing = Paused("staged-graph", "push", server.url, "--store", out / "store")
            if victim == "client":
                pushing.kill()
            else:
                server.kill()
                pushing.resume()
                server.start()
            kept = graphs <= server.graphs()  # every graph of the earlier push is still there
            again = run("push", server.url, "--store", out / "store")
            whole = again.returncode == 0 and server.graphs() == graphs and server.count() == count
            verdict = "handled" if kept and whole else "lost data"
            found.append((f"push killed mid-way ({victim} killed)", verdict,
                          again.stdout.strip().splitlines()[0][:160] if again.stdout else again.stderr))  # fmt: skip
        finally:
            server.kill()
    return found
