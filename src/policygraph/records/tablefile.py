"""Reading a document table's file: the rows of the TSV or CSV a sidecar names, checked for the
columns it maps. Turning rows into policies is ``doctable``'s step, after names can be resolved.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from pathlib import Path

from policygraph.problems import Problem
from policygraph.records.models import TableFile

MAX_BYTES = 256 * 1024 * 1024  # a table larger than this is refused, not read


@dataclass
class Table:
    """A table source as read: its sidecar, where the rows are, and the rows themselves."""

    spec: TableFile
    sidecar: str  # the sidecar's path, as shown in messages
    path: Path  # the table's path
    rows: list[dict[str, str]] = field(default_factory=list)


def read_table(spec: TableFile, sidecar: Path, shown: str) -> tuple[Table | None, list[Problem]]:
    """The rows of the table ``spec`` names beside ``sidecar``, or the problems that stop it."""
    path = sidecar.parent / spec.file
    table = Table(spec, shown, path)
    if not path.is_file():
        return None, [Problem("error", shown, "table", "file", f"no table {path}")]
    if path.stat().st_size > MAX_BYTES:
        return None, [Problem("error", str(path), None, None, f"larger than {MAX_BYTES:,} bytes")]
    try:
        text = path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError as exc:
        return None, [Problem("error", str(path), None, None, f"not UTF-8 text ({exc.reason})")]
    reader = csv.DictReader(io.StringIO(text), delimiter="\t" if path.suffix == ".tsv" else ",")
    header = reader.fieldnames or []
    missing = [(k, c) for k, c in spec.columns.items() if c not in header]
    if missing:
        return None, [
            Problem("error", shown, "table", f"columns.{k}", f"no column {c!r} in {path.name}")
            for k, c in missing
        ]
    table.rows = [{k: (v or "") for k, v in row.items() if k} for row in reader]
    return table, []


def tables_beside(sidecar: Path) -> list[Path]:
    """The table files that share ``sidecar``'s name: what a change to the source includes."""
    return [t for t in (sidecar.with_suffix(".tsv"), sidecar.with_suffix(".csv")) if t.is_file()]
