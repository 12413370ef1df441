"""One item of a Chinese brief → a policy (a document in 《…》 issued by named bodies) or an
event, with its date, bodies, firms, targets and figures, and notes for what is unknown."""

from __future__ import annotations

import hashlib
import re

from policygraph.ingest.chinese import (
    BODY_ZH,
    COMPANY,
    ISSUE,
    KINDS,
    body_part,
    zh_date,
    zh_mentions,
    zh_segments,
    zh_when,
)
from policygraph.ingest.segment import Part, Segments
from policygraph.ingest.wording import chinese_quotes, doc_type
from policygraph.records.titles import parse_title


def _slug(text: str) -> str:
    """Ids of Chinese titles: the ASCII in them and a short hash, stable across runs."""
    ascii_ = "-".join(re.findall(r"[a-z0-9]+", text.lower()))[:30]
    digest = hashlib.sha1(text.encode("utf-8")).hexdigest()[:8]
    return f"{ascii_}-{digest}" if ascii_ else digest


def record_of(ing, item: dict, n: int) -> None:
    headline: Part = item["headline"]
    body = body_part(item["body"])
    fields = item["fields"]
    text = headline.text + "。" + (body.text if body else "")
    line = headline.line
    issue = (ISSUE.search(body.text) if body else None) or ISSUE.search(headline.text)
    source = body.text if body and issue and issue.string == body.text else headline.text
    date = zh_date(fields["date"].text, ing.year) if "date" in fields else None
    date = date or zh_date(text, ing.year)
    where = (fields["issuers"].text if "issuers" in fields else "") or (
        source[max(0, source.rfind("。", 0, issue.start()) + 1) : issue.start()]
        if issue
        else headline.text
    )
    agencies = [ing.acronym[f.id] for f in ing.find["agency"].find(where)]
    agencies = list(dict.fromkeys(agencies))
    companies = list(dict.fromkeys(f.id for f in ing.find["company"].find(text)))
    is_policy = bool(issue and agencies)
    section = "policy-news" if is_policy or agencies else "corporate-news"
    iid = f"{section}-{n}"
    urls = re.findall(r"https?://\S+", fields["url"].text) if "url" in fields else []
    ing.draft.items.append({"id": iid, "section": section, "position": n,
                            "label": headline.text, "links": urls})  # fmt: skip
    if date is None:
        ing.note(line, f"{iid}: no date (2024年3月12日) in the item: add one")
    quote = "\n".join(p.quote for p in [headline, body] if p)
    if is_policy:
        title_zh = chinese_quotes(issue[2])
        record = {"id": ing.unique(f"{agencies[0].lower()}-{_slug(title_zh)}"), "item": iid,
                  "title_en": f"Untranslated: {title_zh}", "title_zh": title_zh,
                  "type": doc_type("", title_zh), "issued": date, "issuers": agencies}  # fmt: skip
        count = parse_title(headline.text).count
        if count and count >= len(agencies):
            record["declared_issuer_count"] = count
        if urls:
            record["official_url"] = urls[0]
    else:
        kind = next((k for word, k in KINDS if word in text), "statement")
        record = {"id": ing.unique(_slug(headline.text)), "item": iid, "title_en": f"Untranslated: {headline.text}",
                  "kind": kind, "date": date}  # fmt: skip
        if agencies:
            record["agencies"] = agencies
        if urls:
            record["links"] = urls
    ing.note(line, f"{iid}: title_en is untranslated: translate it")
    if companies:
        record["companies"] = [ing.registry.companies[c].name_en for c in companies]
    sectors = ing.sectors(text)
    if sectors:
        record["sectors"] = sectors
    record["quote"] = quote
    targets, figures = [], []
    since = date.year if date else ing.year
    for part in [p for p in (headline, body) if p]:
        for m in zh_mentions(part.text):
            w = zh_when(part.text, m.start, since)
            t = ing.target(m, w, part) if w and part is body else None
            (targets if t else figures).append(t or ing.figure(m, None, part))
    if targets:
        record["targets"] = targets
    if figures:
        record["figures"] = figures
    (ing.draft.policies if is_policy else ing.draft.events).append(record)
    _unknown(ing, text, where, line, iid)
    ing.check_sectors(record, line)
    if "comment" in fields:
        for m in zh_mentions(fields["comment"].text):
            ing.note(
                fields["comment"].line, f"{iid}: figure in the analysis, not a target: {m.text!r}"
            )


def _unknown(ing, text: str, where: str, line: int, iid: str) -> None:
    """Notes for bodies and firms named in Chinese that the registry does not know."""
    for m in COMPANY.finditer(text):
        name = m[0]
        if not ing.find["company"].find(name) and ("company", name) not in ing.reported:
            ing.reported.add(("company", name))
            ing.note(line, f"{iid}: unknown company {name!r}: add it to companies.yaml and to the record, or ignore it")  # fmt: skip
    where = ing.find["agency"].blank(where, "、")  # known names first: 工业和信息化部 holds 和
    for piece in re.split(r"[、，,和及与]|等.{1,3}部门|联合", where):
        for m in BODY_ZH.finditer(piece):
            name = m[0]
            if ing.find["agency"].find(name) or ("body", name) in ing.reported:
                continue
            ing.reported.add(("body", name))
            ing.note(line, f"{iid}: unknown body {name!r}: add it to agencies.yaml and to the record, or ignore it")  # fmt: skip


def add_chinese(ing, text: str) -> Segments:
    """Policies and events of a Chinese brief, added to ``ing``'s draft."""
    items, seg = zh_segments(text)
    if not items:
        ing.note(0, "found no item headed 一、 or 【…】 in this Chinese text: is this a brief?")
    for n, item in enumerate(items, start=1):
        record_of(ing, item, n)
    return seg
