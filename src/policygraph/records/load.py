"""Read ``data/`` into pydantic records, naming file, line, record and field for every error.

A bad record is reported and skipped; the rest are still read, so one run shows every problem.
"""

from __future__ import annotations

import contextlib
import json
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
from policygraph.records.tablefile import Table, read_table

_Base = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def _without_timestamps(base: type) -> type:
    """A loader that keeps dates as text, so pydantic (not YAML) judges impossible dates."""
    resolvers = {
        first: [(tag, rx) for tag, rx in entries if tag != "tag:yaml.org,2002:timestamp"]
        for first, entries in base.yaml_implicit_resolvers.items()
    }
    return type(f"Plain{base.__name__}", (base,), {"yaml_implicit_resolvers": resolvers})


FastLoader = _without_timestamps(_Base)
LineLoader = _without_timestamps(yaml.SafeLoader)

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

    def problem(self, severity, kind: str, rid: str, field_: str | None, message: str) -> None:
        """Report a problem found after loading, at the record (and line) it concerns."""
        w = self.where.get((kind, rid))
        if w is None:
            self.problems.append(Problem(severity, str(self.root), rid, field_, message))
            return
        steps = tuple(int(p) if p.isdigit() else p for p in (field_ or "").split(".") if p)
        text = Path(w.file).read_text(encoding="utf-8")
        line = _line(text, w.path + steps)
        self.problems.append(Problem(severity, w.file, w.record, field_, message, line))


def _line(text: str, path: tuple[Any, ...]) -> int | None:
    """The line of the YAML node at ``path`` (keys and indexes), for error messages."""
    try:
        node = yaml.compose(text, Loader=LineLoader)
    except (yaml.YAMLError, RecursionError):  # nested too deeply for the pure-Python composer
        return None
    line = node.start_mark.line + 1 if node else None
    for step in path:
        if isinstance(node, yaml.MappingNode):
            match = [v for k, v in node.value if k.value == step]
            if not match:
                break
            node = match[0]
        elif (
            isinstance(node, yaml.SequenceNode) and isinstance(step, int) and step < len(node.value)
        ):
            node = node.value[step]
        else:
            break
        line = node.start_mark.line + 1
    return line


def _read_yaml(path: Path, shown: str, problems: list[Problem]) -> tuple[Any, str] | None:
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        problems.append(Problem("error", shown, None, None, f"not UTF-8 text ({exc.reason})"))
        return None
    if text.lstrip().startswith("{"):
        # JSON is YAML too, and far faster to read: large generated corpora are written so.
        # Too deeply nested for json (RecursionError): the YAML reader reports it as an error
        with contextlib.suppress(ValueError, RecursionError):
            return json.loads(text), text
    try:
        return yaml.load(text, Loader=FastLoader), text
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 1 if mark else None
        what = getattr(exc, "problem", None) or str(exc)
        problems.append(Problem("error", shown, None, None, f"malformed YAML: {what}", line))
        return None


def _label(key: str, index: int, raw: Any) -> str:
    rid = raw.get("id") if isinstance(raw, dict) else None
    return f"{key}[{index}] {rid!r}" if rid else f"{key}[{index}]"


def _validate(model, raw, shown, text, key, index, problems) -> Record | None:
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
            problems.append(Problem("error", shown, label, fld, msg, _line(text, path + loc)))
        return None


def _records(doc, key, model, shown, text, problems) -> list[tuple[int, Record]]:
    raw = doc.get(key) or []
    if not isinstance(raw, list):
        problems.append(Problem("error", shown, key, None, "must be a list", _line(text, (key,))))
        return []
    out = []
    for i, entry in enumerate(raw):
        rec = _validate(model, entry, shown, text, key, i, problems)
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
    data: Data, kind: str, rid: str, label: str, path: tuple, shown: str, text: str
) -> bool:
    """Note where a record was read; False (and an error) if its id is taken."""
    first = data.where.get((kind, rid))
    if first is not None:
        message = f"duplicate id: also {first.file} {first.record}"
        line = _line(text, (*path, "id"))
        data.problems.append(Problem("error", shown, label, "id", message, line))
        return False
    data.where[(kind, rid)] = Where(shown, label, path)
    return True


