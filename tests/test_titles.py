"""The official-title parser on the brief's titles and on the other common patterns."""

from __future__ import annotations

from pathlib import Path

import pytest

from policygraph.records.registry import Registry
from policygraph.records.titles import chinese_number, parse_title, unbalanced

CASES = [
    # title, bodies, count, action, doc_type
    ("工业和信息化部关于印发《工业领域数据安全能力提升实施方案（2024-2026年）》的通知",
     ["工业和信息化部"], None, "印发", "通知"),
    ("工业和信息化部等十二部门关于印发《工业互联网标识解析体系“贯通”行动计划（2024-2026年）》的通知",
     ["工业和信息化部"], 12, "印发", "通知"),
    ("两部门关于公布“宽带网络+健康乡村”入围应用试点项目（第一批）的通知", [], 2, "公布", "通知"),
    ("脑机接口研究伦理指引", [], None, None, "指引"),
    ("人力资源社会保障部等七部门关于实施高技能领军人才培育计划的通知", ["人力资源社会保障部"], 7, "实施", "通知"),
    ("国务院办公厅转发国家发展改革委等部门关于加快推进城镇环境基础设施建设的指导意见",
     ["国务院办公厅"], None, "转发", "意见"),
    ("国务院批转国家计委关于某项工作的报告的通知", ["国务院"], None, "批转", "通知"),
    ("中共中央 国务院印发《质量强国建设纲要》", ["中共中央", "国务院"], None, "印发", "纲要"),
    ("教育部、财政部关于做好某项工作的通知", ["教育部", "财政部"], None, "做好", "通知"),
]  # fmt: skip


@pytest.mark.parametrize(("title", "bodies", "count", "action", "doc_type"), CASES)
def test_parse_title(title, bodies, count, action, doc_type):
    parts = parse_title(title)
    assert (parts.bodies, parts.count, parts.action, parts.doc_type) == (
        bodies,
        count,
        action,
        doc_type,
    )


def test_line_breaks_inside_a_title_are_debris():
    broken = "工业和信息化部关于印发《工业领域数据安全能力提升实施方案\n\n（2024-2026 年）》的通知"
    assert parse_title(broken).inner_title == "工业领域数据安全能力提升实施方案（2024-2026年）"


def test_forwarded_bodies():
    parts = parse_title(CASES[5][0])
    assert parts.forwarded_bodies == ["国家发展改革委"]


@pytest.mark.parametrize("title", ["《方案", "方案》", "（《方案）》", "“贯通”）", "”贯通”"])
def test_unbalanced(title):
    assert unbalanced(title)


@pytest.mark.parametrize("title", [c[0] for c in CASES])
def test_balanced(title):
    assert unbalanced(title) is None


@pytest.mark.parametrize(
    ("text", "n"),
    [("一", 1), ("两", 2), ("十", 10), ("十二", 12), ("二十一", 21), ("²", None), ("12", 12)],
)
def test_chinese_number(text, n):
    assert chinese_number(text) == n


def _official_titles():
    path = Path(__file__).parent / "fixtures" / "official_titles.tsv"
    rows = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.startswith("#") or not line.strip():
            continue
        title, bodies, count, action, doc_type, forwarded, ids = (line.split("\t") + [""] * 7)[:7]
        rows.append((title, [b for b in bodies.split("|") if b], int(count) if count else None,
                     action or None, doc_type or None, [f for f in forwarded.split("|") if f],
                     [i for i in ids.split("|") if i]))  # fmt: skip
    return rows


OFFICIAL = _official_titles()


def test_at_least_forty_real_titles_of_every_kind():
    assert len(OFFICIAL) >= 40
    assert any(r[2] for r in OFFICIAL) and any(r[5] for r in OFFICIAL)  # 等N部门; 转发/批转
    assert {"转发", "批转"} <= {r[3] for r in OFFICIAL}
    assert any(len(r[1]) > 1 for r in OFFICIAL) and any("省" in r[0] for r in OFFICIAL)


@pytest.mark.parametrize("row", OFFICIAL, ids=[r[0][:24] for r in OFFICIAL])
def test_real_official_titles(row, checked):
    title, bodies, count, action, doc_type, forwarded, ids = row
    parts = parse_title(title)
    got = (parts.bodies, parts.count, parts.action, parts.doc_type, parts.forwarded_bodies)
    assert got == (bodies, count, action, doc_type, forwarded)
    registry = Registry(checked.data)
    for body, want in zip(bodies, ids, strict=False):
        found = registry.agency_index.find(body)
        assert found == (None if want == "-" else want), body
        if found and registry.agencies[found].dissolved:
            assert registry.agencies[found].successors, f"{body} is defunct but has no successor"
