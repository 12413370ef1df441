"""A plain news digest → news bullets: paragraphs or bullets that open with a full date
(``12 March 2024 – MIIT issued …``, ``- March 12, 2024: …``, ``2024-03-12 …``), with no
Top-5 structure. Each becomes a policy-news bullet when it names a body, else corporate news;
the lines before the first dated entry give the title, and lines outside any entry are kept
for the report. A brief whose lines open with no date is read as paragraphs dated in their
text, under headings (:func:`paragraph_segments`).

>>> seg = digest_segments("Weekly digest\\n\\n12 March 2024 – MIIT issued rules\\non robots.\\n")
>>> [(b.section, b.day, b.month, b.year, b.part.text) for b in seg.bullets]
[('policy-news', 12, 'March', 2024, 'MIIT issued rules on robots.')]
"""

from __future__ import annotations

import re

from policygraph.ingest.segment import BULLET, MONTHS, Bullet, Part, Segments, lines_of, month_name

ENTRY = re.compile(
    rf"^\s*(?:[-•*·]\s*)?(?:(?P<d1>\d{{1,2}})\s+(?P<m1>{MONTHS})\s+(?P<y1>\d{{4}})"
    rf"|(?P<m2>{MONTHS})\s+(?P<d2>\d{{1,2}}),?\s+(?P<y2>\d{{4}})"
    r"|(?P<y3>\d{4})-(?P<n3>\d{2})-(?P<d3>\d{2}))\s*(?:[–—:|-]+\s*|\s+(?=[A-Z]))"
)
NAMES = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"]  # fmt: skip
#: words that make an entry policy news: a body acts
BODYLIKE = re.compile(r"\b(Ministry|Commission|Administration|Council|Bureau|Office|Congress|"
                      r"[A-Z]{2,6})\b")  # fmt: skip
URL = re.compile(r"^\s*(https?://\S+)\s*$")


def digest_segments(text: str) -> Segments | None:
    """The dated entries of a digest; None if no line opens with a full date."""
    lines = lines_of(text)
    if not any(ENTRY.match(ln.text) for ln in lines):
        return None
    seg = Segments()
    current: Part | None = None
    for ln in lines:
        if not ln.text.strip():
            current = None
            continue
        m = ENTRY.match(ln.text)
        if m:
            part = Part([ln], skip=m.end())
            month = (
                month_name(m["m1"] or m["m2"])
                if m["m1"] or m["m2"]
                else (NAMES[int(m["n3"]) - 1] if 1 <= int(m["n3"] or 0) <= 12 else None)
            )
            if month is None:
                seg.unplaced.append(ln)
                continue
            day, year = int(m["d1"] or m["d2"] or m["d3"]), int(m["y1"] or m["y2"] or m["y3"])
            seg.bullets.append(Bullet("corporate-news", part, month, day, year))
            current = part
        elif URL.match(ln.text) and seg.bullets:
            seg.news_urls.setdefault(seg.bullets[-1].section, []).append(URL.match(ln.text)[1])
        elif current is not None and not BULLET.match(ln.text):
            current.add(ln)
        else:
            if seg.title is None and not seg.bullets:
                seg.title = ln.text.strip()
            seg.unplaced.append(ln)
            current = None
    for b in seg.bullets:
        b.section = "policy-news" if BODYLIKE.search(b.part.text) else "corporate-news"
    return seg


#: a date anywhere in a sentence, the year optional (``On March 5``, ``14 March 2025``)
IN_TEXT = re.compile(
    rf"\b(?:(?P<d1>\d{{1,2}})\s+(?P<m1>{MONTHS})(?:,?\s+(?P<y1>\d{{4}}))?"
    rf"|(?P<m2>{MONTHS})\s+(?P<d2>\d{{1,2}})(?!\d)(?:,?\s+(?P<y2>\d{{4}}))?"
    r"|(?P<y3>\d{4})-(?P<n3>\d{2})-(?P<d3>\d{2}))\b"
)
#: words before a date that make it a deadline or a start, not the day something happened
NOT_THE_DAY = re.compile(r"\b(?:by|before|until|till|through|from|starting|since|effect on|"
                         r"force on|effective|due|ends? on|expires? on)\s*$", re.I)  # fmt: skip
