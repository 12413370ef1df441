"""A repeatable attack campaign against the current code: nothing lost, nothing reachable.

Every attack runs on copies in a temporary folder, with real processes (`policygraph build`,
`push`, `serve`, `ingest`, a real `oxigraph serve`), all traffic on 127.0.0.1, every loop and
wait bounded. Each attack is classified:

- handled: refused with a clear message (no traceback, no hang) or done safely;
- lost data: out/ or a server's graph is no longer the previous one nor the new one whole;
- reachable: the attack got through (a request sent elsewhere, a file or update reached, a
  parameter that changed the query, markup that would run in a view);
- failed: neither of these, but not handled either (a traceback, a hang, a dead server).

    python benchmarks/campaign.py            # all classes, about 3-5 minutes on 2 cores
    python benchmarks/campaign.py --only serve,params --json results.json
"""

from __future__ import annotations

import argparse
import json
import os
import random
import sys
import tempfile
import time
import traceback
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT / "src"), str(ROOT / "tests"), str(ROOT / "benchmarks")]
os.environ["PYTHONPATH"] = os.pathsep.join(
    [str(ROOT / "src"), *filter(None, [os.environ.get("PYTHONPATH")])]
)

from campaign_attacks import bad_data, ingest, kills, views  # noqa: E402
from campaign_net import params, push, serve  # noqa: E402

CLASSES = {"data": bad_data, "kills": kills, "params": params, "views": views, "serve": serve,
           "push": push, "ingest": ingest}  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--only", help=f"comma-separated classes: {', '.join(CLASSES)}")
    parser.add_argument("--json", help="also write every attack's verdict to this file")
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    chosen = args.only.split(",") if args.only else list(CLASSES)
    random.seed(args.seed)
    results: list[dict] = []
    start = time.monotonic()
    with tempfile.TemporaryDirectory(prefix="pg-campaign-") as tmp:
        for name in chosen:
            began = time.monotonic()
            try:
                found = CLASSES[name](Path(tmp) / name)
            except Exception:  # the class's own setup broke: say so, go on with the others
                found = [("(setup)", "failed", traceback.format_exc(limit=3).strip())]
            for attack, verdict, note in found:
                results.append({"class": name, "attack": attack, "verdict": verdict, "note": note})
            print(f"  {name}: {len(found)} attacks in {time.monotonic() - began:.0f} s",
                  file=sys.stderr)  # fmt: skip
    report(results, chosen, time.monotonic() - start)
    if args.json:
        Path(args.json).write_text(json.dumps(results, indent=1, ensure_ascii=False) + "\n")
    sys.exit(0 if all(r["verdict"] == "handled" for r in results) else 1)


def report(results: list[dict], chosen: list[str], seconds: float) -> None:
    verdicts = ["handled", "lost data", "reachable", "failed"]
    print(f"| class | attacks | {' | '.join(verdicts)} |")
    print("|---|---:|" + "---:|" * len(verdicts))
    total: Counter = Counter()
    for name in chosen:
        counts = Counter(r["verdict"] for r in results if r["class"] == name)
        total += counts
        cells = " | ".join(str(counts[v]) for v in verdicts)
        print(f"| {name} | {sum(counts.values())} | {cells} |")
    print(f"| **all** | {sum(total.values())} | {' | '.join(str(total[v]) for v in verdicts)} |")
    print(f"\n{len(results)} attacks in {seconds:.0f} s")
    for r in results:
        if r["verdict"] != "handled":
            print(f"- {r['verdict']}: {r['class']} / {r['attack']}: {r['note'][:300]}")


if __name__ == "__main__":
    main()
