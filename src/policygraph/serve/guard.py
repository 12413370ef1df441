"""What the endpoint refuses before a query reaches an engine: requests for another Host (DNS
rebinding), foreign Origins, bad lengths and encodings. SERVICE clauses are refused by
:mod:`policygraph.backends.service`, for every store."""

from __future__ import annotations

import urllib.parse

LOOPBACK = ("127.0.0.1", "localhost", "[::1]")


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
