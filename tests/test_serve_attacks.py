"""The attacks of "Nothing lost, nothing reachable", replayed on a real `policygraph serve`.

Every test runs the command as a user would, with its real Oxigraph engine, over loopback.
"""

from __future__ import annotations

import contextlib
import http.client
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.parse
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from conftest import cli, wait_for_port

from policygraph.serve.front import free_port

POLICIES = "SELECT (COUNT(*) AS ?n) WHERE { ?p a <https://w3id.org/policygraph/ontology#Policy> }"
CARTESIAN = "SELECT * WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"
AGGREGATE = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"


class Serving:
    """A running `policygraph serve`, its stderr kept in a file."""

    def __init__(self, store: Path, tmp: Path, *args: str) -> None:
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.err = tmp / f"serve-{self.port}.err"
        exe = Path(sys.executable).with_name("policygraph")
        with open(self.err, "wb") as err:
            self.proc = subprocess.Popen(
                [str(exe), "serve", "--store", str(store), "--port", str(self.port), *args],
                stdout=subprocess.DEVNULL, stderr=err,
            )  # fmt: skip
        wait_for_port(self.port, self.proc)
        deadline = time.monotonic() + 30  # the front listens before its engine has started
        while not self.engines() and time.monotonic() < deadline:
            time.sleep(0.05)

    def engines(self) -> set[int]:
        """The engine processes serve runs now (children of any of its threads)."""
        found = set()
        for task in Path(f"/proc/{self.proc.pid}/task").iterdir():
            with contextlib.suppress(OSError):
                found |= {int(p) for p in (task / "children").read_text().split()}
        return {p for p in found if "zombie" not in _status(p)}

    def request(self, method, path, body=None, headers=None, timeout=30):
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=timeout)
        try:
            conn.request(method, path, body=body, headers=headers or {})
            response = conn.getresponse()
            return response.status, response.read()
        finally:
            conn.close()

    def query(self, text, accept="text/csv"):
        return self.request("GET", "/query?" + urllib.parse.urlencode({"query": text}),
                            headers={"Accept": accept})  # fmt: skip

    def raw(self, data: bytes) -> bytes:
        """Send bytes as they are; everything the server answers until it closes."""
        with socket.create_connection(("127.0.0.1", self.port), 10) as s:
            s.sendall(data)
            s.shutdown(socket.SHUT_WR)
            out = b""
            while chunk := s.recv(65536):
                out += chunk
            return out

    def stop(self) -> str:
        self.proc.send_signal(signal.SIGTERM)
        self.proc.wait(10)
        return self.err.read_text(errors="replace")


