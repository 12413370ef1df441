"""A table of official documents as a source of its own: a sidecar YAML under ``data/sources/``
names the table beside it (TSV or CSV), where it comes from and which column holds what; the
build reads the rows directly, each a policy in the table's one named graph.

Every row becomes a policy or is reported with its reason. A row listed twice (same number and
title) is one policy with both links, derived from both rows; two documents that share a number
stay two. A row that is
a brief's policy (same number, or same Chinese title) adds its provenance to that policy
instead of making a second one. Ids come from the row's URL (``content_7077981`` →
``gov-7077981``), so a newer export of the same library keeps every document's IRI.
"""

from __future__ import annotations

import hashlib
import re
from collections import Counter

from policygraph.problems import Problem
from policygraph.records.documents import (
    chinese_quotes,
    document_type,
    issuers_of,
    normalise_number,
    parse_date,
    usable_url,
)
from policygraph.records.models import Item, Policy, SourceFile
from policygraph.records.registry import Registry
from policygraph.records.tablefile import Table
from policygraph.records.titles import unbalanced

#: the row's own id in a link: gov.cn's content_7077981.htm, or the last number of the path
URL_ID = re.compile(r"content_(\d+)|(\d{4,})(?=\D*$)")


def _match_key(title: str) -> str:
    """A Chinese title in one form for matching: no spaces, one kind of quote and bracket."""
    text = re.sub(r"\s+", "", chinese_quotes(title))
    return text.translate(str.maketrans("()（）〈〉<>－—–-", "（）（）《》《》————"))


