"""The main job: check ``data/``, build the graph, store it, export it, summarise it.

Nothing is written unless the data is valid, and each output replaces the old one only once
it is complete, so a failed build leaves an earlier ``out/`` as it was.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import pyoxigraph

from . import queries
from .export import BUILD_FORMATS, FORMATS, export
from .problems import DataError, Problem
from .results import Result
from .store import memory_store, write_disk_store
from .validate import check


@dataclass
class Built:
    """What a build produced."""

    store: pyoxigraph.Store
    out: Path
    files: dict[str, Path] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)

    @property
    def triples(self) -> int:
        return sum(1 for _ in self.store.query("SELECT DISTINCT ?s ?p ?o { ?s ?p ?o }",
                                               use_default_graph_as_union=True))  # fmt: skip


def build(data: Path | str = "data", out: Path | str = "out", *, shacl: bool = True) -> Built:
    """Build ``out/`` from ``data/``; raise :class:`DataError` (writing nothing) on bad data."""
    checked = check(data, shacl=shacl)
    if not checked.ok or checked.quads is None:
        raise DataError(checked.problems)
    out = Path(out)
    store = memory_store(checked.quads)
    built = Built(store=store, out=out, problems=checked.problems)
    for name in BUILD_FORMATS:
        built.files[name] = export(store, out / f"graph.{FORMATS[name].suffix}", name)
    built.files["store"] = write_disk_store(checked.quads, out / "store")
    return built


def run(store: pyoxigraph.Store, name: str, **params: str) -> Result:
    """Run a canned query by name with parameters given as text."""
    query = queries.get(name)
    return Result.of(queries.execute(store, query.text, queries.bind(store, query, params)))


def summary(store: pyoxigraph.Store, top: int = 5) -> str:
    """Counts per class, the most frequent co-issuing pairs, targets falling due per year."""
    counts = run(store, "class-counts").records()
    pairs = run(store, "co-issuance").records()[:top]
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
