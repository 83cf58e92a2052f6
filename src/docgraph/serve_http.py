"""The HTTP side of ``docgraph serve``: routing, limits, headers (standard library ``http.server``).

Routes: ``/`` home, ``/sparql`` (SPARQL 1.1 Protocol, query only), ``/id/…`` one page per resource
(HTML, Turtle, N-Triples, JSON-LD, RDF/XML by content negotiation), ``/view`` the citation graph,
``/stats`` research figures (``/stats.svg`` the chart). Nothing is ever read from the file system
by path: there is no static folder, so there is nothing to traverse to.
"""

from __future__ import annotations

import json
import re
import sys
import traceback
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler
from typing import TYPE_CHECKING, Any
from urllib.parse import parse_qs, unquote, urlsplit

from . import serve_pages as pages
from .serve_guard import Refused, check_query
from .serve_html import results_table
from .serve_negotiate import GRAPH_FORMATS, RESULT_FORMATS, Format, NotAcceptable, choose
from .serve_worker import Answer, Job

if TYPE_CHECKING:
    from .serve import App

CSP_PAGES = ("default-src 'none'; style-src 'unsafe-inline'; img-src data:; form-action 'self'; base-uri 'none'; "
             "frame-ancestors 'none'")
CSP_VIEW = ("default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; img-src data: blob:; "
            "base-uri 'none'; form-action 'none'; frame-ancestors 'none'")
LOOPBACK_NAMES = {"localhost", "127.0.0.1", "::1"}
_BAD_IRI_CHARS = re.compile(r'[\x00-\x20<>"{}|^`\\]')
FORMAT_PARAMS = ("format", "output")
DESCRIBE_LIMIT = 100_000


class HttpError(Exception):
    def __init__(self, status: int, message: str, html: bool = False) -> None:
        super().__init__(message)
        self.status, self.message, self.html = status, message, html


