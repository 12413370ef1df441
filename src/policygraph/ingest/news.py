"""A brief's news bullets → policies and events, each with its date, bodies, companies,
numbers and the URLs its source references point to.

Briefs cite sources in a trailing parenthesis, ``(State Council notice, Xinhua article)``,
and list the URLs in blocks elsewhere, sometimes with repeats. Each reference takes the next
unused URL whose host carries the reference's name, so a URL block that splits a bullet or
mixes two sections still lands on the right bullets; URLs no reference claims are reported.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from urllib.parse import urlsplit

from policygraph.ingest.ingester import Ingester, counts_something
from policygraph.ingest.quantities import mentions, when, year_of
from policygraph.ingest.segment import Bullet, Segments
from policygraph.ingest.wording import (
    EVENT_KINDS,
    HOSTS,
    ISSUING,
    date_of,
    declared_count,
    doc_type,
    slug,
)

#: what names a source inside a bullet's trailing parenthesis
SOURCE_NAME = re.compile(r"\b(?:article|notice|release|report|statement|announcement|"
                         r"press release|website|post|[A-Z][\w&.’']+)")  # fmt: skip
#: a date after a document's name, which is not part of it (``the Law on April 30, 2025``)
TRAILING_DATE = re.compile(r"\s+(?:on|in)\s+(?:[A-Z][a-z]+\s+\d{1,2}(?:,\s*\d{4})?|\d{1,2}\s+[A-Z][a-z]+"
                           r"(?:\s+\d{4})?|[A-Z][a-z]+\s+\d{4})\s*$")  # fmt: skip
#: the same inside a sentence, where its comma would cut the name short
INLINE_DATE = re.compile(r"\s+on\s+(?:[A-Z][a-z]{2,8}\.?\s+\d{1,2},\s*\d{4}|\d{1,2}\s+[A-Z][a-z]{2,8}\.?"
                         r"\s+\d{4})(?=\s+(?:to|for|on)\b)")  # fmt: skip
KIND_WORDS = re.compile(
    r"\b(article|notice|press release|release|report|statement|announcement|website|post)s?\b", re.I
)


def references(text: str) -> tuple[str, list[str]]:
    """The bullet without its trailing source references, and the references.

    A scan, not one regex: the last ``(`` before a final ``)``, with no bracket between them,
    is found in linear time however many brackets or spaces a hostile bullet holds.
    """
    body = text.rstrip()
    open_ = body.rfind("(", 0, len(body) - 1)
    if not body.endswith(")") or open_ < 0 or ")" in body[open_ + 1 : -1]:
        return text, []
    inner = body[open_ + 1 : -1]
    if not SOURCE_NAME.search(inner):
        return text, []
    refs = [r.strip() for r in re.split(r",|;", inner) if r.strip()]
    return text[:open_].rstrip(), refs


def _matches(ref: str, url: str) -> bool:
    host = (urlsplit(url).hostname or "").lower()
    name = KIND_WORDS.sub("", ref).strip().lower().removeprefix("the ")
    if any(host == h or host.endswith("." + h) for h in HOSTS.get(name, ())):
        return True
    words = [w for w in re.findall(r"[a-z0-9]+", name) if len(w) >= 3]
    return bool(words) and any(w in host for w in words)


def assign_urls(bullets: list[list[str]], urls: list[str]) -> tuple[list[list[str]], list[str]]:
    """For each bullet (given by its references), the URLs they point to; and the URLs none
    points to."""
    used = [False] * len(urls)
    out = []
    for refs in bullets:
        mine: list[str] = []
        for ref in refs:
            for i, url in enumerate(urls):
                if used[i] or not _matches(ref, url):
                    continue
                used[i] = True
                if url in mine:
                    continue  # the brief lists the same URL twice: one reference, one link
                mine.append(url)
                break
        out.append(mine)
    claimed = {u for links in out for u in links}
    left = [u for i, u in enumerate(urls) if not used[i] and u not in claimed]
    return out, left


def brief_year(ing: Ingester, bullets: list[Bullet]) -> int | None:
    """The year news bullets without one belong to: the brief's most common year."""
    years = Counter(p["issued"].year for p in ing.draft.policies if p.get("issued"))
    years.update(b.year for b in bullets if b.year)
    return years.most_common(1)[0][0] if years else None


