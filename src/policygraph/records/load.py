"""Read ``data/`` into pydantic records, naming file, line, record and field for every error.

A bad record is reported and skipped; the rest are still read, so one run shows every problem.
"""

from __future__ import annotations

from collections import OrderedDict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from policygraph.problems import DataError, Problem
from policygraph.records.kinds import OPTIONAL_REGISTRIES, REGISTRY_FILES
from policygraph.records.models import (
    Agency,
    Brief,
    Company,
    Event,
    Item,
    Policy,
    Record,
    Sector,
    SourceFile,
    Subject,
    TableFile,
)
from policygraph.records.reading import (
    MAX_FILE_MB,
    Lines,
    Refused,
    check_file,
    max_file_bytes,
    parse,
    read_text,
)
from policygraph.records.tablefile import Table, read_table

SOURCE_SECTIONS: dict[str, type[Record]] = {"items": Item, "policies": Policy, "events": Event}


@dataclass(frozen=True)
class Where:
    """Where a record was read: for problems found after loading."""

    file: str
    record: str
    path: tuple[Any, ...]


@dataclass
class Data:
    """Everything read from ``data/``."""

    root: Path
    agencies: list[Agency] = field(default_factory=list)
    sectors: list[Sector] = field(default_factory=list)
    companies: list[Company] = field(default_factory=list)
    subjects: list[Subject] = field(default_factory=list)
    tables: dict[str, Table] = field(default_factory=dict)  # document tables, by sidecar path
    sources: dict[str, SourceFile] = field(default_factory=dict)  # by file path
    where: dict[tuple[str, str], Where] = field(default_factory=dict)  # (kind, id) -> Where
    problems: list[Problem] = field(default_factory=list)
    #: registries (by kind) that had errors: references into them are not judged, so that
    #: one broken file gives one error, not one per reference
    incomplete: set[str] = field(default_factory=set)
    #: the lines of the files asked about last (by shown path): a problem's line costs no parse
    lines: OrderedDict[str, Lines] = field(default_factory=OrderedDict, repr=False, compare=False)

    def problem(self, severity, kind: str, rid: str, field_: str | None, message: str) -> None:
        """Report a problem found after loading, at the record (and line) it concerns."""
        w = self.where.get((kind, rid))
        if w is None:
            self.problems.append(Problem(severity, str(self.root), rid, field_, message))
            return
        steps = tuple(int(p) if p.isdigit() else p for p in (field_ or "").split(".") if p)
        line = self.lines_of(w.file).line(w.path + steps)
        self.problems.append(Problem(severity, w.file, w.record, field_, message, line))

    def lines_of(self, shown: str) -> Lines:
        """The lines of a file read from this folder: problems found after loading parse their
        file again, once while it is among the last few asked about."""
        lines = self.lines.get(shown)
        if lines is None:
            try:
                text = read_text(Path(shown), self.root.resolve(), max_file_bytes())
            except Refused:
                text = None
            lines = Lines(text=text)
        self.lines[shown] = lines
        self.lines.move_to_end(shown)
        while len(self.lines) > _LINES_KEPT:
            self.lines.popitem(last=False)
        return lines


# files whose parsed tree (some 20 times the text) is kept: problems come file by file
_LINES_KEPT = 2


def _read(data: Data, path: Path, shown: str) -> tuple[Any, Lines] | None:
    """A data file's document and lines, or None (and errors) if it is refused or malformed."""
    try:
        doc, lines, duplicates = parse(read_text(path, data.root.resolve(), max_file_bytes()))
    except Refused as exc:
        data.problems.append(Problem("error", shown, None, None, exc.message, exc.line))
        return None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 1 if mark else None
        what = getattr(exc, "problem", None) or str(exc)
        data.problems.append(Problem("error", shown, None, None, f"malformed YAML: {what}", line))
        return None
    for d in duplicates:
        data.problems.append(Problem("error", shown, d.record, d.field, d.message, d.line))
    return doc, lines


