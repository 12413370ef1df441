"""The main job: check ``data/``, build the graph, store it, export it, summarise it.

Nothing is written unless the data is valid, and each output replaces the old one only once
it is complete, so a failed build leaves an earlier ``out/`` as it was.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from .export import BUILD_FORMATS, FORMATS, export
from .problems import DataError, Problem
from .queries import run
from .store import Embedded, memory_store, write_disk_store
from .validate import check


@dataclass
class Built:
    """What a build produced."""

    store: Embedded
    out: Path
    files: dict[str, Path] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)

    @property
    def triples(self) -> int:
        return sum(1 for _ in self.store.triples())


def build(data: Path | str = "data", out: Path | str = "out", *, shacl: bool = True) -> Built:
    """Build ``out/`` from ``data/``; raise :class:`DataError` (writing nothing) on bad data."""
    checked = check(data, shacl=shacl)
    if not checked.ok or checked.quads is None:
        raise DataError(checked.problems)
    out = Path(out)
    store = Embedded(memory_store(checked.quads))
    built = Built(store=store, out=out, problems=checked.problems)
    for name in BUILD_FORMATS:
        built.files[name] = export(store, out / f"graph.{FORMATS[name].suffix}", name)
    built.files["store"] = write_disk_store(checked.quads, out / "store")
    return built


def summary(store, top: int = 5) -> str:
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
