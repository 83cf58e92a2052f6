"""Score ``docgraph extract`` output against a generated corpus's gold.jsonl.

    python bench/generate.py --docs 1000 --seed 7 --out /tmp/corpus
    docgraph extract --format jsonl /tmp/corpus/*.txt > /tmp/ex.jsonl
    python bench/score.py /tmp/corpus/gold.jsonl /tmp/ex.jsonl [--examples 5]

Citations are matched per file by (type, number) and by full symbol; dates, issuers, terms and
relations are compared on the citations matched by symbol, only where the text states them. The own
document is compared field by field; assignments by lead (folded, one gold lead per extracted lead).
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import unicodedata
from collections import Counter, defaultdict
from pathlib import Path

_FAMILY = {
    "ban-thuong-vu-tinh-uy": "tinh-uy", "thuong-truc-tinh-uy": "tinh-uy", "tinh-uy": "tinh-uy",
    "ban-thuong-vu-huyen-uy": "huyen-uy", "huyen-uy": "huyen-uy",
    "bo-chinh-tri": "tw", "ban-bi-thu": "tw", "ban-chap-hanh-trung-uong": "tw",
}


def fold(s: str | None) -> str:
    if not s:
        return ""
    s = unicodedata.normalize("NFD", s.replace("đ", "d").replace("Đ", "D"))
    return " ".join("".join(c for c in s if not unicodedata.combining(c)).lower().split())


def norm_symbol(s: str | None) -> str:
    """Canonical symbol: no spaces, en dashes as hyphens, T.Ư/TƯ as TW/TU, leading zeros dropped."""
    if not s:
        return ""
    s = unicodedata.normalize("NFC", s).replace("–", "-").replace(" ", "").replace("T.Ư", "TW").replace("TƯ", "TU")
    return re.sub(r"^0+(\d)", r"\1", s).upper()


def num(n: object) -> str:
    return str(n).lstrip("0") or "0" if n is not None else ""


def _identify(name: str | None) -> str | None:
    if not name:
        return None
    try:
        from docgraph.bodies import identify
    except ImportError:  # pragma: no cover - scoring without the package
        return None
    words = name.split()
    while words:  # "Huyện ủy Hương Khê" -> "Huyện ủy": drop a place name after the body
        b = identify(" ".join(words))
        if b:
            return b.id
        words.pop()
    return None


class _Rate:
    def __init__(self) -> None:
        self.ok = 0
        self.n = 0

    def add(self, ok: bool) -> None:
        self.n += 1
        self.ok += bool(ok)

    def __str__(self) -> str:
        return f"{self.ok / self.n:.3f} ({self.ok}/{self.n})" if self.n else "n/a"

    def value(self) -> float | None:
        return self.ok / self.n if self.n else None


def _prf(tp: int, fp: int, fn: int) -> tuple[float, float, float]:
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


def _match(gold: list[tuple], got: list[tuple]) -> tuple[int, int, int, Counter]:
    g, e = Counter(gold), Counter(got)
    tp = sum((g & e).values())
    return tp, sum(e.values()) - tp, sum(g.values()) - tp, g - e


def score(gold_path: str | Path, extract_path: str | Path, examples: int = 3, out=sys.stdout) -> dict:
    """Print and return the extractor's scores on a generated corpus."""
    gold = {}
    with open(gold_path, encoding="utf-8") as f:
        for line in f:
            if line.strip():
                g = json.loads(line)
                gold[g["file"]] = g
    got = {}
    with open(extract_path, encoding="utf-8") as f:
        for line in f:
            if line.strip():
                x = json.loads(line)
                got[Path(x["source"]).name] = x
    tn = Counter()  # (type, number)
    ts = Counter()  # symbol
    rates: dict[str, _Rate] = defaultdict(_Rate)
    by_form: dict[str, _Rate] = defaultdict(_Rate)
    by_noise: dict[str, _Rate] = defaultdict(_Rate)
    missed: dict[str, list[str]] = defaultdict(list)
    wrong: dict[str, list[str]] = defaultdict(list)
    lead_tp = lead_fn = lead_fp = 0
    for name, g in gold.items():
        x = got.get(name)
        rates["file extracted"].add(x is not None)
        if x is None:
            continue
        # --- the document itself
        gd, xd = g["document"], x.get("document") or {}
        checks = {
            "own symbol": norm_symbol(gd["symbol"]) == norm_symbol(xd.get("symbol")),
            "own type": fold(gd["type"]) == fold(xd.get("type")),
            "own date": gd["date"] == xd.get("date"),
        }
        xid = _identify(xd.get("issuer"))
        checks["own issuer (exact body)"] = xid == gd["issuer_id"]
        checks["own issuer (same committee)"] = _FAMILY.get(xid or "", xid) == _FAMILY.get(gd["issuer_id"],
                                                                                           gd["issuer_id"])
        fields = {"own symbol": "symbol", "own type": "type", "own date": "date", "own issuer (exact body)": "issuer",
                  "own issuer (same committee)": "issuer"}
        for k, ok in checks.items():
            rates[k].add(ok)
            if not ok and len(wrong[k]) < examples:
                wrong[k].append(f"{name}: gold {gd[fields[k]]!r} got {xd.get(fields[k])!r}")
        if gd["province"]:
            ok = fold(gd["province"]) == fold(xd.get("province"))
            key = "own province (sidecar)" if g.get("sidecar") else "own province (text only)"
            rates[key].add(ok)
            if not ok and len(wrong[key]) < examples:
                wrong[key].append(f"{name}: gold {gd['province']!r} got {xd.get('province')!r}")
        # --- citations
        gc, xc = g["citations"], x.get("citations") or []
        gk = [(fold(c["type"]), num(c["number"])) for c in gc]
        xk = [(fold(c.get("type")), num(c.get("number"))) for c in xc]
        tp, fp, fn, _miss = _match(gk, xk)
        tn.update(tp=tp, fp=fp, fn=fn)
        gs = [norm_symbol(c["symbol"]) for c in gc]
        xs = [norm_symbol(c.get("symbol")) for c in xc]
        tp, fp, fn, _ = _match([(s,) for s in gs], [(s,) for s in xs])
        ts.update(tp=tp, fp=fp, fn=fn)
        xby = {norm_symbol(c.get("symbol")): c for c in xc}
        extra = Counter(xs) - Counter(gs)
        for s in extra:
            if s and len(wrong["spurious citation"]) < examples:
                wrong["spurious citation"].append(f"{name}: {s}")
        for c in gc:
            m = xby.get(norm_symbol(c["symbol"]))
            for form in c["forms"]:
                by_form[form].add(m is not None)
            for kind in g["noise"] or ["(clean)"]:
                by_noise[kind].add(m is not None)
            if m is None:
                if len(missed[c["forms"][0]]) < examples:
                    missed[c["forms"][0]].append(f"{name}: {c['symbol']} ({', '.join(c['forms'])})")
                continue
            if c["date"]:
                ok = m.get("date") == c["date"]
                rates["citation date"].add(ok)
                if not ok and len(wrong["citation date"]) < examples:
                    wrong["citation date"].append(f"{name}: {c['symbol']} gold {c['date']} got {m.get('date')}")
            if c["issuer_id"]:
                ok = m.get("issuer_id") == c["issuer_id"]
                rates["citation issuer"].add(ok)
                if not ok and len(wrong["citation issuer"]) < examples:
                    wrong["citation issuer"].append(f"{name}: {c['symbol']} gold {c['issuer_id']} "
                                                    f"got {m.get('issuer_id')} ({m.get('issuer')!r})")
            if c["term"]:
                rates["citation term"].add(m.get("term") == c["term"])
            ok = m.get("relation") == c["relation"]
            rates["citation relation"].add(ok)
            if not ok and len(wrong["citation relation"]) < examples:
                wrong["citation relation"].append(f"{name}: {c['symbol']} gold {c['relation']} "
                                                  f"got {m.get('relation')} ({', '.join(c['forms'])})")
            for rel in c["relations"]:
                have = {(r.get("relation"), norm_symbol(r.get("target"))) for r in m.get("relations") or []}
                rates["nested relation"].add((rel["relation"], norm_symbol(rel["target"])) in have)
        # --- assignments
        xl = [fold(a.get("lead")) for a in x.get("assignments") or []]
        used = [False] * len(xl)
        for a in g["assignments"]:
            lead = fold(a["lead"])
            hit = next((i for i, v in enumerate(xl) if not used[i] and (v == lead or v.endswith(" " + lead))), None)
            if hit is None:
                lead_fn += 1
                if len(missed["assignment lead"]) < examples:
                    missed["assignment lead"].append(f"{name}: {a['lead']!r}")
                continue
            used[hit] = True
            lead_tp += 1
            xa = (x.get("assignments") or [])[hit]
            if a["deadline"]:
                rates["assignment deadline"].add(xa.get("deadline") == a["deadline"])
            if a["recurrence"]:
                rates["assignment recurrence"].add(bool(xa.get("recurrence") or xa.get("report_frequency")))
            if a["coordinators"]:
                xc_ = {fold(v) for v in xa.get("coordinators") or []}
                for co in a["coordinators"]:
                    rates["coordinator recall"].add(fold(co) in xc_)
        lead_fp += used.count(False)

    res: dict = {}
    p, r, f1 = _prf(tn["tp"], tn["fp"], tn["fn"])
    res["citations (type, number)"] = (p, r, f1)
    p2, r2, f2 = _prf(ts["tp"], ts["fp"], ts["fn"])
    res["citations (symbol)"] = (p2, r2, f2)
    lp, lr, lf = _prf(lead_tp, lead_fp, lead_fn)
    res["assignment lead"] = (lp, lr, lf)
    print(f"files: {len(gold)} gold, {len(got)} extracted", file=out)
    print(f"citations by (type, number): P {p:.3f}  R {r:.3f}  F1 {f1:.3f}  "
          f"(tp {tn['tp']}, fp {tn['fp']}, fn {tn['fn']})", file=out)
    print(f"citations by symbol:         P {p2:.3f}  R {r2:.3f}  F1 {f2:.3f}  "
          f"(tp {ts['tp']}, fp {ts['fp']}, fn {ts['fn']})", file=out)
    print(f"assignment leads:            P {lp:.3f}  R {lr:.3f}  F1 {lf:.3f}  "
          f"(tp {lead_tp}, fp {lead_fp}, fn {lead_fn})", file=out)
    for k in sorted(rates):
        print(f"  {k:32s} {rates[k]}", file=out)
        res[k] = rates[k].value()
    print("citation recall by form (a citation counts under each form it appears in):", file=out)
    for k in sorted(by_form):
        print(f"  {k:32s} {by_form[k]}", file=out)
        res[f"form {k}"] = by_form[k].value()
    print("citation recall by noise kind of the file:", file=out)
    for k in sorted(by_noise):
        print(f"  {k:32s} {by_noise[k]}", file=out)
        res[f"noise {k}"] = by_noise[k].value()
    if examples:
        for title, d in (("missed", missed), ("wrong", wrong)):
            for k in sorted(d):
                print(f"{title} {k}:", file=out)
                for e in d[k]:
                    print(f"    {e}", file=out)
    return res


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description="Score docgraph extract output against gold.jsonl.")
    ap.add_argument("gold", type=Path)
    ap.add_argument("extract", type=Path, help="output of: docgraph extract --format jsonl DIR/*.txt")
    ap.add_argument("--examples", type=int, default=3, help="examples of misses to print per kind")
    a = ap.parse_args(argv)
    score(a.gold, a.extract, a.examples)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
