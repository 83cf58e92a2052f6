"""bench/cpu_timeline.py: the cores' busy share while a command runs, and the stretches with a core idle."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "bench"))

import cpu_timeline  # noqa: E402


@pytest.mark.parametrize(("before", "after", "share"), [
    ((1000, 400), (1200, 500), 50.0),  # 200 jiffies, 100 idle
    ((1000, 400), (1100, 400), 100.0),
    ((1000, 400), (1100, 500), 0.0),
    ((1000, 400), (1000, 400), 0.0),  # no time passed
])
def test_the_busy_share_is_the_jiffies_not_idle(before: tuple[int, int], after: tuple[int, int],
                                                share: float) -> None:
    assert cpu_timeline.busy_share(before, after) == share


@pytest.mark.parametrize(("samples", "under", "longest", "mean"), [
    # parse on both cores, resolve on one, load on both again
    ([(2.0, 99.0), (4.0, 98.0), (6.0, 50.0), (8.0, 51.0), (10.0, 100.0)], 4.0, 4.0, 79.6),
    # two idle stretches: the longest is the second
    ([(1.0, 50.0), (2.0, 99.0), (3.0, 40.0), (4.0, 45.0), (5.0, 30.0)], 4.0, 3.0, 52.8),
    ([(2.0, 100.0)], 0.0, 0.0, 100.0),
    ([(3.0, 10.0)], 3.0, 3.0, 10.0),  # the first sample stands for the time since the start
    ([], 0.0, 0.0, 0.0),
])
def test_the_stretches_under_the_threshold_and_the_mean(samples: list[tuple[float, float]], under: float,
                                                        longest: float, mean: float) -> None:
    assert cpu_timeline.stretches(samples, 75.0) == (under, longest)
    assert cpu_timeline.mean_share(samples) == pytest.approx(mean)


def test_a_run_prints_the_figures_keeps_them_and_passes_the_exit_code_on(tmp_path: Path) -> None:
    out = tmp_path / "cpu.json"
    script = "import time; t = time.perf_counter()\nwhile time.perf_counter() - t < 0.6: pass\nraise SystemExit(3)"
    run = subprocess.run([sys.executable, str(ROOT / "bench" / "cpu_timeline.py"), "--every", "0.2", "--out",
                          str(out), "--", sys.executable, "-c", script], capture_output=True, text=True, cwd=ROOT)
    assert run.returncode == 3, run.stderr
    figures = json.loads(out.read_text())
    assert figures["exit_code"] == 3 and 0.5 <= figures["wall_s"] <= 10
    assert 0 < figures["mean_busy_pct"] <= 100 and figures["under_75pct_s"] <= figures["wall_s"]
    assert "% busy" in run.stdout and "wall_s" in run.stdout
    again = subprocess.run([sys.executable, str(ROOT / "bench" / "cpu_timeline.py"), "--compare", str(out), "--",
                            sys.executable, "-c", "pass"], capture_output=True, text=True, cwd=ROOT)
    assert again.returncode == 0 and "(was" in again.stdout
    missing = subprocess.run([sys.executable, str(ROOT / "bench" / "cpu_timeline.py")], capture_output=True,
                             text=True, cwd=ROOT)
    assert missing.returncode == 2 and "give the command" in missing.stderr
