"""The network views in a real headless Chromium: offline, safe, clickable, and fast at 5,000
nodes. Expected counts come from the networks computed in Python, never typed in."""

from __future__ import annotations

import os
import shutil
import time
from pathlib import Path

import networkx as nx
import pytest
from conftest import CHROMIUM, CHROMIUM_FLAGS, DATA, Visit, build_with_views, cli

from policygraph import synth
from policygraph.backends.embedded import Embedded, memory_store
from policygraph.graph import triples as graph
from policygraph.networks.projections import NETWORKS, network, shown, yearly
from policygraph.networks.tables import Tables
from policygraph.views import render as views
from policygraph.views.pagedata import MOST, reach
from policygraph.views.pagedata import colours as colours_of

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
        graph = views.render(tables, name).graph
        colours = set(colours_of([d["group"] for _, d in graph.nodes(data=True)]).values())
        assert visit.page.locator("#pg-legend li").count() == len(colours)
        visit.page.select_option("#pg-colour", "community")
        communities = {d["community"] for _, d in graph.nodes(data=True)}
        assert visit.page.locator("#pg-legend li").count() == len(communities)
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


@pytest.fixture(scope="module")
def big_tables():
    """A synthetic record whose co-issuance network has over 5,000 agencies."""
    data = synth.dataset(7000, seed=3, registry=DATA, bodies=6000)
    return Tables.query(Embedded(memory_store(graph.quads(data))))


def test_a_5000_node_view_becomes_interactive(gl_browser, big_tables, tmp_path):
    """Drawn in WebGL (chosen by size), with the same panel as the small views."""
    tables = big_tables
    view = views.render(tables, "co-issuance")
    assert view.graph.number_of_nodes() >= 5000 and view.renderer == "webgl"
    path = tmp_path / "big.html"
    path.write_text(view.html, encoding="utf-8")
    started = time.perf_counter()
    visit = Visit(gl_browser, path, wait=120)
    try:
        print(f"5,000-node view interactive after {time.perf_counter() - started:.1f} s")
        _pruned_as_python_says(visit, view.graph, yearly(tables, "co-issuance"))
        _, nodes, edges = shown(view.graph, MOST)
        assert visit.page.evaluate("pgView.shown()") == [len(nodes), len(edges)]
        hub = max(nodes, key=view.graph.degree)
        _click(visit, hub)
        visit.page.wait_for_selector("#pg-panel-body li")
        assert visit.errors() == []
    finally:
        visit.close()


EDGE_TYPES = """(() => { const t = {};
  pgGraph.forEachEdge((e) => { const d = pgSigma.getEdgeDisplayData(e); t[d.type] = (t[d.type] || 0) + 1; });
  return t; })()"""


def test_every_edge_of_a_whole_5000_node_view(gl_browser, big_tables, tmp_path):
    """``views --whole``: the page holds every node and edge; 'Every edge' draws them all, the
    heaviest as wide bands and the rest as hairlines, and unticked the heaviest alone again,
    with only those in the graph sigma indexes; ``#every`` in the link ticks it."""
    view = views.render(big_tables, "co-issuance", prune=False)
    g, path = view.graph, _write(tmp_path, view)
    k, nodes, edges = shown(g, MOST)
    assert k > 1
    visit = Visit(gl_browser, path, wait=120)
    try:
        assert visit.page.evaluate("pgView.left") == [0, 0]
        assert visit.page.evaluate("[pgView.shown(), pgGraph.size]") == [[len(nodes), len(edges)],
                                                                        len(edges)]  # fmt: skip
        visit.page.check("#pg-every")
        every = [g.number_of_nodes(), g.number_of_edges()]
        assert visit.page.evaluate("[pgView.shown(), pgGraph.size]") == [every, every[1]]
        assert visit.page.evaluate(EDGE_TYPES) == {"line": len(edges),
                                                   "hairline": every[1] - len(edges)}  # fmt: skip
        assert f"{every[1]} of {every[1]} edges shown (every edge" in visit.page.inner_text(
            "#pg-counts"
        )
        visit.page.uncheck("#pg-every")
        assert visit.page.evaluate("[pgView.shown(), pgGraph.size]") == [[len(nodes), len(edges)],
                                                                        len(edges)]  # fmt: skip
        hub = max(nodes, key=g.degree)
        _click(visit, hub)
        visit.page.wait_for_selector("#pg-panel-body li")
        assert visit.errors() == []
    finally:
        visit.close()
    linked = Visit(gl_browser, path, wait=120, fragment="#every")
    try:
        assert linked.page.is_checked("#pg-every")
        assert linked.page.evaluate("pgView.shown()") == every and linked.errors() == []
    finally:
        linked.close()


