"""Query results → networkx graphs: who co-issues with whom, and how often.

The co-issuance network is computed from the policy-by-agency incidence matrix A (one query,
any store): AᵀA counts, for every pair of agencies, the policies they issued together. That is
the SPARQL co-issuance aggregate's answer, without the engine's pairwise join.
"""

from __future__ import annotations

from dataclasses import dataclass

import networkx as nx
import numpy as np
from scipy import sparse

from .queries import run


@dataclass
class Incidence:
    """Which agencies issued which policies: a sparse 0/1 matrix, policies × agencies."""

    policies: list[str]
    agencies: list[str]
    matrix: sparse.csr_matrix
    leads: np.ndarray  # per agency, how many policies it led

    @classmethod
    def of(cls, backend) -> Incidence:
        rows = run(backend, "_issuance").rows
        policy_index: dict[str, int] = {}
        agency_index: dict[str, int] = {}
        p = np.fromiter(
            (policy_index.setdefault(r[0].value, len(policy_index)) for r in rows), np.int64
        )
        a = np.fromiter(
            (agency_index.setdefault(r[1].value, len(agency_index)) for r in rows), np.int64
        )
        led = np.fromiter((r[2].value == "true" for r in rows), bool, count=len(rows))
        matrix = sparse.csr_matrix(
            (np.ones(len(rows), np.int32), (p, a)), shape=(len(policy_index), len(agency_index))
        )
        matrix.data[:] = 1  # a policy lists an issuer once, however often the store repeats it
        leads = np.bincount(a[led], minlength=len(agency_index))
        return cls(list(policy_index), list(agency_index), matrix, leads)

    def coissuance(self) -> dict[tuple[str, str], int]:
        """For each pair of agencies (IRIs, the smaller first), the policies they share."""
        shared = sparse.triu(self.matrix.T @ self.matrix, k=1).tocoo()
        out = {}
        for i, j, n in zip(shared.row, shared.col, shared.data, strict=True):
            a, b = self.agencies[i], self.agencies[j]
            out[(a, b) if a < b else (b, a)] = int(n)
        return out


def coissuance_graph(backend) -> nx.Graph:
    """Agencies linked by the policies they co-issue; edge ``weight`` = policies shared, node
    ``policies`` and ``led`` = how many it issued and led."""
    inc = Incidence.of(backend)
    graph = nx.Graph()
    issued = np.asarray(inc.matrix.sum(axis=0)).ravel()
    for k, agency in enumerate(inc.agencies):
        graph.add_node(agency, policies=int(issued[k]), led=int(inc.leads[k]))
    for (a, b), n in inc.coissuance().items():
        graph.add_edge(a, b, weight=n)
    return graph