def _status(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return "zombie (gone)"


def gone(pid: int, within: float) -> bool:
    deadline = time.monotonic() + within
    while time.monotonic() < deadline:
        if "zombie" in _status(pid):
            return True
        time.sleep(0.05)
    return False


@pytest.fixture(scope="module")
def server(built, tmp_path_factory):
    s = Serving(built.files["store"], tmp_path_factory.mktemp("serve"), "--timeout", "3",
                "--max-result", "3000000")  # fmt: skip
    yield s
    s.stop()


@pytest.fixture
def listener():
    """A loopback socket that records every connection made to it."""
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    sock.listen()
    sock.settimeout(0.2)
    hits: list[bytes] = []
    done = threading.Event()

    def accept():
        while not done.is_set():
            try:
                conn, _ = sock.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            with conn:
                conn.settimeout(1)
                hits.append(conn.recv(200) or b"(connected)")

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    yield sock.getsockname()[1], hits
    time.sleep(0.3)  # time for a late request to arrive and be counted
    done.set()
    thread.join(2)
    sock.close()


# -- 1. SSRF ------------------------------------------------------------------------------------


def ssrf_queries(port: int) -> list[str]:
    target = f"http://127.0.0.1:{port}/x"
    return [
        f"SELECT * WHERE {{ SERVICE <{target}> {{ ?s ?p ?o }} }}",
        f"select * {{ service silent <{target}> {{ ?s ?p ?o }} }}",
        f"SELECT * {{SERVICE<{target}>{{?s ?p ?o}}}}",
        f"PREFIX ex: <http://127.0.0.1:{port}/> SELECT * {{ SERVICEex:x {{ ?s ?p ?o }} }}",
        f'SELECT * {{ # a comment }}\n ?s ?p "x" . Service <{target}> {{ ?s ?p ?o }} }}',
        f"SELECT * {{ \\u0053ERVICE <{target}> {{ ?s ?p ?o }} }}",
        f"SELECT * {{ ?s ?p ?o.SERVICE<{target}>{{ ?a ?b ?c }} }}",
        f"PREFIX ex: <http://e/> SELECT * {{ ?s ?p ex:a.SERVICE<{target}>{{ ?a ?b ?c }} }}",
    ]


def test_service_is_refused_and_nothing_is_requested(server, listener):
    port, hits = listener
    for text in ssrf_queries(port):
        form = urllib.parse.urlencode({"query": text})
        answers = [
            server.query(text),
            server.request("POST", "/query", form, {"Content-Type": "application/x-www-form-urlencoded"}),
            server.request("POST", "/sparql", text.encode(), {"Content-Type": "application/sparql-query"}),
        ]  # fmt: skip
        for status, body in answers:
            assert status == 400 and b"SERVICE clauses are refused" in body, (text, body)
    assert hits == []


def test_service_words_in_strings_iris_comments_and_variables_are_fine(server):
    text = 'SELECT ?service WHERE { VALUES ?service { "SERVICE <http://x/>" <urn:SERVICE> } } # SERVICE'
    status, body = server.query(text)
    assert status == 200 and body.count(b"\r\n") == 3


def test_cli_refuses_service_in_one_line_and_requests_nothing(built, listener):
    port, hits = listener
    result = cli("query", ssrf_queries(port)[0], "--store", built.files["store"])
    assert result.returncode == 2
    assert result.stderr.strip().splitlines() == [
        "policygraph: SERVICE clauses are refused: this endpoint never queries other servers"
    ]
    assert hits == []


# -- 2. path traversal on /canned/ ---------------------------------------------------------------


def test_only_listed_canned_queries_run(server, tmp_path):
    secret = tmp_path / "secret.rq"
    secret.write_text("# title: SECRET-TITLE\nSELECT ('SECRET-TEXT' AS ?x) WHERE {}\n")
    up = "..%2F" * 12 + urllib.parse.quote(str(secret).lstrip("/"), safe="")
    names = [
        up, up.removesuffix(".rq"), urllib.parse.quote(str(secret), safe=""),
        urllib.parse.quote(str(secret.with_suffix("")), safe=""),
        "..%2F..%2Fqueries%2Fco-issuers", "_exists", "_lookup", "no-such-query",
        urllib.parse.quote(str(tmp_path / "absent.rq"), safe=""), "%00", "co-issuers%2F",
    ]  # fmt: skip
    answers = {name: server.request("GET", f"/canned/{name}") for name in names}
    assert set(answers.values()) == {(404, b"no such canned query")}, answers
    assert "SECRET" not in server.err.read_text(errors="replace")
    assert server.request("GET", "/canned/class-counts")[0] == 200


# -- 3. limits, robustness -----------------------------------------------------------------------


def stream(server, text, read_first: int):
    """Start a query, read ``read_first`` bytes of its answer; the open response."""
    conn = http.client.HTTPConnection("127.0.0.1", server.port, timeout=30)
    conn.request("GET", "/query?" + urllib.parse.urlencode({"query": text}),
                 headers={"Accept": "application/sparql-results+json"})  # fmt: skip
    response = conn.getresponse()
    first = response.read(read_first) if read_first else b""
    return conn, response, first


def test_an_answer_past_the_size_cap_is_cut_off_unmistakably(server):
    conn, response, first = stream(server, CARTESIAN, 0)
    assert response.status == 200 and response.getheader("Transfer-Encoding") == "chunked"
    with pytest.raises(http.client.IncompleteRead) as caught:
        response.read()
    body = caught.value.partial
    assert 2_900_000 <= len(body) <= 3_000_200
    assert body.rstrip().endswith(b"the answer passed the 3000000-byte limit (--max-result)")
    with pytest.raises(ValueError):
        json.loads(body)
    conn.close()
    assert server.query(POLICIES)[1].split(b"\r\n")[1] == b"10"


def test_a_stream_past_the_timeout_is_cut_off(built, tmp_path):
    s = Serving(built.files["store"], tmp_path, "--timeout", "2")
    try:
        conn, response, first = stream(s, CARTESIAN, 1_200_000)
        time.sleep(3)  # a slow reader: the server waits on it, and the deadline passes
        with pytest.raises(http.client.IncompleteRead) as caught:
            response.read()
        assert caught.value.partial.rstrip().endswith(b"the query ran past the 2 s limit")
        conn.close()
        assert s.query(POLICIES)[1].split(b"\r\n")[1] == b"10"
    finally:
        s.stop()


def test_a_small_cap_is_a_clean_503(built, tmp_path):
    small = Serving(built.files["store"], tmp_path, "--max-result", "200000")
    try:
        status, body = small.query(CARTESIAN)
        assert status == 503 and b"passed the 200000-byte limit" in body
        assert small.query(POLICIES)[0] == 200
    finally:
        small.stop()


@pytest.mark.parametrize("text", [CARTESIAN, AGGREGATE])
def test_a_client_that_leaves_stops_its_query(built, tmp_path, text):
    patient = Serving(built.files["store"], tmp_path, "--timeout", "120")
    try:
        (engine,) = patient.engines()
        conn = socket.create_connection(("127.0.0.1", patient.port))
        conn.sendall(b"GET /query?" + urllib.parse.urlencode({"query": text}).encode()
                     + f" HTTP/1.1\r\nHost: 127.0.0.1:{patient.port}\r\n\r\n".encode())  # fmt: skip
        time.sleep(1)
        conn.close()
        assert gone(engine, 5), "the engine still runs the abandoned query"
        assert patient.query(POLICIES)[1].split(b"\r\n")[1] == b"10"
    finally:
        patient.stop()


def test_a_timeout_fails_no_other_clients_query(server):
    def good(n):
        status, body = server.request("GET", "/canned/co-issuers?agency=MIIT")
        return status

    def bad(n):
        return server.query(AGGREGATE)[0]

    with ThreadPoolExecutor(12) as pool:
        runaways = [pool.submit(bad, n) for n in range(3)]
        deadline, goods = time.monotonic() + 5, []
        while time.monotonic() < deadline:
            goods += [pool.submit(good, n) for n in range(8)]
            time.sleep(0.1)
        assert [r.result() for r in runaways] == [503] * 3
        statuses = [g.result() for g in goods]
    assert set(statuses) == {200}, {s: statuses.count(s) for s in set(statuses)}
    assert len(server.engines()) <= 4


def test_engine_failure_mid_stream_is_not_a_clean_200(built, tmp_path):
    s = Serving(built.files["store"], tmp_path)
    try:
        (engine,) = s.engines()
        conn, response, first = stream(s, CARTESIAN, 2_000_000)
        assert response.status == 200 and len(first) == 2_000_000
        os.kill(engine, signal.SIGKILL)
        with pytest.raises(http.client.IncompleteRead) as caught:
            response.read()
        assert caught.value.partial.rstrip().endswith(b"the SPARQL engine failed mid-answer")
        conn.close()
        assert s.query(POLICIES)[1].split(b"\r\n")[1] == b"10"  # a fresh engine answers
    finally:
        s.stop()


def test_malformed_requests_get_a_400_with_a_message(server):
    host = f"Host: 127.0.0.1:{server.port}\r\n"
    for head, body in [
        ("Content-Length: abc\r\n", b""),
        ("Content-Length: -5\r\n", b""),
        ("Content-Length: 1e3\r\n", b""),
        ("Content-Type: application/x-www-form-urlencoded\r\nContent-Length: 9\r\n", b"query=\xff\xfe\xfd"),
        ("Content-Type: application/x-www-form-urlencoded\r\nContent-Length: 11\r\n", b"query=%FF%FE"),
        ("Content-Type: application/sparql-query\r\nContent-Length: 4\r\n", b"\xc3\x28\xa0\xa1"),
    ]:  # fmt: skip
        answer = server.raw(f"POST /query HTTP/1.1\r\n{host}{head}\r\n".encode() + body)
        status_line, _, rest = answer.partition(b"\r\n")
        assert status_line.startswith(b"HTTP/1.1 400"), (head, answer)
        assert rest.split(b"\r\n\r\n", 1)[1].strip(), "a 400 without a message"
    answer = server.raw(f"GET /query?query=%FF HTTP/1.1\r\n{host}\r\n".encode())
    assert answer.startswith(b"HTTP/1.1 400")
    for value in ["<http://a b>", "<>", "<not an iri>", "agency:a b"]:
        status, body = server.request(
            "GET", "/canned/agency-policies?" + urllib.parse.urlencode({"agency": value})
        )
        assert status == 400 and body, (value, body)  # fmt: skip


def test_other_hosts_and_sites_are_refused(server):
    path = "/query?" + urllib.parse.urlencode({"query": POLICIES})
    for host in [
        "evil.example",
        f"evil.example:{server.port}",
        "127.0.0.1:1",
        f"127.0.0.2:{server.port}",
    ]:
        assert server.request("GET", path, headers={"Host": host})[0] == 421, host
    for host in [f"127.0.0.1:{server.port}", f"localhost:{server.port}", f"[::1]:{server.port}"]:
        assert server.request("GET", path, headers={"Host": host})[0] == 200, host
    origin = {"Origin": "http://evil.example", "Content-Type": "application/sparql-query"}
    assert server.request("POST", "/query", POLICIES.encode(), origin)[0] == 403
    assert server.raw(f"GET {path} HTTP/1.0\r\n\r\n".encode()).startswith(b"HTTP/1.1 400")


def test_a_rebuilt_store_is_served_at_once(built, tmp_path):
    from pyoxigraph import NamedNode, Quad

    from policygraph.backends.embedded import memory_store, write_disk_store

    store = tmp_path / "store"
    shutil.copytree(built.files["store"], store)
    s = Serving(store, tmp_path)
    try:
        assert s.query(POLICIES)[1].split(b"\r\n")[1] == b"10"
        policy = NamedNode("https://w3id.org/policygraph/ontology#Policy")
        rdf_type = NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
        quads = [
            Quad(NamedNode(f"urn:p{i}"), rdf_type, policy, NamedNode("urn:g")) for i in range(3)
        ]
        write_disk_store(memory_store(quads), store)  # as `build` replaces it
        assert s.query(POLICIES)[1].split(b"\r\n")[1] == b"3"
    finally:
        s.stop()


# -- 4. updates ----------------------------------------------------------------------------------


def test_every_update_route_is_refused(server):
    update = "DROP ALL"
    form = urllib.parse.urlencode({"update": update})
    attempts = [
        server.request("POST", "/query?" + form, b"", {"Content-Type": "application/sparql-query"}),
        server.request("POST", "/sparql", form, {"Content-Type": "application/x-www-form-urlencoded"}),
        server.request("POST", "/update", form, {"Content-Type": "application/x-www-form-urlencoded"}),
        server.request("GET", "/update?" + form),
        server.request("DELETE", "/query"),
        server.request("PATCH", "/store"),
    ]  # fmt: skip
    assert [a[0] for a in attempts] == [403] * len(attempts)
    assert (
        server.request("POST", "/query", update, {"Content-Type": "application/sparql-query"})[0]
        == 400
    )
    assert server.query(POLICIES)[1].split(b"\r\n")[1] == b"10"
