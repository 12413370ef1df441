"""The kinds of resource policygraph knows, declared once: every other list derives from ``KINDS``.

A kind names its record model, the registry file that holds it (for registries) or its section
of a source file, the IRI segment its resources are minted under, its RDF classes, its role in
the networks and its SHACL shape. Adding a kind is one entry here plus its model; a test checks
that the ontology, the shapes, the queries and the networks agree with this table.

>>> KINDS["agency"].classes
('pg:Agency',)
>>> [k.name for k in node_kinds()]
['agency', 'sector', 'company']
>>> REGISTRY_FILES["sectors.yaml"][0]
'sectors'
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

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

#: ``node``: a column of the networks (agencies, sectors, companies); ``record``: a row that links
#: nodes (policies, events); ``nested``: a part of a record (targets, figures); ``concept``: a
#: class of a library's own scheme, reached through the sectors it maps to
Role = Literal["node", "record", "nested", "source", "concept", "internal"]


@dataclass(frozen=True)
class Kind:
    """One kind of resource and everything the code needs to know about it."""

    name: str
    model: type[Record] | None
    segment: str  # the IRI path segment: https://w3id.org/policygraph/id/{segment}/{slug}
    classes: tuple[str, ...]  # rdf:type of each resource, as CURIEs
    role: Role
    registry: str | None = None  # the data/ file of a registry kind
    key: str | None = None  # the list's key in that file, or the section of a source file
    shape: str | None = None  # the SHACL node shape in ontology/shapes.ttl (pgsh:)
    glyph: str | None = None  # how a node of this kind is drawn in the views
    optional: bool = False  # a registry file that a data folder may leave out


KINDS: dict[str, Kind] = {
    k.name: k
    for k in (
        Kind("agency", Agency, "agency", ("pg:Agency",), "node",
             "agencies.yaml", "agencies", "AgencyShape", "dot"),
        Kind("policy", Policy, "policy", ("pg:Policy",), "record", key="policies",
             shape="PolicyShape"),
        Kind("sector", Sector, "sector", ("pg:Sector", "skos:Concept"), "node",
             "sectors.yaml", "sectors", "SectorShape", "diamond"),
        Kind("company", Company, "company", ("pg:Company",), "node",
             "companies.yaml", "companies", "CompanyShape", "square"),
        Kind("subject", Subject, "subject", ("pg:SubjectClass", "skos:Concept"), "concept",
             "subjects.yaml", "subjects", "SubjectClassShape", optional=True),
        Kind("target", Target, "target", ("pg:Target",), "nested", key="targets",
             shape="TargetShape"),
        Kind("figure", Figure, "figure", ("pg:Figure",), "nested", key="figures",
             shape="FigureShape"),
        Kind("event", Event, "event", ("pg:Event",), "record", key="events", shape="EventShape"),
        Kind("source", Brief, "source", ("pg:Source",), "source", key="source",
             shape="SourceShape"),
        Kind("item", Item, "source", ("pg:Source",), "source", key="items", shape="SourceShape"),
        # IRIs minted for the graph's own structure: named graphs of registries, SKOS schemes
        Kind("graph", None, "graph", (), "internal"),
        Kind("scheme", None, "scheme", ("skos:ConceptScheme",), "internal"),
    )
}  # fmt: skip


def node_kinds() -> list[Kind]:
    """The kinds that are nodes of the networks, in table order."""
    return [k for k in KINDS.values() if k.role == "node"]


def record_kinds() -> list[Kind]:
    """The kinds that are records linking nodes: policies and events."""
    return [k for k in KINDS.values() if k.role == "record"]


def kind_of(model: type[Record]) -> Kind:
    """The kind whose model is ``model``."""
    return _BY_MODEL[model]


_BY_MODEL = {k.model: k for k in KINDS.values() if k.model is not None}
#: registry file → (its key, its model), in the order they are loaded
REGISTRY_FILES: dict[str, tuple[str, type[Record]]] = {
    k.registry: (k.key, k.model)  # type: ignore[misc]
    for k in KINDS.values()
    if k.registry is not None and k.key is not None and k.model is not None
}
#: registry files a data folder may leave out
OPTIONAL_REGISTRIES = {k.registry for k in KINDS.values() if k.registry and k.optional}
#: the IRI segments that may be minted
SEGMENTS: tuple[str, ...] = tuple(dict.fromkeys(k.segment for k in KINDS.values()))
#: every model written to the graph
MODELS: tuple[type[Record], ...] = tuple(_BY_MODEL)
#: the record models, which "is a policy or an event" means
RECORD_MODELS: tuple[type[Record], ...] = tuple(k.model for k in record_kinds() if k.model)
