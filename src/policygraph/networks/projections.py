"""Tables → networkx graphs: who co-issues with whom, which sectors overlap, and more.

Every network is a product of incidence matrices: with A the policies × agencies matrix,
AᵀA counts for each pair of agencies the policies they issued together, which is what the
SPARQL co-issuance aggregate answers, without the engine's pairwise join.

>>> import numpy as np
>>> from scipy import sparse
>>> A = sparse.csr_matrix(np.array([[1, 1, 0], [1, 1, 1], [0, 0, 1]]))
>>> sorted(pairs(A, A, one_mode=True).items())  # agencies 0 and 1 share two policies
[((0, 1), 2), ((0, 2), 1), ((1, 2), 1)]
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass

import networkx as nx
import numpy as np
from scipy import sparse

from policygraph.networks.tables import Tables


@dataclass(frozen=True)
class Spec:
    """A network: nodes are the columns of ``left`` (and ``right``), linked by shared rows."""

    title: str
    left: str  # a matrix of Tables: issued, sectors, companies
    right: str | None  # None: a one-mode network of the left kind
    policies_only: bool
    description: str


NETWORKS = {
    "co-issuance": Spec(
        "Agency co-issuance", "issued", None, True,
        "Agencies linked when they issued a policy together; weight = policies shared.",
    ),
    "sector-overlap": Spec(
        "Sector overlap", "sectors", None, True,
        "Sectors linked when a policy concerns both; weight = policies shared, with Jaccard.",
    ),
    "agency-sector": Spec(
        "Agencies and sectors", "issued", "sectors", True,
        "Each agency linked to the sectors of the policies it issued; weight = policies.",
    ),
    "company-sector": Spec(
        "Companies and sectors", "companies", "sectors", False,
        "Each company linked to the sectors of the policies and events naming it; weight = records.",
    ),
}  # fmt: skip
KIND_OF = {"issued": "agency", "sectors": "sector", "companies": "company"}


def pairs(left: sparse.spmatrix, right: sparse.spmatrix, one_mode: bool) -> dict:
    """For each pair of columns (left, right), how many rows have both; one-mode: i < j."""
    product = left.T.tocsr() @ right
    if one_mode:
        product = sparse.triu(product, k=1)
    product = product.tocoo()
    return {
        (int(i), int(j)): int(n)
        for i, j, n in zip(product.row, product.col, product.data, strict=True)
        if n
    }


def rows_of(tables: Tables, spec: Spec, keep: np.ndarray | None) -> np.ndarray:
    """The record rows a network counts: policies (or all records), within ``keep``."""
    rows = tables.is_policy.copy() if spec.policies_only else np.ones(len(tables.dates), bool)
    return rows if keep is None else rows & keep


def _tables(tables: Tables, rollup: bool) -> Tables:
    return tables.rolled_up() if rollup else tables


def _sides(tables: Tables, spec: Spec, keep: np.ndarray | None):
    """The rows counted, and the two incidence matrices restricted to them."""
    rows = np.flatnonzero(rows_of(tables, spec, keep))
    left = getattr(tables, spec.left)[rows]
    right = left if spec.right is None else getattr(tables, spec.right)[rows]
    if spec.right is not None:  # a record without both kinds of node links nothing
        both = (np.diff(left.indptr) > 0) & (np.diff(right.indptr) > 0)
        rows, left, right = rows[both], left[both], right[both]
    return rows, left, right


def group(tables: Tables, iri: str) -> str:
    """What a node is coloured by: an agency's kind, a sector's top-level sector, or its kind."""
    d = tables.labels[iri]
    if d["kind"] == "agency":
        return d.get("agencyKind") or "agency"
    if d["kind"] == "sector":
        seen = {iri}
        while (up := tables.labels.get(d.get("parent") or "", None)) and d["parent"] not in seen:
            seen.add(d["parent"])
            d = up
        return d.get("en") or "sector"
    return d["kind"]


def network(tables: Tables, name: str, keep: np.ndarray | None = None,
            rollup: bool = True) -> nx.Graph:  # fmt: skip
    """The network ``name`` of :data:`NETWORKS` over the records in ``keep`` (all if None);
    ``rollup``: offices and departments count as their parent agency (:meth:`Tables.rolled_up`).

    Nodes carry ``kind``, ``notation``, ``en``, ``zh``, ``group`` (:func:`group`) and
    ``records`` (how many of the counted records they appear in); agencies also ``led`` and
    ``parent``. Edges carry ``weight`` and, one-mode, ``jaccard``.
    """
    spec = NETWORKS[name]
    tables = _tables(tables, rollup)
    rows, left, right = _sides(tables, spec, keep)
    graph = nx.Graph(name=name)
    ids = {}
    for side, matrix in (("left", left), ("right", right)):
        attr = spec.left if side == "left" else spec.right or spec.left
        kind = KIND_OF[attr]
        counts = np.asarray(matrix.sum(axis=0)).ravel()
        led = np.asarray(tables.led[rows].sum(axis=0)).ravel() if kind == "agency" else None
        ids[side] = tables.nodes[kind]
        for n in np.flatnonzero(counts):
            iri = tables.nodes[kind][n]
            d = tables.labels[iri]
            extra = {"led": int(led[n]), "parent": d.get("parent") or ""} if led is not None else {}
            graph.add_node(iri, kind=kind, notation=d.get("notation") or "", en=d.get("en") or "",
                           zh=d.get("zh") or "", group=group(tables, iri), records=int(counts[n]),
                           **extra)  # fmt: skip
    counts = np.asarray(left.sum(axis=0)).ravel()
    for (i, j), n in pairs(left, right, spec.right is None).items():
        a, b = ids["left"][i], ids["right"][j]
        edge = {"weight": n}
        if spec.right is None:
            edge["jaccard"] = round(n / (counts[i] + counts[j] - n), 6)
        graph.add_edge(a, b, **edge)
    return graph


def years(tables: Tables) -> np.ndarray:
    """Each record's year (-1 where its date is unknown)."""
    y = tables.dates.astype("datetime64[D]").astype("datetime64[Y]").astype(np.int64) + 1970
    return np.where(tables.dates >= 0, y, -1)