class Reader:
    """Turns one table's rows into a source file, reporting each problem at its row."""

    def __init__(self, table: Table, registry: Registry, briefs: dict[str, str]) -> None:
        self.table, self.registry, self.briefs = table, registry, briefs
        self.cols = table.spec.columns
        self.prefix = table.spec.table.id.split("-")[0]
        self.problems: list[Problem] = []
        self.subjects = {s.notation: s for s in registry.data.subjects}
        self.policies: dict[str, dict] = {}
        self.items: list[Item] = []
        self.by_key: dict[tuple[str, str], str] = {}  # (number, title) → policy id
        self.relative: Counter = Counter()  # bodies of an unnamed place, reported once
        self.first_relative: dict[str, int] = {}

    def report(self, severity: str, n: int, column: str | None, message: str) -> None:
        field_ = self.cols.get(column, column) if column else None  # type: ignore[arg-type]
        # rows are counted from the first after the header, as the items are numbered; the line
        # is the file's
        self.problems.append(Problem(severity, str(self.table.path), f"row {n - 1}", field_,
                                     message, n))  # fmt: skip

    def cell(self, row: dict[str, str], column: str) -> str:
        return row.get(self.cols[column], "").strip() if column in self.cols else ""  # type: ignore[index]

    def source(self) -> SourceFile:
        """Every row read, as one source file."""
        for n, row in enumerate(self.table.rows, start=2):  # line 1 is the header
            self.row(n, row)
        self.report_relative()
        policies, made = [], set()
        # the forwarded documents first: a notice forwards only those that became policies
        for record in sorted(self.policies.values(), key=lambda r: not r.get("_forwarded")):
            line, forwarded = record.pop("_line"), record.pop("_forwarded", False)
            if record.get("forwards"):
                record["forwards"] = [f for f in record["forwards"] if f in made]
                record["forward_action"] = record["forward_action"] if record["forwards"] else None
            try:
                policies.append(Policy.model_validate(record, context={"published": True}))
                made.add(record["id"])
            except ValueError as exc:
                what = "the forwarded document left out" if forwarded else "row left out"
                self.report("warning", line, None, f"{what}: {exc}")
        order = {pid: i for i, pid in enumerate(self.policies)}
        policies.sort(key=lambda p: order[p.id])
        return SourceFile.model_construct(source=self.table.spec.table, items=self.items,
                                          policies=policies, events=[],
                                          agencies=self.registry.local_agencies(policies))  # fmt: skip

    def report_relative(self) -> None:
        """Bodies of an unnamed place (省政府办公厅, 市财政局), once per table with their count."""
        if self.relative:
            shown = ", ".join(f"{name} ({n})" for name, n in self.relative.most_common())
            first = min(self.first_relative.values())
            self.report("warning", first, "issuers", f"bodies named relative to a place the table "
                        f"does not name, left unresolved in {sum(self.relative.values())} rows: "
                        f"{shown}")  # fmt: skip

    def row(self, n: int, row: dict[str, str]) -> None:
        title = chinese_quotes(self.cell(row, "title_zh"))
        title_en = self.cell(row, "title_en") or None
        if not (title or title_en):
            return self.report("warning", n, "title_zh", "no title: row left out")
        issued = parse_date(self.cell(row, "date"))
        if issued is None:
            return self.report("warning", n, "date",
                               f"no readable date ({self.cell(row, 'date')!r}): row left out")  # fmt: skip
        url = self.cell(row, "url")
        if url and not usable_url(url):
            self.report("warning", n, "url", f"{url!r} is not a usable URL; left out")
            url = ""
        found = issuers_of(
            self.registry, title, self.cell(row, "issuers"), self.cell(row, "number")
        )
        for column, note in found.notes:
            self.report("note", n, column, note)
        for piece, reason in found.unresolved:
            self.report("warning", n, "issuers", f"{piece!r} not resolved: {reason}")
        for piece in found.relative:
            self.relative[piece] += 1
            self.first_relative.setdefault(piece, n)
        number = found.number
        key = (normalise_number(number) or "", _match_key(title or title_en or ""))
        matched = self.briefs.get(f"n:{key[0]}") if key[0] else None
        matched = matched or self.briefs.get(f"t:{key[1]}")
        earlier = self.by_key.get(key)  # the same document on an earlier row
        reported = matched or earlier
        item = self.item(n, url, title or title_en or "", [reported] if reported else [])
        if matched:
            return self.report("note", n, None, f"the brief's policy {matched!r}: provenance added")
        if earlier:
            same = self.policies[earlier]
            if url and url != same.get("official_url"):
                same.setdefault("links", []).append(url)
            return self.report("note", n, None, f"listed twice: the same document as row "
                                                f"{same['_line'] - 1} ({same['id']})")  # fmt: skip
        if not found.issuers:
            return self.report("warning", n, "issuers", "no issuing body found: row left out")
        problem = unbalanced(title) if title else None
        if problem:
            self.report("warning", n, "title_zh", f"published title: {problem}")
        pid = self.policy_id(url, key)
        self.by_key[key] = pid
        record = {"_line": n, "id": pid, "item": item.id, "title_zh": title or None,
                  "title_en": title_en, "type": document_type(title_en, title), "issued": issued,
                  "issuers": found.issuers, "declared_issuer_count": found.declared,
                  "document_number": number, "official_url": url or None}  # fmt: skip
        subject = self.subject(n, self.cell(row, "subject"))
        if subject is not None:
            record["subject"] = subject.id
            record["sectors"] = list(subject.sectors)
        self.policies[pid] = record
        if found.forwarded:
            self.forwarded(record, found.forwarded)

    def forwarded(self, notice: dict, doc) -> None:
        """The document a notice forwards, a policy of its own, issued by its own bodies."""
        fid = f"{notice['id']}-forwarded"
        notice["forwards"], notice["forward_action"] = [fid], doc.action
        self.policies[fid] = {
            "_line": notice["_line"], "_forwarded": True, "id": fid, "item": notice["item"],
            "title_zh": doc.title, "type": document_type(None, doc.title),
            "issued": notice["issued"], "issuers": doc.issuers,
            "declared_issuer_count": doc.declared,
            **{k: notice[k] for k in ("subject", "sectors") if k in notice},
        }  # fmt: skip

    def item(self, n: int, url: str, label: str, about: list[str]) -> Item:
        item = Item(id=f"row-{n - 1}", section="documents", position=n - 1, label=label[:200],
                    links=[url] if url else [], about=about)  # fmt: skip
        self.items.append(item)
        return item

    def subject(self, n: int, notation: str):
        if not notation:
            return None
        found = self.subjects.get(notation)
        if found is None:
            self.report("warning", n, "subject", f"unknown subject class {notation!r}")
        return found

    def policy_id(self, url: str, key: tuple[str, str]) -> str:
        m = URL_ID.search(url)
        base = f"{self.prefix}-{m[1] or m[2]}" if m else None
        if base is None or base in self.policies:
            digest = hashlib.sha1("|".join(key).encode()).hexdigest()[:10]
            base = f"{self.prefix}-{digest}"
        return base


def brief_index(registry: Registry) -> dict[str, str]:
    """Each brief policy by its normalised number (``n:``) and Chinese title (``t:``)."""
    index: dict[str, str] = {}
    for source in registry.data.sources.values():
        for p in source.policies:
            if p.document_number:
                index.setdefault(f"n:{normalise_number(p.document_number)}", p.id)
            if p.title_zh:
                index.setdefault(f"t:{_match_key(p.title_zh)}", p.id)
    return index


def resolve_tables(registry: Registry) -> None:
    """Turn every table of ``registry.data`` into a source file, in place, with its problems."""
    data = registry.data
    briefs = brief_index(registry)
    for shown, table in data.tables.items():
        reader = Reader(table, registry, briefs)
        data.sources[shown] = reader.source()
        data.problems.extend(reader.problems)
    check_forwards(data)


def check_forwards(data) -> None:
    """Every document a policy forwards must be a policy of the sources read."""
    ids = {p.id for source in data.sources.values() for p in source.policies}
    for source in data.sources.values():
        for p in source.policies:
            for i, target in enumerate(p.forwards):
                if target not in ids:
                    data.problem(
                        "error", "policy", p.id, f"forwards.{i}", f"unknown policy {target!r}"
                    )
