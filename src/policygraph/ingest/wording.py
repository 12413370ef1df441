"""English wording in briefs: dates, titles, document types, issuing verbs, counts of bodies,
and the names of bodies and companies a registry does not know.

>>> date_of("On 12 March 2024 – MIIT issued"), slug("Action Plan for the 'Penetration' (2024-2026)")
(datetime.date(2024, 3, 12), 'action-plan-penetration-2024-2026')
>>> unknown_names("Smartphone maker Xiaomi presented a car; the Ministry of Magic issued rules", lambda n: None)
[('body', 'Ministry of Magic'), ('company', 'Xiaomi')]
"""

from __future__ import annotations

import datetime as dt
import re

from policygraph.ingest.segment import MONTHS, month_name
from policygraph.records.documents import chinese_quotes
from policygraph.records.documents import document_type as doc_type  # noqa: F401 (the ingesters' name)

COUNT_WORDS = {"two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
               "nine": 9, "ten": 10, "eleven": 11, "twelve": 12}  # fmt: skip
_N = r"(\d+|" + "|".join(COUNT_WORDS) + ")"
BODIES = r"(?:government |central |state )?(?:agencies|ministries|bodies|departments|ministries and agencies|ministries and commissions)"
EVENT_KINDS = [("meeting", "meeting"), ("approv", "approval"), ("clear", "approval"),
               ("unveil", "product-launch"), ("launch", "product-launch"),
               ("divest", "divestment"), ("sell", "divestment"), ("exit", "divestment"),
               ("invest", "investment"), ("acquir", "investment"), ("reported", "report"),
               ("report", "report"), ("present", "product-launch"), ("shows", "product-launch"), ("declin", "statistic"), ("fell", "statistic"),
               ("rose", "statistic"), ("grew", "statistic")]  # fmt: skip
#: a document issued: its words up to the first document kind, both spans bounded so that a
#: bullet of many verbs and no document costs linear time, not quadratic
ISSUING = re.compile(r"\b(issued|issues|released|releases|published|publishes|promulgated|introduced|"
                     r"adopted|unveiled|unveils|approved|announced|launched|rolled out)\b"
                     r"(?P<object>[^.;]{0,200}?\b(regulations?|provisions|plans?|guidelines?|instructions|notice|"
                     r"measures|opinions?|rules|law|catalog(?:ue)?|standards?|guidance|list)\b[^,;(]{0,300}?)(?=[,;(]|\.(?:\s|$)|$)",
                     re.I)  # fmt: skip
#: sources briefs cite whose sites do not carry their name
HOSTS = {"state council": ("www.gov.cn",), "xinhua": ("news.cn",),
         "financial times": ("ft.com",), "people's daily": ("people.com.cn",)}  # fmt: skip


def slug(text: str, words: int = 6) -> str:
    """``"Action Plan for the 'Penetration' (2024-2026)"`` → ``action-plan-penetration-2024-2026``."""
    kept = [
        w
        for w in re.findall(r"[a-z0-9]+", text.lower())
        if w not in ("the", "a", "an", "of", "for", "on", "and", "to", "in")
    ]
    return "-".join(kept[:words]) or "untitled"


def date_of(text: str) -> dt.date | None:
    """``February 26, 2024``, ``26 February 2024`` or ``2024-02-26``."""
    for pattern in (
        rf"({MONTHS})\s+(\d{{1,2}}),?\s+(\d{{4}})",
        rf"(\d{{1,2}})\s+({MONTHS})\s+(\d{{4}})",
    ):
        m = re.search(pattern, text)
        if m:
            month, day = (m[1], m[2]) if not m[1].isdecimal() else (m[2], m[1])
            month = month_name(month)
            try:
                return dt.datetime.strptime(f"{month} {day} {m[3]}", "%B %d %Y").date()
            except ValueError:
                return None
    m = re.search(r"\b(\d{4})-(\d{2})-(\d{2})\b", text)
    if m:
        try:
            return dt.date(int(m[1]), int(m[2]), int(m[3]))
        except ValueError:
            return None
    return None


