"""Split a list of issuing bodies, as a policy library writes it, into registry ids.

A cell such as ``工业和信息化部、国家发展改革委等9部门`` names the bodies in order, lead first.
Bodies are separated by spaces, ``、``, ``，``, ``,``, ``;``, ``/`` or ``|`` (unless a name
holds it), by 和, 与 or 及 between two whole names, or not at all (an English cell by ``;``, ``,``
and "and" or "&" between names, ending perhaps in "et al."); the list may end
in ``等`` ("and others"), with or without the number of bodies. Irregular pieces (a website
instead of its body, a name that lost its first or last character, a document number) are
repaired only where exactly one registry name fits; everything else is reported, never guessed.

>>> from pathlib import Path
>>> from policygraph.records.load import Data
>>> from policygraph.records.models import Agency
>>> from policygraph.records.registry import Registry
>>> def body(acr, zh, *aliases):
...     return Agency(id=acr.lower(), acronym=acr, name_en=acr, name_zh=zh,
...                   aliases=list(aliases), kind="ministry")
>>> reg = Registry(Data(Path("."), agencies=[
...     body("MOF", "财政部"), body("MCT", "文化和旅游部"),
...     body("MOHRSS", "人力资源和社会保障部", "人力资源社会保障部"),
...     body("NDRC", "国家发展和改革委员会", "国家发展改革委", "发展改革委")]))
>>> split_issuers("财政部、发展改革委等9部门", reg)
IssuerSplit(ids=['mof', 'ndrc'], declared_count=9, open_ended=True, notes=[], unresolved=[])
>>> split_issuers("人力资源社会保障部文化和旅游部", reg).ids
['mohrss', 'mct']
>>> split_issuers("财政部和文化和旅游部", reg).ids
['mof', 'mct']
>>> split_issuers("财政部网站", reg).notes
["'财政部网站' is the website of 财政部; taken as 财政部"]
>>> split_issuers("力资源社会保障部", reg).ids
['mohrss']
>>> split_issuers("财金〔2024〕60号", reg).unresolved
[('财金〔2024〕60号', 'a document number, not a body')]
"""

from __future__ import annotations

import re
import weakref
from dataclasses import dataclass, field

from policygraph.records.registry import Registry, normalise
from policygraph.records.titles import chinese_number

SEPARATORS = re.compile(r"[\s\u3000、，,;；]+")
#: between bodies, unless a name holds one (中国企业联合会/中国企业家协会)
SLASHES = re.compile(r"[/／|｜]+")
AND = "和与及"  # between two whole names: 工业和信息化部和国家发展改革委
#: "and others", optionally with the number of bodies: 等, 等9部门, 等十七部门, 等5个部门
ETC = re.compile(r"等(?:(?P<n>[0-9〇零一二两三四五六七八九十百]+)个?部门)?$")
DOC_NUMBER = re.compile(r"[〔﹝\[【(（]\s*\d{4}\s*[〕﹞\]】)）]|第\s*\d+\s*号|号$")
WEBSITE = "网站"
_CJK = re.compile(r"[\u3400-\u9fff]")


@dataclass
class IssuerSplit:
    """The bodies of one cell: ids in order (lead first), what was repaired, what was not."""

    ids: list[str] = field(default_factory=list)
    declared_count: int | None = None  # N of a trailing 等N部门
    open_ended: bool = False  # the list ends in 等: more bodies issued than it names
    notes: list[str] = field(default_factory=list)
    unresolved: list[tuple[str, str]] = field(default_factory=list)  # (piece, reason)

    @property
    def complete(self) -> bool:
        """True when every piece of the cell resolved."""
        return not self.unresolved


_LEXICONS: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


def _lexicon(registry: Registry) -> dict[str, str]:
    """The registry's Chinese names and aliases (normalised) to ids, built once per registry."""
    lex = _LEXICONS.get(registry)
    if lex is None:
        lex = {k: v for k, v in registry.agency_index.names.items() if _CJK.search(k)}
        _LEXICONS[registry] = lex
    return lex


def _one(registry: Registry, name: str) -> str | None:
    """The single agency ``name`` denotes, or None (unknown, or two contradictory readings)."""
    ids = {i for _, i in registry.agency_candidates(name)}
    return ids.pop() if len(ids) == 1 else None


def _segment(text: str, lex: dict[str, str], longest: int) -> list[tuple[str, str]] | None:
    """Cover ``text`` with registry names, longest first: (name, id) pairs, or None."""
    if not text:
        return []
    for end in range(min(len(text), longest), 0, -1):
        hit = lex.get(text[:end])
        if hit:
            rest = _segment(text[end:], lex, longest)
            if rest is None and text[end : end + 1] in AND and end + 1 < len(text):
                rest = _segment(text[end + 1 :], lex, longest)
            if rest is not None:
                return [(text[:end], hit), *rest]
    return None


def _prefixed_child(registry: Registry, parts: list[tuple[str, str]]) -> bool:
    """True if a part is a body's parent written as the start of that body's own name.

    ``国务院台办`` covers as 国务院 + 台办, but 国务院 is how the name of the Taiwan Affairs
    Office begins: one body or two cannot be told, so such a reading is refused.
    """
    for (name, parent), (_, child) in zip(parts, parts[1:], strict=False):
        body = registry.agencies[child]
        if body.parent == parent and any(
            normalise(n).startswith(name) for n in [body.name_zh, *body.aliases]
        ):
            return True
    return False