def yearly(tables: Tables, name: str, keep: np.ndarray | None = None,
           rollup: bool = True) -> tuple[list[int], dict, dict]:  # fmt: skip
    """Per year, the records of each node and the weight of each edge of ``network(...)``:
    (years, {node: {year: n}}, {(a, b): {year: n}}), edges keyed as :func:`network` adds them."""
    spec = NETWORKS[name]
    tables = _tables(tables, rollup)
    of_year = years(tables)
    lnodes = tables.nodes[KIND_OF[spec.left]]
    rnodes = tables.nodes[KIND_OF[spec.right or spec.left]]
    present = sorted({int(y) for y in of_year[rows_of(tables, spec, keep)] if y >= 0})
    nodes: dict[str, dict[int, int]] = {}
    edges: dict[tuple[str, str], dict[int, int]] = {}
    for year in present:
        _, left, right = _sides(tables, spec, (of_year == year) & (True if keep is None else keep))
        for matrix, ids in ((left, lnodes), (right, rnodes)):
            counts = np.asarray(matrix.sum(axis=0)).ravel()
            for n in np.flatnonzero(counts):
                nodes.setdefault(ids[n], {})[year] = int(counts[n])
        for (i, j), n in pairs(left, right, spec.right is None).items():
            edges.setdefault((lnodes[i], rnodes[j]), {})[year] = n
    return present, nodes, edges


def threshold(weights, most: int) -> int:
    """The least weight k such that at most ``most`` of ``weights`` are k or more: a view
    keeps the edges of weight ≥ k. The page computes the same (view.js ``threshold``).

    >>> threshold([5, 3, 3, 1, 1], 2), threshold([5, 3, 3, 1, 1], 3), threshold([1, 2], 5)
    (4, 2, 1)
    """
    ordered = sorted((int(w) for w in weights), reverse=True)
    return 1 if len(ordered) <= most else ordered[most] + 1


