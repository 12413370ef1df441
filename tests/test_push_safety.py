"""A push cleans up after a server that died mid-push, and drops the graphs of deleted sources,
against a real Oxigraph server killed with SIGKILL and restarted on the same location."""

from __future__ import annotations

import subprocess

import pytest
from conftest import Paused, cli_process, wait_for_port

from policygraph.backends.endpoint import Endpoint
from policygraph.build import build
from policygraph.serve.front import free_port, oxigraph_command

SECOND = """\
source: {id: second-brief, title: A second brief, publisher: policygraph tests, period: 2024-03}
items:
  - {id: item-1, section: policy-news, position: 1, label: A test policy}
policies:
  - {id: test-policy-one, item: item-1, title_en: A policy for the tests, type: notice,
     issued: 2024-03-01, issuers: [MIIT, NDRC], sectors: [manufacturing]}
"""
SECOND_GRAPH = "https://w3id.org/policygraph/id/source/second-brief"
GRAPHS = "SELECT DISTINCT ?g WHERE { GRAPH ?g {} }"
COUNT = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"


class Server:
    """``oxigraph serve`` on a location that outlives the process, as a real server's disk does."""

    def __init__(self, location):
        self.location, self.port = location, free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.start()

    def start(self) -> None:
        self.proc = subprocess.Popen(
            [oxigraph_command(), "serve", "--location", str(self.location),
             "--bind", f"127.0.0.1:{self.port}", "--union-default-graph"],
            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
        )  # fmt: skip
        wait_for_port(self.port, self.proc)

    def kill(self) -> None:
        self.proc.kill()  # SIGKILL
        self.proc.wait()

    def graphs(self) -> set[str]:
        return {str(g) for g in Endpoint(self.url + "/query").query(GRAPHS).column("g")}

    def count(self) -> int:
        return int(Endpoint(self.url + "/query").query(COUNT).column("n")[0])


@pytest.fixture
def setup(data_copy, tmp_path):
    (data_copy / "sources" / "second.yaml").write_text(SECOND, encoding="utf-8")
    out = tmp_path / "out"
    build(data_copy, out)
    server = Server(tmp_path / "oxigraph")
    try:
        yield data_copy, out, server
    finally:
        server.kill()


def test_a_push_drops_what_a_server_killed_mid_push_kept(setup):
    data, out, server = setup
    assert cli_process("push", server.url, "--store", out / "store").returncode == 0
    graphs, count = server.graphs(), server.count()
    pushing = Paused("staged-graph", "push", server.url, "--store", out / "store")
    server.kill()  # after the first staging graph was written
    assert pushing.resume() == 1 and "cannot reach" in pushing.stderr
    server.start()
    staging = server.graphs() - graphs
    assert len(staging) == 1 and "#staging-" in staging.pop()
    assert server.count() > count  # the attack: the union default graph sees the staged copy
    again = cli_process("push", server.url, "--store", out / "store")
    assert again.returncode == 0, again.stderr
    assert "Dropped 1 staging graphs that a failed push left" in again.stdout
    assert server.graphs() == graphs and server.count() == count


def test_a_source_deleted_locally_is_removed_from_the_server(setup):
    data, out, server = setup
    assert cli_process("push", server.url, "--store", out / "store").returncode == 0
    assert SECOND_GRAPH in server.graphs()
    others = server.graphs() - {SECOND_GRAPH}
    (data / "sources" / "second.yaml").unlink()
    build(data, out)
    again = cli_process("push", server.url, "--store", out / "store")
    assert again.returncode == 0, again.stderr
    assert f"  {SECOND_GRAPH}: removed (no longer in the graph)" in again.stdout.splitlines()
    assert server.graphs() == others
