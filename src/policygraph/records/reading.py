"""Read one data file safely and parse it once, keeping the line of every node.

A data file must be a regular file inside the data folder (a symlink may point only there) and
no larger than the cap (``POLICYGRAPH_MAX_FILE_MB``, default 200): devices, FIFOs, directories
and links out are refused before anything is read. YAML hazards are errors: duplicate keys
(YAML keeps the last silently), nesting deeper than :data:`MAX_DEPTH`, and aliases that loop
or expand the file's values more than twofold ("billion laughs": a few KB of anchors expand to
gigabytes). Aliases as such are allowed: ``yaml.safe_dump``, which writes ingest's drafts,
makes them for values used twice.
"""

from __future__ import annotations

import contextlib
import json
import os
import stat
from pathlib import Path
from typing import Any

import yaml

MAX_FILE_MB = 200
MAX_DEPTH = 64  # records nest about 6 deep
SECTIONS = ("items", "policies", "events")


class Refused(Exception):
    """A data file that is not read, with why (and where, if known)."""

    def __init__(self, message: str, line: int | None = None, record=None, field=None) -> None:
        super().__init__(message)
        self.message, self.line, self.record, self.field = message, line, record, field


def max_file_bytes() -> int:
    """The cap on a data file's size: ``POLICYGRAPH_MAX_FILE_MB`` megabytes, else 200."""
    raw = os.environ.get("POLICYGRAPH_MAX_FILE_MB", "").strip()
    try:
        mb = float(raw) if raw else MAX_FILE_MB
    except ValueError:
        mb = -1
    if not mb > 0:
        raise Refused(f"POLICYGRAPH_MAX_FILE_MB must be a positive number (got {raw!r})")
    return int(mb * 2**20)


def check_file(path: Path, root: Path, cap: int) -> os.stat_result:
    """Raise :class:`Refused` unless ``path`` is a regular file within ``root`` of at most
    ``cap`` bytes; nothing is opened. ``root`` is resolved."""
    try:
        real = path.resolve(strict=True)
    except FileNotFoundError:
        raise Refused("a symlink to nothing" if path.is_symlink() else "no such file") from None
    except (OSError, RuntimeError) as exc:  # a loop of links
        raise Refused(f"cannot be resolved ({exc})") from None
    if not real.is_relative_to(root):
        raise Refused(f"a symlink to {real}, outside the data folder {root}")
    info = real.stat()
    if stat.S_ISDIR(info.st_mode):
        raise Refused("a directory, not a data file")
    if not stat.S_ISREG(info.st_mode):
        raise Refused("not a regular file (a FIFO, socket or device)")
    if info.st_size > cap:
        raise Refused(_too_big(info.st_size, cap))
    return info


def _too_big(size: int, cap: int) -> str:
    return (
        f"{size / 2**20:.3g} MB, over the cap of {cap / 2**20:g} MB for a data file "
        "(set POLICYGRAPH_MAX_FILE_MB to raise it)"
    )


def readable(path: Path, root: Path) -> bool:
    """Whether the data file ``path`` under the data folder ``root`` would be read at all."""
    try:
        check_file(path, root.resolve(), max_file_bytes())
    except Refused:
        return False
    return True


def read_text(path: Path, root: Path, cap: int) -> str:
    """The UTF-8 text of a data file, refused (:class:`Refused`) as :func:`check_file` says;
    the file is opened without following links or blocking and read no further than the cap."""
    check_file(path, root, cap)
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOFOLLOW", 0)
    try:
        fd = os.open(path.resolve(strict=True), flags | getattr(os, "O_CLOEXEC", 0))
    except OSError as exc:
        raise Refused(f"cannot be opened ({exc.strerror})") from None
    with os.fdopen(fd, "rb") as f:
        if not stat.S_ISREG(os.fstat(f.fileno()).st_mode):  # swapped since it was checked
            raise Refused("not a regular file (a FIFO, socket or device)")
        raw = f.read(cap + 1)
    if len(raw) > cap:
        raise Refused(_too_big(len(raw), cap))
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise Refused(f"not UTF-8 text ({exc.reason})") from None


