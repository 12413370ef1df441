"""split_issuers on real cells of the gov.cn policy library's 发文机关 column, against data/."""

from __future__ import annotations

from pathlib import Path

import pytest

from policygraph.records.issuers import split_issuers
from policygraph.records.load import load
from policygraph.records.registry import Registry

DATA = Path(__file__).resolve().parents[1] / "data"


@pytest.fixture(scope="module")
def registry() -> Registry:
    data = load(DATA, only=set())
    reg = Registry(data)
    reg.check()
    assert not [p for p in data.problems if p.severity == "error"]
    return reg


# (cell as published, ids lead first)
PLAIN = [
    ("国务院", ["sc"]),
    ("工业和信息化部、应急管理部", ["miit", "mem"]),
    ("国务院、中央军委", ["sc", "cmc"]),
    ("国家卫生健康委，国家中医药局，国家疾控局", ["nhc", "natcm", "ndcpa"]),
    ("交通运输部 国家铁路局 中国民用航空局 国家邮政局", ["mot", "nra", "caac", "spb"]),
    ("财政部\u3000税务总局", ["mof", "sta"]),
    ("银保监会 人民银行", ["cbirc", "pbc"]),
    # short forms of the table
    (
        "财政部 农业农村部 国家乡村振兴局 发展改革委 民委 林草局",
        ["mof", "mara", "nrra", "ndrc", "neac", "nfga"],
    ),
    ("住房城乡建设部 人力资源社会保障部 市场监管总局", ["mohurd", "mohrss", "samr"]),
    # offices and departments of a ministry are bodies of their own
    ("国家发展改革委办公厅 工业和信息化部办公厅 财政部办公厅", ["ndrc-go", "miit-go", "mof-go"]),
    ("中央网信办秘书局 工业和信息化部办公厅", ["cac-s", "miit-go"]),
    ("网信办秘书局", ["cac-s"]),
    ("国家卫生健康委办公厅 国家中医药局综合司", ["nhc-go", "natcm-ga"]),
    ("金融监管总局财险司", ["nfra-pisd"]),
    # Party, military, courts, joint mechanisms, enterprises
    ("中央宣传部 中央网信办", ["cpd", "cac"]),
    (
        "中医药局 卫生健康委 发展改革委 教育部 财政部 人力资源社会保障部 文化和旅游部 医保局 药监局 "
        "中央军委后勤保障部卫生局",
        ["natcm", "nhc", "ndrc", "moe", "mof", "mohrss", "mct", "nhsa", "nmpa", "cmc-lsd-hb"],
    ),
    ("最高人民法院 最高人民检察院 公安部 安全部", ["spc", "spp", "mps", "mss"]),
    ("国务院应对新型冠状病毒感染肺炎疫情联防联控机制", ["jpcm"]),
    ("国务院应对新型冠状病毒感染疫情联防联控机制", ["jpcm"]),
    ("农业农村部 中国石油 中国石化", ["mara", "cnpc", "sinopec"]),
    ("国家移民局（中国出入境管理局）", ["nia"]),
    ("中国企业联合会/中国企业家协会办公室", ["cec-ceda-o"]),
]


@pytest.mark.parametrize("cell, ids", PLAIN)
def test_plain_cells(registry, cell, ids):
    split = split_issuers(cell, registry)
    assert split.ids == ids
    assert split.complete and not split.notes and split.declared_count is None


@pytest.mark.parametrize(
    "cell, ids, count",
    [
        ("商务部等9部门", ["mofcom"], 9),
        ("工业和信息化部等十七部门", ["miit"], 17),
        ("工业和信息化部等15部门", ["miit"], 15),
        ("生态环境部等5个部门", ["mee"], 5),
        ("国家网信办等", ["cac"], None),
        ("工业和信息化部办公厅等", ["miit-go"], None),
        ("国家疾控局综合司等", ["ndcpa-ga"], None),
    ],
)
def test_trailing_etc(registry, cell, ids, count):
    split = split_issuers(cell, registry)
    assert (split.ids, split.declared_count, split.open_ended) == (ids, count, True)
    assert split.complete


def test_no_separator(registry):
    cell = (
        "商务部 中央网信办 国家发展改革委 公安部 财政部 人力资源社会保障部文化和旅游部 市场监管总局"
    )
    split = split_issuers(cell, registry)
    assert split.ids == ["mofcom", "cac", "ndrc", "mps", "mof", "mohrss", "mct", "samr"]
    assert split.notes == ["'人力资源社会保障部文化和旅游部' names 2 bodies without a separator"]


@pytest.mark.parametrize(
    "cell, ids",
    [("财政部网站", ["mof"]), ("海关总署网站", ["gacc"]), ("金融监管总局网站", ["nfra"])],
)
def test_website(registry, cell, ids):
    split = split_issuers(cell, registry)
    assert split.ids == ids and split.complete
    assert "website" in split.notes[0]