class Handler(BaseHTTPRequestHandler):
    server_version = "docgraph"
    sys_version = ""
    protocol_version = "HTTP/1.1"
    default_request_version = "HTTP/1.0"  # answer a garbled request line with a status line
    timeout = 60  # seconds a connection may stay silent
    disable_nagle_algorithm = True  # headers and body go out at once (no 40 ms delayed-ACK stall)
    app: App  # set on the subclass made by serve.App

    # -- plumbing -------------------------------------------------------------------------
    def log_message(self, format: str, *args: Any) -> None:
        if not self.app.quiet:
            sys.stderr.write(f"{self.address_string()} - [{self.log_date_time_string()}] {format % args}\n")

    def _send(self, status: int, body: bytes, content_type: str, headers: dict[str, str] | None = None,
              csp: str | None = CSP_PAGES) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("X-Content-Type-Options", "nosniff")
        self.send_header("Referrer-Policy", "no-referrer")
        if csp and content_type.startswith("text/html"):
            self.send_header("Content-Security-Policy", csp)
        for k, v in (headers or {}).items():
            self.send_header(k, v)
        if self.close_connection:
            self.send_header("Connection", "close")
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def _html(self, status: int, text: str, headers: dict[str, str] | None = None, csp: str | None = CSP_PAGES) -> None:
        self._send(status, text.encode("utf-8"), "text/html; charset=utf-8", headers, csp)

    def _error(self, e: HttpError) -> None:
        title = HTTPStatus(e.status).phrase
        if e.html or self._wants_html():
            self._html(e.status, pages.message_page(e.status, title, e.message))
        else:
            self._send(e.status, f"{e.status} {title}: {e.message}\n".encode(), "text/plain; charset=utf-8")

    def _wants_html(self) -> bool:
        try:
            return choose(RESULT_FORMATS, self.headers.get("Accept"), None, default="json").name == "html"
        except NotAcceptable:
            return False

    def _dispatch(self) -> None:
        try:
            self._check_host()
            url = urlsplit(self.path)
            params = self._params(url.query)
            path = url.path
            if self.command == "POST":
                if path != "/sparql":
                    raise HttpError(405, "only /sparql takes POST")
                self._sparql(self._post_params(params))
            elif path == "/":
                self._home(params)
            elif path == "/sparql":
                self._sparql(params)
            elif path.startswith("/id/"):
                self._resource(path[4:], params)
            elif path == "/view":
                self._html(200, self.app.view_html(), csp=CSP_VIEW)
            elif path == "/stats":
                self._stats(params)
            elif path == "/stats.svg":
                self._send(200, self.app.stats_svg(None).encode("utf-8"), "image/svg+xml; charset=utf-8")
            else:
                raise HttpError(404, f"no page at {path}")
        except HttpError as e:
            self._error(e)
        except (BrokenPipeError, ConnectionResetError):
            self.close_connection = True
        except Exception:  # a bug of ours: log it, answer 500, keep serving
            traceback.print_exc(file=sys.stderr)
            self.close_connection = True
            self._error(HttpError(500, "internal error (logged by the server)"))

    do_GET = do_HEAD = do_POST = _dispatch

    def _check_host(self) -> None:
        """On a loopback address, answer only requests sent to a loopback name (no DNS rebinding)."""
        if not self.app.loopback:
            return
        host = (self.headers.get("Host") or "").strip().lower()
        name = host[1:].split("]")[0] if host.startswith("[") else host.rsplit(":", 1)[0] if ":" in host else host
        if name not in LOOPBACK_NAMES and name != self.app.host:
            raise HttpError(421, f"this server answers only on {self.app.host}, not {host or 'no Host'}")

    def _params(self, query_string: str) -> dict[str, list[str]]:
        try:
            return parse_qs(query_string, keep_blank_values=True, max_num_fields=50)
        except ValueError as e:
            raise HttpError(400, f"bad query string: {e}") from None

    def _post_params(self, params: dict[str, list[str]]) -> dict[str, list[str]]:
        if "chunked" in (self.headers.get("Transfer-Encoding") or "").lower():
            self.close_connection = True
            raise HttpError(411, "send a Content-Length; chunked bodies are not accepted")
        try:
            length = int(self.headers.get("Content-Length") or "")
        except ValueError:
            self.close_connection = True
            raise HttpError(411, "a POST needs a Content-Length") from None
        if length < 0 or length > self.app.max_body:
            self.close_connection = True  # the body is not read: this connection cannot be reused
            raise HttpError(413, f"request body of {length} bytes; the limit is {self.app.max_body}")
        body = self.rfile.read(length)
        ctype = (self.headers.get("Content-Type") or "").split(";")[0].strip().lower()
        try:
            text = body.decode("utf-8")
        except UnicodeDecodeError:
            raise HttpError(400, "the request body is not UTF-8") from None
        if ctype == "application/x-www-form-urlencoded":
            merged = {k: list(v) for k, v in params.items()}
            for k, v in self._params(text).items():
                merged.setdefault(k, []).extend(v)
            return merged
        if ctype == "application/sparql-query":
            return dict(params, query=[text])
        if ctype == "application/sparql-update":
            raise HttpError(400, "SPARQL Update is refused: this endpoint is read-only")
        raise HttpError(415, "POST application/x-www-form-urlencoded (query=…) or application/sparql-query")

    # -- pages ----------------------------------------------------------------------------
    def _home(self, params: dict[str, list[str]]) -> None:
        example = (params.get("example") or [None])[0]
        text = self.app.example_text(example) if example else None
        if example and text is None:
            raise HttpError(404, f"no named query {example!r}", html=True)
        self._html(200, pages.home_page(self.app.store, self.app.figures, text or pages.DEFAULT_QUERY, example))

    def _stats(self, params: dict[str, list[str]]) -> None:
        root = ((params.get("root") or [""])[0]).strip() or None
        try:
            st = self.app.stats(root)
        except LookupError as e:
            raise HttpError(404, str(e.args[0]), html=True) from None
        self._html(200, pages.stats_page(st, self.app.stats_svg(root), root))

    def _resource(self, rest: str, params: dict[str, list[str]]) -> None:
        rest = unquote(rest)
        if not rest or _BAD_IRI_CHARS.search(rest):
            raise HttpError(404, "no such resource")
        iri = pages.resource_iri(rest)
        fmt = self._choose(GRAPH_FORMATS, params, "html")
        if not pages.exists(self.app.store, iri):
            raise HttpError(404, f"nothing is known about {iri}", html=fmt.name == "html")
        headers = {"Vary": "Accept", "Link": f'<{iri}>; rel="canonical"'}
        if fmt.name == "html":
            self._html(200, pages.resource_page(self.app.store, iri), headers)
            return
        limit = max(self.app.limit, DESCRIBE_LIMIT)  # a description is whole unless it is huge
        answer = self.app.pool.run(Job(pages.describe_query(iri), None, fmt.name, limit))
        self._answer("", answer, headers)

    def _choose(self, formats: tuple[Format, ...], params: dict[str, list[str]], default: str) -> Format:
        given = [v for k in FORMAT_PARAMS for v in params.get(k, [])]
        try:
            return choose(formats, self.headers.get("Accept"), given or None, default=default)
        except NotAcceptable as e:
            raise HttpError(406, str(e)) from None

    # -- SPARQL ---------------------------------------------------------------------------
    def _sparql(self, params: dict[str, list[str]]) -> None:
        for name in ("update", "using-graph-uri", "using-named-graph-uri"):
            if name in params:
                raise HttpError(400, "SPARQL Update is refused: this endpoint is read-only")
        for name in ("default-graph-uri", "named-graph-uri"):
            if name in params:
                raise HttpError(400, f"{name} is refused: the store has one default graph and loads nothing")
        queries = params.get("query", [])
        if not queries:
            if self._wants_html():
                self._html(200, pages.home_page(self.app.store, self.app.figures, pages.DEFAULT_QUERY, None))
                return
            raise HttpError(400, "no query: send query=… (GET or POST) or an application/sparql-query body")
        if len(queries) > 1:
            raise HttpError(400, "more than one query parameter")
        query = queries[0]
        if not query.strip():
            raise HttpError(400, "the query is empty")
        if len(query.encode("utf-8")) > self.app.max_body:
            raise HttpError(413, f"the query is longer than {self.app.max_body} bytes")
        results_fmt, graph_fmt, problem = self._sparql_formats(params)
        try:
            form = check_query(query).form
        except Refused as e:
            raise HttpError(400, str(e), html=results_fmt == "html") from None
        wanted = graph_fmt if form in ("CONSTRUCT", "DESCRIBE") else results_fmt if form else "any"
        if wanted is None:
            raise HttpError(406, problem)
        answer = self.app.pool.run(Job(query, results_fmt, graph_fmt, self.app.limit))
        self._answer(query, answer)

    def _sparql_formats(self, params: dict[str, list[str]]) -> tuple[str | None, str | None, str]:
        given = [v for k in FORMAT_PARAMS for v in params.get(k, [])] or None
        accept = self.headers.get("Accept")
        names, problem = [], ""
        for formats, default in ((RESULT_FORMATS, "json"), (GRAPH_FORMATS, "turtle")):
            try:
                names.append(choose(formats, accept, given, default=default).name)
            except NotAcceptable as e:
                names.append(None)
                problem = str(e)
        return names[0], names[1], problem

    def _answer(self, query: str, answer: Answer, headers: dict[str, str] | None = None) -> None:
        html = answer.format == "html"
        if answer.status != 200:
            raise HttpError(answer.status, answer.body.decode("utf-8", "replace"), html=html or self._wants_html())
        headers = dict(headers or {}, **{"X-Docgraph-Rows": str(answer.count)})
        if answer.truncated:
            headers["X-Docgraph-Truncated"] = "true"
        if html:
            table = results_table(json.loads(answer.body))
            self._html(200, pages.results_page(query, table, answer.truncated, self.app.limit), headers)
            return
        fmt = next(f for f in (*RESULT_FORMATS, *GRAPH_FORMATS) if f.name == answer.format)
        self._send(200, answer.body, fmt.content_type, headers)
