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

from policygraph.ingest.chinese import is_chinese
from policygraph.ingest.chinese_records import add_chinese
from policygraph.ingest.digest import digest_segments, paragraph_segments
from policygraph.ingest.drafts import Draft, Note
from policygraph.ingest.fielded import add_fielded
from policygraph.ingest.ingester import Ingester
from policygraph.ingest.news import add_news
from policygraph.ingest.segment import MONTHS, Segments, segment
from policygraph.ingest.topfive import top_item
from policygraph.ingest.wording import (  # noqa: F401  (re-exported: the parsers of briefs)
    EVENT_KINDS,
    HOSTS,
    ISSUING,
    chinese_quotes,
    date_of,
    declared_count,
    doc_type,
    slug,
    split_article,
    unknown_names,
)
from policygraph.records.registry import Registry


def ingest(text: str, name: str, registry: Registry) -> Draft:
    """The draft source ``name`` made of a brief's ``text``: a Top-5 brief, a plain news digest
    of dated paragraphs or bullets, paragraphs dated in their text (under headings or not),
    blocks of labelled fields (``Title:``, ``Date:``), or a Chinese brief."""
    ingester = Ingester(registry, name)
    years = Counter(d.year for d in _full_dates(text))
    ingester.year = years.most_common(1)[0][0] if years else _title_year(text)
    seg = segment(text)
    fielded = None if seg.items or seg.bullets else add_fielded(ingester, text)
    if fielded:
        seg = fielded
    elif not seg.items and not seg.bullets and is_chinese(text):
        seg = add_chinese(ingester, text)
    else:
        if not seg.items and not seg.bullets:
            seg = digest_segments(text) or paragraph_segments(text) or seg
        if not seg.items and not seg.bullets:
            ingester.note(
                0, "found no Top-5 item, no news bullet and no dated paragraph: is this a brief?"
            )
        for item in seg.items:
            top_item(ingester, item)
        add_news(ingester, seg)
    for line in seg.unplaced:
        ingester.note(line.number, f"not part of any item, left out: {line.text.strip()!r}")
    _describe_source(ingester.draft, seg)
    return ingester.draft


def _full_dates(text: str) -> list[dt.date]:
    found = []
    for m in re.finditer(
        rf"(?:{MONTHS})\s+\d{{1,2}},?\s+\d{{4}}|\d{{1,2}}\s+(?:{MONTHS})\s+\d{{4}}|\d{{4}}-\d\d-\d\d",
        text,
    ):
        d = date_of(m[0])
        if d:
            found.append(d)
    found += [dt.date(int(y), 1, 1) for y in re.findall(r"(\d{4})年\d{1,2}月", text)]
    return found


def _title_year(text: str) -> int | None:
    """The year a brief's first line names (``周报（2025年第20期）``, ``Digest – March 2025``),
    for briefs whose dates give day and month only."""
    first = next((ln for ln in text.splitlines() if ln.strip()), "")
    m = re.search(r"(?<!\d)(20\d\d)(?:年|\b)", first)
    return int(m[1]) if m else None


def _describe_source(draft: Draft, seg: Segments) -> None:
    """Title and period of the brief, from its header and the dates of what it covers."""
    dates = [r.get("issued") or r.get("date") for r in [*draft.policies, *draft.events]]
    months = Counter(d.strftime("%Y-%m") for d in dates if d)
    period_ = months.most_common(1)[0][0] if months else None
    label = dt.date.fromisoformat(period_ + "-01").strftime("%B %Y") if period_ else "undated"
    header = "MERICS Top 5 and Noteworthy" if seg.header else "Policy brief"
    title = f"{header}, {label}" if seg.header or not seg.title else seg.title
    draft.source.update(title=title, publisher="MERICS" if seg.header else "unknown")
    if period_:
        draft.source["period"] = period_
    else:
        draft.notes.append(Note(0, "no dates at all: set the source's period by hand"))
