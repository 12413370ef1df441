"""The explorer's data: four bulk SPARQL queries, grouped in Python into nodes and records.

One query per kind of thing (nodes, records, targets, sources), never one per page, so the
site is as quick to build from a 5,000-document endpoint as from memory. Every query is a
hidden canned one (``queries/_site-*.rq``) run through :func:`backends.queries.run`, so the
explorer works from any store.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field

from pyoxigraph import Literal, NamedNode

from policygraph.backends.queries import run
from policygraph.graph.vocab import DCTERMS, ID_BASE, ORG, PG, RDFS, SKOS, SLUG

KINDS = ("agency", "company", "sector", "subject")
#: agencies of these kinds with a parent count as the parent among co-issuers (queries/co-issuers.rq)
ROLLED_UP = ("office", "department")


def slug_of(iri: str, kind: str) -> str:
    """The file name of a resource's page: its slug, or a hash for an IRI minted elsewhere."""
    prefix = f"{ID_BASE}{kind}/"
    rest = iri[len(prefix) :] if iri.startswith(prefix) else ""
    if rest and SLUG.match(rest) and len(rest) <= 120:
        return rest
    return "x-" + hashlib.sha1(iri.encode()).hexdigest()[:16]


def _text(term) -> str:
    return term.value if term is not None else ""


@dataclass
class Node:
    """An agency, company, sector or subject class."""

    iri: str
    kind: str
    slug: str
    en: str = ""
    zh: str = ""
    acronym: str = ""
    aliases: list[str] = field(default_factory=list)
    agency_kind: str = ""
    parents: list[str] = field(default_factory=list)  # org:subOrganizationOf or skos:broader
    matches: list[str] = field(default_factory=list)  # skos:closeMatch (a subject's sectors)
    dissolved: str = ""
    successors: list[str] = field(default_factory=list)

    @property
    def name(self) -> str:
        return self.en or self.zh or self.acronym or self.slug


@dataclass
class Target:
    metric: str = ""
    value: str = ""
    unit: str = ""
    comparator: str = ""
    deadline: str = ""
    start: str = ""
    end: str = ""


@dataclass
class Mention:
    """A source item a record was derived from, with its source."""

    item: str
    label: str = ""
    section: str = ""
    position: str = ""
    links: list[str] = field(default_factory=list)
    source: str = ""
    title: str = ""
    url: str = ""


@dataclass
class Record:
    """A policy or event, with everything its page shows."""

    iri: str
    kind: str
    slug: str
    date: str = ""
    en: str = ""
    zh: str = ""
    number: str = ""
    type: str = ""
    official: str = ""
    links: list[str] = field(default_factory=list)
    issuers: list[str] = field(default_factory=list)  # lead first
    lead: str = ""
    agencies: list[str] = field(default_factory=list)  # an event's agencies
    sectors: list[str] = field(default_factory=list)
    subjects: list[str] = field(default_factory=list)
    companies: list[str] = field(default_factory=list)
    forwards: list[str] = field(default_factory=list)
    declared: str = ""
    in_force: str = ""
    targets: list[Target] = field(default_factory=list)
    mentions: list[Mention] = field(default_factory=list)

    @property
    def title(self) -> str:
        return self.zh or self.en or self.number or self.slug

    @property
    def year(self) -> str:
        return self.date[:4]


@dataclass
class SiteData:
    """Everything the explorer shows, grouped: nodes and records by IRI."""

    nodes: dict[str, Node]
    records: dict[str, Record]

    def of_kind(self, kind: str) -> list[Node]:
        return [n for n in self.nodes.values() if n.kind == kind]

    def rollup(self, agency: str) -> str:
        """The agency an issuer counts as among co-issuers: an office's ministry, else itself."""
        node = self.nodes.get(agency)
        if node and node.agency_kind in ROLLED_UP and node.parents:
            return node.parents[0]
        return agency


def _add(values: list[str], value: str) -> None:
    if value not in values:
        values.append(value)