def test_every_edge_in_a_small_view(browser, live_tables, tmp_path):
    """The same box in vis-network, on the real record: every edge, the heaviest drawn wide."""
    view = views.render(live_tables, "co-issuance", renderer="vis")
    g = view.graph
    k, nodes, edges = shown(g, MOST)
    assert k > 1
    visit = Visit(browser, _write(tmp_path, view))
    try:
        visit.page.check("#pg-every")
        assert visit.page.evaluate("pgView.shown()") == [g.number_of_nodes(), g.number_of_edges()]
        widths = visit.page.evaluate(
            "pgNetwork.body.data.edges.get({filter: e => !e.hidden}).map(e => e.width)"
        )
        assert len(widths) == g.number_of_edges()
        assert sum(w > 0.5 for w in widths) == len(edges)
        assert visit.errors() == []
    finally:
        visit.close()


def test_screenshots_for_the_readme(browser, live_built, tmp_path):
    """The README shows these: the real record's views. The test takes them into a temporary
    folder; `make screenshots` runs it with POLICYGRAPH_SCREENSHOTS=docs/img to renew them."""
    folder = Path(os.environ.get("POLICYGRAPH_SCREENSHOTS") or tmp_path)
    folder.mkdir(parents=True, exist_ok=True)
    views.write(live_built.store, tmp_path / "out")
    for name, node in (("co-issuance", MIIT),
                       ("sector-overlap", "https://w3id.org/policygraph/id/sector/manufacturing")):  # fmt: skip
        visit = Visit(browser, tmp_path / "out" / "views" / f"{name}.html")
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
    assert "views-2024-02-05_end-manufacturing/co-issuance.html" in line
    assert f"({want.number_of_nodes()} nodes, {want.number_of_edges()} edges" in line
    bad = cli(
        "views", "--store", built.out / "store", "--out", tmp_path / "x", "--to", "2024-02-30"
    )
    assert bad.returncode != 0 and "'2024-02-30' is not a date" in bad.stderr
    assert not (tmp_path / "x").exists()


# -- the whole record, years, WebGL, export ---------------------------------------------------

WEBGL_FLAGS = [f for f in CHROMIUM_FLAGS if f != "--disable-gpu"] + [
    "--use-angle=swiftshader", "--enable-unsafe-swiftshader"]  # fmt: skip


@pytest.fixture(scope="module")
def gl_browser(browser):
    """Chromium with WebGL in software (SwiftShader): what sigma.js needs headless."""
    chromium = browser.browser_type.launch(executable_path=CHROMIUM, args=WEBGL_FLAGS)
    yield chromium
    chromium.close()


@pytest.fixture(scope="module")
def live_tables(live_built):
    return Tables.of(live_built.store)


def _write(tmp_path, view, name="view.html") -> Path:
    path = tmp_path / name
    path.write_text(view.html, encoding="utf-8")
    return path


