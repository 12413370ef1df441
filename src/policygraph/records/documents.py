"""One row of a list of official documents → the fields of a policy, and what was uncertain.

Shared by the build's document tables (``doctable``) and ``policygraph ingest-table``: the
issuing bodies come from the issuers column (split with :func:`split_issuers`), else from the
title, else from the document number's prefix; the document number is kept as published and
normalised for matching; the type is read from the title.

>>> normalise_number("工信厅联网安函〔 2023 〕360号"), normalise_number("民航发[2022]7 号")
('工信厅联网安函〔2023〕360号', '民航发〔2022〕7号')
>>> parse_number("国办发﹝2023﹞12号")
DocNumber(prefix='国办发', year=2023, serial=12)
>>> document_type(None, "两部门关于印发《安全应急装备产业发展“十五五”规划》的通知")
'plan'
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

from policygraph.records.docnumbers import issuer_from_number
from policygraph.records.issuers import DOC_NUMBER, split_issuers
from policygraph.records.localbodies import relative
from policygraph.records.registry import Registry
from policygraph.records.titles import TitleParts, chinese_number, parse_title

TYPES_ZH = {"实施方案": "plan", "行动计划": "action-plan", "方案": "plan", "规划": "plan", "计划": "plan",
            "指引": "guideline", "指南": "guideline", "意见": "opinion", "办法": "measures",
            "条例": "regulation", "规定": "regulation", "决定": "decision", "名单": "list",
            "目录": "list", "清单": "list", "法": "law", "标准": "standard", "通知": "notice",
            "纲要": "plan", "要点": "plan", "措施": "measures", "细则": "measures", "名录": "list",
            "规则": "regulation", "令": "regulation", "解释": "regulation", "准则": "guideline",
            "批复": "decision", "决议": "decision"}  # fmt: skip
TYPES_EN = [("action plan", "action-plan"), ("regulation", "regulation"), ("provisions", "regulation"),
            ("guideline", "guideline"),
            ("guidance", "opinion"), ("instruction", "opinion"), ("opinion", "opinion"),
            ("measures", "measures"), ("list", "list"), ("catalog", "list"), ("law", "law"),
            ("decision", "decision"), ("standard", "standard"), ("plan", "plan"),
            ("notice", "notice"), ("announcement", "list")]  # fmt: skip
OPEN = "〔﹝[【(（"
CLOSE = "〕﹞]】)）"
NUMBER = re.compile(r"^(?P<prefix>[^〔\d]{1,30}?)〔(?P<year>\d{4})〕第?(?P<serial>\d{1,6})号$")
ANNOUNCEMENT = re.compile(
    r"(?P<year>\d{4}|[〇零一二三四五六七八九]{4})年\s*第\s*(?P<serial>[\d〇零一二两三四五六七八九十百千]+)\s*号"
)
URL = re.compile(r"^https?://[^\s<>\"{}|\\^`\x00-\x1f\x7f]+$")


@dataclass(frozen=True)
class DocNumber:
    """A document number's issuing-body prefix, year and serial."""

    prefix: str
    year: int
    serial: int


def normalise_number(text: str | None) -> str | None:
    """A document number in one form for matching: 〔〕 brackets, no spaces; None if empty."""
    text = re.sub(r"\s+", "", text or "")
    if not text:
        return None
    return text.translate(str.maketrans(OPEN, "〔" * len(OPEN))).translate(
        str.maketrans(CLOSE, "〕" * len(CLOSE))
    )


def parse_number(text: str | None) -> DocNumber | None:
    """The prefix, year and serial of a number such as 国办发〔2023〕12号 or 公告2024年第11号."""
    key = normalise_number(text)
    if key is None:
        return None
    m = NUMBER.match(key)
    if m:
        return DocNumber(m["prefix"], int(m["year"]), int(m["serial"]))
    m = ANNOUNCEMENT.search(key)
    if m:
        year = m["year"] if m["year"].isdigit() else "".join(str(_digit(c)) for c in m["year"])
        serial = int(m["serial"]) if m["serial"].isdigit() else chinese_number(m["serial"])
        if serial is not None:
            return DocNumber(key[: m.start()].rstrip("公告令第"), int(year), serial)
    return None


def _digit(ch: str) -> int:
    return "〇一二三四五六七八九".index(ch) if ch in "〇一二三四五六七八九" else 0


def parse_date(text: str | None) -> dt.date | None:
    """2023-03-01, 2023/3/1, 2023.3.1 or 2023年3月1日; None if not a real date."""
    m = re.match(r"^\s*(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?", text or "")
    if not m:
        return None
    try:
        return dt.date(int(m[1]), int(m[2]), int(m[3]))
    except ValueError:
        return None