def _nodes(backend) -> dict[str, Node]:
    nodes: dict[str, Node] = {}
    for iri, kind, prop, value in run(backend, "_site-nodes").rows:
        n = nodes.get(iri.value)
        if n is None:
            n = nodes[iri.value] = Node(iri.value, kind.value, slug_of(iri.value, kind.value))
        p, v = prop.value, value.value
        if p == SKOS.prefLabel.value and isinstance(value, Literal):
            if value.language == "zh":
                n.zh = n.zh or v
            else:
                n.en = n.en or v
        elif p == SKOS.notation.value:
            n.acronym = n.acronym or v
        elif p == SKOS.altLabel.value:
            _add(n.aliases, v)
        elif p == PG.agencyKind.value:
            n.agency_kind = v
        elif p in (ORG.subOrganizationOf.value, SKOS.broader.value):
            _add(n.parents, v)
        elif p == SKOS.closeMatch.value:
            _add(n.matches, v)
        elif p == PG.dissolvedIn.value:
            n.dissolved = v
        elif p == PG.succeededBy.value:
            _add(n.successors, v)
    for n in nodes.values():
        n.aliases = [a for a in n.aliases if a not in (n.acronym, n.en, n.zh)]
    return nodes


#: single-valued literal properties of a record, by the attribute they fill
_FIELDS = {
    DCTERMS.issued.value: "date",
    PG.documentNumber.value: "number",
    PG.documentType.value: "type",
    PG.eventType.value: "type",
    PG.officialText.value: "official",
    PG.leadIssuer.value: "lead",
    PG.declaredIssuerCount.value: "declared",
    PG.entersIntoForce.value: "in_force",
}
_LISTS = {
    RDFS.seeAlso.value: "links",
    PG.issuedBy.value: "issuers",
    PG.involvesAgency.value: "agencies",
    PG.concernsSector.value: "sectors",
    PG.subjectClass.value: "subjects",
    PG.involvesCompany.value: "companies",
    PG.forwards.value: "forwards",
}


def _records(backend) -> dict[str, Record]:
    records: dict[str, Record] = {}
    for iri, kind, prop, value in run(backend, "_site-records").rows:
        r = records.get(iri.value)
        if r is None:
            r = records[iri.value] = Record(iri.value, kind.value, slug_of(iri.value, kind.value))
        p, v = prop.value, value.value
        if p == DCTERMS.title.value:
            lang = value.language if isinstance(value, Literal) else ""
            if lang == "zh" and not r.zh:
                r.zh = v
            elif lang != "zh" and not r.en:
                r.en = v
        elif p in _FIELDS:
            if not getattr(r, _FIELDS[p]):
                setattr(r, _FIELDS[p], v)
        elif p in _LISTS:
            _add(getattr(r, _LISTS[p]), v)
    return records


def _targets(backend, records: dict[str, Record]) -> None:
    found: dict[tuple[str, str], Target] = {}
    names = {PG.metric.value: "metric", PG.targetValue.value: "value", PG.unit.value: "unit",
             PG.comparator.value: "comparator", PG.deadlineYear.value: "deadline",
             PG.periodStart.value: "start", PG.periodEnd.value: "end"}  # fmt: skip
    for record, target, prop, value in run(backend, "_site-targets").rows:
        if record.value not in records:
            continue
        key = (record.value, target.value)
        if key not in found:
            found[key] = Target()
            records[record.value].targets.append(found[key])
        setattr(found[key], names[prop.value], value.value)


def _mentions(backend, records: dict[str, Record]) -> None:
    found: dict[tuple[str, str], Mention] = {}
    for record, item, label, section, position, link, source, title, url in run(
        backend, "_site-sources"
    ).rows:
        if record.value not in records:
            continue
        key = (record.value, item.value)
        if key not in found:
            found[key] = Mention(item.value, _text(label), _text(section), _text(position),
                                 [], _text(source), _text(title), _text(url))  # fmt: skip
            records[record.value].mentions.append(found[key])
        if link is not None and isinstance(link, NamedNode):
            _add(found[key].links, link.value)


def load(backend) -> SiteData:
    """The explorer's data from any backend (memory, disk or endpoint)."""
    nodes = _nodes(backend)
    records = _records(backend)
    _targets(backend, records)
    _mentions(backend, records)
    for r in records.values():
        if r.lead in r.issuers:  # lead first, then the rest by acronym
            r.issuers.remove(r.lead)
        r.issuers.sort(key=lambda a: nodes[a].acronym if a in nodes else a)
        if r.lead:
            r.issuers.insert(0, r.lead)
        r.targets.sort(key=lambda t: (t.deadline or t.end, t.metric))
        r.mentions.sort(key=lambda m: (m.source, m.position.zfill(8)))
    return SiteData(nodes, records)
