"""Render a citation graph as one self-contained HTML page that works with no network.

The page is vis-network (the copy bundled with pyvis, inlined) driven by our own template in
``docgraph/templates``; pyvis's Jinja template is not used because it links Bootstrap from a CDN.
Python embeds the whole graph as data (``view_data``: columns over a table of strings) plus positions
for big sets (``view_layout``); ``view.js`` filters, focuses, switches the assignment layer, draws the
aggregated overview of big graphs and its drill-down. Every string taken from a document reaches the
page only through ``textContent`` (tooltips, panel, filters, legend, search results are DOM elements
built in ``view.js``), so nothing in a document is ever parsed as HTML or script.
"""

from __future__ import annotations

import functools
import html
import json
import os
import re
from importlib import resources
from typing import Any

import networkx as nx

from docgraph.atomic import atomic_write_text
from docgraph.view_data import encode, overview
from docgraph.view_layout import ASSIGNMENT_KINDS, force_positions, is_body, layered_positions, ranks

AUTO_FORCE_MAX_NODES = 1000  # "auto" layout without a focus: force up to this size, hierarchical above
PYTHON_LAYOUT_MIN_NODES = 301  # from this size positions are computed (here or in view.js), physics off
STABILIZATION_ITERATIONS = 200
OVERVIEW_THRESHOLD = 2000  # more nodes than this to draw: the page opens on the aggregated overview
LAYOUTS = ("auto", "hierarchical", "force")

# Level of the issuer (or body): (legend label, border colour, fill colour).
LEVELS: dict[str, tuple[str, str, str]] = {
    "central": ("Trung ương (central)", "#b03a2e", "#f6cdc8"),
    "province": ("Tỉnh (province)", "#1f5fa8", "#cfe0f5"),
    "district": ("Huyện (district)", "#1e8449", "#c9ead5"),
    "commune": ("Xã (commune)", "#a0620a", "#f9e0b8"),
    "unknown": ("Không rõ (unknown)", "#707b7c", "#e3e6e6"),
}
# Edge kind or document relation: (colour, dash pattern or None for solid, width).
EDGE_STYLES: dict[str, tuple[str, list[int] | None, float]] = {
    "implements": ("#1f3a93", None, 2.5),
    "continues": ("#138d75", None, 2.0),
    "concretizes": ("#28a745", None, 2.0),
    "guides": ("#8e44ad", None, 2.0),
    "basedOn": ("#6e4b2a", None, 1.5),
    "disseminates": ("#e67e22", [8, 4], 2.0),
    "reviews": ("#8a9a10", [8, 4], 2.0),
    "amends": ("#c2185b", None, 2.0),
    "replaces": ("#e74c3c", None, 2.0),
    "repeals": ("#922b21", [2, 4], 2.0),
    "alignedWith": ("#5d6d7e", [6, 6], 1.5),
    "mentions": ("#99a3a4", [2, 4], 1.0),
    "lead": ("#2c3e50", None, 1.5),
    "coordinator": ("#2c3e50", [6, 4], 1.5),
}
OTHER_EDGE = ("#99a3a4", [4, 4], 1.0)
ASSIGNMENT_LABELS = {"lead": "chủ trì", "coordinator": "phối hợp"}

_SCRIPT_ESCAPES = {"<": "\\u003c", ">": "\\u003e", "&": "\\u0026", "\u2028": "\\u2028", "\u2029": "\\u2029"}
_PLACEHOLDER = re.compile(r"\{\{(\w+)\}\}")


