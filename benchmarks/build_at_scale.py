"""The whole pipeline at scale: `policygraph synth`, then `policygraph build --full` (step by
step, through ``build_steps.py``), then the floor: the build's own N-Triples bulk-loaded
straight into an on-disk pyoxigraph store, in a fresh process of the same run; then an
unchanged rebuild and (unless ``--no-queries``) every canned query on the store, each timed.

    python benchmarks/build_at_scale.py --policies 1000000 --no-queries [--shacl]
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PARAMS = {"agency": "MIIT", "year": "2026", "resource": "policy:synth-0"}

#: the floor, run in its own process: load the N-Triples, then flush and compact as a build
#: does, each timed; its peak memory
FLOOR = """
import json, resource, sys, time, pyoxigraph
nt, path = sys.argv[1:3]
start, cpu = time.perf_counter(), time.process_time()
store = pyoxigraph.Store(path)
store.bulk_load(path=nt, format=pyoxigraph.RdfFormat.N_TRIPLES)
loaded, loaded_cpu = time.perf_counter() - start, time.process_time() - cpu
store.flush()
store.optimize()
done, done_cpu = time.perf_counter() - start, time.process_time() - cpu
print(json.dumps({"bulk_load_s": round(loaded, 2), "with_optimize_s": round(done, 2),
                  "bulk_load_cpu_s": round(loaded_cpu, 2), "with_optimize_cpu_s": round(done_cpu, 2),
                  "triples": len(store),
                  "peak_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)}))
"""


def timed(command: list[str]) -> tuple[float, str]:
    start = time.perf_counter()
    env = {**os.environ, "PYTHONPATH": os.environ.get("PYTHONPATH", str(ROOT / "src"))}
    out = subprocess.run(command, capture_output=True, text=True, check=True, env=env).stdout
    return time.perf_counter() - start, out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--policies", type=int, default=100_000)
    parser.add_argument(
        "--work", type=Path, default=Path(tempfile.gettempdir()) / "policygraph-scale"
    )
    parser.add_argument("--shacl", action="store_true", help="validate with SHACL too")
    parser.add_argument("--no-queries", action="store_true", help="skip the canned queries")
    parser.add_argument("--json", type=Path, help="write the result here too")
    args = parser.parse_args()
    py = sys.executable
    data, out = args.work / f"data-{args.policies}", args.work / f"out-{args.policies}"
    floor = args.work / f"floor-{args.policies}"
    result: dict = {"policies": args.policies, "shacl": args.shacl, "load": os.getloadavg()}
    shutil.rmtree(data, ignore_errors=True)
    result["synth_s"], _ = timed([py, "-m", "policygraph", "synth", "--policies",
                                  str(args.policies), "-o", str(data), "--data", str(ROOT / "data")])  # fmt: skip
    steps = [
        py,
        str(ROOT / "benchmarks" / "build_steps.py"),
        "--data",
        str(data),
        "--out",
        str(out),
    ]
    result["build_s"], text = timed(steps + ([] if args.shacl else ["--no-shacl"]))
    result["build"] = json.loads(text)
    result["store_mb"] = sum(f.stat().st_size for f in (out / "store").rglob("*")) / 2**20
    result["files_mb"] = {p.name: p.stat().st_size / 2**20 for p in sorted(out.glob("graph.*"))}
    shutil.rmtree(floor, ignore_errors=True)
    result["floor_process_s"], text = timed([py, "-c", FLOOR, str(out / "graph.nt"), str(floor)])
    result["floor"] = json.loads(text)
    result["floor_store_mb"] = sum(f.stat().st_size for f in floor.rglob("*")) / 2**20
    shutil.rmtree(floor, ignore_errors=True)
    result["ratio"] = round(result["build"]["total_s"] / result["floor"]["bulk_load_s"], 1)
    cpu = result["build"]["total_cpu_s"] / result["floor"]["bulk_load_cpu_s"]
    result["ratio_cpu"] = round(cpu, 1)
    rebuild = [py, "-m", "policygraph", "build", "--data", str(data), "--out", str(out)]
    result["rebuild_unchanged_s"], _ = timed(rebuild + ([] if args.shacl else ["--no-shacl"]))
    if not args.no_queries:
        from policygraph.backends.queries import canned

        result["queries_s"] = {}
        for name, query in canned().items():
            params = [
                f"--param={p.name}={PARAMS[p.name]}" for p in query.params if p.name in PARAMS
            ]
            seconds, rows = timed([py, "-m", "policygraph", "query", name, *params, "--format",
                                   "csv", "--store", str(out / "store")])  # fmt: skip
            result["queries_s"][name] = {"seconds": round(seconds, 2), "rows": rows.count("\n") - 1}
    result["children_peak_mb"] = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    text = json.dumps(result, indent=1, ensure_ascii=False)
    print(text)
    if args.json:
        args.json.write_text(text + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
