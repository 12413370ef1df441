"""A brief of labelled fields → policies and events: blocks of ``Title:``, ``Issuer:``,
``Date:``, ``Summary:`` and ``Link:`` lines, as trackers and lists pasted into text write them
(``标题：``, ``发文机关：``, ``发布日期：`` too). Each block with a title and a date is a policy when
a known body issues it, else an event; targets come from its title and summary, each with the
deadline of its own sentence.

>>> blocks, _ = field_blocks("Tracker\\n\\nTitle: Robot plan\\nIssuer: MIIT\\nDate: 2025-04-22\\n")
>>> {k: v.text for k, v in blocks[0].items()}
{'title': 'Robot plan', 'issuers': 'MIIT', 'date': '2025-04-22'}
"""

from __future__ import annotations

import datetime as dt
import re

from policygraph.ingest.chinese import is_chinese, zh_date, zh_mentions, zh_when
from policygraph.ingest.ingester import Ingester
from policygraph.ingest.segment import Line, Part, Segments, lines_of
from policygraph.ingest.wording import date_of, doc_type, slug
from policygraph.records.issuers import split_issuers

LABELS = {
    "title": "title", "document": "title", "标题": "title", "文件名称": "title", "名称": "title",
    "issuer": "issuers", "issuers": "issuers", "issued by": "issuers", "issuing body": "issuers",
    "issuing bodies": "issuers", "agency": "issuers", "agencies": "issuers",
    "发文机关": "issuers", "发布机构": "issuers", "发文单位": "issuers",
    "date": "date", "issued": "date", "date issued": "date", "published": "date",
    "发布日期": "date", "成文日期": "date", "日期": "date",
    "summary": "summary", "description": "summary", "content": "summary", "details": "summary",
    "摘要": "summary", "内容": "summary", "主要内容": "summary",
    "link": "url", "url": "url", "source": "url", "official text": "url", "链接": "url",
    "原文链接": "url", "number": "number", "document number": "number", "发文字号": "number",
}  # fmt: skip
FIELD = re.compile(
    r"^\s*(" + "|".join(map(re.escape, sorted(LABELS, key=len, reverse=True))) + r")\s*[:：]\s*",
    re.I,
)


def field_blocks(text: str) -> tuple[list[dict[str, Part]], list[Line]]:
    """Each block's fields (a line without a label continues the field above it), and the
    lines outside any field."""
    blocks: list[dict[str, Part]] = [{}]
    loose: list[Line] = []
    last: Part | None = None
    for ln in lines_of(text):
        m = FIELD.match(ln.text)
        if not ln.text.strip():
            if blocks[-1]:
                blocks.append({})
            last = None
        elif m:
            last = blocks[-1].setdefault(LABELS[m[1].lower()], Part([ln], skip=m.end()))
        elif last is not None:
            last.add(ln)
        else:
            loose.append(ln)
    return [b for b in blocks if b], loose


def add_fielded(ing: Ingester, text: str) -> Segments | None:
    """The policies and events of a brief of labelled fields, added to ``ing``'s draft; None
    (and nothing added) if no block has both a title and a date."""
    blocks, loose = field_blocks(text)
    entries = [b for b in blocks if "title" in b and "date" in b]
    if not entries:
        return None
    seg = Segments(unplaced=loose + [ln for b in blocks if b not in entries
                                     for p in b.values() for ln in p.lines])  # fmt: skip
    seg.title = loose[0].text.strip() if loose else None
    for n, fields in enumerate(entries, start=1):
        _entry(ing, fields, f"entry-{n}", n)
    return seg


def _entry(ing: Ingester, fields: dict[str, Part], iid: str, n: int) -> None:
    title, line = fields["title"].text, fields["title"].line
    when = fields["date"].text
    issued = date_of(when) or zh_date(when, ing.year)
    url = fields["url"].text if "url" in fields else ""
    links = [url] if url.startswith(("http://", "https://")) else []
    ing.draft.items.append({"id": iid, "section": "documents", "position": n, "label": title,
                            "links": links})  # fmt: skip
    if issued is None:
        ing.note(fields["date"].line, f"{iid}: no readable date in {when!r}: add one")
        return
    chinese = is_chinese(title)
    issuers = _issuers(ing, fields, title, iid)
    summary = fields.get("summary")
    targets, figures = _quantities(ing, summary, issued)
    record: dict = {"id": "", "item": iid,
                    "title_en": f"Untranslated: {title}" if chinese else title}  # fmt: skip
    if chinese:
        record["title_zh"] = title
    if issuers:
        record.update(id=ing.unique(f"{slug(issuers[0], 1)}-{slug(title, 5) or n}"),
                      type=doc_type(None if chinese else title, title if chinese else None),
                      issued=issued, issuers=issuers)  # fmt: skip
    else:
        ing.note(line, f"{iid}: no known body issues it: kept as an event; name its issuer")
        record.update(id=ing.unique(f"{slug(title, 5) or n}-{issued.isoformat()}"),
                      kind="statement", date=issued)  # fmt: skip
    if links and issuers:
        record["official_url"] = url
    elif links:
        record["links"] = links
    if "number" in fields and issuers:
        record["document_number"] = fields["number"].text
    sectors = ing.sectors(f"{title} {summary.text if summary else ''}")
    if sectors:
        record["sectors"] = sectors
    record["quote"] = Part([ln for p in sorted(fields.values(), key=lambda p: p.line)
                            for ln in p.lines]).quote  # fmt: skip
    if targets:
        record["targets"] = targets
    if figures:
        record["figures"] = figures
    (ing.draft.policies if issuers else ing.draft.events).append(record)
    ing.check_sectors(record, line)


def _quantities(ing: Ingester, summary: Part | None, issued: dt.date) -> tuple[list, list]:
    """Targets (a number with a deadline or period of its own sentence) and figures of the
    summary, read as Chinese or English."""
    if summary is None:
        return [], []
    if not is_chinese(summary.text):
        return ing.quantities(summary, [], issued, "")
    targets, figures = [], []
    for m in zh_mentions(summary.text):
        w = zh_when(summary.text, m.start, issued.year)
        t = ing.target(m, w, summary) if w else None
        (targets if t else figures).append(t or ing.figure(m, None, summary))
    return targets, figures


def _issuers(ing: Ingester, fields: dict[str, Part], title: str, iid: str) -> list[str]:
    """Acronyms of the bodies the Issuer field names (lead first), else those the title names."""
    if "issuers" not in fields:
        return list(dict.fromkeys(ing.acronym[f.id] for f in ing.find["agency"].find(title)))
    split = split_issuers(fields["issuers"].text, ing.registry)
    for piece, why in split.unresolved:
        ing.note(fields["issuers"].line, f"{iid}: issuing body {piece!r}: {why}")
    return [ing.acronym[i] for i in split.ids if i in ing.acronym]
