"""Lists of official documents (CSV or XLSX) → a draft source file.

Each row is one policy: its Chinese title, date, document number (发文字号) and link, with
issuers from a column where there is one and from the title where there is not. Document
numbers such as 国办发〔2023〕12号 are split into the issuing body's prefix, year and serial,
which also give the policy a stable id. Bodies that no longer exist (国家计委, 国家经贸委) resolve
to their historical registry entries; the review notes name their successors.

>>> parse_number("国办发〔2023〕12号")
DocNumber(prefix='国办发', year=2023, serial=12)
>>> parse_number("工信部联规[2023]258号"), parse_number("no number")
(DocNumber(prefix='工信部联规', year=2023, serial=258), None)
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from collections import Counter
from dataclasses import dataclass

from policygraph.ingest.briefs import chinese_quotes, doc_type
from policygraph.ingest.drafts import Draft, Note
from policygraph.records.registry import Registry
from policygraph.records.titles import parse_title

NUMBER = re.compile(r"^\s*(?P<prefix>[^\s〔\[【（(\d]+?)\s*[〔\[【（(]\s*(?P<year>\d{4})\s*[〕\]】）)]\s*"
                    r"(?P<serial>\d+)\s*号?\s*$")  # fmt: skip
#: the columns looked for when none is named, by what they hold
COLUMNS = {
    "title": ("title_zh", "title", "标题", "文件名称", "名称", "题名"),
    "date": ("date", "issued", "发布日期", "成文日期", "日期", "发文日期"),
    "number": ("number", "document number", "发文字号", "文号"),
    "url": ("url", "link", "链接", "网址"),
    "issuers": ("issuers", "发文机关", "发布机构", "发文单位"),
    "title_en": ("title_en", "english title", "英文标题"),
}


#: document-number prefixes that name their issuer, for titles that name none (批复, 条例)
PREFIXES = {"国发": "SC", "国函": "SC", "国令": "SC", "国办发": "GOSC", "国办函": "GOSC",
            "工信部": "MIIT", "发改": "NDRC", "计": "SDPC", "财": "MOF", "国科发": "MOST",
            "教": "MOE", "人社部": "MOHRSS", "商": "MOFCOM", "银发": "PBC", "国知发": "CNIPA",
            "环发": "MEP", "卫": "MOH", "信部": "MII"}  # fmt: skip


@dataclass(frozen=True)
class DocNumber:
    prefix: str
    year: int
    serial: int


def parse_number(text: str) -> DocNumber | None:
    """A document number's issuing-body prefix, year and serial; None if it is not one."""
    m = NUMBER.match(text or "")
    return DocNumber(m["prefix"], int(m["year"]), int(m["serial"])) if m else None


def parse_date(text: str) -> dt.date | None:
    """2023-03-01, 2023/3/1, 2023.3.1 or 2023年3月1日."""
    m = re.match(r"^\s*(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?", text or "")
    if not m:
        return None
    try:
        return dt.date(int(m[1]), int(m[2]), int(m[3]))
    except ValueError:
        return None


def columns(header: list[str], chosen: dict[str, str | None]) -> dict[str, str | None]:
    """Which column holds what: the ones named in ``chosen``, else the usual names."""
    folded = {h.strip().casefold(): h for h in header}
    out: dict[str, str | None] = {}
    for key, names in COLUMNS.items():
        if chosen.get(key):
            if chosen[key] not in header:
                raise KeyError(f"no column {chosen[key]!r}; the table has {', '.join(header)}")
            out[key] = chosen[key]
        else:
            out[key] = next((folded[n] for n in names if n in folded), None)
    if out["title"] is None:
        raise KeyError(
            f"no title column found (name it with --title-col); the table has {', '.join(header)}"
        )
    return out


def ingest_table(rows: list[dict[str, str]], cols: dict[str, str | None], registry: Registry,
                 name: str, origin: str = "") -> Draft:  # fmt: skip
    """The draft source ``name`` made of a table's rows."""
    draft = Draft(source={"id": name})
    acronym = {a.id: a.acronym for a in registry.data.agencies}
    seen: Counter = Counter()
    for n, row in enumerate(rows, start=2):  # row 1 is the header
        where = f"row {n}"
        title = chinese_quotes(re.sub(r"\s+", "", row.get(cols["title"], "")))
        if not title:
            draft.notes.append(Note(0, f"{where}: no title, row left out: {row}"))
            continue
        issued = parse_date(row.get(cols["date"] or "", ""))
        if issued is None:
            draft.notes.append(
                Note(
                    0,
                    f"{where}: no readable date ({row.get(cols['date'] or '', '')!r}), row left out: {title}",
                )
            )
            continue
        parts = parse_title(title)
        written = row.get(cols["issuers"] or "", "")
        names = [x for x in re.split(r"[、,，;；/\s]+", written) if x] if written else parts.bodies
        number = parse_number(row.get(cols["number"] or "", ""))
        if not names and number:
            prefix = next((p for p in sorted(PREFIXES, key=len, reverse=True)
                           if number.prefix.startswith(p)), None)  # fmt: skip
            names = [PREFIXES[prefix]] if prefix else []
        ids = []
        for body in names:
            found = registry.agency_index.find(body)
            if found is None:
                draft.notes.append(Note(0, f"{where}: unknown issuing body {body!r}"))
                continue
            ids.append(found)
            agency = registry.agencies[found]
            if agency.dissolved:
                after = ", ".join(acronym.get(s, s) for s in agency.successors) or "none recorded"
                draft.notes.append(Note(0, f"{where}: {body} is the historical {agency.acronym} "
                                           f"(dissolved {agency.dissolved}; successors: {after})"))  # fmt: skip
        if not ids:
            draft.notes.append(Note(0, f"{where}: no issuing body found for {title}; row left out"))
            continue
        lead = acronym[ids[0]].lower()
        key = f"{number.year}-{number.serial}" if number else issued.isoformat()
        digest = hashlib.sha1((number.prefix if number else title).encode()).hexdigest()[:6]
        rid = f"{lead}-{key}-{digest}"
        seen[rid] += 1
        if seen[rid] > 1:
            draft.notes.append(
                Note(0, f"{where}: the same document as an earlier row ({rid}); row left out")
            )
            continue
        item = f"row-{n}"
        draft.items.append(
            {"id": item, "section": "documents", "position": n - 1, "label": title[:100]}
        )
        english = row.get(cols["title_en"] or "", "").strip()
        if not english:
            draft.notes.append(Note(0, f"{where}: title_en to translate for {title}"))
        policy = {"id": rid, "item": item, "title_en": english or f"Untranslated: {title}", "title_zh": title,
                  "type": doc_type(english, title), "issued": issued,
                  "issuers": [acronym[i] for i in dict.fromkeys(ids)]}  # fmt: skip
        if parts.count and parts.count >= len(policy["issuers"]):
            policy["declared_issuer_count"] = parts.count
        url = row.get(cols["url"] or "", "").strip()
        if re.match(r"^https?://[^\s<>\"{}|\\^`]+$", url):
            policy["official_url"] = url
        elif url:
            draft.notes.append(Note(0, f"{where}: {url!r} is not a usable URL"))
        if number:
            policy["document_number"] = row[cols["number"]].strip()
        draft.policies.append(policy)
    months = Counter(p["issued"].strftime("%Y-%m") for p in draft.policies)
    period = months.most_common(1)[0][0] if months else dt.date.today().strftime("%Y-%m")
    draft.source.update(title=f"List of official documents{' from ' + origin if origin else ''}",
                        publisher="policygraph ingest-table", period=period)  # fmt: skip
    return draft
