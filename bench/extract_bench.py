"""Extraction throughput on one core (normalize + header + citations + assignments), on a synthetic corpus.

    python bench/extract_bench.py --docs 2000 --out bench/results/extract.json
    python bench/extract_bench.py --docs 2000 --compare bench/results/extract.json

The corpus comes from bench/generate.py (deterministic by --seed) and is cached under --workdir. The target
(issue #4) is above 1 MB/s.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--docs", type=int, default=2000)
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--workdir", type=Path, default=Path("/tmp/docgraph-bench"))
    ap.add_argument("--out", type=Path)
    ap.add_argument("--compare", type=Path)
    args = ap.parse_args()
    corpus = args.workdir / f"corpus-{args.docs}-{args.seed}"
    if not (corpus / ".done").exists():
        subprocess.run([sys.executable, str(HERE / "generate.py"), "--docs", str(args.docs), "--seed", str(args.seed),
                        "--out", str(corpus)], check=True)
        (corpus / ".done").write_text("ok")
    from docgraph.parse import parse_text

    texts = [p.read_text("utf-8") for p in sorted(corpus.glob("*.txt"))]
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
    old = json.loads(args.compare.read_text()) if args.compare else {}
    for k, v in r.items():
        prev = old.get(k)
        cmp = f"   (was {prev:.4g}, x{v / prev:.2f})" if isinstance(prev, int | float) and prev else ""
        print(f"{k:12} {v:.4g}{cmp}" if isinstance(v, float) else f"{k:12} {v}{cmp}")
    if args.out:
        args.out.parent.mkdir(parents=True, exist_ok=True)
        args.out.write_text(json.dumps(r, indent=1))


if __name__ == "__main__":
    main()
