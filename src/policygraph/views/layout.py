"""Node positions, computed in Python so that a big view opens laid out, with physics off.

networkx's spring layout costs over a minute at 5,000 nodes (its sparse Fruchterman–Reingold
is O(n²) per step in Python), and vis-network's physics does not settle at that size. Laying
out communities instead is fast: place the communities by a spring layout of the graph of
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


def positions(graph: nx.Graph, community: dict, seed: int = 1) -> dict:
    """(x, y) per node, nodes of one community together."""
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
