"""What the front adds to the queries it sends and the answers it relays, and the query page.

Queries get the prefixes every policygraph command knows (:data:`~policygraph.graph.vocab.PREFIXES`),
so ``pg:Policy`` works undeclared; a query may still declare its own, which win. The engine's
syntax errors become one line, with line numbers counted in the text as sent (without the
prologue). Turtle answers small enough to be held are rewritten with the same prefixes.

>>> readable_error(b"error at 13:5: expected CONSTRUCT\\nmore")
'SPARQL syntax error at line 1, column 5: expected CONSTRUCT'
>>> parameters({"query": ["q"], "$year": ["2025"], "canned": ["x"]})
{'year': '2025'}
"""

from __future__ import annotations

import json
import re
import time
from importlib import resources

import pyoxigraph

from policygraph.backends.endpoint import Endpoint, with_values
from policygraph.backends.queries import Query, bind, canned
from policygraph.errors import QueryError, StoreError
from policygraph.graph.vocab import PREFIXES, sparql_prologue
from policygraph.serve.guard import Refusal

PROLOGUE = sparql_prologue()
PROLOGUE_LINES = PROLOGUE.count("\n")
MAX_ERROR = 200  # characters of an engine's message shown, cut at an item of its list
TURTLE = "text/turtle"
#: what the page and /canned ask for: results as JSON, a graph as Turtle
PAGE_ACCEPT = "application/sparql-results+json, text/turtle;q=0.9"


def with_prologue(text: str) -> str:
    """``text`` after PREFIX declarations of every known prefix (its own declarations win)."""
    return PROLOGUE + text


def parameters(fields: dict[str, list[str]]) -> dict[str, str]:
    """The ``$name=value`` fields of a request: parameters to bind as terms, by name."""
    return {k[1:]: v[-1] for k, v in fields.items() if k.startswith("$") and len(k) > 1}


def bound(pool, query: Query, values: dict[str, str], deadline: float, limit: float) -> str:
    """The query's text with ``values`` bound as terms, names looked up on an engine of
    ``pool``, and the prologue; tried on a second engine if the first went away."""
    for attempt in (1, 2):
        engine = pool.acquire()
        timed_out = False
        try:
            backend = Endpoint(f"http://127.0.0.1:{engine.port}/query",
                               max(deadline - time.monotonic(), 0.01))  # fmt: skip
            return with_prologue(with_values(query.text, bind(backend, query, values)))
        except ValueError as exc:  # a term the parameter cannot become
            raise QueryError(f"bad parameter value: {exc}") from exc
        except StoreError as exc:
            cause = exc.__cause__
            timed_out = isinstance(cause, TimeoutError) or isinstance(
                getattr(cause, "reason", None), TimeoutError
            )
            if timed_out:
                why = f"the query ran past the {limit:g} s limit and was stopped"
                raise Refusal(503, why) from None
            if attempt == 2:
                raise
        finally:
            pool.release(engine, abandoned=timed_out)
    raise AssertionError("unreachable")


def readable_error(body: bytes) -> str:
    """The engine's message as one line: its first, with the line number the user sees."""
    text = body.decode("utf-8", "replace")
    first = next((ln.strip() for ln in text.splitlines() if ln.strip()), "the query was refused")
    m = re.match(r"error at (\d+):(\d+): (.*)", first)
    if m:
        line = max(int(m[1]) - PROLOGUE_LINES, 1)
        first = f"SPARQL syntax error at line {line}, column {m[2]}: {m[3]}"
    if len(first) > MAX_ERROR:
        first = first[:MAX_ERROR].rsplit(", ", 1)[0] + ", …"
    return first


def pretty_turtle(body: bytes) -> bytes:
    """A Turtle answer rewritten with the known prefixes; as it was if it does not parse."""
    try:
        triples = list(pyoxigraph.parse(body, format=pyoxigraph.RdfFormat.TURTLE))
        return pyoxigraph.serialize(triples, format=pyoxigraph.RdfFormat.TURTLE, prefixes=PREFIXES)
    except (SyntaxError, ValueError):
        return body


def _embedded(value) -> str:
    """JSON that cannot close the script element it is embedded in."""
    return json.dumps(value, ensure_ascii=False).replace("<", "\\u003c").replace(">", "\\u003e")


def page() -> bytes:
    """The query page, with the canned queries and the prefixes embedded as JSON."""
    template = resources.files("policygraph").joinpath("serve/query.html").read_text("utf-8")
    listing = [
        {"name": q.name, "title": q.title, "description": q.description, "text": q.text,
         "params": [p.__dict__ for p in q.params]}
        for q in canned().values()
    ]  # fmt: skip
    return (
        template.replace("__CANNED__", _embedded(listing))
        .replace("__PREFIXES__", _embedded(PREFIXES))
        .encode("utf-8")
    )