def render_view(graph: nx.MultiDiGraph, path: str | os.PathLike[str] | None, *, title: str = "docgraph",
                focus: str | None = None, depth: int | None = None, layout: str = "auto",
                show_assignments: bool = False, chain_only: bool = False,
                overview_threshold: int = OVERVIEW_THRESHOLD) -> str:
    """Return the HTML page for ``graph`` and, when ``path`` is given, write it there atomically.

    The page embeds the whole graph and opens on this state, which the reader can change in the page:
    ``focus`` (a document IRI) shows its ego network to ``depth`` links (``None``: its whole connected
    part) with its chain of cited and citing documents highlighted, or only that chain with
    ``chain_only``; ``show_assignments`` switches on the layer of bodies and their lead/coordinator
    edges; ``layout`` is "hierarchical" (cited documents above citing ones), "force", or "auto"
    (focused: hierarchical for a chain, force for a neighbourhood; else force up to 1,000 nodes,
    hierarchical above). With more than ``overview_threshold`` nodes to draw, the page opens on an
    overview aggregated by issuer, province or year, from which a group or a document is opened (edge
    sentences are then left out of the data to keep the page small).
    """
    if layout not in LAYOUTS:
        raise ValueError(f"layout must be 'auto', 'hierarchical' or 'force', not {layout!r}")
    if depth is not None and depth < 0:
        raise ValueError(f"depth must be >= 0, not {depth}")
    if focus is not None:
        if focus not in graph:
            raise ValueError(f"focus node {focus!r} is not in the graph")
        if is_body(graph.nodes[focus]):
            raise ValueError(f"focus node {focus!r} is a body, not a document (bodies are shown with "
                             "show_assignments)")
    drawn = sum(1 for _, a in graph.nodes(data=True) if show_assignments or not is_body(a))
    mode = "overview" if drawn > overview_threshold else "graph"
    rank = ranks(graph)
    positions = None
    positions_layout = None
    if mode == "graph" and focus is None and drawn >= PYTHON_LAYOUT_MIN_NODES:
        shown = select_subgraph(graph, show_assignments=show_assignments)
        positions_layout = _resolve_layout(layout, len(shown))
        positions = layered_positions(shown, rank) if positions_layout == "hierarchical" else force_positions(shown)
    strings, nodes, edges = encode(graph, rank, positions, evidence=mode == "graph")
    data = {
        "title": title,
        "mode": mode,
        "initial": {"focus": focus, "depth": depth, "assignments": show_assignments, "layout": layout,
                    "chainOnly": chain_only, "groupBy": "issuer"},
        "positionsLayout": positions_layout,
        "evidence": mode == "graph",
        "strings": strings,
        "nodes": nodes,
        "edges": edges,
        "overview": overview(strings, nodes, edges) if mode == "overview" else None,
        "limits": {"maxDrawn": overview_threshold, "pythonLayoutMin": PYTHON_LAYOUT_MIN_NODES,
                   "autoForceMax": AUTO_FORCE_MAX_NODES,
                   "stabilization": STABILIZATION_ITERATIONS},
        "styles": {"levels": [{"key": k, "label": label, "border": b, "fill": f}
                              for k, (label, b, f) in LEVELS.items()],
                   "edges": {k: {"color": c, "dashes": d, "width": w} for k, (c, d, w) in EDGE_STYLES.items()},
                   "other": {"color": OTHER_EDGE[0], "dashes": OTHER_EDGE[1], "width": OTHER_EDGE[2]},
                   "assignmentLabels": ASSIGNMENT_LABELS},
        "options": _options(),
    }
    parts = _page_parts(title, data)
    page = _PLACEHOLDER.sub(lambda m: parts[m.group(1)], _asset("docgraph.templates", "view.html"))
    if path is not None:
        atomic_write_text(path, page)
    return page


def _resolve_layout(layout: str, size: int) -> str:
    if layout != "auto":
        return layout
    return "force" if size <= AUTO_FORCE_MAX_NODES else "hierarchical"


