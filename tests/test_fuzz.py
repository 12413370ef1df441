"""Property-based fuzzing of every ingestion parser: arbitrary or truncated input never raises,
and a mangled brief still gives a partial draft with a report."""

from __future__ import annotations

from pathlib import Path

from conftest import DATA
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from policygraph.errors import IngestError
from policygraph.ingest import briefs as ingest
from policygraph.ingest import chinese, digest, doclist, quantities, segment, wording
from policygraph.ingest.intake import read_rows, read_text
from policygraph.records import titles
from policygraph.records.load import load
from policygraph.records.registry import Registry

FIXTURES = Path(__file__).parent / "fixtures" / "briefs"
BRIEF = "".join(
    (FIXTURES / f"{name}.txt").read_text("utf-8")
    for name in (
        "toc-furniture",
        "apostrophe-pua",
        "top5-no-article",
        "digest-2024-03",
        "zh-2024-05",
    )
)
LINES = BRIEF.splitlines()
# text made of the pieces briefs are made of, so that fuzzing reaches deep into the parsers
PIECES = st.sampled_from([*LINES, "MERICS TOP 5", "NOTEWORTHY", "Policy news", "• ", "\uf0a1 ",
                          "(Link)", "关于印发《", "》的通知", "等十二部门", "（", "）", "“", "”", "by 2027",
                          "at least", "five million", "2024-2026", "Date: ", "Article: ", "\n", " ", "一、", "【政策】",
                          "到2027年", "不少于10家", "左右", "、", "2024年3月12日", "12 March 2024 – ",
                          "No. 1", "one-stop", "10, 000", "+86 10 6512 3456", "Ministry of "])  # fmt: skip
BRIEFISH = st.lists(st.one_of(PIECES, st.text(max_size=20)), max_size=60).map("".join)
SETTINGS = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@SETTINGS
@given(st.one_of(st.text(), BRIEFISH))
def test_text_parsers_never_raise(text):
    titles.parse_title(text)
    titles.unbalanced(text)
    titles.chinese_number(text)
    quantities.mentions(text)
    quantities.deadline(text)
    quantities.period(text, 2024)
    quantities.year_of(text)
    ingest.split_article(text)
    ingest.date_of(text)
    ingest.declared_count(text)
    ingest.doc_type(text, text)
    doclist.parse_number(text)
    doclist.parse_date(text)
    segment.segment(text)
    for m in quantities.mentions(text):
        quantities.when(text, m.start, m.end, 2024)
    quantities.times(text)
    quantities.noun_phrase(text)
    wording.unknown_names(text, lambda name: False)
    digest.digest_segments(text)
    chinese.zh_segments(text)
    chinese.zh_times(text)
    chinese.zh_date(text, 2024)
    for m in chinese.zh_mentions(text):
        chinese.zh_when(text, m.start, 2024)


@SETTINGS
@given(BRIEFISH)
def test_any_brief_like_text_gives_a_draft(text):
    draft = ingest.ingest(text, "fuzz", REGISTRY)
    for record in [*draft.policies, *draft.events]:
        assert record["id"] and record["item"]


@SETTINGS
@given(st.data())
def test_a_mangled_brief_gives_a_partial_draft_and_a_report(data):
    lines = list(LINES)
    for _ in range(data.draw(st.integers(1, 8))):
        if lines:
            del lines[data.draw(st.integers(0, len(lines) - 1))]
    text = "\n".join(lines)
    text = text[: data.draw(st.integers(len(text) // 3, len(text)))]
    draft = ingest.ingest(text, "mangled", REGISTRY)
    assert draft.items or draft.notes  # something was placed, or the report says why not
    for record in [*draft.policies, *draft.events]:
        for part in record["quote"].split("\n"):
            assert part in text


def read_or_refused(reader, folder, name: str, raw: bytes) -> None:
    """``reader`` reads ``raw`` or refuses it with an IngestError naming the file; nothing else."""
    path = folder / name
    path.write_bytes(raw)
    try:
        reader(path)
    except IngestError as exc:
        assert str(path) in str(exc)


@SETTINGS
@given(st.binary(max_size=2000), st.sampled_from(["input.txt", "input.pdf", "input"]))
def test_any_bytes_are_read_or_refused_clearly(tmp_path_factory, raw, name):
    read_or_refused(read_text, tmp_path_factory.mktemp("fuzz"), name, raw)


@SETTINGS
@given(
    st.binary(max_size=2000),
    st.lists(st.lists(st.one_of(PIECES, st.text(max_size=30)), min_size=4, max_size=4), max_size=8),
)
def test_any_table_is_read_or_refused_and_any_rows_give_a_draft(tmp_path_factory, raw, cells):
    read_or_refused(read_rows, tmp_path_factory.mktemp("fuzz"), "table.csv", raw)
    read_or_refused(read_rows, tmp_path_factory.mktemp("fuzz"), "table.xlsx", raw)
    header = ["标题", "发布日期", "发文字号", "链接"]
    rows = [dict(zip(header, row, strict=True)) for row in cells]
    cols = doclist.columns(header, {})
    draft = doclist.ingest_table(rows, cols, REGISTRY, "fuzz")
    assert len(draft.policies) + sum("left out" in str(n) for n in draft.notes) == len(rows)


REGISTRY = Registry(load(DATA, only=set()))
