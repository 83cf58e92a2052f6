"""Named SPARQL queries (``queries/*.rq``), their parameters, and output formats.

Each file starts with ``# Purpose:``, ``# Param: name: meaning`` and ``# Example:`` comments.
Parameters bind SPARQL variables; a ``root`` parameter names a document by symbol, file or IRI.
"""

from __future__ import annotations

import csv
import io
import json
import re
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from rdflib import Literal, URIRef
from rdflib.namespace import XSD

from .resources import queries_dir
from .store import QueryResult, Store

_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


@dataclass
class NamedQuery:
    name: str
    text: str
    purpose: str = ""
    params: dict[str, str] = field(default_factory=dict)
    example: str = ""


def _header(name: str, text: str) -> NamedQuery:
    q = NamedQuery(name, text)
    last = None
    for line in text.splitlines():
        if not line.startswith("#"):
            break
        body = line[1:].strip()
        if body.startswith("Purpose:"):
            q.purpose, last = body[8:].strip(), "purpose"
        elif body.startswith("Param:"):
            k, _, v = body[6:].strip().partition(":")
            q.params[k.strip()] = v.strip()
            last = None
        elif body.startswith("Example:"):
            q.example, last = body[8:].strip(), None
        elif last == "purpose":
            q.purpose += " " + body
    return q


def named_queries() -> dict[str, NamedQuery]:
    return {p.stem: _header(p.stem, p.read_text("utf-8")) for p in sorted(queries_dir().glob("*.rq"))}


def load_query(ref: str) -> NamedQuery:
    """A named query, a ``.rq`` file, or ``-`` (standard input)."""
    if ref == "-":
        return _header("-", sys.stdin.read())
    named = named_queries()
    if ref in named:
        return named[ref]
    p = Path(ref)
    if p.is_file():
        return _header(p.stem, p.read_text("utf-8"))
    raise KeyError(f"no named query or file {ref!r} (named queries: {', '.join(named)})")


def find_document(store: Store, ref: str) -> URIRef | None:
    """A document by IRI, symbol (``102-KL/TW``, any case), source file or file name/stem.

    Exact forms (the symbol as given or upper-cased, the source file path) are index lookups and are
    tried first; only when none matches are all symbols and file names scanned. Among several
    matches the latest document wins.
    """
    if ref.startswith(("http://", "https://", "urn:")):
        return URIRef(ref)
    ref = ref.strip()
    exact = store.query(
        "SELECT ?d ?date WHERE { { VALUES ?s { ?ref ?up } ?d dg:symbol ?s } UNION { ?d dg:sourceFile ?ref } "
        "OPTIONAL { ?d eli:date_document ?date } } ORDER BY DESC(?date)",
        {"ref": Literal(ref), "up": Literal(ref.upper())},
    )
    if exact.rows:
        return exact.rows[0][0]
    res = store.query(
        "SELECT ?d ?date WHERE { { ?d dg:symbol ?s FILTER(UCASE(STR(?s)) = UCASE(?ref)) } UNION "
        "{ ?d dg:sourceFile ?f FILTER(?f = ?ref || STRENDS(?f, CONCAT('/', ?ref)) || "
        "STRBEFORE(REPLACE(?f, '^.*/', ''), '.') = ?ref) } OPTIONAL { ?d eli:date_document ?date } } "
        "ORDER BY DESC(?date)",
        {"ref": Literal(ref)},
    )
    return res.rows[0][0] if res.rows else None


def bind_params(store: Store, q: NamedQuery, given: dict[str, str]) -> dict[str, Any]:
    unknown = set(given) - set(q.params)
    if unknown and q.params:
        raise KeyError(f"query {q.name!r} takes {', '.join(q.params)}; not {', '.join(sorted(unknown))}")
    missing = [p for p in q.params if p not in given]
    if missing:
        raise KeyError(f"query {q.name!r} needs --param {missing[0]}=… ({q.params[missing[0]]})")
    out: dict[str, Any] = {}
    for k, v in given.items():
        if k in ("root", "document"):
            doc = find_document(store, v)
            if doc is None:
                raise LookupError(f"no document {v!r} in the store")
            out[k] = doc
        elif _DATE.match(v):
            out[k] = Literal(v, datatype=XSD.date)
        elif v.lstrip("-").isdigit():
            out[k] = Literal(int(v))
        elif v.startswith(("http://", "https://")):
            out[k] = URIRef(v)
        else:
            out[k] = Literal(v)
    return out


def _cell(v: Any) -> str:
    if v is None:
        return ""
    return str(v)


def format_result(res: QueryResult, fmt: str) -> str:
    """table | csv | tsv | json for SELECT/ASK; Turtle for CONSTRUCT/DESCRIBE."""
    if res.graph is not None:
        return res.graph.serialize(format="json-ld" if fmt == "json" else "turtle")
    if res.boolean is not None:
        return json.dumps({"boolean": res.boolean}) + "\n" if fmt == "json" else f"{str(res.boolean).lower()}\n"
    rows = [[_cell(v) for v in r] for r in res.rows]
    if fmt == "json":
        return json.dumps([dict(zip(res.variables, r, strict=True)) for r in rows], ensure_ascii=False, indent=1) + "\n"
    if fmt in ("csv", "tsv"):
        buf = io.StringIO()
        w = csv.writer(buf, delimiter="," if fmt == "csv" else "\t", lineterminator="\n")
        w.writerow(res.variables)
        w.writerows(rows)
        return buf.getvalue()
    return table(res.variables, rows)


def short(v: str) -> str:
    """IRIs under the instance base shown relative (``doc/tw/102-kl/2014``)."""
    from .namespaces import base_iri

    b = base_iri()
    return v[len(b):] if v.startswith(b) else v


def table(headers: list[str], rows: list[list[str]], width: int = 60) -> str:
    cells = [[short(c).replace("\n", " ") for c in r] for r in rows]
    cells = [[c if len(c) <= width else c[: width - 1] + "…" for c in r] for r in cells]
    widths = [max([len(h)] + [len(r[i]) for r in cells]) for i, h in enumerate(headers)]
    line = lambda r: "  ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)).rstrip()  # noqa: E731
    out = [line(headers), line(["-" * w for w in widths])] + [line(r) for r in cells]
    return "\n".join(out) + "\n"