def _pruned_as_python_says(visit, g, per_year) -> None:
    """The WebGL page holds what some year can show (reach), and says what it leaves out."""
    _, edges, nodes = reach(g, per_year)
    held = "[pgView.state.node.length, pgView.state.edge.length]"
    assert visit.page.evaluate(held) == [len(nodes), len(edges)]
    assert visit.page.evaluate("pgGraph.size") == visit.page.evaluate("pgView.shown()[1]")
    left = [g.number_of_nodes() - len(nodes), g.number_of_edges() - len(edges)]
    assert visit.page.evaluate("pgView.left") == left and left[1] > 0
    said = visit.page.inner_text("#pg-counts")
    assert f"of {g.number_of_nodes()} nodes" in said and f"of {g.number_of_edges()} edges" in said
    assert f"leaves out the {left[0]} nodes and {left[1]} edges" in said


def _click(visit, node) -> None:
    x, y = visit.page.evaluate("id => pgView.screen(id)", node)
    visit.page.mouse.click(x, y)


def test_the_webgl_view_draws_what_networkx_computes(gl_browser, live_tables, tmp_path):
    view = views.render(live_tables, "co-issuance", renderer="webgl")
    assert view.renderer == "webgl" and "sigma" in view.html.lower()
    g = view.graph
    visit = Visit(gl_browser, _write(tmp_path, view))
    try:
        _pruned_as_python_says(visit, g, yearly(live_tables, "co-issuance"))
        k, nodes, edges = shown(g, MOST)
        drawn = visit.page.evaluate(
            "[pgGraph.nodes().filter(n => !pgSigma.getNodeDisplayData(n).hidden).length,"
            " pgGraph.edges().filter(e => !pgSigma.getEdgeDisplayData(e).hidden).length]"
        )
        assert drawn == [len(nodes), len(edges)] and k > 1
        assert visit.requests == [visit.url] and visit.errors() == []
        miit = MIIT
        _click(visit, miit)
        visit.page.wait_for_selector("#pg-panel-body li")
        assert "Ministry of Industry" in visit.page.inner_text("#pg-panel-title")
    finally:
        visit.close()


def test_whole_record_views_roll_offices_up_and_stay_readable(live_tables):
    rolled, apart = network(live_tables, "co-issuance"), network(live_tables, "co-issuance",
                                                                 rollup=False)  # fmt: skip
    office = next(i for i, d in live_tables.labels.items()
                  if d.get("agencyKind") == "office" and d.get("parent") and i in apart)  # fmt: skip
    assert office not in rolled and office in apart
    assert rolled.number_of_nodes() < apart.number_of_nodes()
    for name in ("co-issuance", "agency-sector"):
        k, nodes, edges = shown(network(live_tables, name), MOST)
        assert len(edges) <= MOST and (k > 1 or network(live_tables, name).size() <= MOST)


@pytest.mark.parametrize("renderer", ["vis", "webgl"])
def test_the_year_control_shows_that_years_network(gl_browser, live_tables, tmp_path, renderer):
    view = views.render(live_tables, "co-issuance", renderer=renderer)
    visit = Visit(gl_browser, _write(tmp_path, view))
    try:
        before = visit.page.evaluate("pgView.shown()")
        years = visit.page.evaluate("[...document.querySelectorAll('#pg-year option')]"
                                    ".map(o => o.value).filter(Boolean)")  # fmt: skip
        assert len(years) > 3
        for year in years[:2] + years[-1:]:
            visit.page.select_option("#pg-year", year)
            keep = live_tables.select(f"{year}-01-01", f"{year}-12-31")
            _, nodes, edges = shown(network(live_tables, "co-issuance", keep), MOST)
            assert visit.page.evaluate("pgView.shown()") == [len(nodes), len(edges)], year
            if renderer == "vis":
                hidden = visit.page.evaluate(
                    "pgNetwork.body.data.edges.get({filter: e => !e.hidden}).length"
                )
                assert hidden == len(edges)
        assert visit.page.evaluate("pgView.shown()") != before
        assert visit.errors() == []
    finally:
        visit.close()


