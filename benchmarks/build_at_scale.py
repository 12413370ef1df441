"""The whole pipeline at scale: `policygraph synth`, then `policygraph build --no-shacl`, then
every canned query on the on-disk store it wrote, each timed; peak memory of the build.

    python benchmarks/build_at_scale.py --policies 1000000
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PARAMS = {"agency": "MIIT", "year": "2026", "resource": "policy:synth-0"}


def timed(command: list[str]) -> tuple[float, str]:
    start = time.perf_counter()
    out = subprocess.run(command, capture_output=True, text=True, check=True).stdout
    return time.perf_counter() - start, out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--policies", type=int, default=100_000)
    parser.add_argument(
        "--work", type=Path, default=Path(tempfile.gettempdir()) / "policygraph-scale"
    )
    args = parser.parse_args()
    exe = str(Path(sys.executable).with_name("policygraph"))
    data, out = args.work / f"data-{args.policies}", args.work / f"out-{args.policies}"
    result = {"policies": args.policies}
    result["synth_s"], _ = timed([exe, "synth", "--policies", str(args.policies), "-o", str(data),
                                  "--data", str(ROOT / "data")])  # fmt: skip
    result["build_s"], _ = timed(
        [exe, "build", "--data", str(data), "--out", str(out), "--no-shacl", "--full"]
    )
    result["build_peak_mb"] = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    result["store_mb"] = sum(f.stat().st_size for f in (out / "store").rglob("*")) / 2**20
    result["files_mb"] = {p.name: p.stat().st_size / 2**20 for p in sorted(out.glob("graph.*"))}
    result["rebuild_unchanged_s"], _ = timed(
        [exe, "build", "--data", str(data), "--out", str(out), "--no-shacl"]
    )

    from policygraph.backends.queries import canned

    result["queries_s"] = {}
    for name, query in canned().items():
        params = [f"--param={p.name}={PARAMS[p.name]}" for p in query.params if p.name in PARAMS]
        seconds, rows = timed(
            [exe, "query", name, *params, "--format", "csv", "--store", str(out / "store")]
        )
        result["queries_s"][name] = {"seconds": round(seconds, 2), "rows": rows.count("\n") - 1}
    print(json.dumps(result, indent=1))


if __name__ == "__main__":
    main()
