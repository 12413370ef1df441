"""The network views in a real headless Chromium: offline, safe, clickable, and fast at 5,000
nodes. Expected counts come from the networks computed in Python, never typed in."""

from __future__ import annotations

import os
import shutil
import time
from pathlib import Path

import networkx as nx
import pytest
from conftest import DATA, Visit, build_with_views, cli

from policygraph import synth
from policygraph.backends.embedded import Embedded, memory_store
from policygraph.graph import triples as graph
from policygraph.networks.projections import NETWORKS, network
from policygraph.networks.tables import Tables
from policygraph.views import render as views

MIIT = "https://w3id.org/policygraph/id/agency/miit"
HOSTILE = "<img src=x onerror=alert(1)>"
HOSTILE_BRIEF = "<script>alert('brief')</script>"
HOSTILE_SOURCE = f"""\
source: {{id: hostile-brief, title: "{HOSTILE_BRIEF}", publisher: Test, period: 2024-03}}
items:
  - {{id: only, section: policy-news, position: 1, label: "{HOSTILE}"}}
policies:
  - id: hostile-policy
    item: only
    title_en: "{HOSTILE}"
    type: notice
    issued: 2024-03-01
    issuers: [MIIT, NDRC]
    official_url: https://example.org/?q=%22onmouseover%3D%22alert(2)
    sectors: [semiconductors]
"""


@pytest.fixture(scope="module")
def hostile_out(tmp_path_factory):
    """A build of data/ plus a source whose titles are markup."""
    root = tmp_path_factory.mktemp("hostile")
    shutil.copytree(DATA, root / "data")
    (root / "data" / "sources" / "hostile.yaml").write_text(HOSTILE_SOURCE, encoding="utf-8")
    build_with_views(root / "data", root / "out")
    return root / "out"


@pytest.fixture(scope="module")
def tables(built):
    return Tables.of(built.store)


@pytest.mark.parametrize("name", list(NETWORKS))
def test_each_view_loads_offline_and_draws_its_network(browser, built, tables, name):
    expected = network(tables, name)
    assert expected.number_of_edges() > 0
    visit = Visit(browser, built.out / "views" / f"{name}.html")
    try:
        drawn = visit.page.evaluate(
            "[pgNetwork.body.data.nodes.length, pgNetwork.body.data.edges.length]"
        )
        assert drawn == [expected.number_of_nodes(), expected.number_of_edges()]
        assert visit.requests == [visit.url], "the view asked for something beyond itself"
        assert visit.errors() == []
        legend = visit.page.locator("#pg-legend li").count()
        communities = {d["community"] for _, d in views.render(tables, name).graph.nodes(data=True)}
        assert legend == len(communities)
    finally:
        visit.close()


def test_clicking_a_node_lists_its_policies(browser, built, store):
    visit = Visit(browser, built.out / "views" / "co-issuance.html")
    try:
        visit.click_node(MIIT)
        visit.page.wait_for_selector("#pg-panel-body li")
        panel = visit.panel()
        titles = [r["title"] for r in store.query(
            "SELECT ?title WHERE { ?p pg:issuedBy agency:miit ; dcterms:title ?title "
            "FILTER(LANG(?title) = 'en') }").records()]  # fmt: skip
        assert len(titles) >= 3
        for title in titles:
            assert title in panel
        assert visit.page.locator("#pg-panel-body li").count() == len(titles)
        assert "Ministry of Industry and Information Technology" in visit.page.inner_text(
            "#pg-panel-title"
        )
        assert visit.errors() == []
    finally:
        visit.close()


def test_a_hostile_title_shows_as_text_and_runs_nothing(browser, hostile_out):
    visit = Visit(browser, hostile_out / "views" / "co-issuance.html")
    try:
        visit.click_node(MIIT)
        visit.page.wait_for_selector("#pg-panel-body li")
        panel = visit.panel()
        assert HOSTILE in panel and HOSTILE_BRIEF in panel
        assert visit.page.locator("#pg-panel img, #pg-panel script").count() == 0
        # no handler attribute was made of the URL
        assert visit.page.locator("#pg-panel [onmouseover], #pg-panel [onerror]").count() == 0
        visit.page.hover("#pg-panel-body a >> nth=0")
        assert visit.dialogs == []
        assert visit.requests == [visit.url]
        assert visit.errors() == []
    finally:
        visit.close()


