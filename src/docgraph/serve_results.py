"""SPARQL query results (SELECT rows, possibly cut at the row limit) in the W3C formats.

oxigraph serializes a whole ``QuerySolutions`` iterator; a response cut at ``--limit`` rows needs
its own writer, so SELECT results are written here: JSON, XML, CSV and TSV as the SPARQL 1.1 result
format specifications define them. Terms are pyoxigraph terms.
"""

from __future__ import annotations

import csv
import io
import json
from typing import Any
from xml.sax.saxutils import escape, quoteattr

import pyoxigraph as ox

XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
RDF_LANG_STRING = "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString"


def term_json(t: Any) -> dict[str, Any]:
    """A term as a SPARQL JSON results binding."""
    if isinstance(t, ox.NamedNode):
        return {"type": "uri", "value": t.value}
    if isinstance(t, ox.BlankNode):
        return {"type": "bnode", "value": t.value}
    if isinstance(t, ox.Literal):
        d: dict[str, Any] = {"type": "literal", "value": t.value}
        if t.language:
            d["xml:lang"] = t.language
        elif t.datatype is not None and t.datatype.value not in (XSD_STRING, RDF_LANG_STRING):
            d["datatype"] = t.datatype.value
        return d
    if isinstance(t, ox.Triple):
        return {"type": "triple", "value": {"subject": term_json(t.subject), "predicate": term_json(t.predicate),
                                            "object": term_json(t.object)}}
    raise TypeError(f"not an RDF term: {t!r}")


def results_json(variables: list[str], rows: list[list[Any]]) -> bytes:
    bindings = [{v: term_json(t) for v, t in zip(variables, row, strict=True) if t is not None} for row in rows]
    return json.dumps({"head": {"vars": variables}, "results": {"bindings": bindings}},
                      ensure_ascii=False).encode("utf-8")


def _term_xml(t: Any) -> str:
    if isinstance(t, ox.NamedNode):
        return f"<uri>{escape(t.value)}</uri>"
    if isinstance(t, ox.BlankNode):
        return f"<bnode>{escape(t.value)}</bnode>"
    if isinstance(t, ox.Literal):
        attrs = ""
        if t.language:
            attrs = f" xml:lang={quoteattr(t.language)}"
        elif t.datatype is not None and t.datatype.value not in (XSD_STRING, RDF_LANG_STRING):
            attrs = f" datatype={quoteattr(t.datatype.value)}"
        return f"<literal{attrs}>{escape(t.value)}</literal>"
    if isinstance(t, ox.Triple):
        parts = (("subject", t.subject), ("predicate", t.predicate), ("object", t.object))
        return "<triple>" + "".join(f"<{k}>{_term_xml(v)}</{k}>" for k, v in parts) + "</triple>"
    raise TypeError(f"not an RDF term: {t!r}")


def results_xml(variables: list[str], rows: list[list[Any]]) -> bytes:
    out = ['<?xml version="1.0" encoding="utf-8"?>\n<sparql xmlns="http://www.w3.org/2005/sparql-results#">',
           "<head>", *(f"<variable name={quoteattr(v)}/>" for v in variables), "</head><results>"]
    for row in rows:
        out.append("<result>")
        out.extend(f"<binding name={quoteattr(v)}>{_term_xml(t)}</binding>"
                   for v, t in zip(variables, row, strict=True) if t is not None)
        out.append("</result>")
    out.append("</results></sparql>\n")
    return "\n".join(out).encode("utf-8")


def _csv_cell(t: Any) -> str:
    if t is None:
        return ""
    if isinstance(t, ox.BlankNode):
        return f"_:{t.value}"
    if isinstance(t, (ox.NamedNode, ox.Literal)):
        return t.value
    return str(t)


def results_csv(variables: list[str], rows: list[list[Any]]) -> bytes:
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\r\n")
    w.writerow(variables)
    w.writerows([_csv_cell(t) for t in row] for row in rows)
    return buf.getvalue().encode("utf-8")


def results_tsv(variables: list[str], rows: list[list[Any]]) -> bytes:
    lines = ["\t".join(f"?{v}" for v in variables)]
    lines += ["\t".join("" if t is None else str(t) for t in row) for row in rows]
    return ("\n".join(lines) + "\n").encode("utf-8")


WRITERS = {"json": results_json, "xml": results_xml, "csv": results_csv, "tsv": results_tsv}
