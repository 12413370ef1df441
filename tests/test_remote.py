"""A real Oxigraph server over loopback: push, then the same answers as the embedded store."""

from __future__ import annotations

import threading
import urllib.request
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pyoxigraph
import pytest
from conftest import cli
from pyoxigraph import NamedNode, Variable
from test_serve_attacks import listener, ssrf_queries  # noqa: F401, F811 (a fixture)

from policygraph.backends.embedded import Embedded, open_disk_store
from policygraph.backends.endpoint import Endpoint
from policygraph.backends.push import push
from policygraph.backends.queries import canned, run
from policygraph.errors import StoreError
from policygraph.serve.front import free_port

PARAMS = {"agency": "MIIT", "partner": "NDRC", "year": "2026", "subject": "信息产业（含电信）",
          "brief": "source:merics-top5-2024-02", "resource": "policy:mohrss-high-skilled-leading-talent"}  # fmt: skip
#: where a query's answer for PARAMS is empty on the shipped record: MIIT forwards nothing
OVERRIDES = {"forwarded": {"agency": "GOSC"}}
COUNT = "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }"
GRAPHS = "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } } ORDER BY ?g"


def graphs_of(store) -> dict:
    out: dict = {}
    for quad in store.quads():
        out.setdefault(quad.graph_name, []).append(quad)
    return out


def rows(result) -> list:
    return sorted(map(repr, result.rows))


@pytest.fixture
def pushed(oxigraph_server, built):
    push(oxigraph_server, graphs_of(built.store))
    return Endpoint(oxigraph_server + "/query")


@pytest.mark.parametrize("name", sorted(canned()))
def test_canned_queries_agree_on_memory_disk_and_server(name, live_built, live_server):
    """Every canned query, on the shipped record, in memory, on disk and on a real server."""
    query = canned()[name]
    values = {p.name: PARAMS[p.name] for p in query.params if p.name in PARAMS}
    values.update(OVERRIDES.get(name, {}))
    disk = Embedded(open_disk_store(live_built.files["store"]))
    server = Endpoint(live_server + "/query")
    answers = [rows(run(backend, name, values)) for backend in (live_built.store, disk, server)]
    assert answers[0], f"{name} found nothing"
    assert answers[0] == answers[1] == answers[2]


def test_push_twice_leaves_one_copy(oxigraph_server, built):
    endpoint = Endpoint(oxigraph_server + "/query")
    push(oxigraph_server, graphs_of(built.store))
    first = endpoint.query(COUNT).column("n")
    push(oxigraph_server, graphs_of(built.store))
    assert endpoint.query(COUNT).column("n") == first == [len(built.store)]
    assert len(endpoint.query(GRAPHS).rows) == 6  # no staging graph is left behind


def test_push_through_the_command(oxigraph_server):
    result = cli("push", oxigraph_server, "--store", "memory")
    assert result.returncode == 0, result.stderr
    assert "Pushed 6 named graphs" in result.stdout
    again = cli("query", "co-issuers", "-p", "agency=NHC", "--store", oxigraph_server + "/query")
    assert again.returncode == 0, again.stderr
    assert "MIIT" in again.stdout


def test_push_to_a_server_that_is_down(built):
    url = f"http://127.0.0.1:{free_port()}"
    with pytest.raises(StoreError, match="cannot reach"):
        push(url, graphs_of(built.store))
    result = cli("push", url, "--store", "memory")
    assert result.returncode == 1 and "cannot reach" in result.stderr


class FailingProxy(BaseHTTPRequestHandler):
    """Passes requests to a real server but answers 500 to the second graph upload."""

    target = ""
    puts = 0

    def log_message(self, *args) -> None:
        pass

    def _pass(self) -> None:
        body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
        if self.command == "PUT":
            type(self).puts += 1
            if type(self).puts == 2:
                self.send_response(500)
                self.send_header("Content-Length", "4")
                self.end_headers()
                self.wfile.write(b"boom")
                return
        req = urllib.request.Request(
            self.target + self.path,
            data=body or None,
            method=self.command,
            headers={"Content-Type": self.headers.get("Content-Type", "")},
        )
        with urllib.request.urlopen(req) as response:
            data = response.read()
            self.send_response(response.status)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    do_PUT = do_POST = do_GET = _pass


