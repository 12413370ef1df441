"""Loading the graph into any SPARQL 1.1 store: the Graph Store HTTP Protocol, or SPARQL Update
where the engine has no Graph Store endpoint; one named graph per source, staged then moved.
A push cleans up after a failed one (its staging graphs), and drops graphs of sources that are
gone; two pushes into one server at once are not supported (each drops the other's staging).
"""

from __future__ import annotations

import contextlib
import json
import re
import urllib.error
import urllib.parse
import urllib.request
import uuid
from collections.abc import Iterable
from dataclasses import dataclass, field

import pyoxigraph
from pyoxigraph import NamedNode, Quad

from policygraph.errors import StoreError
from policygraph.graph.vocab import ID_BASE
from policygraph.testhook import pause

#: the named graphs a push owns: one per source and per registry file
OURS = re.compile(re.escape(ID_BASE) + r"(source|graph)/[^#]+")
#: a staging graph of ours, as a push writes it before moving it into place
STAGED = re.compile(re.escape(ID_BASE) + r"(source|graph)/[^#]+#staging-[0-9a-f]{32}")


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


@dataclass
class Pushed:
    """What a push did: triples per named graph loaded, and graphs it removed from the server."""

    graphs: dict[str, int]
    removed: list[str] = field(default_factory=list)  # ours, no longer in the pushed graph
    leftovers: list[str] = field(default_factory=list)  # staging graphs of a failed push


def push(
    base: str,
    graphs: dict[NamedNode, list[Quad]],
    *,
    engine: str = "oxigraph",
    timeout: float = 300,
    prune: bool = False,
) -> Pushed:
    """Load each named graph into the store at ``base``, replacing what those graphs held.

    Every graph is first written to a staging graph; only when all are there does one SPARQL
    Update move them into place, so a server that fails mid-way keeps its data as it was.
    Staging graphs that an earlier, failed push left are dropped first. With ``prune`` (the
    whole graph is pushed), graphs of ours that ``graphs`` no longer has are dropped too.
    """
    spec = ENGINES[engine]
    root = base.rstrip("/")
    update_url = root + spec.update
    present = _graph_names(root + spec.query, timeout)
    leftovers = [g for g in present if STAGED.fullmatch(g)]
    _drop(update_url, leftovers, timeout)
    removed = sorted(
        g for g in present if prune and OURS.fullmatch(g) and NamedNode(g) not in graphs
    )
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
                gsp = root + spec.gsp + "?" + urllib.parse.urlencode({"graph": stage.value})
                _request(gsp, "PUT", body, "application/n-triples", timeout)
            else:
                update = f"DROP SILENT GRAPH {stage} ; INSERT DATA {{ GRAPH {stage} {{ {body.decode()} }} }}"
                _request(update_url, "POST", update.encode(), "application/sparql-update", timeout)
            pause("staged-graph")
        moves = [f"MOVE SILENT GRAPH {stage} TO GRAPH {name}" for name, stage in staged]
        moves += [f"DROP SILENT GRAPH <{g}>" for g in removed]
        _request(
            update_url, "POST", " ;\n".join(moves).encode(), "application/sparql-update", timeout
        )
    except StoreError:
        with contextlib.suppress(StoreError):  # the server is failing already
            _drop(update_url, [stage.value for _, stage in staged], timeout)
        raise
    counts = {name.value: len(quads) for name, quads in graphs.items()}
    return Pushed(counts, removed, leftovers)


def _graph_names(query_url: str, timeout: float) -> list[str]:
    """Every named graph on the server."""
    body = urllib.parse.urlencode({"query": "SELECT DISTINCT ?g WHERE { GRAPH ?g {} }"})
    req = urllib.request.Request(
        query_url,
        data=body.encode(),
        method="POST",
        headers={
            "Content-Type": "application/x-www-form-urlencoded",
            "Accept": "application/sparql-results+json",
        },
    )
    try:
        with urllib.request.urlopen(req, timeout=timeout) as response:
            rows = json.load(response)["results"]["bindings"]
    except urllib.error.HTTPError as exc:
        raise StoreError(f"POST {query_url} answered {exc.code} {exc.reason}") from exc
    except (TimeoutError, urllib.error.URLError, OSError) as exc:
        raise StoreError(f"cannot reach {query_url}: {getattr(exc, 'reason', exc)}") from exc
    except (ValueError, KeyError) as exc:
        raise StoreError(f"{query_url} did not answer with SPARQL results: {exc}") from exc
    return [row["g"]["value"] for row in rows if row.get("g", {}).get("type") == "uri"]


def _drop(update_url: str, graphs: list[str], timeout: float) -> None:
    if graphs:
        drops = " ; ".join(f"DROP SILENT GRAPH <{g}>" for g in graphs)
        _request(update_url, "POST", drops.encode(), "application/sparql-update", timeout)


def push_backend(backend, base: str, *, engine: str = "oxigraph") -> Pushed:
    """Push every quad of ``backend`` to ``base``, one named graph per source, and drop the
    graphs of sources that ``backend`` no longer has."""
    return push(base, by_graph(backend.quads()), engine=engine, prune=True)


def by_graph(quads: Iterable[Quad]) -> dict[NamedNode, list[Quad]]:
    """``quads`` grouped by the named graph that holds them."""
    graphs: dict = {}
    for quad in quads:
        graphs.setdefault(quad.graph_name, []).append(quad)
    return graphs
