"""How many issuer cells of the gov.cn policy library ``split_issuers`` resolves.

    python benchmarks/issuers_coverage.py [path/to/documents.tsv] [--sample N]

Prints rows fully resolved, rows with notes, rows with unresolved pieces and the distinct
unresolved strings; with --sample N, N random multi-issuer rows with their ids, to check by eye.
"""

from __future__ import annotations

import argparse
import csv
import random
from collections import Counter

from policygraph.records.issuers import split_issuers
from policygraph.records.load import load
from policygraph.records.registry import Registry

DEFAULT = "/work/shared/data/gov-cn-policy-library/documents-2021-11_2026-08.tsv"


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("tsv", nargs="?", default=DEFAULT)
    ap.add_argument("--data", default="data")
    ap.add_argument("--sample", type=int, default=0)
    ap.add_argument("--notes", action="store_true", help="print every distinct note")
    args = ap.parse_args()
    registry = Registry(load(args.data, only=set()))
    with open(args.tsv, encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f, delimiter="\t"))
    full = noted = bad = 0
    unresolved: Counter[tuple[str, str]] = Counter()
    notes: Counter[str] = Counter()
    multi = []
    for row in rows:
        split = split_issuers(row["puborg"], registry)
        full += split.complete
        noted += bool(split.notes)
        bad += not split.complete
        unresolved.update(split.unresolved)
        notes.update(split.notes)
        if len(split.ids) > 1:
            multi.append((row["puborg"], split.ids))
    print(f"rows {len(rows)}: fully resolved {full}, with notes {noted}, with unresolved {bad}")
    for (piece, reason), n in unresolved.most_common():
        print(f"  {n:4} {piece}  ({reason})")
    if args.notes:
        for note, n in notes.most_common():
            print(f"  note {n:4} {note}")
    for cell, ids in random.Random(1).sample(multi, min(args.sample, len(multi))):
        print(cell, "->", " ".join(ids))


if __name__ == "__main__":
    main()
