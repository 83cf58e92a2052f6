"""The data block of the HTML view: the graph as columns of small integers over one table of strings.

Every node and edge of the graph is embedded (bodies and assignment edges too: the page switches that
layer on and off), so the page can filter, focus and drill down by itself. Text fields hold an index
into ``strings`` (-1 for none), so an issuer, a type or a sentence shared by many edges is stored once;
at 100,000 documents that keeps the page a few tens of megabytes. Nothing here is HTML: the page puts
these strings into the DOM only as text.
"""

from __future__ import annotations

from collections import Counter
from typing import Any

import networkx as nx

from docgraph.view_layout import group_positions, is_body

NODE_TEXT = ("label", "symbol", "type", "date", "issuer", "level", "province", "title", "source_file")
EDGE_TEXT = ("kind", "relation", "relation_label", "asserted_by_label", "sentence", "quote", "source_file", "task",
             "deadline")
EVIDENCE_FIELDS = ("sentence", "quote")  # left out of the overview's data (the bulk of a big page)
MAX_GROUPS = 250  # the overview draws at most this many groups; the rest are one "other" group
OTHER = "other"  # key of the merged group in the page's data
GROUPINGS = ("issuer", "province", "year")


class Strings:
    """Interned strings: ``index(s)`` is the position of ``s`` in ``table`` (-1 for None or "")."""

    def __init__(self) -> None:
        self._index: dict[str, int] = {}

    @property
    def table(self) -> list[str]:
        return list(self._index)  # dicts keep insertion order: position == index

    def index(self, value: Any) -> int:
        if value is None or value == "":
            return -1
        return self._index.setdefault(value if isinstance(value, str) else str(value), len(self._index))

    def column(self, values: list[Any]) -> list[int]:
        index, setdefault = self._index, self._index.setdefault
        return [-1 if v is None or v == "" else setdefault(v if isinstance(v, str) else str(v), len(index))
                for v in values]


def year_of(date: Any) -> int | None:
    text = str(date or "")
    return int(text[:4]) if len(text) >= 4 and text[:4].isdigit() else None


def encode(g: nx.MultiDiGraph, rank: dict[Any, int], positions: dict[Any, tuple[float, float]] | None,
           *, evidence: bool = True) -> tuple[list[str], dict[str, list[Any]], dict[str, list[Any]]]:
    """``(strings, nodes, edges)``: columns for every node and edge of ``g``, nodes in ``g``'s order.
    ``evidence=False`` leaves out edge sentences and quotes; a column with no value at all is left out."""
    strings = Strings()
    order = list(g.nodes)
    attrs = [g.nodes[n] for n in order]
    nodes: dict[str, list[Any]] = {
        "iri": strings.column(order),
        "body": [1 if is_body(a) else 0 for a in attrs],
        "in_corpus": [1 if a.get("in_corpus") else 0 for a in attrs],
        "rank": [rank.get(n, 0) for n in order],
        "label": strings.column([a.get("label") or n for n, a in zip(order, attrs, strict=True)]),
    }
    for f in NODE_TEXT[1:]:
        nodes[f] = strings.column([a.get(f) for a in attrs])
    if positions is not None:
        xy = [positions.get(n) for n in order]
        nodes["x"] = [None if p is None else round(p[0], 1) for p in xy]
        nodes["y"] = [None if p is None else round(p[1], 1) for p in xy]
    position = {n: i for i, n in enumerate(order)}
    triples = list(g.edges(data=True))
    edges: dict[str, list[Any]] = {"from": [position[u] for u, _, _ in triples],
                                   "to": [position[v] for _, v, _ in triples],
                                   "kind": strings.column([a.get("kind") or "relation" for _, _, a in triples])}
    for f in EDGE_TEXT[1:]:
        if evidence or f not in EVIDENCE_FIELDS:
            edges[f] = strings.column([a.get(f) for _, _, a in triples])
    for columns in (nodes, edges):
        for f in [f for f in columns if f in NODE_TEXT + EDGE_TEXT and f not in ("iri", "label", "kind")]:
            if all(v == -1 for v in columns[f]):
                del columns[f]
    return strings.table, nodes, edges


def overview(strings: list[str], nodes: dict[str, list[Any]], edges: dict[str, list[Any]]) -> dict[str, Any]:
    """Groups of documents by issuer, province and year, each with its count and position.

    A group's ``key`` is what the page compares with a document's column: a string index for issuer
    and province, a year, ``-1`` for documents without one, or "other" for the small groups merged
    when there are more than ``MAX_GROUPS``. The page recounts groups under its filters.
    """
    docs = [i for i, body in enumerate(nodes["body"]) if not body]
    relation = strings.index("relation") if "relation" in strings else -2
    cites = [(u, v) for u, v, k in zip(edges["from"], edges["to"], edges["kind"], strict=True) if k == relation]
    result: dict[str, Any] = {}
    for by in GROUPINGS:
        column = nodes.get("date" if by == "year" else by) or [-1] * len(nodes["iri"])
        if by == "year":
            years = {s: year_of(strings[s]) for s in set(column) if s >= 0}
            of = {i: -1 if years.get(column[i]) is None else years[column[i]] for i in docs}
        else:
            of = {i: column[i] for i in docs}
        counts = Counter(of.values())
        limit = MAX_GROUPS if len(counts) <= MAX_GROUPS else MAX_GROUPS - 1
        kept = {k for k, _ in counts.most_common(limit)}
        key_of = {i: (k if k in kept else OTHER) for i, k in of.items()}
        links = Counter((key_of[u], key_of[v]) for u, v in cites if u in key_of and v in key_of)
        sizes = Counter(key_of.values())
        keys = sorted(sizes, key=lambda k: (-sizes[k], str(k)))
        pos = group_positions(keys, dict(links), timeline=by == "year")
        groups = [{"key": k, "count": sizes[k], "x": pos[k][0], "y": pos[k][1]} for k in keys]
        result[by] = {"groups": groups, "merged": max(0, len(counts) - len(kept))}
    return result
