"""Records to RDF quads: the one place that writes triples.

``FIELD_MAP`` maps every field of every model to the ontology; a test checks that it covers
each model field and that each predicate it names is declared in ``ontology/policygraph.ttl``.
Registry files go into named graphs ``id/graph/{agencies,sectors,companies}``; each source file
into the named graph of its brief, so ``GRAPH ?g`` answers "who said so".
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from pyoxigraph import Literal, NamedNode, Quad

from policygraph.graph.vocab import (
    DCTERMS,
    ORG,
    OWL,
    PG,
    PROV,
    RDF,
    RDFS,
    SKOS,
    XSD,
    expand,
    mint,
)
from policygraph.records.kinds import KINDS, RECORD_MODELS, REGISTRY_FILES
from policygraph.records.load import Data
from policygraph.records.models import (
    Agency,
    Brief,
    Company,
    Event,
    Figure,
    Item,
    Policy,
    Record,
    Sector,
    Subject,
    Target,
)

#: the SKOS scheme of each kind of concept, with its English and Chinese labels
SCHEMES: dict[type[Record], tuple[NamedNode, str, str]] = {
    Sector: (mint("scheme", "sectors"), "Sectors", "行业领域"),
    Subject: (
        mint("scheme", "gov-cn-subjects"),
        "Subject classes of the State Council policy library",
        "国务院政策文件库主题分类",
    ),
}


@dataclass(frozen=True)
class Context:
    """What a field's value needs to become a term: the brief and the record it is in."""

    brief: str = ""
    parent: str = ""


Convert = Callable[[Any, Context], Any]


def _lang(value: str, _: Context) -> Literal:
    """A label tagged @zh when it has Chinese characters, else @en."""
    return Literal(value, language="zh" if re.search(r"[\u3400-\u9fff]", value) else "en")


def _en(value: str, _: Context) -> Literal:
    return Literal(value, language="en")


def _zh(value: str, _: Context) -> Literal:
    return Literal(value, language="zh")


def _plain(value: Any, _: Context) -> Literal:
    return Literal(str(value))


def _integer(value: int, _: Context) -> Literal:
    return Literal(str(value), datatype=XSD.integer)


def _decimal(value: Decimal, _: Context) -> Literal:
    return Literal(format(value.normalize(), "f"), datatype=XSD.decimal)


def _year(value: int, _: Context) -> Literal:
    return Literal(f"{value:04d}", datatype=XSD.gYear)


def _date(value: dt.date, _: Context) -> Literal:
    return Literal(value.isoformat(), datatype=XSD.date)


def _month(value: str, _: Context) -> Literal:
    return Literal(value, datatype=XSD.gYearMonth)


def _url(value: str, _: Context) -> NamedNode:
    return NamedNode(value)


def _ref(kind: str) -> Convert:
    return lambda value, _: mint(kind, value)


def _wikidata(value: str, _: Context) -> NamedNode:
    return NamedNode("http://www.wikidata.org/entity/" + value)


def _item(value: str, ctx: Context) -> NamedNode:
    return mint("source", f"{ctx.brief}-{value}")


#: a field is the subject's id, nested records, or (predicates, converter)
SUBJECT = "subject"
NESTED = "nested"
Mapping = str | tuple[tuple[NamedNode, ...], Convert]

