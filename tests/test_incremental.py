"""Incremental builds: unchanged data reloads nothing, a changed source reloads its own graph."""

from __future__ import annotations

import pyoxigraph
import pytest
from conftest import cli, snapshot

from policygraph.backends.embedded import COMPLETE
from policygraph.build import build
from policygraph.problems import DataError

SECOND = """\
source: {id: second-brief, title: A second brief, publisher: policygraph tests, period: 2024-03}
items:
  - {id: item-1, section: policy-news, position: 1, label: A test policy}
policies:
  - id: test-policy-one
    item: item-1
    title_en: A policy written for the tests
    type: notice
    issued: 2024-03-01
    issuers: [MIIT, NDRC]
    sectors: [manufacturing]
"""


def quads(folder):
    return set(pyoxigraph.parse(path=str(folder / "graph.trig"), format=pyoxigraph.RdfFormat.TRIG))


@pytest.fixture
def two_sources(data_copy, tmp_path):
    (data_copy / "sources" / "second.yaml").write_text(SECOND, encoding="utf-8")
    out = tmp_path / "out"
    assert build(data_copy, out).mode == "full"
    return data_copy, out


def test_unchanged_data_reloads_nothing(two_sources):
    data, out = two_sources
    before = snapshot(out)
    again = build(data, out)
    assert again.mode == "unchanged" and again.reloaded == []
    assert snapshot(out) == before


def test_a_changed_source_reloads_only_its_graph(two_sources, tmp_path):
    data, out = two_sources
    path = data / "sources" / "second.yaml"
    path.write_text(path.read_text().replace("issuers: [MIIT, NDRC]", "issuers: [MIIT, MOF]"))
    again = build(data, out)
    assert again.mode == "incremental"
    assert again.reloaded == ["second.yaml"]
    assert quads(out) == quads(build(data, tmp_path / "full", incremental=False).out)
    rows = again.store.query("SELECT ?a WHERE { <https://w3id.org/policygraph/id/policy/test-policy-one> "
                             "pg:issuedBy/skos:notation ?a } ORDER BY ?a").column("a")  # fmt: skip
    assert rows == ["MIIT", "MOF"]


def test_a_removed_source_loses_its_graph(two_sources):
    data, out = two_sources
    (data / "sources" / "second.yaml").unlink()
    again = build(data, out)
    assert again.mode == "incremental" and again.reloaded == ["second.yaml"]
    graphs = {q.graph_name.value for q in quads(out)}
    assert not any(g.endswith("/second-brief") for g in graphs)


def test_a_registry_change_rebuilds_everything(two_sources):
    data, out = two_sources
    path = data / "companies.yaml"
    path.write_text(path.read_text() + "  - {id: new-firm, name_en: New Firm}\n")
    assert build(data, out).mode == "full"


def test_a_duplicate_id_in_a_new_file_is_refused_and_the_store_kept(two_sources):
    data, out = two_sources
    clash = SECOND.replace("second-brief", "third-brief").replace(
        "test-policy-one", "mohrss-high-skilled-leading-talent"
    )
    (data / "sources" / "third.yaml").write_text(clash, encoding="utf-8")
    before = snapshot(out), quads(out)
    with pytest.raises(DataError, match="duplicate id") as raised:
        build(data, out)
    assert str(data / "sources" / "merics-top5-2024-02.yaml") in str(raised.value)
    assert (out / "store" / COMPLETE).exists()
    assert (snapshot(out), quads(out)) == before


def test_a_half_written_store_is_rebuilt_in_full(two_sources):
    data, out = two_sources
    (out / "store" / COMPLETE).unlink()  # as a build killed mid-update leaves it
    refused = cli("query", "class-counts", "--store", out / "store")
    assert refused.returncode == 1 and "incomplete" in refused.stderr
    again = build(data, out)
    assert again.mode == "full"
    assert (out / "store" / COMPLETE).exists()
