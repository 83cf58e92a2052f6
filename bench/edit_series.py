"""One-file rebuilds, one after another, each from a cold shell: the ≤ 3 s target at 100k in figures.

    python bench/edit_series.py --corpus W/corpus --store W/store --runs 12 --out edits.json
    python bench/edit_series.py --corpus W/corpus --store W/store --runs 12 --compare edits.json
    python bench/edit_series.py --corpus W/corpus --store W/store --kind one   # reworded text, no citation

Each run edits one file with ``bench/generate.py`` (``--kind cite``: a cited symbol's number changed, so the
build replays the identity keys it touches; ``one``: a sentence changed, so the file is rebuilt alone),
then times ``docgraph build CORPUS --store STORE -q`` as a new process: wall seconds, its peak RSS (the
build runs in one process unless it falls back to the full build), its mode, and the stages ``build.json``
records. Prints a line per run, then the median, the range and how many runs took ≤ 3 s; ``--compare``
puts an earlier run's summary beside this one's. The store must have been built from the corpus first.
The edits accumulate in the corpus, as a user's would (``--seed`` picks which files, as for the corpus).
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
TARGET_S = 3.0


def _run(corpus: Path, store: Path, kind: str, seed: int) -> dict[str, Any]:
    change = "--change-cite" if kind == "cite" else "--change-one"
    subprocess.run([sys.executable, str(HERE / "generate.py"), "--out", str(corpus), change, "--seed", str(seed)],
                   check=True, capture_output=True)
    t0 = time.perf_counter()
    proc = subprocess.Popen([sys.executable, "-m", "docgraph", "build", str(corpus), "--store", str(store), "-q"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _pid, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - t0
    err = proc.stderr.read().decode("utf-8", "replace") if proc.stderr else ""
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"edit_series: the build failed:\n{err}")
    manifest = json.loads((store / "current" / "build.json").read_text("utf-8"))
    return {"wall_s": round(wall, 3), "peak_mib": usage.ru_maxrss // 1024, "mode": manifest.get("mode"),
            "stages": manifest.get("timings", {}), "validated_nodes": manifest.get("validated_nodes")}


def summary(runs: list[dict[str, Any]]) -> dict[str, Any]:
    walls = [r["wall_s"] for r in runs]
    return {"runs": len(walls), "median_s": round(statistics.median(walls), 3), "min_s": min(walls),
            "max_s": max(walls), "within_target": sum(w <= TARGET_S for w in walls),
            "modes": sorted({r["mode"] for r in runs})}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--corpus", type=Path, required=True, help="a corpus bench/generate.py wrote")
    ap.add_argument("--store", type=Path, required=True, help="a store built from it")
    ap.add_argument("--runs", type=int, default=12)
    ap.add_argument("--kind", choices=("cite", "one"), default="cite")
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--out", type=Path, help="write the runs and their summary here (JSON)")
    ap.add_argument("--compare", type=Path, help="an earlier --out to print beside this run")
    args = ap.parse_args()
    if not (args.store / "current").exists():
        raise SystemExit(f"edit_series: no build in {args.store} "
                         f"(run: docgraph build {args.corpus} --store {args.store})")
    runs = []
    for n in range(1, args.runs + 1):
        r = _run(args.corpus, args.store, args.kind, args.seed)
        runs.append(r)
        stages = " ".join(f"{k} {v:.2f}" for k, v in r["stages"].items())
        print(f"{n:3d}  {r['wall_s']:6.2f} s  {r['peak_mib']:5d} MiB  {r['mode']:<7} {stages}", flush=True)
    s = summary(runs)
    print(f"median {s['median_s']:.2f} s, {s['min_s']:.2f}–{s['max_s']:.2f} s, {s['within_target']} of {s['runs']} "
          f"≤ {TARGET_S:g} s; modes {', '.join(map(str, s['modes']))}")
    if args.compare:
        old = json.loads(args.compare.read_text("utf-8"))["summary"]
        for k in ("median_s", "min_s", "max_s", "within_target", "runs"):
            print(f"  {k:<14} {old[k]!s:>8} -> {s[k]!s:>8}")
    if args.out:
        args.out.write_text(json.dumps({"kind": args.kind, "runs": runs, "summary": s}, indent=1) + "\n", "utf-8")


if __name__ == "__main__":
    main()
