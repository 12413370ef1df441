"""The query page in a real browser, against a real `policygraph serve`: the checks let it work."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from test_serve_attacks import Serving


@pytest.fixture(scope="module")
def served(built, tmp_path_factory):
    s = Serving(built.files["store"], tmp_path_factory.mktemp("page"), "--timeout", "3")
    yield s
    s.stop()


@pytest.mark.parametrize("host", ["127.0.0.1", "localhost"])
def test_page_runs_free_and_canned_queries(browser, served, host):
    context = browser.new_context()
    page = context.new_page()
    try:
        page.goto(f"http://{host}:{served.port}/")
        page.click("text=Run")  # the page's own query, POSTed (with an Origin header)
        page.wait_for_function("document.getElementById('status').textContent.endsWith('rows')")
        page.click("nav button:has-text('co-issuers')")
        page.fill("#params input[name=agency]", "MIIT")
        page.click("text=Run")  # through /canned/co-issuers
        page.wait_for_function("document.getElementById('status').textContent.endsWith('rows')")
        assert "NHC" in page.inner_text("#results")
        page.fill("#text", "SELECT * { SERVICE <http://127.0.0.1:1/> { ?s ?p ?o } }")
        page.click("text=Run")
        page.wait_for_function("document.getElementById('status').className === 'error'")
        assert "400: SERVICE clauses are refused" in page.inner_text("#status")
    finally:
        context.close()


@pytest.fixture
def page(browser, served):
    """The query page, every request to anywhere but the server refused."""
    base = f"http://127.0.0.1:{served.port}/"
    context = browser.new_context(accept_downloads=True)
    refused: list[str] = []

    def route(r):
        if r.request.url.startswith(base):
            r.continue_()
        else:
            refused.append(r.request.url)
            r.abort()

    context.route("**/*", route)
    page = context.new_page()
    page.goto(base)
    yield page
    context.close()
    assert refused == []


def run(page, ending="rows"):
    page.evaluate("document.getElementById('status').textContent = ''")
    page.click("#run")
    page.wait_for_function(
        "s => { const e = document.getElementById('status');"
        " return e.textContent.endsWith(s) || e.className === 'error'; }",
        arg=ending,
    )
    return page.inner_text("#status")


def test_an_edited_canned_query_keeps_its_parameters(page):
    page.click("nav button:has-text('agency-policies')")
    page.fill("#params input[name=agency]", "NHC")
    assert run(page).endswith("rows")
    before = page.inner_text("#results")
    # the edit keeps ?agency: the parameter travels with the text, bound as a term
    page.fill("#text", page.input_value("#text") + "\n# edited\n")
    assert run(page).endswith("rows"), page.inner_text("#status")
    assert page.inner_text("#results") == before and "NHC" not in page.inner_text("#note")
    # an edit that drops ?agency says so rather than running it with the value pasted in
    page.fill("#text", "SELECT ?p WHERE { ?p a pg:Policy } LIMIT 3")
    assert run(page) == "3 rows"
    assert page.inner_text("#note") == "dropped agency: no longer in the query"


def test_construct_and_describe_show_turtle_or_json_ld(page):
    page.fill("#text", "DESCRIBE agency:miit")
    assert run(page, "(Turtle)") == "graph (Turtle)"
    text = page.inner_text("#results pre")
    assert "agency:miit" in text and "skos:notation" in text and '"MIIT"' in text
    page.select_option("#graph-format", "application/ld+json")
    page.fill("#text", "CONSTRUCT { ?t a pg:Figure } WHERE { ?x pg:reportsFigure ?t }")
    assert run(page, "(JSON-LD)") == "graph (JSON-LD)"
    assert '"@id": "https://w3id.org/policygraph/id/target/' in page.inner_text("#results pre")
    with page.expect_download() as download:
        page.click("#json")
    assert download.value.suggested_filename == "results.jsonld"


def test_results_show_prefixed_names_linked_to_full_iris(page):
    assert "agency:https://w3id.org/policygraph/id/agency/" in page.text_content(
        "#prefix-table"
    )  # the page lists what it knows
    page.fill("#text", "SELECT ?a ?c WHERE { VALUES ?a { agency:miit } ?a a ?c } ORDER BY ?c")
    assert run(page) == "2 rows"
    link = page.locator("#results a", has_text="agency:miit").first
    assert link.get_attribute("href") == "https://w3id.org/policygraph/id/agency/miit"
    assert link.get_attribute("title") == "https://w3id.org/policygraph/id/agency/miit"
    assert "pg:Agency" in page.inner_text("#results")
    page.fill("#text", "SELECT ?x WHERE { VALUES ?x { <javascript:alert(1)> <urn:x:y> } }")
    assert run(page) == "2 rows"
    assert page.locator("#results a").count() == 0  # only http(s) IRIs become links


def test_syntax_errors_are_one_readable_line(page):
    page.fill("#text", "SELECT ?x\nWHERE { ?x ?y }")
    assert run(page).startswith("400: SPARQL syntax error at line 2, column")
    assert "\n" not in page.inner_text("#status")


@pytest.mark.parametrize("bom", [True, False])
def test_csv_and_json_downloads_of_the_shown_result(page, bom):
    page.fill(
        "#text", 'SELECT ?a ?n WHERE { VALUES (?a ?n) { (agency:miit "工信部, \\"MIIT\\"") } }'
    )
    assert run(page) == "1 rows"
    if bom:
        page.check("#bom")
    with page.expect_download() as download:
        page.click("#csv")
    data = Path(download.value.path()).read_bytes()
    assert data.startswith(b"\xef\xbb\xbf") is bom
    text = data.decode("utf-8-sig")
    assert text == 'a,n\r\nhttps://w3id.org/policygraph/id/agency/miit,"工信部, ""MIIT"""\r\n'
    with page.expect_download() as download:
        page.click("#json")
    doc = json.loads(Path(download.value.path()).read_text(encoding="utf-8"))
    assert doc["results"]["bindings"][0]["n"]["value"] == '工信部, "MIIT"'
