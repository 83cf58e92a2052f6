"""Peak memory of a command and every process it starts, summed (Linux /proc), sampled five times a second.

    python bench/tree_rss.py -- docgraph build corpus --store /tmp/s -q

``wait4``'s peak (what /usr/bin/time prints) is that of the largest single process: a build whose parse
workers or corpus process run beside it uses more. This sums them: RSS (pages shared after a fork counted
in every process: an upper bound) and PSS (shared pages split between the processes sharing them).
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import threading
import time
from pathlib import Path


def _children() -> dict[int, list[int]]:
    kids: dict[int, list[int]] = {}
    for entry in os.scandir("/proc"):
        if not entry.name.isdigit():
            continue
        try:
            stat = Path(entry.path, "stat").read_text()
        except OSError:
            continue
        ppid = int(stat.rsplit(")", 1)[1].split()[1])
        kids.setdefault(ppid, []).append(int(entry.name))
    return kids


def _kib(pid: int) -> tuple[int, int]:
    """(RSS, PSS) of one process in KiB, (0, 0) once it is gone."""
    try:
        text = Path(f"/proc/{pid}/smaps_rollup").read_text()
    except OSError:
        return 0, 0
    rss = pss = 0
    for line in text.splitlines():
        if line.startswith("Rss:"):
            rss = int(line.split()[1])
        elif line.startswith("Pss:"):
            pss = int(line.split()[1])
    return rss, pss


def tree_kib(root: int) -> tuple[int, int, int]:
    """(RSS, PSS, processes) of ``root`` and all its descendants."""
    kids = _children()
    todo, rss, pss, n = [root], 0, 0, 0
    while todo:
        pid = todo.pop()
        r, p = _kib(pid)
        rss, pss, n = rss + r, pss + p, n + 1
        todo.extend(kids.get(pid, ()))
    return rss, pss, n


class TreeSampler:
    """Samples a process tree on a thread until stopped; ``peak_rss_mib``, ``peak_pss_mib`` (sums)."""

    def __init__(self, pid: int, every: float = 0.2) -> None:
        self.pid, self.every = pid, every
        self.peak_rss = self.peak_pss = self.most = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    def _run(self) -> None:
        while not self._stop.is_set():
            rss, pss, n = tree_kib(self.pid)
            self.peak_rss, self.peak_pss = max(self.peak_rss, rss), max(self.peak_pss, pss)
            self.most = max(self.most, n)
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
    cmd = args.command[1:] if args.command[:1] == ["--"] else args.command
    if not cmd:
        ap.error("no command given")
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
