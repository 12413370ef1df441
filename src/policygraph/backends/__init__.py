"""Where the graph is read from: the embedded Oxigraph store, in memory or on disk, or any
SPARQL 1.1 endpoint. Every query, export, push and view works on a :class:`Backend`.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import Protocol, runtime_checkable

import pyoxigraph
from pyoxigraph import Quad

from policygraph.backends.results import Result
from policygraph.errors import StoreError

STORE = "store"  # the on-disk store's folder inside a build's output folder
STAGING = ".staging"  # where a build writes its outputs before it switches them into place
DEFAULT_OUT = Path("out")


def store_path(out: Path | str = DEFAULT_OUT) -> Path:
    """The on-disk store a build writes into ``out``."""
    return Path(out) / STORE


@runtime_checkable
class Backend(Protocol):
    """What every store offers the rest of policygraph."""

    #: shown to people: ``memory``, a store folder, or an endpoint's URL
    label: str
    #: the on-disk store folder, where a build keeps its tables; None for memory and endpoints
    folder: Path | None

    def query(self, text: str, bindings: dict | None = None) -> Result:
        """Run SPARQL over the union of all named graphs, parameters bound as terms."""
        ...

    def quads(self) -> Iterable[Quad]:
        """Every quad, in its named graph."""
        ...

    def triples(self) -> Iterable[pyoxigraph.Triple]:
        """Every distinct triple, whichever graphs hold it."""
        ...


def open_backend(spec: str | None, data: Path | str = "data") -> tuple[Backend, str | None]:
    """The backend ``spec`` names, and a note for the user where there is one.

    ``spec`` is ``memory`` (build ``data`` in memory), a store folder, the URL of a SPARQL 1.1
    query endpoint, or None: the default build's store if there is one, else memory.
    """
    from policygraph.backends.embedded import (
        Embedded,
        is_complete,
        memory_store,
        open_disk_store,
    )

    if spec is None:
        default = store_path()
        switching = switch_note(default.parent)
        if is_complete(default):
            note = switching or stale_note(default, Path(data))
            return Embedded(open_disk_store(default), default), note
        if switching:
            raise StoreError(switching.removeprefix("note: "))
        spec = "memory"
    if spec == "memory":
        from policygraph.graph.validate import check
        from policygraph.problems import DataError

        checked = check(data)
        if not checked.ok or checked.quads is None:
            raise DataError(checked.problems)
        return Embedded(memory_store(checked.quads)), None
    if spec.startswith(("http://", "https://")):
        from policygraph.backends.endpoint import Endpoint

        return Endpoint(spec), None
    folder = Path(spec)  # a build's store named by its path gets the same note as the default
    switching = switch_note(folder.parent) if folder.name == STORE else None
    if switching and not is_complete(folder):
        raise StoreError(switching.removeprefix("note: "))
    return Embedded(open_disk_store(folder), spec), switching


def switch_note(out: Path) -> str | None:
    """A note when a build into ``out`` was killed (or is) while switching its outputs."""
    if (out / STAGING / "manifest.json").exists():
        return (
            f"note: a build into {out}/ was interrupted while switching its outputs, so they "
            "may not match each other; run `policygraph build` to finish it"
        )
    return None


def stale_note(store: Path, data: Path) -> str | None:
    """A note when ``data`` changed after ``store`` was built."""
    from policygraph.backends.embedded import completed_at

    built = completed_at(store)
    if data.is_dir() and any(f.stat().st_mtime > built for f in data.rglob("*.yaml")):
        return (
            f"note: {data}/ changed after {store} was built; run `policygraph build` to refresh it"
        )
    return None
