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
    data.problems.extend(shacl_problems(union_graph(quads), data))
    return Checked(data, quads if not errors_in(data.problems) else None)


def union_graph(quads: Iterable[Quad]):
    """The triples of ``quads``, whichever named graph holds them, as one ``rdflib.Graph``."""
    import rdflib

    text = pyoxigraph.serialize((q.triple for q in quads), format=pyoxigraph.RdfFormat.N_TRIPLES)
    graph = rdflib.Graph()
    graph.parse(data=text, format="nt")
    return graph


def shacl_problems(data_graph, data: Data | None = None) -> list[Problem]:
    """Every SHACL violation in ``data_graph`` (an rdflib graph), each naming its record."""
    import pyshacl  # imported here: it is slow to import and only validation needs it
    import rdflib

    sh = rdflib.Namespace(SH)
    shapes = rdflib.Graph().parse(shapes_path(), format="turtle")
    ontology = rdflib.Graph().parse(ontology_path(), format="turtle")
    conforms, report, _ = pyshacl.validate(
        data_graph, shacl_graph=shapes, ont_graph=ontology, advanced=True, allow_warnings=True
    )
    if conforms:
        return []
    problems = []
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
