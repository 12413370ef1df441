"""The state of one ingestion: the draft being written, the names it can find, the ids it
has given, and the notes for review; each layout's parser (Top-5 items, news bullets, digests,
Chinese briefs) adds its records through it.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter

from policygraph.ingest.drafts import Draft, Note
from policygraph.ingest.mentions import finders
from policygraph.ingest.quantities import (
    Mention,
    When,
    deadline,
    mentions,
    period,
    times,
    when,
    year_of,
)
from policygraph.ingest.segment import Part
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
from policygraph.records.titles import parse_title


class Ingester:
    """Turns the segments of one brief into a draft, with the registry of ``data/``."""

    def __init__(self, registry: Registry, name: str):
        self.registry = registry
        self.find = finders(registry)
        self.acronym = {a.id: a.acronym for a in registry.data.agencies}
        self.draft = Draft(source={"id": name})
        self.ids: Counter = Counter()
        self.year: int | None = None  # the brief's year, for dates that give none
        self.reported: set[tuple[str, str]] = set()

    def note(self, line: int, what: str) -> None:
        self.draft.notes.append(Note(line, what))

    def unique(self, rid: str) -> str:
        self.ids[rid] += 1
        return rid if self.ids[rid] == 1 else f"{rid}-{self.ids[rid]}"

    def check_names(self, text: str, line: int, where: str) -> None:
        """A note for each body or firm in ``text`` that the registry does not know (once)."""

        def known(name: str) -> bool:
            return any(self.find[k].find(name) for k in ("agency", "company"))

        # known names first: "National Radio and Television Administration" holds "and"
        for kind, name in unknown_names(self.find["agency"].blank(text), known):
            if (kind, name) in self.reported:
                continue
            self.reported.add((kind, name))
            registry = "agencies.yaml" if kind == "body" else "companies.yaml"
            self.note(
                line,
                f"{where}: unknown {kind} {name!r}: add it to {registry} and to the record, or ignore it",
            )

    def check_sectors(self, record: dict, line: int) -> None:
        if not record.get("sectors"):
            self.note(
                line,
                f"{record['item']}: no known sector: add sectors (or a new one to sectors.yaml)",
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
        """Targets stated in prose (a number with the deadline or period of its own sentence)
        and in the bullets a target sentence introduces; every other number as a figure."""
        year = issued.year if issued else self.year
        context = intro.text if intro else ""
        lead = re.split(r"(?<=[.;])\s+", context.strip())[-1] if context else ""
        is_target = bool(re.search(r"\b(targets?|aims?|goals?|by \d{4})\b", lead, re.I))
        own = times(lead)
        due: When | None = own[0] if own else None
        if due is None:
            d, span = deadline(context), period(context, year) or period(title, None)
            due = When(0, 0, deadline=d) if d else When(0, 0, period=span) if span else None
        targets, figures = [], []
        for part in bullets:
            for m in mentions(part.text):
                w = when(part.text, m.start, m.end, year) or (due if is_target else None)
                t = self.target(m, w, part) if w or is_target else None
                if t:
                    targets.append(t)
                else:
                    figures.append(self.figure(m, year_of(part.text), part))
        if intro is not None:
            for m in mentions(intro.text):
                if not counts_something(m):
                    continue
                w = when(intro.text, m.start, m.end, year)
                t = self.target(m, w, intro) if w else None
                if t:
                    targets.append(t)
                else:
                    figures.append(self.figure(m, year_of(intro.text) or year, intro))
        return targets, figures

    def target(self, m: Mention, w: When | None, part: Part) -> dict | None:
        t = {"metric": m.metric, "value": _number(m.value), "unit": m.unit}
        if m.comparator != "=":
            t["comparator"] = m.comparator
        if w and w.deadline:
            t["deadline"] = w.deadline
        elif w and w.period:
            t["period_start"], t["period_end"] = w.period
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
