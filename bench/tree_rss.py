"""Peak memory of a command and every process it starts, summed (Linux /proc).

    python bench/tree_rss.py -- docgraph build corpus --store /tmp/s -q

``wait4``'s peak (what /usr/bin/time prints) is that of the largest single process: a build whose parse
workers or corpus process run beside it uses more. This sums them: RSS (pages shared after a fork counted
in every process: an upper bound) five times a second, and PSS (shared pages split between the processes
sharing them) every two seconds, as reading it costs the kernel a walk of every page table.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import threading
import time
from pathlib import Path

from figures import command


def _children(pid: int) -> list[int]:
    """The processes ``pid`` started (every thread's list: a thread may fork)."""
    out: list[int] = []
    try:
        tasks = os.listdir(f"/proc/{pid}/task")
    except OSError:
        return out
    for tid in tasks:
        try:
            out.extend(int(c) for c in Path(f"/proc/{pid}/task/{tid}/children").read_text().split())
        except OSError:
            continue
    return out


def _rss_kib(pid: int) -> int:
    """Resident KiB of one process from its counters (cheap), 0 once it is gone."""
    try:
        return int(Path(f"/proc/{pid}/statm").read_text().split()[1]) * os.sysconf("SC_PAGE_SIZE") // 1024
    except (OSError, IndexError, ValueError):
        return 0


def _pss_kib(pid: int) -> int:
    """Proportional KiB of one process (shared pages split); walks its page tables, so it is costly."""
    try:
        text = Path(f"/proc/{pid}/smaps_rollup").read_text()
    except OSError:
        return 0
    return next((int(line.split()[1]) for line in text.splitlines() if line.startswith("Pss:")), 0)


def tree(root: int) -> list[int]:
    """``root`` and all its descendants."""
    todo, out = [root], []
    while todo:
        pid = todo.pop()
        out.append(pid)
        todo.extend(_children(pid))
    return out


class TreeSampler:
    """Samples a process tree on a thread until stopped; ``peak_rss_mib``, ``peak_pss_mib`` (sums). RSS is
    read every ``every`` seconds, PSS every ``pss_every`` (reading it walks the page tables of gigabytes)."""

    def __init__(self, pid: int, every: float = 0.2, pss_every: float = 2.0) -> None:
        self.pid, self.every, self.pss_every = pid, every, pss_every
        self.peak_rss = self.peak_pss = self.most = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    def _run(self) -> None:
        last_pss = 0.0
        while not self._stop.is_set():
            pids = tree(self.pid)
            self.peak_rss = max(self.peak_rss, sum(_rss_kib(p) for p in pids))
            if time.monotonic() - last_pss >= self.pss_every:
                self.peak_pss, last_pss = max(self.peak_pss, sum(_pss_kib(p) for p in pids)), time.monotonic()
            self.most = max(self.most, len(pids))
            self._stop.wait(self.every)

    def stop(self) -> None:
        self._stop.set()
        self._thread.join()

    @property
    def peak_rss_mib(self) -> int:
        return self.peak_rss // 1024

    @property
    def peak_pss_mib(self) -> int:
        return self.peak_pss // 1024


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("command", nargs=argparse.REMAINDER)
    args = ap.parse_args()
    cmd = command(ap, args.command)
    t0 = time.perf_counter()
    proc = subprocess.Popen(cmd)
    sampler = TreeSampler(proc.pid)
    _pid, status, usage = os.wait4(proc.pid, 0)
    sampler.stop()
    wall = time.perf_counter() - t0
    print(f"wall {wall:.1f} s; peak of the process tree: RSS {sampler.peak_rss_mib:,} MiB, PSS "
          f"{sampler.peak_pss_mib:,} MiB (at most {sampler.most} processes); largest single process "
          f"{usage.ru_maxrss // 1024:,} MiB", file=sys.stderr)
    sys.exit(os.waitstatus_to_exitcode(status))


if __name__ == "__main__":
    main()
