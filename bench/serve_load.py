"""A bounded load test of ``docgraph serve``: N requests from C concurrent clients on 127.0.0.1.

Starts the server on the given store (or uses ``--url``), sends a fixed mix of requests (named SPARQL
queries with their example parameters bound, document pages as HTML and Turtle, an ASK), stops by
itself, and prints requests/s, latency percentiles, errors and the resident memory of the server and
its query workers before and after. ``--json FILE`` keeps the figures; ``--compare FILE`` prints the
change against an earlier run.

    python bench/serve_load.py --store /tmp/serve-store
    python bench/serve_load.py --store /tmp/serve-store --json new.json --compare old.json
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import signal
import statistics
import subprocess
import sys
import threading
import time
import urllib.parse
from pathlib import Path
from typing import Any


def rss_kb(pid: int) -> int:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    except OSError:
        pass
    return 0


def children(pid: int) -> list[int]:
    try:
        return [int(p) for p in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]
    except OSError:
        return []


def memory(pid: int | None) -> dict[str, int]:
    if pid is None:
        return {}
    kids = children(pid)
    return {"server_kb": rss_kb(pid), "workers_kb": sum(rss_kb(k) for k in kids), "workers": len(kids)}


def request_mix(store: str) -> list[tuple[str, str, str]]:
    """(method path, accept) for each kind of request, in the proportions they are sent."""
    from docgraph.queries import named_queries
    from docgraph.serve_pages import example_text
    from docgraph.store import Store

    s = Store(store)
    mix: list[tuple[str, str, str]] = []
    for name in named_queries():
        text = example_text(s, name) or ""
        mix.append(("GET", "/sparql?query=" + urllib.parse.quote(text), "application/sparql-results+json"))
    docs = [str(r[0]) for r in s.query("SELECT ?d WHERE { ?d a dg:Document } ORDER BY ?d LIMIT 6").rows]
    base = "https://w3id.org/docgraph/id/"
    for d in docs:
        if d.startswith(base):
            mix.append(("GET", "/id/" + urllib.parse.quote(d[len(base):], safe="/@"), "text/html"))
            mix.append(("GET", "/id/" + urllib.parse.quote(d[len(base):], safe="/@"), "text/turtle"))
    mix.append(("GET", "/sparql?query=" + urllib.parse.quote("ASK { ?d a dg:Document }"), "text/csv"))
    return mix


def start_server(store: str, workers: int | None) -> tuple[subprocess.Popen[str], str]:
    args = [sys.executable, "-c", "from docgraph.cli_serve import serve; serve()", "--store", store,
            "--port", "0", "-q"]
    if workers:
        args += ["--workers", str(workers)]
    proc = subprocess.Popen(args, stderr=subprocess.PIPE, text=True)
    assert proc.stderr is not None
    line = proc.stderr.readline()
    if " at http://" not in line:
        proc.kill()
        raise SystemExit(f"serve_load: the server did not start: {line}{proc.stderr.read()}")
    url = line.split(" at ", 1)[1].split("/ ", 1)[0]
    return proc, url


def run_load(url: str, mix: list[tuple[str, str, str]], total: int, clients: int) -> dict[str, Any]:
    parsed = urllib.parse.urlsplit(url)
    lock = threading.Lock()
    counter = iter(range(total))
    latencies: list[float] = []
    errors: list[str] = []

    def client() -> None:
        conn = http.client.HTTPConnection(parsed.hostname, parsed.port, timeout=60)
        while True:
            with lock:
                i = next(counter, None)
            if i is None:
                break
            method, path, accept = mix[i % len(mix)]
            t0 = time.perf_counter()
            problem = None
            try:
                conn.request(method, path, headers={"Accept": accept})
                resp = conn.getresponse()
                resp.read()
                if resp.status != 200:
                    problem = f"HTTP {resp.status}"
                if resp.will_close:
                    conn.close()
                    conn = http.client.HTTPConnection(parsed.hostname, parsed.port, timeout=60)
            except (OSError, http.client.HTTPException) as e:
                problem = str(e) or type(e).__name__
                conn.close()
                conn = http.client.HTTPConnection(parsed.hostname, parsed.port, timeout=60)
            dt = time.perf_counter() - t0
            with lock:
                latencies.append(dt)
                if problem:
                    errors.append(f"{path[:60]}: {problem}")
        conn.close()

    t0 = time.perf_counter()
    threads = [threading.Thread(target=client) for _ in range(clients)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    wall = time.perf_counter() - t0
    lat = sorted(latencies)
    pct = lambda p: lat[min(len(lat) - 1, int(p * len(lat)))] * 1000  # noqa: E731
    return {"requests": len(lat), "clients": clients, "seconds": round(wall, 3),
            "requests_per_s": round(len(lat) / wall, 1), "p50_ms": round(pct(0.50), 2), "p95_ms": round(pct(0.95), 2),
            "p99_ms": round(pct(0.99), 2), "max_ms": round(lat[-1] * 1000, 2),
            "mean_ms": round(statistics.fmean(lat) * 1000, 2), "errors": len(errors), "error_samples": errors[:5]}


def compare(new: dict[str, Any], old: dict[str, Any]) -> str:
    lines = ["", "change against the earlier run:"]
    for key in ("requests_per_s", "p50_ms", "p95_ms", "p99_ms", "errors"):
        a, b = old.get(key), new.get(key)
        if isinstance(a, (int, float)) and isinstance(b, (int, float)):
            rel = f" ({(b - a) / a * 100:+.1f} %)" if a else ""
            lines.append(f"  {key:16} {a:>10} -> {b:<10}{rel}")
    return "\n".join(lines)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--store", default=os.environ.get("DOCGRAPH_STORE", ".docgraph"))
    ap.add_argument("--url", help="Load an already running server instead of starting one.")
    ap.add_argument("--requests", type=int, default=1000)
    ap.add_argument("--clients", type=int, default=8)
    ap.add_argument("--workers", type=int, help="Query workers of the started server.")
    ap.add_argument("--json", dest="json_out", help="Write the figures to this file.")
    ap.add_argument("--compare", help="An earlier --json file to compare with.")
    a = ap.parse_args()

    mix = request_mix(a.store)
    proc, url = (None, a.url) if a.url else start_server(a.store, a.workers)
    pid = proc.pid if proc else None
    try:
        time.sleep(0.3)
        before = memory(pid)
        run_load(url, mix, min(50, a.requests), a.clients)  # warm-up, not counted
        result = run_load(url, mix, a.requests, a.clients)
        after = memory(pid)
    finally:
        if proc:
            proc.send_signal(signal.SIGINT)
            try:
                proc.wait(10)
            except subprocess.TimeoutExpired:
                proc.kill()
    result.update(url=url, request_kinds=len(mix), rss_before=before, rss_after=after)
    print(f"{result['requests']} requests from {result['clients']} clients in {result['seconds']} s "
          f"({result['request_kinds']} kinds of request, round robin)")
    print(f"  throughput   {result['requests_per_s']} requests/s")
    print(f"  latency      p50 {result['p50_ms']} ms, p95 {result['p95_ms']} ms, p99 {result['p99_ms']} ms, "
          f"max {result['max_ms']} ms")
    print(f"  errors       {result['errors']}" + (f" e.g. {result['error_samples'][0]}" if result["errors"] else ""))
    if before:
        print(f"  RSS server   {before['server_kb'] / 1024:.1f} MiB -> {after['server_kb'] / 1024:.1f} MiB")
        print(f"  RSS workers  {before['workers_kb'] / 1024:.1f} MiB -> {after['workers_kb'] / 1024:.1f} MiB "
              f"({after['workers']} processes)")
    if a.compare:
        print(compare(result, json.loads(Path(a.compare).read_text("utf-8"))))
    if a.json_out:
        Path(a.json_out).write_text(json.dumps(result, indent=1) + "\n", "utf-8")
    sys.exit(1 if result["errors"] else 0)


if __name__ == "__main__":
    main()
