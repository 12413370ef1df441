"""The explorer on the real record (a built ``out/store``): generation time and size, the MIIT
page's time to interactive, and search latency, both in headless Chromium (Debian's).

    make build && python benchmarks/site.py --store out/store > benchmarks/results/site.json

Search latency is what the page measures around one search and its rendering
(``window.pgLastSearch.ms``, from the input event to the results drawn), median of 20 queries.
"""

from __future__ import annotations

import argparse
import json
import statistics
import tempfile
import time

from playwright.sync_api import sync_playwright

from policygraph.backends import open_backend
from policygraph.site.data import load
from policygraph.site.write import write

FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
         "--disable-component-update", "--disable-sync", "--no-first-run"]  # fmt: skip
QUERIES = ["工信部", "MIIT", "工信部联规〔2026〕186号", "NDRC", "国家发展改革委", "semiconductors",
           "半导体", "国办发", "数据", "Ministry of Finance", "财政部", "人工智能", "通知", "SAMR",
           "国务院关于", "2026", "标准", "nhc", "碳达峰", "Telecommunications"]  # fmt: skip


def _ready(page, url: str) -> float:
    start = time.perf_counter()
    page.goto(url)
    while not page.evaluate("window.pgReady === true"):
        page.wait_for_timeout(10)
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--store", default="out/store")
    parser.add_argument("--chromium", default="/usr/bin/chromium")
    parser.add_argument("--runs", type=int, default=5, help="loads of the MIIT page (median)")
    args = parser.parse_args()
    backend, _ = open_backend(args.store)
    started = time.perf_counter()
    load(backend)
    queried = time.perf_counter() - started
    with tempfile.TemporaryDirectory() as tmp:
        written = write(backend, tmp)
        site = written.folder
        by_kind = {}
        for f in site.rglob("*.html"):
            kind = f.parent.name if f.parent != site else "top"
            n, b = by_kind.get(kind, (0, 0))
            by_kind[kind] = (n + 1, b + f.stat().st_size)
        miit = site / "agency" / "miit.html"
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=args.chromium, args=FLAGS)
            page = browser.new_page(viewport={"width": 1400, "height": 900})
            loads = [_ready(page, miit.as_uri()) for _ in range(args.runs)]
            index_ready = _ready(page, (site / "index.html").as_uri())
            latencies = []
            for q in QUERIES:
                page.fill("#pg-search", "")
                page.fill("#pg-search", q)
                last = page.evaluate("window.pgLastSearch")
                assert last["query"] == q and last["matches"] > 0, (q, last)
                latencies.append(last["ms"])
            browser.close()
        print(json.dumps({
            "documents": sum(1 for _ in (site / "policy").glob("*.html")),
            "files": written.files, "mb": round(written.bytes / 1e6, 1),
            "generate_s": round(written.seconds, 1), "queries_s": round(queried, 2),
            "pages": {k: {"files": n, "mb": round(b / 1e6, 2)} for k, (n, b) in by_kind.items()},
            "search_index_mb": round((site / "search-index.js").stat().st_size / 1e6, 2),
            "miit_page_kb": round(miit.stat().st_size / 1e3), "miit_interactive_s":
            round(statistics.median(loads), 3), "search_page_interactive_s": round(index_ready, 3),
            "search_median_ms": round(statistics.median(latencies), 1),
            "search_max_ms": round(max(latencies), 1),
        }, indent=1))  # fmt: skip


if __name__ == "__main__":
    main()
