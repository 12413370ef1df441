"""Drafts that ingestion makes: records in the schema of ``data/sources/``, and the notes a
person must review, written as one YAML file whose header lists the notes.

>>> d = Draft(source={"id": "x", "title": "T", "publisher": "P", "period": "2024-02"},
...           notes=[Note(3, "unknown issuing body 'MOXX'")])
>>> print(to_yaml(d).splitlines()[2])
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
        doc = {"source": self.source, "items": self.items}
        if self.policies:
            doc["policies"] = self.policies
        if self.events:
            doc["events"] = self.events
        return doc


def to_yaml(draft: Draft, origin: str = "") -> str:
    """The draft as a source file, the review notes in its header comment."""
    head = [f"# Draft made by `policygraph ingest`{' from ' + origin if origin else ''}: review it before use.",
            f"# {len(draft.notes)} notes for review:" if draft.notes else "# Nothing was left for review."]  # fmt: skip
    head += [f"#   {note}" for note in draft.notes]
    body = yaml.safe_dump(draft.document(), allow_unicode=True, sort_keys=False, width=100)
    return "\n".join(head) + "\n" + body
