"""Views at 60, 500 and 5,000 nodes: generation time, HTML size, and time to interactive in
headless Chromium (Debian's), measured from navigation until the view says it is ready
(physics settled, or off with the layout precomputed).

    python benchmarks/views.py > benchmarks/results/views.jsonl
"""

from __future__ import annotations

import argparse
import json
import tempfile
import time
from pathlib import Path

from playwright.sync_api import sync_playwright

from policygraph import synth
from policygraph.backends.embedded import Embedded, memory_store
from policygraph.graph import triples as graph
from policygraph.networks.tables import Tables
from policygraph.views import render as views

ROOT = Path(__file__).resolve().parents[1]
#: (agencies, policies) giving about 60, 500 and 5,000 co-issuing agencies
SIZES = [(62, 300), (520, 900), (6000, 7000)]
FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
         "--disable-component-update", "--disable-sync", "--no-first-run"]  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--chromium", default="/usr/bin/chromium")
    parser.add_argument("--runs", type=int, default=3, help="page loads per view (median)")
    args = parser.parse_args()
    with sync_playwright() as p, tempfile.TemporaryDirectory() as tmp:
        browser = p.chromium.launch(executable_path=args.chromium, args=FLAGS)
        for bodies, n in SIZES:
            data = synth.dataset(n, seed=7, registry=ROOT / "data", bodies=bodies)
            tables = Tables.query(Embedded(memory_store(graph.quads(data))))
            view = views.render(tables, "co-issuance")
            path = Path(tmp) / f"view-{bodies}.html"
            path.write_text(view.html, encoding="utf-8")
            ready = []
            for _ in range(args.runs):
                page = browser.new_page(viewport={"width": 1400, "height": 900})
                start = time.perf_counter()
                page.goto(path.as_uri())
                while not page.evaluate("window.pgReady === true"):  # the page's CSP forbids
                    page.wait_for_timeout(25)  # the eval of Playwright's wait_for_function
                ready.append(time.perf_counter() - start)
                page.close()
            g = view.graph
            print(json.dumps({"nodes": g.number_of_nodes(), "edges": g.number_of_edges(),
                              "policies": n, "generate_s": round(view.seconds, 2),
                              "html_bytes": len(view.html.encode()),
                              "physics": g.number_of_nodes() <= views.PHYSICS_MAX,
                              "interactive_s": round(sorted(ready)[len(ready) // 2], 2)}),
                  flush=True)  # fmt: skip
        browser.close()


if __name__ == "__main__":
    main()
