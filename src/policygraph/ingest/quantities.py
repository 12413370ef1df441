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

from policygraph.ingest.segment import MONTHS

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
          ("surpassing", ">"), ("surpass", ">"), ("above", ">"), ("beyond", ">"), ("to top", ">"),
          ("should top", ">"), ("will top", ">"), ("tops", ">"), ("topping", ">"),
          ("up to", "<="), ("no more than", "<="), ("at most", "<="), ("less than", "<"),
          ("fewer than", "<"), ("under", "<"), ("about", "~"), ("around", "~"),
          ("approximately", "~"), ("roughly", "~"), ("nearly", "~"), ("almost", "~")]  # fmt: skip
AFTER = [("or more", ">="), ("or above", ">="), ("or over", ">="), ("plus", ">=")]
FALLS = ("drop", "decline", "fall", "decrease", "reduction", "cut")
STOP = {"and", "or", "by", "in", "with", "to", "as", "from", "for", "that", "which", "who", "of",
        "on", "at", "across", "per", "each", "while", "including", "covering", "the", "a", "an",
        "its", "their", "than", "are", "is", "was", "were", "be", "will", "has", "have",
        "compared", "year-on-year", "respectively", "over", "between", "during"}  # fmt: skip
#: units of measure written after a number: the metric is then the noun phrase before it
MEASURES = {"eflops", "pflops", "gw", "mw", "kw", "twh", "gwh", "kwh", "km", "tonnes", "tons",
            "gbps", "mbps", "tb", "pb", "eb", "hectares", "mu", "square", "cubic", "kilometres",
            "kilometers", "metres", "meters"}  # fmt: skip
PRONOUNS = {"it", "they", "this", "these", "which", "sets", "set", "aims", "calls"}
#: verbs that open a target's clause ('raise X to 90 percent'): not part of the metric
VERBS = {"increase", "raise", "lift", "reduce", "cut", "grow", "expand", "boost", "bring",
         "achieve", "reach", "keep", "maintain", "make", "build", "cultivate", "create", "train",
         "serve", "support", "select", "launch", "deploy", "complete", "develop", "establish",
         "set", "add", "double", "lower", "improve", "promote", "aims", "aim", "plans", "plan",
         "is", "are", "to", "will", "should", "must", "and", "also", "further"}  # fmt: skip

