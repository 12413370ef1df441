"""Query results, whichever engine answered, as a table, CSV or SPARQL JSON.

What comes back is data, never instructions: the table shows a control character or bidi
override escaped (``\\x1b``), so a terminal never acts on one; the CSV, meant for spreadsheets,
quotes a cell that a spreadsheet would run as a formula (see :func:`spreadsheet_safe`).

>>> r = Result(["agency", "n"], [[NamedNode("https://w3id.org/policygraph/id/agency/miit"),
...                               Literal("2", datatype=XSD.integer)]])
>>> print(r.format("table"))
agency       n
-----------  -
agency:miit  2
>>> r.records()
[{'agency': 'https://w3id.org/policygraph/id/agency/miit', 'n': 2}]
"""

from __future__ import annotations

import csv
import io
import json
import re
import unicodedata
from dataclasses import dataclass, field
from decimal import Decimal

import pyoxigraph
from pyoxigraph import BlankNode, Literal, NamedNode

from policygraph.graph.vocab import PREFIXES, XSD, curie

FORMATS = ("table", "csv", "json")
MAX_CELL = 90
#: what a terminal may act on: C0 and C1 controls, DEL, and bidi embeddings and overrides
_UNSAFE = re.compile(r"[\x00-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
_NUMBER = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?")


def escaped(text: str) -> str:
    """``text`` with every control character and bidi override written as an escape."""
    return _UNSAFE.sub(lambda m: ascii(m[0])[1:-1], text)


def spreadsheet_safe(cell: str) -> str:
    """A CSV cell a spreadsheet shows as text: one that starts with ``= + - @``, a tab or a
    carriage return (which Excel, LibreOffice and Sheets read as a formula, e.g.
    ``=HYPERLINK(…)``) gets a leading ``'``; a number such as ``-3`` is left as it is."""
    if cell[:1] in ("=", "+", "-", "@", "\t", "\r") and not _NUMBER.fullmatch(cell):
        return "'" + cell
    return cell


def python_value(term):
    """A term as a plain Python value: IRIs as text, numbers as numbers."""
    if term is None:
        return None
    if isinstance(term, Literal):
        dt = term.datatype.value
        if dt in (XSD.integer.value, XSD.int.value, XSD.long.value):
            return int(term.value)
        if dt == XSD.decimal.value:
            return Decimal(term.value)
        if dt == XSD.boolean.value:
            return term.value == "true"
        return term.value
    return term.value


@dataclass
class Result:
    """A SELECT table (``variables``, ``rows``), an ASK answer, or CONSTRUCT triples."""

    variables: list[str] = field(default_factory=list)
    rows: list[list] = field(default_factory=list)
    boolean: bool | None = None
    triples: list[pyoxigraph.Triple] | None = None

    @classmethod
    def of(cls, answer) -> Result:
        """Wrap what ``pyoxigraph.Store.query`` returned."""
        if isinstance(answer, pyoxigraph.QueryBoolean):
            return cls(boolean=bool(answer))
        if isinstance(answer, pyoxigraph.QueryTriples):
            return cls(triples=list(answer))
        variables = [v.value for v in answer.variables]
        rows = [[solution[v] for v in variables] for solution in answer]
        return cls(variables, rows)

    def head(self, n: int) -> Result:
        """The first ``n`` rows (or triples) only."""
        triples = self.triples[:n] if self.triples is not None else None
        return Result(self.variables, self.rows[:n], self.boolean, triples)

    def records(self) -> list[dict]:
        """Rows as dictionaries of plain Python values."""
        return [
            {v: python_value(t) for v, t in zip(self.variables, row, strict=True)}
            for row in self.rows
        ]

    def column(self, name: str) -> list:
        """One column's plain values."""
        i = self.variables.index(name)
        return [python_value(row[i]) for row in self.rows]

    def format(self, fmt: str) -> str:
        if self.boolean is not None:
            return (
                json.dumps({"head": {}, "boolean": self.boolean})
                if fmt == "json"
                else str(self.boolean).lower()
            )
        if self.triples is not None:
            return pyoxigraph.serialize(
                self.triples, format=pyoxigraph.RdfFormat.TURTLE, prefixes=PREFIXES
            ).decode()
        return {"table": self._table, "csv": self._csv, "json": self._json}[fmt]()

    def _table(self) -> str:
        cells = [[_short(t) for t in row] for row in self.rows]
        widths = [
            max([_width(v), *(_width(r[i]) for r in cells)]) for i, v in enumerate(self.variables)
        ]

        def line(values: list[str]) -> str:
            padded = (v + " " * (w - _width(v)) for v, w in zip(values, widths, strict=True))
            return "  ".join(padded).rstrip()

        return "\n".join([line(self.variables), line(["-" * w for w in widths]), *map(line, cells)])

    def _csv(self) -> str:
        buf = io.StringIO()
        writer = csv.writer(buf, lineterminator="\r\n")
        writer.writerow(self.variables)
        for row in self.rows:
            writer.writerow(["" if t is None else spreadsheet_safe(t.value) for t in row])
        return buf.getvalue()

    def _json(self) -> str:
        bindings = [
            {v: _json_term(t) for v, t in zip(self.variables, row, strict=True) if t is not None}
            for row in self.rows
        ]
        doc = {"head": {"vars": self.variables}, "results": {"bindings": bindings}}
        return json.dumps(doc, ensure_ascii=False, indent=1)


def _width(text: str) -> int:
    """Columns ``text`` takes in a terminal: Chinese characters take two."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _short(term) -> str:
    if term is None:
        return ""
    text = curie(term) if isinstance(term, NamedNode) else term.value
    text = escaped(" ".join(text.split()))
    return text if len(text) <= MAX_CELL else text[: MAX_CELL - 1] + "…"


def _json_term(term) -> dict:
    """One term in the SPARQL 1.1 Query Results JSON format."""
    if isinstance(term, NamedNode):
        return {"type": "uri", "value": term.value}
    if isinstance(term, BlankNode):
        return {"type": "bnode", "value": term.value}
    out = {"type": "literal", "value": term.value}
    if term.language:
        out["xml:lang"] = term.language
    elif term.datatype.value != XSD.string.value:
        out["datatype"] = term.datatype.value
    return out
