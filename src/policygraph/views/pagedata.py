"""The data a view page carries, the same for both renderers (vis-network and sigma.js).

Nodes and edges are shipped with their counts per year, so that the page can show the network
of one year itself. A view draws at most ``MOST`` edges: those of weight ≥ k, k the least weight
for which that holds (:func:`~policygraph.networks.projections.threshold`), computed here for
all years and for each year. A large view ships only the edges and nodes that some year can
show (:func:`reach`): the rest could never be drawn, and the page says how many it leaves out.
"""

from __future__ import annotations

import math

import networkx as nx
import numpy as np

from policygraph.networks.projections import shown
from policygraph.networks.tables import Tables
from policygraph.records.kinds import node_kinds
from policygraph.views.layout import positions

PALETTE = ("#4e79a7", "#f28e2b", "#e15759", "#76b7b2", "#59a14f", "#edc948",
           "#b07aa1", "#ff9da7", "#9c755f", "#8cd17d", "#d37295", "#499894")  # fmt: skip
OTHER = "#bab0ac"  # groups and communities beyond the palette's twelve
SHAPES = {k.name: k.glyph for k in node_kinds()}
MOST = 500  # edges a view draws at most: a whole-record view stays readable
LABELLED = 30  # nodes labelled at the default zoom, the heaviest by weighted degree
CAP = 200  # records listed per node or edge, newest first
BUDGET = 20_000  # listings in one page in all: big networks list fewer per node or edge


def _iso(days: int) -> str | None:
    return str(np.datetime64(int(days), "D")) if days >= 0 else None


def colours(names: list[str]) -> dict[str, str]:
    """A colour per name, the most frequent first: the palette, then grey for the rest."""
    counts: dict[str, int] = {}
    for name in names:
        counts[name] = counts.get(name, 0) + 1
    order = sorted(counts, key=lambda g: (-counts[g], g))
    return {g: PALETTE[i] if i < len(PALETTE) - 1 else OTHER for i, g in enumerate(order)}


def reach(graph: nx.Graph, per_year: tuple, most: int = MOST) -> tuple[dict, list, set]:
    """What the year control can ever show: ({"": k, year: k, …}, the edges and the nodes).

    For all years and for each year, the threshold k of :func:`shown` over that year's weights;
    an edge is kept if it reaches k in some year (or all years), a node if it ends such an edge
    or, in a year with k = 1, has records that year.
    """
    years, node_years, edge_years = per_year
    ends = list(graph.edges(data="weight"))
    weights = np.array([w for *_, w in ends], dtype=np.int64)
    counts = np.zeros((len(ends), len(years)), dtype=np.int64)
    at = {y: i for i, y in enumerate(years)}
    for e, (a, b, _) in enumerate(ends):
        for y, n in (edge_years.get((a, b)) or edge_years.get((b, a), {})).items():
            counts[e, at[y]] = n
    k = {"": threshold(weights, most)}
    keep = weights >= k[""]
    nodes = set(graph) if k[""] == 1 else set()
    for y, i in at.items():
        k[str(y)] = threshold(counts[:, i][counts[:, i] > 0], most)
        keep |= (counts[:, i] > 0) & (counts[:, i] >= k[str(y)])
        if k[str(y)] == 1:
            nodes |= {n for n, c in node_years.items() if c.get(y) and n in graph}
    edges = [(a, b) for (a, b, _), kept in zip(ends, keep, strict=True) if kept]
    return k, edges, nodes | {n for e in edges for n in e}


def threshold(weights: np.ndarray, most: int) -> int:
    """:func:`~policygraph.networks.projections.threshold`, over an array."""
    return 1 if len(weights) <= most else int(-np.sort(-weights)[most]) + 1


