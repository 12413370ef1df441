"""Resolve names in sources to registry entries, and check every cross-reference.

Agencies and companies are found by acronym, English name, Chinese name or alias. Where a
source contradicts itself (an acronym that belongs to another body than the name beside it, a
lead or a count that differs from the official Chinese title), the Chinese title decides and
the conflict is reported as a warning naming file and record.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from policygraph.records.load import Data
from policygraph.records.localbodies import LocalBodies
from policygraph.records.models import Agency, Company, Event, Policy, SourceFile
from policygraph.records.titles import parse_title

_PAREN = re.compile(r"^(?P<name>.+?)\s*[(（](?P<acronym>[^()（）]+)[)）]$")


def normalise(name: str) -> str:
    """The form names are compared in: case, spacing, apostrophes and a leading 'the' ignored.

    >>> normalise("  The People’s Bank of  China ")
    "people's bank of china"
    """
    text = name.replace("’", "'").replace("‘", "'").strip().casefold()
    text = re.sub(r"\s+", " ", text).removeprefix("the ")
    if re.search(r"[\u3400-\u9fff]", text):
        text = text.replace(" ", "")
    return text.rstrip(".")


@dataclass
class Index:
    """Names to ids for one kind of registry entry."""

    kind: str
    names: dict[str, str]

    @classmethod
    def build(cls, kind: str, entries, data: Data) -> Index:
        names: dict[str, str] = {}
        for entry in entries:
            for name in _names(entry):
                key = normalise(name)
                other = names.setdefault(key, entry.id)
                if other != entry.id:
                    data.problem(
                        "error", kind, entry.id, "aliases",
                        f"name {name!r} also belongs to {kind} {other!r}; names must be unique",
                    )  # fmt: skip
        return cls(kind, names)

    def find(self, name: str) -> str | None:
        return self.names.get(normalise(name))


def _names(entry: Agency | Company) -> list[str]:
    if isinstance(entry, Agency):
        return [entry.acronym, entry.name_en, entry.name_zh, *entry.aliases]
    return [entry.id, entry.name_en, *([entry.name_zh] if entry.name_zh else []), *entry.aliases]


class Registry:
    """The registries of ``data/``, indexed for resolution."""

    def __init__(self, data: Data) -> None:
        self.data = data
        self.agencies = {a.id: a for a in data.agencies}
        self.companies = {c.id: c for c in data.companies}
        self.sectors = {s.id: s for s in data.sectors}
        self.agency_index = Index.build("agency", data.agencies, data)
        self.company_index = Index.build("company", data.companies, data)
        self.local = LocalBodies(data.agencies)

    def agency_id(self, name: str) -> str | None:
        """The id of the agency ``name`` names: the registry's, else a local body's, minted."""
        found = self.agency_index.find(name)
        if found is None:
            local = self.local.mint(name)
            if local is not None:
                self.agencies.setdefault(local.id, local)
                found = local.id
        return found

    def local_agencies(self, records) -> list[Agency]:
        """The local agencies minted for ``records`` (policies and events), in id order."""
        used = {a for r in records for a in (r.issuers if isinstance(r, Policy) else r.agencies)}
        return [self.local.minted[i] for i in sorted(used & set(self.local.minted))]

    def agency_candidates(self, text: str) -> list[tuple[str, str]]:
        """(how, id) for each reading of ``text``: whole, or name and acronym of 'Name (ACR)'."""
        found = []
        whole = self.agency_index.find(text)
        if whole:
            return [("name", whole)]
        m = _PAREN.match(text.strip())
        if m:
            for how in ("name", "acronym"):
                hit = self.agency_index.find(m.group(how))
                if hit:
                    found.append((how, hit))
        if not found:
            local = self.agency_id(text)
            found = [("name", local)] if local else []
        return found

    # -- checks of the registries themselves -------------------------------------------------

    def check(self) -> None:
        """Parents, successors and broader sectors must exist; broader links must not loop."""
        for a in self.data.agencies:
            for ref, fld in [(a.parent, "parent")] + [(s, "successors") for s in a.successors]:
                if ref and ref not in self.agencies:
                    self.data.problem("error", "agency", a.id, fld, f"unknown agency {ref!r}")
        for c in self.data.companies:
            if c.parent and c.parent not in self.companies:
                self.data.problem(
                    "error", "company", c.id, "parent", f"unknown company {c.parent!r}"
                )
        for s in self.data.sectors:
            seen, node = {s.id}, s.broader
            while node:
                if node not in self.sectors:
                    self.data.problem(
                        "error", "sector", s.id, "broader", f"unknown sector {node!r}"
                    )
                    break
                if node in seen:
                    self.data.problem(
                        "error", "sector", s.id, "broader", "broader links form a loop"
                    )
                    break
                seen.add(node)
                node = self.sectors[node].broader

    # -- resolution of sources ---------------------------------------------------------------

    def resolve(self) -> None:
        """Replace names in every source by registry ids, in place, reporting what it finds."""
        for path, source in list(self.data.sources.items()):
            items = {i.id for i in source.items}
            if f"items of {path}" in self.data.incomplete:
                items |= {r.item for r in source.records}
            policies = [self._policy(p, items) for p in source.policies]
            events = [self._event(e, items) for e in source.events]
            self.data.sources[path] = SourceFile.model_construct(
                source=source.source,
                items=source.items,
                policies=policies,
                events=events,
                agencies=self.local_agencies([*policies, *events]),
            )

    def _common(self, kind: str, rec: Policy | Event, items: set[str]) -> dict:
        if rec.item not in items:
            self.data.problem("error", kind, rec.id, "item", f"no item {rec.item!r} in this source")
        for i, sector in enumerate(rec.sectors):
            if sector not in self.sectors and "sector" not in self.data.incomplete:
                self.data.problem(
                    "error", kind, rec.id, f"sectors.{i}", f"unknown sector {sector!r}"
                )
        companies = []
        for i, name in enumerate(rec.companies):
            hit = self.company_index.find(name)
            if hit is None:
                self._unknown("company", kind, rec.id, f"companies.{i}", name)
            else:
                companies.append(hit)
        return {"companies": companies}

    def _unknown(self, target: str, kind: str, rid: str, field: str, name: str) -> None:
        """An unknown reference is an error, unless its registry itself failed to load."""
        if target not in self.data.incomplete:
            self.data.problem("error", kind, rid, field, f"unknown {target} {name!r}")

    def _event(self, event: Event, items: set[str]) -> Event:
        update = self._common("event", event, items)
        agencies = []
        for i, name in enumerate(event.agencies):
            hits = self.agency_candidates(name)
            if not hits:
                self._unknown("agency", "event", event.id, f"agencies.{i}", name)
            else:
                agencies.append(self._pick(hits, name, None, "event", event.id, f"agencies.{i}"))
        return event.model_copy(update={**update, "agencies": agencies})

    def _pick(self, hits, written, chinese: set[str] | None, kind, rid, fld) -> str:
        """One id from the readings of a name: the Chinese title's, else the full name's."""
        ids = {i for _, i in hits}
        if len(ids) == 1:
            return hits[0][1]
        choice = next((i for _, i in hits if chinese and i in chinese), None)
        rule = "the Chinese title names it"
        if choice is None:
            choice, rule = next(i for how, i in hits if how == "name"), "the full name decides"
        readings = ", ".join(f"{how} -> {i.upper()}" for how, i in hits)
        self.data.problem(
            "warning", kind, rid, fld,
            f"{written!r} is contradictory ({readings}); using {choice.upper()}: {rule}",
        )  # fmt: skip
        return choice

    def _policy(self, policy: Policy, items: set[str]) -> Policy:
        update = self._common("policy", policy, items)
        title = parse_title(policy.title_zh, self.agency_index.find) if policy.title_zh else None
        named: list[str] = []  # bodies named in the Chinese title, as registry ids, in order
        for body in title.bodies if title else []:
            hit = self.agency_id(body)
            if hit is None and "agency" not in self.data.incomplete:
                self.data.problem(
                    "warning",
                    "policy",
                    policy.id,
                    "title_zh",
                    f"body {body!r} is not in the registry",
                )
            elif hit not in named:
                named.append(hit)
        issuers: list[str] = []
        for i, name in enumerate(policy.issuers):
            hits = self.agency_candidates(name)
            if not hits:
                self._unknown("agency", "policy", policy.id, f"issuers.{i}", name)
                continue
            issuer = self._pick(hits, name, set(named), "policy", policy.id, f"issuers.{i}")
            if issuer not in issuers:
                issuers.append(issuer)
        if named and issuers:
            issuers = self._follow_title(policy, issuers, named)
        count = self._count(policy, title.count if title else None, len(issuers))
        return policy.model_copy(
            update={**update, "issuers": issuers, "declared_issuer_count": count}
        )

    def _follow_title(self, policy: Policy, issuers: list[str], named: list[str]) -> list[str]:
        """Make the issuers agree with the bodies the Chinese title names, lead first."""
        lead = named[0]
        if issuers[0] != lead:
            wrong = issuers[0]
            self.data.problem(
                "warning", "policy", policy.id, "issuers.0",
                f"{policy.issuers[0]!r} resolves to {wrong.upper()} "
                f"({self.agencies[wrong].name_en}), but the Chinese title names "
                f"{self.agencies[lead].name_zh} ({lead.upper()}) as lead; using {lead.upper()}",
            )  # fmt: skip
            if lead in issuers:
                issuers = [lead] + [i for i in issuers if i != lead]
            elif wrong not in named:
                issuers = [lead] + issuers[1:]
            else:
                issuers = [lead] + issuers
        for body in named[1:]:
            if body not in issuers:
                self.data.problem(
                    "warning", "policy", policy.id, "issuers",
                    f"the Chinese title names {body.upper()}, which the source does not list; added",
                )  # fmt: skip
                issuers.append(body)
        return issuers

    def _count(self, policy: Policy, chinese: int | None, listed: int) -> int | None:
        """The declared number of issuers: the Chinese title's, else the source's."""
        written = policy.declared_issuer_count
        if written and chinese and written != chinese:
            self.data.problem(
                "warning", "policy", policy.id, "declared_issuer_count",
                f"the source says {written} issuers but the Chinese title says {chinese}; using {chinese}",
            )  # fmt: skip
        count = chinese or written
        if count and listed > count:
            self.data.problem(
                "warning", "policy", policy.id, "issuers",
                f"{listed} issuers listed but {count} declared",
            )  # fmt: skip
        elif count and listed < count:
            self.data.problem(
                "note", "policy", policy.id, "issuers",
                f"names {listed} of {count} declared issuers",
            )  # fmt: skip
        return count


def resolve(data: Data) -> Registry:
    """Check the registries and resolve every source in ``data``, in place."""
    registry = Registry(data)
    registry.check()
    registry.resolve()
    return registry
