"""Co-issuance the fast way (incidence matrix product) against the SPARQL aggregate, same run.

Uses the N-Triples corpora that benchmarks/stores.py writes (its --cache folder), loaded into
Oxigraph in memory; both ways must give the same pairs and counts.

    python benchmarks/coissuance.py --sizes 10000 100000 1000000
"""

from __future__ import annotations

import argparse
import json
import tempfile
import time
from pathlib import Path

import pyoxigraph

from policygraph.networks import Incidence
from policygraph.store import Embedded

AGGREGATE = """PREFIX pg: <https://w3id.org/policygraph/ontology#>
SELECT ?a ?b (COUNT(DISTINCT ?p) AS ?n) WHERE { ?p pg:issuedBy ?a, ?b . FILTER(STR(?a) < STR(?b)) }
GROUP BY ?a ?b"""


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
        start = time.perf_counter()
        sparql = {(r["a"], r["b"]): r["n"] for r in backend.query(AGGREGATE).records()}
        sparql_s = time.perf_counter() - start
        start = time.perf_counter()
        incidence = Incidence.of(backend)
        fetch_s = time.perf_counter() - start
        start = time.perf_counter()
        fast = incidence.coissuance()
        product_s = time.perf_counter() - start
        assert fast == sparql, "the two ways disagree"
        print(json.dumps({"policies": n, "pairs": len(fast), "sparql_s": round(sparql_s, 3),
                          "incidence_query_s": round(fetch_s, 3), "product_s": round(product_s, 3),
                          "ratio": round(sparql_s / (fetch_s + product_s), 1)}))  # fmt: skip


if __name__ == "__main__":
    main()