FIELD_MAP: dict[type[Record], dict[str, Mapping]] = {
    Agency: {
        "id": SUBJECT,
        "acronym": ((SKOS.notation, SKOS.altLabel), _plain),
        "name_en": ((SKOS.prefLabel,), _en),
        "name_zh": ((SKOS.prefLabel,), _zh),
        "aliases": ((SKOS.altLabel,), _lang),
        "kind": ((PG.agencyKind,), _plain),
        "parent": ((ORG.subOrganizationOf,), _ref("agency")),
        "wikidata": ((OWL.sameAs,), _wikidata),
        "dissolved": ((PG.dissolvedIn,), _year),
        "successors": ((PG.succeededBy,), _ref("agency")),
    },
    Sector: {
        "id": SUBJECT,
        "label_en": ((SKOS.prefLabel,), _en),
        "label_zh": ((SKOS.prefLabel,), _zh),
        "aliases": ((SKOS.altLabel,), _lang),
        "broader": ((SKOS.broader,), _ref("sector")),
    },
    Subject: {
        "id": SUBJECT,
        "notation": ((SKOS.notation,), _plain),
        "label_zh": ((SKOS.prefLabel,), _zh),
        "label_en": ((SKOS.prefLabel,), _en),
        "broader": ((SKOS.broader,), _ref("subject")),
        "sectors": ((SKOS.closeMatch,), _ref("sector")),
    },
    Company: {
        "id": SUBJECT,
        "name_en": ((SKOS.prefLabel,), _en),
        "name_zh": ((SKOS.prefLabel,), _zh),
        "aliases": ((SKOS.altLabel,), _lang),
        "parent": ((ORG.subOrganizationOf,), _ref("company")),
        "wikidata": ((OWL.sameAs,), _wikidata),
    },
    Brief: {
        "id": SUBJECT,
        "title": ((DCTERMS.title,), _lang),
        "publisher": ((DCTERMS.publisher,), _plain),
        "period": ((DCTERMS.date,), _month),
        "url": ((RDFS.seeAlso,), _url),
        "licence": ((DCTERMS.rights,), _plain),
        "retrieved": ((PG.retrieved,), _date),
    },
    Item: {
        "id": SUBJECT,
        "section": ((PG.section,), _plain),
        "position": ((PG.position,), _integer),
        "label": ((RDFS.label,), _lang),
        "links": ((RDFS.seeAlso,), _url),
        "about": ((PG.reports,), _ref("policy")),
    },
    Policy: {
        "id": SUBJECT,
        "item": ((PROV.wasDerivedFrom,), _item),
        "title_en": ((DCTERMS.title,), _en),
        "title_zh": ((DCTERMS.title,), _zh),
        "type": ((PG.documentType,), _plain),
        "issued": ((DCTERMS.issued,), _date),
        "issuers": ((PG.issuedBy,), _ref("agency")),  # the first is also pg:leadIssuer
        "declared_issuer_count": ((PG.declaredIssuerCount,), _integer),
        "document_number": ((PG.documentNumber,), _plain),
        "in_force": ((PG.entersIntoForce,), _date),
        "official_url": ((PG.officialText,), _url),
        "links": ((RDFS.seeAlso,), _url),
        "sectors": ((PG.concernsSector,), _ref("sector")),
        "subject": ((PG.subjectClass,), _ref("subject")),
        "forwards": ((PG.forwards,), _ref("policy")),
        "forward_action": ((PG.forwardAction,), _plain),
        "companies": ((PG.involvesCompany,), _ref("company")),
        "summary": ((DCTERMS.description,), _en),
        "quote": ((PG.quote,), _plain),
        "targets": NESTED,
        "figures": NESTED,
    },
    Event: {
        "id": SUBJECT,
        "item": ((PROV.wasDerivedFrom,), _item),
        "title_en": ((DCTERMS.title,), _en),
        "kind": ((PG.eventType,), _plain),
        "date": ((DCTERMS.issued,), _date),
        "agencies": ((PG.involvesAgency,), _ref("agency")),
        "companies": ((PG.involvesCompany,), _ref("company")),
        "sectors": ((PG.concernsSector,), _ref("sector")),
        "summary": ((DCTERMS.description,), _en),
        "quote": ((PG.quote,), _plain),
        "links": ((RDFS.seeAlso,), _url),
        "targets": NESTED,
        "figures": NESTED,
    },
    Target: {
        "metric": ((PG.metric,), _en),
        "value": ((PG.targetValue,), _decimal),
        "unit": ((PG.unit,), _plain),
        "comparator": ((PG.comparator,), _plain),
        "quote": ((PG.quote,), _plain),
        "deadline": ((PG.deadlineYear,), _year),
        "period_start": ((PG.periodStart,), _year),
        "period_end": ((PG.periodEnd,), _year),
    },
    Figure: {
        "metric": ((PG.metric,), _en),
        "value": ((PG.value,), _decimal),
        "unit": ((PG.unit,), _plain),
        "comparator": ((PG.comparator,), _plain),
        "quote": ((PG.quote,), _plain),
        "year": ((PG.year,), _year),
    },
}

