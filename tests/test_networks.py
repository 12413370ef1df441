"""The co-issuance network, computed from the incidence matrix, against SPARQL and the brief."""

from __future__ import annotations

import itertools

import pytest
from conftest import DATA

from policygraph import graph, synth
from policygraph.networks import coissuance, network
from policygraph.store import Embedded, memory_store
from policygraph.tables import Tables

AGGREGATE = """PREFIX pg: <https://w3id.org/policygraph/ontology#>
SELECT ?a ?b (COUNT(DISTINCT ?p) AS ?n) WHERE { ?p a pg:Policy ; pg:issuedBy ?a, ?b .
FILTER(STR(?a) < STR(?b)) } GROUP BY ?a ?b"""
AGENCY = "https://w3id.org/policygraph/id/agency/"


def by_sparql(backend) -> dict:
    return {(r["a"], r["b"]): r["n"] for r in backend.query(AGGREGATE).records()}


@pytest.mark.parametrize("n", [300, 2000, 6000])
def test_fast_coissuance_equals_the_sparql_aggregate(n):
    store = Embedded(memory_store(graph.quads(synth.dataset(n, seed=n, registry=DATA))))
    fast = coissuance(Tables.of(store))
    assert fast == by_sparql(store)
    assert len(fast) > 50


def test_fast_coissuance_on_the_brief(store):
    assert coissuance(Tables.of(store)) == by_sparql(store)


def test_brief_network_facts(store, checked):
    g = network(Tables.of(store), "co-issuance")
    assert g[AGENCY + "miit"][AGENCY + "nhc"]["weight"] == 2
    policy = next(p for s in checked.data.sources.values() for p in s.policies
                  if p.id == "miit-industrial-internet-identification-2024-2026")  # fmt: skip
    assert len(policy.issuers) == 12
    for a, b in itertools.combinations(policy.issuers, 2):
        assert g.has_edge(AGENCY + a, AGENCY + b), (a, b)
    led = {p.issuers[0] for s in checked.data.sources.values() for p in s.policies}
    assert {n.rsplit("/", 1)[-1] for n, d in g.nodes(data=True) if d["led"]} == led
