"""The title parser against the issuing bodies (puborg) of the gov.cn policy library.

Rows on odd line numbers are the development half, rows on even ones the held-out half. Known
names (for runs with no separator) are the registry's and the development half's puborg only.
Bodies are compared as sets after one registry-independent spelling of short forms
(国家发展和改革委员会 = 发展改革委, 中国证监会 = 证监会, 国家 and 中国 dropped); --lenient also
takes an office (办公厅, 综合司, 秘书局…) as its ministry. Rows whose puborg ends in 等 or holds
a document number are not judged.

    python benchmarks/titles_puborg.py --half held [--lenient] [--no-known] [--show 等N]
"""

from __future__ import annotations

import argparse
import collections
import re
from pathlib import Path

import yaml

from policygraph.records.titles import issuer_from_number, parse_title

TSV = Path("/work/shared/data/gov-cn-policy-library/documents-2021-11_2026-08.tsv")
AGENCIES = Path(__file__).resolve().parents[1] / "data" / "agencies.yaml"
SHORT = [("中华人民共和国", ""), ("国家发展和改革委员会", "发展改革委"), ("住房和城乡建设部", "住房城乡建设部"),
         ("科学技术部", "科技部"), ("人力资源和社会保障部", "人力资源社会保障部"), ("卫生健康委员会", "卫生健康委"),
         ("国家市场监督管理总局", "市场监管总局"), ("金融监督管理总局", "金融监管总局"), ("应急管理部", "应急部"),
         ("中国银保监会", "银保监会"), ("中国银行保险监督管理委员会", "银保监会"), ("中国证券监督管理委员会", "证监会"),
         ("中国证监会", "证监会"), ("药品监督管理局", "药监局"), ("林业和草原局", "林草局"), ("中国民用航空局", "民航局"),
         ("中国民航局", "民航局"), ("医疗保障局", "医保局"), ("中医药管理局", "中医药局"),
         ("国务院国有资产监督管理委员会", "国资委"), ("国务院国资委", "国资委"), ("互联网信息办公室", "网信办"),
         ("中共中央组织部", "中央组织部"), ("中共中央宣传部", "中央宣传部"), ("标准化管理委员会", "标准委"),
         ("疾病预防控制局", "疾控局"), ("广播电视总局", "广电总局"), ("外汇管理局", "外汇局"),
         ("矿山安全监察局", "矿山安监局"), ("移民管理局", "移民局"), ("机关事务管理局", "国管局"),
         ("粮食和物资储备局", "粮食和储备局"), ("国家", ""), ("中国", "")]  # fmt: skip
OFFICES = re.compile(r"(办公厅|办公室|综合司|秘书局|秘书处|网站)$")


def norm(names: list[str]) -> str:
    text = "".join(names)
    for long, short in SHORT:
        text = text.replace(long, short)
    return text


def same(got: list[str], want: list[str], lenient: bool) -> bool:
    """As sets (the library's order is not the title's), or as one run (puborg may lack separators)."""
    if not got:
        return False
    if lenient:
        got, want = [OFFICES.sub("", g) for g in got], [OFFICES.sub("", w) for w in want]
    return norm(got) == norm(want) or sorted(norm([g]) for g in got) == sorted(
        norm([w]) for w in want
    )


def puborg(text: str) -> tuple[list[str], bool]:
    text = text.strip()
    partial = bool(re.search(r"等(\d+部门)?$", text))
    text = re.sub(r"等(\d+部门)?$", "", text)
    return [b for b in re.split(r"[ 、，,\u3000]+", text) if b], partial


def shape(title: str, parts) -> str:
    if "转发" in title or "批转" in title or (parts.forwarded and parts.forwarded.bodies):
        return "forwarding"
    if re.search(r"公告.{0,6}\d+号", title):
        return "numbered announcement"
    if re.match(r"[零〇一二两三四五六七八九十\d]+部门", title):
        return "N部门 (bodies unnamed)"
    if title.startswith(("关于", "《")):
        return "关于/《 (no body named)"
    if "关于" not in title:
        return "no 关于 (条例, 办法, 公告…)"
    if parts.count or re.search(r"等[^关]{0,5}关于", title):
        return "等N部门"
    return "bodies named before 关于"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--half", choices=("dev", "held"), default="dev")
    ap.add_argument("--lenient", action="store_true")
    ap.add_argument("--no-known", action="store_true")
    ap.add_argument("--show", help="print the misses of the shapes starting with this")
    args = ap.parse_args()
    lines = TSV.read_text("utf-8").splitlines()
    rows = [line.split("\t") for n, line in enumerate(lines, start=1)
            if n > 1 and (n % 2 == 1) == (args.half == "dev")]  # fmt: skip
    known = set()
    for a in yaml.safe_load(AGENCIES.read_text("utf-8"))["agencies"]:
        known.update(
            x
            for x in [a.get("name_zh"), *a.get("aliases", [])]
            if x and re.search(r"[\u4e00-\u9fff]", x)
        )
    for n, line in enumerate(lines, start=1):
        if n > 1 and n % 2 == 1:
            known.update(puborg(line.split("\t")[2])[0])
    known = {k for k in known if 2 <= len(k) <= 30 and not re.search(r"[\d〔]", k)}
    stats: dict[str, collections.Counter] = collections.defaultdict(collections.Counter)
    for row in rows:
        org, number, title = row[2], row[3], row[5]
        want, partial = puborg(org)
        parts = parse_title(title, None if args.no_known else known)
        st = stats[shape(title, parts)]
        st["n"] += 1
        if partial or re.search(r"\d", org):
            continue
        st["judged"] += 1
        got = parts.bodies
        fallback = got or issuer_from_number(number)
        st["title: bodies right"] += parts.count is None and same(got, want, args.lenient)
        st["title: lead right"] += same(got[:1], want[:1], args.lenient)
        st["title+number: bodies right"] += parts.count is None and same(
            fallback, want, args.lenient
        )
        st["title+number: lead right"] += same(fallback[:1], want[:1], args.lenient)
        if parts.count:
            st["count given"] += 1
            st["count right"] += parts.count == len(want)
        if (
            args.show
            and shape(title, parts).startswith(args.show)
            and not same(fallback[:1], want[:1], args.lenient)
        ):
            print("  miss:", title, "|", org, "|", number, "->", got, parts.count, fallback)
    total: collections.Counter = collections.Counter()
    for name, st in sorted(stats.items(), key=lambda kv: -kv[1]["n"]):
        total.update(st)
        print(_line(name, st))
    print(_line("ALL", total))


def _line(name: str, st: collections.Counter) -> str:
    judged = st["judged"] or 1
    keys = [k for k in st if k not in ("n", "judged")]
    return f"{name}: n={st['n']} judged={st['judged']} " + ", ".join(
        f"{k}={st[k]} ({100 * st[k] / judged:.0f}%)" for k in keys
    )


if __name__ == "__main__":
    main()
