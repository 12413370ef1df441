"""A Chinese-language brief → policies and events: items headed 一、, （一）, 1. or 【…】, dates such as
2024年3月12日 (or 3月12日 in a brief of known year), bodies named in Chinese, documents in
《…》 issued with 印发/发布/出台, and targets such as 到2027年…不少于10家.

>>> [(m.value, m.unit, m.comparator, m.metric) for m in zh_mentions("培育不少于10家领军企业，规模超过300亿元")]
[(Decimal('10'), '家', '>=', '领军企业'), (Decimal('30000000000'), 'CNY', '>', '规模')]
>>> [(w.deadline, w.period) for w in zh_times("到2027年，“十五五”期间，2024—2026年")]
[(2027, None), (None, (2026, 2030)), (None, (2024, 2026))]
"""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal

from policygraph.ingest.quantities import Mention, When
from policygraph.ingest.segment import Line, Part, Segments, lines_of

HEADING = re.compile(
    r"^\s*(?:([一二三四五六七八九十]{1,3})[、.．]|（[一二三四五六七八九十]{1,3}）|【([^】]{1,60})】"
    r"|(\d{1,2})(?:[、．）)]|\.(?=\s)))\s*(.*)$"
)
FIELDS = {"原文链接": "url", "原文": "url", "链接": "url", "来源": "url", "发布日期": "date",
          "日期": "date", "发文机关": "issuers", "发布机构": "issuers", "点评": "comment",
          "评论": "comment", "分析": "comment"}  # fmt: skip
FIELD = re.compile(r"^\s*(" + "|".join(sorted(FIELDS, key=len, reverse=True)) + r")\s*[：:]\s*")
ZH_NUMBER = re.compile(
    r"(?P<before>不少于|不低于|至少|超过|超|高于|突破|不超过|不高于|约|大约|达到|达)?"
    r"(?P<num>\d+(?:\.\d+)?|(?<![\d一二三四五六七八九十])[百千万](?=[项家个所座条人]))"
    r"(?P<scale>万亿|亿|万|千)?(?P<unit>%|元|美元|家|个|项|户|人次|人|所|座|条|吨|千瓦|台|辆|部)?"
    r"(?P<after>以上|以内|以下|左右)?"
)
BEFORE = {"不少于": ">=", "不低于": ">=", "至少": ">=", "超过": ">", "超": ">", "高于": ">",
          "突破": ">", "不超过": "<=", "不高于": "<=", "约": "~", "大约": "~"}  # fmt: skip
AFTER = {"以上": ">=", "以内": "<=", "以下": "<=", "左右": "~"}
SCALES = {"万亿": 10**12, "亿": 10**8, "万": 10**4, "千": 10**3}
ISSUE = re.compile(r"(印发|发布|出台|公布|联合印发|联合发布)(?:了)?[^。；]{0,12}?《([^》]{2,80})》")
ZH_CUE = re.compile(
    r"提出|目标|力争|确保|到20\d\d年|达到|降低|提高|提升|超过|不少于|培育|建设|打造"
)
KINDS = [("会议", "meeting"), ("召开", "meeting"), ("批准", "approval"), ("获批", "approval"),
         ("核准", "approval"), ("发布会", "product-launch"), ("推出", "product-launch"),
         ("亮相", "product-launch"), ("成立", "investment"), ("投资", "investment"),
         ("注资", "investment"), ("出售", "divestment"), ("退出", "divestment"),
         ("数据显示", "statistic"), ("同比", "statistic"), ("报告", "report")]  # fmt: skip
COMPANY = re.compile(r"[\u4e00-\u9fff（）]{2,30}?(?:股份有限公司|有限责任公司|有限公司|集团)")
BODY_ZH = re.compile(
    r"(?<![\u4e00-\u9fff])[\u4e00-\u9fff]{2,14}?(?:部|委员会|委|总局|局|署|办公厅|办公室|银行)(?![\u4e00-\u9fff]{0,1}(?:门|长))"
)


def is_chinese(text: str) -> bool:
    """Mostly Chinese: more CJK characters than Latin letters."""
    sample = text[:5000]
    cjk = len(re.findall(r"[\u4e00-\u9fff]", sample))
    return cjk > len(re.findall(r"[A-Za-z]", sample))


def zh_value(m: re.Match) -> Decimal:
    num = m["num"]
    value = (
        Decimal({"百": 100, "千": 1000, "万": 10000}.get(num, 0))
        if not num[0].isdigit()
        else Decimal(num)
    )
    return value * SCALES[m["scale"]] if m["scale"] else value


