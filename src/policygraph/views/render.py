"""Networks → interactive HTML views (pyvis), and files for Gephi and spreadsheets.

pyvis collects the nodes, edges and vis-network options; the page around them is our own
template (``templates/view.html``): pyvis 0.3.2's stock template loads Bootstrap from a CDN and
writes tooltips with ``innerHTML``. Ours inlines vis-network (shipped inside pyvis), loads
nothing from the network, and sets all text from the data with ``textContent``.

The files are safe for the tools that open them: GraphML and GEXF hold no character XML 1.0
forbids (a control character from a remote store is written escaped, ``\\x1b``), and the
``.csv`` edge lists, meant for spreadsheets, quote a cell that would run as a formula
(:func:`~policygraph.backends.results.spreadsheet_safe`).
"""

from __future__ import annotations

import csv
import html
import math
import re
import time
from dataclasses import dataclass
from functools import cache
from importlib import resources
from pathlib import Path

import jinja2
import networkx as nx
import numpy as np
import pyvis
from pyvis.edge import Edge
from pyvis.network import Network
from pyvis.node import Node

from policygraph.backends.export import replace_atomically
from policygraph.backends.results import spreadsheet_safe
from policygraph.networks.projections import NETWORKS, behind, measure, network
from policygraph.networks.tables import Tables
from policygraph.records.kinds import node_kinds
from policygraph.views.layout import positions

PALETTE = ("#4e79a7", "#f28e2b", "#e15759", "#76b7b2", "#59a14f", "#edc948",
           "#b07aa1", "#ff9da7", "#9c755f", "#8cd17d", "#d37295", "#499894")  # fmt: skip
OTHER = "#bab0ac"  # communities beyond the palette's twelve
SHAPES = {k.name: k.glyph for k in node_kinds()}
CAP = 200  # records listed per node or edge, newest first
BUDGET = 20_000  # listings in one page in all: big networks list fewer per node or edge
PHYSICS_MAX = 300  # above this many nodes the layout is final: physics stays off
EXPORTS = ("graphml", "gexf", "csv")
INDEX = "index.html"  # the page that links every view, at the top of the output folder
#: characters XML 1.0 cannot hold (nor escape as &#…;)
NOT_XML = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


@cache
def _template(name: str) -> str:
    return resources.files("policygraph").joinpath(f"views/templates/{name}").read_text("utf-8")


@cache
def _vis_js() -> str:
    """vis-network as pyvis ships it (469 KB): read once, inlined into every page."""
    return (Path(pyvis.__file__).parent / "lib" / "vis-9.1.2" / "vis-network.min.js").read_text(
        "utf-8"
    )


def _environment() -> jinja2.Environment:
    return jinja2.Environment(autoescape=True, undefined=jinja2.StrictUndefined)


def _iso(days: int) -> str | None:
    return str(np.datetime64(int(days), "D")) if days >= 0 else None


@dataclass
class View:
    """One rendered network: its graph (with metrics), the HTML, and how long it took."""

    name: str
    graph: nx.Graph
    html: str
    seconds: float


def render(tables: Tables, name: str, keep: np.ndarray | None = None, cap: int = CAP) -> View:
    """The view of network ``name`` over the records in ``keep``."""
    started = time.perf_counter()
    graph = measure(network(tables, name, keep))
    node_rows, edge_rows = behind(tables, name, keep)
    text = page(tables, name, graph, node_rows, edge_rows, cap)
    return View(name, graph, text, time.perf_counter() - started)


