"""docgraph serve: the SPARQL protocol through SPARQLWrapper, document pages, limits, hostile requests,
and XSS (in the HTML and in headless Chromium)."""

from __future__ import annotations

import html
import json
import socket
import threading
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from rdflib import Graph, Literal, URIRef
from SPARQLWrapper import CSV, JSON, TURTLE, XML, SPARQLWrapper
from SPARQLWrapper.SPARQLExceptions import QueryBadFormed

from docgraph.serve import DocgraphServer, make_server
from docgraph.serve_guard import Refused, check_query
from docgraph.serve_negotiate import RESULT_FORMATS, choose
from docgraph.store import write_store

pytestmark = pytest.mark.server
pytest_plugins = ["browser_support"]  # fixture: browser

ID = "https://w3id.org/docgraph/id/"
DG = "https://w3id.org/docgraph/def#"
TB158 = "doc/tw/158-tb/2020"
SLOW = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"
LIMIT = 50
XSS = "<script>alert(1)</script>"
XSS_ATTR = '"><img src=x onerror=alert(2)>'


def _start(store: Path, **options: Any) -> DocgraphServer:
    server = make_server(store, "127.0.0.1", 0, quiet=True, **options)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


@pytest.fixture(scope="module")
def server(seed_store: Path) -> Iterator[DocgraphServer]:
    s = _start(seed_store, timeout=1.0, limit=LIMIT, workers=2)
    yield s
    s.shutdown()
    s.server_close()


def get(server: DocgraphServer, path: str, accept: str | None = None, data: bytes | None = None,
        ctype: str | None = None) -> tuple[int, dict[str, str], str]:
    req = urllib.request.Request(server.url + path, data=data)
    if accept:
        req.add_header("Accept", accept)
    if ctype:
        req.add_header("Content-Type", ctype)
    try:
        with urllib.request.urlopen(req, timeout=30) as r:
            return r.status, dict(r.headers), r.read().decode("utf-8")
    except urllib.error.HTTPError as e:
        return e.code, dict(e.headers), e.read().decode("utf-8")


def raw(server: DocgraphServer, request: bytes) -> tuple[int, str]:
    """Send bytes exactly as given (no client-side path normalization); the status and whole answer."""
    host, port = server.server_address[:2]
    with socket.create_connection((host, port), timeout=30) as sock:
        sock.sendall(request)
        chunks = []
        while True:
            try:
                chunk = sock.recv(65536)
            except ConnectionResetError:
                break
            if not chunk:
                break
            chunks.append(chunk)
    text = b"".join(chunks).decode("utf-8", "replace")
    return int(text.split(" ", 2)[1]), text


def sparql(server: DocgraphServer, query: str, fmt: str = JSON) -> SPARQLWrapper:
    w = SPARQLWrapper(server.url + "/sparql")
    w.setQuery(query)
    w.setReturnFormat(fmt)
    return w


def still_answers(server: DocgraphServer) -> None:
    res = sparql(server, "SELECT (COUNT(*) AS ?n) WHERE { ?d a dg:Document }").queryAndConvert()
    assert int(res["results"]["bindings"][0]["n"]["value"]) > 0


# -- SPARQL protocol through SPARQLWrapper ---------------------------------------------------------
def test_select_json(server: DocgraphServer) -> None:
    res = sparql(server, "SELECT ?d ?s WHERE { ?d dg:symbol ?s } ORDER BY ?s").queryAndConvert()
    symbols = [b["s"]["value"] for b in res["results"]["bindings"]]
    assert "158-TB/TW" in symbols and "102-KL/TW" in symbols
    assert res["head"]["vars"] == ["d", "s"]


def test_select_csv(server: DocgraphServer) -> None:
    res = sparql(server, 'SELECT ?d WHERE { ?d dg:symbol "158-TB/TW" }', CSV).queryAndConvert()
    assert res.decode("utf-8").splitlines() == ["d", ID + TB158]


def test_select_xml(server: DocgraphServer) -> None:
    doc = sparql(server, 'SELECT ?d ?s WHERE { ?d dg:symbol ?s FILTER(?s = "158-TB/TW") }', XML).queryAndConvert()
    uris = [n.firstChild.data for n in doc.getElementsByTagName("uri")]
    literals = [n.firstChild.data for n in doc.getElementsByTagName("literal")]
    assert uris == [ID + TB158] and literals == ["158-TB/TW"]


def test_ask(server: DocgraphServer) -> None:
    assert sparql(server, 'ASK { ?d dg:symbol "158-TB/TW" }').queryAndConvert()["boolean"] is True
    assert sparql(server, 'ASK { ?d dg:symbol "no such symbol" }').queryAndConvert()["boolean"] is False


