"""The records people write in ``data/``: one pydantic model per kind of record.

These models are the single declaration of every record field; ``graph.FIELD_MAP`` maps each
field to the ontology, and a test fails when the two drift apart.

>>> Target(metric="enterprises served", value="500000", unit="enterprises",
...        comparator=">", deadline=2026).value
Decimal('500000')
"""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal
from typing import Annotated, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    StringConstraints,
    ValidationInfo,
    field_validator,
    model_validator,
)

from policygraph.records.titles import unbalanced

#: control characters (but tab and line feed) and bidi overrides: in text they garble terminals,
#: make GraphML and GEXF malformed XML, or reorder what a reader sees
CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def _plain(text: str) -> str:
    m = CONTROL.search(text)
    if m:
        raise ValueError(
            f"holds the control character U+{ord(m[0]):04X} at character {m.start() + 1}; remove it"
        )
    return text


def _iri_char(ch: str) -> bool:
    """Whether ``ch`` may stand unescaped in an IRI's path (RFC 3987 ``ucschar``, no bidi
    formatting, no private use): what the graph's IRI parser accepts."""
    cp = ord(ch)
    if cp < 0x80:
        return ch.isalnum() or ch in "-._~:/?#@!$&'()*+,;=%"
    if (cp & 0xFFFE) == 0xFFFE or 0x200E <= cp <= 0x200F or CONTROL.match(ch):
        return False
    return (0xA0 <= cp <= 0xD7FF or 0xF900 <= cp <= 0xFDCF or 0xFDF0 <= cp <= 0xFFEF
            or 0x10000 <= cp <= 0xDFFFF or 0xE1000 <= cp <= 0xEFFFD)  # fmt: skip


def _iri(url: str) -> str:
    bad = next((ch for ch in url if not _iri_char(ch)), None)
    if bad is not None:
        shown = repr(bad) if bad.isprintable() else f"U+{ord(bad):04X}"
        raise ValueError(
            f"URL holds {shown}, which a URL may not hold unescaped; percent-encode it"
        )
    if url.count("#") > 1:
        raise ValueError("URL has more than one #; percent-encode the later ones as %23")
    if re.search(r"%(?![0-9A-Fa-f]{2})", url):
        raise ValueError("URL has a % that is not followed by two hex digits; write it as %25")
    return url


Slug = Annotated[str, StringConstraints(pattern=r"^[a-z0-9][a-z0-9-]*$")]
Text = Annotated[
    str, StringConstraints(strip_whitespace=True, min_length=1), AfterValidator(_plain)
]
# http(s) and no character that an IRI may not hold (RFC 3987): the graph must accept it
Url = Annotated[
    str, StringConstraints(pattern=r'^https?://[^\s<>"{}|\\^`]+$'), AfterValidator(_iri)
]
WikidataId = Annotated[str, StringConstraints(pattern=r"^Q[1-9][0-9]*$")]
Year = Annotated[int, Field(ge=1949, le=2100)]

AgencyKind = Literal[
    "state-council",
    "office",
    "ministry",
    "commission",
    "central-bank",
    "audit-office",
    "administration",
    "public-institution",
    "party-body",
    "committee",
    "mass-organisation",
    "department",
    "legislature",
    "court",
    "procuratorate",
    "supervisory-commission",
    "military",
    "joint-mechanism",
    "state-owned-enterprise",
    "local-government",
    "local-agency",
]
DocumentType = Literal[
    "plan",
    "action-plan",
    "notice",
    "regulation",
    "law",
    "guideline",
    "opinion",
    "list",
    "decision",
    "measures",
    "standard",
]
EventKind = Literal[
    "meeting",
    "approval",
    "product-launch",
    "investment",
    "divestment",
    "statement",
    "report",
    "statistic",
]
Comparator = Literal["=", ">=", ">", "<=", "<", "~"]
#: how a notice passes on another body's document: 转发, 批转 (approved, then forwarded), 印发
ForwardAction = Literal["forward", "approve-and-forward", "issue"]
Section = Literal["top5", "policy-news", "corporate-news", "documents"]  # documents: a table's rows


class Record(BaseModel):
    """Every record: unknown fields are errors, values are immutable once read."""

    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True)


def _has_cjk(text: str) -> bool:
    return re.search(r"[\u3400-\u9fff]", text) is not None


class Agency(Record):
    """A Party or state body that issues policy. Its id is its lower-case acronym."""

    id: Slug
    acronym: Text
    name_en: Text
    name_zh: Text
    aliases: list[Text] = []
    kind: AgencyKind
    parent: Slug | None = None
    wikidata: WikidataId | None = None
    dissolved: Year | None = None
    successors: list[Slug] = []

    @model_validator(mode="after")
    def _id_is_acronym(self) -> Agency:
        if self.id != self.acronym.lower():
            raise ValueError(
                f"id {self.id!r} must be the lower-case acronym {self.acronym.lower()!r}"
            )
        if not _has_cjk(self.name_zh):
            raise ValueError(f"name_zh {self.name_zh!r} has no Chinese characters")
        return self


class Sector(Record):
    """A sector or technology area in the one SKOS sector scheme."""

    id: Slug
    label_en: Text
    label_zh: Text
    aliases: list[Text] = []
    broader: Slug | None = None


class Subject(Record):
    """A class of a document library's own subject classification (two levels), such as the
    gov.cn policy library's 主题分类; ``notation`` is the library's label path (``top\\sub``)."""

    id: Slug
    notation: Text
    label_zh: Text
    label_en: Text
    broader: Slug | None = None
    sectors: list[Slug] = []  # our sectors the class corresponds to (skos:closeMatch)


