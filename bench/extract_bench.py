"""Extraction throughput on one core (normalize + header + citations + assignments), on a synthetic corpus.

    python bench/extract_bench.py --docs 2000 --out bench/results/extract.json
    python bench/extract_bench.py --docs 2000 --compare bench/results/extract.json

The corpus comes from bench/generate.py (deterministic by --seed) and is cached under --workdir. The target
(issue #4) is above 1 MB/s.
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

from figures import corpus, report


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--docs", type=int, default=2000)
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--workdir", type=Path, default=Path("/tmp/docgraph-bench"))
    ap.add_argument("--out", type=Path)
    ap.add_argument("--compare", type=Path)
    args = ap.parse_args()
    src = corpus(args.workdir, args.docs, args.seed)
    from docgraph.parse import parse_text

    texts = [p.read_text("utf-8") for p in sorted(src.glob("*.txt"))]
    size = sum(len(t.encode("utf-8")) for t in texts)
    chars = sum(len(t) for t in texts)
    parse_text(texts[0])  # compile the patterns outside the timing
    t0 = time.process_time()
    citations = assignments = 0
    for t in texts:
        doc = parse_text(t)
        citations += len(doc.citations)
        assignments += len(doc.assignments)
    cpu = time.process_time() - t0
    r = {"docs": len(texts), "mb": size / 1e6, "cpu_s": cpu, "mb_per_s": size / 1e6 / cpu,
         "chars_per_s": chars / cpu, "citations": citations, "assignments": assignments}
    report(r, args.compare, args.out)

if __name__ == "__main__":
    main()
