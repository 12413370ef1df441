"""The ontology in the store and what it entails, the same in memory, on disk and on a server."""

from __future__ import annotations

import pytest
from conftest import DATA

from policygraph.backends import open_backend
from policygraph.backends.embedded import Embedded, open_disk_store
from policygraph.backends.endpoint import Endpoint
from policygraph.backends.push import push_backend
from policygraph.graph.entail import INFERRED, ONTOLOGY

ID = "https://w3id.org/policygraph/id/"


@pytest.fixture(scope="module")
def pushed(built, tmp_path_factory):
    from conftest import _oxigraph

    with _oxigraph(tmp_path_factory.mktemp("entail-oxigraph")) as url:
        push_backend(built.store, url)
        yield Endpoint(url + "/query")


@pytest.fixture(params=["memory", "disk", "server"])
def backend(request, built):
    if request.param == "memory":
        return open_backend("memory", DATA)[0]
    if request.param == "disk":
        return Embedded(open_disk_store(built.files["store"]))
    return request.getfixturevalue("pushed")


def column(backend, query: str, name: str) -> set[str]:
    return set(backend.query(query).column(name))


def test_reports_figure_finds_targets(backend):
    found = column(backend, "SELECT ?t WHERE { ?x pg:reportsFigure ?t }", "t")
    targets = column(backend, "SELECT ?t WHERE { ?x pg:setsTarget ?t }", "t")
    assert targets and all(t.startswith(ID + "target/") for t in targets)
    assert targets <= found
    assert any(t.startswith(ID + "figure/") for t in found)  # and the figures, as before


def test_targets_are_figures(backend):
    figures = column(backend, "SELECT ?t WHERE { ?t a pg:Figure }", "t")
    targets = column(backend, "SELECT ?t WHERE { ?t a pg:Target }", "t")
    assert targets and targets <= figures


def test_issued_by_finds_lead_issuers_and_subject_finds_sectors(backend):
    missing = "SELECT ?p WHERE { ?p pg:leadIssuer ?a FILTER NOT EXISTS { ?p pg:issuedBy ?a } }"
    assert backend.query(missing).rows == []
    subjects = column(backend, "SELECT ?s WHERE { ?p dcterms:subject ?s }", "s")
    sectors = column(backend, "SELECT ?s WHERE { ?p pg:concernsSector ?s }", "s")
    assert sectors and sectors <= subjects


def test_the_ontology_is_a_named_graph_of_its_own(backend):
    axioms = backend.query(
        "SELECT ?g WHERE { GRAPH ?g { pg:setsTarget rdfs:subPropertyOf pg:reportsFigure } }"
    )
    assert axioms.column("g") == [ONTOLOGY.value]
    labels = column(backend, f"SELECT ?l WHERE {{ GRAPH <{ONTOLOGY.value}> {{ pg:Policy rdfs:label ?l }} }}", "l")  # fmt: skip
    assert "Policy" in labels


def test_entailed_triples_say_they_were_entailed(backend):
    """GRAPH ?g still says who said what: a brief states pg:setsTarget, the ontology derives
    pg:reportsFigure, and nothing stated is stated again in the inferred graph."""
    graphs = column(backend, "SELECT ?g WHERE { GRAPH ?g { ?x pg:reportsFigure ?t } ?t a pg:Target }", "g")  # fmt: skip
    assert graphs == {INFERRED.value}
    restated = backend.query(
        f"ASK {{ GRAPH <{INFERRED.value}> {{ ?s ?p ?o }} GRAPH ?g {{ ?s ?p ?o }} "
        f"FILTER (?g != <{INFERRED.value}>) }}"
    )
    assert restated.boolean is False
    # annotation properties and alignment terms are not materialised
    assert backend.query("ASK { ?p pg:officialText ?u . ?p rdfs:seeAlso ?u }").boolean is False
    assert backend.query("ASK { ?p <http://data.europa.eu/eli/ontology#passed_by> ?a }").boolean is False  # fmt: skip


def test_subject_classes_are_subjects_on_the_live_record(live_built):
    """The fixture has no library subjects; the live record files 5,000 documents under them."""
    found = live_built.store.query(
        "SELECT (COUNT(*) AS ?n) WHERE { ?p pg:subjectClass ?c . ?p dcterms:subject ?c }"
    )
    stated = live_built.store.query("SELECT (COUNT(*) AS ?n) WHERE { ?p pg:subjectClass ?c }")
    assert found.rows == stated.rows and int(stated.rows[0][0].value) > 1000


def test_an_incremental_build_rewrites_what_is_entailed(data_copy, tmp_path):
    from policygraph.build import build

    first = build(data_copy, tmp_path / "out", shacl=False)
    ask = "ASK { ?x pg:reportsFigure ?t . ?t a pg:Target }"
    assert first.store.query(ask).boolean is True
    (data_copy / "sources" / "merics-top5-2024-02.yaml").rename(tmp_path / "away.yaml")
    again = build(data_copy, tmp_path / "out", shacl=False)
    assert again.mode == "incremental"
    derived = f"ASK {{ GRAPH <{INFERRED.value}> {{ ?x pg:reportsFigure ?t }} }}"
    assert again.store.query(derived).boolean is False  # no target is left, nor derived
    assert again.store.query(f"ASK {{ GRAPH <{ONTOLOGY.value}> {{ ?s ?p ?o }} }}").boolean
