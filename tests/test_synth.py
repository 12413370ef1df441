"""The synthetic corpus: reproducible, valid, and shaped like the real record."""

from __future__ import annotations

from collections import Counter

import pytest
from conftest import DATA, cli, snapshot

from policygraph.build import build
from policygraph.records.load import load
from policygraph.records.registry import resolve


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    out = tmp_path_factory.mktemp("synth") / "data"
    result = cli("synth", "--policies", "600", "--seed", "3", "-o", out, "--data", DATA)
    assert result.returncode == 0, result.stderr
    return out


def test_same_seed_same_corpus(corpus, tmp_path):
    again = tmp_path / "again"
    cli("synth", "--policies", "600", "--seed", "3", "-o", again, "--data", DATA)
    assert snapshot(again) == snapshot(corpus)
    other = tmp_path / "other"
    cli("synth", "--policies", "600", "--seed", "4", "-o", other, "--data", DATA)
    assert (
        snapshot(other)["sources/synth-4-0000.yaml"]
        != snapshot(corpus)["sources/synth-3-0000.yaml"]
    )


def test_corpus_is_valid_and_resolves_without_conflicts(corpus, tmp_path):
    data = load(corpus)
    resolve(data)
    assert [p for p in data.problems if p.severity in ("error", "warning")] == []
    built = build(corpus, tmp_path / "out")  # with SHACL
    assert built.store.query("SELECT (COUNT(*) AS ?n) { ?p a pg:Policy }").column("n") == [600]


def test_issuer_counts_and_agency_popularity(corpus):
    data = load(corpus)
    policies = [p for s in data.sources.values() for p in s.policies]
    sizes = Counter(len(p.issuers) for p in policies)
    assert max(sizes) <= 12 and min(sizes) == 1
    assert sum(sizes[k] for k in (1, 2, 3)) > 0.7 * len(policies)
    popularity = Counter(a for p in policies for a in p.issuers).most_common()
    assert popularity[0][1] > 5 * popularity[len(popularity) // 2][1]  # Zipf-like: a few dominate
