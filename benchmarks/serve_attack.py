"""`policygraph serve` under attack: good, bad and endless queries from concurrent clients.

Builds data/ into a temporary folder, starts `policygraph serve` on a free loopback port and
runs N clients for a bounded time, all on 127.0.0.1. Most clients ask good canned queries; some
send bad requests (SERVICE to a local listener, path traversal, wrong Host, malformed bodies,
updates, syntax errors); some send endless queries (a huge aggregate, a cartesian product
streamed to the size cap, and the same left half-read). Prints the good queries answered, the
errors among them (the goal is 0), their p50 and p99 latency, what the others got, and how many
requests reached the SERVICE listener (the goal is 0), with the machine's load average (1 min)
sampled every 5 s, since the figures depend on what else runs.

    python benchmarks/serve_attack.py --seconds 30
    python benchmarks/serve_attack.py --seconds 30 --store out/store --max-running 4
"""

from __future__ import annotations

import argparse
import collections
import http.client
import json
import os
import random
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
AGENCIES = ["MIIT", "NHC", "MOST", "MOE", "NDRC", "SASAC", "CNIPA", "SAMR", "PBC", "工信部"]
GOOD = [
    lambda r: "/canned/co-issuers?agency=" + urllib.parse.quote(r.choice(AGENCIES)),
    lambda r: "/canned/agency-policies?agency=" + urllib.parse.quote(r.choice(AGENCIES)),
    lambda r: f"/canned/targets-by-year?year={r.choice([2025, 2026, 2027])}",
    lambda r: "/canned/class-counts",
    lambda r: "/canned/co-issuance",
    lambda r: "/canned/sector-overlap",
]
AGGREGATE = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"
CARTESIAN = "SELECT * WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"


def q(text: str) -> str:
    return "/query?" + urllib.parse.urlencode({"query": text})


def bad_requests(port: int, trap: int) -> list[bytes]:
    """Raw HTTP requests that must all be refused (each closes its connection)."""
    host = f"Host: 127.0.0.1:{port}\r\nConnection: close\r\n"
    service = f"SELECT * {{ SERVICE <http://127.0.0.1:{trap}/x> {{ ?s ?p ?o }} }}"
    return [
        f"GET {q(service)} HTTP/1.1\r\n{host}\r\n".encode(),
        f"GET /canned/..%2F..%2F..%2Fetc%2Fpasswd HTTP/1.1\r\n{host}\r\n".encode(),
        f"GET /canned/_exists HTTP/1.1\r\n{host}\r\n".encode(),
        f"GET {q('SELECT * WHERE {{ ?s ?p }}')} HTTP/1.1\r\n{host}\r\n".encode(),
        f"GET {q('SELECT * {}')} HTTP/1.1\r\nHost: rebind.example:{port}\r\n\r\n".encode(),
        f"POST /query HTTP/1.1\r\n{host}Content-Length: x1\r\n\r\n".encode(),
        f"POST /query HTTP/1.1\r\n{host}Content-Type: application/x-www-form-urlencoded\r\n"
        f"Content-Length: 8\r\n\r\n".encode()
        + b"query=\xff\xfe",
        f"POST /update HTTP/1.1\r\n{host}Content-Length: 8\r\n\r\nDROP ALL".encode(),
        f"GET /canned/agency-policies?agency=%3Chttp%3A%2F%2Fa%20b%3E HTTP/1.1\r\n{host}\r\n".encode(),
    ]


def raw(port: int, data: bytes) -> int:
    with socket.create_connection(("127.0.0.1", port), 30) as s:
        s.sendall(data)
        answer = b""
        while b"\r\n" not in answer and (chunk := s.recv(4096)):
            answer += chunk
    return int(answer.split(b" ", 2)[1]) if answer.startswith(b"HTTP/") else 0


def endless(port: int, rng: random.Random) -> str:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
    kind = rng.choice(["aggregate", "cartesian", "leave"])
    conn.request("GET", q(AGGREGATE if kind == "aggregate" else CARTESIAN))
    try:
        response = conn.getresponse()
        if kind == "leave":
            response.read(100_000)
            return "left"
        response.read()
        return f"{kind} {response.status}"
    except http.client.IncompleteRead:
        return f"{kind} cut off"
    finally:
        conn.close()


