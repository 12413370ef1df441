"""The co-issuance network, computed from the incidence matrix, against SPARQL and the brief."""

from __future__ import annotations

import itertools

import pytest
from conftest import DATA

from policygraph import synth
from policygraph.backends.embedded import Embedded, memory_store
from policygraph.backends.queries import run
from policygraph.graph import triples as graph
from policygraph.networks.projections import coissuance, measure, network
from policygraph.networks.tables import Tables

AGGREGATE = """PREFIX pg: <https://w3id.org/policygraph/ontology#>
SELECT ?a ?b (COUNT(DISTINCT ?p) AS ?n) WHERE { ?p a pg:Policy ; pg:issuedBy ?a, ?b .
FILTER(STR(?a) < STR(?b)) } GROUP BY ?a ?b"""
AGENCY = "https://w3id.org/policygraph/id/agency/"


def by_sparql(backend) -> dict:
    return {(r["a"], r["b"]): r["n"] for r in backend.query(AGGREGATE).records()}


@pytest.mark.parametrize("n", [300, 2000, 6000])
def test_fast_coissuance_equals_the_sparql_aggregate(n):
    store = Embedded(memory_store(graph.quads(synth.dataset(n, seed=n, registry=DATA))))
    fast = coissuance(Tables.of(store), rollup=False)
    assert fast == by_sparql(store)
    assert len(fast) > 50


def test_fast_coissuance_on_the_brief(store):
    assert coissuance(Tables.of(store), rollup=False) == by_sparql(store)


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


def test_sectors_that_share_a_policy_are_linked(store, checked):
    g = network(Tables.of(store), "sector-overlap")
    sector = "https://w3id.org/policygraph/id/sector/"
    shared: dict = {}
    for source in checked.data.sources.values():
        for p in source.policies:
            for a, b in itertools.combinations(sorted(set(p.sectors)), 2):
                shared[(a, b)] = shared.get((a, b), 0) + 1
    assert len(shared) > 5
    assert {tuple(sorted((a.rsplit("/", 1)[-1], b.rsplit("/", 1)[-1]))): d["weight"]
            for a, b, d in g.edges(data=True)} == shared  # fmt: skip
    for a, b, d in g.edges(data=True):
        total = g.nodes[a]["records"] + g.nodes[b]["records"] - d["weight"]
        assert d["jaccard"] == round(d["weight"] / total, 6)
    assert all(n.startswith(sector) for n in g)


def test_agency_sector_and_company_sector_networks_follow_the_data(store, checked):
    tables = Tables.of(store)
    bipartite = network(tables, "agency-sector")
    issued = {(f"https://w3id.org/policygraph/id/agency/{a}", f"https://w3id.org/policygraph/id/sector/{s}")
              for src in checked.data.sources.values() for p in src.policies
              for a in p.issuers for s in p.sectors}  # fmt: skip
    assert {tuple(sorted(e)) for e in bipartite.edges} == {tuple(sorted(e)) for e in issued}
    companies = network(tables, "company-sector")
    named = {(f"https://w3id.org/policygraph/id/company/{c}", f"https://w3id.org/policygraph/id/sector/{s}")
             for src in checked.data.sources.values() for r in [*src.policies, *src.events]
             for c in r.companies for s in r.sectors}  # fmt: skip
    assert {tuple(sorted(e)) for e in companies.edges} == {tuple(sorted(e)) for e in named}
    measured = measure(companies)
    for node, d in measured.nodes(data=True):
        assert d["degree"] == measured.degree(node) and 0 <= d["betweenness"] <= 1
        assert d["weighted_degree"] == sum(w for *_, w in measured.edges(node, data="weight"))
    assert len({d["community"] for _, d in measured.nodes(data=True)}) > 1


def _partners(table: dict, agency: str) -> dict:
    return {(b if a == agency else a): n for (a, b), n in table.items() if agency in (a, b)}


@pytest.mark.parametrize("rollup, query", [(True, "co-issuers"), (False, "co-issuers-offices")])
def test_coissuance_on_the_live_record_equals_the_canned_queries(live_built, rollup, query):
    """Offices count as their ministry (co-issuers) or apart (co-issuers-offices), as the
    canned queries count them, for the busiest agencies and an office."""
    tables = Tables.of(live_built.store)
    table = coissuance(tables, rollup=rollup)
    apart = coissuance(tables, rollup=False)
    office = next(i for i, d in tables.labels.items()
                  if d.get("agencyKind") == "office" and d.get("parent")
                  and any(i in pair for pair in apart))  # fmt: skip
    names = [AGENCY + a for a in ("miit", "ndrc", "mof", "most", "samr")]
    for agency in names + ([] if rollup else [office]):
        rows = run(live_built.store, query, {"agency": agency}).records()
        want = {r["partner"]: int(r["policies"]) for r in rows}
        assert _partners(table, agency) == want, agency
        assert len(want) > (5 if agency in names else 0)
    assert any(office in pair for pair in table) is not rollup
