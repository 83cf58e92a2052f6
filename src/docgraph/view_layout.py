"""Positions computed in Python for the HTML view: layers of the citation graph, a layered top-down
layout, networkx's spring layout, and the layout of the aggregated overview's groups.

vis-network lays out a few hundred nodes quickly enough in the browser; above that (and always for the
overview) the page gets pixel positions from here and draws with physics off (see
/work/shared/guides/measured.md: 2,000 nodes with physics take half a minute, with positions one second).
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Hashable, Iterable
from typing import Any

import networkx as nx
import numpy as np

ASSIGNMENT_KINDS = frozenset({"lead", "coordinator"})


def is_body(attrs: dict[str, Any]) -> bool:
    return attrs.get("kind") == "body"


def ranks(g: nx.MultiDiGraph) -> dict[Any, int]:
    """Layer of each node: 0 for documents that cite nothing shown, else one below what they cite.

    Documents citing each other (a cycle) share one layer; a body sits one layer below the lowest
    document that assigns it a task. Plain dicts and Kahn's algorithm (0.5 s at 100,000 documents);
    networkx's condensation only when there is a cycle.
    """
    docs = {n for n, a in g.nodes(data=True) if not is_body(a)}
    cited: dict[Any, set[Any]] = {n: set() for n in docs}
    citing: dict[Any, set[Any]] = {n: set() for n in docs}
    for u, v, a in g.edges(data=True):
        if a.get("kind") not in ASSIGNMENT_KINDS and u in docs and v in docs and u != v:
            cited[u].add(v)
            citing[v].add(u)
    result: dict[Any, int] = {}
    waiting = {n: len(cited[n]) for n in docs}
    ready = [n for n, c in waiting.items() if c == 0]
    while ready:
        n = ready.pop()
        result[n] = 1 + max((result[m] for m in cited[n]), default=-1)
        for m in citing[n]:
            waiting[m] -= 1
            if waiting[m] == 0:
                ready.append(m)
    if len(result) < len(docs):  # cycles: one layer per strongly connected component
        dag = nx.condensation(nx.DiGraph([(u, v) for u in docs for v in cited[u]]))
        dag.add_nodes_from(range(len(dag)))
        layer: dict[int, int] = {}
        for c in reversed(list(nx.topological_sort(dag))):
            layer[c] = 1 + max((layer[s] for s in dag.successors(c)), default=-1)
        mapping = dag.graph["mapping"]
        result = {n: layer[mapping[n]] if n in mapping else 0 for n in docs}
    for n, a in g.nodes(data=True):
        if is_body(a):
            result[n] = 1 + max((result[m] for m in nx.all_neighbors(g, n) if m in docs), default=-1)
    return result


def layered_positions(g: nx.MultiDiGraph, rank: dict[Any, int], *, x_gap: float = 190, row_gap: float = 90,
                      layer_gap: float = 160, per_row: int = 40) -> dict[Any, tuple[float, float]]:
    """Top-down layers in pixels; each layer ordered by where its neighbours above are, wrapped in rows.

    The same algorithm runs in view.js (``layeredPositions``) for sets the page picks itself.
    """
    layers: dict[int, list[Any]] = defaultdict(list)
    for n in g:
        layers[rank[n]].append(n)
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


DENSE_LAYOUT_MAX_NODES = 1500  # up to here the spring layout is numpy on n×n matrices (~1 s at 1,000 nodes)


def force_positions(g: nx.Graph | nx.MultiDiGraph, *, weight: str | None = None,
                    spread: float = 100) -> dict[Any, tuple[float, float]]:
    """A spring (Fruchterman-Reingold) layout in pixels, ``spread`` pixels per square root of a node.

    Up to ``DENSE_LAYOUT_MAX_NODES`` nodes this runs on a dense matrix (networkx switches to a much
    slower sparse loop from 500 nodes on); above, networkx's own layout with fewer iterations.
    """
    simple = nx.Graph()
    simple.add_nodes_from(g)
    for u, v, a in g.edges(data=True):
        if u != v:
            w = float(a.get(weight, 1)) if weight else 1.0
            simple.add_edge(u, v, weight=simple.get_edge_data(u, v, {"weight": 0})["weight"] + w)
    if len(simple) == 0:
        return {}
    scale = spread * math.sqrt(len(simple))
    if len(simple) <= DENSE_LAYOUT_MAX_NODES:
        xy = _dense_spring(nx.to_numpy_array(simple, weight="weight"), iterations=50)
        pos = dict(zip(simple, xy * scale, strict=True))
    else:
        iterations = max(10, min(50, 50_000 // len(simple)))
        pos = nx.spring_layout(simple, seed=7, iterations=iterations, scale=scale, weight="weight")
    return {n: (round(float(x), 1), round(float(y), 1)) for n, (x, y) in pos.items()}


def _dense_spring(adjacency: np.ndarray, *, iterations: int, seed: int = 7) -> np.ndarray:
    """Fruchterman-Reingold on a dense adjacency matrix (as networkx does below 500 nodes), in [-1, 1]²."""
    n = len(adjacency)
    if n == 1:
        return np.zeros((1, 2))
    pos = np.random.default_rng(seed).random((n, 2))
    k = math.sqrt(1.0 / n)
    temperature = 0.1
    cooling = temperature / (iterations + 1)
    x, y = pos[:, 0].copy(), pos[:, 1].copy()
    for _ in range(iterations):
        dx, dy = x[:, None] - x[None, :], y[:, None] - y[None, :]
        distance = np.maximum(np.hypot(dx, dy), 0.01)
        force = k * k / distance**2 - adjacency * distance / k
        mx, my = (dx * force).sum(axis=1), (dy * force).sum(axis=1)
        length = np.hypot(mx, my)
        step = temperature / np.where(length < 0.01, 0.1, length)
        x += mx * step
        y += my * step
        temperature -= cooling
    pos = np.column_stack((x, y))
    pos -= pos.mean(axis=0)
    extent = np.abs(pos).max()
    return pos / extent if extent > 0 else pos


def group_positions(keys: Iterable[Hashable], links: dict[tuple[Hashable, Hashable], int],
                    *, timeline: bool = False) -> dict[Hashable, tuple[float, float]]:
    """Positions of the overview's groups: a spring layout weighted by citations between groups, or
    for years a timeline (left to right, wrapped every 15 years)."""
    keys = list(keys)
    if timeline:
        numbered = sorted(k for k in keys if isinstance(k, int) and k >= 0)
        pos = {k: ((i % 15) * 170.0, (i // 15) * 200.0) for i, k in enumerate(numbered)}
        rows = math.ceil(len(numbered) / 15) if numbered else 0
        pos.update({k: (i * 170.0, rows * 200.0) for i, k in enumerate(k for k in keys if k not in pos)})
        return pos
    g = nx.Graph()
    g.add_nodes_from(keys)
    for (a, b), count in links.items():
        if a != b:
            g.add_edge(a, b, weight=math.log1p(count))
    spread = 90.0
    return force_positions(g, weight="weight", spread=spread)
