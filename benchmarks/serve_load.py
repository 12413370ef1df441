"""A bounded loopback load test of `policygraph serve`: N concurrent clients for a fixed time.

Each client keeps one HTTP connection and sends small SELECT queries (one agency's policies,
the agency drawn at random) to 127.0.0.1 only. Reports throughput, p50 and p99 latency and the
error count, through `policygraph serve` and, for comparison, straight to its Oxigraph engine.

    python benchmarks/serve_load.py --clients 8 --seconds 10
"""

from __future__ import annotations

import argparse
import http.client
import json
import random
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
ACRONYMS = [
    "MIIT",
    "NHC",
    "MOST",
    "MOE",
    "MOHRSS",
    "NDRC",
    "SASAC",
    "SC",
    "CNIPA",
    "MEE",
    "SAMR",
    "PBC",
]
QUERY = """PREFIX pg: <https://w3id.org/policygraph/ontology#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
SELECT ?policy WHERE {{ ?agency skos:notation "{acronym}" . ?policy pg:issuedBy ?agency }} LIMIT 20"""


def wait(port: int) -> None:
    for _ in range(300):
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=1)
            conn.request("GET", "/query?query=" + urllib.parse.quote("ASK {}"))
            conn.getresponse().read()
            return
        except OSError:
            time.sleep(0.1)
    raise TimeoutError(port)


def load(port: int, clients: int, seconds: float, seed: int = 1) -> dict:
    latencies: list[float] = []
    errors = [0]
    lock = threading.Lock()
    deadline = time.monotonic() + seconds

    def client(n: int) -> None:
        rng = random.Random(seed + n)
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        mine, bad = [], 0
        while time.monotonic() < deadline:
            path = "/query?query=" + urllib.parse.quote(QUERY.format(acronym=rng.choice(ACRONYMS)))
            start = time.perf_counter()
            try:
                conn.request("GET", path, headers={"Accept": "application/sparql-results+json"})
                response = conn.getresponse()
                json.loads(response.read())
                ok = response.status == 200
            except (OSError, http.client.HTTPException, ValueError):
                ok = False
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
            mine.append(time.perf_counter() - start)
            bad += not ok
        with lock:
            latencies.extend(mine)
            errors[0] += bad

    threads = [threading.Thread(target=client, args=(n,)) for n in range(clients)]
    began = time.monotonic()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    elapsed = time.monotonic() - began
    latencies.sort()
    return {
        "requests": len(latencies),
        "per_second": len(latencies) / elapsed,
        "p50_ms": 1000 * statistics.median(latencies),
        "p99_ms": 1000 * latencies[int(0.99 * (len(latencies) - 1))],
        "errors": errors[0],
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--seconds", type=float, default=10)
    args = parser.parse_args()

    from policygraph.build import build
    from policygraph.serve.front import free_port

    out = Path(tempfile.mkdtemp(prefix="serve-load-"))
    store = build(ROOT / "data", out).files["store"]
    port = free_port()
    exe = Path(sys.executable).with_name("policygraph")
    proc = subprocess.Popen([str(exe), "serve", "--store", str(store), "--port", str(port)],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)  # fmt: skip
    try:
        wait(port)
        through = load(port, args.clients, args.seconds)
        engine = int(Path(f"/proc/{proc.pid}/task/{proc.pid}/children").read_text().split()[0])
        cmdline = Path(f"/proc/{engine}/cmdline").read_text().split("\0")
        engine_port = int(cmdline[cmdline.index("--bind") + 1].rsplit(":", 1)[1])
        direct = load(engine_port, args.clients, args.seconds)
    finally:
        proc.terminate()
        proc.wait()
    print(json.dumps({"clients": args.clients, "seconds": args.seconds, "policygraph serve": through,
                      "oxigraph engine directly": direct}, indent=1))  # fmt: skip


if __name__ == "__main__":
    main()
