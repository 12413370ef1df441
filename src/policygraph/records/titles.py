"""Official Chinese policy titles: what they say about who issued what.

Titles follow set patterns: ``{bodies}[等N部门]关于{action}《{inner title}》的{type}``, with
forwarding (转发, 批转) by a superior body. The parser extracts the bodies named, the declared
count, the action, the inner title and the document type; name resolution relies on it.

>>> t = parse_title("工业和信息化部等十二部门关于印发《工业互联网标识解析体系“贯通”行动计划（2024-2026年）》的通知")
>>> t.bodies, t.count, t.action, t.doc_type
(['工业和信息化部'], 12, '印发', '通知')
>>> t.inner_title
'工业互联网标识解析体系“贯通”行动计划（2024-2026年）'
>>> parse_title("两部门关于公布“宽带网络+健康乡村”入围应用试点项目（第一批）的通知").count
2
>>> unbalanced("关于印发《某方案（2024年》的通知")
'（ at 8 is closed by 》 at 14'
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

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

DIGITS = {
    "零": 0,
    "〇": 0,
    "一": 1,
    "二": 2,
    "两": 2,
    "三": 3,
    "四": 4,
    "五": 5,
    "六": 6,
    "七": 7,
    "八": 8,
    "九": 9,
}

ACTIONS = ("印发", "转发", "批转", "公布", "发布", "实施", "开展", "推进", "加强", "加快", "做好")
FORWARDING = ("批转", "转发")  # 批转 first: 批转发展改革委 holds 转发 too
DOC_TYPES = (
    "实施方案", "行动计划", "通知", "意见", "方案", "规划", "计划", "办法", "指引", "指南",
    "决定", "条例", "规定", "细则", "通告", "公告", "批复", "纲要", "目录", "清单", "名单",
    "函", "法",
)  # fmt: skip
COUNT = re.compile(r"(?:等)?([零〇一二两三四五六七八九十百\d]+)(?:个)?(?:部门|部委|单位)$")
SEPARATORS = re.compile(r"[、，,\s]+")


@dataclass
class TitleParts:
    """What an official title says: bodies named (in order), declared count, action, types."""

    title: str
    bodies: list[str] = field(default_factory=list)
    count: int | None = None
    action: str | None = None
    forwarded_bodies: list[str] = field(default_factory=list)
    inner_title: str | None = None
    doc_type: str | None = None
    inner_doc_type: str | None = None

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


def _strip_parenthetical(text: str) -> str:
    return re.sub(r"[（(][^（）()]*[）)]$", "", text)


def _doc_type(text: str) -> str | None:
    text = _strip_parenthetical(text)
    return next((t for t in DOC_TYPES if text.endswith(t)), None)


def _split_bodies(prefix: str) -> tuple[list[str], int | None]:
    """Split the part before 关于 into named bodies and a declared count."""
    count = None
    m = COUNT.search(prefix)
    if m:
        count = chinese_number(m.group(1))
        prefix = prefix[: m.start()]
    prefix = re.sub(r"等(部门|部委|单位)?$", "", prefix.strip())
    bodies = [b for b in SEPARATORS.split(prefix) if b]
    return bodies, count


def parse_title(title: str) -> TitleParts:
    """Parse an official Chinese title; parts it cannot find are left empty."""
    spaced = re.sub(r"\s+", " ", title).strip()
    text = spaced.replace(" ", "")
    parts = TitleParts(title=text)
    inner = re.search(r"《(.+)》", text)
    if inner:
        parts.inner_title = inner.group(1)
        parts.inner_doc_type = _doc_type(inner.group(1))
    parts.doc_type = _doc_type(text) or parts.inner_doc_type

    # bodies are separated by spaces or 、 before 关于; elsewhere spaces are line-break debris
    head, sep, rest = spaced.partition("关于")
    if sep and head.count("《") > head.count(
        "》"
    ):  # 印发《关于…的意见》: 关于 is the inner title's
        head, sep, rest = "", "", spaced
    if not sep:
        head, rest = "", spaced
        m = re.match(rf"^(.+?)({'|'.join(ACTIONS)})《", spaced)
        if m:
            head, rest = m.group(1), spaced[len(m.group(1)) :]
    rest = rest.replace(" ", "")
    for verb in FORWARDING:
        if verb in head:
            head, _, forwarded = head.partition(verb)
            parts.action = verb
            parts.forwarded_bodies, _ = _split_bodies(forwarded)
            break
    parts.bodies, parts.count = _split_bodies(head)
    if parts.action is None:
        parts.action = next((a for a in ACTIONS if rest.startswith(a)), None)
    return parts
