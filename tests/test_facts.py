"""The brief's facts, asked of the built graph through SPARQL alone."""

from __future__ import annotations

from decimal import Decimal

import pytest

from policygraph.backends.queries import run

ITEMS = """
PREFIX pg: <https://w3id.org/policygraph/ontology#>
PREFIX prov: <http://www.w3.org/ns/prov#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
SELECT ?position ?lead ?issuer WHERE {
  ?policy a pg:Policy ; prov:wasDerivedFrom ?item ; pg:leadIssuer/skos:notation ?lead ;
          pg:issuedBy/skos:notation ?issuer .
  ?item pg:section "top5" ; pg:position ?position .
}"""

# who the brief says issued each Top-5 item, lead first (item 5 as its Chinese title decides)
EXPECTED_ISSUERS = {
    1: ["MIIT"],
    2: [
        "MIIT",
        "MOE",
        "MOST",
        "MOHRSS",
        "MEE",
        "MOHURD",
        "NHC",
        "MEM",
        "PBC",
        "SASAC",
        "SAMR",
        "CSRC",
    ],
    3: ["MIIT", "NHC"],
    4: ["MOST"],
    5: ["MOHRSS", "NDRC", "MOE", "MOST", "MOF", "SASAC", "ACFTU"],
}


def select(store, text) -> list[dict]:
    return store.query(text).records()


def test_issuers_and_leads_of_the_five_items(store):
    found: dict[int, dict] = {}
    for row in select(store, ITEMS):
        entry = found.setdefault(row["position"], {"lead": set(), "issuers": set()})
        entry["lead"].add(row["lead"])
        entry["issuers"].add(row["issuer"])
    assert sorted(found) == [1, 2, 3, 4, 5]
    for position, issuers in EXPECTED_ISSUERS.items():
        assert found[position]["lead"] == {issuers[0]}, position
        assert found[position]["issuers"] == set(issuers), position


def test_item_five_follows_its_chinese_title(store):
    policy = "https://w3id.org/policygraph/id/policy/mohrss-high-skilled-leading-talent"
    rows = [r for r in run(store, "policy-issuers").records() if r["policy"] == policy]
    assert [r["issuer"] for r in rows if r["lead"]] == ["MOHRSS"]
    assert "MOHURD" not in {r["issuer"] for r in rows}
    assert {r["declared"] for r in rows} == {len(rows)} == {7}


def test_co_issuers_of_miit(store):
    rows = run(store, "co-issuers", {"agency": "MIIT"}).records()
    counts = {r["acronym"]: r["policies"] for r in rows}
    assert counts.pop("NHC") == 2
    assert set(counts) == set(EXPECTED_ISSUERS[2]) - {"MIIT", "NHC"}
    assert set(counts.values()) == {1}
    assert (
        run(store, "co-issuers", {"agency": "工信部"}).records() == rows
    )  # by Chinese short name too


def test_co_issuance_pairs_are_unordered_and_counted(store):
    pairs = {(r["a"], r["b"]): r["policies"] for r in run(store, "co-issuance").records()}
    assert pairs[("MIIT", "NHC")] == 2
    assert ("NHC", "MIIT") not in pairs
    n = len(EXPECTED_ISSUERS[2])
    twelve = {(a, b) for a in EXPECTED_ISSUERS[2] for b in EXPECTED_ISSUERS[2] if a < b}
    assert len(twelve) == n * (n - 1) // 2 and twelve <= set(pairs)


@pytest.mark.parametrize(
    ("year", "expected"),
    [
        (2025, {("standards", ">", Decimal(200))}),
        (2027, {("people", "=", Decimal(15000)), ("people", "=", Decimal(5000000))}),
    ],
)
def test_targets_due_in_2025_and_2027(store, year, expected):
    rows = run(store, "targets-by-year", {"year": str(year)}).records()
    assert {(r["unit"], r["comparator"], r["value"]) for r in rows} == expected
    assert {r["year"] for r in rows} == {str(year)}


def test_targets_due_in_2026(store):
    rows = run(store, "targets-by-year", {"year": "2026"}).records()
    setters = {r["setter"].rsplit("/", 1)[-1] for r in rows}
    assert setters == {
        "miit-industrial-data-security-2024-2026",
        "miit-industrial-internet-identification-2024-2026",
        "mercedes-bmw-charging-jv-approval",
    }
    values = {(r["value"], r["unit"]) for r in rows}
    assert (Decimal(45000), "enterprises") in values
    assert (Decimal(600000000000), "registrations") in values
    assert (Decimal(1000), "stations") in values
    years = {r["year"]: r["targets"] for r in run(store, "target-years").records()}
    assert years["2026"] == len(rows)


def test_companies_and_their_sectors(store):
    rows: dict[str, set] = {}
    for r in run(store, "company-sectors").records():
        rows.setdefault(r["name"], set()).add(r["sector"].rsplit("/", 1)[-1])
    assert rows["SenseTime"] == {"large-language-models", "digital-health", "autonomous-driving"}
    assert rows["Semiconductor Manufacturing International Corporation"] == {"semiconductors"}
    assert rows["BASF"] == {"chemicals", "supply-chain-compliance"}
    assert {"Mercedes-Benz Group China", "BMW Brilliance Automotive", "I-Mab", "Volkswagen"} <= set(
        rows
    )
    assert "Neuralink" not in rows  # named in an analyst comment, not in any fact


def test_every_fact_says_where_it_came_from(store):
    missing = select(
        store,
        """
        PREFIX pg: <https://w3id.org/policygraph/ontology#>
        PREFIX prov: <http://www.w3.org/ns/prov#>
        SELECT ?x WHERE { VALUES ?c { pg:Policy pg:Event pg:Target pg:Figure } ?x a ?c .
                          FILTER NOT EXISTS { ?x prov:wasDerivedFrom/a pg:Source } }""",
    )
    assert missing == []
    resource = "target:mohrss-high-skilled-leading-talent-2"
    rows = run(store, "provenance", {"resource": resource}).records()
    assert [(r["section"], r["position"]) for r in rows] == [("top5", 5)]
    assert rows[0]["graph"].endswith("/source/merics-top5-2024-02")


def test_declared_counts_and_entry_into_force(store):
    rows = select(
        store,
        """
        PREFIX pg: <https://w3id.org/policygraph/ontology#>
        SELECT ?p ?n WHERE { ?p pg:declaredIssuerCount ?n }""",
    )
    counts = {r["p"].rsplit("/", 1)[-1]: r["n"] for r in rows}
    assert counts["cnipa-university-patent-use-work-plan"] == 8
    assert counts["miit-industrial-internet-identification-2024-2026"] == 12
    force = select(
        store,
        """
        PREFIX pg: <https://w3id.org/policygraph/ontology#>
        SELECT ?d WHERE { ?p pg:entersIntoForce ?d }""",
    )
    assert [r["d"] for r in force] == ["2024-05-01"]


def test_chinese_titles_are_tagged_zh(store):
    rows = select(
        store,
        """
        PREFIX dcterms: <http://purl.org/dc/terms/>
        SELECT ?t WHERE { ?p dcterms:title ?t FILTER(LANG(?t) = "zh") }""",
    )
    assert len(rows) == 5
    assert any(r["t"].startswith("工业和信息化部等十二部门") for r in rows)
