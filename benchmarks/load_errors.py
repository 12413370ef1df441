"""Time to report N bad records in one source file of M records (`policygraph validate --no-shacl`).

Half the bad records have an impossible date (found while loading), half an unknown issuer
(found when names are resolved, after loading), so both ways of finding a line are timed.
Each case runs in its own process with a time limit; ``--src`` points at the code to time, so
the same script measures an older checkout.

    python benchmarks/load_errors.py [--records 1000 50000] [--bad 0 10 100 1000] [--src DIR]
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
FIXTURE = ROOT / "tests" / "fixtures" / "data"
POLICY = """\
  - id: bench-{i}
    item: bench-1
    title_en: Benchmark policy number {i} on industrial data security
    title_zh: 工业和信息化部关于印发《工业领域数据安全能力提升实施方案》的通知
    type: plan
    issued: {date}
    issuers: [{issuer}]
    sectors: [data-security, manufacturing]
    summary: >-
      A benchmark record, written as people write source files, so that the parser sees
      block mappings, flow lists and folded text.
    targets:
      - {{metric: enterprises with protected data, value: 45000, unit: enterprises, deadline: 2026}}
"""
HEAD = """\
source: {id: bench, title: Benchmark brief, publisher: policygraph, period: 2024-02}
items:
  - {id: bench-1, section: top5, position: 1, label: Benchmark item}
policies:
"""
RUN = """
import sys, time
from policygraph.graph.validate import check
start = time.perf_counter()
result = check(sys.argv[1], shacl=False)
errors = sum(p.severity == "error" for p in result.problems)
print(time.perf_counter() - start, errors)
"""


def write(folder: Path, records: int, bad: int) -> Path:
    """A data folder: the fixture's registries and one source file of ``records`` policies."""
    shutil.rmtree(folder, ignore_errors=True)
    (folder / "sources").mkdir(parents=True)
    for name in ("agencies.yaml", "sectors.yaml", "companies.yaml"):
        shutil.copy(FIXTURE / name, folder / name)
    step = max(records // bad, 1) if bad else 0
    chosen = set(range(0, records, step)[:bad]) if bad else set()
    rows = []
    for i in range(records):
        broken = i in chosen
        date = "2024-02-30" if broken and i // step % 2 == 0 else "2024-02-26"
        issuer = "MOXX" if broken and i // step % 2 == 1 else "MIIT"
        rows.append(POLICY.format(i=i, date=date, issuer=issuer))
    (folder / "sources" / "bench.yaml").write_text(HEAD + "".join(rows), encoding="utf-8")
    return folder


def run(folder: Path, src: Path, timeout: float) -> dict:
    env = {"PYTHONPATH": str(src), "PATH": "/usr/bin:/bin"}
    start = time.perf_counter()
    try:
        done = subprocess.run(
            [sys.executable, "-c", RUN, str(folder)],
            capture_output=True, text=True, timeout=timeout, env=env, check=True,
        )  # fmt: skip
    except subprocess.TimeoutExpired:
        return {"seconds": None, "over": timeout}
    seconds, errors = done.stdout.split()
    return {"seconds": round(float(seconds), 2), "errors": int(errors),
            "process_s": round(time.perf_counter() - start, 2)}  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--records", type=int, nargs="+", default=[1000, 50000])
    parser.add_argument("--bad", type=int, nargs="+", default=[0, 10, 100, 1000])
    parser.add_argument("--src", type=Path, default=ROOT / "src")
    parser.add_argument("--timeout", type=float, default=600)
    parser.add_argument("--label", default="")
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="load-errors-"))
    try:
        for records in args.records:
            for bad in args.bad:
                folder = write(work / "data", records, bad)
                size = (folder / "sources" / "bench.yaml").stat().st_size / 2**20
                row = {"label": args.label, "records": records, "bad": bad,
                       "file_mb": round(size, 2), **run(folder, args.src, args.timeout)}  # fmt: skip
                print(json.dumps(row), flush=True)
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
