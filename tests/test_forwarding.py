"""Forwarded documents, local bodies and undated rows: document tables and ingest-table drafts."""

from __future__ import annotations

import shutil

import yaml
from conftest import DATA, cli

from policygraph.graph.validate import check
from policygraph.records.localbodies import LocalBodies, _gov, relative

SIDECAR = """table:
  id: docs
  title: A list of documents
  publisher: a test
  period: 2026-01
file: docs.tsv
columns:
  date: date
  issuers: puborg
  number: pcode
  title_zh: title
  url: url
"""
ROWS = [
    ("2022-05-30", "国务院办公厅", "国办函〔2022〕39号",
     "国务院办公厅转发国家发展改革委 国家能源局关于促进新时代新能源高质量发展实施方案的通知",
     "https://www.gov.cn/zhengce/content/2022-05/30/content_5693013.htm"),
    ("2023-03-01", "广东省财政厅", "粤财预〔2023〕5号", "广东省财政厅关于印发《省级财政专项资金管理办法》的通知",
     "https://example.org/content_1.htm"),
    ("2023-04-01", "广东省乡村振兴局", "", "广东省乡村振兴局关于某工作的通知", "https://example.org/content_2.htm"),
    ("2023-05-01", "市财政局", "", "市财政局关于做好某工作的通知", "https://example.org/content_3.htm"),
    ("2023-05-02", "市财政局", "", "市财政局关于做好另一工作的通知", "https://example.org/content_4.htm"),
    ("2023-05-03", "国家中医药管理局", "", "国家中医药管理局关于印发县级中医医院项目建设管理办法的通知",
     "https://example.org/content_5.htm"),
]  # fmt: skip
GD = '  - {id: gd-pg, acronym: GD-PG, name_en: "People\'s Government of Guangdong Province", name_zh: 广东省人民政府, kind: local-government}\n'


def _data(tmp_path):
    root = tmp_path / "data"
    shutil.copytree(DATA, root)
    agencies = root / "agencies.yaml"
    agencies.write_text(agencies.read_text("utf-8").rstrip("\n") + "\n" + GD, "utf-8")
    (root / "sources" / "docs.yaml").write_text(SIDECAR, "utf-8")
    lines = ["date\tpuborg\tpcode\ttitle\turl", *("\t".join(r) for r in ROWS)]
    (root / "sources" / "docs.tsv").write_text("\n".join(lines) + "\n", "utf-8")
    return root


def _table(checked):
    return next(s for path, s in checked.data.sources.items() if path.endswith("docs.yaml"))


def test_a_forwarded_document_is_a_policy_of_its_own(tmp_path):
    checked = check(_data(tmp_path))
    assert checked.ok, [str(p) for p in checked.problems if p.severity == "error"]
    policies = {p.id: p for p in _table(checked).policies}
    notice, forwarded = policies["docs-5693013"], policies["docs-5693013-forwarded"]
    assert notice.issuers == ["gosc"] and notice.forwards == [forwarded.id]
    assert notice.forward_action == "forward"
    assert forwarded.issuers == ["ndrc", "nea"] and forwarded.document_number is None
    assert forwarded.title_zh == "关于促进新时代新能源高质量发展实施方案"
    assert forwarded.issued == notice.issued and forwarded.type == "plan"
    # 印发 + a run that only looks like a body (县级中医医院): the issuer's own document
    assert policies["docs-5"].forwards == [] and "docs-5-forwarded" not in policies


def test_forwarding_is_in_the_graph_and_the_canned_query(tmp_path):
    root = _data(tmp_path)
    result = cli("query", "forwarded", "--store", "memory", "--data", root, "--format", "csv")
    assert result.returncode == 0, result.stderr
    rows = result.stdout.strip().splitlines()
    cells = [c.rsplit("/", 1)[-1] for c in rows[-1].split(",")]
    assert len(rows) == 2 and cells[:7] == [
        "gosc", "docs-5693013", "2022-05-30", "forward", "docs-5693013-forwarded", "ndrc", "2"]  # fmt: skip
    # co-issuance counts who issued each document: NDRC and NEA issued the forwarded one together
    pairs = cli("query", "co-issuers", "-p", "agency=NEA", "--store", "memory", "--data", root)
    assert "agency:ndrc" in pairs.stdout and "agency:gosc" not in pairs.stdout
    none = cli("query", "forwarded", "-p", "agency=NDRC", "--store", "memory", "--data", root)
    assert "policy:" not in none.stdout


