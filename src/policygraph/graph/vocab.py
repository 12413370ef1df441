"""Namespaces and IRI minting: the one place where policygraph IRIs are made.

Resources live under ``https://w3id.org/policygraph/id/{kind}/{slug}`` and ontology terms
under ``https://w3id.org/policygraph/ontology#``.

>>> mint("agency", "miit")
<NamedNode value=https://w3id.org/policygraph/id/agency/miit>
>>> PG.issuedBy.value
'https://w3id.org/policygraph/ontology#issuedBy'
>>> curie(mint("sector", "data-security"))
'sector:data-security'
"""

from __future__ import annotations

import re

from pyoxigraph import NamedNode

from policygraph.records.kinds import KINDS, SEGMENTS

BASE = "https://w3id.org/policygraph/"
ID_BASE = BASE + "id/"

SLUG = re.compile(r"^[a-z0-9][a-z0-9-]*$")


class Namespace:
    """Attribute access to IRIs that share a prefix: ``PG.Policy``."""

    def __init__(self, base: str) -> None:
        self.base = base

    def __getattr__(self, name: str) -> NamedNode:
        if name.startswith("__"):
            raise AttributeError(name)
        return NamedNode(self.base + name)

    def __getitem__(self, name: str) -> NamedNode:
        return NamedNode(self.base + name)


PG = Namespace(BASE + "ontology#")
RDF = Namespace("http://www.w3.org/1999/02/22-rdf-syntax-ns#")
RDFS = Namespace("http://www.w3.org/2000/01/rdf-schema#")
OWL = Namespace("http://www.w3.org/2002/07/owl#")
XSD = Namespace("http://www.w3.org/2001/XMLSchema#")
SKOS = Namespace("http://www.w3.org/2004/02/skos/core#")
DCTERMS = Namespace("http://purl.org/dc/terms/")
PROV = Namespace("http://www.w3.org/ns/prov#")
ORG = Namespace("http://www.w3.org/ns/org#")

#: prefixes written into every serialisation and known to every query
PREFIXES: dict[str, str] = {
    "pg": PG.base,
    **{k.segment: f"{ID_BASE}{k.segment}/" for k in KINDS.values() if k.role != "internal"},
    "rdf": RDF.base,
    "rdfs": RDFS.base,
    "owl": OWL.base,
    "xsd": XSD.base,
    "skos": SKOS.base,
    "dcterms": DCTERMS.base,
    "prov": PROV.base,
    "org": ORG.base,
    "wd": "http://www.wikidata.org/entity/",
}


def mint(kind: str, slug: str) -> NamedNode:
    """The IRI of a resource of ``kind`` with a stable ``slug``."""
    if kind not in SEGMENTS:
        raise ValueError(f"unknown kind of resource {kind!r}")
    if not SLUG.match(slug):
        raise ValueError(f"{slug!r} is not a slug (lower-case letters, digits and hyphens)")
    return NamedNode(f"{ID_BASE}{kind}/{slug}")


def expand(name: str) -> str:
    """The full IRI of a prefixed name such as ``pg:Policy``.

    >>> expand("skos:Concept")
    'http://www.w3.org/2004/02/skos/core#Concept'
    """
    prefix, _, local = name.partition(":")
    return PREFIXES[prefix] + local


def curie(iri: NamedNode | str) -> str:
    """Shorten an IRI with the known prefixes, or give it back in full."""
    value = iri.value if isinstance(iri, NamedNode) else iri
    best = ""
    for prefix, base in PREFIXES.items():
        if value.startswith(base) and len(base) > len(PREFIXES.get(best, "")):
            best = prefix
    if best:
        local = value[len(PREFIXES[best]) :]
        if re.fullmatch(r"[A-Za-z0-9_.-]*", local):
            return f"{best}:{local}"
    return value


def sparql_prologue() -> str:
    """PREFIX declarations for every known prefix, for queries that leave them out."""
    return "".join(f"PREFIX {p}: <{b}>\n" for p, b in PREFIXES.items())
