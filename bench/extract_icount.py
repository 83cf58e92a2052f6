"""Instructions per document of the extractor (``parse_text``), counted by valgrind's callgrind: repeatable on
a shared machine, where CPU time varies by tens of percent from one hour to the next.

    python bench/extract_icount.py --files 60 --out bench/results/icount.json
    python bench/extract_icount.py --files 60 --compare bench/results/icount.json

Counts a run over the first file and a run over the first 1 + N files of the synthetic corpus (made by
bench/generate.py, cached under --workdir) and divides the difference by N, so start-up and imports cancel
out. Needs ``valgrind`` (Debian package); about a second of real time per file.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

from figures import corpus, report

_RUN = """
import sys
from pathlib import Path
from docgraph.parse import parse_text
for p in sorted(Path(sys.argv[1]).glob("*.txt"))[: int(sys.argv[2])]:
    parse_text(p.read_text("utf-8"))
"""


def _interpreter() -> str:
    """The real interpreter: valgrind would follow a pyenv shim into bash and count that."""
    return os.path.realpath(sys.executable)


def instructions(corpus: Path, files: int) -> int:
    out = subprocess.run(["valgrind", "--tool=callgrind", "--callgrind-out-file=/dev/null", _interpreter(), "-c",
                          _RUN, str(corpus), str(files)], capture_output=True, text=True, check=True).stderr
    m = re.search(r"Collected\s*:\s*(\d+)", out)
    if not m:
        raise SystemExit(f"no instruction count in valgrind's output:\n{out[-2000:]}")
    return int(m.group(1))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--files", type=int, default=60)
    ap.add_argument("--docs", type=int, default=2000, help="size of the synthetic corpus the files come from")
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--workdir", type=Path, default=Path("/tmp/docgraph-bench"))
    ap.add_argument("--out", type=Path)
    ap.add_argument("--compare", type=Path)
    args = ap.parse_args()
    if shutil.which("valgrind") is None:
        raise SystemExit("valgrind is not installed (Debian: apt-get install valgrind)")
    src = corpus(args.workdir, args.docs, args.seed)
    base, total = instructions(src, 1), instructions(src, 1 + args.files)
    r = {"files": args.files, "m_instructions_per_doc": (total - base) / args.files / 1e6}
    report(r, args.compare, args.out, width=24)

if __name__ == "__main__":
    main()
