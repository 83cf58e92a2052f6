"""Render a citation graph as one self-contained HTML page that works with no network.

The page is vis-network (the copy bundled with pyvis, inlined) driven by our own template in
``docgraph/templates``; pyvis's Jinja template is not used because it links Bootstrap from a CDN.
Python builds the vis-network ``nodes``/``edges``/``options`` JSON; every string taken from a
document travels as JSON data and reaches the page only through ``textContent`` (tooltips, panel,
legend and search results are DOM elements built in ``view.js``), so nothing in a document is ever
parsed as HTML or script.
"""

from __future__ import annotations

import functools
import html
import json
import math
import os
import re
from collections import defaultdict
from importlib import resources
from typing import Any

import networkx as nx

from docgraph.atomic import atomic_write_text

AUTO_HIERARCHICAL_MAX_NODES = 60  # "auto" layout: hierarchical up to this size, with a focus, or ...
AUTO_FORCE_MAX_NODES = 1000  # ... above this size (a spring layout of thousands of nodes takes too long)
PYTHON_LAYOUT_MIN_NODES = 301  # from this size positions are computed here and physics is off
STABILIZATION_ITERATIONS = 200

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
_OTHER_EDGE = ("#99a3a4", [4, 4], 1.0)
ASSIGNMENT_LABELS = {"lead": "chủ trì", "coordinator": "phối hợp"}
ASSIGNMENT_KINDS = frozenset(ASSIGNMENT_LABELS)
DOCUMENT_FIELDS = ("type", "symbol", "date", "issuer", "level", "province", "title", "in_corpus",
                   "source_file")
EDGE_FIELDS = ("relation", "relation_label", "asserted_by_label", "sentence", "quote", "source_file", "task",
               "deadline")

_SCRIPT_ESCAPES = {"<": "\\u003c", ">": "\\u003e", "&": "\\u0026", "\u2028": "\\u2028", "\u2029": "\\u2029"}
_PLACEHOLDER = re.compile(r"\{\{(\w+)\}\}")


def render_view(graph: nx.MultiDiGraph, path: str | os.PathLike[str] | None, *, title: str = "docgraph",
                focus: str | None = None, depth: int | None = None, layout: str = "auto",
                show_assignments: bool = False) -> str:
    """Return the HTML page for ``graph`` and, when ``path`` is given, write it there atomically.

    ``focus`` keeps the nodes within ``depth`` steps of it in either direction (``depth=None``: its
    whole connected part). ``layout`` is "hierarchical" (cited documents above citing ones),
    "force", or "auto" (force for 61 to 1,000 nodes without a focus, else hierarchical). From 301
    nodes on, positions are computed here and the page has no physics at all. Body nodes and their
    lead/coordinator edges are dropped unless ``show_assignments``.
    """
    if layout not in ("auto", "hierarchical", "force"):
        raise ValueError(f"layout must be 'auto', 'hierarchical' or 'force', not {layout!r}")
    g = select_subgraph(graph, focus=focus, depth=depth, show_assignments=show_assignments)
    if layout == "auto":
        small = len(g) <= AUTO_HIERARCHICAL_MAX_NODES
        layout = "hierarchical" if focus is not None or small or len(g) > AUTO_FORCE_MAX_NODES else "force"
    ranks = _ranks(g)
    positions: dict[Any, tuple[float, float]] | None = None
    if len(g) >= PYTHON_LAYOUT_MIN_NODES:
        positions = _layered_positions(g, ranks) if layout == "hierarchical" else _force_positions(g)
    data = {
        "title": title,
        "focus": focus,
        "nodes": [_vis_node(n, attrs, focus, ranks, positions, layout) for n, attrs in g.nodes(data=True)],
        "edges": _vis_edges(g),
        "options": _options(layout, python_positions=positions is not None, empty=len(g) == 0),
        "legend": _legend(g),
    }
    parts = _page_parts(title, data)
    page = _PLACEHOLDER.sub(lambda m: parts[m.group(1)], _asset("docgraph.templates", "view.html"))
    if path is not None:
        atomic_write_text(path, page)
    return page


def select_subgraph(graph: nx.MultiDiGraph, *, focus: str | None = None, depth: int | None = None,
                    show_assignments: bool = False) -> nx.MultiDiGraph:
    """The part of ``graph`` the view shows (see ``render_view``)."""
    g = nx.MultiDiGraph()
    g.add_nodes_from((n, a) for n, a in graph.nodes(data=True) if show_assignments or a.get("kind") != "body")
    g.add_edges_from((u, v, a) for u, v, a in graph.edges(data=True)
                     if u in g and v in g and (show_assignments or a.get("kind") not in ASSIGNMENT_KINDS))
    if focus is None:
        return g
    if focus not in g:
        raise ValueError(f"focus node {focus!r} is not in the graph (body nodes need show_assignments=True)")
    if depth is not None and depth < 0:
        raise ValueError(f"depth must be >= 0, not {depth}")
    near = nx.single_source_shortest_path_length(g.to_undirected(as_view=True), focus, cutoff=depth)
    return g.subgraph(near).copy()


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