def chinese_quotes(title: str) -> str:
    """Quotes in a Chinese title, paired as “…” however the source wrote them."""
    out, opened = [], False
    for ch in title:
        if ch in '“”"＂':
            out.append("”" if opened else "“")
            opened = not opened
        else:
            out.append(ch)
    return "".join(out)


def document_type(title_en: str | None, title_zh: str | None) -> str:
    """The policy's document type: the attached document's where a notice carries one."""
    if title_zh and re.search("名单|入围", title_zh):
        return "list"
    if title_zh:
        parts = parse_title(title_zh)
        for candidate in (
            parts.inner_doc_type,
            parts.doc_type if not parts.inner_doc_type else None,
        ):
            if candidate in TYPES_ZH and (candidate != "通知" or not parts.inner_title):
                return TYPES_ZH[candidate]
    low = (title_en or "").lower()
    return next((t for word, t in TYPES_EN if word in low), "notice")


#: the title's verb → how the notice passes the document on (``pg:forwardAction``)
FORWARD_ACTIONS = {"转发": "forward", "批转": "approve-and-forward", "印发": "issue"}


@dataclass
class Forwarded:
    """The document of other bodies that a notice forwards: a policy of its own."""

    title: str
    issuers: list[str]  # agency ids, lead first
    declared: int | None
    action: str  # forward, approve-and-forward, issue


@dataclass
class Row:
    """What one row gives: the issuers found, the fields of a policy, and notes for review."""

    issuers: list[str] = field(default_factory=list)  # agency ids, lead first
    declared: int | None = None
    number: str | None = None  # as published
    notes: list[tuple[str, str]] = field(default_factory=list)  # (field, message)
    unresolved: list[tuple[str, str]] = field(default_factory=list)  # (piece, reason)
    relative: list[str] = field(default_factory=list)  # bodies of an unnamed place (市财政局)
    forwarded: Forwarded | None = None


def forwarded_of(registry: Registry, parts: TitleParts | None) -> Forwarded | None:
    """The forwarded document of a title whose bodies all resolve; None if there is none."""
    inner = parts.forwarded if parts else None
    if inner is None or not inner.bodies or not inner.title or parts.action not in FORWARD_ACTIONS:
        return None
    ids = [registry.agency_id(b) for b in inner.bodies]
    if not all(ids):
        return None  # 印发县级中医医院…: read as bodies, but not bodies the registry knows
    ids = list(dict.fromkeys(ids))  # type: ignore[arg-type]
    declared = inner.count if inner.count and inner.count >= len(ids) else None
    return Forwarded(inner.title, ids, declared, FORWARD_ACTIONS[parts.action])  # type: ignore[index]


def issuers_of(registry: Registry, title: str, written: str, number: str) -> Row:
    """The issuing bodies of a row: its issuers column, else its title, else its number."""
    row = Row(number=number.strip() or None)
    if written.strip():
        split = split_issuers(written, registry)
        if not split.ids and split.unresolved and DOC_NUMBER.search(written) and number.strip():
            swapped = split_issuers(number, registry)  # the body and the number swapped columns
            if swapped.ids:
                row.notes.append(("issuers", f"the issuers column holds a document number "
                                             f"({written!r}) and the number column the body"))  # fmt: skip
                split, row.number = swapped, written.strip()
        row.issuers, row.declared = split.ids, split.declared_count
        row.notes += [("issuers", n) for n in split.notes]
        row.relative = [piece for piece, _ in split.unresolved if relative(piece)]
        row.unresolved = [(p, why) for p, why in split.unresolved if p not in row.relative]
    parts = parse_title(title, registry.agency_index.find) if title else None
    if not row.issuers and parts and parts.bodies:
        found = [registry.agency_id(b) for b in parts.bodies]
        row.issuers = list(dict.fromkeys(f for f in found if f))
        row.relative += [b for b in parts.bodies if relative(b) and b not in row.relative]
        if row.issuers:
            row.notes.append(("issuers", "issuers read from the title"))
    if not row.issuers and row.number:
        found = [registry.agency_id(b) for b in issuer_from_number(row.number)]
        row.issuers = [f for f in found if f]
        if row.issuers:
            row.notes.append(("issuers", f"issuer read from the document number {row.number}"))
    if parts and parts.count and row.declared is None:
        row.declared = parts.count
    if row.declared is not None and row.declared < len(row.issuers):
        row.declared = None
    row.forwarded = forwarded_of(registry, parts)
    if parts and parts.forwarded and parts.forwarded.bodies and row.forwarded is None:
        row.notes.append(("title_zh", f"forwards a document of {'、'.join(parts.forwarded.bodies)}, "
                                      "not all of them known bodies: not made a policy"))  # fmt: skip
    return row


def usable_url(text: str | None) -> str | None:
    """``text`` if it is an http(s) URL the graph can hold, else None."""
    text = (text or "").strip()
    return text if URL.match(text) else None
