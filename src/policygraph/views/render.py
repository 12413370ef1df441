"""Networks → interactive HTML views, and files for Gephi and spreadsheets.

A view is one self-contained page: our template (``templates/view.html``) with the data
(:mod:`~policygraph.views.pagedata`), the shared script (``view.js``: side panel, search,
filters, years, legend, export) and one renderer. Small networks are drawn by vis-network (as
pyvis ships it) on a 2D canvas; large ones (over ``WEBGL_NODES`` nodes or ``WEBGL_EDGES`` edges)
by sigma.js with graphology in WebGL (vendored in ``vendor/``). Pages load nothing from the
network and set all text from the data with ``textContent``.

The files are safe for the tools that open them: GraphML and GEXF hold no character XML 1.0
forbids (a control character from a remote store is written escaped, ``\\x1b``), and the
``.csv`` edge lists, meant for spreadsheets, quote a cell that would run as a formula
(:func:`~policygraph.backends.results.spreadsheet_safe`).
"""

from __future__ import annotations

import csv
import html
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

from policygraph.backends.export import replace_atomically
from policygraph.backends.results import spreadsheet_safe
from policygraph.networks.projections import NETWORKS, behind, measure, network, yearly
from policygraph.networks.tables import Tables
from policygraph.views import INDEX
from policygraph.views.pagedata import CAP, page_data

PHYSICS_MAX = 300  # above this many nodes (or MOST drawn edges) the layout is final: physics off
WEBGL_NODES, WEBGL_EDGES = 2000, 10_000  # above either, sigma.js draws the view in WebGL
EXPORTS = ("graphml", "gexf", "csv")
#: characters XML 1.0 cannot hold (nor escape as &#…;)
NOT_XML = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


@cache
def _template(name: str) -> str:
    return resources.files("policygraph").joinpath(f"views/{name}").read_text("utf-8")


@cache
def _vis_js() -> str:
    """vis-network as pyvis ships it (469 KB): read once, inlined into every page."""
    return (Path(pyvis.__file__).parent / "lib" / "vis-9.1.2" / "vis-network.min.js").read_text(
        "utf-8"
    )


def _environment() -> jinja2.Environment:
    return jinja2.Environment(autoescape=True, undefined=jinja2.StrictUndefined)


@dataclass
class View:
    """One rendered network: its graph (with metrics), the HTML, its renderer, and how long
    it took."""

    name: str
    graph: nx.Graph
    html: str
    seconds: float
    renderer: str = "vis"


def choose(graph: nx.Graph) -> str:
    """``webgl`` for a large network, ``vis`` otherwise."""
    big = graph.number_of_nodes() > WEBGL_NODES or graph.number_of_edges() > WEBGL_EDGES
    return "webgl" if big else "vis"


def render(tables: Tables, name: str, keep: np.ndarray | None = None, cap: int = CAP,
           rollup: bool = True, renderer: str | None = None, subtitle: str = "",
           index_link: str = "../" + INDEX, prune: bool | None = None) -> View:  # fmt: skip
    """The view of network ``name`` over the records in ``keep``; ``rollup``: offices count as
    their ministry; ``renderer``: ``vis`` or ``webgl``, by size when None; ``prune``: leave out
    what no year can show (:func:`~policygraph.views.pagedata.reach`), by default in WebGL."""
    started = time.perf_counter()
    graph = measure(network(tables, name, keep, rollup))
    node_rows, edge_rows = behind(tables, name, keep, rollup)
    per_year = yearly(tables, name, keep, rollup)
    renderer = renderer or choose(graph)
    prune = renderer == "webgl" if prune is None else prune
    data = page_data(tables, name, graph, node_rows, edge_rows, per_year, cap, prune)
    text = page(name, data, renderer, subtitle, index_link)
    return View(name, graph, text, time.perf_counter() - started, renderer)


