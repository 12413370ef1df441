"""Render the explorer into ``out/site/``: one page per agency, record, sector, subject class
and company, directories, a timeline, and the search page with its index.

Pages are jinja2 templates (``templates/``) with autoescaping on, so text from the graph is
always text. Each page carries a Content-Security-Policy that allows only the site's own
script and style files (``'self'`` matches ``file://`` pages in Chromium) and no request
elsewhere. The site is written into a staging folder and switched into place at the end, so
a failed run leaves the previous site whole.
"""

from __future__ import annotations

import re
import shutil
import time
from collections import Counter
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

import jinja2
from markupsafe import Markup

from policygraph.site import FOLDER, pages
from policygraph.site.data import Node, SiteData, load
from policygraph.site.search import script

STATIC = ("site.css", "site.js")
COMPARATORS = {"=": "", ">=": "≥", "<=": "≤", ">": ">", "<": "<", "at-least": "≥",
               "at-most": "≤"}  # fmt: skip
KIND_LABELS = {"sector": "Sector", "subject": "Subject class of the State Council policy library",
               "company": "Company"}  # fmt: skip
_HTTP = re.compile(r"^https?://[^\s<>\"'`]+$", re.IGNORECASE)


def safe_url(url: str) -> bool:
    """Whether ``url`` may be a link: http(s) only, never ``javascript:`` or ``data:``."""
    return bool(_HTTP.match(url or ""))


@dataclass
class Written:
    """What :func:`write` wrote: where, how many files and bytes, and how long it took."""

    folder: Path
    files: int
    bytes: int
    seconds: float


def _environment() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.PackageLoader("policygraph", "site/templates"),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        auto_reload=False,
    )
    env.globals.update(href=pages.href, safe_url=safe_url, comparators=COMPARATORS)
    return env


class _Writer:
    """Renders templates into the staging folder, counting files."""

    def __init__(self, folder: Path, site: SiteData) -> None:
        self.folder, self.env, self.files = folder, _environment(), 0
        self.made: set[Path] = set()
        self.env.globals.update(nodes=site.nodes, row=self.row)
        self.rows: dict[str, Markup] = {}

    def row(self, record) -> Markup:
        """A record's row in a list of documents, rendered once: lists sit one folder deep."""
        if record.iri not in self.rows:
            html = self.env.get_template("row.html").render(root="../", r=record)
            self.rows[record.iri] = Markup(html.rstrip("\n"))
        return self.rows[record.iri]

    def page(self, path: str, template: str, **context) -> None:
        root = "../" * path.count("/")
        text = self.env.get_template(template).render(root=root, **context)
        self.text(path, text)

    def text(self, path: str, text: str) -> None:
        target = self.folder / path
        if target.parent not in self.made:
            target.parent.mkdir(parents=True, exist_ok=True)
            self.made.add(target.parent)
        target.write_text(text, encoding="utf-8")
        self.files += 1


def render(site: SiteData, folder: Path) -> int:
    """Write every page of ``site`` into ``folder``; the number of files written."""
    w = _Writer(folder, site)
    docs = pages.documents_of(site)
    kids = pages.children(site)
    partners = pages.co_issuers(site)
    for name in STATIC:
        w.text(name, resources.files("policygraph").joinpath(f"site/templates/{name}").read_text(
            "utf-8"))  # fmt: skip
    counts = {iri: len(rs) for iri, rs in docs.items()}
    for n in site.nodes.values():
        if n.kind == "subject":
            counts[n.iri] = len(pages.subject_documents(site, docs, kids, n.iri))
    w.text("search-index.js", script(site, counts))
    for n in site.of_kind("agency"):
        _agency(w, site, n, docs, kids, partners.get(n.iri, []))
    for n in site.nodes.values():
        if n.kind != "agency":
            _concept(w, site, n, docs, kids, counts)
    forwarded_by: dict[str, list] = {}
    for r in site.records.values():
        for target in r.forwards:
            forwarded_by.setdefault(target, []).append(r)
    for r in site.records.values():
        _record(w, site, r, forwarded_by.get(r.iri, []))
    _directories(w, site, kids, counts)
    _timeline(w, site)
    return w.files


def _years_of(w: _Writer, n: Node, listing: pages.Listing, kind: str) -> tuple:
    """Per-year pages of a node with more than ``CAP`` documents; the chart's links to them."""
    if not listing.year_pages:
        return (lambda y: None), {}
    for year, records in listing.by_year().items():
        w.page(f"{kind}/{n.slug}.{year}.html", "documents.html", title=f"{n.name}: {year}",
               about=f"Documents of {year}.", records=records, back=f"{n.slug}.html",
               back_name=n.acronym or n.name)  # fmt: skip
    return (lambda y: f"{n.slug}.{y}.html"), {y: f"{n.slug}.{y}.html" for y in listing.years}


def _agency(w, site, n, docs, kids, partners) -> None:
    records = [r for r in docs.get(n.iri, []) if r.kind == "policy" and n.iri in r.issuers]
    listing = pages.Listing.of(records)
    year_page, links = _years_of(w, n, listing, "agency")
    top = partners[: pages.TOP]
    for p in top:
        if len(p.records) == 1:  # the one shared document's own page is its list
            continue
        other = p.node.acronym or p.node.name if isinstance(p.node, Node) else p.node
        w.page(f"agency/{_pair(n, p)}", "documents.html", title=f"{n.acronym or n.name} with {other}",
               about=f"Documents {n.name} and {other} issued together (an office counts as its "
               "ministry).", records=p.records, back=f"{n.slug}.html",
               back_name=n.acronym or n.name)  # fmt: skip
    years = sorted({y for p in top[: pages.OVER_TIME] for y in p.per_year if y})
    w.page(f"agency/{n.slug}.html", "agency.html", title=n.acronym or n.name, n=n,
           offices=kids.get(n.iri, []), counts={k: len(v) for k, v in docs.items()},
           listing=listing, led=sum(1 for r in records if r.lead == n.iri),
           chart=pages.bars(listing.years, links), partners=top,
           more_partners=max(0, len(partners) - pages.TOP), pair_page=lambda p: _pair(n, p),
           over_time=pages.OVER_TIME, years=years, year_page=year_page,
           subjects=pages.tally(site, records, "subjects"),
           sectors=pages.tally(site, records, "sectors"))  # fmt: skip


