"""HTML building blocks for the server's pages. Every value passes through :func:`esc` (or
:func:`cell`) on its way into markup; only IRIs under the instance base become links, so no text or
IRI from a document can add markup, script or a ``javascript:`` link."""

from __future__ import annotations

import functools
import html
from importlib import resources
from typing import Any
from urllib.parse import quote

from .namespaces import base_iri

LOCAL_PREFIX = "/id/"


def esc(value: Any) -> str:
    return html.escape("" if value is None else str(value), quote=True)


@functools.cache
def _layout() -> str:
    return resources.files("docgraph.templates").joinpath("serve_page.html").read_text("utf-8")


def page(title: str, body_html: str) -> str:
    """The whole page: ``title`` is text (escaped here), ``body_html`` markup built with :func:`esc`."""
    return _layout().replace("{{title}}", esc(title)).replace("{{body}}", body_html)


def local_path(iri: str) -> str | None:
    """``https://w3id.org/docgraph/id/doc/tw/102-kl/2014`` -> ``/id/doc/tw/102-kl/2014``; None if not ours."""
    base = base_iri()
    if not iri.startswith(base) or len(iri) == len(base):
        return None
    return LOCAL_PREFIX + quote(iri[len(base):], safe="/@-._~:!$'()*+,;=")


def short(iri: str) -> str:
    base = base_iri()
    return iri[len(base):] if iri.startswith(base) else iri


def link(iri: str, label: str | None = None) -> str:
    """A link to the local page of ``iri`` when it is ours, else the IRI as text."""
    path = local_path(iri)
    text = esc(label if label else short(iri))
    return f'<a href="{esc(path)}">{text}</a>' if path else text


def cell(value: Any) -> str:
    """A stats or query cell: our IRIs as links, everything else as text."""
    if value is None:
        return ""
    if isinstance(value, float):
        return esc(f"{value:g}")
    s = str(value)
    return link(s) if local_path(s) else esc(s)


def table(headers: list[str], rows: list[list[Any]], numeric: frozenset[str] = frozenset()) -> str:
    head = "".join(f"<th>{esc(h)}</th>" for h in headers)
    body = []
    for r in rows:
        tds = "".join(f'<td class="num">{cell(v)}</td>' if h in numeric else f"<td>{cell(v)}</td>"
                      for h, v in zip(headers, r, strict=True))
        body.append(f"<tr>{tds}</tr>")
    if not rows:
        body.append(f'<tr><td colspan="{len(headers)}" class="note">none</td></tr>')
    return f"<table><thead><tr>{head}</tr></thead><tbody>{''.join(body)}</tbody></table>"


def binding_html(b: dict[str, Any] | None) -> str:
    """A SPARQL JSON results binding as HTML."""
    if not b:
        return ""
    kind, value = b.get("type"), b.get("value")
    if kind == "uri":
        return link(str(value))
    if kind == "bnode":
        return esc(f"_:{value}")
    if kind == "triple" and isinstance(value, dict):
        return "&lt;&lt; " + " ".join(binding_html(value.get(k)) for k in ("subject", "predicate", "object")) + \
            " &gt;&gt;"
    text = esc(value)
    if b.get("xml:lang"):
        text += f' <span class="note">@{esc(b["xml:lang"])}</span>'
    return text


def results_table(data: dict[str, Any]) -> str:
    """SPARQL JSON results (SELECT, ASK, or a graph as subject/predicate/object rows) as a table."""
    if "boolean" in data:
        return f"<p>ASK: <strong>{esc(str(bool(data['boolean'])).lower())}</strong></p>"
    variables = data.get("head", {}).get("vars", [])
    rows = data.get("results", {}).get("bindings", [])
    head = "".join(f"<th>{esc(v)}</th>" for v in variables)
    body = "".join("<tr>" + "".join(f"<td>{binding_html(r.get(v))}</td>" for v in variables) + "</tr>" for r in rows)
    return f'<p class="note">{len(rows)} row(s)</p><table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>'


def query_form(query: str) -> str:
    return ('<form method="post" action="/sparql">'
            '<input type="hidden" name="format" value="html">'
            f'<textarea name="query" spellcheck="false" aria-label="SPARQL query">{esc(query)}</textarea>'
            '<p><button type="submit">Run query</button> '
            '<span class="note">Read-only; docgraph prefixes (dg:, eli:, org:, skos: …) are predeclared.</span>'
            '</p></form>')
