"""Node positions, computed in Python so that a big view opens laid out, with physics off.

networkx's spring layout costs over a minute at 5,000 nodes (its sparse Fruchterman–Reingold
is O(n²) per step in Python), and vis-network's physics does not settle at that size. Up to
``SMALL`` nodes the drawn graph (the heaviest edges) is laid out whole; above, laying out
communities instead is fast: place the communities by a spring layout of the graph of
communities, then each community's own nodes around its centre, scaled by its size.

>>> import networkx as nx
>>> g = nx.karate_club_graph()
>>> pos = positions(g, {n: n % 3 for n in g})
>>> sorted(pos) == sorted(g) and all(len(p) == 2 for p in pos.values())
True
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
    """Communities placed by a spring layout of the graph of communities, each community's
    nodes around its centre."""
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
    centres = nx.spring_layout(between, seed=seed, weight="weight") if len(groups) > 1 else {}
    total = graph.number_of_nodes()
    out = {}
    for c, members in groups.items():
        centre = np.asarray(centres.get(c, (0.0, 0.0)))
        radius = math.sqrt(len(members) / total) * (0.5 if len(groups) > 1 else 1.0)
        if len(members) == 1:
            local = {members[0]: np.zeros(2)}
        else:
            local = nx.spring_layout(graph.subgraph(members), seed=seed, weight="weight")
        for node, p in local.items():
            x, y = (centre + radius * np.asarray(p)) * SCALE
            out[node] = (round(float(x), 1), round(float(y), 1))
    return out