def _label(key: str, index: int, raw: Any) -> str:
    rid = raw.get("id") if isinstance(raw, dict) else None
    return f"{key}[{index}] {rid!r}" if rid and isinstance(rid, str) else f"{key}[{index}]"


def _validate(model, raw, shown, lines, key, index, problems) -> Record | None:
    """Validate one record; on failure add one problem per bad field."""
    path: tuple[Any, ...] = () if key is None else (key,) if index is None else (key, index)
    label = key if index is None else _label(key, index, raw)
    try:
        return model.model_validate(raw)
    except ValidationError as exc:
        for err in exc.errors():
            loc = tuple(err["loc"])
            fld = ".".join(str(p) for p in loc) or None
            msg = err["msg"].removeprefix("Value error, ")
            if err["type"] == "missing":
                msg = "is required"
            elif err["type"] == "extra_forbidden":
                msg = "is not a field of this record (misspelt?)"
            elif "input" in err and not isinstance(err["input"], dict | list):
                msg = f"{msg} (got {err['input']!r})"
            problems.append(Problem("error", shown, label, fld, msg, lines.line(path + loc)))
        return None


def _records(doc, key, model, shown, lines, problems) -> list[tuple[int, Record]]:
    raw = doc.get(key) or []
    if not isinstance(raw, list):
        problems.append(Problem("error", shown, key, None, "must be a list", lines.line((key,))))
        return []
    out = []
    for i, entry in enumerate(raw):
        rec = _validate(model, entry, shown, lines, key, i, problems)
        if rec is not None:
            out.append((i, rec))
    return out


def _check_keys(doc, allowed: set[str], shown: str, problems: list[Problem]) -> bool:
    if not isinstance(doc, dict):
        problems.append(Problem("error", shown, None, None, "must be a mapping of lists"))
        return False
    for key in sorted(set(doc) - allowed):
        problems.append(
            Problem(
                "error",
                shown,
                None,
                None,
                f"unknown top-level key {key!r}; expected {sorted(allowed)}",
            )
        )
    return True


def _remember(
    data: Data, kind: str, rid: str, label: str, path: tuple, shown: str, lines: Lines
) -> bool:
    """Note where a record was read; False (and an error) if its id is taken."""
    first = data.where.get((kind, rid))
    if first is not None:
        message = f"duplicate id: also {first.file} {first.record}"
        line = lines.line((*path, "id"))
        data.problems.append(Problem("error", shown, label, "id", message, line))
        return False
    data.where[(kind, rid)] = Where(shown, label, path)
    return True


def load(root: Path | str = "data", *, strict: bool = True, only: set[str] | None = None) -> Data:
    """Read every registry and source file under ``root`` (of the sources, ``only`` those named).

    With ``strict`` (the default) any error raises :class:`DataError`; otherwise the problems
    are left in ``Data.problems`` for the caller to report. Entries of ``sources/`` that are
    no data file to read (links out, FIFOs, devices, directories, files over the size cap)
    are errors whether or not they are among ``only``.
    """
    root = Path(root)
    data = Data(root=root)
    if not root.is_dir():
        data.problems.append(Problem("error", str(root), None, None, "no such data folder"))
    for name, (key, model) in REGISTRY_FILES.items():
        path = root / name
        shown = str(path)
        before = len(data.problems)
        _load_registry(data, path, shown, key, model)
        if len(data.problems) > before:
            data.incomplete.add(model.__name__.lower())
    for path in _source_entries(root):
        if only is None or path.name in only:
            _load_source(data, path)
            continue
        try:
            check_file(path, root.resolve(), _cap())
        except Refused as exc:
            data.problems.append(Problem("error", str(path), None, None, exc.message))
    if strict and any(p.severity == "error" for p in data.problems):
        raise DataError(data.problems)
    return data


def source_files(root: Path) -> list[Path]:
    """The source files of a data folder, in the order they are read: only those safe to read
    (regular files within the folder, under the size cap); :func:`load` reports the rest."""
    real, cap = root.resolve(), _cap()
    safe = []
    for path in _source_entries(root):
        try:
            check_file(path, real, cap)
        except (Refused, OSError):
            continue
        safe.append(path)
    return safe


