"""Ingestion of briefs and document lists: fixtures for every variation, the seed brief against
the curated file, idempotence, bad input, and fuzzing of every parser."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
import yaml
from conftest import DATA, ROOT, cli, snapshot

from policygraph.ingest.briefs import ingest
from policygraph.ingest.intake import read_text
from policygraph.records.load import load
from policygraph.records.registry import Registry

FIXTURES = Path(__file__).parent / "fixtures" / "briefs"
BRIEFS = sorted(p.stem for p in FIXTURES.glob("*.txt"))
# seed-facts.txt is checked against the curated source by test_ingest_seed.py
EXPECTED = sorted(p.name.removesuffix(".expected.yaml") for p in FIXTURES.glob("*.expected.yaml"))


@pytest.fixture(scope="module")
def registry():
    return Registry(load(DATA, only=set()))


def _period(spec) -> dict:
    if isinstance(spec, int):
        return {"deadline": spec}
    start, end = map(int, str(spec).split("-"))
    return {"period_start": start, "period_end": end}


@pytest.mark.parametrize("name", EXPECTED)
def test_fixture_brief_gives_its_expected_records(name, registry):
    expected = yaml.safe_load((FIXTURES / f"{name}.expected.yaml").read_text("utf-8"))
    draft = ingest(read_text(FIXTURES / f"{name}.txt"), name, registry)
    assert len(draft.policies) == len(expected.get("policies", []))
    for want, got in zip(expected.get("policies", []), draft.policies, strict=True):
        for key in ("title_en", "title_zh", "issued", "issuers", "official_url"):
            assert got.get(key) == want.get(key), (got["id"], key)
        assert got.get("declared_issuer_count") == want.get("declared_issuer_count"), got["id"]
        targets = [
            [t["value"], t.get("comparator", "="), t["unit"]] for t in got.get("targets", [])
        ]
        assert targets == [w[:3] for w in want.get("targets", [])], got["id"]
        for t, w in zip(got.get("targets", []), want.get("targets", []), strict=True):
            assert {k: t.get(k) for k in _period(w[3])} == _period(w[3])
            assert t["quote"] in (FIXTURES / f"{name}.txt").read_text("utf-8")
    dated = [e for e in draft.events]
    assert len(dated) == len(expected.get("events", []))
    for want, got in zip(expected.get("events", []), dated, strict=True):
        assert got["date"] == want["date"] and got["kind"] == want["kind"]
        assert got.get("agencies", []) == want.get("agencies", [])
        assert got.get("companies", []) == want.get("companies", [])
        assert got.get("links", []) == want["links"]
        figures = [
            [f["value"], f.get("comparator", "="), f["unit"]] for f in got.get("figures", [])
        ]
        assert figures == want.get("figures", [])
    notes = [str(n) for n in draft.notes]
    for want in expected["notes"]:
        assert any(want in n for n in notes), (want, notes)
    for unwanted in expected.get("not_notes", []):
        assert not any(unwanted in n for n in notes), (unwanted, notes)


def test_every_fixture_brief_is_checked():
    assert set(BRIEFS) == set(EXPECTED) | {"seed-facts"}


def test_targets_in_prose_take_their_own_deadline_and_noise_is_no_target():
    from policygraph.ingest.quantities import mentions, when

    text = ("The plan was issued in March 2024. By 2027, China aims to cultivate at least 10 "
            "leading enterprises and raise computing power to over 300 EFLOPS. It ranks No. 1, "
            "offers one-stop services, lists 10, 000 firms; call +86 10 6512 3456.")  # fmt: skip
    found = [
        (m.value, m.comparator, m.metric, when(text, m.start, m.end, 2024)) for m in mentions(text)
    ]
    assert [(v, c, metric, w.deadline) for v, c, metric, w in found if w] == [
        (10, ">=", "leading enterprises", 2027),
        (300, ">", "computing power in EFLOPS", 2027),
    ]
    assert [v for v, *_ in found] == [10, 300, 10000]  # no rank, compound, fragment or phone
    periods = "Grow more than 20 percent over 2024–2026 and build 30 hubs during the 15th Five-Year Plan period."
    assert [when(periods, m.start, m.end).period for m in mentions(periods)] == [
        (2024, 2026),
        (2026, 2030),
    ]
    for phrase, sign in (
        ("up to", "<="),
        ("no more than", "<="),
        ("about", "~"),
        ("around", "~"),
        ("more than", ">"),
    ):
        assert mentions(f"reach {phrase} 40 sites by 2026")[0].comparator == sign
    more = "Output should top CNY 2 trillion by mid-2026; the top 10 firms rank first on 3 May."
    assert [(m.value, m.comparator, when(more, m.start, m.end, 2025).deadline)
            for m in mentions(more)] == [(2 * 10**12, ">", 2026)]  # fmt: skip


def test_held_out_briefs_of_every_layout_give_their_dated_records(registry):
    """Fixtures never tuned to: every record found at its date, and no target invented."""
    from policygraph.ingest.drafts import record_facts, scores

    for text in sorted((FIXTURES / "holdout").glob("*.txt")):
        expected = yaml.safe_load(text.with_suffix(".expected.yaml").read_text("utf-8"))
        draft = ingest(read_text(text), text.stem, registry).document()
        find = registry.agency_index.find
        measured = scores(record_facts(draft, find), record_facts(expected, find))
        hit, drafted, wanted = measured["dates"]
        assert hit == wanted == drafted, text.name
        hit, drafted, wanted = measured["targets"]
        assert hit == drafted and hit >= 0.6 * wanted, text.name


def test_every_quote_is_the_exact_source_text(registry):
    for name in BRIEFS:
        text = read_text(FIXTURES / f"{name}.txt")
        draft = ingest(text, name, registry)
        for record in [*draft.policies, *draft.events]:
            for part in record["quote"].split("\n"):
                assert part in text, (name, record["id"], part)


def _registry_only(tmp_path) -> Path:
    """A data folder with the test registry and no sources yet."""
    data = tmp_path / "data"
    (data / "sources").mkdir(parents=True)
    for f in ("agencies.yaml", "sectors.yaml", "companies.yaml"):
        (data / f).write_bytes((DATA / f).read_bytes())
    return data


def test_ingesting_twice_changes_nothing_and_a_reviewed_draft_is_one_more_graph(tmp_path):
    data = _registry_only(tmp_path)
    out = data / "sources" / "fixture.yaml"
    first = cli("ingest", FIXTURES / "toc-furniture.txt", "-o", out, "--data", data)
    assert first.returncode == 0, first.stderr
    before = out.read_bytes()
    again = cli("ingest", FIXTURES / "toc-furniture.txt", "-o", out, "--data", data, "--force")
    assert again.returncode == 0 and out.read_bytes() == before
    assert "notes for review" in first.stdout and "review: line 1:" in first.stderr
    # a draft is left out of validate and build, and both say so
    checked = cli("validate", "--data", data, "--no-shacl")
    assert checked.returncode == 0
    line = 1 + out.read_text("utf-8").splitlines().index("review: draft")
    assert f"{out}:{line}: warning: field 'review': left out, a draft" in checked.stderr
    built = cli("build", "--data", data, "--out", tmp_path / "out")
    assert built.returncode == 0, built.stderr
    assert "set review: reviewed after checking it" in built.stderr
    policies = cli("query", "SELECT (COUNT(*) AS ?n) WHERE { ?s a pg:Policy }",
                   "--store", tmp_path / "out" / "store", "--format", "csv")  # fmt: skip
    assert policies.stdout.split() == ["n", "0"]
    out.write_text(out.read_text("utf-8").replace("review: draft", "review: reviewed"), "utf-8")
    built = cli("build", "--data", data, "--out", tmp_path / "out")
    assert built.returncode == 0 and "left out" not in built.stderr, built.stderr
    graphs = cli("query", "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s a pg:Policy } }",
                 "--store", tmp_path / "out" / "store", "--format", "csv")  # fmt: skip
    assert [x for x in graphs.stdout.splitlines()[1:] if x] == [
        "https://w3id.org/policygraph/id/source/fixture"
    ]


def test_ingest_refuses_to_overwrite_without_force(tmp_path):
    out = tmp_path / "reviewed.yaml"
    out.write_text("review: reviewed\n# a person's edits\n", "utf-8")
    rows = tmp_path / "docs.csv"
    rows.write_text("标题,发布日期\n国务院关于某事的通知,2024-01-02\n", "utf-8")
    for command, given in (("ingest", FIXTURES / "toc-furniture.txt"), ("ingest-table", rows)):
        refused = cli(command, given, "-o", out)
        assert refused.returncode == 1
        assert f"{out} exists" in refused.stderr and "--force" in refused.stderr
        assert out.read_text("utf-8") == "review: reviewed\n# a person's edits\n"
    assert cli("ingest-table", rows, "-o", out, "--force").returncode == 0
    assert "\nreview: draft\n" in out.read_text("utf-8")


def test_a_review_field_other_than_draft_or_reviewed_is_an_error(tmp_path):
    data = tmp_path / "data"
    (data / "sources").mkdir(parents=True)
    for f in ("agencies.yaml", "sectors.yaml", "companies.yaml"):
        (data / f).write_bytes((DATA / f).read_bytes())
    (data / "sources" / "x.yaml").write_text(
        "review: reviewd\nsource: {id: x, title: X, publisher: P, period: 2024-01}\nitems: []\n"
    )
    checked = cli("validate", "--data", data, "--no-shacl")
    assert checked.returncode == 1
    assert "x.yaml:1: error: field 'review': must be 'draft' or 'reviewed'" in checked.stderr


def _text_pdf(lines: list[str]) -> bytes:
    """A one-page PDF whose text layer holds ``lines`` (ASCII), written by hand."""
    body = (
        "BT /F1 10 Tf 40 800 Td 12 TL "
        + " ".join(
            "(" + ln.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)") + ") '"
            for ln in lines
        )
        + " ET"
    )
    objects = [
        "<< /Type /Catalog /Pages 2 0 R >>",
        "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 4 0 R >> >> /Contents 5 0 R >>",
        "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
        f"<< /Length {len(body)} >>\nstream\n{body}\nendstream",
    ]
    out, offsets = "%PDF-1.4\n", []
    for n, obj in enumerate(objects, start=1):
        offsets.append(len(out))
        out += f"{n} 0 obj\n{obj}\nendobj\n"
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n"
    out += "".join(f"{o:010d} 00000 n \n" for o in offsets)
    out += f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n"
    return out.encode("latin-1")


def test_a_pdf_brief_is_read_through_its_text_layer(tmp_path, registry):
    lines = ["MERICS Top 5", "1. Hydrogen gets a rulebook", "At a glance: The NEA set targets for 2025:",
             "- Build at least 50 refuelling stations", "Article: Plan for Hydrogen in Transport (Link)",
             "Issuing body: NEA", "Date: April 2, 2024", "https://www.nea.gov.cn/example/hydrogen.html"]  # fmt: skip
    pdf = tmp_path / "brief.pdf"
    pdf.write_bytes(_text_pdf(lines))
    draft = ingest(read_text(pdf), "pdf", registry)
    (policy,) = draft.policies
    assert policy["issuers"] == ["NEA"] and policy["issued"] == dt.date(2024, 4, 2)
    assert [(t["value"], t["comparator"], t["deadline"]) for t in policy["targets"]] == [
        (50, ">=", 2025)
    ]
    assert policy["official_url"] == "https://www.nea.gov.cn/example/hydrogen.html"


def _blank_pdf() -> bytes:
    from io import BytesIO

    from pypdf import PdfWriter

    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    buf = BytesIO()
    writer.write(buf)
    return buf.getvalue()


BAD = {
    "empty.txt": (b"", "the file is empty"),
    "spaces.txt": (b"  \n\n ", "the file is empty"),
    "binary.txt": (bytes(range(256)) * 8, "binary file"),
    "scan.pdf": (_blank_pdf(), "no text layer"),
    "latin1.txt": ("MERICS Top 5\nDate: février 2024\n".encode("latin-1"), "not UTF-8"),
    "broken.pdf": (b"%PDF-1.4\nthis is not really a pdf", "not a readable PDF"),
}


@pytest.mark.parametrize("name", sorted(BAD))
def test_bad_input_is_refused_clearly_and_writes_nothing(name, tmp_path):
    raw, words = BAD[name]
    path = tmp_path / name
    path.write_bytes(raw)
    out = tmp_path / "out" / "draft.yaml"
    result = cli("ingest", path, "-o", out)
    assert result.returncode == 1
    assert (
        words in result.stderr
        and str(path) in result.stderr
        and "nothing was written" in result.stderr
    )
    assert not out.exists() and not out.parent.exists()


def test_ingest_table_reads_csv_and_xlsx_alike(tmp_path):
    from openpyxl import Workbook

    rows = [["标题", "发布日期", "发文字号", "链接"],
            ["国务院办公厅转发国家发展改革委等部门关于加快推进城镇环境基础设施建设指导意见的通知", "2022-01-12", "国办函〔2022〕7号", "https://www.gov.cn/x.htm"],
            ["国家计委关于印发投资项目可行性研究指南（试用版）的通知", "2002年1月18日", "计办投资〔2002〕15号", ""],
            ["关于某项工作的批复", "2021/5/6", "国函〔2021〕55号", ""],
            ["某某省关于某事的通知", "2023-01-01", "", ""]]  # fmt: skip
    csv_path = tmp_path / "docs.csv"
    csv_path.write_text("\n".join(",".join(r) for r in rows) + "\n", encoding="utf-8")
    book = Workbook()
    for r in rows:
        book.active.append(r)
    book.save(tmp_path / "docs.xlsx")
    drafts = []
    for source in ("docs.csv", "docs.xlsx"):
        out = tmp_path / f"{source}.yaml"
        result = cli("ingest-table", tmp_path / source, "-o", out)
        assert result.returncode == 0, result.stderr
        drafts.append(yaml.safe_load(out.read_text("utf-8")))
        assert (
            "the historical SDPC (国家发展计划委员会; dissolved 2003; successors: NDRC)"
            in result.stderr
        )
        assert "row 5: no issuing body found" in result.stderr
    assert drafts[0]["policies"] == drafts[1]["policies"]
    p = {x["document_number"]: x for x in drafts[0]["policies"] if "document_number" in x}
    forwarded = [x for x in drafts[0]["policies"] if x["id"].endswith("-forwarded")]
    assert [x["issuers"] for x in forwarded] == [["NDRC"]]  # 转发国家发展改革委等部门…: its own
    assert p["国办函〔2022〕7号"]["issuers"] == ["GOSC"] and p["国办函〔2022〕7号"][
        "id"
    ].startswith("gosc-2022-7-")
    assert p["计办投资〔2002〕15号"]["issuers"] == ["SDPC"]
    assert p["国函〔2021〕55号"]["issuers"] == [
        "SC"
    ]  # from the number's prefix: the title names no one
    assert p["国函〔2021〕55号"]["issued"] == dt.date(2021, 5, 6)
    bad = cli("ingest-table", csv_path, "-o", tmp_path / "x.yaml", "--title-col", "名字")
    assert (
        bad.returncode == 1
        and "no column '名字'" in bad.stderr
        and not (tmp_path / "x.yaml").exists()
    )


def test_ingest_leaves_an_earlier_draft_alone_on_bad_input(tmp_path):
    out = tmp_path / "draft.yaml"
    assert cli("ingest", FIXTURES / "apostrophe-pua.txt", "-o", out).returncode == 0
    before = snapshot(tmp_path)
    (tmp_path / "empty.txt").write_text("")
    assert cli("ingest", tmp_path / "empty.txt", "-o", out, "--force").returncode == 1
    assert snapshot(tmp_path) == {**before, "empty.txt": snapshot(tmp_path)["empty.txt"]}


def test_party_and_legislature_bodies_are_found_in_their_english_forms():
    """Briefs write the Party's and the NPC's bodies short; the registry names them in full."""
    from policygraph.ingest.mentions import finders

    agencies = finders(Registry(load(ROOT / "data", only=set())))["agency"]
    said = {
        "The CPC Central Committee and the State Council issued guidelines": ["cccpc", "sc"],
        "The General Office of the CPC Central Committee and the General Office of the State "
        "Council issued an opinion": ["cccpc-go", "gosc"],
        "The Central Committee of the CCP published a decision": ["cccpc"],
        "China's NPC Standing Committee adopted the law": ["npcsc"],
        "The Standing Committee of the NPC passed it, as did the National People's Congress "
        "Standing Committee later": ["npcsc", "npcsc"],
        "The Publicity Department of the CPC Central Committee": ["cpd"],
    }
    for text, ids in said.items():
        assert [m.id for m in agencies.find(text)] == ids, text


def test_abbreviated_months_date_entries_and_are_no_quantities(registry):
    """``Mar. 14, 2025``, ``Sept. 3``, ``Sep 9``: dates in every layout, never numbers."""
    digest = "Digest\n\nMar. 14, 2025 – The MIIT issued rules on robots.\n"
    paragraphs = ("Notes, September 2025\n\n1. Chips\nOn Sept. 3, 2025, the MIIT issued rules on "
                  "chip tools, calling for 50 domestic tools by 2027.\n\n2. Batteries\nThe NDRC "
                  "published a plan on battery recycling on Sep 9.\n")  # fmt: skip
    got = [ingest(digest, "d", registry), ingest(paragraphs, "p", registry)]
    assert [p["issued"] for d in got for p in d.policies] == [
        dt.date(2025, 3, 14), dt.date(2025, 9, 3), dt.date(2025, 9, 9)]  # fmt: skip
    assert [(t["value"], t["deadline"]) for t in got[1].policies[0]["targets"]] == [(50, 2027)]


def test_a_date_inside_a_documents_name_is_left_out_of_it(registry):
    text = ("Notes\n\n1. Digital economy\nThe State Council issued guidelines on June 18, 2025 to "
            "develop the digital economy, aiming for 500 platforms by 2026.\n")  # fmt: skip
    [policy] = ingest(text, "n", registry).policies
    assert (policy["title_en"], policy["issued"]) == (
        "Guidelines to develop the digital economy", dt.date(2025, 6, 18))  # fmt: skip


def test_a_reviewed_draft_of_labelled_fields_validates(tmp_path):
    """The fielded layout's drafts hold what the models take: a reviewed one validates."""
    data = _registry_only(tmp_path)
    out = data / "sources" / "fields.yaml"
    made = cli("ingest", FIXTURES / "fields-2025-q2.txt", "-o", out, "--data", data)
    assert made.returncode == 0, made.stderr
    out.write_text(out.read_text("utf-8").replace("review: draft", "review: reviewed"), "utf-8")
    checked = cli("validate", "--data", data, "--no-shacl")
    assert checked.returncode == 0 and "error" not in checked.stderr, checked.stderr