def trap() -> tuple[socket.socket, list[int]]:
    """A loopback listener that counts what reaches it (a SERVICE request must not)."""
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    sock.listen()
    hits = [0]

    def accept():
        while True:
            try:
                conn, _ = sock.accept()
            except OSError:
                return
            hits[0] += 1
            conn.close()

    threading.Thread(target=accept, daemon=True).start()
    return sock, hits


def attack(port: int, clients: int, bad: int, runaway: int, seconds: float, seed: int) -> dict:
    listener, hits = trap()
    deadline = time.monotonic() + seconds
    lock = threading.Lock()
    latencies: list[float] = []
    good_errors: collections.Counter = collections.Counter()
    others: collections.Counter = collections.Counter()
    requests = bad_requests(port, listener.getsockname()[1])

    def client(n: int) -> None:
        rng = random.Random(seed + n)
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
        while time.monotonic() < deadline:
            if n < runaway:
                outcome = endless(port, rng)
                with lock:
                    others[outcome] += 1
                continue
            if n < runaway + bad:
                status = raw(port, rng.choice(requests))
                with lock:
                    others[f"bad {status}"] += 1
                continue
            start = time.perf_counter()
            path = rng.choice(GOOD)(rng)
            try:
                conn.request("GET", path)
                response = conn.getresponse()
                body = response.read()
                ok = response.status == 200 and "results" in json.loads(body)
                error = None if ok else f"{response.status} {body[:80]!r}"
            except (OSError, http.client.HTTPException, ValueError) as exc:
                error = type(exc).__name__
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
            with lock:
                latencies.append(time.perf_counter() - start)
                if error:
                    good_errors[f"{path.split('?')[0]}: {error}"] += 1

    threads = [threading.Thread(target=client, args=(n,)) for n in range(clients)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    listener.close()
    latencies.sort()
    return {
        "good answered": len(latencies) - sum(good_errors.values()),
        "errors on good": sum(good_errors.values()),
        "good errors by kind": dict(good_errors),
        "good p50 ms": round(1000 * statistics.median(latencies), 1) if latencies else None,
        "good p99 ms": round(1000 * latencies[int(0.99 * (len(latencies) - 1))], 1)
        if latencies
        else None,
        "bad and endless outcomes": dict(sorted(others.items())),
        "requests reaching the SERVICE listener": hits[0],
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--clients", type=int, default=32)
    parser.add_argument("--bad", type=int, default=6, help="clients sending bad requests")
    parser.add_argument("--endless", type=int, default=6, help="clients sending endless queries")
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--timeout", type=float, default=10, help="serve's --timeout")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--max-running", type=int, help="serve's --max-running (default: its own)")
    parser.add_argument("--store", help="serve this built store instead of building data/ anew")
    args = parser.parse_args()

    from policygraph.build import build
    from policygraph.serve.front import free_port

    if args.store:
        store = Path(args.store)
    else:
        store = build(ROOT / "data", Path(tempfile.mkdtemp(prefix="serve-attack-"))).files["store"]
    port = free_port()
    command = [sys.executable, "-m", "policygraph", "serve", "--store", str(store),
               "--port", str(port), "--timeout", str(args.timeout)]  # fmt: skip
    if args.max_running:
        command += ["--max-running", str(args.max_running)]
    proc = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    loads = [os.getloadavg()[0]]
    sampling = threading.Event()

    def sample() -> None:
        while not sampling.wait(5):
            loads.append(os.getloadavg()[0])

    threading.Thread(target=sample, daemon=True).start()
    try:
        for _ in range(300):
            try:
                socket.create_connection(("127.0.0.1", port), 1).close()
                break
            except OSError:
                time.sleep(0.1)
        result = attack(port, args.clients, args.bad, args.endless, args.seconds, args.seed)
    finally:
        sampling.set()
        proc.terminate()
        _, err = proc.communicate(timeout=30)
    result["serve stderr lines"] = len(err.splitlines())
    result["load average (1 min) min/max"] = [round(min(loads), 1), round(max(loads), 1)]
    print(json.dumps({"clients": args.clients, "bad clients": args.bad,
                      "endless clients": args.endless, "seconds": args.seconds,
                      "timeout": args.timeout, "max running": args.max_running or "default",
                      **result}, indent=1, ensure_ascii=False))  # fmt: skip


if __name__ == "__main__":
    main()
