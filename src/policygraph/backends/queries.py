"""SPARQL: canned ``.rq`` files with declared parameters, bound as RDF terms, never as text.

A canned query's header declares its title and parameters::

    # title: Policies of an agency
    # param: agency agency required The agency: acronym, name, alias or IRI.

Parameters become RDF terms (an agency's name is looked up to its IRI; a year becomes an
``xsd:gYear``) and are given to the engine as variable substitutions, so a value such as
``"} ; DROP ALL ; #`` is matched literally and can never change the query.

>>> parse_value("2026", "gYear")
<Literal value=2026 datatype=<NamedNode value=http://www.w3.org/2001/XMLSchema#gYear>>
>>> parse_value("agency:miit", "iri")
<NamedNode value=https://w3id.org/policygraph/id/agency/miit>
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

import pyoxigraph
from pyoxigraph import Literal, NamedNode, Variable

from policygraph.backends.embedded import query_error
from policygraph.backends.results import Result
from policygraph.backends.service import refuse_service
from policygraph.errors import QueryError
from policygraph.graph.vocab import PREFIXES, SLUG, XSD, expand, mint
from policygraph.records.kinds import KINDS
from policygraph.resources import resource_dir

#: parameter types: the RDF term each becomes; entity types are looked up by name
ENTITY_TYPES = {
    k.name: NamedNode(expand(k.classes[0])) for k in KINDS.values() if k.role in ("node", "concept")
}
LITERAL_TYPES = {
    "gYear": XSD.gYear,
    "date": XSD.date,
    "integer": XSD.integer,
    "decimal": XSD.decimal,
}
PARAM_TYPES = {*ENTITY_TYPES, *LITERAL_TYPES, "string", "iri", "term"}


@dataclass(frozen=True)
class Param:
    name: str
    type: str
    required: bool
    description: str


@dataclass
class Query:
    """A SPARQL query with its declared title and parameters."""

    name: str
    text: str
    title: str = ""
    description: str = ""
    params: list[Param] = field(default_factory=list)

    @classmethod
    def parse(cls, name: str, text: str) -> Query:
        query = cls(name=name, text=text)
        for line in text.splitlines():
            m = re.match(r"^#\s*(title|description|param):\s*(.*)$", line)
            if not m:
                continue
            key, value = m.groups()
            if key == "param":
                pm = re.match(r"^(\w+)\s+(\w+)\s+(required|optional)\s*(.*)$", value)
                if not pm or pm.group(2) not in PARAM_TYPES:
                    raise QueryError(f"{name}: bad param line {line!r}")
                query.params.append(Param(pm[1], pm[2], pm[3] == "required", pm[4]))
            else:
                setattr(query, key, value.strip())
        return query


def canned(include_hidden: bool = False) -> dict[str, Query]:
    """The canned queries of ``queries/``, by name (file name without ``.rq``)."""
    found = {}
    for path in sorted(resource_dir("queries").glob("*.rq")):
        if path.stem.startswith("_") and not include_hidden:
            continue
        found[path.stem] = Query.parse(path.stem, path.read_text(encoding="utf-8"))
    return found


def get(spec: str) -> Query:
    """A query from a canned name, a ``.rq`` file path, or SPARQL text."""
    queries = canned(include_hidden=True)
    if spec in queries:
        return queries[spec]
    if spec.endswith(".rq") or (re.fullmatch(r"[\w./-]+", spec) and Path(spec).is_file()):
        path = Path(spec)
        if not path.is_file():
            raise QueryError(f"no query file {spec}")
        return Query.parse(path.stem, path.read_text(encoding="utf-8"))
    if re.fullmatch(r"[\w-]+", spec):
        raise QueryError(f"no canned query {spec!r}; known: {', '.join(sorted(canned()))}")
    return Query.parse("query", spec)


def parse_value(text: str, type_: str = "term") -> pyoxigraph.Literal | NamedNode:
    """A parameter's text as an RDF term of its declared type (not for entity types)."""
    if type_ in LITERAL_TYPES:
        return Literal(text, datatype=LITERAL_TYPES[type_])
    if type_ == "string":
        return Literal(text)
    if type_ in ("iri", "term"):
        if text.startswith("<") and text.endswith(">"):
            return NamedNode(text[1:-1])
        prefix, colon, local = text.partition(":")
        if colon and prefix in PREFIXES and not local.startswith("//"):
            return NamedNode(PREFIXES[prefix] + local)
        if re.match(r"^https?://\S+$", text):
            return NamedNode(text)
        if type_ == "iri":
            raise QueryError(f"{text!r} is not an IRI (use <...>, a prefixed name or http(s)://)")
        if re.fullmatch(r"-?\d+", text):
            return Literal(text, datatype=XSD.integer)
        return Literal(text)
    raise QueryError(f"unknown parameter type {type_!r}")


