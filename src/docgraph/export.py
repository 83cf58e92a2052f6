"""Exports: Turtle, N-Triples, N-Quads and RDF/XML through oxigraph (fast); JSON-LD through rdflib;
GraphML of the citation graph through networkx."""

from __future__ import annotations

import io
from typing import Any

import networkx as nx
import pyoxigraph as ox

from .namespaces import PREFIXES

FORMATS = ("turtle", "nt", "nq", "xml", "jsonld", "graphml")
_OX = {"turtle": ox.RdfFormat.TURTLE, "nt": ox.RdfFormat.N_TRIPLES, "nq": ox.RdfFormat.N_QUADS,
       "xml": ox.RdfFormat.RDF_XML}


def export_bytes(store: Any, fmt: str) -> bytes:
    """The graph of ``store`` (embedded or remote) in ``fmt``."""
    if fmt in _OX:
        if fmt == "turtle":
            buf = io.BytesIO()
            ox.serialize(store.ox_triples(), buf, format=ox.RdfFormat.TURTLE, prefixes=PREFIXES)
            return buf.getvalue()
        return store.dump(_OX[fmt])
    if fmt == "jsonld":
        g = store.rdflib_graph()
        for p, ns in PREFIXES.items():
            g.bind(p, ns)
        return g.serialize(format="json-ld", context={p: ns for p, ns in PREFIXES.items()}).encode("utf-8")
    if fmt == "graphml":
        from .graphdata import citation_graph

        g = citation_graph(store)
        for _, data in g.nodes(data=True):
            for k in [k for k, v in data.items() if v is None]:
                del data[k]
        for _, _, data in g.edges(data=True):
            for k in [k for k, v in data.items() if v is None]:
                del data[k]
        buf = io.BytesIO()
        nx.write_graphml(g, buf)
        return buf.getvalue()
    raise ValueError(f"unknown export format {fmt!r} (one of {', '.join(FORMATS)})")
