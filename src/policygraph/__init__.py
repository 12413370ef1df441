"""policygraph: a knowledge graph of Chinese technology and industrial policy.

The library is the data flow, one package a step: ``records`` reads ``data/`` into pydantic
records and resolves names; ``graph`` turns them into triples under the ontology and checks
them; ``backends`` holds and queries them (embedded Oxigraph or any SPARQL 1.1 endpoint) and
exports them; ``networks`` projects them into networks; ``views`` draws those; ``ingest`` turns
briefs and document lists into draft records; ``build`` runs the main job; ``serve`` answers
SPARQL over HTTP; ``cli`` is the command line.

Importing the package loads nothing heavy: the names below are imported when first used.
"""

from __future__ import annotations

import importlib

__version__ = "0.1.0"

_EXPORTS = {
    "build": "policygraph.build",
    "summary": "policygraph.build",
    "check": "policygraph.graph.validate",
    "run": "policygraph.backends.queries",
    "DataError": "policygraph.problems",
    "Problem": "policygraph.problems",
}
__all__ = list(_EXPORTS)


def __getattr__(name: str):
    if name in _EXPORTS:
        value = getattr(importlib.import_module(_EXPORTS[name]), name)
        globals()[name] = value  # the function, not the submodule of the same name
        return value
    raise AttributeError(f"module 'policygraph' has no attribute {name!r}")
