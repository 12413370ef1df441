"""Names in prose: which registered agencies, companies and sectors a sentence mentions, in
the order it mentions them, and the descriptions briefs use instead of names.

>>> finder = Finder({"miit": ["MIIT", "Ministry of Industry and Information Technology"],
...                  "mof": ["MOF", "Ministry of Finance"]}, descriptions={"china's treasury": "mof"})
>>> [(m.id, m.text) for m in finder.find("China's treasury and the MIIT issued a notice")]
[('mof', "China's treasury"), ('miit', 'MIIT')]
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass

from policygraph.records.registry import Registry

#: how briefs describe bodies without naming them, by acronym of the body meant
DESCRIPTIONS = {
    "china's treasury": "MOF", "the treasury": "MOF", "the finance ministry": "MOF",
    "the central bank": "PBC", "china's central bank": "PBC", "the cabinet": "SC",
    "china's cabinet": "SC", "the top economic planner": "NDRC", "the state planner": "NDRC",
    "the economic planning agency": "NDRC", "the industry ministry": "MIIT",
    "the industry and it ministry": "MIIT", "the market regulator": "SAMR",
    "the securities regulator": "CSRC", "the financial regulator": "NFRA",
    "the commerce ministry": "MOFCOM", "the foreign ministry": "MFA",
    "the education ministry": "MOE", "the science ministry": "MOST",
    "the cyberspace regulator": "CAC", "the internet regulator": "CAC",
    "the statistics bureau": "NBS",
}  # fmt: skip


@dataclass(frozen=True)
class Found:
    id: str
    start: int
    end: int
    text: str


class Finder:
    """Finds any of many names in text: longest first, never two overlapping.

    Acronyms (all capitals) match case-sensitively as whole words; other names ignore case.
    """

    def __init__(self, names: dict[str, list[str]], descriptions: dict[str, str] | None = None):
        self.by_name: dict[str, str] = {}
        exact, folded = [], []
        for rid, written in names.items():
            for name in written:
                if not name or len(name) < 2:
                    continue
                (exact if re.fullmatch(r"[A-Z][A-Z0-9&]+", name) else folded).append(name)
                self.by_name.setdefault(name if name.isupper() else name.casefold(), rid)
        for text, rid in (descriptions or {}).items():
            folded.append(text)
            self.by_name.setdefault(text.casefold(), rid)
        exact.sort(key=len, reverse=True)
        folded.sort(key=len, reverse=True)
        self.exact = (
            re.compile(
                r"(?<![A-Za-z0-9_-])(" + "|".join(map(re.escape, exact)) + r")(?![A-Za-z0-9_-])"
            )
            if exact
            else None
        )
        pattern = "|".join(_flexible(n) for n in folded)
        # ASCII word boundaries: a Chinese name stands inside running Chinese text
        self.folded = (
            re.compile(r"(?<![A-Za-z0-9_-])(" + pattern + r")(?![A-Za-z0-9_-])", re.I)
            if folded
            else None
        )

    def find(self, text: str) -> list[Found]:
        hits: list[Found] = []
        for regex, fold in ((self.folded, True), (self.exact, False)):
            if regex is None:
                continue
            # earlier hits do not overlap, so sorted by start they are sorted by end too: the
            # last one starting before a match is the only one it can overlap (a bisection,
            # not a scan of all hits, which was quadratic in a text naming a body many times)
            earlier = sorted(hits, key=lambda h: h.start)
            starts = [h.start for h in earlier]
            for m in regex.finditer(text):
                key = _key(m[1]) if fold else m[1]
                rid = self.by_name.get(key)
                i = bisect.bisect_left(starts, m.end())
                if rid and not (i and earlier[i - 1].end > m.start()):
                    hits.append(Found(rid, m.start(), m.end(), m[1]))
        return sorted(hits, key=lambda h: h.start)

    def blank(self, text: str, fill: str = " ") -> str:
        """``text`` with every name found overwritten by ``fill`` (same length, so offsets hold):
        what is left for the search of names nobody registered."""
        for hit in self.find(text):
            text = text[: hit.start] + fill * (hit.end - hit.start) + text[hit.end :]
        return text


def _flexible(name: str) -> str:
    """A name as a pattern that allows any spacing and either apostrophe."""
    parts = [re.escape(p.replace("’", "'")).replace("'", "['’]") for p in name.split()]
    return r"\s+".join(parts)


def _key(text: str) -> str:
    return " ".join(text.replace("’", "'").split()).casefold()


#: the Party's and the legislature's full English names, and the shorter ways briefs write them
FORMS = {
    "Central Committee of the Communist Party of China": (
        "CPC Central Committee", "CCP Central Committee", "Communist Party of China Central "
        "Committee", "Chinese Communist Party Central Committee", "Central Committee of the CPC",
        "Central Committee of the CCP", "Communist Party's Central Committee",
        "Party's Central Committee"),
    "National People's Congress": ("NPC",),
}  # fmt: skip


def english_forms(name: str) -> list[str]:
    """``name`` and the forms briefs write it in, where it holds a full name of :data:`FORMS`.

    >>> english_forms("General Office of the Central Committee of the Communist Party of China")[1]
    'General Office of the CPC Central Committee'
    >>> english_forms("Standing Committee of the National People's Congress")[1:]
    ['Standing Committee of the NPC', 'NPC Standing Committee', "National People's Congress Standing Committee"]
    """
    forms = [name]
    for full, short in FORMS.items():
        if full not in name:
            continue
        forms += [name.replace(full, s) for s in short]
        head = name.removesuffix(f" of the {full}")
        if head != name:  # "X of the Y" is also written "Y X"
            forms += [f"{s} {head}" for s in (*short, full)]
    return forms


def finders(registry: Registry) -> dict[str, Finder]:
    """Finders for agencies (ids), companies (ids) and sectors (ids) of a registry."""
    acronym = {a.acronym: a.id for a in registry.data.agencies}
    agencies = {a.id: [a.acronym, *english_forms(a.name_en), a.name_zh,
                       *(f for alias in a.aliases for f in english_forms(alias))]
                for a in registry.data.agencies if a.dissolved is None}  # fmt: skip
    companies = {c.id: [c.name_en, *([c.name_zh] if c.name_zh else []), *c.aliases]
                 for c in registry.data.companies}  # fmt: skip
    sectors = {s.id: [s.label_en, s.label_zh, *s.aliases] for s in registry.data.sectors}
    descriptions = {k: acronym[v] for k, v in DESCRIPTIONS.items() if v in acronym}
    return {
        "agency": Finder(agencies, descriptions),
        "company": Finder(companies),
        "sector": Finder(sectors),
    }
