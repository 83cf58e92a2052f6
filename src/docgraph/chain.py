"""Implementation chains: what builds on a document (down) and what it builds on (up)."""

from __future__ import annotations

from dataclasses import dataclass

from rdflib import URIRef

from .queries import load_query
from .store import Store

_REL_VI = {"implements": "thực hiện", "continues": "tiếp tục thực hiện", "concretizes": "cụ thể hóa",
           "guides": "hướng dẫn thực hiện"}


@dataclass
class ChainNode:
    iri: str
    label: str
    type: str | None
    date: str | None
    issuer: str | None

    def describe(self) -> str:
        bits = [b for b in (self.type, self.issuer, self.date) if b]
        return f"{self.label} ({', '.join(bits)})" if bits else self.label


@dataclass
class ChainEdge:
    child: str  # the document that builds on parent
    parent: str
    relation: str


@dataclass
class Chain:
    root: ChainNode
    direction: str  # "down" | "up"
    nodes: dict[str, ChainNode]
    edges: list[ChainEdge]

    def rows(self) -> list[dict[str, str | None]]:
        """One row per link: the document reached (below or above the root) and what it links."""
        out = []
        for e in self.edges:
            n = self.nodes[e.child if self.direction == "down" else e.parent]
            out.append({"document": n.iri, "label": n.label, "type": n.type, "date": n.date, "issuer": n.issuer,
                        "relation": e.relation, "builds_on": e.parent, "cited_by": e.child})
        return out

    def tree(self) -> str:
        """The chain as an indented tree; a document reached twice is expanded once."""
        kids: dict[str, list[tuple[str, str]]] = {}
        for e in self.edges:
            a, b = (e.parent, e.child) if self.direction == "down" else (e.child, e.parent)
            kids.setdefault(a, []).append((b, e.relation))
        for v in kids.values():
            v.sort(key=lambda x: (self.nodes[x[0]].date or "9999", self.nodes[x[0]].label))
        lines = [self.root.describe()]
        seen = {self.root.iri}
        arrow = "←" if self.direction == "down" else "→"

        def walk(node: str, prefix: str) -> None:
            items = kids.get(node, [])
            for i, (child, rel) in enumerate(items):
                last = i == len(items) - 1
                again = child in seen
                note = "  (shown above)" if again and kids.get(child) else ""
                lines.append(f"{prefix}{'└─ ' if last else '├─ '}{_REL_VI.get(rel, rel)} {arrow} "
                             f"{self.nodes[child].describe()}{note}")
                if not again:
                    seen.add(child)
                    walk(child, prefix + ("   " if last else "│  "))

        walk(self.root.iri, "")
        return "\n".join(lines) + "\n"


def _node(store: Store, iri: URIRef) -> ChainNode:
    res = store.query(
        "SELECT ?label ?type ?date ?issuer ?term WHERE { ?d rdfs:label ?label . "
        "OPTIONAL { ?d eli:type_document/skos:prefLabel ?type FILTER(LANG(?type) = 'vi') } "
        "OPTIONAL { ?d eli:date_document ?date } OPTIONAL { ?d eli:passed_by/skos:prefLabel ?issuer } "
        "OPTIONAL { ?d dg:partyTerm/dg:romanNumeral ?term } } LIMIT 1",
        {"d": iri},
    )
    if not res.rows:
        return ChainNode(str(iri), str(iri), None, None, None)
    label, typ, date, issuer, term = (None if v is None else str(v) for v in res.rows[0])
    if issuer and term:
        issuer = f"{issuer} khóa {term}"
    return ChainNode(str(iri), label or str(iri), typ, date, issuer)


def chain(store: Store, root: URIRef, direction: str = "down") -> Chain:
    q = load_query("chain-down" if direction == "down" else "chain-up")
    res = store.query(q.text, {"root": root})
    nodes = {str(root): _node(store, root)}
    edges: list[ChainEdge] = []
    idx = {v: i for i, v in enumerate(res.variables)}
    for row in res.rows:
        doc = str(row[idx["doc"]])
        other = str(row[idx["parent" if direction == "down" else "child"]])
        for iri in (doc, other):
            if iri not in nodes:
                nodes[iri] = _node(store, URIRef(iri))
        rel = str(row[idx["relation"]])
        edges.append(ChainEdge(doc, other, rel) if direction == "down" else ChainEdge(other, doc, rel))
    return Chain(nodes[str(root)], direction, nodes, edges)