def _is_body(attrs: dict[str, Any]) -> bool:
    return attrs.get("kind") == "body"


def _vis_node(node: Any, attrs: dict[str, Any], focus: str | None, ranks: dict[Any, int],
              positions: dict[Any, tuple[float, float]] | None, layout: str) -> dict[str, Any]:
    level = attrs.get("level") if attrs.get("level") in LEVELS else "unknown"
    _, border, fill = LEVELS[level]
    body = _is_body(attrs)
    hollow = not body and not attrs.get("in_corpus", False)
    background = "#ffffff" if hollow else fill
    info = {"iri": node, "kind": "body" if body else "document", "label": attrs.get("label") or str(node)}
    info.update({f: attrs.get(f) for f in (("level",) if body else DOCUMENT_FIELDS)})
    vis: dict[str, Any] = {
        "id": node,
        "label": info["label"],
        "shape": "ellipse" if body else "box",
        "color": {"background": background, "border": border,
                  "highlight": {"background": background, "border": "#111111"},
                  "hover": {"background": background, "border": "#111111"}},
        "shapeProperties": {"borderDashes": ([9, 5] if node == focus else [5, 4]) if hollow else False},
        "dg": info,
    }
    if node == focus:
        vis.update(borderWidth=4, borderWidthSelected=4,
                   shadow={"enabled": True, "color": border, "size": 16, "x": 0, "y": 0},
                   font={"size": 16})
    if positions is not None:
        vis["x"], vis["y"] = positions[node]
    elif layout == "hierarchical":
        vis["level"] = ranks[node]
    return vis


def _vis_edges(g: nx.MultiDiGraph) -> list[dict[str, Any]]:
    edges: list[dict[str, Any]] = []
    seen_pairs: dict[frozenset[Any], int] = defaultdict(int)
    for i, (u, v, attrs) in enumerate(g.edges(data=True)):
        kind = attrs.get("kind") or "relation"
        key = attrs.get("relation") if kind == "relation" else kind
        color, dashes, width = EDGE_STYLES.get(str(key), _OTHER_EDGE)
        if kind == "relation":
            label = attrs.get("relation_label") or key
        else:
            label = ASSIGNMENT_LABELS.get(kind, kind)
        info = {"kind": kind, "style": key, "label": label, **{f: attrs.get(f) for f in EDGE_FIELDS}}
        edge: dict[str, Any] = {
            "id": f"e{i}", "from": u, "to": v, "label": label, "width": width, "dashes": dashes or False,
            "color": {"color": color, "highlight": color, "hover": color, "inherit": False},
            "dg": info,
        }
        parallel = seen_pairs[frozenset((u, v))]
        seen_pairs[frozenset((u, v))] += 1
        if parallel:  # later edges between the same two nodes curve away from the first, straight one
            edge["smooth"] = {"enabled": True, "type": "curvedCW", "roundness": min(0.2 * parallel, 0.8)}
        edges.append(edge)
    return edges


def _options(layout: str, *, python_positions: bool, empty: bool) -> dict[str, Any]:
    options: dict[str, Any] = {
        "autoResize": True,
        "interaction": {"hover": True, "tooltipDelay": 150, "keyboard": False},
        "nodes": {"font": {"face": "Arial, 'Liberation Sans', 'DejaVu Sans', sans-serif", "size": 14,
                           "color": "#1b1b1b"},
                  "borderWidth": 2, "margin": 8, "widthConstraint": {"maximum": 170}},
        "edges": {"arrows": {"to": {"enabled": True, "scaleFactor": 0.7}}, "smooth": False,
                  "selectionWidth": 2,
                  "font": {"size": 11, "align": "horizontal", "color": "#333333", "strokeWidth": 4,
                           "strokeColor": "#ffffff"}},
        "layout": {"randomSeed": 7, "improvedLayout": False},
        "physics": {"enabled": False},
    }
    if layout == "hierarchical" and not python_positions:
        options["layout"]["hierarchical"] = {
            "enabled": True, "direction": "UD", "levelSeparation": 130, "nodeSpacing": 190,
            "treeSpacing": 220, "blockShifting": True, "edgeMinimization": True, "parentCentralization": True,
            "shakeTowards": "roots"}
    elif layout == "force" and not python_positions and not empty:
        # Physics only to find a layout: capped, then switched off by view.js once stabilized.
        options["physics"] = {
            "enabled": True, "solver": "barnesHut", "minVelocity": 1,
            "barnesHut": {"gravitationalConstant": -6000, "springLength": 170, "springConstant": 0.03,
                          "damping": 0.3, "avoidOverlap": 0.3},
            "stabilization": {"enabled": True, "iterations": STABILIZATION_ITERATIONS, "updateInterval": 50,
                              "fit": True}}
    return options