def test_search_and_filters_agree_with_python(browser, built, tables):
    visit = Visit(browser, built.out / "views" / "co-issuance.html")
    try:
        visit.page.fill("#pg-search", "工业和信息化部")
        assert visit.page.inner_text("#pg-matches") == "1 match"
        assert visit.page.evaluate("pgNetwork.getSelectedNodes()") == [MIIT]
        for start, end, sector in [("2024-02-05", "", ""), ("", "2024-02-05", ""),
                                   ("", "", "manufacturing")]:  # fmt: skip
            visit.page.fill("#pg-from", start)
            visit.page.fill("#pg-to", end)
            label = (
                tables.labels[f"https://w3id.org/policygraph/id/sector/{sector}"]["en"]
                if sector
                else None
            )
            if sector:
                visit.page.select_option("#pg-sector", label=f"{label} 制造业")
            else:
                visit.page.select_option("#pg-sector", value="")
            visit.page.dispatch_event("#pg-to", "change")
            keep = tables.select(start or None, end or None, sector or None)
            want = network(tables, "co-issuance", keep)
            shown = visit.page.evaluate(
                "[pgNetwork.body.data.nodes.get({filter: n => !n.hidden}).length,"
                " pgNetwork.body.data.edges.get({filter: e => !e.hidden}).length]"
            )
            assert shown == [want.number_of_nodes(), want.number_of_edges()], (start, end, sector)
            assert 0 < want.number_of_edges() < network(tables, "co-issuance").number_of_edges()
    finally:
        visit.close()


def test_a_5000_node_view_becomes_interactive(browser, tmp_path):
    data = synth.dataset(7000, seed=3, registry=DATA, bodies=6000)
    tables = Tables.query(Embedded(memory_store(graph.quads(data))))
    view = views.render(tables, "co-issuance")
    assert view.graph.number_of_nodes() >= 5000
    path = tmp_path / "big.html"
    path.write_text(view.html, encoding="utf-8")
    started = time.perf_counter()
    visit = Visit(browser, path, wait=120)
    try:
        print(f"5,000-node view interactive after {time.perf_counter() - started:.1f} s")
        assert visit.page.evaluate("pgNetwork.physics.physicsEnabled") is False
        assert (
            visit.page.evaluate("pgNetwork.body.data.nodes.length") == view.graph.number_of_nodes()
        )
        hub = max(view.graph.degree, key=lambda x: x[1])[0]
        visit.click_node(hub)
        visit.page.wait_for_selector("#pg-panel-body li")
        assert visit.errors() == []
    finally:
        visit.close()


def test_screenshots_for_the_readme(browser, built, tmp_path):
    """The README shows these. The test takes them into a temporary folder; `make screenshots`
    runs it with POLICYGRAPH_SCREENSHOTS=docs/img to renew the README's."""
    folder = Path(os.environ.get("POLICYGRAPH_SCREENSHOTS") or tmp_path)
    folder.mkdir(parents=True, exist_ok=True)
    for name, node in (("co-issuance", MIIT),
                       ("sector-overlap", "https://w3id.org/policygraph/id/sector/manufacturing")):  # fmt: skip
        visit = Visit(browser, built.out / "views" / f"{name}.html")
        try:
            visit.click_node(node)
            visit.page.wait_for_selector("#pg-panel-body li")
            visit.page.mouse.move(5, 895)  # away from the node, so no tooltip covers the view
            visit.page.wait_for_timeout(300)
            visit.page.screenshot(path=str(folder / f"{name}.png"))
        finally:
            visit.close()
        assert (folder / f"{name}.png").stat().st_size > 20_000


def test_network_files_open_in_networkx(built, tables):
    for name in NETWORKS:
        want = network(tables, name)
        for reader, ext in ((nx.read_graphml, "graphml"), (nx.read_gexf, "gexf")):
            got = reader(built.out / "networks" / f"{name}.{ext}")
            assert sorted(got.nodes) == sorted(want.nodes), (name, ext)
            weights = {frozenset(e): int(d["weight"]) for *e, d in got.edges(data=True)}
            assert weights == {frozenset(e): d["weight"] for *e, d in want.edges(data=True)}
        rows = (built.out / "networks" / f"{name}.csv").read_text("utf-8").splitlines()
        assert rows[0].startswith("source,target,source_label,target_label,")
        assert len(rows) == 1 + want.number_of_edges()


def test_views_command_filters_exactly(tmp_path, built, tables):
    result = cli("views", "--store", built.out / "store", "--out", tmp_path,
                 "--from", "2024-02-05", "--sector", "manufacturing")  # fmt: skip
    assert result.returncode == 0, result.stderr
    want = network(tables, "co-issuance", tables.select("2024-02-05", None, "manufacturing"))
    line = next(x for x in result.stdout.splitlines() if "co-issuance.html" in x)
    assert f"({want.number_of_nodes()} nodes, {want.number_of_edges()} edges" in line
    bad = cli(
        "views", "--store", built.out / "store", "--out", tmp_path / "x", "--to", "2024-02-30"
    )
    assert bad.returncode != 0 and "'2024-02-30' is not a date" in bad.stderr
    assert not (tmp_path / "x").exists()
