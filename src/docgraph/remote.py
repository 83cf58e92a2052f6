"""A SPARQL server as the store (scale-out): SPARQL 1.1 Query for reading, Graph Store Protocol for loading.

``--store http://127.0.0.1:7878/query`` (an ``oxigraph serve``) makes build, query, chain, view and
export run against the server. The Graph Store endpoint is derived from the query URL (``…/query`` or
``…/sparql`` → ``…/store``, Oxigraph's layout; Fuseki's is ``…/data``) or given in ``DOCGRAPH_GSP``.
"""

from __future__ import annotations

import json
import os
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path
from typing import Any

import pyoxigraph as ox
from rdflib import BNode, Graph, Literal, URIRef

from .errors import StoreError
from .namespaces import sparql_prefixes
from .store import QueryResult, substitute

_TIMEOUT = float(os.environ.get("DOCGRAPH_HTTP_TIMEOUT", "300"))


def is_url(store: str | os.PathLike[str] | None) -> bool:
    return isinstance(store, str) and store.startswith(("http://", "https://"))


def gsp_url(query_url: str) -> str:
    env = os.environ.get("DOCGRAPH_GSP")
    if env:
        return env
    base, _, last = query_url.rstrip("/").rpartition("/")
    return f"{base}/store" if last in ("query", "sparql") else query_url.rstrip("/") + "/store"


def _term(b: dict[str, str]) -> Any:
    t = b["type"]
    if t == "uri":
        return URIRef(b["value"])
    if t == "bnode":
        return BNode(b["value"])
    dt = b.get("datatype")
    if dt == "http://www.w3.org/2001/XMLSchema#string":
        dt = None
    return Literal(b["value"], lang=b.get("xml:lang"), datatype=URIRef(dt) if dt else None)


class RemoteStore:
    """The same reading interface as :class:`docgraph.store.Store`, over HTTP."""

    def __init__(self, url: str) -> None:
        self.url = url
        self.root = url
        self.manifest: dict[str, Any] = {}
        try:
            self.query("ASK { }")
        except StoreError:
            raise
        except Exception as e:
            raise StoreError(f"{url}: cannot reach the SPARQL endpoint ({e})") from None

    def _post(self, url: str, data: bytes, content_type: str, accept: str, method: str = "POST") -> tuple[str, bytes]:
        req = urllib.request.Request(url, data=data, method=method,
                                     headers={"Content-Type": content_type, "Accept": accept})
        try:
            with urllib.request.urlopen(req, timeout=_TIMEOUT) as resp:
                return resp.headers.get("Content-Type", ""), resp.read()
        except urllib.error.HTTPError as e:
            detail = e.read().decode("utf-8", "replace").strip().splitlines()
            msg = detail[0] if detail else e.reason
            if e.code == 400:
                raise ValueError(f"the server refused the query: {msg}") from None
            raise StoreError(f"{url}: HTTP {e.code}: {msg}") from None
        except urllib.error.URLError as e:
            raise StoreError(f"{url}: cannot reach the SPARQL endpoint ({e.reason})") from None

    def query(self, sparql: str, params: dict[str, Any] | None = None) -> QueryResult:
        text = sparql_prefixes() + substitute(sparql, params)
        ctype, body = self._post(self.url, text.encode("utf-8"), "application/sparql-query",
                                 "application/sparql-results+json, application/n-triples;q=0.9")
        if "json" in ctype:
            data = json.loads(body)
            if "boolean" in data:
                return QueryResult([], [], boolean=bool(data["boolean"]))
            variables = data["head"].get("vars", [])
            rows = [[_term(b[v]) if v in b else None for v in variables] for b in data["results"]["bindings"]]
            return QueryResult(variables, rows)
        g = Graph()
        g.parse(data=body.decode("utf-8"), format="nt")
        return QueryResult([], [], graph=g)

    def __len__(self) -> int:
        res = self.query("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }")
        return int(res.rows[0][0])

    def dump(self, fmt: ox.RdfFormat) -> bytes:
        _ctype, body = self._post(self.url, b"CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }",
                                 "application/sparql-query", "application/n-triples")
        if fmt == ox.RdfFormat.N_TRIPLES:
            return body
        return ox.serialize(ox.parse(body, format=ox.RdfFormat.N_TRIPLES), format=fmt)

    def rdflib_graph(self) -> Graph:
        g = Graph()
        g.parse(data=self.dump(ox.RdfFormat.N_TRIPLES).decode("utf-8"), format="nt")
        return g

    def ox_triples(self) -> Any:
        return ox.parse(self.dump(ox.RdfFormat.N_TRIPLES), format=ox.RdfFormat.N_TRIPLES)


def load_remote(url: str, path: Path) -> None:
    """Replace the server's default graph with the N-Triples file ``path`` (one Graph Store Protocol PUT,
    streamed from the file)."""
    target = gsp_url(url) + "?default"
    with open(path, "rb") as body:
        req = urllib.request.Request(target, data=body, method="PUT", headers={
            "Content-Type": "application/n-triples", "Content-Length": str(path.stat().st_size)})
        try:
            with urllib.request.urlopen(req, timeout=_TIMEOUT) as resp:
                resp.read()
        except urllib.error.HTTPError as e:
            raise StoreError(f"{target}: HTTP {e.code}: {e.read().decode('utf-8', 'replace')[:200]}") from None
        except urllib.error.URLError as e:
            raise StoreError(f"{target}: cannot reach the Graph Store endpoint ({e.reason})") from None


def open_store(store: str | os.PathLike[str] | None) -> Any:
    """A :class:`~docgraph.store.Store` for a folder, a :class:`RemoteStore` for an http(s) URL."""
    from .store import Store

    if is_url(store):
        return RemoteStore(str(store))
    return Store(store)
