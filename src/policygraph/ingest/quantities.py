"""Numbers in English prose: values (digits or words), scales, currencies, units, comparators,
and the deadline or period they are tied to.

>>> [(m.value, m.unit, m.comparator) for m in mentions("Train five million workers and at least 15,000 leaders")]
[(Decimal('5000000'), 'workers', '='), (Decimal('15000'), 'leaders', '>=')]
>>> [(m.value, m.unit, m.comparator) for m in mentions("for up to USD 80 million, a nine percent drop")]
[(Decimal('80000000'), 'USD', '<='), (Decimal('-9'), 'percent', '=')]
>>> deadline("Key targets by 2026 are:"), period("over the next three years", 2024)
(2026, (2024, 2026))
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal

UNITS = {"zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
         "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13,
         "fourteen": 14, "fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18,
         "nineteen": 19, "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60,
         "seventy": 70, "eighty": 80, "ninety": 90}  # fmt: skip
SCALES = {"hundred": 100, "thousand": 1_000, "million": 1_000_000, "mn": 1_000_000,
          "billion": 1_000_000_000, "bn": 1_000_000_000, "trillion": 10**12}  # fmt: skip
CURRENCIES = {"usd": "USD", "us$": "USD", "$": "USD", "cny": "CNY", "rmb": "CNY", "yuan": "CNY",
              "¥": "CNY", "eur": "EUR", "€": "EUR"}  # fmt: skip
#: phrases before a number, and what they say about it
BEFORE = [("at least", ">="), ("no less than", ">="), ("not less than", ">="), ("a minimum of", ">="),
          ("more than", ">"), ("over", ">"), ("exceeding", ">"), ("exceeds", ">"), ("exceed", ">"),
          ("surpassing", ">"), ("surpass", ">"), ("above", ">"), ("beyond", ">"),
          ("up to", "<="), ("no more than", "<="), ("at most", "<="), ("less than", "<"),
          ("fewer than", "<"), ("under", "<"), ("about", "~"), ("around", "~"),
          ("approximately", "~"), ("roughly", "~"), ("nearly", "~"), ("almost", "~")]  # fmt: skip
AFTER = [("or more", ">="), ("or above", ">="), ("or over", ">="), ("plus", ">=")]
FALLS = ("drop", "decline", "fall", "decrease", "reduction", "cut")
STOP = {"and", "or", "by", "in", "with", "to", "as", "from", "for", "that", "which", "who", "of",
        "on", "at", "across", "per", "each", "while", "including", "covering", "the", "a", "an",
        "its", "their", "than", "are", "is", "was", "were", "be", "will", "has", "have"}  # fmt: skip

_WORD = "|".join(sorted(UNITS, key=len, reverse=True))
_SCALE = "|".join(SCALES)
NUMBER = re.compile(
    rf"(?P<cur>(?:USD|US\$|CNY|RMB|EUR|\$|€|¥)\s?)?"
    rf"(?P<num>\d{{1,3}}(?:,\d{{3}})+(?:\.\d+)?|\d+(?:\.\d+)?|(?:{_WORD})(?:[- ](?:{_WORD}))*)"
    rf"(?P<scale>\s?(?:{_SCALE})\b)?"
    r"(?P<pct>\s?(?:percent|per cent|%))?",
    re.IGNORECASE,
)
YEAR = re.compile(r"\b(19[5-9]\d|20\d\d|2100)\b")


@dataclass
class Mention:
    """A number found in text, with what it counts and where it stands."""

    value: Decimal
    unit: str
    metric: str
    comparator: str
    start: int
    end: int
    text: str


def word_number(words: str) -> int | None:
    """``"twenty-five"`` → 25; None unless every word is a number word."""
    total = 0
    for w in re.split(r"[- ]", words.lower()):
        if w not in UNITS:
            return None
        total += UNITS[w]
    return total


def _value(m: re.Match) -> Decimal | None:
    num = m["num"]
    if num[0].isdecimal():
        value = Decimal(num.replace(",", ""))
    else:
        words = word_number(num)
        if words is None:
            return None
        value = Decimal(words)
    if m["scale"]:
        value *= SCALES[m["scale"].strip().lower()]
    return value


def _comparator(before: str, after: str) -> str:
    head = before.lower().rstrip()
    for phrase, sign in BEFORE:
        if re.search(rf"\b{re.escape(phrase)}(?:\s+(?:the|top|a|an|some))*$", head):
            return sign
    tail = after.lower().lstrip()
    return next((sign for phrase, sign in AFTER if tail.startswith(phrase)), "=")


def _tail_words(after: str) -> list[str]:
    """Up to five words after a number, up to a stop word or punctuation."""
    words = []
    for w in re.findall(r"[A-Za-z][\w'’-]*|[^\sA-Za-z]", after)[:8]:
        if not re.match(r"[A-Za-z]", w) or w.lower() in STOP:
            break
        words.append(w)
        if len(words) == 5:
            break
    return words


def _is_noise(m: re.Match, text: str) -> bool:
    """Years, dates, ordinals in names, parts of codes and 'one of': not quantities."""
    num, start, end = m["num"], m.start("num"), m.end("num")
    if not (m["cur"] or m["scale"] or m["pct"]):
        if YEAR.fullmatch(num) and "," not in num:
            return True
        if re.search(r"(January|February|March|April|May|June|July|August|September|October|"
                     r"November|December)\s$", text[max(0, start - 10) : start]):  # fmt: skip
            return True
        if num.lower() == "one" and re.match(r"\s+(of|another|by)\b", text[end : end + 9]):
            return True
        if re.match(r"[-–.]\d|/|[A-Za-z]", text[end : end + 2]) or text[start - 1 : start] in "-–/":
            return True  # 2024-2026, 5G, 1.0, JTC 1/SC
        if re.search(r"[a-z,] [A-Z][\w-]*\s$", text[max(0, start - 30) : start]):
            return True  # a model or a committee: SenseNova 4.0, SC 43
    return m["num"].endswith(".0")  # a version: 4.0


def mentions(text: str) -> list[Mention]:
    """Every quantity in ``text``, in order."""
    found = []
    for m in NUMBER.finditer(text):
        if not m["num"] or (m.start() > 0 and text[m.start() - 1].isalnum()):
            continue
        if _is_noise(m, text):
            continue
        value = _value(m)
        if value is None:
            continue
        after = text[m.end() :]
        comparator = _comparator(text[: m.start()], after)
        skip = re.match(r"\s*(?:or more|or above|or over|plus)\b|-(?=[A-Za-z])", after, re.I)
        tail = _tail_words(after[skip.end() :] if skip else after)
        if m["pct"] and not tail:
            of = re.match(r"\s+of\s+(.*)", after, re.S)
            tail = _tail_words(" " + of[1]) if of else []
        before = _before_words(text[: m.start()])
        if m["pct"]:
            unit = "percent"
        elif m["cur"]:
            unit = CURRENCIES[m["cur"].strip().lower()]
        elif tail:
            plural = [w for w in tail if re.fullmatch(r"[a-z-]+s", w.lower())]
            unit = (plural or tail)[-1].lower()
        else:
            counted = re.search(r"number of (\w+)", re.split(r"[.;:,()]", text[: m.start()])[-1])
            unit = counted[1] if counted else (before.split() or ["units"])[-1].lower()
        if m["pct"] and tail and tail[0].lower() in FALLS:
            value = -value
        metric = " ".join(tail) or before
        found.append(Mention(value, unit, metric or unit, comparator, m.start(), m.end(), m[0]))
    return found


def _before_words(before: str) -> str:
    """The clause before a number that has no noun after it ('the number of X ... to 45,000'),
    without the comparator or verb right before the number."""
    clause = re.split(r"[.;:,()]", before)[-1].strip()
    phrases = "|".join(re.escape(p) for p, _ in BEFORE)
    verbs = r"to|of|at|by|reach|reaching|increase|raise|with|the|top"
    while True:
        cut = re.sub(rf"\b(?:{phrases}|{verbs})\s*$", "", clause, flags=re.I).strip()
        if cut == clause:
            break
        clause = cut
    words = clause.split()[-8:]
    while words and words[0].lower() in STOP:
        words = words[1:]
    return " ".join(words)


def deadline(text: str) -> int | None:
    """The year a target is due: 'by 2027', 'by the end of 2025', 'targets for 2026'."""
    m = re.search(
        r"\bby (?:the end of |end-)?(\d{4})\b|\btargets? for (\d{4})\b|\bin (\d{4})\b(?=[^.]*\btarget)",
        text,
        re.I,
    )
    if not m:
        return None
    return int(next(g for g in m.groups() if g))


def period(text: str, base_year: int | None = None) -> tuple[int, int] | None:
    """A period instead of a deadline: '2024-2026', 'from 2024 to 2026', or relative to
    ``base_year``: 'over the next three years', 'over the three-year period'."""
    m = re.search(r"\b(20\d\d)\s?(?:-|–|to)\s?(20\d\d)\b", text)
    if m and int(m[1]) <= int(m[2]):
        return int(m[1]), int(m[2])
    m = re.search(rf"\b(?:over|in|within|for) the (?:next |coming )?(\d+|{_WORD})[- ]years?\b(?: period)?", text, re.I)  # fmt: skip
    if m and base_year:
        n = int(m[1]) if m[1].isdecimal() else word_number(m[1])
        if n:
            return base_year, base_year + n - 1
    return None


def year_of(text: str) -> int | None:
    """The year a figure refers to: 'in 2023', 'for 2023'."""
    m = re.search(r"\b(?:in|for|of|during) (\d{4})\b", text)
    return int(m[1]) if m else None
