"""Checks on what reaches the SPARQL engine: no SERVICE clause, sane requests, our Host only.

A SERVICE clause makes the engine send HTTP requests wherever the query says (SSRF), so every
query that contains one is refused before any engine sees it. Pyoxigraph 0.5 has no parse-only
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
import urllib.parse

from .errors import QueryError

IRI = re.compile(r'<(?:[^<>"{}|^`\\\x00-\x20]|\\u[0-9A-Fa-f]{4}|\\U[0-9A-Fa-f]{8})*>')
STRING = re.compile(r"'''(?:[^'\\]|\\.|'(?!''))*'''|\"\"\"(?:[^\"\\]|\\.|\"(?!\"\"))*\"\"\""
                    r"|'(?:[^'\\\n\r]|\\.)*'|\"(?:[^\"\\\n\r]|\\.)*\"", re.S)  # fmt: skip
VARIABLE = re.compile(r"[?$][\w\u00b7\u0300-\u036f\u203f\u2040]*")
WORD = re.compile(r"[?$]?[\w\-.:\u00b7\u0300-\u036f\u203f\u2040%\\]+")
ESCAPE = re.compile(r"\\u([0-9A-Fa-f]{4})|\\U([0-9A-Fa-f]{8})")
LOOPBACK = ("127.0.0.1", "localhost", "[::1]")


def _unescape(text: str) -> str:
    def one(m: re.Match) -> str:
        code = int(m[1] or m[2], 16)
        return chr(code) if code < 0x110000 and not 0xD800 <= code < 0xE000 else ""

    return ESCAPE.sub(one, text)


def _has_service(text: str) -> bool:
    i = 0
    while i < len(text):
        ch = text[i]
        if ch == "#":
            end = text.find("\n", i)
            i = len(text) if end < 0 else end + 1
            continue
        m = (IRI.match(text, i) if ch == "<" else None) or (
            STRING.match(text, i) if ch in "'\"" else None
        )
        if m:
            i = m.end()
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


class Refusal(Exception):
    """A request answered with ``status`` and a one-line ``message``; nothing reaches the engine."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status


def allowed_hosts(host: str, port: int) -> set[str]:
    """The Host header values this server answers to: loopback names or --host, with the port."""
    names = {*LOOPBACK, f"[{host}]" if ":" in host else host}
    return {f"{n}:{port}" for n in names} | ({*names} if port == 80 else set())


def check_host(headers, allowed: set[str]) -> None:
    """Refuse a request for another host (DNS rebinding) or from another site's page."""
    host = (headers.get("Host") or "").strip().lower()
    if not host:
        raise Refusal(400, "a Host header is required")
    if host not in allowed:
        raise Refusal(421, f"this server does not answer for host {host!r}")
    origin = headers.get("Origin")
    if origin and origin != "null":
        netloc = urllib.parse.urlsplit(origin).netloc.lower()
        if netloc not in allowed:
            raise Refusal(403, "cross-site requests are refused")


def body_length(headers, limit: int) -> int:
    """The request body's declared length, checked."""
    if headers.get("Transfer-Encoding"):
        raise Refusal(411, "a chunked request body is not accepted: send Content-Length")
    text = headers.get("Content-Length")
    if text is None:
        return 0
    if not text.strip().isdigit():
        raise Refusal(400, f"bad Content-Length {text!r}")
    length = int(text)
    if length > limit:
        raise Refusal(413, f"the request body is larger than {limit} bytes")
    return length


def utf8(data: bytes, what: str) -> str:
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        raise Refusal(400, f"the {what} is not UTF-8") from None


def form(text: str, what: str) -> dict[str, list[str]]:
    """A query string or form body as name -> values, refusing undecodable percent-escapes."""
    try:
        return urllib.parse.parse_qs(text, keep_blank_values=True, errors="strict")
    except (UnicodeDecodeError, ValueError):
        raise Refusal(400, f"the {what} is not valid UTF-8 form encoding") from None


def one(params: dict[str, list[str]], name: str) -> str:
    values = params.get(name, [])
    if len(values) != 1:
        raise Refusal(400, f"give exactly one {name!r} parameter")
    return values[0]