def _source_entries(root: Path) -> list[Path]:
    return sorted((root / "sources").glob("*.yaml"))


def _cap() -> int:
    """The size cap; the default if the variable is malformed (reading reports that)."""
    try:
        return max_file_bytes()
    except Refused:
        return MAX_FILE_MB * 2**20


def _load_registry(data: Data, path: Path, shown: str, key: str, model: type[Record]) -> None:
    if not path.exists() and not path.is_symlink():
        if path.name not in OPTIONAL_REGISTRIES:
            data.problems.append(Problem("error", shown, None, None, "missing registry file"))
        return
    read = _read(data, path, shown)
    if read is None or not _check_keys(read[0], {key}, shown, data.problems):
        return
    doc, lines = read
    kind = model.__name__.lower()
    for i, rec in _records(doc, key, model, shown, lines, data.problems):
        label = f"{key}[{i}] {rec.id!r}"  # type: ignore[attr-defined]
        if _remember(data, kind, rec.id, label, (key, i), shown, lines):  # type: ignore[attr-defined]
            getattr(data, key).append(rec)


def _is_draft(doc: dict, shown: str, lines: Lines, problems: list[Problem]) -> bool:
    """A draft no person has reviewed is left out, with a warning that says how to let it in."""
    review = doc.get("review", "reviewed")
    if review == "reviewed":
        return False
    line = lines.line(("review",))
    if review == "draft":
        message = "left out, a draft: set review: reviewed after checking it"
        problems.append(Problem("warning", shown, None, "review", message, line))
    else:
        message = f"must be 'draft' or 'reviewed' (got {review!r})"
        problems.append(Problem("error", shown, None, "review", message, line))
    return True


def _load_source(data: Data, path: Path) -> None:
    shown = str(path)
    read = _read(data, path, shown)
    is_table = read is not None and isinstance(read[0], dict) and "table" in read[0]
    allowed = set(TableFile.model_fields) if is_table else {"review", "source", *SOURCE_SECTIONS}
    if read is None or not _check_keys(read[0], allowed, shown, data.problems):
        return
    doc, lines = read
    if is_table:
        return _load_table(data, path, shown, doc, lines)
    if _is_draft(doc, shown, lines, data.problems):
        return
    brief = _validate(Brief, doc.get("source"), shown, lines, "source", None, data.problems)
    if brief is None:
        return
    if not _remember(data, "source", brief.id, "source", ("source",), shown, lines):
        return
    parts: dict[str, list] = {}
    for key, model in SOURCE_SECTIONS.items():
        kind = model.__name__.lower()
        parts[key] = []
        before = len(data.problems)
        for i, rec in _records(doc, key, model, shown, lines, data.problems):
            rid = rec.id  # type: ignore[attr-defined]
            # item ids are local to their brief; policy and event ids are global
            scoped = f"{brief.id}/{rid}" if kind == "item" else rid
            if _remember(data, kind, scoped, f"{key}[{i}] {rid!r}", (key, i), shown, lines):
                parts[key].append(rec)
        if key == "items" and len(data.problems) > before:
            data.incomplete.add(f"items of {shown}")  # references to the bad item are not errors
    data.sources[shown] = SourceFile.model_construct(source=brief, **parts)


def _load_table(data: Data, path: Path, shown: str, doc: dict, lines: Lines) -> None:
    """A sidecar describing a table of documents: check it, then read the table's rows."""
    spec = _validate(TableFile, doc, shown, lines, None, None, data.problems)
    if spec is not None and Path(spec.file).stem != path.stem:
        data.problems.append(Problem("error", shown, "table", "file",
                                     f"the table must share the sidecar's name: {path.stem}.tsv or .csv"))  # fmt: skip
        return
    if spec is None or not _remember(
        data, "source", spec.table.id, "table", ("table",), shown, lines
    ):
        return
    table, problems = read_table(spec, path, shown, data.root)
    data.problems.extend(problems)
    if table is not None:
        data.tables[shown] = table
