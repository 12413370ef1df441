"""Official Chinese policy titles: what they say about who issued what.

Titles follow set patterns: ``[number][status]{bodies}[等N部门][关于]{verb}{forwarded
bodies}[关于…|《…》]的{type}``. The parser reads the bodies named (as written), the declared
count, the action, a forwarded document (转发, 批转, 印发 of another body's document), the inner
title, the document type, a leading document number and a status tag. It only scans and uses
bounded regular expressions, so untrusted text of any length parses in linear time.

>>> t = parse_title("工业和信息化部等十二部门关于印发《工业互联网标识解析体系“贯通”行动计划（2024-2026年）》的通知")
>>> t.bodies, t.count, t.action, t.doc_type
(['工业和信息化部'], 12, '印发', '通知')
>>> t.inner_title
'工业互联网标识解析体系“贯通”行动计划（2024-2026年）'
>>> parse_title("两部门关于公布“宽带网络+健康乡村”入围应用试点项目（第一批）的通知").count
2
>>> f = parse_title("国务院办公厅转发国家发展改革委 国家能源局关于促进新时代新能源高质量发展实施方案的通知")
>>> f.issuers, f.action, f.forwarded.bodies, f.forwarded.title
(['国务院办公厅'], '转发', ['国家发展改革委', '国家能源局'], '关于促进新时代新能源高质量发展实施方案')
>>> unbalanced("关于印发《某方案（2024年》的通知")
'（ at 8 is closed by 》 at 14'
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from policygraph.records.docnumbers import issuer_from_number

__all__ = ["TitleParts", "chinese_number", "issuer_from_number", "parse_title", "unbalanced"]

PAIRS = {
    "（": "）",
    "(": ")",
    "《": "》",
    "〈": "〉",
    "“": "”",
    "‘": "’",
    "〔": "〕",
    "【": "】",
    "[": "]",
}
CLOSERS = {v: k for k, v in PAIRS.items()}
DIGITS = dict(zip("零〇一二两三四五六七八九", (0, 0, 1, 2, 2, 3, 4, 5, 6, 7, 8, 9), strict=True))

ACTIONS = ("印发", "转发", "批转", "公布", "发布", "实施", "开展", "推进", "加强", "加快", "做好")
FORWARDING = ("批转", "转发", "印发")  # 批转 first: 批转发展改革委 holds 转发 too
#: where the bodies named at a title's head end
HEAD_ENDS = ("关于", "《", "联合发布", "联合印发", "联合公布", "发布《", "公布《", *FORWARDING)  # fmt: skip
DOC_TYPES = (
    "实施方案", "行动计划", "通知", "意见", "方案", "规划", "计划", "办法", "指引", "指南",
    "决定", "条例", "规定", "细则", "通告", "公告", "批复", "复函", "纲要", "目录", "清单", "名单",
    "报告", "决议", "要点", "措施", "规则", "准则", "名录", "解释", "函", "法", "令",
)  # fmt: skip
#: how the names of bodies end (offices, committees, governments, joint mechanisms)
BODY_ENDS = (
    "部", "委", "局", "署", "院", "厅", "办", "室", "行", "会", "司", "社", "处", "中心", "中央",
    "党组", "政府", "机制", "小组", "联", "公司", "集团", "军委", "总台", "网站", "台", "所",
)  # fmt: skip
STATUS_WORDS = ("有效", "失效", "废止", "修订", "修改", "作废", "现行", "试行")
MAX_TITLE = 2000  # longer text is not a title: parsed as none, in constant time
MAX_NAME = 40
COUNT = re.compile(  # 等十二部门, 两部门, 等8部门办公厅（室）
    r"(?:等)?([零〇一二两三四五六七八九十百\d]{1,4})个?(?:部门|部委|单位)(?:办公厅|办公室)?(?:[（(]室[）)])?$"
)
SEPARATORS = re.compile(r"[、，,\s]+")
NUMBER = re.compile(  # 发改经体〔2016〕2120号, 国令第843号, at the start of a title
    r"([\u4e00-\u9fff]{1,20}?)\s?(?:[〔﹝\[【(（]\s?\d{4}\s?[〕﹞\]】)）]\s?|令\s?第\s?)\d{1,6}\s?号[\s:：]*"
)
NOTICE = re.compile(  # 公告2014年第30号, 公告〔2025〕第29号, 令第5号: a body's numbered notice
    r"(公告|通告|令)\s?[（(]?((?:[〔\[]\d{4}[〕\]]|(?:\d{4}|[〇零一二三四五六七八九]{4})\s?年)?\s?第?"
    r"\s?[\d〇零一二三四五六七八九十百]{1,8}\s?号)[）)]?"
)
Known = Callable[[str], object] | Iterable[str] | None


@dataclass
class TitleParts:
    """What an official title says: bodies named (in order), declared count, action, types.

    ``forwarded`` is the document forwarded (转发/批转) or issued on another body's behalf
    (印发), with its own bodies, count and title (``关于…的意见``).
    """

    title: str
    bodies: list[str] = field(default_factory=list)
    count: int | None = None
    action: str | None = None
    forwarded_bodies: list[str] = field(default_factory=list)
    inner_title: str | None = None
    doc_type: str | None = None
    inner_doc_type: str | None = None
    forwarded: TitleParts | None = None
    number: str | None = None
    status: str | None = None

    @property
    def issuers(self) -> list[str]:
        """The bodies that issue this document (the forwarding body, where one forwards)."""
        return self.bodies

    @property
    def lead(self) -> str | None:
        """The first body named: the lead issuer (the forwarding body, where there is one)."""
        return self.bodies[0] if self.bodies else None


def chinese_number(text: str) -> int | None:
    """``十二`` → 12, ``两`` → 2, ``二十三`` → 23, ``7`` → 7; None if it is not a number.

    >>> [chinese_number(s) for s in ("十", "十二", "二十", "两", "一百零五", "12", "多")]
    [10, 12, 20, 2, 105, 12, None]
    """
    if text.isdecimal():  # not isdigit: "²" is a digit int() refuses
        return int(text)
    total, current = 0, 0
    for ch in text:
        if ch in DIGITS:
            current = DIGITS[ch]
        elif ch == "十":
            total += (current or 1) * 10
            current = 0
        elif ch == "百":
            total += (current or 1) * 100
            current = 0
        else:
            return None
    return total + current if text else None


def unbalanced(title: str) -> str | None:
    """Describe the first unmatched bracket or quote in ``title``, or None if all match."""
    stack: list[tuple[str, int]] = []
    for i, ch in enumerate(title):
        if ch in PAIRS:
            stack.append((ch, i))
        elif ch in CLOSERS:
            if not stack:
                return f"{ch} at {i} has no opening {CLOSERS[ch]}"
            opener, at = stack.pop()
            if PAIRS[opener] != ch:
                return f"{opener} at {at} is closed by {ch} at {i}"
    if stack:
        opener, at = stack[-1]
        return f"{opener} at {at} is never closed"
    return None


def _depths(text: str) -> list[int]:
    """The bracket depth before each character (and after the last); strays never go below 0."""
    out, depth = [], 0
    for ch in text:
        out.append(depth)
        depth = depth + 1 if ch in PAIRS else max(depth - 1, 0) if ch in CLOSERS else depth
    out.append(depth)
    return out


def _find_top(text: str, depths: list[int], needles: Iterable[str], start: int = 0) -> int:
    """Where the first of ``needles`` occurs outside brackets from ``start``; -1 if nowhere."""
    best = -1
    for needle in needles:
        i = text.find(needle, start)
        while i >= 0 and depths[i] and (best < 0 or i < best):
            i = text.find(needle, i + 1)
        if i >= 0 and not depths[i] and (best < 0 or i < best):
            best = i
    return best


def _closing(depths: list[int], at: int) -> int:
    """The index of the bracket closing the one opened at ``at``; -1 if it is never closed."""
    return next((k for k in range(at + 1, len(depths) - 1) if depths[k + 1] == depths[at]), -1)


def _strip_tail(text: str) -> str:
    """Without a last parenthetical: ``…办法（试行）`` → ``…办法``."""
    if text[-1:] in "）)":
        i = max(text.rfind("（"), text.rfind("("))
        return text[:i] if i >= 0 else text
    return text


def _doc_type(text: str) -> str | None:
    text = _strip_tail(text)
    return next((t for t in DOC_TYPES if text.endswith(t)), None)


def _status(text: str) -> tuple[str, str | None]:
    """A status tag (``[有效]``, ``【失效】``, ``（已废止）``) at either end, taken off."""
    for opener, closer in (("[", "]"), ("【", "】"), ("（", "）"), ("(", ")")):
        if text.startswith(opener) and closer in text[:12]:
            tag = text[1 : text.index(closer)]
            if any(w in tag for w in STATUS_WORDS):
                return text[len(tag) + 2 :].strip(), tag
        if text.endswith(closer) and opener in text[-12:]:
            tag = text[text.rindex(opener) + 1 : -1]
            if any(w in tag for w in STATUS_WORDS) and not re.search(r"\d", tag):
                return text[: -len(tag) - 2].strip(), tag
    return text, None


def _known(known: Known) -> Callable[[str], object] | None:
    if known is None or callable(known):
        return known
    names = frozenset(known)
    return names.__contains__


def _split_run(run: str, known: Callable[[str], object] | None) -> list[str]:
    """``国家发展改革委国家能源局`` → the two, by longest known names left to right."""
    if known is None or known(run):
        return [run]
    out, i = [], 0
    while i < len(run):
        j = next((j for j in range(min(len(run), i + MAX_NAME), i + 1, -1) if known(run[i:j])), 0)
        if not j:
            return [run]  # not all known: the run stays one body
        out.append(run[i:j])
        i = j
    return out


def _bodies(head: str, known: Callable[[str], object] | None) -> tuple[list[str], int | None]:
    """The bodies and declared count of a run like ``A、B等N部门``; [] unless all look like bodies."""
    head = head.strip(" 、，,")
    if len(head) > 400:
        return [], None
    count = None
    m = COUNT.search(head[-20:])
    office = ""
    if m:
        count = chinese_number(m.group(1))
        head = head[: len(head) - len(m.group(0))]
        office = "办公室" if "办公室" in m.group(0) else "办公厅" if "办公" in m.group(0) else ""
    head = re.sub(r"等(?:部门|部委|单位)?$", "", head.strip(" 、，,"))
    bodies = [b for run in SEPARATORS.split(head) if run for b in _split_run(run, known)]
    bodies = [b + office for b in bodies]  # 商务部等8部门办公厅: the offices of the bodies
    if not all((known and known(b)) or b.endswith(BODY_ENDS) for b in bodies):
        return [], count
    return bodies, count


def _forwarded(text: str, depths: list[int], at: int, verb: str, known) -> TitleParts | None:
    """The document that ``verb`` (at ``at``) forwards or issues: its bodies, count and title."""
    start = at + len(verb)
    end = _find_top(text, depths, ("关于", "《", "“"), start)
    if end < 0:  # 转发教育部等部门“十四五”…: the bodies end at 等部门
        end = _find_top(text, depths, ("部门",), start)
        end = end + 2 if end > start else -1
    bodies, count = _bodies(text[start:end], known) if end > start else ([], None)
    if end > start and not bodies and count is None:
        return None  # 印发2024年工作要点: not another body's document
    if end < 0:
        if verb == "印发":
            return None
        end = start
    doc = text[end:]
    for tail in ("的通知", "的函", "的批复"):
        doc = doc.removesuffix(tail)
    if verb == "印发" and not bodies:
        return None  # 印发《…》: the issuer's own document
    if doc.startswith("《"):
        close = _closing(depths[end:], 0)
        doc = doc[1 : close if close > 0 else len(doc)]
    return TitleParts(title=doc, bodies=bodies, count=count, doc_type=_doc_type(doc))


def parse_title(title: str, known: Known = None) -> TitleParts:
    """Parse an official Chinese title; parts it cannot find are left empty.

    ``known`` (names, or a test such as a registry's lookup) splits runs of bodies written with
    no separator; without it such a run stays one body.

    >>> parse_title("国家发展改革委国家能源局关于印发某方案的通知", {"国家发展改革委", "国家能源局"}).bodies
    ['国家发展改革委', '国家能源局']
    >>> t = parse_title("[有效]发改经体〔2016〕2120号《关于某项工作的意见》")
    >>> t.number, t.status, t.doc_type
    ('发改经体〔2016〕2120号', '有效', '意见')
    """
    if len(title) > MAX_TITLE:
        return TitleParts(title=title)
    known = _known(known)
    spaced = re.sub(r"\s+", " ", title).strip()
    spaced, status = _status(spaced)
    notice = NOTICE.search(spaced)
    bodies, count = _bodies(spaced[: notice.start()], known) if notice else ([], None)
    if bodies:  # 海关总署公告2014年第30号（关于…）, 国家发展和改革委员会令第10号
        subject = spaced[notice.end() :].strip(" （()）").replace(" ", "")
        subject = subject[1:-1] if subject[:1] == "《" and subject[-1:] == "》" else subject
        return TitleParts(title=spaced.replace(" ", ""), bodies=bodies, count=count,
                          doc_type=notice[1], number=notice[2].replace(" ", ""), status=status,
                          inner_title=subject or None)  # fmt: skip
    number = None
    tail = re.search(r"[（(]([^（）()]{4,30})[）)]$", spaced[-34:])
    if tail and NUMBER.fullmatch(tail[1]):  # …的通知（国发〔2016〕5号）
        number, spaced = tail[1], spaced[: len(spaced) - len(tail[0])].strip()
    m = NUMBER.match(spaced)
    if m and number is None:
        number = m.group(0).strip(" :：")
        spaced = spaced[m.end() :]
        if spaced.startswith("《") and spaced.endswith("》") and unbalanced(spaced[1:-1]) is None:
            spaced = spaced[1:-1]
        spaced, status = _status(spaced) if status is None else (spaced, status)
    parts = TitleParts(title=spaced.replace(" ", ""), number=number, status=status)
    depths = _depths(spaced)
    at = _find_top(spaced, depths, HEAD_ENDS)
    head = spaced[:at] if at >= 0 else ""
    if at < 0:  # 工业和信息化部公告, 国家林业和草原局公告（…）, 中华人民共和国国务院令
        i = _find_top(spaced, depths, ("公告", "通告"))
        head = spaced[:i] if i > 0 else spaced[:-1] if spaced.endswith("令") else ""
    if "对" in head[1:]:  # 国务院对X关于…的批复: the reply is the first body's
        mine = _bodies(head[: head.index("对", 1)], known)
        head = head[: head.index("对", 1)] if mine[0] else head
    parts.bodies, parts.count = _bodies(head, known)
    pos = max(at, 0)
    if spaced.startswith(("关于", "联合"), pos):
        pos += 2
    parts.action = next((a for a in ACTIONS if spaced.startswith(a, pos)), None)
    verb = next((v for v in FORWARDING if spaced.startswith(v, pos)), None)
    if verb:
        parts.forwarded = _forwarded(spaced, depths, pos, verb, known)
        if parts.forwarded:
            parts.forwarded_bodies = parts.forwarded.bodies
    first = _find_top(spaced, depths, ("《",), pos)
    if first >= 0:
        close = _closing(depths, first)
        inner = spaced[first + 1 : close if close > 0 else len(spaced)].replace(" ", "")
        parts.inner_title, parts.inner_doc_type = inner, _doc_type(inner)
    parts.doc_type = _doc_type(parts.title) or parts.inner_doc_type
    return parts
