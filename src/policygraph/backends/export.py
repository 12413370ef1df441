"""Write the graph in the common RDF formats, atomically: a temporary file, then a rename.

Turtle, N-Triples and JSON-LD hold every distinct triple (the union of all named graphs);
TriG and N-Quads keep one named graph per registry file and per source.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph
from pyoxigraph import RdfFormat

from policygraph.graph.vocab import PREFIXES


@dataclass(frozen=True)
class Format:
    name: str
    rdf: RdfFormat
    suffix: str
    dataset: bool


FORMATS = {
    f.name: f
    for f in (
        Format("turtle", RdfFormat.TURTLE, "ttl", False),
        Format("nt", RdfFormat.N_TRIPLES, "nt", False),
        Format("jsonld", RdfFormat.JSON_LD, "jsonld", False),
        Format("trig", RdfFormat.TRIG, "trig", True),
        Format("nquads", RdfFormat.N_QUADS, "nq", True),
    )
}
#: what `policygraph build` writes into out/
BUILD_FORMATS = ("turtle", "nt", "jsonld", "trig")


def replace_atomically(path: Path, write) -> Path:
    """Call ``write(tmp_path)`` and move the result to ``path`` only if it succeeded."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        write(tmp)
        os.replace(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)
    return path


def export(backend, path: Path | str, fmt: str) -> Path:
    """Write the graph of any backend to ``path`` in format ``fmt`` (a key of :data:`FORMATS`)."""
    spec = FORMATS[fmt]
    prefixes = None if spec.rdf in (RdfFormat.N_TRIPLES, RdfFormat.N_QUADS) else PREFIXES

    def write(tmp: Path) -> None:
        data = backend.quads() if spec.dataset else backend.triples()
        pyoxigraph.serialize(data, str(tmp), format=spec.rdf, prefixes=prefixes)

    return replace_atomically(Path(path), write)


def export_all(backend, out: Path, names: tuple[str, ...] = BUILD_FORMATS) -> dict[str, Path]:
    """Write several formats with one pass over the distinct triples: N-Triples first, then
    the other triple formats converted from it, streaming."""
    files: dict[str, Path] = {}
    if "nt" in names or any(not FORMATS[n].dataset for n in names):
        files["nt"] = export(backend, out / "graph.nt", "nt")
    for name in names:
        spec = FORMATS[name]
        path = out / f"graph.{spec.suffix}"
        if name == "nt":
            continue
        if spec.dataset:
            files[name] = export(backend, path, name)
            continue

        def convert(tmp: Path, spec: Format = spec) -> None:
            triples = pyoxigraph.parse(path=str(files["nt"]), format=RdfFormat.N_TRIPLES)
            pyoxigraph.serialize(triples, str(tmp), format=spec.rdf, prefixes=PREFIXES)

        files[name] = replace_atomically(path, convert)
    return {n: files[n] for n in names if n in files}


def format_for(path: Path | str) -> str:
    """The format a file name asks for, by its suffix."""
    suffix = Path(path).suffix.lstrip(".").lower()
    for f in FORMATS.values():
        if suffix in (f.suffix, f.name):
            return f.name
    raise ValueError(f"cannot tell the format of {path}; name one of {', '.join(FORMATS)}")
