"""Every export parses back to a graph isomorphic to the built one, in two parsers."""

from __future__ import annotations

import pyoxigraph
import pytest
import rdflib
from rdflib.compare import isomorphic, to_isomorphic

from policygraph.backends.export import FORMATS

RDFLIB_FORMATS = {"turtle": "turtle", "nt": "nt", "jsonld": "json-ld", "trig": "trig"}


@pytest.fixture(scope="module")
def expected(checked):
    """The graph the records make, with the ontology and what it entails, read straight from
    the quads (not from any export)."""
    from policygraph.graph.entail import entail

    store = pyoxigraph.Store()
    store.extend(checked.quads)
    entail(store)
    nquads = pyoxigraph.serialize(store, format=pyoxigraph.RdfFormat.N_QUADS)
    dataset = rdflib.Dataset()
    dataset.parse(data=nquads, format="nquads")
    union = rdflib.Graph()
    for s, p, o, _ in dataset.quads():
        union.add((s, p, o))
    return dataset, union


@pytest.mark.parametrize("fmt", ["turtle", "nt", "jsonld"])
def test_triple_exports_round_trip(built, expected, fmt):
    _, union = expected
    parsed = rdflib.Graph().parse(built.files[fmt], format=RDFLIB_FORMATS[fmt])
    assert len(parsed) == len(union) > 1000
    assert isomorphic(parsed, union)


def test_trig_keeps_one_named_graph_per_source(built, expected):
    dataset, _ = expected
    parsed = rdflib.Dataset()
    parsed.parse(built.files["trig"], format="trig")
    names = {g.identifier for g in parsed.graphs() if len(g)}
    wanted = {g.identifier for g in dataset.graphs() if len(g)}
    assert names == wanted
    assert rdflib.URIRef("https://w3id.org/policygraph/id/source/merics-top5-2024-02") in names
    for name in wanted:
        assert isomorphic(parsed.graph(name), dataset.graph(name)), name


def test_turtle_parses_in_a_second_parser(built, expected):
    _, union = expected
    triples = list(
        pyoxigraph.parse(path=str(built.files["turtle"]), format=pyoxigraph.RdfFormat.TURTLE)
    )
    assert len(set(triples)) == len(union)
    again = rdflib.Graph().parse(
        data=pyoxigraph.serialize(triples, format=pyoxigraph.RdfFormat.N_TRIPLES), format="nt"
    )
    assert to_isomorphic(again) == to_isomorphic(union)


def test_exports_are_deterministic(built, tmp_path):
    from policygraph.backends.export import export

    for fmt in ("turtle", "nt"):
        again = export(built.store, tmp_path / f"again.{FORMATS[fmt].suffix}", fmt)
        assert again.read_bytes() == built.files[fmt].read_bytes()


def test_rdflib_view_of_the_store(built, expected):
    from policygraph.backends.embedded import to_rdflib

    dataset, _ = expected
    mine = to_rdflib(built.store.store)
    assert {g.identifier for g in mine.graphs() if len(g)} == {
        g.identifier for g in dataset.graphs() if len(g)
    }
    assert len(list(mine.quads())) == len(built.store)
