"""Synthetic corpus of Vietnamese Party and State documents (texts, not triples), with the truth.

    python bench/generate.py --docs 1000 --seed 7 --out /tmp/corpus
    python bench/generate.py --out /tmp/corpus --add 50        # 50 more documents citing the corpus
    python bench/generate.py --out /tmp/corpus --change-one    # edit one file (incremental builds)
    python bench/generate.py --out /tmp/corpus --change-cite   # change one citation in one file

Writes ``NNNNNN_<hash>.txt`` (+ ``.meta.yaml`` sidecars for ~70% of provincial and district documents),
``gold.jsonl`` (one line per file: the document's own identity, each citation and assignment as
written) and ``manifest.json`` (seed, size, noise, changes). The same seed and size give byte-identical
files, whatever the number of worker processes. See bench/README.md.
"""

from __future__ import annotations

import argparse
import json
import multiprocessing as mp
import os
import random
import sys
import time
import unicodedata
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import gen_noise
from gen_data import stable_int
from gen_plan import Doc, Planner, doc_from_json
from gen_text import Writer

SIDECAR_SHARE = 0.7
_STATE: dict = {}


def file_name(seed: object, idx: int) -> str:
    return f"{idx:06d}_{stable_int('file', seed, idx):016x}"


def render(idx: int) -> str:
    """Write one document (text and sidecar); return its gold line."""
    docs: list[Doc] = _STATE["docs"]
    seed, share, out = _STATE["seed"], _STATE["noise"], _STATE["out"]
    d = docs[idx]
    rng = random.Random(f"{seed}:doc:{idx}")
    noise = gen_noise.choose(rng, share)
    text, gold = Writer(d, docs, rng, noise).render()
    name = file_name(seed, idx)
    (out / f"{name}.txt").write_bytes(text.encode("utf-8"))
    sidecar = d.level in ("province", "district") and rng.random() < SIDECAR_SHARE
    if sidecar:
        keys = {"province": d.province}
        if rng.random() < 0.3:
            keys["kind"] = "document"
        body = "".join(f"{k}: {json.dumps(v, ensure_ascii=False)}\n" for k, v in keys.items())
        (out / f"{name}.meta.yaml").write_text("# synthetic (bench/generate.py)\n" + body, encoding="utf-8")
    line = {"file": f"{name}.txt", "idx": idx, "noise": noise, "sidecar": sidecar, "depth": d.depth,
            **gold, "plan": d.to_json()}
    return json.dumps(line, ensure_ascii=False)


