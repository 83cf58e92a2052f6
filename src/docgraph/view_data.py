"""The data block of the HTML view: the graph as columns of small integers over one table of strings.

Every node and edge of the graph is embedded (bodies and assignment edges too: the page switches that
layer on and off), so the page can filter, focus and drill down by itself. Text fields hold an index
into ``strings`` (-1 for none), so an issuer, a type or a sentence shared by many edges is stored once;
at 100,000 documents that keeps the page a few tens of megabytes. Nothing here is HTML: the page puts
these strings into the DOM only as text.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Hashable
from typing import Any

import networkx as nx

from docgraph.view_layout import group_positions, is_body

NODE_TEXT = ("label", "symbol", "type", "date", "issuer", "level", "province", "title", "source_file")
EDGE_TEXT = ("kind", "relation", "relation_label", "asserted_by_label", "sentence", "quote", "source_file", "task",
             "deadline")
EVIDENCE_FIELDS = ("sentence", "quote")  # left out of the overview's data (the bulk of a big page)
MAX_GROUPS = 250  # the overview draws at most this many groups; the rest are one "other" group
OTHER = "other"
GROUPINGS = ("issuer", "province", "year")


class Strings:
    """Interned strings: ``index(s)`` is the position of ``s`` in ``table`` (-1 for None or "")."""

    def __init__(self) -> None:
        self.table: list[str] = []
        self._index: dict[str, int] = {}

    def index(self, value: Any) -> int:
        if value is None or value == "":
            return -1
        text = str(value)
        found = self._index.get(text)
        if found is None:
            found = self._index[text] = len(self.table)
            self.table.append(text)
        return found


def year_of(date: Any) -> int | None:
    text = str(date or "")
    return int(text[:4]) if len(text) >= 4 and text[:4].isdigit() else None


def encode(g: nx.MultiDiGraph, rank: dict[Any, int], positions: dict[Any, tuple[float, float]] | None,
           *, evidence: bool = True) -> tuple[list[str], dict[str, list[Any]], dict[str, list[Any]], list[Any]]:
    """``(strings, nodes, edges, order)``: columns for every node and edge of ``g``; ``order`` is the
    node ids in column order. ``evidence=False`` leaves out edge sentences and quotes."""
    strings = Strings()
    order = list(g.nodes)
    position = {n: i for i, n in enumerate(order)}
    nodes: dict[str, list[Any]] = {"iri": [], "body": [], "in_corpus": [], "rank": []}
    nodes.update({f: [] for f in NODE_TEXT})
    for n in order:
        a = g.nodes[n]
        nodes["iri"].append(strings.index(n))
        nodes["body"].append(1 if is_body(a) else 0)
        nodes["in_corpus"].append(1 if a.get("in_corpus") else 0)
        nodes["rank"].append(rank.get(n, 0))
        for f in NODE_TEXT:
            nodes[f].append(strings.index(a.get(f) if f != "label" else a.get("label") or n))
    if positions is not None:
        xy = [positions.get(n) for n in order]
        nodes["x"] = [None if p is None else round(p[0], 1) for p in xy]
        nodes["y"] = [None if p is None else round(p[1], 1) for p in xy]
    edges: dict[str, list[Any]] = {"from": [], "to": []}
    edges.update({f: [] for f in EDGE_TEXT})
    for u, v, a in g.edges(data=True):
        edges["from"].append(position[u])
        edges["to"].append(position[v])
        for f in EDGE_TEXT:
            value = a.get(f) if f != "kind" else a.get("kind") or "relation"
            edges[f].append(-1 if not evidence and f in EVIDENCE_FIELDS else strings.index(value))
    return strings.table, nodes, edges, order


def group_key(attrs: dict[str, Any], by: str) -> Hashable:
    if by == "year":
        return year_of(attrs.get("date"))
    value = attrs.get(by)
    return None if value in (None, "") else str(value)


def overview(g: nx.MultiDiGraph, strings: list[str]) -> dict[str, Any]:
    """Groups of documents by issuer, province and year, each with its count and position.

    A group's ``key`` is what the page compares with a document's field: a string index for issuer
    and province, a year, ``-1`` for documents without one, or "other" for the small groups merged
    when there are more than ``MAX_GROUPS``. The page recounts groups under its filters.
    """
    index = {s: i for i, s in enumerate(strings)}
    docs = [(n, a) for n, a in g.nodes(data=True) if not is_body(a)]
    result: dict[str, Any] = {}
    for by in GROUPINGS:
        of = {n: group_key(a, by) for n, a in docs}
        counts = Counter(of.values())
        kept = {k for k, _ in counts.most_common(MAX_GROUPS)}
        if len(counts) > MAX_GROUPS:
            kept = {k for k, _ in counts.most_common(MAX_GROUPS - 1)}
        key_of = {n: (k if k in kept else OTHER) for n, k in of.items()}
        links: Counter[tuple[Hashable, Hashable]] = Counter()
        for u, v, a in g.edges(data=True):
            if a.get("kind", "relation") == "relation" and u in key_of and v in key_of:
                links[(key_of[u], key_of[v])] += 1
        sizes = Counter(key_of.values())
        keys = sorted(sizes, key=lambda k: (-sizes[k], str(k)))
        pos = group_positions(keys, dict(links), timeline=by == "year")
        groups = []
        for k in keys:
            if k == OTHER:
                key: Any = OTHER
            elif k is None:
                key = -1
            else:
                key = k if by == "year" else index[str(k)]
            count = sizes[k]
            x, y = pos.get(k, (0.0, 0.0))
            groups.append({"key": key, "count": count, "x": x, "y": y})
        result[by] = {"groups": groups, "merged": max(0, len(counts) - len(kept))}
    return result