def select_subgraph(graph: nx.MultiDiGraph, *, focus: str | None = None, depth: int | None = None,
                    show_assignments: bool = False, chain_only: bool = False) -> nx.MultiDiGraph:
    """The part of ``graph`` the page first draws for these settings (view.js computes the same).

    With ``focus``: the documents within ``depth`` citation links of it in either direction (with
    ``chain_only``: only those it cites, directly or not, and those citing it), then, with
    ``show_assignments``, the bodies assigned tasks by those documents.
    """
    docs = nx.MultiDiGraph()
    docs.add_nodes_from((n, a) for n, a in graph.nodes(data=True) if not is_body(a))
    docs.add_edges_from((u, v, a) for u, v, a in graph.edges(data=True)
                        if u in docs and v in docs and a.get("kind") not in ASSIGNMENT_KINDS)
    keep: set[Any] = set(docs)
    if focus is not None:
        if focus not in docs:
            raise ValueError(f"focus node {focus!r} is not a document of the graph")
        if depth is not None and depth < 0:
            raise ValueError(f"depth must be >= 0, not {depth}")
        if chain_only:
            up = nx.single_source_shortest_path_length(docs, focus, cutoff=depth)
            down = nx.single_source_shortest_path_length(docs.reverse(copy=False), focus, cutoff=depth)
            keep = set(up) | set(down)
        else:
            keep = set(nx.single_source_shortest_path_length(docs.to_undirected(as_view=True), focus, cutoff=depth))
    if show_assignments:
        keep |= {u for u, v, a in graph.edges(data=True) if a.get("kind") in ASSIGNMENT_KINDS and v in keep}
    g = nx.MultiDiGraph()
    g.add_nodes_from((n, graph.nodes[n]) for n in graph if n in keep)
    g.add_edges_from((u, v, a) for u, v, a in graph.edges(data=True)
                     if u in keep and v in keep and (show_assignments or a.get("kind") not in ASSIGNMENT_KINDS))
    return g


def script_json(value: Any) -> str:
    """JSON that is safe inside <script>: "<", ">", "&", U+2028 and U+2029 written as \\u escapes."""
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"), default=str)
    return re.sub("[<>&\u2028\u2029]", lambda m: _SCRIPT_ESCAPES[m.group()], text)


def _page_parts(title: str, data: dict[str, Any]) -> dict[str, str]:
    return {
        "title": html.escape(title),
        "vis_css": _asset("pyvis", "lib/vis-9.1.2/vis-network.css").replace("</", "<\\/"),
        "view_css": _asset("docgraph.templates", "view.css"),
        "vis_js": _inline_script(_asset("pyvis", "lib/vis-9.1.2/vis-network.min.js")),
        "view_js": _inline_script(_asset("docgraph.templates", "view.js")),
        "data": script_json(data),
    }


@functools.cache
def _asset(package: str, name: str) -> str:
    return resources.files(package).joinpath(name).read_text(encoding="utf-8")


def _inline_script(js: str) -> str:
    # Neither "</script" nor "<!--" may appear inside an inline script ("<\/" means "</" in JS), and a
    # source map comment would name a file that is not there.
    js = re.sub(r"^//# sourceMappingURL=.*$", "", js, flags=re.MULTILINE)
    return re.sub(r"</(?=script)", r"<\\/", js, flags=re.IGNORECASE).replace("<!--", "<\\!--")


def _options() -> dict[str, Any]:
    """vis-network options shared by every view; view.js adds the layout and physics of each one."""
    return {
        "autoResize": True,
        "interaction": {"hover": True, "tooltipDelay": 150, "keyboard": False, "hideEdgesOnDrag": True},
        "nodes": {"font": {"face": "Arial, 'Liberation Sans', 'DejaVu Sans', sans-serif", "size": 14,
                           "color": "#1b1b1b"},
                  "borderWidth": 2, "margin": 8, "widthConstraint": {"maximum": 230}},
        "edges": {"arrows": {"to": {"enabled": True, "scaleFactor": 0.7}}, "smooth": False,
                  "selectionWidth": 2,
                  "font": {"size": 11, "align": "horizontal", "color": "#333333", "strokeWidth": 4,
                           "strokeColor": "#ffffff"}},
        "layout": {"randomSeed": 7, "improvedLayout": False},
        "physics": {"enabled": False},
    }