def _legend(g: nx.MultiDiGraph) -> dict[str, Any]:
    def style(key: str, label: str) -> dict[str, Any]:
        color, dashes, width = EDGE_STYLES.get(key, _OTHER_EDGE)
        return {"key": key, "label": label, "color": color, "dashes": dashes, "width": width}

    relations: dict[str, str] = {}
    assignments: dict[str, str] = {}
    for _, _, attrs in g.edges(data=True):
        kind = attrs.get("kind") or "relation"
        if kind == "relation":
            key = str(attrs.get("relation"))
            relations.setdefault(key, f"{attrs.get('relation_label') or key} ({key})")
        else:
            assignments.setdefault(kind, f"{ASSIGNMENT_LABELS.get(kind, kind)} ({kind})")
    ordered = [k for k in EDGE_STYLES if k in relations]
    ordered += sorted(k for k in relations if k not in EDGE_STYLES)
    return {
        "levels": [{"key": k, "label": label, "border": b, "fill": f} for k, (label, b, f) in LEVELS.items()],
        "edges": [style(k, relations[k]) for k in ordered] + [style(k, v) for k, v in assignments.items()],
        "bodies": any(_is_body(a) for _, a in g.nodes(data=True)),
    }


def _ranks(g: nx.MultiDiGraph) -> dict[Any, int]:
    """Layer of each node: 0 for documents that cite nothing shown, else one below what they cite."""
    cites = nx.DiGraph()
    cites.add_nodes_from(n for n, a in g.nodes(data=True) if not _is_body(a))
    cites.add_edges_from((u, v) for u, v, a in g.edges(data=True)
                         if a.get("kind") not in ASSIGNMENT_KINDS and u in cites and v in cites)
    dag = nx.condensation(cites)  # a cycle (documents citing each other) shares one layer
    layer: dict[int, int] = {}
    for c in reversed(list(nx.topological_sort(dag))):
        layer[c] = 1 + max((layer[s] for s in dag.successors(c)), default=-1)
    ranks = {n: layer[dag.graph["mapping"][n]] for n in cites}
    for n, a in g.nodes(data=True):
        if _is_body(a):  # a body sits below the documents that assign it tasks
            ranks[n] = 1 + max((ranks[m] for m in nx.all_neighbors(g, n) if m in ranks), default=-1)
    return ranks


def _layered_positions(g: nx.MultiDiGraph, ranks: dict[Any, int], *, x_gap: float = 190, row_gap: float = 90,
                       layer_gap: float = 160, per_row: int = 40) -> dict[Any, tuple[float, float]]:
    """Top-down layers in pixels; each layer ordered by where its neighbours above are, wrapped in rows."""
    layers: dict[int, list[Any]] = defaultdict(list)
    for n in g:
        layers[ranks[n]].append(n)
    undirected = g.to_undirected(as_view=True)
    pos: dict[Any, tuple[float, float]] = {}
    y = 0.0
    for r in sorted(layers):
        def barycentre(n: Any) -> float:
            xs = [pos[m][0] for m in undirected[n] if m in pos]
            return sum(xs) / len(xs) if xs else math.inf

        order = sorted(layers[r], key=barycentre)
        for i, n in enumerate(order):
            row, col = divmod(i, per_row)
            in_row = min(per_row, len(order) - row * per_row)
            pos[n] = ((col - (in_row - 1) / 2) * x_gap, y + row * row_gap)
        y += math.ceil(len(order) / per_row) * row_gap + layer_gap
    return pos


def _force_positions(g: nx.MultiDiGraph) -> dict[Any, tuple[float, float]]:
    """networkx's spring layout in pixels; fewer iterations on big graphs (each is O(n²)): ~9 s at 5,000."""
    simple = nx.Graph(g.to_undirected(as_view=True))
    iterations = max(10, min(50, 50_000 // len(g)))
    pos = nx.spring_layout(simple, seed=7, iterations=iterations, scale=60 * math.sqrt(len(g)))
    return {n: (float(x), float(y)) for n, (x, y) in pos.items()}