#: the classes and IRI segment of each model's resources, from the table of kinds
TYPES: dict[type[Record], tuple[NamedNode, ...]] = {
    k.model: tuple(NamedNode(expand(c)) for c in k.classes) for k in KINDS.values() if k.model
}
KIND = {k.model: k.segment for k in KINDS.values() if k.model}
#: nested records point back to their parent with these
NESTED_LINK = {"targets": PG.setsTarget, "figures": PG.reportsFigure}


def triples(subject: NamedNode, record: Record, ctx: Context) -> Iterator[tuple]:
    """Every triple that ``record`` states about ``subject``, by ``FIELD_MAP``."""
    model = type(record)
    for rdf_type in TYPES[model]:
        yield subject, RDF.type, rdf_type
    source = _item(record.item, ctx) if isinstance(record, RECORD_MODELS) else None
    for name, mapping in FIELD_MAP[model].items():
        value = getattr(record, name)
        if mapping == SUBJECT or value is None:
            continue
        if mapping == NESTED:
            for n, child in enumerate(value, start=1):
                kind = "target" if name == "targets" else "figure"
                node = mint(kind, f"{subject.value.rsplit('/', 1)[-1]}-{n}")
                yield subject, NESTED_LINK[name], node
                yield node, PROV.wasDerivedFrom, source
                yield from triples(node, child, ctx)
            continue
        predicates, convert = mapping
        values = value if isinstance(value, list) else [value]
        for v in values:
            term = convert(v, ctx)
            for predicate in predicates:
                yield subject, predicate, term
        if name == "issuers" and values:
            yield subject, PG.leadIssuer, convert(values[0], ctx)
    if model in SCHEMES:
        scheme = SCHEMES[model][0]
        yield subject, SKOS.inScheme, scheme
        if record.broader is None:  # type: ignore[attr-defined]
            yield subject, SKOS.topConceptOf, scheme
            yield scheme, SKOS.hasTopConcept, subject


def _registry_quads(data: Data) -> Iterator[Quad]:
    ctx = Context()
    for name, model in REGISTRY_FILES.values():
        records = getattr(data, name)
        graph = mint("graph", name)
        if model in SCHEMES and records:
            scheme, en, zh = SCHEMES[model]
            yield Quad(scheme, RDF.type, SKOS.ConceptScheme, graph)
            yield Quad(scheme, SKOS.prefLabel, Literal(en, language="en"), graph)
            yield Quad(scheme, SKOS.prefLabel, Literal(zh, language="zh"), graph)
        for rec in records:
            for s, p, o in triples(mint(KIND[type(rec)], rec.id), rec, ctx):
                yield Quad(s, p, o, graph)


def source_quads(source) -> Iterator[Quad]:
    """The quads of one resolved source file, all in the named graph of its brief."""
    brief = source.source
    graph = mint("source", brief.id)
    ctx = Context(brief=brief.id)
    for s, p, o in triples(graph, brief, ctx):
        yield Quad(s, p, o, graph)
    for item in source.items:
        node = _item(item.id, ctx)
        yield Quad(node, DCTERMS.isPartOf, graph, graph)
        for s, p, o in triples(node, item, ctx):
            yield Quad(s, p, o, graph)
        for reported in item.about:  # a record of another source that this item also reports
            yield Quad(mint("policy", reported), PROV.wasDerivedFrom, node, graph)
    for rec in source.records:
        for s, p, o in triples(mint(KIND[type(rec)], rec.id), rec, ctx):
            yield Quad(s, p, o, graph)
    for agency in source.agencies:  # local bodies minted for this source: in its graph
        for s, p, o in triples(mint("agency", agency.id), agency, ctx):
            yield Quad(s, p, o, graph)


def quads(data: Data) -> Iterator[Quad]:
    """Every quad of the graph built from resolved ``data``."""
    yield from _registry_quads(data)
    for source in data.sources.values():
        yield from source_quads(source)
