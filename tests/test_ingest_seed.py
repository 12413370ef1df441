"""The brief the project was created from, ingested and compared field by field with the
curated file made from it; the README's figures must be the ones measured here.

The seed's prose is not ours to copy, so ``fixtures/briefs/seed-facts.txt`` carries its facts
(titles, names, numbers, dates, links) in the seed's layout with every sentence our own: that
case always runs; the real seed runs too wherever it is present."""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest
import yaml
from conftest import DATA, ROOT

from policygraph.ingest.briefs import ingest
from policygraph.ingest.drafts import agreement
from policygraph.ingest.intake import read_text
from policygraph.records.load import load
from policygraph.records.registry import Registry

FIXTURE = ROOT / "tests" / "fixtures" / "briefs" / "seed-facts.txt"
CURATED = DATA / "sources" / "merics-top5-2024-02.yaml"


def _seed() -> Path:
    """The real seed: named by the environment, else in ``shared/seeds`` beside the checkout
    (a worktree may sit a level deeper than the main one)."""
    if named := os.environ.get("POLICYGRAPH_SEED_BRIEF"):
        return Path(named)
    places = [p / "shared" / "seeds" / "000_8fbbe9e79d06b95a.txt" for p in ROOT.parents]
    return next((p for p in places if p.exists()), places[0])


SEED = _seed()
BRIEFS = [
    pytest.param(FIXTURE, id="fixture"),
    pytest.param(SEED, id="seed", marks=pytest.mark.skipif(not SEED.exists(), reason=f"no seed at {SEED}")),
]  # fmt: skip


@pytest.fixture(scope="module", params=BRIEFS)
def scores(request):
    registry = Registry(load(DATA, only=set()))
    draft = ingest(read_text(request.param), "seed", registry)
    curated = yaml.safe_load(CURATED.read_text("utf-8"))
    return draft, curated, agreement(draft.document(), curated, registry.agency_index.find)


def test_the_seed_gives_the_curated_records(scores):
    draft, curated, _ = scores
    assert [p["item"] for p in draft.policies] == [p["item"] for p in curated["policies"]]
    assert [e["item"] for e in draft.events] == [e["item"] for e in curated["events"]]
    for got, want in zip(draft.policies, curated["policies"], strict=True):
        for key in ("issued", "title_zh", "official_url", "in_force"):
            assert got.get(key) == want.get(key), (want["id"], key)
        assert got.get("links", []) == want.get("links", []), want["id"]
    for got, want in zip(draft.events, curated["events"], strict=True):
        assert got["date"] == want["date"] and got.get("links", []) == want.get("links", [])


def test_precision_and_recall_are_the_readme_s(scores):
    _, _, measured = scores
    readme = (ROOT / "README.md").read_text("utf-8")
    for kind, (precision, recall, drafted, curated) in measured.items():
        row = re.search(rf"^\| {kind} \| ([\d.]+) \| ([\d.]+) \| (\d+) \| (\d+) \|", readme, re.M)
        assert row, f"no row for {kind} in the README's ingestion table"
        assert (float(row[1]), float(row[2]), int(row[3]), int(row[4])) == (
            precision,
            recall,
            drafted,
            curated,
        )
    assert (
        measured["agencies"][1] >= 0.9
        and measured["dates"][1] >= 0.9
        and measured["targets"][1] >= 0.9
    )
