"""Loading the graph into any SPARQL 1.1 store: the Graph Store HTTP Protocol, or SPARQL Update
where the engine has no Graph Store endpoint; one named graph per source, staged then moved.
"""

from __future__ import annotations

import contextlib
import urllib.error
import urllib.parse
import urllib.request
import uuid
from collections.abc import Iterable
from dataclasses import dataclass

import pyoxigraph
from pyoxigraph import NamedNode, Quad

from policygraph.errors import StoreError


@dataclass(frozen=True)
class Engine:
    """Where an engine keeps its query, update and Graph Store endpoints, relative to a base URL."""

    query: str
    update: str
    gsp: str | None


ENGINES = {
    "oxigraph": Engine("/query", "/update", "/store"),
    "fuseki": Engine("/query", "/update", "/data"),
    "graphdb": Engine("", "/statements", "/rdf-graphs/service"),
    "virtuoso": Engine("/sparql", "/sparql", "/sparql-graph-crud"),
    "qlever": Engine("", "", None),
}


def _request(url: str, method: str, body: bytes, content_type: str, timeout: float) -> None:
    req = urllib.request.Request(
        url, data=body, method=method, headers={"Content-Type": content_type}
    )
    try:
        with urllib.request.urlopen(req, timeout=timeout) as response:
            response.read()
    except urllib.error.HTTPError as exc:
        detail = exc.read().decode("utf-8", "replace").strip().splitlines()[:1]
        raise StoreError(
            f"{method} {url} answered {exc.code} {exc.reason}: {' '.join(detail)}"
        ) from exc
    except (TimeoutError, urllib.error.URLError, OSError) as exc:
        raise StoreError(f"cannot reach {url}: {getattr(exc, 'reason', exc)}") from exc


def push(
    base: str,
    graphs: dict[NamedNode, list[Quad]],
    *,
    engine: str = "oxigraph",
    timeout: float = 300,
) -> dict[str, int]:
    """Load each named graph into the store at ``base``, replacing what those graphs held.

    Every graph is first written to a staging graph; only when all are there does one SPARQL
    Update move them into place, so a server that fails mid-way keeps its data as it was.
    """
    spec = ENGINES[engine]
    update_url = base.rstrip("/") + spec.update
    staged: list[tuple[NamedNode, NamedNode]] = []
    token = f"staging-{uuid.uuid4().hex}"
    try:
        for name, quads in graphs.items():
            stage = NamedNode(f"{name.value}#{token}")
            body = pyoxigraph.serialize(
                (q.triple for q in quads), format=pyoxigraph.RdfFormat.N_TRIPLES
            )
            staged.append((name, stage))
            if spec.gsp:
                gsp = (
                    base.rstrip("/")
                    + spec.gsp
                    + "?"
                    + urllib.parse.urlencode({"graph": stage.value})
                )
                _request(gsp, "PUT", body, "application/n-triples", timeout)
            else:
                update = f"DROP SILENT GRAPH {stage} ; INSERT DATA {{ GRAPH {stage} {{ {body.decode()} }} }}"
                _request(update_url, "POST", update.encode(), "application/sparql-update", timeout)
        moves = " ;\n".join(f"MOVE SILENT GRAPH {stage} TO GRAPH {name}" for name, stage in staged)
        _request(update_url, "POST", moves.encode(), "application/sparql-update", timeout)
    except StoreError:
        _drop_quietly(update_url, [stage for _, stage in staged], timeout)
        raise
    return {name.value: len(quads) for name, quads in graphs.items()}


def _drop_quietly(update_url: str, stages: list[NamedNode], timeout: float) -> None:
    if not stages:
        return
    drops = " ; ".join(f"DROP SILENT GRAPH {s}" for s in stages)
    # the server is failing already; the staging graphs hold nothing of the real ones
    with contextlib.suppress(StoreError):
        _request(update_url, "POST", drops.encode(), "application/sparql-update", timeout)


def push_backend(backend, base: str, *, engine: str = "oxigraph") -> dict[str, int]:
    """Push every quad of ``backend`` to ``base``, one named graph per source."""
    return push(base, by_graph(backend.quads()), engine=engine)


def by_graph(quads: Iterable[Quad]) -> dict[NamedNode, list[Quad]]:
    """``quads`` grouped by the named graph that holds them."""
    graphs: dict = {}
    for quad in quads:
        graphs.setdefault(quad.graph_name, []).append(quad)
    return graphs