def test_construct_turtle(server: DocgraphServer) -> None:
    w = sparql(server, "CONSTRUCT { ?d dg:symbol ?s } WHERE { ?d dg:symbol ?s }", TURTLE)
    g = Graph().parse(data=w.queryAndConvert(), format="turtle")
    assert (URIRef(ID + TB158), URIRef(DG + "symbol"), Literal("158-TB/TW")) in g


@pytest.mark.parametrize("update", [
    "INSERT DATA { <urn:a> <urn:b> <urn:c> }",
    "LOAD <file:///etc/passwd>",
    "CLEAR ALL",
    "DELETE WHERE { ?s ?p ?o }",
])
def test_update_refused(server: DocgraphServer, update: str) -> None:
    w = sparql(server, update)
    w.setMethod("POST")
    with pytest.raises(QueryBadFormed, match="read-only"):
        w.query()
    still_answers(server)


@pytest.mark.parametrize("query", [
    "SELECT * WHERE { SERVICE <http://127.0.0.1:9/sparql> { ?s ?p ?o } }",
    "select * where { service silent <http://example.org/sparql> { ?s ?p ?o } }",
    "SELECT * WHERE { ?x ?y ?z OPTIONAL { SERVICE ?endpoint { ?s ?p ?o } } }",
    "SELECT * FROM <file:///etc/passwd> WHERE { ?s ?p ?o }",
    "SELECT * FROM NAMED <http://example.org/g> WHERE { GRAPH ?g { ?s ?p ?o } }",
])
def test_service_and_from_refused(server: DocgraphServer, query: str) -> None:
    with pytest.raises(QueryBadFormed, match="refused"):
        sparql(server, query).query()


def test_service_in_comment_or_string_is_fine(server: DocgraphServer) -> None:
    q = '# no SERVICE here\nSELECT ?d WHERE { ?d dg:symbol ?s FILTER(?s != "SERVICE <http://x/> {}") } LIMIT 1'
    assert len(sparql(server, q).queryAndConvert()["results"]["bindings"]) == 1


@pytest.mark.parametrize(("query", "form"), [
    ("SELECT * WHERE { ?s ?p ?o } # SERVICE <http://x> { }", "SELECT"),
    ("PREFIX service: <http://e/> ASK { ?service service:p 'service' }", "ASK"),
    ("CONSTRUCT WHERE { ?s <http://e/service> ?o }", "CONSTRUCT"),
])
def test_guard_reads_tokens(query: str, form: str) -> None:
    assert check_query(query).form == form


@pytest.mark.parametrize("query", [
    "SELECT * {FILTER(?a<?b)SERVICE?x{?s?p?o}FILTER(?c>0)}",
    "SELECT * WHERE { ?s ?p ?o . SeRvIcE <http://x/> { ?a ?b ?c } }",
    "INSERT { ?s ?p ?o } WHERE { ?s ?p ?o }",
    "WITH <http://g> DELETE { ?s ?p ?o } WHERE { ?s ?p ?o }",
])
def test_guard_refuses(query: str) -> None:
    with pytest.raises(Refused):
        check_query(query)


def test_timeout_then_next_query_answers(server: DocgraphServer) -> None:
    status, _, body = get(server, "/sparql?query=" + urllib.parse.quote(SLOW))
    assert status == 503 and "1 s limit" in body
    still_answers(server)
    still_answers(server)  # the other worker, or the fresh one started after the kill


def test_row_limit(server: DocgraphServer) -> None:
    status, headers, body = get(server, "/sparql?query=" + urllib.parse.quote("SELECT * WHERE { ?s ?p ?o }"),
                                "application/sparql-results+json")
    assert status == 200 and headers["X-Docgraph-Truncated"] == "true"
    assert len(json.loads(body)["results"]["bindings"]) == LIMIT
    status, headers, _ = get(server, "/sparql?query=" + urllib.parse.quote("ASK { ?s ?p ?o }"))
    assert status == 200 and "X-Docgraph-Truncated" not in headers


def test_construct_limit(server: DocgraphServer) -> None:
    q = urllib.parse.quote("CONSTRUCT WHERE { ?s ?p ?o }")
    status, headers, body = get(server, "/sparql?query=" + q, "application/n-triples")
    assert status == 200 and headers["X-Docgraph-Truncated"] == "true"
    assert len(body.strip().splitlines()) == LIMIT


