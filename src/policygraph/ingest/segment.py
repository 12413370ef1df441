"""A brief's text → its parts: Top-5 items with their labelled fields, news bullets, URL
blocks, and every line that fits nowhere (reported, never dropped).

Briefs vary: the header may read ``MERICS TOP 5``, ``MERICS Top 5`` or ``MERICS' Top 5`` or be a
table of contents; page furniture (captions, reading time) may precede it; bullets may be
``•`` or a private-use PDF glyph; URLs stand in blocks after an item and may split a bullet.
Lines keep their offsets in the original text, so every part can quote its exact source.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

BULLET = re.compile(r"^\s*(?:[•●▪◦‣⁃\u2022\uf000-\uf8ff]|[-*](?=\s))\s*")
#: a month's name, in full or abbreviated (``Mar.``, ``Sept``): :func:`month_name` gives the full one
MONTHS = ("(?:January|February|March|April|May|June|July|August|September|October|November|"
          r"December|(?:Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept|Sep|Oct|Nov|Dec)\.?)(?![a-z])")  # fmt: skip
FULL_MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August",
               "September", "October", "November", "December")  # fmt: skip


def month_name(token: str) -> str:
    """The full name of a month written in full or abbreviated: ``Sept.`` → ``September``."""
    return next(m for m in FULL_MONTHS if m[:3] == token[:3].capitalize())


DATED = re.compile(
    rf"^\s*(?:[•●▪◦‣⁃\uf000-\uf8ff]\s*)?({MONTHS})\s+(\d{{1,2}})(?:,\s*(\d{{4}}))?\s*:\s*"
)
ITEM = re.compile(r"^\s*([1-9])\.\s+(\S.*)$")
URL = re.compile(r"^\s*(https?://\S+)\s*$")
TOP = re.compile(r"MERICS['’]?\s+TOP\s*5\b", re.I)
NOTEWORTHY = re.compile(r"^\s*NOTEWORTHY\b", re.I)
SECTIONS = {"policy news": "policy-news", "corporate news": "corporate-news"}
FIELDS = {"at a glance": "glance", "merics comment": "comment", "more on the topic": "more",
          "article": "article", "issuing body": "issuers", "issuing bodies": "issuers",
          "date": "date"}  # fmt: skip
FIELD = re.compile(r"^\s*(" + "|".join(sorted(FIELDS, key=len, reverse=True)) + r")\s*:\s*", re.I)


@dataclass
class Line:
    number: int  # 1-based, for reports
    start: int  # offset of the line in the original text
    text: str

    @property
    def end(self) -> int:
        return self.start + len(self.text)


@dataclass
class Part:
    """Some lines of the brief: their text joined, and the exact source they came from."""

    lines: list[Line] = field(default_factory=list)
    skip: int = 0  # characters of the first line before the content (a label or a bullet)

    def add(self, line: Line) -> None:
        self.lines.append(line)

    @property
    def text(self) -> str:
        """The content, with line breaks turned into spaces (and none between Chinese characters)."""
        pieces = [self.lines[0].text[self.skip :]] + [ln.text for ln in self.lines[1:]]
        joined = ""
        for piece in (p.strip() for p in pieces):
            if not piece:
                continue
            cjk_join = joined and _cjk(joined[-1]) and _cjk(piece[0])
            joined += ("" if cjk_join or not joined else " ") + piece
        return BULLET.sub("", joined, count=1).strip() if not self.skip else joined.strip()

    @property
    def quote(self) -> str:
        """The exact source lines (a bullet split by a URL block: its parts, one per line)."""
        first = self.lines[0].text[self.skip :]
        return "\n".join([first, *(ln.text for ln in self.lines[1:])]).strip()

    @property
    def line(self) -> int:
        return self.lines[0].number if self.lines else 0


def _cjk(ch: str) -> bool:
    return "\u3000" <= ch <= "\u9fff" or "\uff00" <= ch <= "\uffef"


@dataclass
class TopItem:
    number: int
    headline: Part
    fields: dict[str, Part] = field(default_factory=dict)
    bullets: list[Part] = field(default_factory=list)
    urls: list[str] = field(default_factory=list)


@dataclass
class Bullet:
    section: str
    part: Part
    month: str | None = None
    day: int | None = None
    year: int | None = None
    heading: str | None = None  # the line above a paragraph that names it


@dataclass
class Segments:
    items: list[TopItem] = field(default_factory=list)
    bullets: list[Bullet] = field(default_factory=list)
    news_urls: dict[str, list[str]] = field(default_factory=dict)
    unplaced: list[Line] = field(default_factory=list)
    header: str | None = None
    title: str | None = None  # the first line of a brief without a MERICS header


def lines_of(text: str) -> list[Line]:
    out, offset = [], 0
    for n, raw in enumerate(text.split("\n"), start=1):
        out.append(Line(n, offset, raw))
        offset += len(raw) + 1
    return out


def _blank(line: Line) -> bool:
    return not line.text.strip(" \t\u00a0\u200b\u3000\ufeff")


def _real_items(lines: list[Line]) -> set[int]:
    """Indices of item-start lines that begin an item (not a table-of-contents entry): some
    labelled field follows before the next item start."""
    starts = [i for i, ln in enumerate(lines) if ITEM.match(ln.text)]
    real = set()
    for k, i in enumerate(starts):
        stop = starts[k + 1] if k + 1 < len(starts) else len(lines)
        noteworthy = next((j for j in range(i + 1, stop) if NOTEWORTHY.match(lines[j].text)), stop)
        if any(FIELD.match(lines[j].text) for j in range(i + 1, noteworthy)):
            real.add(i)
    return real


def segment(text: str) -> Segments:
    """Split a brief into its parts."""
    lines = lines_of(text)
    real = _real_items(lines)
    last_item = max(real, default=-1)
    seg = Segments()
    item: TopItem | None = None
    current: Part | None = None  # the part that continuation lines extend
    section: str | None = None  # a news section, once NOTEWORTHY has begun
    for i, ln in enumerate(lines):
        t = ln.text
        if _blank(ln):
            continue
        if m := URL.match(t):
            if section:
                seg.news_urls.setdefault(section, []).append(m[1])
            elif item:
                item.urls.append(m[1])
                current = None
            else:
                seg.unplaced.append(ln)
            continue
        if seg.header is None and TOP.search(t) and item is None:
            seg.header = t.strip()
            continue
        if NOTEWORTHY.match(t) and i > last_item:  # before the last item: a table of contents
            item, current, section = None, None, "noteworthy"
            continue
        if section and t.strip().lower() in SECTIONS:
            section, current = SECTIONS[t.strip().lower()], None
            continue
        if i in real and not section:
            m = ITEM.match(t)
            headline = Part([ln], skip=m.start(2))
            item, current = TopItem(int(m[1]), headline), headline
            seg.items.append(item)
            continue
        if section:
            d = DATED.match(t)
            if d or BULLET.match(t):
                part = Part([ln], skip=(d or BULLET.match(t)).end())
                b = Bullet(section, part)
                if d:
                    b.month, b.day = month_name(d[1]), int(d[2])
                    b.year = int(d[3]) if d[3] else None
                seg.bullets.append(b)
                current = part
            elif current is not None:
                current.add(ln)
            else:
                seg.unplaced.append(ln)
            continue
        if item is None:
            seg.unplaced.append(ln)  # furniture or a table of contents before the first item
            continue
        if f := FIELD.match(t):
            key = FIELDS[f[1].lower()]
            current = Part([ln], skip=f.end())
            item.fields.setdefault(key, current)
        elif b := BULLET.match(t):
            current = Part([ln], skip=b.end())
            item.bullets.append(current)
        elif current is not None:
            current.add(ln)
        else:
            seg.unplaced.append(ln)
    return seg
