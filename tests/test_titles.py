"""The official-title parser on the brief's titles and on the other common patterns."""

from __future__ import annotations

from pathlib import Path

import pytest

from policygraph.records.titles import chinese_number, issuer_from_number, parse_title, unbalanced

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
    ("国家互联网信息办公室等七部门联合公布《生成式人工智能服务管理暂行办法》",
     ["国家互联网信息办公室"], 7, "公布", "办法"),
    ("国家市场监督管理总局公布《某办法》", ["国家市场监督管理总局"], None, "公布", "办法"),
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
def test_real_official_titles(row, live_registry):
    title, bodies, count, action, doc_type, forwarded, ids = row
    parts = parse_title(title)
    got = (parts.bodies, parts.count, parts.action, parts.doc_type, parts.forwarded_bodies)
    assert got == (bodies, count, action, doc_type, forwarded)
    registry = live_registry
    for body, want in zip(bodies, ids, strict=False):
        found = registry.agency_index.find(body)
        assert found == (None if want == "-" else want), body
        if found and registry.agencies[found].dissolved:
            assert registry.agencies[found].successors, f"{body} is defunct but has no successor"


# --- the shapes of real titles, one test each -------------------------------------------------

FORWARDS = [
    # title, issuers, verb, forwarded bodies, forwarded count, forwarded title
    ("国务院办公厅转发国家发展改革委 国家能源局关于促进新时代新能源高质量发展实施方案的通知",
     ["国务院办公厅"], "转发", ["国家发展改革委", "国家能源局"], None, "关于促进新时代新能源高质量发展实施方案"),
    ("国务院批转中国人民银行《关于进一步做好金融服务工作的意见》的通知",
     ["国务院"], "批转", ["中国人民银行"], None, "关于进一步做好金融服务工作的意见"),
    ("转发财政部、中国人民银行关于加强国库现金管理的通知",
     [], "转发", ["财政部", "中国人民银行"], None, "关于加强国库现金管理"),
    ("国务院办公厅印发审计署关于加强审计工作意见的通知",
     ["国务院办公厅"], "印发", ["审计署"], None, "关于加强审计工作意见"),
    ("国务院办公厅关于转发商务部、国家发展改革委《2025年稳外资行动方案》的通知",
     ["国务院办公厅"], "转发", ["商务部", "国家发展改革委"], None, "2025年稳外资行动方案"),
    ("国务院办公厅转发国家发展改革委等六部门关于某事的意见的通知",
     ["国务院办公厅"], "转发", ["国家发展改革委"], 6, "关于某事的意见"),
    ("国务院办公厅关于转发教育部等部门“十四五”特殊教育发展提升行动计划的通知",
     ["国务院办公厅"], "转发", ["教育部"], None, "“十四五”特殊教育发展提升行动计划"),
]  # fmt: skip


@pytest.mark.parametrize(("title", "issuers", "verb", "bodies", "count", "doc"), FORWARDS)
def test_forwarding_gives_the_forwarded_document_its_own_bodies(
    title, issuers, verb, bodies, count, doc
):
    parts = parse_title(title)
    assert (parts.issuers, parts.action) == (issuers, verb)
    assert parts.forwarded is not None
    got = parts.forwarded
    assert (got.bodies, got.count, got.title) == (bodies, count, doc)
    assert parts.forwarded_bodies == bodies


@pytest.mark.parametrize(
    "title",
    [
        "国务院关于印发《某方案》的通知",
        "关于印发2024年工作要点的通知",
        "国务院办公厅印发某某实施方案",
    ],
)
def test_issuing_ones_own_document_forwards_nothing(title):
    assert parse_title(title).forwarded is None


@pytest.mark.parametrize(
    ("title", "bodies"),
    [
        ("教育部 财政部关于某事的通知", ["教育部", "财政部"]),
        ("教育部\u3000财政部关于某事的通知", ["教育部", "财政部"]),
        ("教育部、财政部、中国人民银行关于某事的通知", ["教育部", "财政部", "中国人民银行"]),
        ("国务院 中央军委关于某事的通知", ["国务院", "中央军委"]),
        ("国家发展改革委国家能源局关于某事的通知", ["国家发展改革委国家能源局"]),  # no names known
    ],
)
def test_separators(title, bodies):
    assert parse_title(title).bodies == bodies