class Company(Record):
    """A firm named in a source."""

    id: Slug
    name_en: Text
    name_zh: Text | None = None
    aliases: list[Text] = []
    parent: Slug | None = None
    wikidata: WikidataId | None = None


class Quantity(Record):
    """A number with what it counts, its unit and how it compares."""

    metric: Text
    value: Decimal
    unit: Text
    comparator: Comparator = "="
    quote: Text | None = None  # the exact source text it was read from


class Target(Quantity):
    """A quantitative goal: a value, a metric, and a deadline year or a period."""

    deadline: Year | None = None
    period_start: Year | None = None
    period_end: Year | None = None

    @model_validator(mode="after")
    def _has_time(self) -> Target:
        if self.deadline is None and (self.period_start is None or self.period_end is None):
            raise ValueError("a target needs a deadline, or a period_start and period_end")
        if self.period_start and self.period_end and self.period_start > self.period_end:
            raise ValueError("period_start is after period_end")
        return self


class Figure(Quantity):
    """A reported number that is not a goal (an amount, a count, a statistic)."""

    year: Year | None = None


class Item(Record):
    """One item of a brief: the unit every fact is cited to."""

    id: Slug
    section: Section
    position: Annotated[int, Field(ge=1)]
    label: Text
    links: list[Url] = []
    about: list[Slug] = []  # policies defined elsewhere that this item also reports


class Policy(Record):
    """A policy document. ``issuers`` are names as the source writes them, lead first.

    It has an English or a Chinese title, or both: an official list gives only the Chinese.
    """

    id: Slug
    item: Slug
    title_en: Text | None = None
    title_zh: Text | None = None
    type: DocumentType
    issued: dt.date
    issuers: Annotated[list[Text], Field(min_length=1)]
    declared_issuer_count: Annotated[int, Field(ge=1)] | None = None
    document_number: Text | None = None  # 发文字号, e.g. 国办发〔2023〕12号
    in_force: dt.date | None = None
    official_url: Url | None = None
    links: list[Url] = []
    sectors: list[Slug] = []
    subject: Slug | None = None  # the class of a library's subject scheme it is filed under
    forwards: list[Slug] = []  # documents of other bodies this notice forwards (转发/批转/印发)
    forward_action: ForwardAction | None = None  # how it passes them on
    companies: list[Text] = []
    summary: Text | None = None
    quote: Text | None = None
    targets: list[Target] = []
    figures: list[Figure] = []

    @field_validator("title_zh")
    @classmethod
    def _balanced(cls, title: str | None, info: ValidationInfo) -> str | None:
        # a title copied from an official list stands as published: its reader warns instead
        published = bool(info.context and info.context.get("published"))
        if title is not None and not published:
            problem = unbalanced(title)
            if problem:
                raise ValueError(f"Chinese title {title!r}: {problem}")
        return title

    @model_validator(mode="after")
    def _has_a_title(self) -> Policy:
        if self.title_en is None and self.title_zh is None:
            raise ValueError("a policy needs title_en or title_zh")
        return self

    @model_validator(mode="after")
    def _forwards_with_action(self) -> Policy:
        if self.forward_action and not self.forwards:
            raise ValueError("forward_action is given but forwards names no document")
        if self.id in self.forwards:
            raise ValueError("a policy cannot forward itself")
        return self

    @model_validator(mode="after")
    def _in_force_after_issue(self) -> Policy:
        if self.in_force and self.in_force < self.issued:
            raise ValueError(f"in_force {self.in_force} is before issued {self.issued}")
        return self


class Event(Record):
    """A dated development that is not itself a policy document."""

    id: Slug
    item: Slug
    title_en: Text
    kind: EventKind
    date: dt.date
    agencies: list[Text] = []
    companies: list[Text] = []
    sectors: list[Slug] = []
    summary: Text | None = None
    quote: Text | None = None
    links: list[Url] = []
    targets: list[Target] = []
    figures: list[Figure] = []


class Brief(Record):
    """The brief or report a source file transcribes."""

    id: Slug
    title: Text
    publisher: Text
    period: Annotated[str, StringConstraints(pattern=r"^\d{4}-(0[1-9]|1[0-2])$")]
    url: Url | None = None
    licence: Text | None = None  # the terms it may be reused under
    retrieved: dt.date | None = None  # when a copy of it was taken


#: what a column of a document table may hold
TableField = Literal["date", "issuers", "number", "subject", "title_zh", "title_en", "url"]


class TableFile(Record):
    """A source file that describes a table of documents beside it, which the build reads row
    by row: each row a policy, all in the named graph of ``table``."""

    table: Brief
    file: Annotated[str, StringConstraints(pattern=r"^[^/\\]+\.(tsv|csv)$")]
    columns: dict[TableField, Text]

    @model_validator(mode="after")
    def _needs_a_title(self) -> TableFile:
        if "title_zh" not in self.columns and "title_en" not in self.columns:
            raise ValueError("columns must name a title_zh or title_en column")
        return self


Review = Literal["draft", "reviewed"]


class SourceFile(Record):
    """One file under ``data/sources/``: a brief, its items and the facts they state.

    ``review: draft`` marks what ingestion wrote and no person has checked yet: the build
    leaves it out until it says ``review: reviewed`` (a file without the field is reviewed).
    """

    review: Review = "reviewed"
    source: Brief
    items: list[Item]
    policies: list[Policy] = []
    events: list[Event] = []
    #: local bodies (a province's or city's departments) its records name that the registry does
    #: not hold, minted while resolving it (``records.localbodies``), never written by people
    agencies: list[Agency] = []

    @property
    def records(self) -> list[Policy | Event]:
        """The policies and events of the file: the records that link agencies, sectors and firms."""
        return [*self.policies, *self.events]
