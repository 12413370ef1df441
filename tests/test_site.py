"""The explorer (``out/site/``) in a real headless Chromium: every page loads offline with no
error, every link resolves, counts agree with SPARQL on the real record, search finds names
and document numbers, and hostile text stays text."""

from __future__ import annotations

import re
import shutil
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest
from conftest import DATA, Visit, cli, wait_until_ready
from test_views import HOSTILE, HOSTILE_BRIEF, HOSTILE_SOURCE

from policygraph.backends.queries import run
from policygraph.build import build
from policygraph.site.write import safe_url, write


class SiteVisit(Visit):
    """A visit that lets the page load the site's own files, and refuses and records the rest."""

    def __init__(self, browser, path: Path, site: Path):
        self.site = site.resolve().as_uri() + "/"
        super().__init__(browser, path)

    def _route(self, route) -> None:
        self.requests.append(route.request.url)
        if route.request.url.startswith(self.site):
            route.continue_()
        else:
            route.abort()

    def foreign(self) -> list[str]:
        return [u for u in self.requests if not u.startswith(self.site)]


class _Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.links: list[str] = []

    def handle_starttag(self, tag, attrs) -> None:
        for name, value in attrs:
            if name in ("href", "src", "action") and value is not None:
                self.links.append(value)


def links_of(page: Path) -> list[str]:
    parser = _Links()
    parser.feed(page.read_text("utf-8"))
    return parser.links


@pytest.fixture(scope="module")
def fixture_site(built, tmp_path_factory):
    out = tmp_path_factory.mktemp("site-out")
    written = write(built.store, out)
    return written.folder


@pytest.fixture(scope="module")
def live_site(live_built, tmp_path_factory):
    return write(live_built.store, tmp_path_factory.mktemp("live-site")).folder


def test_every_page_of_the_fixture_site_loads_offline_without_errors(browser, fixture_site):
    pages = sorted(fixture_site.rglob("*.html"))
    assert len(pages) > 30
    kinds = {p.parent.name for p in pages}
    assert {"agency", "policy", "sector", "company", "event"} <= kinds
    visit = SiteVisit(browser, pages[0], fixture_site)  # one tab that goes from page to page
    try:
        for page in pages:
            visit.console.clear()
            visit.page.goto(page.resolve().as_uri())
            wait_until_ready(visit.page, 60)
            assert visit.errors() == [], page
            assert visit.foreign() == [], page
            assert visit.dialogs == []
    finally:
        visit.close()


def test_every_link_of_the_fixture_site_resolves(fixture_site):
    checked = 0
    for page in fixture_site.rglob("*.html"):
        for link in links_of(page):
            parts = urlsplit(link)
            if parts.scheme:
                assert parts.scheme in ("http", "https"), (page, link)
                continue
            target = (page.parent / unquote(parts.path)).resolve()
            if not target.is_relative_to(fixture_site.resolve()):
                # the one page outside the site: the network views' index beside it
                assert target == fixture_site.parent.resolve() / "index.html", (page, link)
                continue
            assert target.is_file(), f"{page.relative_to(fixture_site)} links to missing {link}"
            checked += 1
    assert checked > 500


def test_the_miit_page_counts_what_sparql_counts(browser, live_built, live_site):
    store = live_built.store
    (counts,) = store.query(
        "SELECT (COUNT(DISTINCT ?p) AS ?documents) (COUNT(DISTINCT ?led) AS ?leading) WHERE { "
        "?p a pg:Policy ; pg:issuedBy agency:miit . "
        "OPTIONAL { ?p pg:leadIssuer agency:miit BIND (?p AS ?led) } }"
    ).records()
    partners = run(store, "co-issuers", {"agency": "MIIT"}).records()
    assert counts["documents"] > 200 and counts["leading"] > 50 and partners
    visit = SiteVisit(browser, live_site / "agency" / "miit.html", live_site)
    try:
        page = visit.page
        assert int(page.inner_text("#pg-documents")) == counts["documents"]
        assert int(page.inner_text("#pg-led")) == counts["leading"]
        assert int(page.inner_text("#pg-joined")) == counts["documents"] - counts["leading"]
        first = page.locator("#pg-partners tbody tr").first
        assert partners[0]["name"] in first.inner_text()
        assert int(first.locator("td.count").inner_text()) == partners[0]["policies"]
        shown = page.locator("#pg-partners tbody tr").count()
        for n in range(shown):
            row = page.locator("#pg-partners tbody tr").nth(n)
            assert int(row.locator("td.count").inner_text()) == partners[n]["policies"]
        # the list of shared documents behind the top co-issuer holds as many
        page.locator("#pg-partners tbody tr td.count a").first.click()
        page.wait_for_selector("#pg-count")
        assert int(page.inner_text("#pg-count")) == partners[0]["policies"]
        assert visit.errors() == [] and visit.foreign() == []
    finally:
        visit.close()