def test_local_bodies_are_kept_under_their_province(tmp_path):
    checked = check(_data(tmp_path))
    table = _table(checked)
    by_id = {a.id: a for a in table.agencies}
    assert by_id["gd-fin"].name_en == "Guangdong Provincial Department of Finance"
    assert by_id["gd-fin"].parent == "gd-pg" and by_id["gd-fin"].kind == "local-agency"
    unnamed = next(a for a in table.agencies if a.name_zh == "广东省乡村振兴局")
    assert unnamed.name_en == "Untranslated: 广东省乡村振兴局" and unnamed.id.startswith("gd-")
    issuers = {p.id: p.issuers for p in table.policies}
    assert issuers["docs-1"] == ["gd-fin"] and issuers["docs-2"] == [unnamed.id]


def test_relative_names_are_reported_once_per_table(tmp_path):
    checked = check(_data(tmp_path))
    about = [p for p in checked.problems if "市财政局" in p.message]
    assert len(about) == 1, [str(p) for p in about]
    assert "市财政局 (2)" in about[0].message and "2 rows" in about[0].message


def test_local_bodies_mint_only_what_they_can_place():
    bodies = LocalBodies([_gov("gd", "广东省", "People's Government of Guangdong Province"),
                          _gov("bj", "北京市", "Beijing Municipal People's Government")])  # fmt: skip
    assert bodies.mint("北京市财政局").name_en == "Beijing Municipal Finance Bureau"
    assert bodies.mint("深圳市人民政府").id == "gd-shenzhen-pg"
    assert bodies.mint("广东省人民政府办公厅") is None  # the registry's own entry
    assert bodies.mint("广东省财政厅、广东省科技厅") is None
    assert bodies.mint("杭州市财政局") is None  # Zhejiang is not in this registry
    assert bodies.mint("广东省财政厅") is bodies.mint("广东省财政厅")
    assert (
        relative("省政府办公厅") and not relative("市场监管总局") and not relative("广东省财政厅")
    )


def test_ingest_table_keeps_forwarded_local_and_undated_rows(tmp_path):
    rows = [["标题", "发布日期", "发文字号", "发文机关"],
            ["国务院批转国家计委关于1998年国民经济和社会发展计划的通知", "1998-01-10", "", ""],
            ["广东省财政厅关于某工作的通知", "", "", "广东省财政厅"],
            ["市财政局关于做好某工作的通知", "2023-05-01", "", "市财政局"],
            ["市财政局关于做好另一工作的通知", "2023-05-02", "", "市财政局"]]  # fmt: skip
    table = tmp_path / "docs.csv"
    table.write_text("\n".join(",".join(r) for r in rows) + "\n", encoding="utf-8")
    out = tmp_path / "docs.yaml"
    root = tmp_path / "data"
    shutil.copytree(DATA, root)
    agencies = root / "agencies.yaml"
    agencies.write_text(agencies.read_text("utf-8").rstrip("\n") + "\n" + GD, "utf-8")
    result = cli("ingest-table", table, "-o", out, "--data", root)
    assert result.returncode == 0, result.stderr
    draft = yaml.safe_load(out.read_text("utf-8"))
    policies = {p["id"]: p for p in draft["policies"]}
    notice = next(p for p in policies.values() if p.get("forwards"))
    forwarded = policies[notice["forwards"][0]]
    assert notice["issuers"] == ["SC"] and notice["forward_action"] == "approve-and-forward"
    assert (
        forwarded["issuers"] == ["SDPC"]
        and forwarded["title_zh"] == "关于1998年国民经济和社会发展计划"
    )
    local = next(p for p in policies.values() if p["issuers"] == ["广东省财政厅"])
    assert local["issued"] is None and "kept with issued: null" in result.stderr
    assert (
        "local agency GD-FIN under gd-pg, Guangdong Provincial Department of Finance"
        in result.stderr
    )
    assert result.stderr.count("市财政局 (2 rows)") == 1
    assert sum(p["issuers"] == ["市财政局"] for p in policies.values()) == 2
    # reviewed as written, the undated row and the unplaced bodies are errors until fixed
    text = out.read_text("utf-8").replace("review: draft", "review: reviewed")
    (root / "sources" / "docs.yaml").write_text(text, "utf-8")
    errors = [str(p) for p in check(root).problems if p.severity == "error"]
    assert any("issued" in e for e in errors) and any("市财政局" in e for e in errors)
    fixed = text.replace("issued: null", "issued: 2023-03-01").replace(
        "市财政局\n", "广东省财政厅\n"
    )
    (root / "sources" / "docs.yaml").write_text(fixed, "utf-8")
    checked = check(root)
    assert checked.ok, [str(p) for p in checked.problems if p.severity == "error"]
    built = next(s for path, s in checked.data.sources.items() if path.endswith("docs.yaml"))
    assert [a.id for a in built.agencies] == ["gd-fin"]