def test_the_panel_follows_the_date_filter_at_once(browser, built, store):
    visit = Visit(browser, built.out / "views" / "co-issuance.html")
    try:
        visit.click_node(MIIT)
        visit.page.wait_for_selector("#pg-panel-body li")
        everything = visit.page.locator("#pg-panel-body li").count()
        visit.page.fill("#pg-from", "2024-02-05")
        visit.page.dispatch_event("#pg-from", "change")
        later = store.query(
            "SELECT (COUNT(DISTINCT ?p) AS ?n) WHERE { ?p pg:issuedBy agency:miit ; "
            "dcterms:issued ?d FILTER(STR(?d) >= '2024-02-05') }").records()[0]["n"]  # fmt: skip
        assert visit.page.locator("#pg-panel-body li").count() == int(later) < everything
    finally:
        visit.close()


@pytest.mark.parametrize("renderer", ["vis", "webgl"])
def test_png_and_svg_export_what_is_shown(gl_browser, tables, tmp_path, renderer):
    import xml.etree.ElementTree as ET

    view = views.render(tables, "co-issuance", renderer=renderer)
    visit = Visit(gl_browser, _write(tmp_path, view))
    try:
        for button, magic in (("#pg-png", b"\x89PNG"), ("#pg-svg", b"<svg")):
            with visit.page.expect_download() as got:
                visit.page.click(button)
            body = Path(got.value.path()).read_bytes()
            assert body.startswith(magic), button
        svg = ET.fromstring(body)
        circles = svg.findall(".//{http://www.w3.org/2000/svg}circle")
        lines = svg.findall(".//{http://www.w3.org/2000/svg}line")
        assert [len(circles), len(lines)] == visit.page.evaluate("pgView.shown()")
        assert visit.errors() == []
    finally:
        visit.close()


def test_a_hostile_title_stays_text_in_the_webgl_view(gl_browser, hostile_out, tmp_path):
    from policygraph.backends import open_backend

    tables = Tables.of(open_backend(str(hostile_out / "store"))[0])
    view = views.render(tables, "co-issuance", renderer="webgl")
    visit = Visit(gl_browser, _write(tmp_path, view))
    try:
        _click(visit, MIIT)
        visit.page.wait_for_selector("#pg-panel-body li")
        panel = visit.panel()
        assert HOSTILE in panel and HOSTILE_BRIEF in panel
        assert visit.page.locator("#pg-panel img, #pg-panel script").count() == 0
        with visit.page.expect_download() as got:
            visit.page.click("#pg-svg")
        assert "<img" not in Path(got.value.path()).read_text("utf-8")
        assert visit.dialogs == [] and visit.requests == [visit.url] and visit.errors() == []
    finally:
        visit.close()


def test_filtered_views_are_marked_and_leave_the_whole_record_alone(tmp_path, built, tables):
    out = tmp_path / "out"
    assert cli("views", "--store", built.out / "store", "--out", out).returncode == 0
    whole = {p: p.read_bytes() for p in out.rglob("*") if p.is_file()}
    result = cli("views", "--store", built.out / "store", "--out", out,
                 "--from", "2024-01-01", "--to", "2024-12-31")  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert {p: p.read_bytes() for p in whole} == whole, "the filtered views overwrote the full"
    page = out / "views-2024-01-01_2024-12-31" / "co-issuance.html"
    assert "2024-01-01 to 2024-12-31" in page.read_text("utf-8").split("</title>")[0]
    assert (out / "networks-2024-01-01_2024-12-31" / "co-issuance.graphml").exists()
    assert (out / "index-2024-01-01_2024-12-31.html").exists()
    apart = cli("views", "--store", built.out / "store", "--out", out, "--offices")
    assert apart.returncode == 0 and (out / "views-offices" / "co-issuance.html").exists()
    complete = cli("views", "--store", built.out / "store", "--out", out, "--whole")
    page = out / "views-whole" / "co-issuance.html"
    assert complete.returncode == 0 and "(whole)" in page.read_text("utf-8").split("</title>")[0]
    assert {p: p.read_bytes() for p in whole} == whole
