"""The SERVICE check against the real parser: no query it lets through calls out."""

from __future__ import annotations

import itertools
import socket
import threading

import pyoxigraph
import pytest
from pyoxigraph import Literal, NamedNode, Quad

from policygraph.backends.service import find_service

# what may stand before a SERVICE clause: triples ending in every kind of token, comments
BEFORE = ["", "?s ?p ?o ", "?s ?p ?o.", "?s ?p ?o .", "?s ?p ex:o.", "?s ?p <http://e/\\u0041#> ",
          "?s ?p <http://e/o#> ", '?s ?p "#" .', "?s ?p '#'.", '?s ?p """a\n#\n""" .',
          "?s ?p 1.", "?s ?p 1.0 .", "?s ?p _:b.", "# a comment\n", "{ ?s ?p ?o }",
          "OPTIONAL { ?s ?p ?o }", "FILTER(1<2)", "FILTER(?o<?p)", 'BIND("}" AS ?q)']  # fmt: skip
KEYWORDS = ["SERVICE", "service", "Service", "\\u0053ERVICE", "SERV\\u0049CE"]


@pytest.fixture(scope="module")
def listener():
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    sock.listen()
    hits: list[int] = []

    def accept():
        while True:
            try:
                conn, _ = sock.accept()
            except OSError:
                return
            hits.append(1)
            conn.close()

    threading.Thread(target=accept, daemon=True).start()
    yield sock.getsockname()[1], hits
    sock.close()


def test_no_unflagged_query_sends_a_request(listener):
    port, hits = listener
    store = pyoxigraph.Store()
    store.add(Quad(NamedNode("http://e/s"), NamedNode("http://e/p"), Literal("o")))
    ran = flagged = 0
    for before, keyword, gap, silent, target in itertools.product(
        BEFORE, KEYWORDS, ["", " ", "\n"], ["", " SILENT "], ["<http://127.0.0.1:{port}/x>", "ex:x"]
    ):
        clause = keyword + silent + gap + target.format(port=port) + gap + "{ ?a ?b ?c }"
        text = f"PREFIX ex: <http://127.0.0.1:{port}/> SELECT * WHERE {{ {before}{clause} }}"
        if find_service(text):
            flagged += 1
            continue
        seen = len(hits)
        try:
            list(store.query(text))
            ran += 1
        except (SyntaxError, RuntimeError, OSError):
            pass
        assert len(hits) == seen, f"not refused, yet it called out: {text!r}"
    assert ran == 0  # every one is flagged: none hides its SERVICE