def page(tables: Tables, name: str, graph: nx.Graph, node_rows: dict, edge_rows: dict,
         cap: int = CAP) -> str:  # fmt: skip
    """The HTML of one view: pyvis's nodes and edges in our template, with the records."""
    spec = NETWORKS[name]
    big = graph.number_of_nodes() > PHYSICS_MAX
    cap = min(cap, max(1, BUDGET // max(1, graph.number_of_nodes() + graph.number_of_edges())))
    community = {n: d["community"] for n, d in graph.nodes(data=True)}
    pos = positions(graph, community)
    listed: dict[int, int] = {}  # record row → its place in the page's record list

    def newest(rows: list[int]) -> tuple[list[int], int]:
        rows = sorted(rows, key=lambda r: -tables.dates[r])
        return [listed.setdefault(r, len(listed)) for r in rows[:cap]], max(0, len(rows) - cap)

    net = Network(height="100%", width="100%")
    top = max((d["records"] for _, d in graph.nodes(data=True)), default=1)
    for node, d in graph.nodes(data=True):
        rows, more = newest(node_rows.get(node, []))
        c = d["community"]
        _add_node(
            net, node, label=d["notation"] or d["en"], shape=SHAPES[d["kind"]],
            color=PALETTE[c] if c < len(PALETTE) else OTHER,
            size=round(8 + 32 * math.sqrt(d["records"] / top), 1), x=pos[node][0], y=pos[node][1],
            r=rows, more=more, **{k: d[k] for k in d if k not in ("x", "y")},
        )  # fmt: skip
    heaviest = max((d["weight"] for *_, d in graph.edges(data=True)), default=1)
    for a, b, d in graph.edges(data=True):
        rows, more = newest(edge_rows.get((a, b)) or edge_rows.get((b, a), []))
        width = round(1 + 7 * d["weight"] / heaviest, 2)
        net.edges.append(Edge(a, b, directed=False, width=width, r=rows, more=more, **d).options)
    net.options = {
        "physics": {"enabled": not big, "solver": "forceAtlas2Based",
                    "forceAtlas2Based": {"gravitationalConstant": -160, "springLength": 170,
                                         "centralGravity": 0.008, "avoidOverlap": 0.9},
                    "stabilization": {"enabled": True, "iterations": 300, "fit": True}},
        "layout": {"improvedLayout": False},
        "interaction": {"hover": True, "tooltipDelay": 120, "hideEdgesOnDrag": big},
        "edges": {"smooth": False},
    }  # fmt: skip
    nodes, edges, *_ = net.get_network_data()
    order = sorted(listed, key=listed.get)
    sector_cols = sorted({int(c) for r in order for c in _sector_columns(tables, r)})
    sector_at = {c: i for i, c in enumerate(sector_cols)}
    records = [_record(tables, r, sector_at) for r in order]
    sectors = [_labels(tables, tables.nodes["sector"][c]) for c in sector_cols]
    data = {
        "name": name, "physics": not big, "nodes": nodes, "edges": edges,
        "options": net.options,
        "records": records, "sectors": sectors, "communities": _legend(graph),
        "truncated": any(n.get("more") for n in nodes) or any(e.get("more") for e in edges),
    }  # fmt: skip
    return (
        _environment()
        .from_string(_template("view.html"))
        .render(
            title=spec.title,
            description=spec.description,
            data=data,
            style=_template("view.css"),
            script=_template("view.js"),
            vis=_vis_js(),
        )  # fmt: skip
    )


def _add_node(net: Network, node: str, **options) -> None:
    """``net.add_node`` without its check for an existing id, a list scan per node (O(n²) at
    5,000 nodes); networkx's node ids are distinct already. Edges likewise skip
    ``add_edge``'s scan of all edges."""
    n = Node(node, options.pop("shape"), **options)
    net.nodes.append(n.options)
    net.node_ids.append(node)
    net.node_map[node] = n.options


def _sector_columns(tables: Tables, r: int) -> np.ndarray:
    m = tables.sectors
    return m.indices[m.indptr[r] : m.indptr[r + 1]]


def _labels(tables: Tables, iri: str) -> list[str]:
    d = tables.labels.get(iri, {})
    return [d.get("en") or iri.rsplit("/", 1)[-1], d.get("zh") or ""]


def _record(tables: Tables, r: int, sector_at: dict) -> list:
    m = tables.meta[r] if tables.meta else {}
    kind = "policy" if tables.is_policy[r] else "event"
    sectors = [sector_at[int(c)] for c in _sector_columns(tables, r)]
    fields = ("en", "zh", "official", "link", "brief", "briefUrl")
    return [kind, _iso(tables.dates[r]), *(m.get(f) for f in fields), sectors]


def _legend(graph: nx.Graph) -> list[dict]:
    """Each community's colour, size and its three biggest members."""
    groups: dict[int, list] = {}
    for _, d in graph.nodes(data=True):
        groups.setdefault(d["community"], []).append(d)
    legend = []
    for c in sorted(groups):
        members = sorted(groups[c], key=lambda d: -d["records"])[:3]
        names = ", ".join(d["notation"] or d["en"] for d in members)
        more = " …" if len(groups[c]) > 3 else ""
        colour = PALETTE[c] if c < len(PALETTE) else OTHER
        legend.append({"color": colour, "size": len(groups[c]), "members": names + more})
    return legend


def _xml_safe(graph: nx.Graph) -> nx.Graph:
    """``graph``, or a copy of it whose text has no character XML cannot hold: escaped."""

    def clean(value):
        return NOT_XML.sub(lambda m: ascii(m[0])[1:-1], value) if isinstance(value, str) else value

    texts = (v for *_, d in [*graph.nodes(data=True), *graph.edges(data=True)] for v in d.values())
    if not any(isinstance(v, str) and NOT_XML.search(v) for v in texts):
        return graph
    safe = nx.relabel_nodes(graph, {n: clean(n) for n in graph}, copy=True)
    for d in [d for *_, d in safe.nodes(data=True)] + [d for *_, d in safe.edges(data=True)]:
        d.update({k: clean(v) for k, v in d.items()})
    return safe


def write_files(graph: nx.Graph, folder: Path, name: str) -> dict[str, Path]:
    """``name``.graphml and .gexf (for Gephi), and .csv: one row per edge with both labels."""
    folder.mkdir(parents=True, exist_ok=True)
    xml = _xml_safe(graph)
    written = {
        "graphml": replace_atomically(folder / f"{name}.graphml",
                                      lambda tmp: nx.write_graphml(xml, tmp)),
        "gexf": replace_atomically(folder / f"{name}.gexf", lambda tmp: nx.write_gexf(xml, tmp)),
    }  # fmt: skip
    extra = sorted({k for *_, d in graph.edges(data=True) for k in d})

    def edges_csv(tmp: Path) -> None:
        with open(tmp, "w", newline="", encoding="utf-8") as f:
            out = csv.writer(f)
            out.writerow(["source", "target", "source_label", "target_label", *extra])
            for a, b, d in sorted(graph.edges(data=True), key=lambda e: -e[2]["weight"]):
                la, lb = (graph.nodes[n]["notation"] or graph.nodes[n]["en"] for n in (a, b))
                row = [a, b, la, lb, *(d.get(k, "") for k in extra)]
                out.writerow([spreadsheet_safe(v) if isinstance(v, str) else v for v in row])

    written["csv"] = replace_atomically(folder / f"{name}.csv", edges_csv)
    return written


def write(source, out: Path | str = "out", keep: np.ndarray | None = None) -> dict[str, View]:
    """Write every view to ``out/views/``, its files to ``out/networks/``, and ``out/index.html``.

    ``source`` is a store backend or :class:`Tables`.
    """
    out = Path(out)
    tables = source if isinstance(source, Tables) else Tables.of(source)
    views = {}
    for name in NETWORKS:
        view = render(tables, name, keep)
        target = out / "views" / f"{name}.html"
        target.parent.mkdir(parents=True, exist_ok=True)
        replace_atomically(target, lambda tmp, v=view: tmp.write_text(v.html, encoding="utf-8"))
        write_files(view.graph, out / "networks", name)
        views[name] = view
    replace_atomically(out / INDEX, lambda tmp: tmp.write_text(index(views), "utf-8"))
    return views


def iframe(view: View, height: int = 600) -> str:
    """The view as an ``<iframe srcdoc>``: self-contained, for notebooks and other pages."""
    escaped = html.escape(view.html, quote=True)
    return (f'<iframe title="{html.escape(NETWORKS[view.name].title)}" srcdoc="{escaped}" '
            f'style="width:100%;height:{int(height)}px;border:1px solid #ddd"></iframe>')  # fmt: skip


def index(views: dict[str, View]) -> str:
    """The page linking every view and its files."""
    rows = [
        {"name": name, "title": NETWORKS[name].title, "description": NETWORKS[name].description,
         "nodes": v.graph.number_of_nodes(), "edges": v.graph.number_of_edges(),
         "files": [(ext.upper(), f"networks/{name}.{ext}") for ext in EXPORTS]}
        for name, v in views.items()
    ]  # fmt: skip
    return _environment().from_string(_template("index.html")).render(views=rows)
