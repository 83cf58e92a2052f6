"""Draw the stats as horizontal bar charts: an SVG written here (no dependency), or a PNG by matplotlib
when it is installed (``pip install matplotlib``). Every label is XML-escaped in the SVG."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from xml.sax.saxutils import escape

from .atomic import atomic_write_bytes, atomic_write_text
from .stats import Stats

WIDTH, LABEL_W, BAR_H, GAP, TITLE_H = 900, 330, 18, 6, 34
MAX_BARS = 20


@dataclass
class Panel:
    title: str
    items: list[tuple[str, float]]  # (label, value)
    unit: str = ""


def panels(st: Stats) -> list[Panel]:
    per_year: dict[str, int] = {}
    for r in st.by_body_year:
        per_year[r["year"]] = per_year.get(r["year"], 0) + r["documents"]
    years = sorted(per_year, key=lambda y: (not y.isdigit(), y))
    lag = [(f"{r.label} ← {r.central_label}", float(r.days)) for r in st.lag if r.days is not None]
    cited = [(f"{c.label} (PageRank {c.pagerank:.3f})", float(c.cited_by)) for c in st.most_cited[:MAX_BARS]]
    return [Panel("Documents per year (all bodies)", [(y, float(per_year[y])) for y in years], "documents"),
            Panel("Implementation lag: days from the central document", lag[:MAX_BARS], "days"),
            Panel("Most cited documents (citing documents)", cited, "citations")]


def _fmt(v: float) -> str:
    return str(int(v)) if float(v).is_integer() else f"{v:.1f}"


def svg(st: Stats) -> str:
    parts, y = [], 10
    for p in panels(st):
        parts.append(f'<text x="10" y="{y + 20}" font-size="15" font-weight="bold">{escape(p.title)}</text>')
        y += TITLE_H
        if not p.items:
            parts.append(f'<text x="20" y="{y + 12}" font-size="12" fill="#666">no data</text>')
            y += BAR_H + GAP * 3
            continue
        lo, hi = min(0.0, *(v for _, v in p.items)), max(0.0, *(v for _, v in p.items))
        span = (hi - lo) or 1.0
        plot_w = WIDTH - LABEL_W - 80
        zero = LABEL_W + plot_w * (-lo / span)
        for label, v in p.items:
            x0 = zero + plot_w * min(v, 0) / span
            w = max(1.0, plot_w * abs(v) / span)
            colour = "#b03a2e" if v < 0 else "#1f5fa8"
            short = label if len(label) <= 48 else label[:47] + "…"
            parts.append(f'<text x="{LABEL_W - 8}" y="{y + 13}" font-size="12" text-anchor="end">'
                         f'<title>{escape(label)}</title>{escape(short)}</text>')
            parts.append(f'<rect x="{x0:.1f}" y="{y}" width="{w:.1f}" height="{BAR_H}" fill="{colour}"/>')
            parts.append(f'<text x="{x0 + w + 4:.1f}" y="{y + 13}" font-size="12">{_fmt(v)} {escape(p.unit)}</text>')
            y += BAR_H + GAP
        parts.append(f'<line x1="{zero:.1f}" x2="{zero:.1f}" y1="{y - len(p.items) * (BAR_H + GAP)}" y2="{y}" '
                     'stroke="#333"/>')
        y += GAP * 3
    return (f'<svg xmlns="http://www.w3.org/2000/svg" width="{WIDTH}" height="{y + 10}" '
            f'viewBox="0 0 {WIDTH} {y + 10}" font-family="sans-serif">\n'
            f'<rect width="100%" height="100%" fill="white"/>\n' + "\n".join(parts) + "\n</svg>\n")


def _png(st: Stats) -> bytes:
    import io

    try:
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError:
        raise RuntimeError("a PNG plot needs matplotlib (pip install matplotlib); or write .svg") from None
    ps = panels(st)
    heights = [max(1, len(p.items)) for p in ps]
    fig, axes = plt.subplots(len(ps), 1, figsize=(10, 1.5 + 0.3 * sum(heights)),
                             gridspec_kw={"height_ratios": heights})
    for ax, p in zip(axes, ps, strict=True):
        ax.set_title(p.title, loc="left", fontsize=11)
        if p.items:
            labels, values = zip(*p.items, strict=True)
            ax.barh(range(len(values)), values, color=["#b03a2e" if v < 0 else "#1f5fa8" for v in values])
            ax.set_yticks(range(len(values)), [lb if len(lb) <= 48 else lb[:47] + "…" for lb in labels], fontsize=8)
            ax.invert_yaxis()
            ax.set_xlabel(p.unit, fontsize=8)
        else:
            ax.text(0.01, 0.5, "no data", transform=ax.transAxes)
            ax.set_yticks([])
    fig.tight_layout()
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=120)
    plt.close(fig)
    return buf.getvalue()


def write_plot(st: Stats, path: str | os.PathLike[str]) -> None:
    """Write ``path`` atomically; the suffix (.svg or .png) chooses the format."""
    suffix = Path(path).suffix.lower()
    if suffix == ".svg":
        atomic_write_text(path, svg(st))
    elif suffix == ".png":
        atomic_write_bytes(path, _png(st))
    else:
        raise ValueError(f"{path}: the plot file must end in .svg or .png")
