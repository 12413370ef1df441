"""What each page of the explorer shows, computed from :class:`SiteData` in Python.

Lists are capped so that pages stay small: a node's page lists its ``CAP`` newest documents
and, when it has more, links to one page per year holding all of that year's; an agency's
page names its ``TOP`` most frequent co-issuers, each linking to a page of the documents they
share, and tabulates the first ``OVER_TIME`` of them per year.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field

from policygraph.site.data import Node, Record, SiteData

CAP = 200  # documents listed on a node's own page, newest first
TOP = 20  # co-issuers named on an agency's page, each with a page of shared documents
OVER_TIME = 10  # co-issuers tabulated per year


def href(kind: str, slug: str) -> str:
    """A page's path relative to the site's root."""
    return f"{kind}/{slug}.html"


def newest(records: list[Record]) -> list[Record]:
    return sorted(records, key=lambda r: (r.date, r.slug), reverse=True)


@dataclass
class Listing:
    """A node's documents: the newest ``CAP`` on its page, and per-year pages if it has more."""

    records: list[Record]
    shown: list[Record] = field(default_factory=list)
    years: dict[str, int] = field(default_factory=dict)  # year → documents, oldest first
    year_pages: bool = False

    @classmethod
    def of(cls, records: list[Record]) -> Listing:
        ordered = newest(records)
        years = Counter(r.year or "undated" for r in ordered)
        return cls(ordered, ordered[:CAP], dict(sorted(years.items())), len(ordered) > CAP)

    def by_year(self) -> dict[str, list[Record]]:
        groups: dict[str, list[Record]] = defaultdict(list)
        for r in self.records:
            groups[r.year or "undated"].append(r)
        return groups


@dataclass
class Partner:
    """A co-issuer of an agency: how many documents they share, and which, per year."""

    node: Node | str
    records: list[Record]
    per_year: Counter


def co_issuers(site: SiteData) -> dict[str, list[Partner]]:
    """Each agency's co-issuers, most frequent first, as ``queries/co-issuers.rq`` counts them:
    an office or department counts as its ministry, on both sides."""
    shared: dict[str, dict[str, list[Record]]] = defaultdict(lambda: defaultdict(list))
    for r in site.records.values():
        if r.kind != "policy":
            continue
        rolled = {i: site.rollup(i) for i in r.issuers}
        for agency in {*rolled, *rolled.values()}:
            for p in {up for i, up in rolled.items() if i != agency} - {agency}:
                shared[agency][p].append(r)
    found = {}
    for agency, partners in shared.items():
        found[agency] = sorted(
            (Partner(site.nodes.get(p, p), newest(rs), Counter(r.year for r in rs))
             for p, rs in partners.items()),
            key=lambda x: (-len(x.records), _acronym(x.node)),
        )  # fmt: skip
    return found


def _acronym(node: Node | str) -> str:
    return node.acronym or node.name if isinstance(node, Node) else node


def children(site: SiteData) -> dict[str, list[Node]]:
    """Each node's narrower nodes: an agency's offices, a class's sub-classes, a firm's units."""
    found: dict[str, list[Node]] = defaultdict(list)
    for n in site.nodes.values():
        for p in n.parents:
            found[p].append(n)
    for group in found.values():
        group.sort(key=lambda n: (n.acronym or n.en, n.zh))
    return found


def documents_of(site: SiteData) -> dict[str, list[Record]]:
    """For each node, the records naming it: issued by, concerning, filed under or involving."""
    found: dict[str, list[Record]] = defaultdict(list)
    for r in site.records.values():
        named = r.issuers + r.agencies + r.sectors + r.subjects + r.companies
        for iri in dict.fromkeys(named):
            found[iri].append(r)
    return found


def subject_documents(site: SiteData, docs: dict[str, list[Record]],
                      kids: dict[str, list[Node]], subject: str) -> list[Record]:  # fmt: skip
    """A subject class's documents, its sub-classes' included (as subject-documents.rq)."""
    seen: dict[str, Record] = {}
    stack, visited = [subject], set()
    while stack:
        s = stack.pop()
        if s in visited:
            continue
        visited.add(s)
        seen.update((r.iri, r) for r in docs.get(s, []))
        stack.extend(k.iri for k in kids.get(s, []))
    return list(seen.values())


def tally(site: SiteData, records: list[Record], attribute: str) -> list[tuple[Node | str, int]]:
    """The nodes ``records`` name under ``attribute`` (sectors, subjects…), most frequent first."""
    counts = Counter(iri for r in records for iri in getattr(r, attribute))
    return [(site.nodes.get(iri, iri), n) for iri, n in counts.most_common()]


def months(records: list[Record]) -> dict[str, list[int]]:
    """Documents per month: year → twelve counts."""
    grid: dict[str, list[int]] = {}
    for r in records:
        if len(r.date) >= 7:
            grid.setdefault(r.year, [0] * 12)[int(r.date[5:7]) - 1] += 1
    return dict(sorted(grid.items()))


def deadlines(site: SiteData) -> dict[str, list[tuple[Record, object]]]:
    """Targets per deadline year (or the end of their period), with the record setting each."""
    found: dict[str, list] = defaultdict(list)
    for r in site.records.values():
        for t in r.targets:
            year = t.deadline or t.end
            if year:
                found[year[:4]].append((r, t))
    return dict(sorted(found.items()))


def bars(counts: dict[str, int], links: dict[str, str] | None = None) -> dict:
    """A small bar chart as SVG geometry: one bar per key, heights scaled to the largest."""
    width, height, gap = 28, 90, 4
    top = max(counts.values(), default=0) or 1
    items = []
    for n, (label, count) in enumerate(counts.items()):
        h = round(height * count / top, 1)
        items.append({"x": n * (width + gap), "y": round(height - h, 1), "h": h, "label": label,
                      "count": count, "href": (links or {}).get(label)})  # fmt: skip
    return {"bars": items, "width": max(1, len(items) * (width + gap)), "height": height,
            "bar": width}  # fmt: skip