def load(root: Path | str = "data", *, strict: bool = True, only: set[str] | None = None) -> Data:
    """Read every registry and source file under ``root`` (of the sources, ``only`` those named).

    With ``strict`` (the default) any error raises :class:`DataError`; otherwise the problems
    are left in ``Data.problems`` for the caller to report.
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
    for path in source_files(root):
        if only is None or path.name in only:
            _load_source(data, path)
    if strict and any(p.severity == "error" for p in data.problems):
        raise DataError(data.problems)
    return data


def source_files(root: Path) -> list[Path]:
    """The source files of a data folder, in the order they are read."""
    return sorted((root / "sources").glob("*.yaml"))


def _load_registry(data: Data, path: Path, shown: str, key: str, model: type[Record]) -> None:
    if not path.exists():
        if path.name not in OPTIONAL_REGISTRIES:
            data.problems.append(Problem("error", shown, None, None, "missing registry file"))
        return
    read = _read_yaml(path, shown, data.problems)
    if read is None or not _check_keys(read[0], {key}, shown, data.problems):
        return
    doc, text = read
    kind = model.__name__.lower()
    for i, rec in _records(doc, key, model, shown, text, data.problems):
        label = f"{key}[{i}] {rec.id!r}"  # type: ignore[attr-defined]
        if _remember(data, kind, rec.id, label, (key, i), shown, text):  # type: ignore[attr-defined]
            getattr(data, key).append(rec)


def _is_draft(doc: dict, shown: str, text: str, problems: list[Problem]) -> bool:
    """A draft no person has reviewed is left out, with a warning that says how to let it in."""
    review = doc.get("review", "reviewed")
    if review == "reviewed":
        return False
    line = _line(text, ("review",))
    if review == "draft":
        message = "left out, a draft: set review: reviewed after checking it"
        problems.append(Problem("warning", shown, None, "review", message, line))
    else:
        message = f"must be 'draft' or 'reviewed' (got {review!r})"
        problems.append(Problem("error", shown, None, "review", message, line))
    return True


def _load_source(data: Data, path: Path) -> None:
    shown = str(path)
    read = _read_yaml(path, shown, data.problems)
    is_table = read is not None and isinstance(read[0], dict) and "table" in read[0]
    allowed = set(TableFile.model_fields) if is_table else {"review", "source", *SOURCE_SECTIONS}
    if read is None or not _check_keys(read[0], allowed, shown, data.problems):
        return
    doc, text = read
    if is_table:
        return _load_table(data, path, shown, doc, text)
    if _is_draft(doc, shown, text, data.problems):
        return
    brief = _validate(Brief, doc.get("source"), shown, text, "source", None, data.problems)
    if brief is None:
        return
    if not _remember(data, "source", brief.id, "source", ("source",), shown, text):
        return
    parts: dict[str, list] = {}
    for key, model in SOURCE_SECTIONS.items():
        kind = model.__name__.lower()
        parts[key] = []
        before = len(data.problems)
        for i, rec in _records(doc, key, model, shown, text, data.problems):
            rid = rec.id  # type: ignore[attr-defined]
            # item ids are local to their brief; policy and event ids are global
            scoped = f"{brief.id}/{rid}" if kind == "item" else rid
            if _remember(data, kind, scoped, f"{key}[{i}] {rid!r}", (key, i), shown, text):
                parts[key].append(rec)
        if key == "items" and len(data.problems) > before:
            data.incomplete.add(f"items of {shown}")  # references to the bad item are not errors
    data.sources[shown] = SourceFile.model_construct(source=brief, **parts)


def _load_table(data: Data, path: Path, shown: str, doc: dict, text: str) -> None:
    """A sidecar describing a table of documents: check it, then read the table's rows."""
    spec = _validate(TableFile, doc, shown, text, None, None, data.problems)
    if spec is not None and Path(spec.file).stem != path.stem:
        data.problems.append(Problem("error", shown, "table", "file",
                                     f"the table must share the sidecar's name: {path.stem}.tsv or .csv"))  # fmt: skip
        return
    if spec is None or not _remember(
        data, "source", spec.table.id, "table", ("table",), shown, text
    ):
        return
    table, problems = read_table(spec, path, shown)
    data.problems.extend(problems)
    if table is not None:
        data.tables[shown] = table
