"""What the benchmark scripts share: the cached synthetic corpus, and printing a run next to an earlier one."""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent


def corpus(workdir: Path, size: int, seed: int) -> Path:
    """``bench/generate.py --docs size --seed seed``, made once under ``workdir`` and reused."""
    out = workdir / f"corpus-{size}-{seed}"
    if not (out / ".done").exists():
        shutil.rmtree(out, ignore_errors=True)
        subprocess.run([sys.executable, str(HERE / "generate.py"), "--docs", str(size), "--seed", str(seed),
                        "--out", str(out)], check=True)
        (out / ".done").write_text("ok")
    return out


def report(r: dict[str, Any], compare: Path | None, out: Path | None, width: int = 12) -> None:
    """Print each figure (with the earlier run's and the ratio when ``compare`` is given); keep them in ``out``."""
    old = json.loads(compare.read_text()) if compare else {}
    for k, v in r.items():
        prev = old.get(k)
        cmp = f"   (was {prev:.4g}, x{v / prev:.3f})" if isinstance(prev, int | float) and prev else ""
        print(f"{k:{width}} {v:.4g}{cmp}" if isinstance(v, float) else f"{k:{width}} {v}{cmp}")
    if out:
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text(json.dumps(r, indent=1))


def command(ap: argparse.ArgumentParser, rest: list[str]) -> list[str]:
    """The command a wrapper runs: what follows ``--`` (an ``argparse.REMAINDER`` argument); a usage error
    (exit code 2) when there is none."""
    cmd = rest[1:] if rest[:1] == ["--"] else rest
    if not cmd:
        ap.error("give the command to run after --")
    return cmd
