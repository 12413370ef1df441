"""The query page in a real browser, against a real `policygraph serve`: the checks let it work."""

from __future__ import annotations

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