@pytest.mark.parametrize(
    "cell, ids",
    [
        ("力资源社会保障部 工业和信息化部 国资委", ["mohrss", "miit", "sasac"]),
        ("国家发展改革委办公 工业和信息化部办公厅 财政部办公厅 市场监管总局办公厅",
         ["ndrc-go", "miit-go", "mof-go", "samr-go"]),
        ("工业和信息化部 商务部 国家卫生健康委 国家医保局 国家数据 国家中医药局 国家药监局",
         ["miit", "mofcom", "nhc", "nhsa", "nda", "natcm", "nmpa"]),
    ],
)  # fmt: skip
def test_missing_character(registry, cell, ids):
    split = split_issuers(cell, registry)
    assert split.ids == ids and split.complete
    assert len(split.notes) == 1 and "lacks a first or last character" in split.notes[0]


@pytest.mark.parametrize(
    "cell", ["国市监质发〔2024〕97号", "文旅资源发〔2024〕47号", "商服贸函2026年第322号"]
)
def test_document_number(registry, cell):
    split = split_issuers(cell, registry)
    assert split.ids == []
    assert split.unresolved == [(cell, "a document number, not a body")]


@pytest.mark.parametrize(
    "cell, ids, left",
    [
        # 民政局 is a local bureau's name: one character from 民政部, but not a missing one
        ("市场监管总局 网信办 发展改革委 民政局 财政部", ["samr", "cac", "ndrc", "mof"], "民政局"),
        ("全国知识产权宣传周活动组委会主任单位 国家知识产权局 中央宣传部 市场监管总局",
         ["cnipa", "cpd", "samr"], "全国知识产权宣传周活动组委会主任单位"),
        ("财政部 某某委员会", ["mof"], "某某委员会"),
        ("部", [], "部"),  # a one-character repair fits many names: never guess
    ],
)  # fmt: skip
def test_unresolved_is_reported_not_guessed(registry, cell, ids, left):
    split = split_issuers(cell, registry)
    assert split.ids == ids
    assert [piece for piece, _ in split.unresolved] == [left]


def test_parent_written_as_start_of_child_is_refused(registry):
    # 国务院 + 台湾办: the State Council, or its Taiwan Affairs Office (国务院台湾事务办公室) alone?
    split = split_issuers("国务院台湾办", registry)
    assert split.ids == [] and split.unresolved[0][0] == "国务院台湾办"
    # a parent and a child whose names do not overlap are two bodies
    assert split_issuers("国家发展改革委国家能源局", registry).ids == ["ndrc", "nea"]


def test_duplicates_are_kept_once(registry):
    split = split_issuers("财政部 税务总局 国家税务总局", registry)
    assert split.ids == ["mof", "sta"]
    assert split.notes == ["STA is named twice"]


def test_historical_bodies_resolve_to_their_own_records(registry):
    split = split_issuers("建设部、农业部、文化部、铁道部、银监会、保监会、国家科委", registry)
    assert split.ids == ["moc", "moa", "mcprc", "mor", "cbrc", "circ", "sstc"]
    assert registry.agencies["mor"].successors == ["mot", "nra", "china-railway"]
    assert registry.agencies["cbirc"].successors == ["nfra"]


def test_empty_cell(registry):
    split = split_issuers("  ", registry)
    assert split.ids == [] and split.complete


@pytest.mark.parametrize(
    "cell", ["工业和信息化部/国家发展改革委", "工业和信息化部｜国家发展改革委",
             "工业和信息化部和国家发展改革委", "工业和信息化部与国家发展改革委",
             "工业和信息化部及国家发展改革委"],
)  # fmt: skip
def test_slashes_bars_and_conjunctions_between_whole_names_separate_bodies(registry, cell):
    assert split_issuers(cell, registry).ids == ["miit", "ndrc"]


@pytest.mark.parametrize(
    ("cell", "ids", "open_ended"),
    [("Ministry of Finance; State Taxation Administration", ["mof", "sta"], False),
     ("Ministry of Finance and State Taxation Administration", ["mof", "sta"], False),
     ("the Ministry of Commerce and the General Administration of Customs", ["mofcom", "gacc"], False),
     ("MIIT & NDRC, MOF et al.", ["miit", "ndrc", "mof"], True),
     ("Ministry of Industry and Information Technology", ["miit"], False),
     ("Ministry of Industry and Information Technology and Ministry of Finance", ["miit", "mof"], False)],
)  # fmt: skip
def test_english_cells_split_at_separators_and_at_and_between_names(
    registry, cell, ids, open_ended
):
    split = split_issuers(cell, registry)
    assert (split.ids, split.open_ended, split.unresolved) == (ids, open_ended, [])


def test_an_unknown_english_name_is_reported_and_a_long_cell_is_read_once(registry):
    assert split_issuers("MOF, Ministry of Magic", registry).unresolved == [
        ("Ministry of Magic", "not a name in the agency registry")]  # fmt: skip
    assert split_issuers(" and ".join(["MOF"] * 20_000), registry).ids == ["mof"]