NAMES = {
    "国家发展改革委",
    "国家能源局",
    "国家发展和改革委员会",
    "农业农村部",
    "公安部",
    "中国海警局",
}


@pytest.mark.parametrize("known", [NAMES, NAMES.__contains__, sorted(NAMES)])
def test_known_names_split_a_run_longest_first(known):
    assert parse_title("国家发展改革委国家能源局关于某事的通知", known).bodies == [
        "国家发展改革委",
        "国家能源局",
    ]
    run = "农业农村部公安部中国海警局关于开展2024年海洋伏季休渔专项执法行动的通知"
    assert parse_title(run, known).bodies == ["农业农村部", "公安部", "中国海警局"]
    # a run with an unknown part is left whole rather than cut wrongly
    assert parse_title("农业农村部某某委关于某事的通知", known).bodies == ["农业农村部某某委"]


@pytest.mark.parametrize(
    ("title", "bodies", "count"),
    [
        ("国家发展改革委等六个部门关于某事的通知", ["国家发展改革委"], 6),
        ("商务部等9部门关于某事的通知", ["商务部"], 9),
        ("商务部等9部门办公厅（室）关于印发《某指南》的通知", ["商务部办公厅"], 9),
        ("两部门关于某事的通知", [], 2),
        ("三部门关于某事的通知", [], 3),
        ("国家发展改革委等部门关于某事的通知", ["国家发展改革委"], None),
    ],
)
def test_declared_counts(title, bodies, count):
    parts = parse_title(title)
    assert (parts.bodies, parts.count) == (bodies, count)


@pytest.mark.parametrize(
    ("title", "number", "status", "bodies", "doc_type"),
    [
        ("发改经体〔2016〕2120号《关于某项工作的意见》", "发改经体〔2016〕2120号", None, [], "意见"),
        ("国发〔2016〕5号 国务院关于某事的通知", "国发〔2016〕5号", None, ["国务院"], "通知"),
        ("国务院关于某事的通知（国发〔2016〕5号）", "国发〔2016〕5号", None, ["国务院"], "通知"),
        ("[有效]国务院关于某事的通知", None, "有效", ["国务院"], "通知"),
        ("【失效】国务院关于某事的通知", None, "失效", ["国务院"], "通知"),
        ("国务院关于某事的通知（已废止）", None, "已废止", ["国务院"], "通知"),
        ("海关总署公告2014年第30号（关于某事的公告）", "2014年第30号", None, ["海关总署"], "公告"),
        ("中国人民银行 国家发展改革委 金融监管总局公告〔2025〕第29号", "〔2025〕第29号", None,
         ["中国人民银行", "国家发展改革委", "金融监管总局"], "公告"),
        ("中华人民共和国工业和信息化部公告（2023年第29号）", "2023年第29号", None,
         ["中华人民共和国工业和信息化部"], "公告"),
        ("国家知识产权局公告 第四七二号", "第四七二号", None, ["国家知识产权局"], "公告"),
    ],
)  # fmt: skip
def test_numbers_and_status_tags_are_taken_off(title, number, status, bodies, doc_type):
    parts = parse_title(title)
    assert (parts.number, parts.status, parts.bodies, parts.doc_type) == (
        number,
        status,
        bodies,
        doc_type,
    )


@pytest.mark.parametrize(
    ("title", "bodies", "doc_type"),
    [
        ("国务院对国家发展改革委关于某事的请示的批复", ["国务院"], "批复"),
        ("国务院办公厅印发某某实施方案", ["国务院办公厅"], "实施方案"),
        ("工业和信息化部公告", ["工业和信息化部"], "公告"),
        ("国家林业和草原局公告（我国新增18处国际重要湿地）", ["国家林业和草原局"], "公告"),
        ("中华人民共和国网络安全法实施条例", [], "条例"),
        ("对外贸易经济合作部关于某事的通知", ["对外贸易经济合作部"], "通知"),
        ("中国人民银行发布《动产和权利担保统一登记办法》", ["中国人民银行"], "办法"),
        ("2023年交通运输更贴近民生实事", [], None),
    ],
)
def test_titles_without_the_usual_shape(title, bodies, doc_type):
    parts = parse_title(title)
    assert (parts.bodies, parts.doc_type) == (bodies, doc_type)