@pytest.mark.parametrize(
    ("query", "expected"),
    [("工信部", "agency/miit.html"), ("MIIT", "agency/miit.html"),
     ("工业和信息化部", "agency/miit.html"), ("工信部联规〔2026〕186号", None),
     ("工信部联规[2026]186号", None)],
)  # fmt: skip
def test_search_finds_names_acronyms_aliases_and_document_numbers(
    browser, live_built, live_site, query, expected
):
    if expected is None:  # the policy that carries the number, found by SPARQL
        rows = live_built.store.query(
            "SELECT ?p WHERE { ?p pg:documentNumber '工信部联规〔2026〕186号' }"
        ).column("p")
        assert len(rows) == 1
        expected = "policy/" + rows[0].rsplit("/", 1)[-1] + ".html"
    visit = SiteVisit(browser, live_site / "index.html", live_site)
    try:
        visit.page.fill("#pg-search", query)
        first = visit.page.locator("#pg-results li a").first
        assert first.get_attribute("href") == expected
        assert visit.page.evaluate("window.pgLastSearch.matches") >= 1
        first.click()
        visit.page.wait_for_selector("h1")
        assert visit.page.url == (live_site / expected).resolve().as_uri()
        assert visit.errors() == [] and visit.foreign() == []
    finally:
        visit.close()


@pytest.fixture(scope="module")
def hostile_site(tmp_path_factory):
    """The explorer of the fixture data plus a source whose titles are markup."""
    root = tmp_path_factory.mktemp("hostile-site")
    shutil.copytree(DATA, root / "data")
    (root / "data" / "sources" / "hostile.yaml").write_text(HOSTILE_SOURCE, encoding="utf-8")
    done = build(root / "data", root / "out")
    return write(done.store, root / "out").folder


def test_a_hostile_title_stays_text_on_pages_and_in_search(browser, hostile_site):
    policy = SiteVisit(browser, hostile_site / "policy" / "hostile-policy.html", hostile_site)
    try:
        assert policy.page.inner_text("h1") == HOSTILE
        assert HOSTILE_BRIEF in policy.page.inner_text(".mentions")
        assert policy.page.locator("main img, main script, [onerror], [onmouseover]").count() == 0
        policy.page.hover("a.ext >> nth=0")
        assert policy.dialogs == [] and policy.errors() == [] and policy.foreign() == []
    finally:
        policy.close()
    agency = SiteVisit(browser, hostile_site / "agency" / "miit.html", hostile_site)
    try:
        assert HOSTILE in agency.page.inner_text("table.docs")
        assert agency.page.locator("main img, main script").count() == 0
    finally:
        agency.close()
    search = SiteVisit(browser, hostile_site / "index.html", hostile_site)
    try:
        search.page.fill("#pg-search", "onerror")
        first = search.page.locator("#pg-results li a").first
        assert first.inner_text() == HOSTILE
        assert first.get_attribute("href") == "policy/hostile-policy.html"
        assert search.page.locator("#pg-results img, #pg-results script").count() == 0
        assert search.dialogs == [] and search.errors() == [] and search.foreign() == []
    finally:
        search.close()


def test_only_http_links_are_links():
    assert safe_url("https://www.gov.cn/a.htm") and safe_url("http://example.org/")
    for bad in ("javascript:alert(1)", "data:text/html,x", "JAVASCRIPT:x", "//evil", "", "ftp://x"):
        assert not safe_url(bad)


def test_site_command_and_build_write_the_explorer(tmp_path):
    ran = cli("site", "--store", "memory", "--out", tmp_path / "alone")
    assert ran.returncode == 0, ran.stderr
    assert (tmp_path / "alone" / "site" / "index.html").is_file()
    assert re.search(r"Wrote [\d,]+ files", ran.stdout)
    ran = cli("build", "--no-shacl", "--out", tmp_path / "out")
    assert ran.returncode == 0, ran.stderr
    assert (tmp_path / "out" / "site" / "agency" / "miit.html").is_file()
    assert "site/index.html" in links_of(tmp_path / "out" / "index.html")
    # an unchanged rebuild keeps the site; a missing one is written again
    shutil.rmtree(tmp_path / "out" / "site")
    assert cli("build", "--no-shacl", "--out", tmp_path / "out").returncode == 0
    assert (tmp_path / "out" / "site" / "index.html").is_file()
