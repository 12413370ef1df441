"""Check ``data/``: pydantic records, registry references and conflicts, then SHACL.

SHACL runs on the graph the records would become, with the shapes of ``ontology/shapes.ttl``;
each violation is traced back to the file and record the focus node was made from.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph
from pyoxigraph import Quad

from policygraph.graph import triples as graph_mod
from policygraph.graph.vocab import ID_BASE, curie
from policygraph.problems import Problem, errors_in
from policygraph.records.doctable import resolve_tables
from policygraph.records.load import Data, load
from policygraph.records.registry import resolve
from policygraph.resources import ontology_path, shapes_path

SH = "http://www.w3.org/ns/shacl#"
RDF_TYPE = pyoxigraph.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
SUBCLASS = pyoxigraph.NamedNode("http://www.w3.org/2000/01/rdf-schema#subClassOf")


@dataclass
class Checked:
    """The outcome of a check: the data (resolved), its quads if valid, and every problem."""

    data: Data
    quads: Iterable[Quad] | None  # a list after SHACL; made on the fly without it

    @property
    def problems(self) -> list[Problem]:
        return self.data.problems

    @property
    def ok(self) -> bool:
        return not errors_in(self.problems)


def check(
    root: Path | str = "data", *, shacl: bool = True, only: set[str] | None = None
) -> Checked:
    """Load, resolve and (if all else passed) SHACL-validate ``data/`` without writing anything.

    ``only`` limits the source files read to those named (the registries are always read).
    """
    data = load(root, strict=False, only=only)
    resolve_tables(resolve(data))
    if errors_in(data.problems):
        return Checked(data, None)
    if not shacl:  # nothing more to check: the quads are made as the store takes them
        return Checked(data, graph_mod.quads(data))
    quads = list(graph_mod.quads(data))
    store = pyoxigraph.Store()
    store.extend(quads)
    graph = union_graph(quads, shape_predicates())
    data.problems.extend(shacl_problems(graph, data, store, inplace=True))
    return Checked(data, quads if not errors_in(data.problems) else None)


def shape_predicates() -> set[pyoxigraph.NamedNode] | None:
    """The predicates SHACL can look at: every IRI the shapes name, rdf:type and
    rdfs:subClassOf; None (all of them) if a shape is closed, as then every property counts."""
    import rdflib

    shapes = rdflib.Graph().parse(shapes_path(), format="turtle")
    if (None, rdflib.URIRef(SH + "closed"), None) in shapes:
        return None
    named = {str(t) for triple in shapes for t in triple if isinstance(t, rdflib.URIRef)}
    return {pyoxigraph.NamedNode(iri) for iri in named} | {RDF_TYPE, SUBCLASS}


def union_graph(quads: Iterable[Quad], predicates: set | None = None):
    """The triples of ``quads``, whichever named graph holds them, as one ``rdflib.Graph``;
    only those whose predicate is in ``predicates``, if given (no shape looks at over a quarter
    of the shipped record's triples, and rdflib's graph is the slow part)."""
    import rdflib

    if predicates is not None:
        quads = (q for q in quads if q.predicate in predicates)
    text = pyoxigraph.serialize((q.triple for q in quads), format=pyoxigraph.RdfFormat.N_TRIPLES)
    graph = rdflib.Graph()
    graph.parse(data=text, format="nt")
    return graph


def shacl_problems(
    data_graph, data: Data | None = None, store=None, *, inplace: bool = False
) -> list[Problem]:
    """Every SHACL violation in ``data_graph`` (an rdflib graph), each naming its record.
    With ``inplace``, the ontology is added to ``data_graph`` itself rather than to a copy.

    pyshacl checks the core constraints. The SPARQL-based ones are run here instead, each as
    one query over the whole graph in Oxigraph (``store``, made from ``data_graph`` if not
    given): pyshacl parses a constraint's query anew for every focus node, which at 5,000
    policies took 250 s of a 310 s build.
    """
    import pyshacl  # imported here: it is slow to import and only validation needs it
    import rdflib

    sh = rdflib.Namespace(SH)
    shapes = rdflib.Graph().parse(shapes_path(), format="turtle")
    ontology = rdflib.Graph().parse(ontology_path(), format="turtle")
    constraints = _sparql_constraints(shapes)
    if store is None:
        store = pyoxigraph.Store()
        text = data_graph.serialize(format="nt", encoding="utf-8")
        store.load(text, format=pyoxigraph.RdfFormat.N_TRIPLES)
    problems = [p for c in constraints for p in _run_constraint(store, c, data)]
    conforms, report, _ = pyshacl.validate(
        data_graph,
        shacl_graph=shapes,
        ont_graph=ontology,
        advanced=True,
        allow_warnings=True,
        inplace=inplace,
    )
    if conforms:
        return sorted(problems, key=str)
    for result in report.subjects(rdflib.RDF.type, sh.ValidationResult):
        focus = report.value(result, sh.focusNode)
        path = report.value(result, sh.resultPath)
        message = report.value(result, sh.resultMessage) or "violates a SHACL shape"
        value = report.value(result, sh.value)
        if value is not None:
            message = f"{message} (value {value})"
        file, record = _origin(str(focus), data)
        field = curie(str(path)) if isinstance(path, rdflib.URIRef) else None
        problems.append(Problem("error", file, record, field, f"SHACL: {message}"))
    return sorted(problems, key=str)


def _sparql_constraints(shapes) -> list[tuple[str, str, str]]:
    """Take each SPARQL-based constraint out of ``shapes``: (target class, message, query)."""
    import rdflib

    sh = rdflib.Namespace(SH)
    found = []
    for shape, node in list(shapes.subject_objects(sh.sparql)):
        prefixes = "".join(
            f"PREFIX {shapes.value(d, sh.prefix)}: <{shapes.value(d, sh.namespace)}>\n"
            for p in shapes.objects(node, sh.prefixes)
            for d in shapes.objects(p, sh.declare)
        )
        for cls in shapes.objects(shape, sh.targetClass):
            query = prefixes + str(shapes.value(node, sh.select)).replace("$this", "?this")
            found.append((str(cls), str(shapes.value(node, sh.message)), query))
        shapes.remove((shape, sh.sparql, node))
    return found


def _run_constraint(store, constraint: tuple[str, str, str], data: Data | None) -> list[Problem]:
    """The violations of one SPARQL-based constraint: its query's rows whose ?this has the
    shape's target class, as pyshacl would report them."""
    cls, message, query = constraint
    typed = {q.subject for q in store.quads_for_pattern(None, RDF_TYPE, pyoxigraph.NamedNode(cls))}
    problems = []
    for row in store.query(query, use_default_graph_as_union=True):
        if row["this"] in typed:
            file, record = _origin(row["this"].value, data)
            value = row["value"]
            text = f"{message} (value {value.value})" if value is not None else message
            problems.append(Problem("error", file, record, None, f"SHACL: {text}"))
    return problems


def _origin(iri: str, data: Data | None) -> tuple[str, str]:
    """The file and record a minted IRI was made from, as far as it can be traced."""
    if data is None or not iri.startswith(ID_BASE):
        return "graph", curie(iri)
    kind, _, slug = iri[len(ID_BASE) :].partition("/")
    if kind in ("target", "figure"):
        parent, _, n = slug.rpartition("-")
        for parent_kind in ("policy", "event"):
            where = data.where.get((parent_kind, parent))
            if where:
                return where.file, f"{where.record} {kind}s[{int(n) - 1}]"
    where = data.where.get((kind, slug))
    return (where.file, where.record) if where else ("graph", curie(iri))