def test_guanyu_inside_book_marks_is_not_the_boundary():
    parts = parse_title("国务院办公厅印发《关于推进某事的意见》的通知")
    assert parts.bodies == ["国务院办公厅"]
    assert parts.inner_title == "关于推进某事的意见"
    assert parts.forwarded is None
    assert parse_title("关于印发《关于推进某事的意见》的通知").bodies == []


def test_two_book_titles_are_read_one_by_one():
    parts = parse_title(
        "国家发展改革委 中国人民银行关于印发《目录（2026年版）》和《清单（2026年版）》的通知"
    )
    assert parts.inner_title == "目录（2026年版）"
    assert parts.bodies == ["国家发展改革委", "中国人民银行"]


@pytest.mark.parametrize(
    "title",
    [
        "国务院办公厅关于印发《“互联网＋”行动计划(2024—2026年)》的通知",
        "国务院办公厅关于印发《“互联网+”行动计划（2024-2026年）》的通知",
        "国务院办公厅关于印发《“互联网＋”行动计划（2024－2026年)》的通知",
    ],
)
def test_mixed_widths(title):
    parts = parse_title(title)
    assert (parts.bodies, parts.action, parts.doc_type, parts.inner_doc_type) == (
        ["国务院办公厅"],
        "印发",
        "通知",
        "行动计划",
    )


@pytest.mark.parametrize(
    ("number", "bodies"),
    [
        ("国发〔2024〕7号", ["国务院"]),
        ("国令第843号", ["国务院"]),
        ("国办发〔2025〕24号", ["国务院办公厅"]),
        ("国办函〔2026〕71号", ["国务院办公厅"]),
        ("发改环资〔2024〕970号", ["国家发展和改革委员会"]),
        ("发改办环资〔2024〕1号", ["国家发展和改革委员会办公厅"]),
        ("工信部联规〔2026〕186号", ["工业和信息化部"]),
        ("工信厅通装函〔2025〕155号", ["工业和信息化部办公厅"]),
        ("财教〔2023〕54号", ["财政部"]),
        ("教基厅函〔2026〕5号", ["教育部办公厅"]),
        ("国科发资〔2024〕1号", ["科学技术部"]),
        ("人社部发〔2024〕57号", ["人力资源和社会保障部"]),
        ("银发〔2024〕1号", ["中国人民银行"]),
        ("商流通函〔2026〕306号", ["商务部"]),
        ("环综合〔2025〕1号", ["生态环境部"]),
        ("国能发规划〔2024〕1号", ["国家能源局"]),
        ("交规划发〔2022〕7号", ["交通运输部"]),
        ("农办牧〔2023〕21号", ["农业农村部办公厅"]),
        ("国卫药政发〔2026〕10号", ["国家卫生健康委员会"]),
        ("国市监质发〔2023〕92号", ["国家市场监督管理总局"]),
        ("民航发〔2022〕7 号", ["中国民用航空局"]),
        ("民发〔2024〕52号", ["民政部"]),
        ("海关总署公告2014年第30号", ["海关总署"]),
        ("证监会公告〔2025〕13号", ["中国证券监督管理委员会"]),
        ("财政部 税务总局公告2024年第2号", ["财政部", "国家税务总局"]),
        ("2024年第39号", []),
        ("", []),
    ],
)
def test_issuer_from_number(number, bodies):
    assert issuer_from_number(number) == bodies


def test_huge_or_hostile_input_parses():
    """Linear-time parsing: no regular expression backtracks over untrusted text."""
    assert parse_title("《" * 5_000_000).bodies == []  # far past any title's length
    for hostile in ("《" * 1999, "国务院" + "（" * 1990 + "关于", "关于" * 999, "1" * 1990 + "部门关于",
                    "对" * 1999, "国务院公告" + "第" * 1990, "国发〔" * 600, "等" * 1999 + "部门关于"):  # fmt: skip
        assert parse_title(hostile).title
    assert issuer_from_number("国" * 5_000_000) == []
