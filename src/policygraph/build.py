"""The main job: check ``data/``, build the graph, store it, export it, summarise it.

Nothing is written unless the data is valid, and each output replaces the old one only once
it is complete, so a failed build leaves an earlier ``out/`` as it was.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from pathlib import Path

import pyoxigraph
from pyoxigraph import NamedNode

from policygraph import __version__
from policygraph.backends import store_path
from policygraph.backends.embedded import (
    Embedded,
    is_complete,
    mark_complete,
    mark_incomplete,
    memory_store,
    open_disk_store,
    write_disk_store,
)
from policygraph.backends.export import BUILD_FORMATS, FORMATS, export_all, replace_atomically
from policygraph.backends.queries import run
from policygraph.graph.validate import check
from policygraph.graph.vocab import PG, RDF, mint
from policygraph.networks.projections import coissuance
from policygraph.networks.tables import FILE as TABLES_FILE
from policygraph.networks.tables import Tables
from policygraph.problems import DataError, Problem
from policygraph.records.kinds import REGISTRY_FILES
from policygraph.records.load import source_files
from policygraph.records.tablefile import tables_beside
from policygraph.resources import ontology_path, resource_dir, shapes_path

MANIFEST = "manifest.json"
SUMMARY = "summary.txt"


@dataclass
class Built:
    """What a build produced, and how: ``full``, ``incremental`` or ``unchanged``."""

    store: Embedded
    out: Path
    files: dict[str, Path] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)
    mode: str = "full"
    reloaded: list[str] = field(default_factory=list)
    summary: str = ""
    tables: Tables | None = None  # the networks' tables, when the build made them

    @property
    def triples(self) -> int:
        """Distinct triples written: the lines of the N-Triples export (one triple a line)."""
        with open(self.files["nt"], "rb") as f:
            return sum(chunk.count(b"\n") for chunk in iter(lambda: f.read(1 << 20), b""))


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _code_digest() -> str:
    """One digest of policygraph's own code and queries: a change to either rebuilds in full."""
    package = Path(__file__).parent
    files = sorted([*package.rglob("*.py"), *resource_dir("queries").glob("*.rq")])
    digest = hashlib.sha256()
    for path in files:
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def fingerprint(data: Path, shacl: bool) -> dict:
    """What a build's output depends on: the code, the ontology, every data file."""
    return {
        "policygraph": f"{__version__} {_code_digest()}",
        "shacl": shacl,
        "ontology": _digest(ontology_path()) + _digest(shapes_path()),
        "registries": {n: _digest(data / n) for n in REGISTRY_FILES if (data / n).exists()},
        "sources": {
            p.name: "".join(map(_digest, [p, *tables_beside(p)])) for p in source_files(data)
        },
    }


def _outputs(out: Path) -> dict[str, Path]:
    files = {n: out / f"graph.{FORMATS[n].suffix}" for n in BUILD_FORMATS}
    return {**files, "store": store_path(out)}