def _one_char_off(piece: str, lex: dict[str, str]) -> str | None:
    """The one id whose name is ``piece`` plus one character at the start or the end."""
    ids = {
        i
        for name, i in lex.items()
        if len(name) == len(piece) + 1 and piece in (name[1:], name[:-1])
    }
    return ids.pop() if len(ids) == 1 else None


def _resolve(piece: str, registry: Registry, out: IssuerSplit) -> list[str]:
    """The ids of one separated piece, noting any repair; [] (and a reason) if none is sure."""
    if DOC_NUMBER.search(piece):
        out.unresolved.append((piece, "a document number, not a body"))
        return []
    hit = _one(registry, piece)
    if hit:
        return [hit]
    if piece.endswith(WEBSITE) and len(piece) > len(WEBSITE):
        owner = piece.removesuffix(WEBSITE)
        hit = _one(registry, owner)
        if hit:
            out.notes.append(f"{piece!r} is the website of {owner}; taken as {owner}")
            return [hit]
    lex = _lexicon(registry)
    key = normalise(piece)
    parts = _segment(key, lex, max(map(len, lex), default=0))
    if parts and _prefixed_child(registry, parts):
        out.unresolved.append((piece, "one body or a body and its parent: cannot tell"))
        return []
    if parts and len(parts) > 1:
        out.notes.append(f"{piece!r} names {len(parts)} bodies without a separator")
        return [rid for _, rid in parts]
    hit = _one_char_off(key, lex)
    if hit:
        name = registry.agencies[hit].name_zh
        out.notes.append(f"{piece!r} lacks a first or last character; taken as {name}")
        return [hit]
    out.unresolved.append((piece, "not a name in the agency registry, nor a sure repair of one"))
    return []


#: the end of an English list that names only some of its bodies
ET_AL = re.compile(r",?\s*(?:et al\.?|and others|etc\.?)\s*$", re.I)


def _english(text: str, registry: Registry, out: IssuerSplit) -> None:
    """An English cell (``Ministry of Finance; State Taxation Administration``, ``MOF and
    STA et al.``): bodies separated by ``;`` or ``,``, or by "and"/"&" where each side is a name
    (``Ministry of Industry and Information Technology`` is one)."""
    whole = _one(registry, text)
    if whole:  # a name holding a comma: Department of General Affairs, Planning and Finance, …
        out.ids.append(whole)
        return
    m = ET_AL.search(text)
    if m:
        out.open_ended, text = True, text[: m.start()]
    for piece in (p.strip() for p in re.split(r"[;,]", text)):
        if not piece:
            continue
        ids = _joined(re.split(r"\s+(?:and|&)\s+|\s*&\s*", piece), registry)
        if ids is None:
            out.unresolved.append((piece, "not a name in the agency registry"))
        for rid in ids or []:
            if rid not in out.ids:
                out.ids.append(rid)


def _joined(words: list[str], registry: Registry) -> list[str] | None:
    """``words`` (the pieces between "and"s) grouped into registry names, longest names first;
    None if they cannot all be. A name holds at most a few "and"s, so each start tries a few
    lengths, and each suffix is solved once (linear in the pieces, whatever a cell holds)."""
    n = len(words)
    step: list[tuple[str, int] | None] = [None] * n  # from each start: (id, where the next begins)
    for start in range(n - 1, -1, -1):
        for end in range(min(n, start + 4), start, -1):
            if end < n and step[end] is None:
                continue
            hit = _one(
                registry, " and ".join(words[start:end]).removeprefix("the ").removeprefix("The ")
            )
            if hit:
                step[start] = (hit, end)
                break
    ids, at = [], 0
    while at < n:
        if step[at] is None:
            return None
        hit, at = step[at]
        ids.append(hit)
    return ids


def split_issuers(text: str, registry: Registry) -> IssuerSplit:
    """Split one cell of issuing bodies into agency ids, lead first, without guessing."""
    out = IssuerSplit()
    text = text.strip()
    if text and not _CJK.search(text):
        _english(text, registry, out)
        return out
    whole = _one(registry, text) if text else None
    pieces = [text] if whole else [p for p in SEPARATORS.split(text) if p]
    pieces = [q for p in pieces for q in (SLASHES.split(p) if SLASHES.search(p) and not
                                          _one(registry, p) else [p]) if q]  # fmt: skip
    for n, piece in enumerate(pieces):
        m = ETC.search(piece)
        if m:
            if n != len(pieces) - 1:
                out.notes.append(f"{piece!r} ends in 等 but is not the last piece")
            out.open_ended = True
            if m.group("n"):
                out.declared_count = chinese_number(m.group("n"))
            piece = piece[: m.start()]
            if not piece:
                continue
        for rid in _resolve(piece, registry, out):
            if rid in out.ids:
                out.notes.append(f"{rid.upper()} is named twice")
            else:
                out.ids.append(rid)
    return out
