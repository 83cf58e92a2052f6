"""How busy the machine's cores are while a command runs, sampled from /proc/stat (Linux).

    python bench/cpu_timeline.py -- docgraph build corpus --store /tmp/s -q
    python bench/cpu_timeline.py --out bench/results/cpu.json -- docgraph build corpus --store /tmp/s2 -q
    python bench/cpu_timeline.py --compare bench/results/cpu.json -- docgraph build corpus --store /tmp/s3 -q

Prints the busy share of all cores every ``--every`` seconds. The share counts every process on the machine,
so run it on a quiet machine. Then it prints the wall time, the mean share, and the seconds and longest
stretch under ``--below`` percent. On two cores, 50% means one core busy and one idle: the part of a build
that gets shorter by spreading its work, not by cutting it. With ``--compare``, each figure is printed next
to an earlier run's. The command's exit code is passed on.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import time
from pathlib import Path

from figures import command, report


def cpu_times() -> tuple[int, int]:
    """(all jiffies, idle jiffies) of every core so far: the first line of /proc/stat (idle and iowait
    count as idle)."""
    fields = [int(x) for x in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
    return sum(fields), fields[3] + fields[4]


def busy_share(before: tuple[int, int], after: tuple[int, int]) -> float:
    """Percent of the jiffies between two readings that were not idle."""
    total, idle = after[0] - before[0], after[1] - before[1]
    return 100.0 * (total - idle) / total if total > 0 else 0.0


def stretches(samples: list[tuple[float, float]], below: float) -> tuple[float, float]:
    """(seconds in all, longest run of seconds) of the samples (end time, share) with a share under ``below``:
    a sample stands for the interval since the one before it."""
    total = longest = run = 0.0
    last = 0.0
    for t, share in samples:
        step = t - last
        last = t
        if share < below:
            run += step
            total += step
            longest = max(longest, run)
        else:
            run = 0.0
    return total, longest


def mean_share(samples: list[tuple[float, float]]) -> float:
    """The shares of the samples (end time, share) weighted by the interval each stands for."""
    last = weighted = 0.0
    for t, share in samples:
        weighted += share * (t - last)
        last = t
    return weighted / last if last > 0 else 0.0


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--every", type=float, default=2.0, help="seconds between samples (default 2)")
    ap.add_argument("--below", type=float, default=75.0,
                    help="a share under this percent counts as a core idle (default 75)")
    ap.add_argument("--out", type=Path)
    ap.add_argument("--compare", type=Path)
    ap.add_argument("command", nargs=argparse.REMAINDER)
    args = ap.parse_args()
    cmd = command(ap, args.command)
    start = time.perf_counter()
    proc = subprocess.Popen(cmd)
    samples: list[tuple[float, float]] = []
    prev = cpu_times()
    while True:
        try:
            proc.wait(timeout=args.every)
        except subprocess.TimeoutExpired:
            pass
        now, cur = time.perf_counter() - start, cpu_times()
        samples.append((now, busy_share(prev, cur)))
        prev = cur
        if proc.returncode is not None:  # the last sample: to the command's end
            break
        print(f"{now:8.1f} s {samples[-1][1]:5.1f}% busy", flush=True)
    wall = samples[-1][0]
    under, longest = stretches(samples, args.below)
    report({"wall_s": round(wall, 1), "mean_busy_pct": round(mean_share(samples), 1),
            f"under_{args.below:g}pct_s": round(under, 1), f"longest_under_{args.below:g}pct_s": round(longest, 1),
            "exit_code": proc.returncode}, args.compare, args.out, width=22)
    return proc.returncode


if __name__ == "__main__":
    sys.exit(main())
