"""Drafts that ingestion makes: records in the schema of ``data/sources/``, and the notes a
person must review, written as one YAML file whose header lists the notes.

>>> d = Draft(source={"id": "x", "title": "T", "publisher": "P", "period": "2024-02"},
...           notes=[Note(3, "unknown issuing body 'MOXX'")])
>>> print(to_yaml(d).splitlines()[3])
#   line 3: unknown issuing body 'MOXX'
"""

from __future__ import annotations

from dataclasses import dataclass, field

import yaml


@dataclass
class Note:
    """Something for a person to review: where it is, and what."""

    line: int
    what: str

    def __str__(self) -> str:
        return f"line {self.line}: {self.what}" if self.line else self.what


@dataclass
class Draft:
    source: dict
    items: list[dict] = field(default_factory=list)
    policies: list[dict] = field(default_factory=list)
    events: list[dict] = field(default_factory=list)
    notes: list[Note] = field(default_factory=list)

    def document(self) -> dict:
        """The draft in the schema of ``data/sources/*.yaml``."""
        doc = {"review": "draft", "source": self.source, "items": self.items}
        if self.policies:
            doc["policies"] = self.policies
        if self.events:
            doc["events"] = self.events
        return doc


class _Plain(yaml.SafeDumper):
    """Writes a list twice rather than as an anchor and an alias: people read these files."""

    def ignore_aliases(self, data) -> bool:
        return True


def to_yaml(draft: Draft, origin: str = "", command: str = "ingest") -> str:
    """The draft as a source file, the review notes in its header comment."""
    head = [f"# Draft made by `policygraph {command}`{' from ' + origin if origin else ''}: review it before use.",
            "# The build leaves it out until `review: draft` below reads `review: reviewed`.",
            f"# {len(draft.notes)} notes for review:" if draft.notes else "# Nothing was left for review."]  # fmt: skip
    head += [f"#   {note}" for note in draft.notes]
    body = yaml.dump(
        draft.document(), Dumper=_Plain, allow_unicode=True, sort_keys=False, width=100
    )
    return "\n".join(head) + "\n" + body


def _facts(doc: dict, find) -> dict[str, set]:
    """What a source file states, as comparable facts keyed by item: the bodies, the dates,
    the policies' titles and the targets (value and deadline or period)."""
    facts: dict[str, set] = {"agencies": set(), "dates": set(), "titles": set(), "targets": set()}
    for p in doc.get("policies") or []:
        facts["agencies"] |= {(p["item"], find(n) or n) for n in p.get("issuers", [])}
        facts["dates"].add((p["item"], str(p["issued"])))
        for lang in ("title_en", "title_zh"):
            if p.get(lang):
                title = " ".join(
                    str(p[lang]).replace("”", "“").replace('"', "“").split()
                ).casefold()
                facts["titles"].add((p["item"], lang, title))
    for e in doc.get("events") or []:
        facts["agencies"] |= {(e["item"], find(n) or n) for n in e.get("agencies", [])}
        facts["dates"].add((e["item"], str(e["date"])))
    for r in [*(doc.get("policies") or []), *(doc.get("events") or [])]:
        for t in r.get("targets", []):
            when = t.get("deadline") or (t.get("period_start"), t.get("period_end"))
            facts["targets"].add((r["item"], float(t["value"]), str(when)))
    return facts


def agreement(draft: dict, reviewed: dict, find) -> dict[str, tuple[float, float, int, int]]:
    """Precision and recall of a draft against the reviewed file of the same brief, per kind
    of fact, with the counts behind them. ``find`` maps a body's name to its registry id."""
    got, want = _facts(draft, find), _facts(reviewed, find)
    out = {}
    for kind in got:
        hit = len(got[kind] & want[kind])
        precision = hit / len(got[kind]) if got[kind] else 1.0
        recall = hit / len(want[kind]) if want[kind] else 1.0
        out[kind] = (round(precision, 2), round(recall, 2), len(got[kind]), len(want[kind]))
    return out


def record_facts(doc: dict, find) -> dict[str, set]:
    """What a draft (or an expected file) states, keyed by each record's date, which is unique
    per record within a brief: the policies, the events, every record's date, the issuers and
    bodies named, and the targets (value and deadline or period). Item ids are not compared:
    layouts number their items differently."""
    facts: dict[str, set] = {
        k: set() for k in ("policies", "events", "issuers", "targets", "dates")
    }
    for kind, key, bodies in (("policies", "issued", "issuers"), ("events", "date", "agencies")):
        for r in doc.get(kind) or []:
            when = str(r.get(key))
            facts[kind].add(when)
            facts["dates"].add(when)
            facts["issuers"] |= {(when, find(n) or n) for n in r.get(bodies) or []}
            for t in r.get("targets") or []:
                if isinstance(t, list):  # an expected file's [value, comparator, unit, when]
                    due = (
                        str(t[3])
                        if isinstance(t[3], int)
                        else str(tuple(map(int, str(t[3]).split("-"))))
                    )
                    facts["targets"].add((when, float(t[0]), due))
                    continue
                due = t.get("deadline") or (t.get("period_start"), t.get("period_end"))
                facts["targets"].add((when, float(t["value"]), str(due)))
    return facts


def scores(got: dict[str, set], want: dict[str, set]) -> dict[str, tuple[int, int, int]]:
    """Per kind of fact: how many agree, how many were drafted, how many were expected."""
    return {k: (len(got[k] & want[k]), len(got[k]), len(want[k])) for k in want}