def _previous(out: Path) -> dict | None:
    """The manifest of the last build, if all it wrote is still there and complete."""
    try:
        manifest = json.loads((out / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    complete = is_complete(store_path(out)) and all(p.exists() for p in _outputs(out).values())
    return manifest if complete else None


def _graphs(data) -> dict[str, str]:
    """Each loaded source file's name, with the named graph its facts go into."""
    return {
        Path(path).name: mint("source", src.source.id).value for path, src in data.sources.items()
    }


def _finish(built: Built, tables: Tables, now: dict, graphs: dict[str, str]) -> Built:
    """Summarise the new graph and record what it was built from."""
    built.tables = tables
    built.summary = summary(built.store, tables=tables)
    replace_atomically(
        built.out / SUMMARY, lambda tmp: tmp.write_text(built.summary + "\n", "utf-8")
    )
    _write_manifest(built.out, now, graphs)
    return built


def _write_manifest(out: Path, now: dict, graphs: dict[str, str]) -> None:
    doc = {"fingerprint": now, "graphs": graphs}
    replace_atomically(
        out / MANIFEST, lambda tmp: tmp.write_text(json.dumps(doc, indent=1), "utf-8")
    )


def build(
    data: Path | str = "data",
    out: Path | str = "out",
    *,
    shacl: bool = True,
    incremental: bool = True,
) -> Built:
    """Build ``out/`` from ``data/``; raise :class:`DataError` (writing nothing) on bad data.

    With ``incremental``, an unchanged ``data/`` reloads nothing, and a changed source file
    reloads only its own named graph; registry, ontology or version changes rebuild in full.
    """
    data, out = Path(data), Path(out)
    now = fingerprint(data, shacl)
    before = _previous(out) if incremental else None
    if before is not None:
        old = before["fingerprint"]
        if old == now and (out / SUMMARY).exists():
            store = Embedded(open_disk_store(store_path(out)), store_path(out))
            text = (out / SUMMARY).read_text(encoding="utf-8")
            return Built(store=store, out=out, files=_outputs(out), mode="unchanged", summary=text)
        if all(old[k] == now[k] for k in ("policygraph", "shacl", "ontology", "registries")):
            return _update(data, out, before, now, shacl)
    return _full(data, out, now, shacl)


def _full(data: Path, out: Path, now: dict, shacl: bool) -> Built:
    checked = check(data, shacl=shacl)
    if not checked.ok or checked.quads is None:
        raise DataError(checked.problems)
    store = Embedded(memory_store(checked.quads))
    built = Built(store=store, out=out, problems=checked.problems)
    built.files.update(export_all(store, out, BUILD_FORMATS))
    tables = Tables.query(store)
    built.files["store"] = write_disk_store(
        store.store, store_path(out), lambda folder: tables.save(folder / TABLES_FILE)
    )
    built.reloaded = sorted(Path(p).name for p in checked.data.sources)
    return _finish(built, tables, now, _graphs(checked.data))


def _update(data: Path, out: Path, before: dict, now: dict, shacl: bool) -> Built:
    """Reload only the named graphs of source files that changed, came or went."""
    old, new = before["fingerprint"]["sources"], now["sources"]
    changed = {name for name, digest in new.items() if old.get(name) != digest}
    gone = set(old) - set(new)
    checked = check(data, shacl=shacl, only=changed)
    if not checked.ok or checked.quads is None:
        raise DataError(checked.problems)
    fresh = {mint("source", s.source.id) for s in checked.data.sources.values()}
    replaced = {NamedNode(before["graphs"][n]) for n in changed | gone if n in before["graphs"]}
    quads = [q for q in checked.quads if q.graph_name in fresh]
    path = store_path(out)
    files = {iri: name for name, iri in before["graphs"].items()}
    clashes = _clashes(open_disk_store(path), quads, fresh | replaced, data / "sources", files)
    if clashes:
        raise DataError(checked.problems + clashes)
    mark_incomplete(path)  # from here until the marker is back, the store is not served
    (path / TABLES_FILE).unlink(missing_ok=True)
    store = pyoxigraph.Store(str(path))
    for graph in replaced | fresh:
        store.remove_graph(graph)
    store.extend(quads)
    store.flush()
    embedded = Embedded(store, path)
    tables = Tables.query(embedded)
    tables.save(path / TABLES_FILE)
    mark_complete(path)
    built = Built(store=embedded, out=out, problems=checked.problems, mode="incremental")
    built.files.update(export_all(embedded, out, BUILD_FORMATS))
    built.files["store"] = path
    kept = {n: iri for n, iri in before["graphs"].items() if n not in changed | gone}
    built.reloaded = sorted(changed | gone)
    return _finish(built, tables, now, kept | _graphs(checked.data))


def _clashes(store, quads: list, allowed: set, folder: Path, files: dict) -> list[Problem]:
    """Policies or events that the reloaded files define but another, unchanged file defines."""
    problems = []
    for q in quads:
        if q.predicate == RDF.type and q.object in (PG.Policy, PG.Event):
            for other in store.quads_for_pattern(q.subject, RDF.type, q.object, None):
                if other.graph_name not in allowed:
                    where = folder / files.get(other.graph_name.value, other.graph_name.value)
                    message = (
                        f"duplicate id {q.subject.value.rsplit('/', 1)[-1]!r}: also in {where}"
                    )
                    problems.append(Problem("error", str(where), None, "id", message))
    return problems


def summary(store, top: int = 5, tables: Tables | None = None) -> str:
    """Counts per class, the most frequent co-issuing pairs, targets falling due per year.

    The pairs come from the incidence ``tables`` (queried if not given): at 100k policies
    that is a fraction of a second, where the co-issuance query takes half a minute on disk.
    """
    counts = run(store, "class-counts").records()
    tables = tables or Tables.of(store)
    name = {iri: d.get("notation") or iri for iri, d in tables.labels.items()}
    # pairs ordered within by IRI, named by acronym, sorted as the co-issuance query sorts them
    shared = [(name[a], name[b], n) for (a, b), n in coissuance(tables).items()]
    shared.sort(key=lambda p: (-p[2], p[0], p[1]))
    pairs = [{"a": a, "b": b, "policies": n} for a, b, n in shared[:top]]
    years = run(store, "target-years").records()
    lines = [
        "Resources: " + ", ".join(f"{r['class'].rsplit('#')[-1]} {r['count']}" for r in counts)
    ]
    lines.append(f"Most frequent co-issuers (top {len(pairs)}):")
    lines += [f"  {r['a']} + {r['b']}: {r['policies']} policies" for r in pairs]
    lines.append("Targets falling due:")
    lines += [
        f"  {r['year']}: {r['targets']} targets from {r['setters']} policies or events"
        for r in years
    ]
    return "\n".join(lines)