def test_post_forms(server: DocgraphServer) -> None:
    q = "SELECT ?s WHERE { ?d dg:symbol ?s } ORDER BY ?s LIMIT 2"
    s1, _, b1 = get(server, "/sparql", "text/csv", urllib.parse.urlencode({"query": q}).encode(),
                    "application/x-www-form-urlencoded")
    s2, _, b2 = get(server, "/sparql", "text/csv", q.encode(), "application/sparql-query")
    assert s1 == s2 == 200 and b1 == b2 and b1.startswith("s\r\n")


def test_html_results_escaped(server: DocgraphServer) -> None:
    q = "SELECT ?x WHERE { BIND('<b>bold</b>' AS ?x) }"
    status, headers, body = get(server, "/sparql?format=html&query=" + urllib.parse.quote(q))
    assert status == 200 and headers["Content-Type"].startswith("text/html")
    assert "&lt;b&gt;bold&lt;/b&gt;" in body and "<b>bold" not in body


def test_format_not_acceptable(server: DocgraphServer) -> None:
    q = urllib.parse.quote("CONSTRUCT WHERE { ?s ?p ?o }")
    assert get(server, "/sparql?format=csv&query=" + q)[0] == 406


def test_negotiation_prefers_html_for_browsers() -> None:
    accept = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"
    assert choose(RESULT_FORMATS, accept, None, default="json").name == "html"
    assert choose(RESULT_FORMATS, "*/*", None, default="json").name == "json"
    assert choose(RESULT_FORMATS, "text/csv;q=0.5, text/tab-separated-values", None, default="json").name == "tsv"


# -- pages ----------------------------------------------------------------------------------------
def test_document_page_html(server: DocgraphServer, seed_store: Path) -> None:
    from docgraph.store import Store

    title = str(Store(seed_store).query(f"SELECT ?t WHERE {{ <{ID + TB158}> eli:title ?t }}").rows[0][0])
    status, headers, body = get(server, "/id/" + TB158, "text/html")
    assert status == 200 and headers["Content-Type"].startswith("text/html")
    assert html.escape(title) in body and "158-TB/TW" in body
    assert 'href="/id/doc/tw/102-kl/2014"' in body  # what it builds on, as a link
    assert 'href="/id/doc/file/002-d5e775b8c46f1c5a"' in body  # who cites it
    assert "Content-Security-Policy" in headers


def test_document_turtle(server: DocgraphServer) -> None:
    status, headers, body = get(server, "/id/" + TB158, "text/turtle")
    assert status == 200 and headers["Content-Type"].startswith("text/turtle")
    g = Graph().parse(data=body, format="turtle")
    assert (URIRef(ID + TB158), URIRef(DG + "symbol"), Literal("158-TB/TW")) in g
    assert any(True for _ in g.triples((None, URIRef(DG + "sentence"), None)))  # its statements' evidence


def test_document_jsonld(server: DocgraphServer) -> None:
    status, _, body = get(server, "/id/" + TB158, "application/ld+json")
    assert status == 200
    g = Graph().parse(data=body, format="json-ld")
    assert (URIRef(ID + TB158), URIRef(DG + "symbol"), Literal("158-TB/TW")) in g


def test_unknown_resource(server: DocgraphServer) -> None:
    assert get(server, "/id/doc/tw/999-nq/2099")[0] == 404
    assert get(server, "/id/doc/tw/999-nq/2099", "text/turtle")[0] == 404


def test_home_view_stats(server: DocgraphServer) -> None:
    status, _, body = get(server, "/")
    assert status == 200 and "<textarea" in body and 'href="/view"' in body and 'href="/stats"' in body
    assert "missing-documents" in body
    status, _, body = get(server, "/?example=citing")
    assert status == 200 and html.escape("<" + ID + TB158 + ">") in body  # ?root bound from its example
    assert "dg:RelationStatement" in body
    assert get(server, "/view")[0] == 200
    status, _, body = get(server, "/stats?root=158-TB/TW")
    assert status == 200 and "Hà Tĩnh" in body and "<svg" in body
    assert get(server, "/stats?root=999-XX/TW")[0] == 404


# -- hostile requests -----------------------------------------------------------------------------
def test_oversized_body(server: DocgraphServer) -> None:
    status, _ = raw(server, b"POST /sparql HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/sparql-query\r\n"
                            b"Content-Length: 50000000\r\n\r\nSELECT")
    assert status == 413
    still_answers(server)


@pytest.mark.parametrize("path", ["/id/../../etc/passwd", "/id/%2e%2e/%2e%2e/etc/passwd", "/../../etc/passwd",
                                  "/id/..%2f..%2fetc%2fpasswd", "/id/%00", "/id/a%3Eb"])