def add_news(ing: Ingester, seg: Segments) -> None:
    urls = [u for section in seg.news_urls.values() for u in section]
    parsed = [(b, *references(b.part.text)) for b in seg.bullets]
    links, left = assign_urls([refs for *_, refs in parsed], urls)
    year = brief_year(ing, seg.bullets)
    positions: Counter = Counter()
    for (bullet, text, refs), found in zip(parsed, links, strict=True):
        positions[bullet.section] += 1
        iid = f"{bullet.section}-{positions[bullet.section]}"
        date = None
        if bullet.month and (bullet.year or year):
            date = dt.datetime.strptime(
                f"{bullet.month} {bullet.day} {bullet.year or year}", "%B %d %Y"
            ).date()
        elif bullet.month:
            ing.note(
                bullet.part.line,
                f"{iid}: '{bullet.month} {bullet.day}' has no year and the brief gives none",
            )
        else:
            ing.note(bullet.part.line, f"{iid}: bullet without a date: {text[:60]!r}")
        ing.draft.items.append({"id": iid, "section": bullet.section, "position": positions[bullet.section],
                                "label": bullet.heading or _label(text), "links": found})  # fmt: skip
        if date is None:
            continue
        if refs and not found:
            ing.note(bullet.part.line, f"{iid}: no URL found for {', '.join(refs)}")
        _record(ing, bullet, text, iid, date, found)
    for url in left:
        ing.note(0, f"URL no bullet cites: {url}")


def _label(text: str) -> str:
    first = re.split(r"[;:]|, (?:which|who|as|while)\b", text)[0].strip()
    return first if len(first) <= 100 else first[:99].rsplit(" ", 1)[0] + "…"


def _record(
    ing: Ingester, bullet: Bullet, text: str, iid: str, date: dt.date, links: list[str]
) -> None:
    agencies = [f.id for f in ing.find["agency"].find(text)]
    companies = list(dict.fromkeys(f.id for f in ing.find["company"].find(text)))
    sectors = ing.sectors(text)
    plain = INLINE_DATE.sub("", text)  # "issued guidelines on June 18, 2025 to …": one name
    issuing = ISSUING.search(plain)
    is_policy = (
        bullet.section == "policy-news"
        and issuing
        and agencies
        and "meeting" not in plain[: issuing.start()].lower()
    )
    if bullet.section == "policy-news" and issuing and not agencies:
        ing.note(bullet.part.line, f"{iid}: a document is issued but no known body issues it; "
                                   "kept as an event: name its issuer and make it a policy")  # fmt: skip
    targets, figures = [], []
    for m in mentions(text):
        if not counts_something(m):
            continue
        due = when(text, m.start, m.end, date.year)
        if due:
            t = ing.target(m, due, bullet.part)
            if t:
                targets.append(t)
                continue
        figures.append(ing.figure(m, year_of(text), bullet.part))
    record: dict = {}
    if is_policy:
        title = issuing["object"].strip()
        title = re.sub(r"^(a|an|the|new)\s+", "", title, flags=re.I)
        title = TRAILING_DATE.sub("", title)
        record = {"id": "", "item": iid, "title_en": title[:1].upper() + title[1:], "type": doc_type(title, None),
                  "issued": date, "issuers": [ing.acronym[a] for a in dict.fromkeys(agencies)]}  # fmt: skip
        count = declared_count(text)
        if count and count > len(record["issuers"]):
            record["declared_issuer_count"] = count
        force = re.search(
            r"(?:enters? into|takes?|comes? into) (?:force|effect) on ([A-Z][a-z]+ \d{1,2}, \d{4})",
            text,
        )
        if force:
            record["in_force"] = date_of(force[1])
        if links:
            record["official_url"] = links[0]
            if links[1:]:
                record["links"] = links[1:]
        lead = record["issuers"][0]
        record["id"] = ing.unique(f"{slug(lead, 1)}-{slug(title, 5)}")
    else:
        kind = next((k for word, k in EVENT_KINDS if word in text.lower()), "statement")
        label = bullet.heading or _label(text)
        record = {"id": ing.unique(f"{slug(label, 5)}-{date.isoformat()}"), "item": iid,
                  "title_en": label, "kind": kind, "date": date}  # fmt: skip
        if agencies:
            record["agencies"] = [ing.acronym[a] for a in dict.fromkeys(agencies)]
        if links:
            record["links"] = links
    if companies:
        record["companies"] = [ing.registry.companies[c].name_en for c in companies]
    if sectors:
        record["sectors"] = sectors
    record["quote"] = bullet.part.quote
    if targets:
        record["targets"] = targets
    if figures:
        record["figures"] = figures
    (ing.draft.policies if is_policy else ing.draft.events).append(record)
    ing.check_names(text, bullet.part.line, iid)
    ing.check_sectors(record, bullet.part.line)
