"""Where a build's time goes: `policygraph build` run in this process with a timer around each
step (load and resolve, quads, SHACL, memory store, exports, tables, store write, summary,
views), wall-clock and CPU seconds (all threads), and the peak memory. The timers live here
only; the build's own code and output are untouched.

    python benchmarks/build_steps.py --data data --out /tmp/out [--no-shacl] [--json FILE]

With ``--repeat N`` (the shipped record) it also times N first builds into an empty folder
and N unchanged rebuilds, each a fresh `policygraph build` process, and gives the medians.
"""

from __future__ import annotations

import argparse
import contextlib
import functools
import io
import json
import os
import resource
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

#: (module, attribute, step name): the steps, as the build calls them
STEPS = [
    ("policygraph.build", "fingerprint", "fingerprint (digests)"),
    ("policygraph.build", "check", "check"),
    ("policygraph.graph.validate", "load", "  load (YAML, TSV, pydantic)"),
    ("policygraph.graph.validate", "resolve", "  resolve (registry)"),
    ("policygraph.graph.validate", "resolve_tables", "  resolve (document table)"),
    ("policygraph.graph.validate", "union_graph", "  SHACL: rdflib graph of the quads"),
    ("policygraph.graph.validate", "shacl_problems", "  SHACL: pyshacl + SPARQL constraints"),
    ("policygraph.build", "memory_store", "memory store"),
    ("policygraph.build", "export_all", "exports (Turtle, N-Triples, JSON-LD, TriG)"),
    ("policygraph.networks.tables", "Tables.query", "tables (networks' SPARQL)"),
    ("policygraph.build", "write_disk_store", "store write (dump, bulk load, optimize)"),
    ("policygraph.build", "summary", "summary"),
    ("policygraph.views.render", "write", "views (HTML, GraphML, GEXF, CSV)"),
    ("policygraph.site.write", "write", "explorer (site pages)"),
]
QUADS = "  quads (records to RDF)"


class Timer:
    """Seconds per step, wall-clock and CPU, summed over calls."""

    def __init__(self) -> None:
        self.wall: dict[str, float] = {}
        self.cpu: dict[str, float] = {}

    def add(self, name: str, wall: float, cpu: float) -> None:
        self.wall[name] = self.wall.get(name, 0.0) + wall
        self.cpu[name] = self.cpu.get(name, 0.0) + cpu

    def wrap(self, name: str, func):
        @functools.wraps(func)
        def timed(*args, **kwargs):
            w, c = time.perf_counter(), time.process_time()
            try:
                return func(*args, **kwargs)
            finally:
                self.add(name, time.perf_counter() - w, time.process_time() - c)

        return timed

    def iterate(self, name: str, items):
        """Time the making of each item of a generator, not what its consumer does with it."""
        items, wall, cpu = iter(items), time.perf_counter, time.process_time
        while True:
            w, c = wall(), cpu()
            try:
                item = next(items)
            except StopIteration:
                self.add(name, wall() - w, cpu() - c)
                return
            self.add(name, wall() - w, cpu() - c)
            yield item


def instrument(timer: Timer) -> None:
    """Put a timer around each step of :data:`STEPS`, where the build looks it up."""
    import importlib

    for module, attr, name in STEPS:
        owner = importlib.import_module(module)
        *parents, leaf = attr.split(".")
        for parent in parents:
            owner = getattr(owner, parent)
        func = vars(owner)[leaf]
        if isinstance(func, classmethod):
            setattr(owner, leaf, classmethod(timer.wrap(name, func.__func__)))
        else:
            setattr(owner, leaf, timer.wrap(name, func))
    from policygraph.graph import triples

    quads = triples.quads
    triples.quads = lambda data: timer.iterate(QUADS, quads(data))


def steps(data: Path, out: Path, shacl: bool) -> dict:
    """One full build of ``data`` into ``out`` in this process, step by step."""
    timer = Timer()
    instrument(timer)
    from policygraph.cli import main

    args = ["build", "--data", str(data), "--out", str(out), "--full"]
    args += [] if shacl else ["--no-shacl"]
    w, c = time.perf_counter(), time.process_time()
    with contextlib.redirect_stdout(io.StringIO()) as printed:
        main(args, standalone_mode=False)
    total_wall, total_cpu = time.perf_counter() - w, time.process_time() - c
    top = [n for n in timer.wall if not n.startswith("  ")]
    rest_wall = total_wall - sum(timer.wall[n] for n in top)
    rest_cpu = total_cpu - sum(timer.cpu[n] for n in top)
    result = {
        "data": str(data),
        "shacl": shacl,
        "total_s": round(total_wall, 2),
        "total_cpu_s": round(total_cpu, 2),
        "peak_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024),
        "steps": {
            n: {"s": round(timer.wall[n], 2), "cpu_s": round(timer.cpu[n], 2)} for n in timer.wall
        },
        "rest (staging, switch, report)": {"s": round(rest_wall, 2), "cpu_s": round(rest_cpu, 2)},
        "printed": printed.getvalue().splitlines()[-6:],
    }
    return result


def load() -> str:
    return " ".join(f"{x:.2f}" for x in os.getloadavg())


def runs(data: Path, out: Path, shacl: bool, n: int) -> dict:
    """Median of ``n`` first builds (empty ``out``) and of ``n`` unchanged rebuilds."""
    exe = [sys.executable, "-m", "policygraph", "build", "--data", str(data), "--out", str(out)]
    exe += [] if shacl else ["--no-shacl"]
    env = {**os.environ, "PYTHONPATH": os.environ.get("PYTHONPATH", str(ROOT / "src"))}
    result = {"load_before": load()}
    for kind in ("first", "unchanged"):
        times = []
        for _ in range(n):
            if kind == "first":
                shutil.rmtree(out, ignore_errors=True)
            w = time.perf_counter()
            subprocess.run(exe, check=True, capture_output=True, env=env)
            times.append(time.perf_counter() - w)
        result[f"{kind}_s"] = [round(t, 2) for t in times]
        result[f"{kind}_median_s"] = round(statistics.median(times), 2)
    result["load_after"] = load()
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", type=Path, default=ROOT / "data")
    parser.add_argument("--out", type=Path, default=Path("/tmp/policygraph-steps"))
    parser.add_argument("--no-shacl", action="store_true")
    parser.add_argument("--repeat", type=int, default=0, help="also time N whole builds")
    parser.add_argument("--json", type=Path, help="write the result here too")
    args = parser.parse_args()
    result = {"load_before": load()}
    if args.repeat:
        result["runs"] = runs(args.data, args.out, not args.no_shacl, args.repeat)
    result.update(steps(args.data, args.out, not args.no_shacl))
    result["load_after"] = load()
    text = json.dumps(result, indent=1, ensure_ascii=False)
    print(text)
    if args.json:
        args.json.write_text(text + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
