"""The shipped record: the gov.cn policy library in the graph, checked against the table itself.

Counts are computed here straight from the TSV with plain string matching, independent of the
parser the build uses, and rolled up the same way (an office counts as its ministry: its name
begins with the ministry's).
"""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
from conftest import ROOT

from policygraph.backends.queries import run
from policygraph.graph.validate import check

TABLE = ROOT / "data" / "sources" / "gov-cn-policy-library.tsv"
#: how the table writes each body, offices included (they begin with their ministry's name)
NAMES = {
    "MIIT": ("工业和信息化部", "工信部"),
    "NDRC": ("国家发展改革委", "发展改革委", "国家发展和改革委员会"),
    "MOF": ("财政部",),
    "NEA": ("国家能源局",),
    "MOST": ("科技部", "科学技术部"),
    "STA": ("税务总局",),
}
PAIRS = [("MIIT", "NDRC", 2024), ("MOF", "MIIT", 2023), ("NDRC", "NEA", 2025),
         ("MOST", "MIIT", 2022), ("MOF", "STA", 2024), ("MIIT", "NDRC", 2021)]  # fmt: skip


def rows() -> list[dict[str, str]]:
    with open(TABLE, encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f, delimiter="\t"))


def names(cell: str, body: str) -> bool:
    return any(n in cell for n in NAMES[body])


def expected_count(a: str, b: str, year: int) -> int:
    """Distinct documents (number and title) of ``year`` whose issuers name both bodies."""
    seen = {
        (r["pcode"].replace(" ", ""), r["title"])
        for r in rows()
        if r["pub_date"].startswith(str(year)) and names(r["puborg"], a) and names(r["puborg"], b)
    }
    return len(seen)


@pytest.mark.parametrize(("a", "b", "year"), PAIRS, ids=lambda v: str(v))
def test_co_issuance_per_year_equals_a_count_from_the_table(live_built, a, b, year):
    got = run(live_built.store, "pair-by-year", {"agency": a, "partner": b}).records()
    by_year = {r["year"]: r["policies"] for r in got}
    assert by_year.get(year, 0) == expected_count(a, b, year) > 0


@pytest.fixture(scope="module")
def checked_record():
    return check(ROOT / "data", shacl=False)


def test_every_row_becomes_a_policy_or_is_reported_with_its_reason(checked_record):
    table = next(
        s for path, s in checked_record.data.sources.items() if Path(path).stem == TABLE.stem
    )
    made = {p.item for p in table.policies}
    reported = {}
    for p in checked_record.problems:
        reason = any(w in p.message for w in ("listed twice", "brief's policy", "left out"))
        if p.file.endswith(TABLE.name) and reason:
            reported[p.line - 1] = p.message
    total = len(rows())
    assert len(made) + len(reported) == total == len(table.items)
    for item in table.items:
        assert (item.id in made) != (item.position in reported), item.id


def test_the_record_holds_thousands_of_real_co_issued_documents(live_built):
    counts = {
        r["class"].rsplit("#")[-1]: r["count"]
        for r in run(live_built.store, "class-counts").records()
    }
    assert counts["Policy"] > 5000 and counts["Agency"] > 300
    joint = run(
        live_built.store,
        "SELECT (COUNT(DISTINCT ?p) AS ?n) WHERE { ?p pg:issuedBy ?a, ?b FILTER (?a != ?b) }",
    )
    assert joint.records()[0]["n"] > 2000


def _table_source(folder: Path, rows_: list[dict[str, str]]) -> dict[str, str]:
    """A data folder with the live registries and a table of ``rows_``: each URL's policy id."""
    data = folder / "data"
    (data / "sources").mkdir(parents=True)
    for name in ("agencies.yaml", "sectors.yaml", "companies.yaml", "subjects.yaml"):
        (data / name).write_bytes((ROOT / "data" / name).read_bytes())
    sidecar = (ROOT / "data" / "sources" / "gov-cn-policy-library.yaml").read_text("utf-8")
    (data / "sources" / "gov-cn-policy-library.yaml").write_text(sidecar, "utf-8")
    with open(data / "sources" / TABLE.name, "w", encoding="utf-8", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=list(rows_[0]), delimiter="\t", lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows_)
    result = check(data, shacl=False)
    assert result.ok, [str(p) for p in result.problems if p.severity == "error"]
    (table,) = [s for s in result.data.sources.values() if s.source.id == "gov-cn-policy-library"]
    # a forwarded document is known by the page of the notice that forwards it
    forwarded = {(p.official_url, True): f for p in table.policies for f in p.forwards}
    ids = {(p.official_url, False): p.id for p in table.policies if p.id not in forwarded.values()}
    ids |= forwarded
    return ids


def test_a_newer_export_keeps_each_documents_id_whatever_its_position(tmp_path):
    """Rows are matched by URL (and number), not by position: a reordered export with rows
    added and removed gives every document it shares with the old one the same IRI."""
    everything = rows()
    old = _table_source(tmp_path / "old", everything[100:400])
    newer = everything[:300][::-1]  # 100 new documents, 100 gone, the rest in another order
    new = _table_source(tmp_path / "new", newer)
    shared = set(old) & set(new)
    assert len(shared) >= 195
    assert all(old[url] == new[url] for url in shared)


def test_a_published_title_with_unbalanced_brackets_is_a_warning_and_the_row_is_kept(tmp_path):
    row = dict(rows()[0])
    row["title"] = "关于印发《某某规划（2024-2028年)》的通知’99"
    ids = _table_source(tmp_path, [row])
    assert list(ids) == [(row["url"], False)]
    warned = [p for p in check(tmp_path / "data", shacl=False).problems if p.severity == "warning"]
    assert [(p.line, p.field) for p in warned] == [(2, "title")]
    assert "published title" in warned[0].message