def zh_mentions(text: str) -> list[Mention]:
    """Every quantity in Chinese ``text``: value, unit, comparator and the noun it counts."""
    out: list[Mention] = []
    for m in ZH_NUMBER.finditer(text):
        start, end = m.start("num"), m.end()
        if not (m["unit"] or m["scale"]) or re.match(
            r"\s*(年|月|日|号|期|批|次会议)", text[m.end("num") :]
        ):
            continue  # a bare number, a year or a date: not a quantity
        if m["unit"] in ("元", "美元") and not m["scale"] and not m["unit"]:
            continue
        unit = {"%": "percent", "元": "CNY", "美元": "USD"}.get(
            m["unit"] or "", m["unit"] or "units"
        )
        comparator = BEFORE.get(m["before"] or "", AFTER.get(m["after"] or "", "="))
        after = re.match(r"[\u4e00-\u9fff]{1,12}?(?=[，。；、,;（(和与及]|$)", text[m.end() :])
        clause = re.split(r"[，。；、,;：:]", text[: m.start()])[-1]
        subject = re.sub(
            r"(分别|同比|比2\d{3}年|较2\d{3}年)?(降低|减少|下降|提高|提升|增长|增加|达到|达|超过|不少于|为|培育|建设|打造|形成|新增|约)+$",
            "",
            clause,
        )
        subject = re.sub(r"^(提出|明确|力争|确保)?(到|至)?20\d\d年(底|前|末)?", "", subject)
        noun = (
            after[0]
            if after and unit not in ("percent", "CNY", "USD") and after[0][-1] not in "的"
            else ""
        )
        if not subject and out and text[m.start() - 1 : m.start()] == "、":
            subject = out[-1].metric  # 分别降低2.5%左右、3.9%左右: the same metric
        out.append(
            Mention(zh_value(m), unit, noun or subject or unit, comparator, start, end, m[0])
        )
    return out


def zh_times(text: str) -> list[When]:
    out = []
    for m in re.finditer(r"[“\"]?十([四五六])五[”\"]?(?:期间|时期|末|规划)", text):
        n = {"四": 14, "五": 15, "六": 16}[m[1]]
        start = 1953 + 5 * (n - 1) + 3
        out.append(When(m.start(), m.end(), period=(start, start + 4)))
    for m in re.finditer(r"(20\d\d)\s*[—–-]+\s*(20\d\d)年", text):
        out.append(When(m.start(), m.end(), period=(int(m[1]), int(m[2]))))
    for m in re.finditer(r"(?:到|至|截至)(20\d\d)年(?:底|末)?|(20\d\d)年(?:底|末)?前", text):
        out.append(When(m.start(), m.end(), deadline=int(m[1] or m[2])))
    for m in re.finditer(r"(?:^|[。；，])\s*(20\d\d)年[，,]", text):
        if not any(w.start <= m.start(1) < w.end for w in out):
            out.append(When(m.start(1), m.end(), deadline=int(m[1]), weak=True))
    return sorted(out, key=lambda w: w.start)


def zh_when(text: str, start: int, since: int | None) -> When | None:
    """The deadline of the number at ``start``: the nearest stated before it in its sentence
    (a bare '2024年，' only beside a target word), never a past year."""
    lo = max([text.rfind(p, 0, start) for p in "。；"] + [-1]) + 1
    hi = min([i for i in (text.find(p, start) for p in "。；") if i >= 0] + [len(text)])
    sentence = text[lo:hi]
    found = [w for w in zh_times(sentence) if w.start < start - lo]
    found = [w for w in found if not w.weak or ZH_CUE.search(sentence)]
    found = [w for w in found if not since or (w.deadline or w.period[1]) >= since]
    if found:
        return found[-1]
    later = [w for w in zh_times(sentence) if w.start >= start - lo and not w.weak]
    return later[0] if later else None


def zh_date(text: str, year: int | None) -> dt.date | None:
    m = re.search(r"(?:(\d{4})年)?(\d{1,2})月(\d{1,2})日", text)
    if not m or not (m[1] or year):
        return None
    try:
        return dt.date(int(m[1] or year), int(m[2]), int(m[3]))
    except ValueError:
        return None


def zh_segments(text: str) -> tuple[list[dict], Segments]:
    """The items of a Chinese brief: each a heading, body lines and labelled fields."""
    seg, items = Segments(), []
    current: dict | None = None
    for ln in lines_of(text):
        if not ln.text.strip():
            continue
        h = HEADING.match(ln.text)
        if h and (h[4] or h[2]):
            headline = Part([ln], skip=h.start(4) if h[4] else h.start(2))
            current = {
                "headline": headline,
                "body": [],
                "fields": {},
                "tag": h[2] if h[4] else None,
            }
            items.append(current)
        elif current is None:
            if seg.title is None:
                seg.title = ln.text.strip()
            else:
                seg.unplaced.append(ln)
        elif f := FIELD.match(ln.text):
            current["fields"].setdefault(FIELDS[f[1]], Part([ln], skip=f.end()))
        else:
            current["body"].append(ln)
    return items, seg


def body_part(lines: list[Line]) -> Part | None:
    return Part(list(lines)) if lines else None
