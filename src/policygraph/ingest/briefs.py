"""A brief → a draft source file for ``data/sources/``, and a report of what needs a person.

Every policy, event, target and figure keeps the exact text it was read from (``quote``).
What cannot be placed (an unknown name, a bullet without a date, a number tied to no target,
a URL no bullet cites, a line outside any item) goes into the report; no text is dropped
silently. The same input gives the same draft, ids included.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter

from policygraph.ingest.drafts import Draft, Note
from policygraph.ingest.mentions import finders
from policygraph.ingest.quantities import Mention, deadline, mentions, period, year_of
from policygraph.ingest.segment import MONTHS, Part, Segments, TopItem, segment
from policygraph.records.registry import Registry
from policygraph.records.titles import parse_title

COUNT_WORDS = {"two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
               "nine": 9, "ten": 10, "eleven": 11, "twelve": 12}  # fmt: skip
_N = r"(\d+|" + "|".join(COUNT_WORDS) + ")"
BODIES = r"(?:government |central |state )?(?:agencies|ministries|bodies|departments|ministries and agencies|ministries and commissions)"
TYPES_ZH = {"实施方案": "plan", "行动计划": "action-plan", "方案": "plan", "规划": "plan", "计划": "plan",
            "指引": "guideline", "指南": "guideline", "意见": "opinion", "办法": "measures",
            "条例": "regulation", "规定": "regulation", "决定": "decision", "名单": "list",
            "目录": "list", "清单": "list", "法": "law", "标准": "standard", "通知": "notice"}  # fmt: skip
TYPES_EN = [("action plan", "action-plan"), ("regulation", "regulation"), ("guideline", "guideline"),
            ("guidance", "opinion"), ("instruction", "opinion"), ("opinion", "opinion"),
            ("measures", "measures"), ("list", "list"), ("catalog", "list"), ("law", "law"),
            ("decision", "decision"), ("standard", "standard"), ("plan", "plan"),
            ("notice", "notice"), ("announcement", "list")]  # fmt: skip
EVENT_KINDS = [("meeting", "meeting"), ("approv", "approval"), ("clear", "approval"),
               ("unveil", "product-launch"), ("launch", "product-launch"),
               ("divest", "divestment"), ("sell", "divestment"), ("exit", "divestment"),
               ("invest", "investment"), ("acquir", "investment"), ("reported", "report"),
               ("report", "report"), ("declin", "statistic"), ("fell", "statistic"),
               ("rose", "statistic"), ("grew", "statistic")]  # fmt: skip
#: sources briefs cite whose sites do not carry their name
HOSTS = {"state council": ("www.gov.cn",), "xinhua": ("news.cn",),
         "financial times": ("ft.com",), "people's daily": ("people.com.cn",)}  # fmt: skip


def slug(text: str, words: int = 6) -> str:
    """``"Action Plan for the 'Penetration' (2024-2026)"`` → ``action-plan-penetration-2024-2026``."""
    kept = [
        w
        for w in re.findall(r"[a-z0-9]+", text.lower())
        if w not in ("the", "a", "an", "of", "for", "on", "and", "to", "in")
    ]
    return "-".join(kept[:words]) or "untitled"


def date_of(text: str) -> dt.date | None:
    """``February 26, 2024``, ``26 February 2024`` or ``2024-02-26``."""
    for pattern in (
        rf"({MONTHS})\s+(\d{{1,2}}),?\s+(\d{{4}})",
        rf"(\d{{1,2}})\s+({MONTHS})\s+(\d{{4}})",
    ):
        m = re.search(pattern, text)
        if m:
            month, day = (m[1], m[2]) if not m[1].isdecimal() else (m[2], m[1])
            try:
                return dt.datetime.strptime(f"{month} {day} {m[3]}", "%B %d %Y").date()
            except ValueError:
                return None
    m = re.search(r"\b(\d{4})-(\d{2})-(\d{2})\b", text)
    if m:
        try:
            return dt.date(int(m[1]), int(m[2]), int(m[3]))
        except ValueError:
            return None
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


def split_article(text: str) -> tuple[str, str | None]:
    """``English title (中文标题) (Link)`` → the two titles; brackets inside either are kept."""
    text = re.sub(r"\(\s*Link\s*\)\s*$", "", text.strip()).strip()
    for m in re.finditer(r"[(（]\s*(?=[\u3400-\u9fff《“])", text):
        depth, i = 0, m.start()
        for j in range(i, len(text)):
            depth += text[j] in "(（"
            depth -= text[j] in ")）"
            if depth == 0:
                zh = re.sub(r"\s+", "", text[m.end() : j])
                return text[:i].strip(), chinese_quotes(zh)
        zh = re.sub(r"\s+", "", text[m.end() :])  # never closed: the rest is the Chinese title
        return text[:i].strip(), chinese_quotes(zh)
    return text, None


def doc_type(title_en: str, title_zh: str | None) -> str:
    if title_zh and re.search("名单|入围", title_zh):
        return "list"
    if title_zh:
        parts = parse_title(title_zh)
        for candidate in (
            parts.inner_doc_type,
            parts.doc_type if not parts.inner_doc_type else None,
        ):
            if (
                candidate
                and candidate in TYPES_ZH
                and (candidate != "通知" or not parts.inner_title)
            ):
                return TYPES_ZH[candidate]
    low = title_en.lower()
    return next((t for word, t in TYPES_EN if word in low), "notice")


def declared_count(text: str) -> int | None:
    """How many issuing bodies a description gives: 'Nine ministries and agencies' → 9;
    'MIIT and three other agencies' → 4 (the named one and three others)."""
    m = re.search(rf"\b{_N}\s+other\s+{BODIES}", text, re.I)
    if m:
        return _n(m[1]) + 1
    m = re.search(rf"\b{_N}\s+{BODIES}\b", text, re.I)
    return _n(m[1]) if m else None


def _n(word: str) -> int:
    return int(word) if word.isdecimal() else COUNT_WORDS[word.lower()]


class Ingester:
    """Turns the segments of one brief into a draft, with the registry of ``data/``."""

    def __init__(self, registry: Registry, name: str):
        self.registry = registry
        self.find = finders(registry)
        self.acronym = {a.id: a.acronym for a in registry.data.agencies}
        self.draft = Draft(source={"id": name})
        self.ids: Counter = Counter()

    def note(self, line: int, what: str) -> None:
        self.draft.notes.append(Note(line, what))

    def unique(self, rid: str) -> str:
        self.ids[rid] += 1
        return rid if self.ids[rid] == 1 else f"{rid}-{self.ids[rid]}"

    # -- Top 5 -----------------------------------------------------------------------------

    def top_item(self, item: TopItem) -> None:
        iid = f"top5-{item.number}"
        self.draft.items.append({"id": iid, "section": "top5", "position": item.number,
                                 "label": item.headline.text, "links": list(dict.fromkeys(item.urls))})  # fmt: skip
        article, line = item.fields.get("article"), item.headline.line
        if article is None:
            self.note(line, f"item {item.number} has no 'Article:' line: no policy made of it")
            return
        title_en, title_zh = split_article(article.text)
        issued = date_of(item.fields["date"].text) if "date" in item.fields else None
        if issued is None:
            self.note(line, f"item {item.number}: no readable 'Date:'; the policy needs one")
        glance = item.fields.get("glance")
        issuers = self.issuers(item.fields.get("issuers"), glance, line)
        policy = {"id": "", "item": iid, "title_en": title_en}
        if title_zh:
            policy["title_zh"] = title_zh
        policy.update(type=doc_type(title_en, title_zh), issued=issued, issuers=issuers)
        words = " ".join(p.text for p in (glance, item.fields.get("issuers")) if p)
        count = self.count(title_zh, words, len(issuers))
        if count:
            policy["declared_issuer_count"] = count
        if title_zh:
            self.conflicts(title_zh, issuers, glance.text if glance else "", line)
        if "(link)" in article.text.lower() and item.urls:
            policy["official_url"] = item.urls[-1]  # the article's link closes the item's block
        text = " ".join(
            p.text for p in [item.headline, *([glance] if glance else [])] + item.bullets
        )
        sectors = self.sectors(text + " " + title_en)
        if sectors:
            policy["sectors"] = sectors
        policy["quote"] = "\n".join(
            p.quote
            for p in [article, *(item.fields[k] for k in ("issuers", "date") if k in item.fields)]
        )
        targets, figures = self.quantities(glance, item.bullets, issued, title_en)
        if targets:
            policy["targets"] = targets
        if figures:
            policy["figures"] = figures
        lead = (
            self.acronym.get(self._agency_id(issuers[0]) or "", issuers[0]) if issuers else "policy"
        )
        policy["id"] = self.unique(f"{slug(lead, 1)}-{slug(title_en)}")
        self.draft.policies.append(policy)
        if "comment" in item.fields:
            for m in mentions(item.fields["comment"].text):
                self.note(
                    item.fields["comment"].line,
                    f"item {item.number}: figure in the analysis, not a target: {m.text!r} ({m.metric})",
                )

    def _agency_id(self, name: str) -> str | None:
        return self.registry.agency_index.find(name)

    def issuers(self, part: Part | None, glance: Part | None, line: int) -> list[str]:
        """Issuing bodies as the brief names them, lead first. Descriptions ('China's treasury')
        become acronyms; counts ('three other agencies') are left to :meth:`count`; anything
        else unknown is reported."""
        if part is None:
            found = self.find["agency"].find(glance.text) if glance else []
            return list(dict.fromkeys(self.acronym[f.id] for f in found))
        names: list[str] = []
        for piece in (p.strip() for p in re.split(r",|;|\band\b", part.text)):
            if not piece:
                continue
            if self._agency_id(piece):
                names.append(piece)
            elif not declared_count(piece):
                found = self.find["agency"].find(piece)
                names += [self.acronym[f.id] for f in found]
                if not found:
                    self.note(
                        part.line,
                        f"unknown issuing body {piece!r}: add it to agencies.yaml or correct it",
                    )
        return list(dict.fromkeys(names))

    def count(self, title_zh: str | None, description: str, named: int) -> int | None:
        """The declared count: the Chinese title's 等N部门 first, else the brief's words."""
        if title_zh:
            parts = parse_title(title_zh)
            if parts.count:
                return parts.count
        n = declared_count(description)
        return n if n and n > 1 and n >= named else None

    def conflicts(self, title_zh: str, issuers: list[str], description: str, line: int) -> None:
        """Where the brief's English contradicts the Chinese title (which decides at build)."""
        parts = parse_title(title_zh)
        lead = self._agency_id(parts.lead) if parts.lead else None
        written = self._agency_id(issuers[0]) if issuers else None
        if lead and written and lead != written:
            self.note(line, f"the brief names {issuers[0]} first but the Chinese title names "
                            f"{parts.lead} ({self.acronym[lead]}): the title decides")  # fmt: skip
        said = declared_count(description)
        if parts.count and said and said != parts.count:
            self.note(line, f"the brief's words count {said} issuing bodies, the Chinese title "
                            f"{parts.count}: the title decides")  # fmt: skip

    def sectors(self, text: str) -> list[str]:
        return list(dict.fromkeys(f.id for f in self.find["sector"].find(text)))

    def quantities(
        self, intro: Part | None, bullets: list[Part], issued: dt.date | None, title: str
    ) -> tuple[list, list]:
        """Targets from the bullets a target sentence introduces (or that give their own
        deadline); every other number in the item's summary as a figure."""
        year = issued.year if issued else None
        context = intro.text if intro else ""
        is_target = bool(re.search(r"\b(targets?|aims?|goals?|by \d{4})\b", context, re.I))
        due = deadline(context)
        span = period(context, year) or period(title, None)
        targets, figures = [], []
        for part in bullets:
            own = deadline(part.text)
            for m in mentions(part.text):
                t = self.target(m, own or due, span, part) if is_target or own else None
                if t:
                    targets.append(t)
                else:
                    figures.append(self.figure(m, year_of(part.text), part))
        if intro is not None:
            for m in mentions(intro.text):
                if not counts_something(m):
                    continue
                figures.append(self.figure(m, year_of(intro.text) or year, intro))
        return targets, figures

    def target(
        self, m: Mention, due: int | None, span: tuple[int, int] | None, part: Part
    ) -> dict | None:
        t = {"metric": m.metric, "value": _number(m.value), "unit": m.unit}
        if m.comparator != "=":
            t["comparator"] = m.comparator
        if due:
            t["deadline"] = due
        elif span:
            t["period_start"], t["period_end"] = span
        else:
            self.note(
                part.line,
                f"number {m.text!r} looks like a target but has no deadline or period: kept as a figure",
            )
            return None
        t["quote"] = part.quote
        return t

    def figure(self, m: Mention, year: int | None, part: Part) -> dict:
        f = {"metric": m.metric, "value": _number(m.value), "unit": m.unit}
        if m.comparator != "=":
            f["comparator"] = m.comparator
        if year:
            f["year"] = year
        f["quote"] = part.quote
        return f


def counts_something(m: Mention) -> bool:
    """Not '12 ministries' (the issuers) nor 'the next three years' (a period)."""
    words = set(m.metric.lower().split()) | {m.unit}
    return not words & {"ministries", "agencies", "bodies", "departments", "other", "years", "year"}


def _number(value):
    return int(value) if value == int(value) else float(value)


def ingest(text: str, name: str, registry: Registry) -> Draft:
    """The draft source ``name`` made of a brief's ``text``."""
    from policygraph.ingest.news import add_news

    seg = segment(text)
    ingester = Ingester(registry, name)
    if not seg.items and not seg.bullets:
        ingester.note(0, "found no Top-5 item and no news bullet: is this a brief?")
    for item in seg.items:
        ingester.top_item(item)
    add_news(ingester, seg)
    for line in seg.unplaced:
        ingester.note(line.number, f"not part of any item, left out: {line.text.strip()!r}")
    _describe_source(ingester.draft, seg)
    return ingester.draft


def _describe_source(draft: Draft, seg: Segments) -> None:
    """Title and period of the brief, from its header and the dates of what it covers."""
    dates = [r.get("issued") or r.get("date") for r in [*draft.policies, *draft.events]]
    months = Counter(d.strftime("%Y-%m") for d in dates if d)
    period_ = months.most_common(1)[0][0] if months else None
    label = dt.date.fromisoformat(period_ + "-01").strftime("%B %Y") if period_ else "undated"
    header = "MERICS Top 5 and Noteworthy" if seg.header else "Policy brief"
    draft.source.update(title=f"{header}, {label}", publisher="MERICS" if seg.header else "unknown")
    if period_:
        draft.source["period"] = period_
    else:
        draft.notes.append(Note(0, "no dates at all: set the source's period by hand"))
