"""Seconds of each compiled SHACL check on a built store, one after another (the whole-store validation
runs them on every core; this times each alone).

    python bench/checks_bench.py STORE --out bench/results/checks.json
    python bench/checks_bench.py STORE --compare bench/results/checks.json

STORE is a store folder (``docgraph build … --store STORE``); its current generation is opened read-only,
so a build may keep running beside it. A check is named by its shape, path, kind (count, datatype, value)
and a digest of its query's words; the total comes first, then the checks from the slowest. Run on the same
store before and after a change to the shapes or their compiler, and at the same hour: this machine's speed
varies by a fifth.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import re
import time
from pathlib import Path

import pyoxigraph as ox

from docgraph.validate import SparqlCheck, _split_shapes
from docgraph.validate_store import _rows
from figures import report


def _name(check: SparqlCheck) -> str:
    """Shape, path, kind and a digest of the query's words, the same from run to run: the compiler lists
    classes and targets in an order that follows the process's hash seed."""
    query = re.sub(r"\?_c\d+", "?_c", check.query)  # numbered in compile order
    query = " ".join(sorted(query.split()))  # its words, whatever order the lists and unions came in
    kind = "count" if "COUNT(" in query else "datatype" if check.datatype is not None else "value"
    path = str(check.path).rsplit("#", 1)[-1] if check.path else "-"
    shape = str(check.shape).rsplit("#", 1)[-1]
    return f"{shape} {path} {kind} {hashlib.blake2b(query.encode(), digest_size=2).hexdigest()}"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("store", type=Path)
    ap.add_argument("--out", type=Path)
    ap.add_argument("--compare", type=Path)
    args = ap.parse_args()
    store = ox.Store.read_only(os.path.realpath(args.store / "current" / "oxigraph"))
    _rest, checks = _split_shapes()
    times: dict[str, float] = {}
    findings = 0
    for check in checks:
        t0 = time.perf_counter()
        findings += len(_rows(store, check))
        times[_name(check)] = time.perf_counter() - t0
    r: dict[str, float | int] = {"checks": len(checks), "findings": findings, "total_s": sum(times.values())}
    r.update(sorted(times.items(), key=lambda kv: -kv[1]))
    report(r, args.compare, args.out, width=max(map(len, r)))


if __name__ == "__main__":
    main()
