"""The data a view page carries, the same for both renderers (vis-network and sigma.js).

Every node and edge of the network is shipped, each with its counts per year, so that the page
can recompute the network for one year and pick the edges to draw itself. A view draws at most
``MOST`` edges: those of weight ≥ k, k the least weight for which that holds
(:func:`~policygraph.networks.projections.threshold`, the same in ``view.js``).
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


def page_data(tables: Tables, name: str, graph: nx.Graph, node_rows: dict, edge_rows: dict,
              per_year: tuple, cap: int = CAP) -> dict:  # fmt: skip
    """Nodes, edges, records and legends of one view, as the page's JSON."""
    years, node_years, edge_years = per_year
    cap = min(cap, max(1, BUDGET // max(1, graph.number_of_nodes() + graph.number_of_edges())))
    listed: dict[int, int] = {}  # record row → its place in the page's record list

    def newest(rows: list[int]) -> tuple[list[int], int]:
        rows = sorted(rows, key=lambda r: -tables.dates[r])
        return [listed.setdefault(r, len(listed)) for r in rows[:cap]], max(0, len(rows) - cap)

    k, _, kept = shown(graph, MOST)
    backbone = nx.Graph()
    backbone.add_nodes_from(graph)
    backbone.add_edges_from(kept)
    pos = positions(backbone, {n: d["community"] for n, d in graph.nodes(data=True)})
    group_colour = colours([d["group"] for _, d in graph.nodes(data=True)])
    top = max((d["records"] for _, d in graph.nodes(data=True)), default=1)
    nodes = []
    for node, d in graph.nodes(data=True):
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
    edges = []
    for a, b, d in graph.edges(data=True):
        rows, more = newest(edge_rows.get((a, b)) or edge_rows.get((b, a), []))
        counts = edge_years.get((a, b)) or edge_years.get((b, a), {})
        edges.append({"from": a, "to": b, "r": rows, "more": more, "years": counts, **d})
    order = sorted(listed, key=listed.get)
    sector_cols = sorted({int(c) for r in order for c in _sector_columns(tables, r)})
    sector_at = {c: i for i, c in enumerate(sector_cols)}
    return {
        "name": name, "nodes": nodes, "edges": edges, "years": years[::-1], "most": MOST,
        "k": k, "labelled": LABELLED,
        "records": [_record(tables, r, sector_at) for r in order],
        "sectors": [_labels(tables, tables.nodes["sector"][c]) for c in sector_cols],
        "groups": _group_legend(graph, group_colour), "communities": _legend(graph),
        "truncated": any(n["more"] for n in nodes) or any(e["more"] for e in edges),
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