def _render_all(docs: list[Doc], indices: range, seed: object, share: float, out: Path, workers: int) -> list[str]:
    _STATE.update(docs=docs, seed=seed, noise=share, out=out)
    if workers <= 1 or len(indices) < 200:
        return [render(i) for i in indices]
    ctx = mp.get_context("fork")
    with ctx.Pool(workers) as pool:
        return list(pool.imap(render, indices, chunksize=max(1, min(500, len(indices) // (workers * 8)))))


def _manifest(out: Path) -> dict:
    p = out / "manifest.json"
    if not p.exists():
        sys.exit(f"error: {out} has no manifest.json (generate a corpus there first)")
    return json.loads(p.read_text(encoding="utf-8"))


def _write_manifest(out: Path, m: dict) -> None:
    (out / "manifest.json").write_text(json.dumps(m, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")


def _load_gold(out: Path) -> list[dict]:
    with open(out / "gold.jsonl", encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


def generate(out: Path, n: int, seed: int, share: float = 0.1, workers: int | None = None) -> list[str]:
    """A new corpus of ``n`` documents in ``out``; returns the gold lines."""
    out.mkdir(parents=True, exist_ok=True)
    docs = Planner(seed).plan(n)
    lines = _render_all(docs, range(len(docs)), seed, share, out, workers or os.cpu_count() or 1)
    (out / "gold.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    _write_manifest(out, {"generator": "bench/generate.py", "seed": seed, "docs": n, "noise": share,
                          "added": [], "changes": 0})
    return lines


def add(out: Path, n: int, workers: int | None = None) -> list[str]:
    """``n`` new documents citing the existing corpus in ``out`` (appended to gold.jsonl)."""
    m = _manifest(out)
    gold = _load_gold(out)
    existing = [doc_from_json(g["plan"]) for g in gold]
    new = Planner(f"{m['seed']}:add:{len(existing)}", existing).plan(n, initial=False)
    docs = existing + new
    lines = _render_all(docs, range(len(existing), len(docs)), m["seed"], m["noise"], out,
                        workers or os.cpu_count() or 1)
    with open(out / "gold.jsonl", "a", encoding="utf-8") as f:
        f.write("\n".join(lines) + "\n")
    m["added"].append(n)
    _write_manifest(out, m)
    return lines


def change_one(out: Path) -> str:
    """Add one assignment to one file, chosen by the seed and the number of earlier changes."""
    m = _manifest(out)
    gold = _load_gold(out)
    rng = random.Random(f"{m['seed']}:change:{m['changes']}")
    g = gold[rng.randrange(len(gold))]
    path = out / g["file"]
    text = path.read_bytes().decode("utf-8")
    noise = g["noise"]
    nl = "\\r\\n" if "literal_crlf" in noise else "\r\n" if "crlf" in noise else "\n"
    level = g["document"]["level"]
    lead = {"district": "Văn phòng Huyện ủy", "province": "Văn phòng Tỉnh ủy",
            "central": "Văn phòng Trung ương Đảng"}.get(level, "Văn phòng Chính phủ")
    year = int(g["document"]["date"][:4]) + 1
    sentence = (f"Giao {lead} chủ trì, phối hợp với các cơ quan liên quan tổng hợp tình hình, báo cáo kết quả "
                f"thực hiện (xong trong quý IV năm {year}).")
    if "nfd" in noise:
        sentence = unicodedata.normalize("NFD", sentence)
    if "html" in noise:
        sentence = f"<p>{sentence}</p>"
    marker = "Nơi nhận:"
    pos = max(text.find(marker), text.find(unicodedata.normalize("NFD", marker)))
    if pos < 0:
        pos = len(text)
    text = text[:pos] + sentence + nl + nl + text[pos:]
    path.write_bytes(text.encode("utf-8"))
    g["assignments"].append({"lead": lead, "coordinators": ["các cơ quan liên quan"], "kind": "assignment",
                             "deadline_text": f"xong trong quý IV năm {year}", "deadline": f"{year}-12-31",
                             "recurrence": None})
    g.setdefault("changes", 0)
    g["changes"] += 1
    (out / "gold.jsonl").write_text("".join(json.dumps(x, ensure_ascii=False) + "\n" for x in gold), encoding="utf-8")
    m["changes"] += 1
    _write_manifest(out, m)
    return g["file"]


def change_cite(out: Path) -> str:
    """Cite another document in one file: a cited symbol's number changed (each mention of it), as when an
    editor corrects "Kết luận số 102-KL/TW" to "103-KL/TW". The file and citation are chosen by the seed
    and the number of earlier changes. Returns "file: old -> new"."""
    import re

    m = _manifest(out)
    gold = _load_gold(out)
    rng = random.Random(f"{m['seed']}:cite:{m['changes']}")
    for _ in range(1000):
        g = gold[rng.randrange(len(gold))]
        cites = [c for c in g["citations"] if c.get("symbol") and c["symbol"] != g["document"]["symbol"]]
        if not cites:
            continue
        c = rng.choice(cites)
        path = out / g["file"]
        text = path.read_bytes().decode("utf-8")  # as written: noise (NFD, CRLF …) stays
        number, code = c["symbol"].split("/")[0].split("-", 1) if "-" in c["symbol"].split("/")[0] \
            else (c["number"], c["symbol"].split("/")[-1])
        written = re.compile(rf"(?<![\d/]){re.escape(number)}(?=\s*[-/]\s*(?:\d{{4}}\s*/\s*)?{re.escape(code)})")
        own = g["document"]["symbol"] or ""
        spots = [w for w in written.finditer(text) if text[w.start(): w.start() + len(own)] != own]
        if not spots:
            continue
        new = str(int(number) + 1) if number.isdigit() else number + "a"
        for w in reversed(spots):
            text = text[: w.start()] + new + text[w.end():]
        path.write_bytes(text.encode("utf-8"))
        before = c["symbol"]
        c["symbol"] = c["symbol"].replace(number, new, 1)
        c["number"] = new
        g["changes"] = g.get("changes", 0) + 1
        (out / "gold.jsonl").write_text("".join(json.dumps(x, ensure_ascii=False) + "\n" for x in gold),
                                        encoding="utf-8")
        m["changes"] += 1
        _write_manifest(out, m)
        return f"{g['file']}: {before} -> {c['symbol']}"
    sys.exit("error: no citation to change")


def _size_mb(out: Path) -> float:
    return sum(p.stat().st_size for p in out.iterdir() if p.suffix in (".txt", ".yaml")) / 1e6


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--docs", type=int, default=1000, help="number of documents (new corpus)")
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--out", type=Path, required=True)
    ap.add_argument("--noise", type=float, default=0.10, help="share of documents with noisy forms")
    ap.add_argument("--change-one", action="store_true", help="modify one existing file in OUT")
    ap.add_argument("--change-cite", action="store_true", help="change one cited symbol in one file in OUT")
    ap.add_argument("--add", type=int, default=0, metavar="N", help="add N documents to the corpus in OUT")
    ap.add_argument("--workers", type=int, default=None, help="processes (default: CPU count)")
    a = ap.parse_args(argv)
    t0 = time.perf_counter()
    if a.change_one:
        name = change_one(a.out)
        print(f"changed {name} in {a.out} ({time.perf_counter() - t0:.2f} s)")
        return 0
    if a.change_cite:
        print(f"changed {change_cite(a.out)} in {a.out} ({time.perf_counter() - t0:.2f} s)")
        return 0
    if a.add:
        lines = add(a.out, a.add, a.workers)
    else:
        if not 0 <= a.noise <= 1:
            ap.error("--noise is a fraction between 0 and 1")
        lines = generate(a.out, a.docs, a.seed, a.noise, a.workers)
    dt_s = time.perf_counter() - t0
    print(f"{len(lines)} files, {_size_mb(a.out):.1f} MB in {a.out}, {dt_s:.1f} s ({len(lines) / dt_s:.0f} docs/s)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