#: a heading: a short line, numbered or not, that does not end a sentence
HEADING = re.compile(
    r"^\s*(?:#{1,6}\s*|\(?\d{1,2}[.)]\s+|[IVX]{1,4}\.\s+)?(?=\S)(?!.*[.;:。]\s*$).{1,90}$"
)
NUMBERED = re.compile(r"^\s*(?:#{1,6}\s*|\(?\d{1,2}[.)]\s+|[IVX]{1,4}\.\s+)")


def paragraph_segments(text: str) -> Segments | None:
    """A brief of paragraphs (blocks between blank lines), each an entry dated by the first
    date in its text that is not a deadline (``On March 14, 2025, the CAC released …``), under
    an optional heading (``1. Labelling AI content``); None if no paragraph holds a date.

    >>> seg = paragraph_segments("Digest\\n\\n1. Robots\\nOn March 12, 2024, MIIT issued rules\\n"
    ...                          "due by June 1, 2025.\\n")
    >>> [(b.heading, b.day, b.month, b.year, b.part.text) for b in seg.bullets]
    [('Robots', 12, 'March', 2024, 'On March 12, 2024, MIIT issued rules due by June 1, 2025.')]
    """
    blocks: list[list] = [[]]
    for ln in lines_of(text):
        if BULLET.match(ln.text) and blocks[-1]:
            blocks.append([])  # each bullet of a list is an entry of its own
        if ln.text.strip():
            blocks[-1].append(ln)
        elif blocks[-1]:
            blocks.append([])
    blocks = [b for b in blocks if b]
    seg = Segments()
    heading = None
    for i, block in enumerate(blocks):
        dated = _first_day(" ".join(ln.text for ln in block))
        line = block[0] if len(block) == 1 and dated is None else None
        if line and i == 0 and not re.match(r"\s*\(?\d", line.text):
            seg.title = line.text.strip().lstrip("#").strip()  # the brief's own title
            seg.unplaced.append(line)
            continue
        if line and HEADING.match(line.text) and i + 1 < len(blocks):
            if heading:
                seg.unplaced.append(heading)  # a section's heading: no paragraph of its own
            heading = line  # a heading on a line of its own, above its paragraph
            if BULLET.match(blocks[i + 1][0].text):  # or above a list: a section's heading
                seg.unplaced.append(line)
                heading = None
            continue
        if line and not HEADING.match(line.text):
            seg.unplaced.append(line)
            continue
        if heading is None and len(block) > 1 and _heads(block[0].text, block[1].text):
            heading, block = block[0], block[1:]
        first = NUMBERED.match(block[0].text) or BULLET.match(block[0].text)
        part = Part(block[:1], skip=first.end() if first else 0)
        for ln in block[1:]:
            part.add(ln)
        month, day, year = dated or (None, None, None)
        section = "policy-news" if BODYLIKE.search(part.text) else "corporate-news"
        title = NUMBERED.sub("", heading.text).strip() if heading else None
        seg.bullets.append(Bullet(section, part, month, day, year, title))
        heading = None
    return seg if any(b.month for b in seg.bullets) else None


def _first_day(text: str) -> tuple[str, int, int | None] | None:
    """(month, day, year or None) of the first date in ``text`` that is not a deadline."""
    for m in IN_TEXT.finditer(text):
        if NOT_THE_DAY.search(text[max(0, m.start() - 20) : m.start()]):
            continue
        n3 = int(m["n3"] or 0)
        written = m["m1"] or m["m2"]
        month = month_name(written) if written else NAMES[n3 - 1] if 1 <= n3 <= 12 else None
        day = int(m["d1"] or m["d2"] or m["d3"])
        if month and 1 <= day <= 31:
            year = m["y1"] or m["y2"] or m["y3"]
            return month, day, int(year) if year else None
    return None


def _heads(first: str, second: str) -> bool:
    """Whether ``first``, the first line of a paragraph, is its heading: numbered, or short,
    undated and followed by a line that starts a sentence (not a line of wrapped prose)."""
    if not HEADING.match(first) or _first_day(first):
        return False
    return bool(NUMBERED.match(first)) or (
        len(first.strip()) <= 60 and second.lstrip()[:1].isupper()
    )
