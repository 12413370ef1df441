"""`policygraph serve`: read-only SPARQL 1.1 Protocol over loopback, run as a user runs it."""

from __future__ import annotations

import json
import re
import subprocess
import sys
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import pyoxigraph
import pytest
from conftest import cli, wait_for_port

from policygraph.backends.queries import run
from policygraph.serve.front import free_port

TIMEOUT = 3
EXPENSIVE = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"


@pytest.fixture(scope="module")
def endpoint(built):
    port = free_port()
    exe = Path(sys.executable).with_name("policygraph")
    proc = subprocess.Popen(
        [str(exe), "serve", "--store", str(built.files["store"]), "--port", str(port),
         "--timeout", str(TIMEOUT)],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE,
    )  # fmt: skip
    try:
        wait_for_port(port, proc)
        yield f"http://127.0.0.1:{port}", port
    finally:
        proc.terminate()
        proc.wait(10)


def fetch(url, data=None, headers=None, method=None):
    req = urllib.request.Request(url, data=data, headers=headers or {}, method=method)
    try:
        with urllib.request.urlopen(req, timeout=30) as response:
            return response.status, response.headers.get("Content-Type", ""), response.read()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.headers.get("Content-Type", ""), exc.read()


def get(base, query, accept):
    return fetch(
        f"{base}/query?" + urllib.parse.urlencode({"query": query}), headers={"Accept": accept}
    )


COUNT = "SELECT (COUNT(*) AS ?n) WHERE { ?p a <https://w3id.org/policygraph/ontology#Policy> }"


@pytest.mark.parametrize(
    ("accept", "check"),
    [
        (
            "application/sparql-results+json",
            lambda b: json.loads(b)["results"]["bindings"][0]["n"]["value"] == "10",
        ),
        ("application/sparql-results+xml", lambda b: b"<literal" in b and b">10<" in b),
        ("text/csv", lambda b: b.split(b"\r\n")[1] == b"10"),
        ("text/tab-separated-values", lambda b: b"10" in b.splitlines()[1]),
    ],
)
def test_select_in_every_results_format(endpoint, accept, check):
    status, content_type, body = get(endpoint[0], COUNT, accept)
    assert status == 200 and content_type.startswith(accept)
    assert check(body)


def test_post_forms(endpoint):
    base = endpoint[0]
    form = urllib.parse.urlencode({"query": COUNT}).encode()
    status, _, body = fetch(f"{base}/query", form, {"Content-Type": "application/x-www-form-urlencoded",
                                                     "Accept": "text/csv"})  # fmt: skip
    assert status == 200 and body.split(b"\r\n")[1] == b"10"
    status, _, body = fetch(f"{base}/sparql", COUNT.encode(), {"Content-Type": "application/sparql-query",
                                                               "Accept": "text/csv"})  # fmt: skip
    assert status == 200 and body.split(b"\r\n")[1] == b"10"


@pytest.mark.parametrize(("accept", "fmt"), [("text/turtle", pyoxigraph.RdfFormat.TURTLE),
                                             ("application/ld+json", pyoxigraph.RdfFormat.JSON_LD)])  # fmt: skip
def test_construct_and_describe(endpoint, accept, fmt):
    for query in ("CONSTRUCT { ?a ?p ?o } WHERE { ?a a <https://w3id.org/policygraph/ontology#Agency> ; ?p ?o }",
                  "DESCRIBE <https://w3id.org/policygraph/id/agency/miit>"):  # fmt: skip
        status, content_type, body = get(endpoint[0], query, accept)
        assert status == 200 and content_type.startswith(accept), body[:200]
        assert len(list(pyoxigraph.parse(body, format=fmt))) > 5


@pytest.mark.parametrize("update", ["INSERT DATA { <http://e/a> <http://e/b> <http://e/c> }",
                                    "DELETE WHERE { ?s ?p ?o }", "DROP ALL"])  # fmt: skip
def test_updates_are_refused(endpoint, update):
    base = endpoint[0]
    attempts = [
        fetch(f"{base}/update", update.encode(), {"Content-Type": "application/sparql-update"}),
        fetch(f"{base}/query", update.encode(), {"Content-Type": "application/sparql-update"}),
        fetch(
            f"{base}/query",
            urllib.parse.urlencode({"update": update}).encode(),
            {"Content-Type": "application/x-www-form-urlencoded"},
        ),  # fmt: skip
        fetch(f"{base}/query?" + urllib.parse.urlencode({"update": update})),
        fetch(f"{base}/query", update.encode(), method="PUT"),
    ]
    assert [a[0] for a in attempts] == [403] * len(attempts)
    assert get(base, COUNT, "text/csv")[2].split(b"\r\n")[1] == b"10"