def shown(graph: nx.Graph, most: int) -> tuple[int, set, set]:
    """What a view shows of ``graph`` with at most ``most`` edges: (k, nodes, edges). Edges of
    weight ≥ k; when a threshold applies (k > 1), only the nodes that keep an edge."""
    k = threshold((w for *_, w in graph.edges(data="weight")), most)
    edges = {(a, b) for a, b, w in graph.edges(data="weight") if w >= k}
    nodes = {n for e in edges for n in e} if k > 1 else set(graph)
    return k, nodes, edges


def coissuance(tables: Tables, keep: np.ndarray | None = None,
               rollup: bool = True) -> dict[tuple[str, str], int]:  # fmt: skip
    """For each pair of agency IRIs (the smaller first), the policies they share."""
    tables = _tables(tables, rollup)
    rows = np.flatnonzero(rows_of(tables, NETWORKS["co-issuance"], keep))
    agencies = tables.nodes["agency"]
    a = tables.issued[rows]
    return {tuple(sorted((agencies[i], agencies[j]))): n for (i, j), n in pairs(a, a, True).items()}


def behind(tables: Tables, name: str, keep: np.ndarray | None = None,
           rollup: bool = True) -> tuple[dict, dict]:  # fmt: skip
    """The record rows behind each node and each edge of ``network(tables, name, keep)``."""
    spec = NETWORKS[name]
    tables = _tables(tables, rollup)
    rows = np.flatnonzero(rows_of(tables, spec, keep))
    left = getattr(tables, spec.left)
    right = left if spec.right is None else getattr(tables, spec.right)
    lnodes = tables.nodes[KIND_OF[spec.left]]
    rnodes = tables.nodes[KIND_OF[spec.right or spec.left]]
    nodes: dict[str, list[int]] = {}
    edges: dict[tuple[str, str], list[int]] = {}
    for r in rows.tolist():
        ls = [lnodes[c] for c in left.indices[left.indptr[r] : left.indptr[r + 1]]]
        rs = [rnodes[c] for c in right.indices[right.indptr[r] : right.indptr[r + 1]]]
        if not ls or not rs:
            continue  # a record that no edge of this network passes through adds no node
        for iri in set(ls) | set(rs):
            nodes.setdefault(iri, []).append(r)
        if spec.right is None:
            links = itertools.combinations(sorted(ls), 2)
        else:
            links = itertools.product(ls, rs)
        for edge in links:
            edges.setdefault(edge, []).append(r)
    return nodes, edges


def measure(graph: nx.Graph, seed: int = 1) -> nx.Graph:
    """Add per node ``degree``, ``weighted_degree``, ``betweenness`` and ``community``.

    Betweenness treats a heavier edge as a shorter one (distance = 1 / weight); above 1,000
    nodes it is estimated from sampled sources (16 or more, about 250,000 edge visits).
    Communities are Louvain's (seeded, so a rebuild colours the same), numbered by size,
    largest first.
    """
    for _, _, d in graph.edges(data=True):
        d["distance"] = 1 / d["weight"]
    n, m = graph.number_of_nodes(), graph.number_of_edges()
    k = max(16, min(n, 250_000 // max(m, 1))) if n > 1000 else None
    between = nx.betweenness_centrality(graph, k=k, weight="distance", seed=seed)
    groups = nx.community.louvain_communities(graph, weight="weight", seed=seed)
    groups = sorted(groups, key=lambda g: (-len(g), min(g)))
    community = {n: c for c, group in enumerate(groups) for n in group}
    for n, d in graph.nodes(data=True):
        d["degree"] = graph.degree(n)
        d["weighted_degree"] = graph.degree(n, weight="weight")
        d["betweenness"] = round(between[n], 6)
        d["community"] = community[n]
    for _, _, d in graph.edges(data=True):
        del d["distance"]
    return graph