def _without_timestamps(base: type) -> type:
    """A loader that keeps dates as text, so pydantic (not YAML) judges impossible dates."""
    resolvers = {
        first: [(tag, rx) for tag, rx in entries if tag != "tag:yaml.org,2002:timestamp"]
        for first, entries in base.yaml_implicit_resolvers.items()
    }
    return type(f"Plain{base.__name__}", (base,), {"yaml_implicit_resolvers": resolvers})


Loader = _without_timestamps(getattr(yaml, "CSafeLoader", yaml.SafeLoader))


class Lines:
    """The line of each node of one file, found by path (keys and indexes) in time that does
    not grow with the file. Given text instead of a parsed tree, it parses on first use."""

    def __init__(self, node: yaml.Node | None = None, text: str | None = None) -> None:
        self._node, self._text = node, text
        self._keys: dict[int, dict[str, yaml.Node]] = {}

    def line(self, path: tuple[Any, ...]) -> int | None:
        node = self._root()
        if node is None:
            return None
        line = node.start_mark.line + 1
        for step in path:
            if isinstance(node, yaml.MappingNode):
                keys = self._keys.get(id(node))
                if keys is None:
                    keys = self._keys[id(node)] = {}
                    for k, v in node.value:
                        keys.setdefault(str(k.value), v)
                node = keys.get(str(step))
            elif isinstance(node, yaml.SequenceNode) and isinstance(step, int):
                node = node.value[step] if 0 <= step < len(node.value) else None
            else:
                node = None
            if node is None:
                break
            line = node.start_mark.line + 1
        return line

    def _root(self) -> yaml.Node | None:
        if self._node is None and self._text is not None:
            text, self._text = self._text, None
            with contextlib.suppress(yaml.YAMLError, RecursionError, Refused):
                self._node = _compose(text)[1]
        return self._node


def _compose(text: str) -> tuple[yaml.BaseLoader, yaml.Node | None]:
    loader = Loader(text)
    try:
        node = loader.get_single_node()
    except RecursionError:  # the pure-Python parser recurses; libyaml stops at 1000 levels
        raise Refused(f"nested deeper than {MAX_DEPTH} levels") from None
    return loader, node


def parse(text: str) -> tuple[Any, Lines, list[Refused]]:
    """The document in ``text``, its lines, and the duplicate keys found (errors to report,
    the last value kept). Raises :class:`Refused` for deep nesting and for aliases that loop
    or expand too far, and ``yaml.YAMLError`` for malformed YAML."""
    if text.lstrip().startswith("{"):
        # JSON is YAML too, and far faster to read: large generated corpora are written so.
        # Anything odd in it is left to the YAML path below, which can say where it is.
        try:
            doc = json.loads(text, object_pairs_hook=_unique)
            if _depth_ok(doc):
                return doc, Lines(text=text), []
        except (ValueError, RecursionError):
            pass
    loader, node = _compose(text)
    try:
        duplicates = _hazards(node, text) if node is not None else []
        return loader.construct_document(node), Lines(node), duplicates
    finally:
        loader.dispose()


def _unique(pairs: list[tuple[str, Any]]) -> dict:
    doc = dict(pairs)
    if len(doc) != len(pairs):
        raise ValueError("duplicate key")
    return doc


def _depth_ok(doc: dict) -> bool:
    stack: list[tuple[Any, int]] = [(doc, 1)]
    while stack:
        value, depth = stack.pop()
        if depth > MAX_DEPTH:
            return False
        for child in value.values() if type(value) is dict else value:
            if type(child) is dict or type(child) is list:
                stack.append((child, depth + 1))
    return True


