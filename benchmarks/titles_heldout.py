"""Issuing bodies read from held-out real titles, per title shape: exact, precision, recall.

Reads ``tests/fixtures/official_titles_heldout.tsv`` (titles not used to develop the parser) and
resolves the bodies each title names against the live registry, as the document tables do.
Run: ``PYTHONPATH=src python benchmarks/titles_heldout.py``.
"""

from __future__ import annotations

from collections import defaultdict
from pathlib import Path

from policygraph.records.documents import forwarded_of
from policygraph.records.load import load
from policygraph.records.registry import Registry
from policygraph.records.titles import parse_title

ROOT = Path(__file__).resolve().parent.parent


def ids(text: str) -> list[str]:
    return [i for i in text.split("|") if i]


def main() -> None:
    registry = Registry(load(ROOT / "data"))
    tally = defaultdict(lambda: [0, 0, 0, 0, 0])  # titles, exact, found∩want, found, want
    for line in (
        (ROOT / "tests/fixtures/official_titles_heldout.tsv").read_text("utf-8").splitlines()
    ):
        if line.startswith("#") or not line.strip():
            continue
        title, shape, want, fwant = (line.split("\t") + [""])[:4]
        parts = parse_title(title, registry.agency_index.find)
        got = [registry.agency_id(b) or "?" for b in parts.bodies]
        checks = [(shape, got, ids(want))]
        if shape == "forwarding":
            doc = forwarded_of(registry, parts)
            checks.append(("forwarded", doc.issuers if doc else [], ids(fwant)))
        for name, found, wanted in checks:
            t = tally[name]
            t[0] += 1
            t[1] += found == wanted
            t[2] += len(set(found) & set(wanted))
            t[3] += len(found)
            t[4] += len(wanted)
            if found != wanted:
                print(f"  {name}: {title}: got {found}, want {wanted}")
    print(f"{'shape':<11} {'titles':>6} {'exact':>6} {'precision':>9} {'recall':>6}")
    for name, (n, exact, hit, found, wanted) in tally.items():
        print(
            f"{name:<11} {n:>6} {exact / n:>6.0%} {hit / max(found, 1):>9.2f} {hit / max(wanted, 1):>6.2f}"
        )


if __name__ == "__main__":
    main()