def test_syntax_error_is_a_400_with_the_parsers_message(endpoint):
    status, _, body = get(endpoint[0], "SELECT * WHERE { ?s ?p }", "text/csv")
    assert status == 400
    assert b"error at 1:" in body or b"error at line 1," in body


def test_syntax_error_is_one_line_counted_in_the_text_as_sent(endpoint):
    """The prologue of known prefixes is not counted, and the parser's long list is cut."""
    status, _, body = get(endpoint[0], "SELECT *\nWHERE { ?s foo:bar ?o }", "text/csv")
    assert status == 400
    assert body.startswith(b"SPARQL syntax error at line 2, column ")
    assert b"\n" not in body and len(body) < 260


def test_known_prefixes_need_no_declaration_and_may_be_redeclared(endpoint):
    query = "SELECT (COUNT(*) AS ?n) WHERE { ?p a pg:Policy }"
    status, _, body = get(endpoint[0], query, "text/csv")
    assert (status, body.split(b"\r\n")[1]) == (200, b"10")
    other = "PREFIX pg: <http://example.org/> " + query
    assert get(endpoint[0], other, "text/csv")[2].split(b"\r\n")[1] == b"0"


def test_runaway_query_is_stopped_at_the_timeout(endpoint):
    status, _, body = get(endpoint[0], EXPENSIVE, "text/csv")
    assert status == 503 and f"{TIMEOUT} s limit".encode() in body
    assert get(endpoint[0], COUNT, "text/csv")[0] == 200  # and the endpoint still answers


def test_query_page_lists_canned_queries_and_loads_nothing_remote(endpoint):
    status, content_type, body = fetch(endpoint[0] + "/")
    page = body.decode()
    assert status == 200 and content_type.startswith("text/html")
    for name in ("co-issuance", "agency-policies", "targets-by-year"):
        assert f'"name": "{name}"' in page
    assert not re.search(r"""(src|href)=["']?(https?:)?//""", page)


def test_canned_endpoint_binds_parameters(endpoint, built):
    status, _, body = fetch(
        endpoint[0] + "/canned/co-issuers?agency=" + urllib.parse.quote("工信部")
    )
    assert status == 200
    served = [b["acronym"]["value"] for b in json.loads(body)["results"]["bindings"]]
    assert served == run(built.store, "co-issuers", {"agency": "MIIT"}).column("acronym")
    hostile = urllib.parse.quote('"} ; DROP ALL ; #')
    status, _, body = fetch(endpoint[0] + f"/canned/co-issuers?agency={hostile}")
    assert status == 400 and b"no agency is called" in body
    assert get(endpoint[0], COUNT, "text/csv")[2].split(b"\r\n")[1] == b"10"


def test_port_in_use_is_a_clear_error(endpoint, built):
    result = cli("serve", "--store", built.files["store"], "--port", endpoint[1])
    assert result.returncode == 1
    assert f"port {endpoint[1]} on 127.0.0.1 is in use" in result.stderr


def test_incomplete_store_is_never_served(built, tmp_path):
    import shutil

    half = tmp_path / "store"
    shutil.copytree(built.files["store"], half)
    (half / "POLICYGRAPH_COMPLETE").unlink()
    result = cli("serve", "--store", half, "--port", free_port())
    assert result.returncode == 1 and "no complete store" in result.stderr


def test_stopping_serve_stops_its_engine(built):
    import os
    import signal
    import time

    port = free_port()
    exe = Path(sys.executable).with_name("policygraph")
    proc = subprocess.Popen([str(exe), "serve", "--store", str(built.files["store"]), "--port", str(port)],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)  # fmt: skip
    wait_for_port(port, proc)
    children = [
        int(p) for p in Path(f"/proc/{proc.pid}/task/{proc.pid}/children").read_text().split()
    ]
    assert children, "serve runs no engine process"
    proc.send_signal(signal.SIGTERM)
    proc.wait(10)
    time.sleep(0.5)
    for child in children:
        assert (
            not Path(f"/proc/{child}").exists()
            or "zombie" in Path(f"/proc/{child}/status").read_text()
        )
    with __import__("contextlib").suppress(ProcessLookupError):
        for child in children:
            os.kill(child, 0)