def test_a_server_failing_mid_push_keeps_its_data(oxigraph_server, built):
    endpoint = Endpoint(oxigraph_server + "/query")
    graphs = graphs_of(built.store)
    name = NamedNode("https://w3id.org/policygraph/id/source/merics-top5-2024-02")
    push(oxigraph_server, {name: graphs[name][:100]})  # what the server holds before
    before = rows(endpoint.query("SELECT ?s ?p ?o ?g WHERE { GRAPH ?g { ?s ?p ?o } }"))

    FailingProxy.target, FailingProxy.puts = oxigraph_server, 0
    port = free_port()
    proxy = ThreadingHTTPServer(("127.0.0.1", port), FailingProxy)
    threading.Thread(target=proxy.serve_forever, daemon=True).start()
    try:
        with pytest.raises(StoreError, match="500"):
            push(f"http://127.0.0.1:{port}", graphs)
    finally:
        proxy.shutdown()
    after = rows(endpoint.query("SELECT ?s ?p ?o ?g WHERE { GRAPH ?g { ?s ?p ?o } }"))
    assert after == before


@pytest.mark.parametrize(
    "value", ['"} ; DROP ALL ; #', "a\"b'c", "x\ny", "<http://e/>", "}} UNION {{ ?s ?p ?o"]
)
def test_remote_parameters_cannot_inject(pushed, built, value, tmp_path):
    rq = tmp_path / "q.rq"
    rq.write_text("# param: name string required\n"
                  "SELECT ?name (COUNT(?a) AS ?n) WHERE { OPTIONAL { ?a ?p ?l FILTER(STR(?l) = ?name) } }"
                  " GROUP BY ?name\n")  # fmt: skip
    (row,) = run(pushed, str(rq), {"name": value}).records()
    assert row == {"name": value, "n": 0}
    assert pushed.query(COUNT).column("n") == [len(built.store)]


def test_exports_from_the_server_match_the_embedded_store(pushed, built, tmp_path):
    from policygraph.backends.export import export

    remote = export(pushed, tmp_path / "remote.nt", "nt").read_text().splitlines()
    local = export(built.store, tmp_path / "local.nt", "nt").read_text().splitlines()
    assert sorted(remote) == sorted(local) and len(set(local)) == len(local)
    remote = export(pushed, tmp_path / "remote.trig", "trig")
    local = export(built.store, tmp_path / "local.trig", "trig")
    quads = [
        set(pyoxigraph.parse(path=str(f), format=pyoxigraph.RdfFormat.TRIG))
        for f in (remote, local)
    ]
    assert quads[0] == quads[1] and len(quads[0]) == len(built.store)


# -- the same checks as the embedded store, on a real server --------------------------------------


def test_remote_query_refuses_service_and_requests_nothing(pushed, listener):  # noqa: F811
    port, hits = listener
    for text in ssrf_queries(port):
        result = cli("query", text, "--store", pushed.url)
        assert result.returncode == 2, (text, result.stdout)
        assert result.stderr.strip().splitlines()[-1] == (
            "policygraph: SERVICE clauses are refused: this endpoint never queries other servers"
        )
    assert hits == []


UNSELECTED = "SELECT ?s WHERE { ?s ?p ?o } LIMIT 3"


def test_a_parameter_the_query_does_not_select_is_the_same_error_everywhere(pushed, built):
    answers = [
        cli("query", UNSELECTED, "--param", "o=x", "--store", store)
        for store in (pushed.url, str(built.files["store"]))
    ]
    for result in answers:
        assert result.returncode == 2 and result.stdout == ""
    assert answers[0].stderr == answers[1].stderr
    assert "parameter 'o' must appear in the query's SELECT clause" in answers[0].stderr


@pytest.mark.parametrize(
    "text",
    [
        "SELECT ?s ?o WHERE { ?s ?p ?o } ORDER BY ?s ?o LIMIT 5",
        'SELECT ("{ # }" AS ?brace) ?o WHERE { ?s ?p ?o } ORDER BY ?s ?o LIMIT 5',
        "CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }",
        "CONSTRUCT WHERE { ?s ?p ?o }",
        "ASK { ?s ?p ?o }",
    ],
)
def test_bound_queries_agree_with_the_embedded_store(pushed, built, text):
    """A bound ``?o`` gives the same answer on a server as an engine substitution does."""
    o = next(iter(built.store.quads())).object
    local, remote = (backend.query(text, {Variable("o"): o}) for backend in (built.store, pushed))
    assert (local.rows or local.triples or [local.boolean]) != []
    assert sorted(map(repr, local.rows)) == sorted(map(repr, remote.rows))
    assert sorted(map(repr, local.triples or [])) == sorted(map(repr, remote.triples or []))
    assert local.boolean == remote.boolean
