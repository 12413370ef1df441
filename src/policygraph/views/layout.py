"""Node positions, computed in Python so that a big view opens laid out, with physics off.

networkx's spring layout costs over a minute at 5,000 nodes (its sparse Fruchterman–Reingold
is O(n²) per step in Python), and vis-network's physics does not settle at that size. Up to
``SMALL`` nodes the drawn graph (the heaviest edges) is laid out whole; above, laying out
communities instead is fast: each community is a disc of area in proportion to its size,
and within it (as among communities) those with a drawn edge get a spring layout in the middle
and the rest are spread evenly around them.

>>> import networkx as nx
>>> g = nx.karate_club_graph()
>>> pos = positions(g, {n: n % 3 for n in g})
>>> sorted(pos) == sorted(g) and all(len(p) == 2 for p in pos.values())
True

A large graph of which few nodes have a drawn edge: each node still gets a place of its own.

>>> big = nx.Graph([(0, 7), (7, 14), (3, 4)])
>>> big.add_nodes_from(range(20_000))
>>> pos = positions(big, {n: n % 7 for n in big})
>>> len(set(pos.values())), max(max(abs(x), abs(y)) for x, y in pos.values()) <= 2 * SCALE
(20000, True)
"""

from __future__ import annotations

import math

import networkx as nx
import numpy as np

SCALE = 1000  # vis-network's canvas units: the whole layout fits about ±SCALE
SMALL = 1000  # up to this many nodes, a spring layout of the whole (drawn) graph


def positions(graph: nx.Graph, community: dict, seed: int = 1) -> dict:
    """(x, y) per node: a spring layout of the linked nodes, the others on a ring around them,
    for a small graph; nodes of one community together for a large one."""
    if graph.number_of_nodes() <= SMALL:
        return _spring(graph, seed)
    return _by_community(graph, community, seed)


def _spring(graph: nx.Graph, seed: int) -> dict:
    linked = [n for n in graph if graph.degree(n)]
    alone = sorted((n for n in graph if not graph.degree(n)), key=str)
    out = {}
    if linked:
        core = graph.subgraph(linked)
        k = 2 / math.sqrt(len(linked))
        pos = nx.spring_layout(core, k=k, iterations=200, seed=seed, weight=None)
        xy = np.array(list(pos.values())) - np.mean(list(pos.values()), axis=0)
        r = np.hypot(xy[:, 0], xy[:, 1])
        spread = np.sqrt(r / max(r.max(), 1e-9)) / np.maximum(r, 1e-9)  # a fisheye: the dense
        xy = xy * spread[:, None] * SCALE  # core opens up, the periphery draws in
        for node, (x, y) in zip(pos, xy, strict=True):
            out[node] = (round(float(x), 1), round(float(y), 1))
    for i, node in enumerate(alone):
        angle = 2 * math.pi * i / len(alone)
        out[node] = (
            round(1.3 * SCALE * math.cos(angle), 1),
            round(1.3 * SCALE * math.sin(angle), 1),
        )
    return out


def _by_community(graph: nx.Graph, community: dict, seed: int) -> dict:
    """Each community a disc of area in proportion to its size, placed by :func:`_disc` over the
    graph of communities; its nodes placed in it by :func:`_disc` over its own subgraph."""
    groups: dict[int, list] = {}
    for node in graph:
        groups.setdefault(community[node], []).append(node)
    between = nx.Graph()
    between.add_nodes_from(groups)
    for a, b, d in graph.edges(data=True):
        ca, cb = community[a], community[b]
        if ca != cb:
            w = between.get_edge_data(ca, cb, {"weight": 0})["weight"]
            between.add_edge(ca, cb, weight=w + d.get("weight", 1))
    sizes = {c: len(members) for c, members in groups.items()}
    centres = _disc(between, seed, sizes)
    total = graph.number_of_nodes()
    out = {}
    for c, members in groups.items():
        radius = 0.9 * math.sqrt(len(members) / total)
        for node, p in _disc(graph.subgraph(members), seed).items():
            x, y = (centres[c] + radius * p) * SCALE
            out[node] = (round(float(x), 1), round(float(y), 1))
    return out


def _disc(graph: nx.Graph, seed: int, area: dict | None = None) -> dict:
    """Nodes in the unit disc, each with its ``area`` (1 by default): a spring layout of the
    linked nodes in the middle, the unlinked ones around them, the largest first, in a
    sunflower of areas (even spacing, no layout to compute: thousands of nodes without a drawn
    edge cost nothing)."""
    area = area or dict.fromkeys(graph, 1)
    total = sum(area.values())
    linked = [n for n in graph if graph.degree(n)]
    alone = sorted((n for n in graph if not graph.degree(n)), key=lambda n: -area[n])
    inner = math.sqrt(sum(area[n] for n in linked) / total)
    out = {n: np.zeros(2) for n in linked}
    if len(linked) > 1:
        pos = nx.spring_layout(graph.subgraph(linked), seed=seed, weight="weight")
        out = {n: inner * np.asarray(p) for n, p in pos.items()}
    sizes = np.array([area[n] for n in alone], dtype=float)
    middle = (np.cumsum(sizes) - sizes / 2) / max(sizes.sum(), 1)  # each one's share, centred
    r = np.sqrt(inner**2 + (1 - inner**2) * middle)
    angle = np.arange(len(alone)) * math.pi * (3 - math.sqrt(5))  # the golden angle
    out.update(zip(alone, np.column_stack([r * np.cos(angle), r * np.sin(angle)]), strict=True))
    return out
