"""Views at 60, 500, 5,000 and 50,000 nodes, drawn by vis-network (2D canvas) and by sigma.js
(WebGL): generation time, HTML size, what the page leaves out and what it draws, and time to
interactive in headless Chromium (Debian's, WebGL in SwiftShader), measured from navigation
until the view says it is ready (layout precomputed, physics settled or off, first frame on
screen). A load that takes over ``--limit`` seconds is reported as such.

Renderers: ``vis``, ``webgl`` (as a build writes them); ``webgl-whole`` (``views --whole``: the
page holds every node and edge, and draws the heaviest); ``-every`` (a whole page opened with
``#every``: every node and edge drawn).

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
#: (agencies, policies) giving about 60, 500, 5,000 and 50,000 co-issuing agencies
SIZES = [(62, 300), (520, 900), (6000, 7000), (60000, 70000)]
FLAGS = ["--no-sandbox", "--disable-background-networking", "--disable-component-update",
         "--disable-sync", "--no-first-run", "--use-angle=swiftshader",
         "--enable-unsafe-swiftshader"]  # fmt: skip


def interactive(browser, path: Path, limit: float, fragment: str = "") -> tuple:
    """Seconds until the view is ready, what the page says it leaves out [nodes, edges], and
    what it draws [nodes, edges]."""
    page = browser.new_page(viewport={"width": 1400, "height": 900})
    start = time.perf_counter()
    page.goto(path.as_uri() + fragment, timeout=limit * 1000)
    while not page.evaluate("window.pgReady === true"):  # the page's CSP forbids the eval
        page.wait_for_timeout(25)  # of Playwright's wait_for_function
        if time.perf_counter() - start > limit:
            page.close()
            return None, None, None
    seconds = time.perf_counter() - start
    left, drawn = page.evaluate("[pgView.left, pgView.shown()]")
    page.close()
    return seconds, left, drawn


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--chromium", default="/usr/bin/chromium")
    parser.add_argument("--runs", type=int, default=3, help="page loads per view (median)")
    parser.add_argument("--limit", type=float, default=180, help="seconds before giving up")
    parser.add_argument("--sizes", type=int, nargs="*", help="only these agency counts")
    parser.add_argument(
        "--renderers",
        nargs="*",
        default=["vis", "vis-every", "webgl", "webgl-whole", "webgl-every"],
        help="vis, webgl: as built; -whole: nothing left out of the page; -every: and drawn",
    )
    args = parser.parse_args()
    with sync_playwright() as p, tempfile.TemporaryDirectory() as tmp:
        browser = p.chromium.launch(executable_path=args.chromium, args=FLAGS)
        for bodies, n in SIZES:
            if args.sizes and bodies not in args.sizes:
                continue
            data = synth.dataset(n, seed=7, registry=ROOT / "data", bodies=bodies)
            tables = Tables.query(Embedded(memory_store(graph.quads(data))))
            pages = {}  # a whole page is written once, and opened with and without #every
            for renderer in args.renderers:
                base, _, mode = renderer.partition("-")
                whole = base == "vis" or bool(mode)
                if (base, whole) not in pages:
                    view = views.render(tables, "co-issuance", renderer=base,
                                        prune=not whole)  # fmt: skip
                    path = Path(tmp) / f"view-{bodies}-{base}-{whole}.html"
                    path.write_text(view.html, encoding="utf-8")
                    pages[base, whole] = view, path
                view, path = pages[base, whole]
                ready = []
                for _ in range(args.runs):
                    seconds, left, drawn = interactive(browser, path, args.limit,
                                                       "#every" if mode == "every" else "")  # fmt: skip
                    ready.append(seconds)
                    if seconds is None:
                        break
                median = None if None in ready else round(sorted(ready)[len(ready) // 2], 2)
                g = view.graph
                print(json.dumps({"nodes": g.number_of_nodes(), "edges": g.number_of_edges(),
                                  "policies": n, "renderer": renderer,
                                  "generate_s": round(view.seconds, 2),
                                  "html_bytes": len(view.html.encode()),
                                  "chosen": views.choose(g) == renderer,
                                  "left_out": left, "drawn": drawn,
                                  "interactive_s": median if median is not None else
                                  f"> {args.limit:g}"}), flush=True)  # fmt: skip
        browser.close()


if __name__ == "__main__":
    main()
