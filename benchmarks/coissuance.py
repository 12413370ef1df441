"""Co-issuance the fast way (the build's saved incidence tables, one sparse product) against
the SPARQL aggregate in the same run. Both must give the same pairs and counts.

Uses the N-Triples corpora that benchmarks/stores.py writes (its --cache folder), loaded into
Oxigraph in memory, the faster of the two embedded stores for the aggregate.

    python benchmarks/coissuance.py --sizes 10000 100000 1000000
"""

from __future__ import annotations

import argparse
import json
import tempfile
import time
from pathlib import Path

import pyoxigraph

from policygraph.backends.embedded import Embedded
from policygraph.networks.projections import coissuance
from policygraph.networks.tables import Tables

AGGREGATE = """PREFIX pg: <https://w3id.org/policygraph/ontology#>
SELECT ?a ?b (COUNT(DISTINCT ?p) AS ?n) WHERE { ?p a pg:Policy ; pg:issuedBy ?a, ?b .
FILTER(STR(?a) < STR(?b)) } GROUP BY ?a ?b"""


def timed(f):
    start = time.perf_counter()
    value = f()
    return value, round(time.perf_counter() - start, 3)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10000, 100000])
    parser.add_argument(
        "--cache", type=Path, default=Path(tempfile.gettempdir()) / "policygraph-bench"
    )
    args = parser.parse_args()
    for n in args.sizes:
        store = pyoxigraph.Store()
        store.bulk_load(
            path=str(args.cache / f"synth-{n}-1.nt"), format=pyoxigraph.RdfFormat.N_TRIPLES
        )
        backend = Embedded(store)
        sparql, sparql_s = timed(
            lambda b=backend: {(r["a"], r["b"]): r["n"] for r in b.query(AGGREGATE).records()}
        )
        tables, query_s = timed(lambda b=backend: Tables.query(b))
        with tempfile.TemporaryDirectory() as tmp:
            saved = Path(tmp) / "networks.npz"
            _, save_s = timed(lambda t=tables, p=saved: t.save(p))
            size = saved.stat().st_size
            del tables
            fast, fast_s = timed(lambda p=saved: coissuance(Tables.load(p)))
        assert fast == sparql, "the two ways disagree"
        print(json.dumps({"policies": n, "pairs": len(fast), "sparql_memory_s": sparql_s,
                          "tables_query_s": query_s, "tables_save_s": save_s,
                          "tables_bytes": size, "fast_s": fast_s,
                          "ratio": round(sparql_s / fast_s, 1)}), flush=True)  # fmt: skip


if __name__ == "__main__":
    main()
