"""Precision and recall of brief ingestion per kind of fact (policies, events, issuers,
targets, dates), on the fixture briefs and their expected files.

The held-out fixtures (tests/fixtures/briefs/holdout/) were written after the parser and never
tuned to: their figures are the honest ones. The development fixtures (tests/fixtures/briefs/)
are shown beside them as an upper bound.

    PYTHONPATH=src python benchmarks/ingest_quality.py [--show]
"""

from __future__ import annotations

import argparse
from pathlib import Path

import yaml

from policygraph.ingest.briefs import ingest
from policygraph.ingest.drafts import record_facts, scores
from policygraph.ingest.intake import read_text
from policygraph.records.load import load
from policygraph.records.registry import Registry

ROOT = Path(__file__).resolve().parents[1]
BRIEFS = ROOT / "tests" / "fixtures" / "briefs"
KINDS = ("policies", "events", "issuers", "targets", "dates")


def measure(folder: Path, registry: Registry, show: bool) -> dict[str, list[int]]:
    find = registry.agency_index.find
    total = {k: [0, 0, 0] for k in KINDS}
    for text in sorted(folder.glob("*.txt")):
        if not text.with_suffix(".expected.yaml").exists():  # seed-facts: test_ingest_seed.py
            continue
        expected = yaml.safe_load(text.with_suffix(".expected.yaml").read_text("utf-8"))
        draft = ingest(read_text(text), text.stem, registry).document()
        got, want = record_facts(draft, find), record_facts(expected, find)
        for kind, counts in scores(got, want).items():
            total[kind] = [a + b for a, b in zip(total[kind], counts, strict=True)]
        if show:
            for kind in KINDS:
                if got[kind] != want[kind]:
                    print(f"  {text.name} {kind}: missed {sorted(want[kind] - got[kind], key=str)}"
                          f"; extra {sorted(got[kind] - want[kind], key=str)}")  # fmt: skip
    return total


def table(name: str, total: dict[str, list[int]]) -> str:
    rows = [
        f"{name}",
        "| fact | precision | recall | drafted | expected |",
        "| --- | --- | --- | --- | --- |",
    ]
    for kind, (hit, drafted, expected) in total.items():
        p = hit / drafted if drafted else 1.0
        r = hit / expected if expected else 1.0
        rows.append(f"| {kind} | {p:.2f} | {r:.2f} | {drafted} | {expected} |")
    return "\n".join(rows)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--show", action="store_true", help="List the facts missed and extra.")
    args = parser.parse_args()
    registry = Registry(load(ROOT / "tests" / "fixtures" / "data", only=set()))
    print(table("held out (untuned)", measure(BRIEFS / "holdout", registry, args.show)))
    print()
    print(table("development (tuned)", measure(BRIEFS, registry, args.show)))


if __name__ == "__main__":
    main()
