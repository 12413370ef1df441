"""Where the graph is read from: the embedded Oxigraph store, in memory or on disk, or any
SPARQL 1.1 endpoint. Every query, export, push and view works on a :class:`Backend`.
"""

from __future__ import annotations

import os
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
HOME_VARIABLE = "POLICYGRAPH_HOME"  # a checkout: its data/ and out/store
STORE_VARIABLE = "POLICYGRAPH_STORE"  # a store (folder or URL), as --store takes
HOW = "run `policygraph build` in your checkout, or pass --store / set POLICYGRAPH_HOME"


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


def find_home(start: Path | None = None) -> Path | None:
    """The checkout commands work in: ``$POLICYGRAPH_HOME``, else the nearest folder from
    ``start`` (the current one) upward that holds a built ``out/store`` or a ``data/`` folder.
    Given relative to the current folder, so that messages name short paths."""
    from policygraph.backends.embedded import is_complete

    named = os.environ.get(HOME_VARIABLE)
    if named:
        home = Path(named).expanduser()
        if not (home / "data").is_dir() and not is_complete(store_path(home / DEFAULT_OUT)):
            from policygraph.errors import StoreError

            raise StoreError(f"{HOME_VARIABLE}={named} holds neither data/ nor a built out/store")
        return home
    here = (start or Path.cwd()).absolute()
    for folder in (here, *here.parents):
        if is_complete(store_path(folder / DEFAULT_OUT)) or (folder / "data").is_dir():
            return Path(os.path.relpath(folder))
    return None


def home_path(name: str) -> Path:
    """``name`` (``data`` or ``out``) in the checkout found, or in the current folder."""
    return (find_home() or Path()) / name


def default_store(required: bool = True) -> str | None:
    """The store a command reads when not told: ``$POLICYGRAPH_STORE``, else the checkout's;
    None (or, if ``required``, an error that says what to do) when there is neither."""
    named = os.environ.get(STORE_VARIABLE)
    if named:
        return named
    home = find_home()
    if home is None:
        if not required:
            return None
        raise StoreError(f"no policygraph checkout in {Path.cwd()} or above: {HOW}")
    return str(store_path(home / DEFAULT_OUT))


def open_backend(spec: str | None, data: Path | str | None = None) -> tuple[Backend, str | None]:
    """The backend ``spec`` names, and a note for the user where there is one.

    ``spec`` is ``memory`` (build ``data`` in memory), a store folder, the URL of a SPARQL 1.1
    query endpoint, or None: ``$POLICYGRAPH_STORE``, else the checkout's store
    (:func:`find_home`) if it is built, else memory. ``data`` defaults to the checkout's.
    """
    from policygraph.backends.embedded import (
        Embedded,
        is_complete,
        memory_store,
        open_disk_store,
    )

    data = Path(data) if data is not None else home_path("data")
    if spec is None:
        spec = os.environ.get(STORE_VARIABLE) or None
    if spec is None:
        found = default_store(required=not data.is_dir())  # else: data given, no checkout
        default = Path(found) if found else None
        switching = switch_note(default.parent) if default else None
        if default and is_complete(default):
            note = switching or stale_note(default, data)
            return Embedded(open_disk_store(default), default), note
        if switching:
            raise StoreError(switching.removeprefix("note: "))
        spec = "memory"
    if spec == "memory":
        if not data.is_dir():
            raise StoreError(f"no data/ folder at {data} and no built store: {HOW}")
        from policygraph.graph.validate import check
        from policygraph.problems import DataError

        checked = check(data)
        if not checked.ok or checked.quads is None:
            raise DataError(checked.problems)
        from policygraph.graph.entail import entail

        store = memory_store(checked.quads)
        entail(store)
        return Embedded(store), None
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
