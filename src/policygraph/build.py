"""The main job: check ``data/``, build the graph, store it, export it, summarise it.

Nothing is written unless the data is valid; everything new is staged and switched into place
together at the end (:mod:`policygraph.outfolder`), so a failed, killed or concurrent build
leaves an earlier ``out/`` as it was.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

import pyoxigraph
from pyoxigraph import NamedNode

from policygraph import __version__
from policygraph.backends import store_path
from policygraph.backends.embedded import (
    Embedded,
    is_complete,
    mark_complete,
    memory_store,
    open_disk_store,
    write_disk_store,
)
from policygraph.backends.export import BUILD_FORMATS, FORMATS, export_all, replace_atomically
from policygraph.backends.queries import run
from policygraph.errors import StoreError
from policygraph.graph.entail import entail
from policygraph.graph.validate import check
from policygraph.graph.vocab import PG, RDF, mint
from policygraph.outfolder import (
    MANIFEST,
    begin,
    commit,
    discard,
    locked,
    prepare,
    write_error,
)
from policygraph.problems import DataError, Problem
from policygraph.records.kinds import REGISTRY_FILES
from policygraph.records.load import source_files
from policygraph.records.reading import readable
from policygraph.records.tablefile import tables_beside
from policygraph.resources import ontology_path, resource_dir, shapes_path
from policygraph.testhook import pause

if TYPE_CHECKING:  # the networks' modules load numpy, scipy and networkx: an unchanged build
    from policygraph.networks.tables import Tables  # needs none of them

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
        # a file that loading refuses (a FIFO, a link out of data/) is not read here either
        "registries": {n: _digest(data / n) for n in REGISTRY_FILES if readable(data / n, data)},
        "sources": {
            p.name: "".join(_digest(f) for f in [p, *tables_beside(p)] if readable(f, data))
            for p in source_files(data)
        },
    }


def _outputs(out: Path) -> dict[str, Path]:
    files = {n: out / f"graph.{FORMATS[n].suffix}" for n in BUILD_FORMATS}
    return {**files, "store": store_path(out)}


def _previous(out: Path) -> dict | None:
    """The manifest of the last build, if all it wrote is still there and complete."""
    try:
        manifest = json.loads((out / MANIFEST).read_text(encoding="utf-8"))
        named = set(manifest["fingerprint"]["sources"]) == set(manifest["graphs"])
    except (OSError, ValueError, KeyError, TypeError):
        return None
    complete = is_complete(store_path(out)) and all(p.exists() for p in _outputs(out).values())
    return manifest if complete and named else None


def _graphs(data) -> dict[str, str]:
    """Each loaded source file's name, with the named graph its facts go into (its source id)."""
    return {
        Path(path).name: mint("source", src.source.id).value for path, src in data.sources.items()
    }


