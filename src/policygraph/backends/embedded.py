"""Where the graph lives: an Oxigraph store in memory, or on disk under ``out/store``.

Oxigraph is the embedded engine because it is measured to be far faster than rdflib's memory
store (docs/benchmarks.md); rdflib stays available through :func:`to_rdflib`.
An on-disk store is written beside its final place and moved there only when complete, with a
marker file, so a store left half-written by a killed build is detected, never served.

>>> from pyoxigraph import Quad, NamedNode, Literal
>>> s = memory_store([Quad(NamedNode("http://e/a"), NamedNode("http://e/p"), Literal("x"),
...                        NamedNode("http://e/g"))])
>>> len(s)
1
"""

from __future__ import annotations

import re
import shutil
from collections.abc import Iterable
from pathlib import Path

import pyoxigraph
from pyoxigraph import Quad

from policygraph.backends.results import Result
from policygraph.backends.service import refuse_service
from policygraph.errors import QueryError, StoreError
from policygraph.graph.vocab import PREFIXES

COMPLETE = "POLICYGRAPH_COMPLETE"  # the file that says a store folder was written to the end


def is_complete(path: Path | str) -> bool:
    """Whether the store folder ``path`` was written to the end by a build."""
    return (Path(path) / COMPLETE).exists()


def completed_at(path: Path | str) -> float:
    """When the store folder ``path`` was marked complete (seconds since the epoch)."""
    return (Path(path) / COMPLETE).stat().st_mtime


def completion(path: Path | str) -> tuple | None:
    """What identifies the store's completion (its marker's device, inode and time), so that a
    reader can tell a rebuilt store from the one it opened; None if the store is incomplete."""
    try:
        st = (Path(path) / COMPLETE).stat()
    except OSError:
        return None
    return st.st_dev, st.st_ino, st.st_mtime_ns


def mark_complete(path: Path | str) -> None:
    """Say that the store folder ``path`` is whole: readers may open it from now on."""
    (Path(path) / COMPLETE).write_text("policygraph store\n", encoding="utf-8")


def mark_incomplete(path: Path | str) -> None:
    """Withdraw the store folder ``path`` from readers until :func:`mark_complete`."""
    (Path(path) / COMPLETE).unlink(missing_ok=True)


def memory_store(quads: Iterable[Quad]) -> pyoxigraph.Store:
    """A fresh in-memory store holding ``quads``."""
    store = pyoxigraph.Store()
    store.extend(quads)
    return store


def write_disk_store(source: pyoxigraph.Store, path: Path | str, beside=None) -> Path:
    """Copy ``source`` to a new on-disk store at ``path``, replacing an old one only at the end.

    ``beside(folder)``, if given, writes files that belong to this store into its folder
    before the store is marked complete.
    """
    path = Path(path)
    tmp = path.with_name(path.name + ".tmp")
    shutil.rmtree(tmp, ignore_errors=True)
    store = pyoxigraph.Store(str(tmp))
    # through an N-Quads file beside it, so that parsing and loading stay in Oxigraph's own
    # code and a million policies' dump (3.5 GB) never sits in memory
    dump = path.with_name(path.name + ".nq")
    try:
        source.dump(str(dump), format=pyoxigraph.RdfFormat.N_QUADS)
        store.bulk_load(path=str(dump), format=pyoxigraph.RdfFormat.N_QUADS)
    finally:
        dump.unlink(missing_ok=True)
    store.flush()
    store.optimize()
    del store
    if beside is not None:
        beside(tmp)
    mark_complete(tmp)
    old = path.with_name(path.name + ".old")
    shutil.rmtree(old, ignore_errors=True)
    if path.exists():
        path.rename(old)
    tmp.rename(path)
    shutil.rmtree(old, ignore_errors=True)
    return path


def open_disk_store(path: Path | str) -> pyoxigraph.Store:
    """Open a complete on-disk store read-only; refuse a missing or half-written one."""
    path = Path(path)
    if not path.is_dir():
        raise StoreError(f"no store at {path}: run `policygraph build` first")
    if not is_complete(path):
        raise StoreError(f"the store at {path} is incomplete (a build was interrupted): rebuild it")
    try:
        return pyoxigraph.Store.read_only(str(path))
    except OSError as exc:
        raise StoreError(f"cannot open the store at {path}: {exc}") from exc


def query_error(exc: SyntaxError | RuntimeError) -> QueryError:
    """The one-line error a user sees for what Oxigraph's parser or engine raised."""
    if isinstance(exc, SyntaxError):
        return QueryError(f"SPARQL syntax error: {exc}")
    m = re.search(r"variable \?(\w+) in its SELECT projection", str(exc))
    if m:
        return QueryError(f"parameter {m[1]!r} must appear in the query's SELECT clause")
    return QueryError(str(exc))


class Embedded:
    """An Oxigraph store in this process: the embedded default, in memory or on disk."""

    def __init__(self, store: pyoxigraph.Store, folder: Path | str | None = None) -> None:
        self.store = store
        self.folder = Path(folder) if folder is not None else None
        self.label = str(folder) if folder is not None else "memory"

    def query(self, text: str, bindings: dict | None = None) -> Result:
        """Run SPARQL over the union of all named graphs, with ``bindings`` substituted."""
        refuse_service(text)  # a SERVICE clause would send requests wherever it names
        try:
            answer = self.store.query(
                text,
                use_default_graph_as_union=True,
                prefixes=PREFIXES,
                substitutions=bindings or None,
            )
            return Result.of(answer)
        except (SyntaxError, RuntimeError) as exc:
            raise query_error(exc) from exc

    def quads(self) -> Iterable[Quad]:
        """Every quad, in its named graph."""
        return self.store.quads_for_pattern(None, None, None, None)

    def triples(self) -> Iterable[pyoxigraph.Triple]:
        """Every distinct triple, whichever graphs hold it, grouped by subject.

        The order is Oxigraph's index order: the same for the same content, unsorted (sorting
        17M triples would cost more than the export).
        """
        rows = self.store.query(ALL_TRIPLES, use_default_graph_as_union=True)
        return (pyoxigraph.Triple(row[0], row[1], row[2]) for row in rows)

    def __len__(self) -> int:
        return len(self.store)


ALL_TRIPLES = "SELECT DISTINCT ?s ?p ?o WHERE { ?s ?p ?o }"


def to_rdflib(store: pyoxigraph.Store):
    """The store's quads as an ``rdflib.Dataset``, for code that wants rdflib's API."""
    import rdflib

    data = pyoxigraph.serialize(store, format=pyoxigraph.RdfFormat.N_QUADS)
    dataset = rdflib.Dataset()
    dataset.parse(data=data, format="nquads")
    return dataset


def union_graph(store: pyoxigraph.Store):
    """Every distinct triple of every named graph, as one ``rdflib.Graph``."""
    import rdflib

    data = pyoxigraph.serialize(Embedded(store).triples(), format=pyoxigraph.RdfFormat.N_TRIPLES)
    graph = rdflib.Graph()
    graph.parse(data=data, format="nt")
    return graph