def page_data(tables: Tables, name: str, graph: nx.Graph, node_rows: dict, edge_rows: dict,
              per_year: tuple, cap: int = CAP, prune: bool = False) -> dict:  # fmt: skip
    """Nodes, edges, records and legends of one view, as the page's JSON; ``prune``: only what
    the year control can show (:func:`reach`), for the large views.

    Nodes and edges are columns, one list per field, so that the page parses no repeated keys
    and decodes the edges into typed arrays at once: ``s``, ``t`` node indices, ``w`` weights,
    and the counts per year, sparse: edge i has ``yc[yp[i]:yp[i+1]]`` in years ``yi[…]``
    (indices into ``years``, newest first).
    """
    years, node_years, edge_years = per_year
    k, reachable, reached = reach(graph, per_year)
    order_nodes = [n for n in graph if not prune or n in reached]
    order_edges = reachable if prune else list(graph.edges())
    cap = min(cap, max(1, BUDGET // max(1, len(order_nodes) + len(order_edges))))
    listed: dict[int, int] = {}  # record row → its place in the page's record list

    def newest(rows: list[int]) -> tuple[list[int], int]:
        rows = sorted(rows, key=lambda r: -tables.dates[r])
        return [listed.setdefault(r, len(listed)) for r in rows[:cap]], max(0, len(rows) - cap)

    _, _, kept = shown(graph, MOST)
    backbone = nx.Graph()
    backbone.add_nodes_from(order_nodes)
    backbone.add_edges_from(kept)
    pos = positions(backbone, {n: d["community"] for n, d in graph.nodes(data=True)})
    group_colour = colours([d["group"] for _, d in graph.nodes(data=True)])
    top = max((d["records"] for _, d in graph.nodes(data=True)), default=1)
    desc = years[::-1]
    at = {y: i for i, y in enumerate(desc)}
    nodes = []
    for node in order_nodes:
        d = graph.nodes[node]
        rows, more = newest(node_rows.get(node, []))
        c = d["community"]
        scale = math.sqrt(d["records"] / top)
        nodes.append({
            "id": node, "label": d["notation"] or d["en"], "shape": SHAPES[d["kind"]],
            "size": round(8 + 32 * scale, 1), "font": round(26 + 22 * scale),
            "x": pos[node][0], "y": pos[node][1], "groupColor": group_colour[d["group"]],
            "communityColor": PALETTE[c] if c < len(PALETTE) else OTHER,
            "r": rows, "more": more, "years": node_years.get(node, {}),
            **{key: d[key] for key in d if key not in ("x", "y", "parent")},
        })  # fmt: skip
    index = {n: i for i, n in enumerate(order_nodes)}
    edges = {"s": [], "t": [], "w": [], "j": [], "yp": [0], "yi": [], "yc": [], "r": [], "more": []}
    for a, b in order_edges:
        d = graph.edges[a, b]
        rows, more = newest(edge_rows.get((a, b)) or edge_rows.get((b, a), []))
        counts = edge_years.get((a, b)) or edge_years.get((b, a), {})
        edges["s"].append(index[a])
        edges["t"].append(index[b])
        edges["w"].append(d["weight"])
        edges["j"].append(d.get("jaccard"))
        edges["yi"].extend(at[y] for y in counts)
        edges["yc"].extend(counts.values())
        edges["yp"].append(len(edges["yi"]))
        edges["r"].append(rows)
        edges["more"].append(more)
    fields = sorted({key for n in nodes for key in n})
    order = sorted(listed, key=listed.get)
    sector_cols = sorted({int(c) for r in order for c in _sector_columns(tables, r)})
    sector_at = {c: i for i, c in enumerate(sector_cols)}
    return {
        "name": name, "nodes": {key: [n.get(key) for n in nodes] for key in fields},
        "edges": edges, "years": desc, "most": MOST,
        "k": k, "labelled": LABELLED,
        "total": [graph.number_of_nodes(), graph.number_of_edges()],
        "records": [_record(tables, r, sector_at) for r in order],
        "sectors": [_labels(tables, tables.nodes["sector"][c]) for c in sector_cols],
        "groups": _group_legend(graph, group_colour), "communities": _legend(graph),
        "truncated": any(n["more"] for n in nodes) or any(edges["more"]),
    }  # fmt: skip


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


def _group_legend(graph: nx.Graph, colour: dict[str, str]) -> list[dict]:
    """Each colour of the default colouring: the groups it stands for and how many nodes."""
    by_colour: dict[str, list] = {}
    for _, d in graph.nodes(data=True):
        by_colour.setdefault(colour[d["group"]], []).append(d["group"])
    legend = []
    for c, members in by_colour.items():
        names = sorted(set(members), key=lambda g: -members.count(g))
        label = names[0].replace("-", " ") if len(names) == 1 else f"other ({len(names)} kinds)"
        legend.append({"color": c, "size": len(members), "members": label})
    return sorted(legend, key=lambda g: (g["color"] == OTHER, -g["size"]))


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
