"""Benchmark of the HTML view: generated graphs rendered in Python, then opened in headless Chromium.

For each size: HTML size, render time in Python (``render_view``), and time-to-usable in the browser
(navigation start to ``docgraph.ready``: drawn, still, and answering clicks), for the page as it opens
(the full graph up to the overview threshold, the aggregated overview above it) and, above the
threshold, for drilling into the biggest group and focusing a document.

    python bench/view_bench.py                      # 500, 2,000, 10,000, 100,000 nodes
    python bench/view_bench.py --sizes 500 2000 --json out.json
    python bench/view_bench.py --compare old.json   # the same, with the change against an earlier run
    python bench/view_bench.py --screenshot view.html docs/view-seeds.png   # a picture of a page, as it opens

Needs Debian's /usr/bin/chromium and the playwright package (never `playwright install`).
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import networkx as nx

from docgraph.view import render_view

ID = "https://w3id.org/docgraph/id/"
CHROMIUM = "/usr/bin/chromium"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--no-first-run"]
TYPES = [("Nghị quyết", "NQ"), ("Chỉ thị", "CT"), ("Kết luận", "KL"), ("Kế hoạch", "KH"), ("Thông báo", "TB"),
         ("Quyết định", "QĐ"), ("Công văn", "CV"), ("Hướng dẫn", "HD")]
PROVINCES = ["Hà Tĩnh", "Nghệ An", "Thanh Hóa", "Quảng Bình", "Hà Nội", "Đà Nẵng", "Huế", "Cần Thơ", "Lào Cai",
             "Khánh Hòa", "Bình Định", "Hải Phòng", "Đắk Lắk", "Sơn La", "Cà Mau"]
LEVELS = ["central", "province", "district", "commune"]
RELATIONS = [("implements", "thực hiện"), ("continues", "tiếp tục thực hiện"), ("basedOn", "căn cứ"),
             ("disseminates", "quán triệt"), ("mentions", "nhắc đến")]
WORDS = ("tăng cường sự lãnh đạo của Đảng đối với công tác dân vận hội quần chúng đổi mới nâng cao chất lượng hiệu "
         "quả hoạt động Mặt trận Tổ quốc đoàn thể chính trị xã hội trong tình hình mới").split()


def generated_graph(n: int, *, seed: int = 1, bodies: bool = True) -> nx.MultiDiGraph:
    """``n`` documents like a corpus: issuers at four levels (central ones cited most), 1-3 citations of
    earlier documents each, dates 1990-2024, and (``bodies``) a body per 10 documents with tasks."""
    rng = random.Random(seed)
    g = nx.MultiDiGraph()
    issuers: list[tuple[str, str, str | None]] = [("Bộ Chính trị", "central", None), ("Ban Bí thư", "central", None),
                                                  ("Thủ tướng Chính phủ", "central", None)]
    for p in PROVINCES:
        issuers += [(f"Ban Thường vụ Tỉnh ủy {p}", "province", p), (f"UBND tỉnh {p}", "province", p)]
    for i in range(max(5, n // 150)):
        p = PROVINCES[i % len(PROVINCES)]
        issuers.append((f"Huyện ủy số {i} ({p})", "district" if i % 3 else "commune", p))
    ids = []
    for i in range(n):
        issuer, level, province = issuers[0 if i % 9 == 0 else (1 if i % 11 == 0 else rng.randrange(len(issuers)))]
        typ, code = rng.choice(TYPES)
        year = 1990 + (35 * i) // max(n, 1)
        doc = f"{ID}doc/gen/{i}"
        symbol = f"{i}-{code}/{'TW' if level == 'central' else 'TU'}"
        g.add_node(doc, kind="document", label=symbol, symbol=symbol, type=typ,
                   date=None if i % 17 == 0 else f"{year}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}",
                   issuer=issuer, level=level, province=province,
                   title="về " + " ".join(rng.sample(WORDS, 9)), in_corpus=i % 3 != 0,
                   source_file=f"data/gen/{i}.txt" if i % 3 else None)
        ids.append(doc)
        if i:
            for _ in range(rng.randint(1, 3)):  # cite earlier documents, older central ones more often
                j = int(i * rng.random() ** 2)
                rel, label = rng.choice(RELATIONS)
                g.add_edge(doc, ids[j], kind="relation", relation=rel, relation_label=label,
                           asserted_by_label=symbol, quote=f"văn bản số {j}", source_file=f"data/gen/{i}.txt",
                           sentence=f"{label.capitalize()} văn bản số {j} về công tác dân vận.")
    if bodies:
        for b in range(max(1, n // 10)):
            body = f"{ID}org/gen/{b}"
            g.add_node(body, kind="body", label=f"Ban Dân vận số {b}", level=LEVELS[b % 4])
            for _ in range(2):
                doc = ids[rng.randrange(n)]
                g.add_edge(body, doc, kind=rng.choice(["lead", "coordinator"]), task="tổ chức quán triệt, triển khai",
                           deadline="2020-12-31" if b % 2 else None)
    return g


def open_page(browser: Any, path: Path, action: str | None = None, timeout_s: float = 120) -> dict[str, float]:
    """Seconds from navigation to ``docgraph.ready``, then (``action``) from the action to ready again."""
    context = browser.new_context(viewport={"width": 1400, "height": 900})
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    context.route("**/*", lambda r: r.continue_() if r.request.url.startswith(("file:", "data:")) else r.abort())
    start = time.monotonic()
    page.goto(path.resolve().as_uri(), timeout=timeout_s * 1000)
    page.wait_for_function("window.docgraph && window.docgraph.ready === true", timeout=timeout_s * 1000)
    result = {"usable_s": time.monotonic() - start, "ready_ms_in_page": page.evaluate("docgraph.readyAt"),
              "drawn": page.evaluate("docgraph.nodes.length")}
    if action:
        start = time.monotonic()
        page.evaluate(action)
        page.wait_for_function("window.docgraph.ready === true", timeout=timeout_s * 1000)
        result.update(action_s=time.monotonic() - start, action_drawn=page.evaluate("docgraph.nodes.length"))
    if errors:
        result["errors"] = errors  # type: ignore[assignment]
    context.close()
    return result


BIGGEST_GROUP = "docgraph.openGroup(0)"  # groups are sorted by size
FOCUS_FIRST = f"docgraph.focus('{ID}doc/gen/0', {{depth: 1}})"


def bench(sizes: list[int], runs: int) -> list[dict[str, Any]]:
    from playwright.sync_api import sync_playwright

    rows = []
    with tempfile.TemporaryDirectory() as tmp, sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=ARGS)
        for n in sizes:
            g = generated_graph(n)
            t = time.monotonic()
            render_view(g, Path(tmp) / f"v{n}.html", title=f"bench {n}")
            render_s = time.monotonic() - t
            path = Path(tmp) / f"v{n}.html"
            row: dict[str, Any] = {"nodes": n, "graph_nodes": len(g), "edges": g.number_of_edges(),
                                   "html_mb": round(path.stat().st_size / 1e6, 2), "render_s": round(render_s, 2)}
            opened = [open_page(browser, path) for _ in range(runs)]
            row["usable_s"] = round(statistics.median(o["usable_s"] for o in opened), 2)
            row["drawn"] = opened[0]["drawn"]
            overview = opened[0]["drawn"] != n
            row["view"] = "overview" if overview else "graph"
            for name, action in ([("group", BIGGEST_GROUP)] if overview else []) + [("focus", FOCUS_FIRST)]:
                r = open_page(browser, path, action)
                row[f"{name}_s"] = round(r["action_s"], 2)
                row[f"{name}_drawn"] = r["action_drawn"]
            errors = [e for o in opened for e in o.get("errors", [])]
            if errors:
                row["errors"] = errors[:3]
            rows.append(row)
            print(format_row(row), flush=True)
        browser.close()
    return rows


COLUMNS = ["nodes", "edges", "view", "drawn", "html_mb", "render_s", "usable_s", "group_s", "group_drawn", "focus_s",
           "focus_drawn"]


def format_row(row: dict[str, Any], old: dict[str, Any] | None = None) -> str:
    cells = []
    for c in COLUMNS:
        value = row.get(c, "")
        text = f"{c}={value}"
        if old is not None and isinstance(value, (int, float)) and isinstance(old.get(c), (int, float)) and old[c]:
            text += f" ({(value - old[c]) / old[c]:+.0%})"
        cells.append(text)
    return "  ".join(cells)


def screenshot(html: Path, png: Path, *, width: int = 1500, height: int = 950) -> None:
    """A PNG of ``html`` in headless Chromium, offline, once the view is ready."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=ARGS)
        context = browser.new_context(viewport={"width": width, "height": height})
        context.route("**/*", lambda r: r.continue_() if r.request.url.startswith(("file:", "data:")) else r.abort())
        page = context.new_page()
        page.goto(html.resolve().as_uri())
        page.wait_for_function("window.docgraph && window.docgraph.ready === true", timeout=60_000)
        page.wait_for_timeout(300)
        page.screenshot(path=str(png))
        browser.close()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[500, 2000, 10_000, 100_000])
    parser.add_argument("--runs", type=int, default=1, help="page loads per size (median reported)")
    parser.add_argument("--json", type=Path, help="write the results here")
    parser.add_argument("--compare", type=Path, help="an earlier --json file to compare with")
    parser.add_argument("--screenshot", nargs=2, type=Path, metavar=("HTML", "PNG"),
                        help="only take a screenshot of a rendered view")
    args = parser.parse_args(argv)
    if args.screenshot:
        screenshot(*args.screenshot)
        return 0
    rows = bench(args.sizes, args.runs)
    if args.json:
        args.json.write_text(json.dumps(rows, indent=2, ensure_ascii=False), encoding="utf-8")
    if args.compare:
        old = {r["nodes"]: r for r in json.loads(args.compare.read_text(encoding="utf-8"))}
        print(f"\ncompared with {args.compare}:")
        for row in rows:
            print(format_row(row, old.get(row["nodes"])))
    return 0


if __name__ == "__main__":
    sys.exit(main())