def _finish(built: Built, stage: Path, tables: Tables, now: dict, graphs: dict[str, str]) -> Built:
    """Summarise the new graph and record what it was built from, the manifest last."""
    built.tables = tables
    built.summary = summary(built.store, tables=tables)
    replace_atomically(stage / SUMMARY, lambda tmp: tmp.write_text(built.summary + "\n", "utf-8"))
    pause("staged")
    doc = {"fingerprint": now, "graphs": graphs}
    replace_atomically(
        stage / MANIFEST, lambda tmp: tmp.write_text(json.dumps(doc, indent=1), "utf-8")
    )
    return built


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
    Raises :class:`StoreError` if another build holds ``out`` or a write fails (disk full).
    """
    data, out = Path(data), Path(out)
    with locked(out):
        note = prepare(out)
        try:
            built = _build(data, out, shacl, incremental)
        except OSError as exc:
            discard(out)
            raise StoreError(write_error(exc, out)) from exc
        except BaseException:
            discard(out)
            raise
    if note:
        built.problems.append(Problem("warning", str(out), None, None, note))
    return built


def _build(data: Path, out: Path, shacl: bool, incremental: bool) -> Built:
    now = fingerprint(data, shacl)
    before = _previous(out) if incremental else None
    if before is not None:
        old = before["fingerprint"]
        if old == now and (out / SUMMARY).exists():
            store = Embedded(open_disk_store(store_path(out)), store_path(out))
            text = (out / SUMMARY).read_text(encoding="utf-8")
            return Built(store=store, out=out, files=_outputs(out), mode="unchanged", summary=text)
        if all(old[k] == now[k] for k in ("policygraph", "shacl", "ontology", "registries")):
            built = _update(data, out, begin(out), before, now, shacl)
            built.store = None  # close the staged store before it moves
            commit(out)
            built.store = Embedded(open_disk_store(store_path(out)), store_path(out))
            built.files = _outputs(out)
            return built
    built = _full(data, begin(out), now, shacl)
    commit(out)
    built.out, built.files = out, _outputs(out)
    return built


def _full(data: Path, stage: Path, now: dict, shacl: bool) -> Built:
    from policygraph.networks.tables import FILE as TABLES_FILE
    from policygraph.networks.tables import Tables

    checked = check(data, shacl=shacl)
    if not checked.ok or checked.quads is None:
        raise DataError(checked.problems)
    store = Embedded(memory_store(checked.quads))
    entail(store.store)
    built = Built(store=store, out=stage, problems=checked.problems)
    export_all(store, stage, BUILD_FORMATS)
    pause("exported")
    tables = Tables.query(store)
    write_disk_store(
        store.store, store_path(stage), lambda folder: tables.save(folder / TABLES_FILE)
    )
    built.reloaded = sorted(Path(p).name for p in checked.data.sources)
    return _finish(built, stage, tables, now, _graphs(checked.data))


def _update(data: Path, out: Path, stage: Path, before: dict, now: dict, shacl: bool) -> Built:
    """Reload only the named graphs of source files that changed, came or went, into a copy of
    the store (hard links: cheap) in the staging folder."""
    from policygraph.networks.tables import FILE as TABLES_FILE
    from policygraph.networks.tables import Tables

    old, new = before["fingerprint"]["sources"], now["sources"]
    changed = {name for name, digest in new.items() if old.get(name) != digest}
    gone = set(old) - set(new)
    checked = check(data, shacl=shacl, only=changed)
    if not checked.ok or checked.quads is None:
        raise DataError(checked.problems)
    kept = {n: iri for n, iri in before["graphs"].items() if n not in changed | gone}
    loaded = _graphs(checked.data)
    if len(set(kept.values()) | set(loaded.values())) < len(kept) + len(loaded):
        # a reloaded file reuses the source id of an unchanged one: report it as a full build does
        raise DataError(check(data, shacl=shacl).problems)
    fresh = {NamedNode(iri) for iri in loaded.values()}
    replaced = {NamedNode(before["graphs"][n]) for n in changed | gone if n in before["graphs"]}
    quads = [q for q in checked.quads if q.graph_name in fresh]
    live = open_disk_store(store_path(out))
    files = {iri: name for name, iri in before["graphs"].items()}
    clashes = _clashes(live, quads, fresh | replaced, data / "sources", files)
    if clashes:
        raise DataError(checked.problems + clashes)
    path = store_path(stage)
    live.backup(str(path))
    del live
    store = pyoxigraph.Store(str(path))
    for graph in replaced | fresh:
        store.remove_graph(graph)
    store.extend(quads)
    entail(store)  # the inferred graph follows the reloaded ones
    store.flush()
    store.optimize()  # compact: without it, each reload leaves the old graph's data on disk
    del store  # and reopen: RocksDB then drops its write-ahead log (else ~6x the store's size)
    store = pyoxigraph.Store(str(path))
    embedded = Embedded(store, path)
    tables = Tables.query(embedded)
    tables.save(path / TABLES_FILE)
    mark_complete(path)
    built = Built(store=embedded, out=out, problems=checked.problems, mode="incremental")
    export_all(embedded, stage, BUILD_FORMATS)
    pause("exported")
    built.reloaded = sorted(changed | gone)
    return _finish(built, stage, tables, now, kept | loaded)


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
    from policygraph.networks.projections import coissuance
    from policygraph.networks.tables import Tables

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
