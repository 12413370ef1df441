"""Lists of official documents (CSV or XLSX) → a draft source file.

Each row is one policy: its Chinese title, date, document number (发文字号) and link, with
issuers from a column where there is one and from the title where there is not. Document
numbers such as 国办发〔2023〕12号 are split into the issuing body's prefix, year and serial,
which also give the policy a stable id. Bodies that no longer exist (国家计委, 国家经贸委) resolve
to their historical registry entries; the review notes name their successors. A notice that
forwards another body's document (转发, 批转, 印发) gives a second policy, the forwarded one, with
its own issuers. Local bodies (广东省财政厅) are kept as local agencies, written by their Chinese
name; an undated row is kept with ``issued: null`` for the reviewer to fill.

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

from policygraph.ingest.drafts import Draft, Note
from policygraph.records.documents import (
    chinese_quotes,
    document_type,
    issuers_of,
    parse_date,
    parse_number,
    usable_url,
)
from policygraph.records.registry import Registry

#: the columns looked for when none is named, by what they hold
COLUMNS = {
    "title": ("title_zh", "title", "标题", "文件名称", "名称", "题名"),
    "date": ("date", "issued", "pub_date", "发布日期", "成文日期", "日期", "发文日期"),
    "number": ("number", "document number", "pcode", "发文字号", "文号"),
    "url": ("url", "link", "链接", "网址"),
    "issuers": ("issuers", "puborg", "发文机关", "发布机构", "发文单位"),
    "title_en": ("title_en", "english title", "英文标题"),
}


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
    relative: Counter = Counter()

    def written(ids: list[str]) -> list[str]:
        """Issuers as the draft writes them: acronyms, and local bodies by their Chinese name."""
        return [acronym.get(i) or registry.agencies[i].name_zh for i in dict.fromkeys(ids)]

    for n, row in enumerate(rows, start=2):  # row 1 is the header
        where = f"row {n}"
        # a line break inside a cell is wrapping, a space is the title's own (between bodies)
        cell = re.sub(r"\s*\n\s*", "", row.get(cols["title"], ""))
        title = chinese_quotes(re.sub(r"\s+", " ", cell).strip())
        if not title:
            draft.notes.append(Note(0, f"{where}: no title, row left out: {row}"))
            continue
        issued = parse_date(row.get(cols["date"] or "", ""))
        if issued is None:
            shown = row.get(cols["date"] or "", "")
            draft.notes.append(Note(0, f"{where}: no readable date ({shown!r}): kept with "
                                       f"issued: null; fill it in ({title})"))  # fmt: skip
        found = issuers_of(registry, title, row.get(cols["issuers"] or "", ""),
                           row.get(cols["number"] or "", ""))  # fmt: skip
        draft.notes += [Note(0, f"{where}: {note}") for _, note in found.notes]
        draft.notes += [Note(0, f"{where}: unknown issuing body {piece!r} ({reason})")
                        for piece, reason in found.unresolved]  # fmt: skip
        relative.update(found.relative)
        ids = found.issuers
        for found_id in ids:
            agency = registry.agencies[found_id]
            if agency.kind == "local-agency":
                continue
            if agency.dissolved:
                after = ", ".join(acronym.get(s, s) for s in agency.successors) or "none recorded"
                draft.notes.append(Note(0, f"{where}: the historical {agency.acronym} ({agency.name_zh}; "
                                           f"dissolved {agency.dissolved}; successors: {after})"))  # fmt: skip
        if not ids and not found.relative:
            draft.notes.append(Note(0, f"{where}: no issuing body found for {title}; row left out"))
            continue
        number = parse_number(found.number)
        # a row naming only bodies of an unnamed place keeps them as written, for the reviewer
        lead = registry.agencies[ids[0]].id if ids else "local"
        key = (
            f"{number.year}-{number.serial}"
            if number
            else issued.isoformat()
            if issued
            else "undated"
        )
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
                  "type": document_type(english, title), "issued": issued,
                  "issuers": written(ids) or list(found.relative)}  # fmt: skip
        if found.declared:
            policy["declared_issuer_count"] = found.declared
        url = row.get(cols["url"] or "", "").strip()
        if usable_url(url):
            policy["official_url"] = url
        elif url:
            draft.notes.append(Note(0, f"{where}: {url!r} is not a usable URL"))
        if found.number:
            policy["document_number"] = found.number
        draft.policies.append(policy)
        doc = found.forwarded
        if doc:
            policy["forwards"], policy["forward_action"] = [f"{rid}-forwarded"], doc.action
            draft.policies.append(
                {"id": f"{rid}-forwarded", "item": item, "title_en": f"Untranslated: {doc.title}",
                 "title_zh": doc.title, "type": document_type(None, doc.title), "issued": issued,
                 "issuers": written(doc.issuers),
                 **({"declared_issuer_count": doc.declared} if doc.declared else {})})  # fmt: skip
            draft.notes.append(Note(0, f"{where}: forwards a document of {', '.join(written(doc.issuers))}: "
                                       f"{rid}-forwarded, a policy of its own"))  # fmt: skip
    _local_notes(draft, registry, relative)
    months = Counter(p["issued"].strftime("%Y-%m") for p in draft.policies if p["issued"])
    period = months.most_common(1)[0][0] if months else dt.date.today().strftime("%Y-%m")
    draft.source.update(title=f"List of official documents{' from ' + origin if origin else ''}",
                        publisher="policygraph ingest-table", period=period)  # fmt: skip
    return draft


def _local_notes(draft: Draft, registry: Registry, relative: Counter) -> None:
    """Once per table: the local bodies minted, and the names relative to an unnamed place."""
    named = {i for p in draft.policies for i in p["issuers"]}
    for agency in registry.local.minted.values():
        if agency.name_zh not in named:
            continue
        english = agency.name_en
        if english.startswith("Untranslated"):
            english = "no English name: add it to data/agencies.yaml with one"
        draft.notes.append(Note(0, f"local body {agency.name_zh}: kept as the local agency "
                                   f"{agency.acronym} under {agency.parent}, {english}"))  # fmt: skip
    if relative:
        shown = ", ".join(f"{name} ({n} rows)" for name, n in relative.most_common())
        draft.notes.append(Note(0, f"bodies of a place the table does not name, not resolved: "
                                   f"{shown}; write the place (广东省财政厅) to keep them"))  # fmt: skip
