"""Any SPARQL 1.1 endpoint as a backend: queries through SPARQLWrapper (loading is ``push``).

Endpoints take no variable bindings, so a bound parameter travels as a ``VALUES`` block made
from the term's canonical N-Triples form, checked first to read back as exactly that one term:
a value such as ``"} ; DROP ALL ; #`` stays one literal.

>>> from pyoxigraph import Literal, Variable
>>> print(with_values("SELECT ?x ?o WHERE { ?x ?p ?o }", {Variable("o"): Literal('a"b')}))
SELECT ?x ?o WHERE { VALUES ?o { "a\\"b" } ?x ?p ?o }
"""

from __future__ import annotations

import json
import re
import urllib.error
import urllib.request
from collections.abc import Iterable

import pyoxigraph
from pyoxigraph import BlankNode, Literal, NamedNode, Quad, Variable
from SPARQLWrapper import JSON, POST, TURTLE, SPARQLWrapper
from SPARQLWrapper import SPARQLExceptions as sw

from policygraph.backends.embedded import ALL_TRIPLES
from policygraph.backends.queries import check_bindable
from policygraph.backends.results import Result
from policygraph.backends.service import opaque_end, refuse_service
from policygraph.errors import QueryError, StoreError
from policygraph.graph.vocab import sparql_prologue

WORD = re.compile(r"\w+")
ALL_QUADS = "SELECT ?s ?p ?o ?g WHERE { GRAPH ?g { ?s ?p ?o } }"


def _checked_term(term) -> str:
    """The term's N-Triples text, proven to parse back as exactly that term."""
    text = str(term)
    probe = pyoxigraph.Store().query(f"SELECT ?x WHERE {{ VALUES ?x {{ {text} }} }}")
    values = [row[0] for row in probe]
    if values != [term]:
        raise QueryError(f"cannot bind {text!r} safely")
    return text


def _groups(text: str) -> Iterable[tuple[int, str]]:
    """The positions of ``{``, ``}`` and query-form keywords, outside IRIs, strings and comments."""
    i = 0
    while i < len(text):
        end = opaque_end(text, i)
        if end is not None:
            i = end
            continue
        ch = text[i]
        if ch in "{}":
            yield i, ch
        elif ch.isalpha() and (i == 0 or not (text[i - 1].isalnum() or text[i - 1] in "_:?$")):
            word = WORD.match(text, i)[0]  # type: ignore[index]
            if word.upper() in ("SELECT", "ASK", "CONSTRUCT", "DESCRIBE", "WHERE"):
                yield i, word.upper()
            i += len(word)
            continue
        i += 1


def _outer_group(text: str) -> tuple[int, int, int | None]:
    """Where the query's outermost WHERE group opens and closes (after a CONSTRUCT template),
    and where the WHERE of a short ``CONSTRUCT WHERE { ... }`` stands (else None)."""
    form, depth, start, short = None, 0, -1, None
    for i, token in _groups(text):
        if token == "{":
            if depth == 0 and form != "CONSTRUCT" and start < 0:
                start = i
            depth += 1
        elif token == "}":
            depth -= 1
            if depth == 0 and start >= 0:
                return start, i, short
            if depth == 0 and form == "CONSTRUCT":
                form = "template done"
        elif depth == 0 and form is None:
            form = token  # the first keyword says the query's form
        elif depth == 0 and token == "WHERE" and form == "CONSTRUCT":
            form, short = "short", i  # CONSTRUCT WHERE { ... }: the group is the template too
    raise QueryError("the query has no { ... } group to bind parameters in")


def with_values(text: str, bindings: dict[Variable, object]) -> str:
    """``text`` with a VALUES block for each binding at the start of its outermost group.

    Only variables the query selects may be bound (:func:`check_bindable`), as on Oxigraph."""
    if not bindings:
        return text
    check_bindable(text, bindings)
    i, j, short = _outer_group(text)
    block = " ".join(f"VALUES {v} {{ {_checked_term(t)} }}" for v, t in bindings.items())
    if short is not None:  # the short form's group takes triples only: write the template out
        body = text[i + 1 : j]
        return f"{text[:short]}{{{body}}} WHERE {{ {block}{body}}}{text[j + 1 :]}"
    return f"{text[: i + 1]} {block}{text[i + 1 :]}"


def _term(binding: dict):
    """A SPARQL 1.1 JSON results term as a pyoxigraph term."""
    kind, value = binding["type"], binding["value"]
    if kind == "uri":
        return NamedNode(value)
    if kind == "bnode":
        return BlankNode(value)
    if "xml:lang" in binding:
        return Literal(value, language=binding["xml:lang"])
    if "datatype" in binding:
        return Literal(value, datatype=NamedNode(binding["datatype"]))
    return Literal(value)


class Endpoint:
    """A remote SPARQL 1.1 query endpoint, read through SPARQLWrapper."""

    def __init__(self, url: str, timeout: float = 120) -> None:
        self.url = self.label = url
        self.folder = None
        self.timeout = timeout

    def _wrapper(self, text: str, fmt: str) -> SPARQLWrapper:
        wrapper = SPARQLWrapper(self.url, agent="policygraph")
        wrapper.setQuery(sparql_prologue() + text)
        wrapper.setMethod(POST)
        wrapper.setReturnFormat(fmt)
        wrapper.setTimeout(self.timeout)
        return wrapper

    def query(self, text: str, bindings: dict | None = None) -> Result:
        """Run SPARQL on the endpoint, binding parameters as VALUES; never one with SERVICE."""
        refuse_service(text)  # the endpoint would send requests wherever the clause names
        text = with_values(text, bindings or {})
        wrapper = self._wrapper(text, JSON)
        try:
            if wrapper.queryType in ("CONSTRUCT", "DESCRIBE"):
                wrapper.setReturnFormat(TURTLE)
                raw = wrapper.query().response.read()
                quads = pyoxigraph.parse(raw, format=pyoxigraph.RdfFormat.TURTLE)
                return Result(triples=[q.triple for q in quads])  # triples, as Embedded gives
            doc = wrapper.query().convert()
        except sw.QueryBadFormed as exc:
            raise QueryError(f"SPARQL syntax error (from {self.url}): {_first_line(exc)}") from exc
        except sw.SPARQLWrapperException as exc:
            raise StoreError(f"{self.url} refused the query: {_first_line(exc)}") from exc
        except (urllib.error.URLError, OSError) as exc:
            raise StoreError(f"cannot reach {self.url}: {getattr(exc, 'reason', exc)}") from exc
        if isinstance(doc, bytes):
            doc = json.loads(doc)
        if "boolean" in doc:
            return Result(boolean=doc["boolean"])
        variables = doc["head"].get("vars", [])
        rows = [
            [_term(b[v]) if v in b else None for v in variables] for b in doc["results"]["bindings"]
        ]
        return Result(variables, rows)

    def quads(self) -> Iterable[Quad]:
        for s, p, o, g in self.query(ALL_QUADS).rows:
            yield Quad(s, p, o, g)

    def triples(self) -> Iterable[pyoxigraph.Triple]:
        for s, p, o in self.query(ALL_TRIPLES).rows:
            yield pyoxigraph.Triple(s, p, o)


def _first_line(exc: Exception) -> str:
    text = str(exc).strip()
    return next(
        (line for line in text.splitlines() if line.strip() and "Response" not in line), text
    )