def check_names(query: Query, values: dict[str, str]) -> None:
    """Refuse a parameter a documented query does not declare, or a required one missing."""
    declared = {p.name: p for p in query.params}
    strict = bool(query.title or query.params)  # a documented query declares all it takes
    for name in values:
        if strict and name not in declared:
            takes = ", ".join(declared) or "none"
            raise QueryError(f"{query.name} has no parameter {name!r}; it takes {takes}")
    for p in query.params:
        if p.required and p.name not in values:
            raise QueryError(f"{query.name} needs --param {p.name}=... ({p.description})")


def bind(backend, query: Query, values: dict[str, str]) -> dict[Variable, object]:
    """Turn ``name=value`` texts into RDF terms, checking them against the declared params."""
    check_names(query, values)
    declared = {p.name: p for p in query.params}
    out: dict[Variable, object] = {}
    for name, text in values.items():
        type_ = declared[name].type if name in declared else "term"
        if type_ in ENTITY_TYPES:
            out[Variable(name)] = lookup(backend, type_, text)
        else:
            out[Variable(name)] = parse_value(text, type_)
    return out


def check_bindable(text: str, names) -> None:
    """Refuse, before anything runs, a parameter the query does not select (as Oxigraph does), so
    that every store gives the same error: an endpoint's VALUES block would instead answer
    with no rows. Oxigraph's own parser decides, on an empty store; results are not read."""
    names = list(names)
    if not names:
        return
    refuse_service(text)  # the probe below must not call out either
    probe = {Variable(str(n).lstrip("?$")): Literal("") for n in names}
    try:
        pyoxigraph.Store().query(
            text, use_default_graph_as_union=True, prefixes=PREFIXES, substitutions=probe
        )
    except (SyntaxError, RuntimeError) as exc:
        raise query_error(exc) from exc


def _hidden(name: str) -> Query:
    return canned(include_hidden=True)[name]


def lookup(backend, kind: str, text: str) -> NamedNode:
    """The IRI of the ``kind`` entity named ``text`` (IRI, prefixed name, slug, acronym or name)."""
    cls = ENTITY_TYPES[kind]

    def exists(iri: NamedNode) -> bool:
        found = backend.query(
            _hidden("_exists").text, {Variable("entity"): iri, Variable("class"): cls}
        )
        return bool(found.rows)

    if text.startswith("<") or re.match(r"^https?://", text) or text.startswith(f"{kind}:"):
        iri = parse_value(text, "iri")
        if not exists(iri):  # type: ignore[arg-type]
            raise QueryError(f"{text} is not a {kind} in this graph")
        return iri  # type: ignore[return-value]
    if SLUG.match(text) and exists(mint(kind, text)):
        return mint(kind, text)
    subs = {Variable("class"): cls, Variable("name"): Literal(text)}
    hits = backend.query(_hidden("_lookup").text, subs).column("entity")
    if not hits:
        raise QueryError(f"no {kind} is called {text!r}")
    if len(hits) > 1:
        raise QueryError(f"{text!r} names several {kind} entries: {', '.join(hits)}")
    return NamedNode(hits[0])


def run(backend, spec: str, values: dict[str, str] | None = None) -> Result:
    """Run a query (canned name, .rq file or text) on any backend, binding ``values``."""
    query = get(spec)
    check_names(query, values or {})
    check_bindable(query.text, values or {})  # before any lookup runs
    return backend.query(query.text, bind(backend, query, values or {}))
