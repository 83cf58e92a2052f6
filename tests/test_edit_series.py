"""bench/edit_series.py: one-file rebuilds in a row, timed from a new process each (the ≤ 3 s target)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "bench"))

import edit_series  # noqa: E402


@pytest.mark.parametrize(("walls", "median", "within"), [
    ([1.0, 2.5, 4.0], 2.5, 2),
    ([3.0, 3.1], 3.05, 1),  # 3 s itself is within the target
    ([5.5], 5.5, 0),
])
def test_the_summary_counts_the_runs_within_three_seconds(walls: list[float], median: float, within: int) -> None:
    s = edit_series.summary([{"wall_s": w, "mode": "local"} for w in walls])
    assert (s["median_s"], s["min_s"], s["max_s"], s["within_target"], s["runs"]) == \
        (median, min(walls), max(walls), within, len(walls))


def test_a_series_edits_and_rebuilds_locally_and_compares_with_an_earlier_one(tmp_path: Path) -> None:
    corpus, store = tmp_path / "corpus", tmp_path / "store"
    subprocess.run([sys.executable, str(ROOT / "bench" / "generate.py"), "--docs", "60", "--seed", "3",
                    "--out", str(corpus)], check=True, capture_output=True)
    subprocess.run([sys.executable, "-m", "docgraph", "build", str(corpus), "--store", str(store), "-q"], check=True)
    before = {p.name: p.read_bytes() for p in corpus.glob("*.txt")}
    first_gen = (store / "current").resolve().name
    script = [sys.executable, str(ROOT / "bench" / "edit_series.py"), "--corpus", str(corpus), "--store", str(store),
              "--runs", "2", "--kind", "one"]
    subprocess.run([*script, "--out", str(tmp_path / "a.json")], check=True, capture_output=True)
    a = json.loads((tmp_path / "a.json").read_text("utf-8"))
    assert a["kind"] == "one" and len(a["runs"]) == 2 and a["summary"]["modes"] == ["local"]
    assert all(r["stages"]["total"] <= r["wall_s"] for r in a["runs"])
    edited = [n for n, b in before.items() if (corpus / n).read_bytes() != b]
    assert 1 <= len(edited) <= 2  # one file per run (the same one may be picked twice)
    assert (store / "current").resolve().name != first_gen
    out = subprocess.run([*script, "--runs", "1", "--compare", str(tmp_path / "a.json")], check=True,
                         capture_output=True, text=True).stdout
    assert "median_s" in out and f"{a['summary']['median_s']}" in out and "->" in out


def test_a_store_not_built_yet_is_one_line(tmp_path: Path) -> None:
    proc = subprocess.run([sys.executable, str(ROOT / "bench" / "edit_series.py"), "--corpus", str(tmp_path),
                           "--store", str(tmp_path / "none")], capture_output=True, text=True)
    assert proc.returncode != 0 and proc.stderr.strip().count("\n") == 0 and "no build in" in proc.stderr
