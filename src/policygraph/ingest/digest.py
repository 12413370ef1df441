"""A plain news digest → news bullets: paragraphs or bullets that open with a full date
(``12 March 2024 – MIIT issued …``, ``- March 12, 2024: …``, ``2024-03-12 …``), with no
Top-5 structure. Each becomes a policy-news bullet when it names a body, else corporate news;
the lines before the first dated entry give the title, and lines outside any entry are kept
for the report.

>>> seg = digest_segments("Weekly digest\\n\\n12 March 2024 – MIIT issued rules\\non robots.\\n")
>>> [(b.section, b.day, b.month, b.year, b.part.text) for b in seg.bullets]
[('policy-news', 12, 'March', 2024, 'MIIT issued rules on robots.')]
"""

from __future__ import annotations

import re

from policygraph.ingest.segment import BULLET, MONTHS, Bullet, Part, Segments, lines_of

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
                m["m1"]
                or m["m2"]
                or (NAMES[int(m["n3"]) - 1] if 1 <= int(m["n3"] or 0) <= 12 else None)
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
