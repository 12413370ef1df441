"""A Top-5 item → a policy, from its 'Article:', 'Issuing body:' and 'Date:' lines; or, where
the item has no 'Article:' line, a policy or an event from its headline and summary, with a
note saying so.
"""

from __future__ import annotations

import datetime as dt
import re

from policygraph.ingest.ingester import Ingester
from policygraph.ingest.quantities import mentions
from policygraph.ingest.segment import MONTHS, TopItem, month_name
from policygraph.ingest.wording import (
    EVENT_KINDS,
    ISSUING,
    date_of,
    doc_type,
    slug,
    split_article,
)


def top_item(ing: Ingester, item: TopItem) -> None:
    """A Top-5 item → its policy (or, without an 'Article:' line, its policy or event)."""
    iid = f"top5-{item.number}"
    ing.draft.items.append({"id": iid, "section": "top5", "position": item.number,
                             "label": item.headline.text, "links": list(dict.fromkeys(item.urls))})  # fmt: skip
    article, line = item.fields.get("article"), item.headline.line
    if article is None:
        _without_article(ing, item, iid)
        return
    title_en, title_zh = split_article(article.text)
    issued = date_of(item.fields["date"].text) if "date" in item.fields else None
    if issued is None:
        ing.note(line, f"item {item.number}: no readable 'Date:'; the policy needs one")
    glance = item.fields.get("glance")
    issuers = ing.issuers(item.fields.get("issuers"), glance, line)
    policy = {"id": "", "item": iid, "title_en": title_en}
    if title_zh:
        policy["title_zh"] = title_zh
    policy.update(type=doc_type(title_en, title_zh), issued=issued, issuers=issuers)
    words = " ".join(p.text for p in (glance, item.fields.get("issuers")) if p)
    count = ing.count(title_zh, words, len(issuers))
    if count:
        policy["declared_issuer_count"] = count
    if title_zh:
        ing.conflicts(title_zh, issuers, glance.text if glance else "", line)
    if "(link)" in article.text.lower() and item.urls:
        policy["official_url"] = item.urls[-1]  # the article's link closes the item's block
    text = " ".join(p.text for p in [item.headline, *([glance] if glance else [])] + item.bullets)
    sectors = ing.sectors(text + " " + title_en)
    if sectors:
        policy["sectors"] = sectors
    policy["quote"] = "\n".join(
        p.quote
        for p in [article, *(item.fields[k] for k in ("issuers", "date") if k in item.fields)]
    )
    targets, figures = ing.quantities(glance, item.bullets, issued, title_en)
    if targets:
        policy["targets"] = targets
    if figures:
        policy["figures"] = figures
    lead = ing.acronym.get(ing._agency_id(issuers[0]) or "", issuers[0]) if issuers else "policy"
    policy["id"] = ing.unique(f"{slug(lead, 1)}-{slug(title_en)}")
    ing.draft.policies.append(policy)
    ing.check_names(text, line, iid)
    ing.check_sectors(policy, line)
    _comment(ing, item)


def _comment(ing: Ingester, item: TopItem) -> None:
    if "comment" in item.fields:
        for m in mentions(item.fields["comment"].text):
            ing.note(
                item.fields["comment"].line,
                f"item {item.number}: figure in the analysis, not a target: {m.text!r} ({m.metric})",
            )


def _without_article(ing: Ingester, item: TopItem, iid: str) -> None:
    """The item's policy (if its summary says a document was issued) or event, read from the
    headline, the summary and the bullets."""
    glance, line = item.fields.get("glance"), item.headline.line
    summary = glance.text if glance else ""
    text = " ".join(p.text for p in [item.headline, *([glance] if glance else []), *item.bullets])
    dated = item.fields.get("date")
    date = date_of(dated.text) if dated else None
    date = date or date_of(summary) or _day_of(summary, ing.year)
    agencies = ing.issuers(item.fields.get("issuers"), glance or item.headline, line)
    sentence = next((s for s in re.split(r"(?<=\.)\s+", summary) if ISSUING.search(s)), "")
    issuing = ISSUING.search(sentence)
    quoted = [p for p in [item.headline, glance, *(item.fields[k] for k in ("issuers", "date") if k in item.fields)] if p]  # fmt: skip
    record: dict
    if issuing and agencies:
        title = re.sub(r"^(a|an|the|new)\s+", "", issuing["object"].strip(), flags=re.I)
        title = title[:1].upper() + title[1:]
        record = {"id": "", "item": iid, "title_en": title, "type": doc_type(title, None),
                  "issued": date, "issuers": agencies}  # fmt: skip
        words = " ".join(p.text for p in (glance, item.fields.get("issuers")) if p)
        count = ing.count(None, words, len(agencies))
        if count:
            record["declared_issuer_count"] = count
        if item.urls:
            record["official_url"] = item.urls[-1]
        lead = ing.acronym.get(ing._agency_id(agencies[0]) or "", agencies[0])
        record["id"] = ing.unique(f"{slug(lead, 1)}-{slug(title)}")
        made = "policy"
    else:
        kind = next((k for word, k in EVENT_KINDS if word in text.lower()), "statement")
        title = item.headline.text
        record = {"id": ing.unique(f"{slug(title, 5)}-{date.isoformat() if date else 'undated'}"),
                  "item": iid, "title_en": title, "kind": kind, "date": date}  # fmt: skip
        if agencies:
            record["agencies"] = agencies
        companies = list(dict.fromkeys(f.id for f in ing.find["company"].find(text)))
        if companies:
            record["companies"] = [ing.registry.companies[c].name_en for c in companies]
        if item.urls:
            record["links"] = list(dict.fromkeys(item.urls))
        made = "event"
    sectors = ing.sectors(text)
    if sectors:
        record["sectors"] = sectors
    record["quote"] = "\n".join(p.quote for p in quoted)
    targets, figures = ing.quantities(glance, item.bullets, date, title)
    if targets:
        record["targets"] = targets
    if figures:
        record["figures"] = figures
    (ing.draft.policies if made == "policy" else ing.draft.events).append(record)
    missing = "" if date else "; it has no date: add one"
    ing.note(line, f"item {item.number} has no 'Article:' line: made a {made} of its headline and "
                   f"summary; check its title, date and {'issuers' if made == 'policy' else 'kind'}{missing}")  # fmt: skip
    ing.check_names(text, line, iid)
    ing.check_sectors(record, line)
    _comment(ing, item)


def _day_of(text: str, year: int | None) -> dt.date | None:
    """'On January 15, ...' in a brief whose year is ``year``."""
    m = re.search(rf"\b({MONTHS})\s+(\d{{1,2}})\b(?!,?\s*\d{{4}})", text)
    if not (m and year):
        return None
    try:
        return dt.datetime.strptime(f"{month_name(m[1])} {m[2]} {year}", "%B %d %Y").date()
    except ValueError:
        return None