_WORD = "|".join(sorted(UNITS, key=len, reverse=True))
_SCALE = "|".join(SCALES)
NUMBER = re.compile(
    rf"(?P<cur>(?:USD|US\$|CNY|RMB|EUR|\$|€|¥)\s?)?"
    rf"(?P<num>\d{{1,3}}(?:, ?\d{{3}}(?!\d))+(?:\.\d+)?|\d+(?:\.\d+)?|(?:{_WORD})(?:[- ](?:{_WORD}))*"
    rf"|\ba(?= (?:{_SCALE})\b))"
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
    if num.lower() == "a":
        value = Decimal(1)
    elif num[0].isdecimal():
        value = Decimal(num.replace(",", "").replace(" ", ""))
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
    for phrase, sign in sorted(
        BEFORE, key=lambda b: -len(b[0])
    ):  # 'no more than' before 'more than'
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


PHONE = re.compile(r"(?:\+\d{1,3}[\s-]?)?\(?\d{2,5}\)?(?:[\s-]\d{2,5}){1,4}")


def _is_noise(m: re.Match, text: str) -> bool:
    """Years, dates, ordinals in names, ranks, parts of codes and phone numbers, fragments of
    a number split at its comma, 'one of' and 'one-stop': not quantities."""
    num, start, end = m["num"], m.start("num"), m.end("num")
    if re.search(
        r"(?:\bNo\.?|#|\bNumber|\bnumber|\b[Tt]he top)\s?$", text[max(0, start - 8) : start]
    ):
        return True  # a rank: No. 1, the top 10
    if re.search(r"\d,\s?$", text[max(0, start - 3) : start]) or re.match(r"0\d", num):
        return True  # the tail of a number split at its comma, or a code
    if re.match(r"-[A-Za-z]", text[end : end + 2]) and not m["cur"]:
        return True  # one-stop, three-year, 5-star: part of a compound word
    phone = _phone_around(text, start, end)
    if phone:
        return True
    if not (m["cur"] or m["scale"] or m["pct"]):
        if YEAR.fullmatch(num) and "," not in num:
            return True
        if re.search(rf"\b{MONTHS}\s$", text[max(0, start - 11) : start]):
            return True  # a day: March 3
        if re.match(rf"\s{MONTHS}", text[end : end + 11]):
            return True  # a day: 3 March 2025
        if num.lower() == "one" and re.match(r"\s+(of|another|by)\b", text[end : end + 9]):
            return True
        if re.match(r"[-–.]\d|/|[A-Za-z]", text[end : end + 2]) or text[start - 1 : start] in "-–/":
            return True  # 2024-2026, 5G, 1.0, JTC 1/SC
        if re.search(r"[a-z,] [A-Z][\w-]*\s$", text[max(0, start - 30) : start]):
            return True  # a model or a committee: SenseNova 4.0, SC 43
    return m["num"].endswith(".0")  # a version: 4.0


def _phone_around(text: str, start: int, end: int) -> bool:
    """A run of digit groups like '+86 10 6512 3456' or '010-6512-3456' around a number."""
    lo = max(0, start - 20)
    for p in PHONE.finditer(text[lo : end + 20]):
        a, b = lo + p.start(), lo + p.end()
        if a <= start and end <= b:
            digits = sum(ch.isdigit() for ch in p[0])
            groups = len(re.findall(r"\d+", p[0]))
            if digits >= 7 and groups >= 3 or p[0].startswith("+"):
                return True
    return False


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
        measure = tail[0] if tail and tail[0].lower() in MEASURES else None
        money = (
            tail[0].lower()
            if tail and tail[0].lower() in ("yuan", "renminbi", "dollars", "euros")
            else None
        )
        if money and not m["cur"] and not m["pct"]:
            tail = tail[1:]
        if m["pct"]:
            unit = "percent"
        elif m["cur"]:
            unit = CURRENCIES[m["cur"].strip().lower()]
        elif money:
            unit = {"yuan": "CNY", "renminbi": "CNY", "dollars": "USD", "euros": "EUR"}[money]
        elif measure:
            unit = measure
            tail = [] if len(tail) == 1 else tail
        elif tail:
            plural = [w for w in tail if re.fullmatch(r"[a-z-]+s", w.lower())]
            unit = (plural or tail)[-1].lower()
        else:
            counted = re.search(r"number of (\w+)", re.split(r"[.;:,()]", text[: m.start()])[-1])
            unit = counted[1] if counted else (before.split() or ["units"])[-1].lower()
        if m["pct"] and tail and tail[0].lower() in FALLS:
            value = -value
        metric = " ".join(tail) or noun_phrase(before)
        if measure and metric and not tail:
            metric = f"{metric} in {measure}"
        found.append(Mention(value, unit, metric or unit, comparator, m.start(), m.end(), m[0]))
    return found


def _before_words(before: str) -> str:
    """The clause before a number that has no noun after it ('the number of X ... to 45,000'),
    without the comparator or verb right before the number."""
    sentence = re.split(r"[.;:()]", before)[-1]
    aux = r"\s+(?:is|are|will|shall|should|must)\b"
    subject = (
        re.search(rf"^(.*\S){aux}", sentence) if re.search(aux, sentence.split(",")[-1]) else None
    )
    if subject:  # 'X, Y and Z is to grow by': the subject, without a leading 'By 2027,'
        clause = re.sub(
            r"^\s*(?:by|in|over|during|from|until)\b[^,]*,\s*", "", subject[1], flags=re.I
        )
    else:
        clause = sentence.split(",")[-1]
    clause = clause.strip()
    phrases = "|".join(re.escape(p) for p, _ in BEFORE)
    verbs = r"to|of|at|by|reach|reaching|increase|raise|with|the|top"
    while True:
        cut = re.sub(rf"\b(?:{phrases}|{verbs})\s*$", "", clause, flags=re.I).strip()
        if cut == clause:
            break
        clause = cut
    return clause


def noun_phrase(words: str) -> str:
    """The noun phrase of a clause before a number: 'Increase the number of enterprises that
    have categorised data to' → 'number of enterprises'; 'raise computing power' → 'computing
    power'."""
    verbs = "|".join(sorted(VERBS - STOP - PRONOUNS - {"is", "are", "will", "should", "must"}))
    words = re.split(rf"\b(?:and|or)\s+(?:{verbs})\b", words, flags=re.I)[-1]
    counted = re.search(r"(?:\b([\w-]+) )?\b(number|share|proportion|penetration|scale|rate|value)"
                        r" of ([\w&' -]+?)(?= that| which| who| with| to | by |$)", words)  # fmt: skip
    if counted:
        head = counted[1] if counted[1] and counted[1].lower() not in VERBS | STOP else ""
        return f"{head} {counted[2]} of {counted[3].strip()}".strip()
    words = re.split(r"\b(?:at|for|with|to|targets?|goals?) (?:a |an |the )?(?=\w)", words)[-1]
    words = re.sub(r"\s+(?:targets?|goals?)(?:\s+of)?\s*$", "", words)
    kept = words.split()
    while kept and kept[0].lower() in VERBS | STOP | PRONOUNS:
        kept = kept[1:]
    while kept and kept[-1].lower() in VERBS | STOP:
        kept = kept[:-1]
    cut = next((i for i, w in enumerate(kept) if w.lower() in ("that", "which", "who")), len(kept))
    return " ".join(kept[:cut][-16:])


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


@dataclass
class When:
    """A time a target is tied to, where it stands in the text: a deadline or a period."""

    start: int
    end: int
    deadline: int | None = None
    period: tuple[int, int] | None = None
    weak: bool = False  # 'in 2024', 'for 2024': a target's time only beside a target word


FIVE_YEAR = re.compile(r"\b(\d{1,2})(?:st|nd|rd|th) Five-Year Plan(?: period)?", re.I)
TIMES = re.compile(
    r"\b(?:by|before|until|no later than) (?:the end of |the middle of |(?:end|mid|year-end)-|"
    r"the year )?(?P<by>(?:19|20)\d\d)\b"
    r"|\b(?:over|from|during|in|for|between) (?:the period )?(?P<a>20\d\d) ?(?:-|–|—|to|and) ?(?P<b>20\d\d)\b"
    r"|\b(?P<a2>20\d\d) ?(?:-|–|—) ?(?P<b2>20\d\d)\b"
    r"|\btargets? for (?P<for>20\d\d)\b"
    r"|\b(?:in|for) (?P<in>20\d\d)\b",
    re.I,
)
CUE = re.compile(r"\b(aims?|aiming|targets?|goals?|objectives?|strives?|seeks?|will|shall|is to|"
                 r"are to|plans? to|should|must|expected to|sets?|calls? for|envisages?)\b", re.I)  # fmt: skip


def times(text: str) -> list[When]:
    """Every deadline or period stated in ``text``, in order."""
    out = []
    for m in FIVE_YEAR.finditer(text):
        n = int(m[1])
        start = 1953 + 5 * (n - 1) + (3 if n >= 3 else 0)  # the plans paused in 1963-65
        out.append(When(m.start(), m.end(), period=(start, start + 4)))
    for m in TIMES.finditer(text):
        if any(w.start <= m.start() < w.end for w in out):
            continue
        if m["by"] or m["for"]:
            out.append(When(m.start(), m.end(), deadline=int(m["by"] or m["for"])))
        elif m["a"] or m["a2"]:
            a, b = int(m["a"] or m["a2"]), int(m["b"] or m["b2"])
            if a <= b:
                out.append(When(m.start(), m.end(), period=(a, b)))
        else:
            out.append(When(m.start(), m.end(), deadline=int(m["in"]), weak=True))
    return sorted(out, key=lambda w: w.start)


def sentence_at(text: str, pos: int) -> tuple[int, int]:
    """The bounds of the sentence around ``pos``."""
    starts = [0] + [
        m.end() for m in re.finditer(r"[.;!?。；！？](?=\s+[A-Z(“\"]|\s*$)|[。；！？]", text)
    ]
    start = max(s for s in starts if s <= pos)
    end = min([s for s in starts if s > pos] + [len(text)])
    return start, end


def when(text: str, start: int, end: int, since: int | None = None) -> When | None:
    """The deadline or period of the number at ``start:end`` of ``text``: the one stated in its
    own clause, else the nearest before it in its sentence, else the first after it there.
    'in 2024' counts only in a sentence with a target word; a year before ``since`` is a
    past year, never a deadline."""
    lo, hi = sentence_at(text, start)
    sentence = text[lo:hi]
    found = [w for w in times(sentence) if not (w.start <= start - lo < w.end)]
    cue = CUE.search(sentence) is not None
    found = [w for w in found if (cue or not w.weak) and not _past(w, since)]
    if not found:
        return None
    clause = [
        w
        for w in found
        if not re.search(r"[,;]| and ", _between(sentence, w, start - lo, end - lo))
    ]
    after = [w for w in clause if w.start >= end - lo]
    before = [w for w in found if w.end <= start - lo]
    return (
        (after or clause or before or found)[0]
        if after or clause
        else (before[-1] if before else found[0])
    )


def _between(sentence: str, w: When, start: int, end: int) -> str:
    return sentence[w.end : start] if w.end <= start else sentence[end : w.start]


def _past(w: When, since: int | None) -> bool:
    last = w.deadline or (w.period[1] if w.period else None)
    return bool(since and last and last < since)
