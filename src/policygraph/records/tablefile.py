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
from policygraph.records.reading import Refused, max_file_bytes, read_text


@dataclass
class Table:
    """A table source as read: its sidecar, where the rows are, and the rows themselves."""

    spec: TableFile
    sidecar: str  # the sidecar's path, as shown in messages
    path: Path  # the table's path
    rows: list[dict[str, str]] = field(default_factory=list)


def read_table(
    spec: TableFile, sidecar: Path, shown: str, root: Path
) -> tuple[Table | None, list[Problem]]:
    """The rows of the table ``spec`` names beside ``sidecar``, or the problems that stop it.

    The file is read as every data file is (:func:`read_text`: a regular file inside the data
    folder ``root``, no larger than the cap); a cell may be as long as the file.
    """
    path = sidecar.parent / spec.file
    table = Table(spec, shown, path)
    if not path.exists() and not path.is_symlink():
        return None, [Problem("error", shown, "table", "file", f"no table {path}")]
    try:
        text = read_text(path, root.resolve(), max_file_bytes()).removeprefix("\ufeff")
    except Refused as exc:
        return None, [Problem("error", str(path), None, None, exc.message, exc.line)]
    reader = csv.DictReader(io.StringIO(text), delimiter="\t" if path.suffix == ".tsv" else ",")
    limit = csv.field_size_limit(max(len(text), 131072))
    try:
        rows = [{k: (v or "") for k, v in row.items() if k} for row in reader]
    except csv.Error as exc:
        return None, [
            Problem("error", str(path), None, None, f"not a table: {exc}", reader.line_num)
        ]
    finally:
        csv.field_size_limit(limit)
    header = reader.fieldnames or []
    missing = [(k, c) for k, c in spec.columns.items() if c not in header]
    if missing:
        return None, [
            Problem("error", shown, "table", f"columns.{k}", f"no column {c!r} in {path.name}")
            for k, c in missing
        ]
    table.rows = rows
    return table, []


def tables_beside(sidecar: Path) -> list[Path]:
    """The table files that share ``sidecar``'s name: what a change to the source includes."""
    return [t for t in (sidecar.with_suffix(".tsv"), sidecar.with_suffix(".csv")) if t.is_file()]
