"""Stores side by side on one machine in one run: rdflib's memory store, Oxigraph in memory,
the embedded default (Oxigraph on disk) and the Oxigraph server over loopback.

For each corpus size, a synthetic corpus (``policygraph.synth``) is turned into N-Triples once;
every engine then loads that same file in a fresh process (so peak memory is its own) and runs
the canned co-issuance and sector-overlap aggregates, a point lookup (one agency's policies)
and a Turtle export. Medians of ``--runs`` runs; ratios are against rdflib in the same run.

    python benchmarks/stores.py --sizes 1000 10000 100000 1000000 --runs 3
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
QUERIES = ROOT / "queries"
ENGINES = ("rdflib", "oxigraph-memory", "oxigraph-disk", "oxigraph-server")
#: also runnable with --engines: the server loaded by `oxigraph load` instead of over HTTP
EXTRA_ENGINES = ("oxigraph-server-bulk",)
AGENCY = "https://w3id.org/policygraph/id/agency/miit"
#: the aggregate the targets of issue 3 are stated on (queries/co-issuance.rq adds acronym lookups)
COISSUANCE = """PREFIX pg: <https://w3id.org/policygraph/ontology#>
SELECT ?a ?b (COUNT(DISTINCT ?p) AS ?n) WHERE { ?p pg:issuedBy ?a, ?b . FILTER(STR(?a) < STR(?b)) }
GROUP BY ?a ?b"""
RDFLIB_LIMIT = 100_000  # rdflib's memory store at 1M policies would need about 22 GB


def corpus(n: int, seed: int, folder: Path) -> Path:
    """N-Triples of a synthetic corpus of ``n`` policies (cached by size and seed)."""
    path = folder / f"synth-{n}-{seed}.nt"
    if path.exists():
        return path
    import pyoxigraph

    from policygraph import synth
    from policygraph.graph import triples as graph

    data = synth.dataset(n, seed, ROOT / "data")
    store = pyoxigraph.Store()
    store.bulk_extend(graph.quads(data))
    triples = store.query(
        "SELECT DISTINCT ?s ?p ?o WHERE { ?s ?p ?o }", use_default_graph_as_union=True
    )
    tmp = path.with_suffix(".tmp")
    pyoxigraph.serialize((pyoxigraph.Triple(*row) for row in triples), str(tmp),
                         format=pyoxigraph.RdfFormat.N_TRIPLES)  # fmt: skip
    tmp.rename(path)
    return path


def text(name: str) -> str:
    return COISSUANCE if name == "co-issuance" else (QUERIES / f"{name}.rq").read_text()


def timed(fn):
    start = time.perf_counter()
    value = fn()
    return time.perf_counter() - start, value


# -- one engine, in a child process -----------------------------------------------------------


def child_rdflib(nt: Path, work: Path) -> dict:
    import rdflib

    g = rdflib.Graph()
    load, _ = timed(lambda: g.parse(nt, format="nt"))
    result = {"load_s": load, "triples": len(g)}
    result["coissuance_s"], rows = timed(lambda: list(g.query(text("co-issuance"))))
    result["coissuance_rows"] = len(rows)
    result["overlap_s"], _ = timed(lambda: list(g.query(text("sector-overlap"))))
    binding = {"agency": rdflib.URIRef(AGENCY)}
    result["lookup_s"], rows = timed(
        lambda: list(g.query(text("agency-policies"), initBindings=binding))
    )
    result["lookup_rows"] = len(rows)
    result["turtle_s"], _ = timed(lambda: g.serialize(work / "out.ttl", format="turtle"))
    return result


def child_oxigraph(nt: Path, work: Path, on_disk: bool) -> dict:
    import pyoxigraph

    store = pyoxigraph.Store(str(work / "store")) if on_disk else pyoxigraph.Store()
    load, _ = timed(lambda: store.bulk_load(path=str(nt), format=pyoxigraph.RdfFormat.N_TRIPLES))
    result = {"load_s": load, "triples": len(store)}
    result["coissuance_s"], rows = timed(lambda: list(store.query(text("co-issuance"))))
    result["coissuance_rows"] = len(rows)
    result["overlap_s"], _ = timed(lambda: list(store.query(text("sector-overlap"))))
    subs = {pyoxigraph.Variable("agency"): pyoxigraph.NamedNode(AGENCY)}
    result["lookup_s"], rows = timed(
        lambda: list(store.query(text("agency-policies"), substitutions=subs))
    )
    result["lookup_rows"] = len(rows)

    def turtle():
        triples = store.quads_for_pattern(None, None, None, pyoxigraph.DefaultGraph())
        pyoxigraph.serialize((q.triple for q in triples), str(work / "out.ttl"),
                             format=pyoxigraph.RdfFormat.TURTLE)  # fmt: skip

    result["turtle_s"], _ = timed(turtle)
    return result


def _http(url: str, data: bytes | None = None, headers: dict | None = None) -> bytes:
    req = urllib.request.Request(url, data=data, headers=headers or {})
    with urllib.request.urlopen(req, timeout=3600) as response:
        return response.read()


def child_server(nt: Path, work: Path, bulk: bool = False) -> dict:
    """The Oxigraph server over loopback, loaded by an HTTP upload, or with ``bulk`` by
    `oxigraph load` before it starts (the way to load millions of policies)."""
    from policygraph.backends.endpoint import Endpoint, with_values
    from policygraph.serve.front import free_port, oxigraph_command

    bulk_s = None
    if bulk:
        bulk_s, _ = timed(lambda: subprocess.run(
            [oxigraph_command(), "load", "--location", str(work / "server"), "--file", str(nt)],
            check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL))  # fmt: skip
    port = free_port()
    proc = subprocess.Popen([oxigraph_command(), "serve", "--location", str(work / "server"),
                             "--bind", f"127.0.0.1:{port}"], stderr=subprocess.DEVNULL)  # fmt: skip
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(300):
            try:
                _http(base + "/query?query=ASK%7B%7D")
                break
            except OSError:
                time.sleep(0.1)
        if bulk:
            load = bulk_s
        else:
            body = nt.read_bytes()
            load, _ = timed(
                lambda: _http(
                    base + "/store?default", body, {"Content-Type": "application/n-triples"}
                )
            )
            del body
        endpoint = Endpoint(base + "/query", timeout=3600)
        result = {
            "load_s": load,
            **(
                {"bulk_load_peak_mb": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024}
                if bulk
                else {}
            ),  # fmt: skip
            "triples": endpoint.query("SELECT (COUNT(*) AS ?n) { ?s ?p ?o }").column("n")[0],
        }
        result["coissuance_s"], rows = timed(lambda: endpoint.query(text("co-issuance")).rows)
        result["coissuance_rows"] = len(rows)
        result["overlap_s"], _ = timed(lambda: endpoint.query(text("sector-overlap")).rows)
        from pyoxigraph import NamedNode, Variable

        query = with_values(text("agency-policies"), {Variable("agency"): NamedNode(AGENCY)})
        result["lookup_s"], rows = timed(lambda: endpoint.query(query).rows)
        result["lookup_rows"] = len(rows)
        result["turtle_s"], _ = timed(lambda: (work / "out.ttl").write_bytes(
            _http(base + "/store?default", headers={"Accept": "text/turtle"})))  # fmt: skip
        status = Path(f"/proc/{proc.pid}/status").read_text()
        result["server_peak_mb"] = (
            int(next(x for x in status.splitlines() if x.startswith("VmHWM")).split()[1]) / 1024
        )
        return result
    finally:
        proc.kill()
        proc.wait()


def child(engine: str, nt: Path) -> None:
    work = Path(tempfile.mkdtemp(prefix=f"bench-{engine}-"))
    try:
        if engine == "rdflib":
            result = child_rdflib(nt, work)
        elif engine.startswith("oxigraph-server"):
            result = child_server(nt, work, bulk=engine == "oxigraph-server-bulk")
        else:
            result = child_oxigraph(nt, work, on_disk=engine == "oxigraph-disk")
        result["peak_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        if "server_peak_mb" in result:
            result["peak_mb"] = result.pop(
                "server_peak_mb"
            )  # the server's memory, not the client's
        print(json.dumps(result))
    finally:
        shutil.rmtree(work, ignore_errors=True)


# -- the run ----------------------------------------------------------------------------------


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000, 100000])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--big-runs", type=int, default=1, help="runs at 1M policies and more")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument(
        "--cache", type=Path, default=Path(tempfile.gettempdir()) / "policygraph-bench"
    )
    parser.add_argument(
        "--json", type=Path, default=ROOT / "benchmarks" / "results" / "stores.json"
    )
    parser.add_argument("--engines", nargs="+", choices=ENGINES + EXTRA_ENGINES, default=ENGINES)
    parser.add_argument("--child", nargs=2, metavar=("ENGINE", "NT"), help=argparse.SUPPRESS)
    parser.add_argument("--report", type=Path, nargs="+", help="print the tables of saved results")
    args = parser.parse_args()
    if args.report:
        runs: dict = {}
        for path in args.report:
            runs.update(json.loads(path.read_text())["runs"])
        print(report({"runs": runs}))
        return
    if args.child:
        child(args.child[0], Path(args.child[1]))
        return
    args.cache.mkdir(parents=True, exist_ok=True)
    results = {"machine": machine(), "runs": {}, "sizes": {}}
    for n in args.sizes:
        nt = corpus(n, args.seed, args.cache)
        runs = args.runs if n < 1_000_000 else args.big_runs
        results["sizes"][n] = {"nt_bytes": nt.stat().st_size}
        for engine in args.engines:
            if engine == "rdflib" and n > RDFLIB_LIMIT:
                continue
            samples = []
            for _ in range(runs):
                out = subprocess.run([sys.executable, __file__, "--child", engine, str(nt)],
                                     capture_output=True, text=True, check=True)  # fmt: skip
                samples.append(json.loads(out.stdout.strip().splitlines()[-1]))
            median = {k: statistics.median(s[k] for s in samples) for k in samples[0]}
            results["runs"][f"{n}/{engine}"] = median
            print(n, engine, json.dumps(median), flush=True)
    args.json.parent.mkdir(parents=True, exist_ok=True)
    args.json.write_text(json.dumps(results, indent=1))
    print(report(results))


def machine() -> dict:
    import pyoxigraph
    import rdflib

    mem = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    cpu = next((line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
                if line.startswith("model name")), platform.processor())  # fmt: skip
    return {"cpu": cpu, "cores": os.cpu_count(), "memory_gb": round(mem, 1), "python": platform.python_version(),
            "rdflib": rdflib.__version__, "pyoxigraph": pyoxigraph.__version__}  # fmt: skip


def report(results: dict) -> str:
    """A Markdown table of the medians and the ratios against rdflib."""
    lines = ["| policies | triples | engine | load s | peak MB | co-issuance s | sector overlap s | lookup s | Turtle s |",
             "| ---: | ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: |"]  # fmt: skip
    ratios = ["| policies | engine | load | co-issuance | sector overlap | lookup | Turtle | memory |",
              "| ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: |"]  # fmt: skip
    for key, r in results["runs"].items():
        n, engine = key.split("/")
        lines.append(f"| {int(n):,} | {int(r['triples']):,} | {engine} | {r['load_s']:.2f} | {r['peak_mb']:,.0f} | "
                     f"{r['coissuance_s']:.3f} | {r['overlap_s']:.3f} | {r['lookup_s']:.4f} | {r['turtle_s']:.2f} |")  # fmt: skip
        base = results["runs"].get(f"{n}/rdflib")
        if base and engine != "rdflib":
            x = {k: f"{base[k] / r[k]:.1f}x faster" if r[k] else "-"
                 for k in ("load_s", "coissuance_s", "overlap_s", "lookup_s", "turtle_s")}  # fmt: skip
            ratios.append(f"| {int(n):,} | {engine} | {x['load_s']} | {x['coissuance_s']} | {x['overlap_s']} | "
                          f"{x['lookup_s']} | {x['turtle_s']} | {r['peak_mb'] / base['peak_mb']:.2f} of rdflib's |")  # fmt: skip
    return (
        "\n".join(lines)
        + "\n\nRatios against rdflib's memory store, same run:\n\n"
        + "\n".join(ratios)
    )


if __name__ == "__main__":
    main()
