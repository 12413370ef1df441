"""Queries that would call out: a SERVICE clause makes the engine send HTTP requests wherever
the query says (SSRF), so every store refuses a query that holds one.

Pyoxigraph 0.5 has no parse-only
API, so the check tokenises the query as SPARQL does: strings, IRIs and comments are skipped,
and any other word that spells SERVICE is refused (a keyword needs no space after it:
``SERVICEex:x{}`` is a SERVICE clause). The text is checked as written and with its ``\\u``
escapes decoded, so neither reading hides one.

>>> find_service('SELECT * { ?s ?p "SERVICE" } # SERVICE')
False
>>> find_service("select * { service <http://127.0.0.1:1/> { ?s ?p ?o } }")
True
>>> find_service("SELECT ?service { ?service schema:serviceType <urn:SERVICE> }")
False
>>> find_service("SELECT * { ?s ?p ?o.SERVICE<http://127.0.0.1:1/>{} }")
True
>>> find_service("SELECT * { ?s ?p <http://e/\\u0041#> SERVICE <http://127.0.0.1:1/> {} }")
True
"""

from __future__ import annotations

import re

from policygraph.errors import QueryError

IRI = re.compile(r'<(?:[^<>"{}|^`\\\x00-\x20]|\\u[0-9A-Fa-f]{4}|\\U[0-9A-Fa-f]{8})*>')
STRING = re.compile(r"'''(?:[^'\\]|\\.|'(?!''))*'''|\"\"\"(?:[^\"\\]|\\.|\"(?!\"\"))*\"\"\""
                    r"|'(?:[^'\\\n\r]|\\.)*'|\"(?:[^\"\\\n\r]|\\.)*\"", re.S)  # fmt: skip
VARIABLE = re.compile(r"[?$][\w\u00b7\u0300-\u036f\u203f\u2040]*")
WORD = re.compile(r"[?$]?[\w\-.:\u00b7\u0300-\u036f\u203f\u2040%\\]+")
ESCAPE = re.compile(r"\\u([0-9A-Fa-f]{4})|\\U([0-9A-Fa-f]{8})")


def _unescape(text: str) -> str:
    def one(m: re.Match) -> str:
        code = int(m[1] or m[2], 16)
        return chr(code) if code < 0x110000 and not 0xD800 <= code < 0xE000 else ""

    return ESCAPE.sub(one, text)


def opaque_end(text: str, i: int) -> int | None:
    """Where the comment, IRI or string starting at ``i`` ends; None if none starts there:
    what a scan of a query's words must step over."""
    ch = text[i]
    if ch == "#":
        end = text.find("\n", i)
        return len(text) if end < 0 else end + 1
    m = (IRI.match(text, i) if ch == "<" else None) or (
        STRING.match(text, i) if ch in "'\"" else None
    )
    return m.end() if m else None


def _has_service(text: str) -> bool:
    i = 0
    while i < len(text):
        end = opaque_end(text, i)
        if end is not None:
            i = end
            continue
        m = VARIABLE.match(text, i) or WORD.match(text, i)
        if not m:
            i += 1
            continue
        i = m.end()
        if m.re is VARIABLE:
            continue  # a variable's name ends at the first character it cannot hold, as '.'
        prefix, _, local = m[0].lower().partition(":")
        # a keyword, a prefix, or what follows a '.' in a local name (the parser may end the
        # name before a '.'); a local name's first part, as in schema:serviceType, is fine
        if "service" in prefix or any("service" in part for part in local.split(".")[1:]):
            return True
    return False


def find_service(text: str) -> bool:
    """Whether ``text`` may hold a SERVICE clause (read with and without its escapes)."""
    return _has_service(text) or _has_service(_unescape(text))


def refuse_service(text: str) -> None:
    """Raise :class:`QueryError` if the query may call out with SERVICE."""
    if find_service(text):
        raise QueryError("SERVICE clauses are refused: this endpoint never queries other servers")