def _pair(n: Node, partner: pages.Partner) -> str:
    if len(partner.records) == 1:
        return "../" + pages.href(partner.records[0].kind, partner.records[0].slug)
    slug = partner.node.slug if isinstance(partner.node, Node) else "x-unknown"
    return f"{n.slug}.with.{slug}.html"


def _concept(w, site, n, docs, kids, counts) -> None:
    if n.kind == "subject":
        records = pages.subject_documents(site, docs, kids, n.iri)
        mapped = [site.nodes[s] for s in n.matches if s in site.nodes]
        mapped_label, others, others_label = "Mapped to sectors", [], ""
    else:
        records = docs.get(n.iri, [])
        mapped = [s for s in site.of_kind("subject") if n.iri in s.matches]
        mapped_label = "Subject classes mapped to it" if n.kind == "sector" else ""
        others = pages.tally(site, records, "sectors" if n.kind == "company" else "subjects")
        others_label = "Sectors" if n.kind == "company" else "Subject classes"
    listing = pages.Listing.of(records)
    year_page, links = _years_of(w, n, listing, n.kind)
    w.page(f"{n.kind}/{n.slug}.html", "concept.html", title=n.name, n=n,
           kind_label=KIND_LABELS[n.kind], narrower=kids.get(n.iri, []), counts=counts,
           mapped=mapped, mapped_label=mapped_label, listing=listing, year_page=year_page,
           chart=pages.bars(listing.years, links), issuers=pages.tally(site, records, "issuers"),
           others=others, others_label=others_label)  # fmt: skip


def _record(w, site, r, forwarded_by) -> None:
    """A policy's or event's page; ``pg:forwards`` links both ways where the graph has them."""
    forwards = [site.records.get(i, i) for i in r.forwards]
    w.page(
        f"{r.kind}/{r.slug}.html",
        "record.html",
        title=r.title,
        r=r,
        forwards=forwards,
        forwarded_by=pages.newest(forwarded_by),
    )


def _directories(w, site, kids, counts) -> None:
    agencies = sorted(site.of_kind("agency"), key=lambda n: (-counts.get(n.iri, 0), n.acronym))
    w.page("agencies.html", "directory.html", title="Agencies", headers=["acronym", "name", "中文", "kind"],
           about="Every agency, by the documents it issued or co-issued.",
           rows=[(n, counts.get(n.iri, 0), 0) for n in agencies])  # fmt: skip
    for kind, file, title, about in [
        ("subject", "subjects.html", "Subject classes", "The State Council policy library's classes, each with its "
         "sub-classes; a class's count takes in its sub-classes'."),
        ("sector", "sectors.html", "Sectors", "Sectors and their narrower sectors."),
        ("company", "companies.html", "Companies", "Companies named by policies and events."),
    ]:  # fmt: skip
        rows = []
        for n in sorted(site.of_kind(kind), key=lambda n: n.name):
            if not n.parents:
                rows.append((n, counts.get(n.iri, 0), 0))
                rows += [(k, counts.get(k.iri, 0), 1) for k in kids.get(n.iri, [])]
        w.page(file, "directory.html", title=title,
               headers=["name", "中文"], about=about, rows=rows)  # fmt: skip
    policies = [r for r in site.records.values() if r.kind == "policy"]
    dates = sorted(r.date for r in policies if r.date)
    busiest = [(n, counts.get(n.iri, 0)) for n in agencies[:15]]
    totals = Counter(n.kind for n in site.nodes.values()) + Counter(policy=len(policies))
    w.page("index.html", "index.html", title="policygraph explorer", busiest=busiest,
           totals={k: totals.get(k, 0) for k in ("policy", *KIND_LABELS, "agency")},
           first=dates[0] if dates else "", last=dates[-1] if dates else "")  # fmt: skip


def _timeline(w, site) -> None:
    policies = [r for r in site.records.values() if r.kind == "policy"]
    grid = pages.months(policies)
    per_year = {y: sum(c) for y, c in grid.items()}
    deadlines = pages.deadlines(site)
    w.page("timeline.html", "timeline.html", title="Timeline", grid=grid,
           top=max((c for cs in grid.values() for c in cs), default=0),
           chart=pages.bars(per_year), deadlines=deadlines,
           deadline_chart=pages.bars({y: len(v) for y, v in deadlines.items()}))  # fmt: skip


def write(backend, out: Path | str = "out") -> Written:
    """Write the explorer from ``backend`` (any store) into ``out/site/``."""
    started = time.perf_counter()
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    final, staging, old = out / FOLDER, out / f".{FOLDER}.new", out / f".{FOLDER}.old"
    for leftover in (staging, old):
        shutil.rmtree(leftover, ignore_errors=True)
    staging.mkdir()
    try:
        files = render(load(backend), staging)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    if final.exists():
        final.rename(old)
    staging.rename(final)
    shutil.rmtree(old, ignore_errors=True)
    size = sum(f.stat().st_size for f in final.rglob("*") if f.is_file())
    return Written(final, files, size, time.perf_counter() - started)