def test_path_traversal(server: DocgraphServer, path: str) -> None:
    status, text = raw(server, f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n".encode())
    assert status == 404 and "root:" not in text


def test_malformed_requests(server: DocgraphServer) -> None:
    assert get(server, "/sparql?query=" + urllib.parse.quote("SELECT ?x WHERE { ?x"))[0] == 400
    assert get(server, "/sparql?query=")[0] == 400
    assert get(server, "/sparql", accept="application/json")[0] == 400
    assert get(server, "/sparql", data=b"query=1", ctype="text/plain")[0] == 415
    assert get(server, "/sparql?default-graph-uri=file:///etc/passwd&query=ASK{}")[0] == 400
    status, _ = raw(server, b"GET / HTTP/1.1 trailing words\r\n\r\n")
    assert status == 400
    still_answers(server)


def test_foreign_host_header(server: DocgraphServer) -> None:
    status, _ = raw(server, b"GET / HTTP/1.1\r\nHost: evil.example:8000\r\nConnection: close\r\n\r\n")
    assert status == 421


# -- XSS ------------------------------------------------------------------------------------------
XSS_TTL = f"""
@prefix dg: <{DG}> . @prefix eli: <http://data.europa.eu/eli/ontology#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> . @prefix rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#> .
@prefix oa: <http://www.w3.org/ns/oa#> . @prefix dgl: <https://w3id.org/docgraph/level/> .
<{ID}doc/xss> a dg:Document ; rdfs:label {json.dumps(XSS)} ; eli:title {json.dumps(XSS)} ;
    dg:symbol {json.dumps(XSS_ATTR)} ; dg:inCorpus true ; dg:level dgl:central ;
    dg:implements <javascript:alert(3)> ; eli:cites <{ID}doc/other> .
<{ID}doc/other> a dg:Document ; rdfs:label {json.dumps(XSS_ATTR)} ; dg:inCorpus false ; dg:level dgl:central .
<{ID}stmt/1> a dg:RelationStatement ; rdf:subject <{ID}doc/xss> ; rdf:predicate dg:implements ;
    rdf:object <{ID}doc/other> ; dg:assertedBy <{ID}doc/xss> ; dg:evidence <{ID}ev/1> .
<{ID}ev/1> a dg:Evidence ; dg:sentence {json.dumps(XSS + " sentence")} .
"""


@pytest.fixture(scope="module")
def xss_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[DocgraphServer]:
    path = tmp_path_factory.mktemp("xss") / "dg"
    write_store(path, [Graph().parse(data=XSS_TTL, format="turtle")], {})
    s = _start(path, workers=1)
    yield s
    s.shutdown()
    s.server_close()


XSS_PAGES = ["/id/doc/xss", "/id/doc/other", "/", "/stats", "/stats?root=" + urllib.parse.quote(XSS),
             "/?example=" + urllib.parse.quote(XSS),
             "/sparql?format=html&query=" + urllib.parse.quote("SELECT ?l ?d WHERE { ?d rdfs:label ?l }")]


def test_xss_escaped_in_html(xss_server: DocgraphServer) -> None:
    status, _, body = get(xss_server, "/id/doc/xss", "text/html")
    assert status == 200
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in body and XSS not in body
    assert "<img" not in body and "javascript:" not in body.replace("javascript:alert(3)", "")
    assert 'href="javascript' not in body
    for path in XSS_PAGES[1:]:
        body = get(xss_server, path, "text/html")[2]
        assert XSS not in body and "<img" not in body, path


@pytest.mark.browser
@pytest.mark.parametrize("path", XSS_PAGES)
def test_no_dialog_in_chromium(browser: Any, xss_server: DocgraphServer, path: str) -> None:
    context = browser.new_context()
    page = context.new_page()
    dialogs: list[str] = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    try:
        page.goto(xss_server.url + path, wait_until="load")
        page.wait_for_timeout(200)
        for link in page.locator("a[href]").all()[:30]:
            assert not (link.get_attribute("href") or "").lower().startswith("javascript")
        assert dialogs == [], path
        assert page.locator("img").count() == 0
    finally:
        context.close()


@pytest.mark.browser
def test_view_runs_under_its_csp(browser: Any, server: DocgraphServer) -> None:
    context = browser.new_context()
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.on("console", lambda m: m.type == "error" and errors.append(m.text))
    try:
        page.goto(server.url + "/view")
        page.wait_for_function("window.docgraph && window.docgraph.ready === true", timeout=15_000)
        assert errors == []
    finally:
        context.close()