def split_article(text: str) -> tuple[str, str | None]:
    """``English title (中文标题) (Link)`` → the two titles; brackets inside either are kept."""
    text = re.sub(r"\(\s*Link\s*\)\s*$", "", text.strip()).strip()
    for m in re.finditer(r"[(（]\s*(?=[\u3400-\u9fff《“])", text):
        depth, i = 0, m.start()
        for j in range(i, len(text)):
            depth += text[j] in "(（"
            depth -= text[j] in ")）"
            if depth == 0:
                zh = re.sub(r"\s+", "", text[m.end() : j])
                return text[:i].strip(), chinese_quotes(zh)
        zh = re.sub(r"\s+", "", text[m.end() :])  # never closed: the rest is the Chinese title
        return text[:i].strip(), chinese_quotes(zh)
    return text, None


def declared_count(text: str) -> int | None:
    """How many issuing bodies a description gives: 'Nine ministries and agencies' → 9;
    'MIIT and three other agencies' → 4 (the named one and three others)."""
    m = re.search(rf"\b{_N}\s+other\s+{BODIES}", text, re.I)
    if m:
        return _n(m[1]) + 1
    m = re.search(rf"\b{_N}\s+{BODIES}\b", text, re.I)
    return _n(m[1]) if m else None


def _n(word: str) -> int:
    return int(word) if word.isdecimal() else COUNT_WORDS[word.lower()]


BODY_WORDS = r"(?:Ministry|Commission|Administration|Bureau|Office|Council|Committee|Agency|Authority|Congress|Court|Procuratorate|Academy)"
BODY = re.compile(
    rf"\b((?:[A-Z][\w'’-]*\s+){{0,5}}{BODY_WORDS}"
    r"(?:\s+(?:of|for|on)\s+(?:the\s+)?[A-Z][\w'’-]*(?:\s+(?:and\s+)?[A-Z][\w'’-]*)*)?)"
)
ACTOR = re.compile(
    r"(?<![\w.])((?:[A-Z][\w&’'.-]*[\w&]\s+){0,3}[A-Z][\w&’'.-]*[\w&])\s+(?:said|says|announced|"
    r"launched|unveiled|presented|reported|sold|signed|agreed|opened|plans|will|has|had|became|"
    r"raised|bought|acquired|invested|shows|showed|released)\b"
)
NOT_FIRMS = {"China", "Chinese", "China's", "China’s", "Beijing", "Shanghai", "The", "It", "He",
             "She", "They", "This", "US", "EU", "Taiwan", "In", "On", "By", "A", "An", "MERICS",
             "Reuters", "Xinhua", "Both", "Its", "Smartphone", "Carmaker", "Chipmaker"}  # fmt: skip
TITLES = {"Premier", "President", "Minister", "Chairman", "Vice", "Governor", "Secretary", "Mr",
          "Ms", "Dr", "General"}  # fmt: skip


def unknown_names(text: str, known) -> list[tuple[str, str]]:
    """Bodies ('Ministry of X') and firms (the subject of 'X said', 'X launched') in ``text``
    that ``known(name)`` does not resolve, as ('body' or 'company', name)."""
    out: list[tuple[str, str]] = []
    bodies = []
    for m in BODY.finditer(text):
        name = re.sub(r"^(?:The|the)\s+", "", m[1]).strip()
        bodies.append((m.start(), m.end()))
        if not known(name) and ("body", name) not in out:
            out.append(("body", name))
    for m in ACTOR.finditer(text):
        if any(a <= m.start(1) < b for a, b in bodies):
            continue
        words = m[1].split()
        if words[0] in TITLES:
            continue  # a person: Premier Li Qiang
        while words and words[0] in NOT_FIRMS:
            words = words[1:]
        name = " ".join(words)
        if not name:
            continue
        if re.fullmatch(r"[A-Z]{2,6}", name) or known(name):
            continue  # an acronym the registry knows, or a name it knows
        if ("company", name) not in out:
            out.append(("company", name))
    return out