def page(name: str, data: dict, renderer: str, subtitle: str = "",
         index_link: str = "../" + INDEX) -> str:  # fmt: skip
    """The HTML of one view: the data, the shared script and the renderer's."""
    spec = NETWORKS[name]
    physics = (
        len(data["nodes"].get("id", [])) <= PHYSICS_MAX and renderer == "vis" and data["k"][""] == 1
    )
    data["renderer"], data["physics"] = renderer, physics
    data["options"] = {
        "physics": {"enabled": physics, "solver": "forceAtlas2Based",
                    "forceAtlas2Based": {"gravitationalConstant": -160, "springLength": 170,
                                         "centralGravity": 0.008, "avoidOverlap": 0.9},
                    "stabilization": {"enabled": True, "iterations": 300, "fit": True}},
        "layout": {"improvedLayout": False},
        "interaction": {"hover": True, "tooltipDelay": 120, "hideEdgesOnDrag": not physics},
        "edges": {"smooth": False},
    }  # fmt: skip
    if renderer == "webgl":
        libraries = [_template("vendor/graphology.umd.min.js"), _template("vendor/sigma.min.js")]
    else:
        libraries = [_vis_js()]
    title = spec.title + (f" ({subtitle})" if subtitle else "")
    return (
        _environment()
        .from_string(_template("templates/view.html"))
        .render(
            title=title,
            description=spec.description,
            data={k: v for k, v in data.items() if k != "records"},
            records=data["records"],
            index=index_link,
            style=_template("templates/view.css"),
            libraries=libraries,
            renderer=_template(f"templates/{renderer}.js"),
            script=_template("templates/view.js"),
        )  # fmt: skip
    )


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


def suffix(
    start: str | None = None,
    end: str | None = None,
    sector: str | None = None,
    offices: bool = False,
    whole: bool = False,
) -> str:
    """What marks a filtered output's folders and files: ``-2024-01-01_2024-12-31``, with the
    sector, ``-offices`` and ``-whole`` when given; empty for the default views of the whole
    record."""
    parts = [f"{start or 'start'}_{end or 'end'}"] if start or end else []
    if sector:
        parts.append(re.sub(r"[^A-Za-z0-9]+", "-", sector).strip("-").lower() or "sector")
    if offices:
        parts.append("offices")
    if whole:
        parts.append("whole")
    return "".join(f"-{p}" for p in parts)


def write(source, out: Path | str = "out", keep: np.ndarray | None = None, rollup: bool = True,
          mark: str = "", subtitle: str = "", prune: bool | None = None) -> dict[str, View]:  # fmt: skip
    """Write every view to ``out/views{mark}/``, its files to ``out/networks{mark}/``, and
    ``out/index{mark}.html``: a filtered output (``mark`` from :func:`suffix`) never replaces
    the whole record's. ``prune``: as :func:`render`.

    ``source`` is a store backend or :class:`Tables`.
    """
    out = Path(out)
    tables = source if isinstance(source, Tables) else Tables.of(source)
    views = {}
    home = f"index{mark}.html"
    for name in NETWORKS:
        view = render(tables, name, keep, rollup=rollup, subtitle=subtitle, index_link=f"../{home}",
                      prune=prune)  # fmt: skip
        target = out / f"views{mark}" / f"{name}.html"
        target.parent.mkdir(parents=True, exist_ok=True)
        replace_atomically(target, lambda tmp, v=view: tmp.write_text(v.html, encoding="utf-8"))
        write_files(view.graph, out / f"networks{mark}", name)
        views[name] = view
    text = index(views, mark, subtitle)
    replace_atomically(out / home, lambda tmp: tmp.write_text(text, "utf-8"))
    return views


def iframe(view: View, height: int = 600) -> str:
    """The view as an ``<iframe srcdoc>``: self-contained, for notebooks and other pages."""
    escaped = html.escape(view.html, quote=True)
    return (f'<iframe title="{html.escape(NETWORKS[view.name].title)}" srcdoc="{escaped}" '
            f'style="width:100%;height:{int(height)}px;border:1px solid #ddd"></iframe>')  # fmt: skip


def index(views: dict[str, View], mark: str = "", subtitle: str = "") -> str:
    """The page linking every view and its files."""
    rows = [
        {"name": name, "title": NETWORKS[name].title, "description": NETWORKS[name].description,
         "nodes": v.graph.number_of_nodes(), "edges": v.graph.number_of_edges(),
         "renderer": "WebGL" if v.renderer == "webgl" else "canvas",
         "path": f"views{mark}/{name}.html",
         "files": [(ext.upper(), f"networks{mark}/{name}.{ext}") for ext in EXPORTS]}
        for name, v in views.items()
    ]  # fmt: skip
    template = _environment().from_string(_template("templates/index.html"))
    return template.render(views=rows, subtitle=subtitle)