def _hazards(root: yaml.Node, text: str) -> list[Refused]:
    """Walk the tree once (without recursion): refuse deep nesting and aliases that loop or
    expand too far, list duplicate keys. Aliases are only looked for where the text could
    hold one (a ``*``)."""
    seen: set[int] | None = set() if "*" in text else None
    shared = False
    duplicates: list[Refused] = []
    stack: list[tuple[yaml.Node, tuple]] = [(root, ())]
    while stack:
        node, path = stack.pop()
        if len(path) >= MAX_DEPTH:
            raise Refused(f"nested deeper than {MAX_DEPTH} levels", node.start_mark.line + 1)
        if seen is not None and isinstance(node, yaml.CollectionNode | yaml.ScalarNode):
            if id(node) in seen:
                shared = True
                continue  # walked already
            seen.add(id(node))
        if isinstance(node, yaml.MappingNode):
            first: dict[Any, int] = {}
            for k, v in node.value:
                key = k.value if isinstance(k, yaml.ScalarNode) else id(k)
                if key in first:
                    duplicates.append(_duplicate(root, path, key, first[key], k))
                first.setdefault(key, k.start_mark.line + 1)
                stack.append((v, (*path, key)))
                if not isinstance(k, yaml.ScalarNode):
                    stack.append((k, (*path, key)))
        elif isinstance(node, yaml.SequenceNode):
            stack.extend((v, (*path, i)) for i, v in enumerate(node.value))
    if shared:
        _check_expansion(root, len(seen or ()), text)
    return duplicates


def _children(node: yaml.Node) -> list[yaml.Node]:
    """What the walk counts: values, and keys only where they are collections."""
    if isinstance(node, yaml.MappingNode):
        return [
            n for k, v in node.value for n in ((v,) if isinstance(k, yaml.ScalarNode) else (k, v))
        ]
    return node.value if isinstance(node, yaml.SequenceNode) else []


def _check_expansion(root: yaml.Node, distinct: int, text: str) -> None:
    """Refuse aliases that loop, expand the ``distinct`` nodes more than twofold (beyond
    10,000) or nest deeper than :data:`MAX_DEPTH` once expanded."""
    size: dict[int, int] = {}
    height: dict[int, int] = {}
    open_: set[int] = set()  # on the path being walked: met again, it is a loop
    stack: list[tuple[yaml.Node, bool]] = [(root, False)]
    while stack:
        node, done = stack.pop()
        key, kids = id(node), _children(node)
        if done:
            open_.discard(key)
            size[key] = 1 + sum(size[id(k)] for k in kids)
            height[key] = 1 + max((height[id(k)] for k in kids), default=0)
            continue
        if key in size:
            continue
        if key in open_:
            raise _alias(text, "make a loop")
        open_.add(key)
        stack.append((node, True))
        stack.extend((k, False) for k in kids if id(k) not in size)
    limit = 2 * distinct + 10_000
    if size[id(root)] > limit:
        raise _alias(text, f"expands {distinct} values to {size[id(root)]}, over {limit}")
    if height[id(root)] > MAX_DEPTH:
        raise _alias(text, f"nests values deeper than {MAX_DEPTH} levels")


def _alias(text: str, what: str) -> Refused:
    """The error for aliases, at the first one (a second pass over the events, made rarely)."""
    for event in yaml.parse(text, Loader=Loader):
        if isinstance(event, yaml.AliasEvent):
            return Refused(
                f"alias *{event.anchor}: the file's aliases {what}; write the values out",
                event.start_mark.line + 1,
            )
    return Refused(f"the file's aliases {what}; write the values out")


def _duplicate(root: yaml.Node, path: tuple, key: Any, first: int, node: yaml.Node) -> Refused:
    message = f"duplicate key {key!r} (first on line {first}); YAML would keep only the last"
    record, rest = None, path
    if len(path) >= 2 and path[0] in SECTIONS and isinstance(path[1], int):
        record, rest = f"{path[0]}[{path[1]}]", path[2:]
        rid = _scalar(root, path[:2] + ("id",))
        record += f" {rid!r}" if rid else ""
    elif path[:1] == ("source",):
        record, rest = "source", path[1:]
    field = ".".join(str(p) for p in (*rest, key))
    return Refused(message, node.start_mark.line + 1, record, field)


def _scalar(root: yaml.Node, path: tuple) -> str | None:
    node: Any = root
    for step in path:
        if isinstance(node, yaml.MappingNode):
            node = next((v for k, v in node.value if k.value == step), None)
        elif isinstance(node, yaml.SequenceNode) and isinstance(step, int):
            node = node.value[step]
        else:
            return None
    return node.value if isinstance(node, yaml.ScalarNode) else None
