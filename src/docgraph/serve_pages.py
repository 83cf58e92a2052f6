"""The pages of ``docgraph serve``: home, one page per resource (document, body, task …), stats.

Data comes from the store through fixed queries with the resource bound as a parameter (never text
pasted into SPARQL); markup comes from :mod:`docgraph.serve_html`, which escapes every value.
"""

from __future__ import annotations

import re
from typing import Any

from rdflib import URIRef

from .namespaces import DG, ELI, PREFIXES, RDF, RDFS, SKOS, base_iri
from .serve_html import esc, link, page, query_form, table
from .store import Store

FIELDS = [(ELI.type_document, "Type"), (DG.symbol, "Symbol"), (ELI.date_document, "Date"),
          (ELI.passed_by, "Issuer"), (DG.issuerName, "Issuer as written"), (DG.level, "Level"),
          (DG.province, "Province"), (ELI.title, "Title"), (DG.partyTerm, "Party term"), (DG.signer, "Signer"),
          (DG.signerRole, "Signer's role"), (DG.placeOfIssue, "Place of issue"), (DG.inCorpus, "Text in the corpus"),
          (DG.sourceFile, "Source file"), (DG.publicationDate, "Published"), (DG.receivedDate, "Received"),
          (DG.mentionCount, "Mentions in the corpus")]

_PROPS = """SELECT ?p ?o ?olabel WHERE { ?d ?p ?o .
  OPTIONAL { ?o skos:prefLabel|rdfs:label ?olabel FILTER(!isLiteral(?o) && (LANG(?olabel) IN ("vi", ""))) } }"""
_RELATIONS = """SELECT ?p ?other ?otherLabel ?by ?byLabel ?sentence WHERE {
  ?st a dg:RelationStatement ; rdf:subject @S@ ; rdf:predicate ?p ; rdf:object @O@ ; dg:assertedBy ?by .
  OPTIONAL { ?st dg:evidence/dg:sentence ?sentence }
  OPTIONAL { ?other rdfs:label ?otherLabel } OPTIONAL { ?by rdfs:label ?byLabel } } ORDER BY ?otherLabel ?p"""
_TASKS = """SELECT ?t ?kind ?lead ?leadLabel ?text ?deadline ?deadlineText
       (GROUP_CONCAT(DISTINCT ?cl; separator="; ") AS ?coordinators) WHERE {
  ?t a dg:Assignment ; dg:assignedBy ?d ; dg:task ?text .
  OPTIONAL { ?t dg:lead ?lead OPTIONAL { ?lead skos:prefLabel ?leadLabel } }
  OPTIONAL { ?t dg:assignmentKind ?kind } OPTIONAL { ?t dg:deadline ?deadline }
  OPTIONAL { ?t dg:deadlineText ?deadlineText } OPTIONAL { ?t dg:coordinator/skos:prefLabel ?cl }
} GROUP BY ?t ?kind ?lead ?leadLabel ?text ?deadline ?deadlineText"""
_DESCRIBE = """CONSTRUCT { ?x ?p ?o } WHERE {
  { BIND(?d AS ?x) }
  UNION { ?x a dg:RelationStatement ; rdf:subject|rdf:object ?d }
  UNION { ?st a dg:RelationStatement ; rdf:subject|rdf:object ?d ; dg:evidence ?x }
  UNION { ?st a dg:RelationStatement ; rdf:subject|rdf:object ?d ; dg:evidence/oa:hasSelector ?x }
  UNION { ?x a dg:Assignment ; dg:assignedBy ?d }
  UNION { ?t a dg:Assignment ; dg:assignedBy ?d ; dg:evidence ?x }
  UNION { ?t a dg:Assignment ; dg:assignedBy ?d ; dg:evidence/oa:hasSelector ?x }
  ?x ?p ?o }"""
_INCOMING = """SELECT ?s ?p ?slabel WHERE { ?s ?p ?d . OPTIONAL { ?s rdfs:label|skos:prefLabel ?slabel } }
  ORDER BY ?p ?s LIMIT 500"""


def resource_iri(path_rest: str) -> URIRef:
    return URIRef(base_iri() + path_rest)


def exists(store: Store, iri: URIRef) -> bool:
    return bool(store.query("ASK { ?d ?p ?o }", {"d": iri}).boolean)


def describe_query(iri: URIRef) -> str:
    """CONSTRUCT of the resource's triples plus its relation statements, assignments, their evidence and
    selectors (run by the query workers, which serialize with oxigraph)."""
    from .store import substitute

    return substitute(_DESCRIBE, {"d": iri})


def _relation_labels() -> dict[str, str]:
    from .domain import domain

    return {r.relation: r.label for r in domain().relations}


def _props(store: Store, iri: URIRef) -> dict[URIRef, list[tuple[Any, Any]]]:
    out: dict[URIRef, list[tuple[Any, Any]]] = {}
    seen = set()
    for p, o, label in store.query(_PROPS, {"d": iri}).rows:
        if (p, o) in seen:
            continue
        seen.add((p, o))
        out.setdefault(p, []).append((o, label))
    return out


def _value(o: Any, label: Any) -> str:
    return link(str(o), str(label) if label is not None else None) if isinstance(o, URIRef) else esc(o)


def _relations_table(store: Store, iri: URIRef, outgoing: bool, labels: dict[str, str]) -> str:
    subj, obj = ("?d", "?other") if outgoing else ("?other", "?d")
    query = _RELATIONS.replace("@S@", subj).replace("@O@", obj)
    rows = []
    for p, other, other_label, by, by_label, sentence in store.query(query, {"d": iri}).rows:
        rel = str(p).rsplit("#", 1)[-1]
        quote = f"<blockquote>{esc(sentence)}</blockquote>" if sentence is not None else ""
        rows.append(f"<tr><td>{esc(labels.get(rel, rel))}</td><td>{link(str(other), _opt(other_label))}</td>"
                    f"<td>{link(str(by), _opt(by_label))}{quote}</td></tr>")
    if not rows:
        return '<p class="note">none</p>'
    head = "<th>Relation</th><th>Document</th><th>Stated by, in the sentence</th>"
    return f"<table><thead><tr>{head}</tr></thead><tbody>{''.join(rows)}</tbody></table>"


def _opt(v: Any) -> str | None:
    return None if v is None else str(v)


def _tasks_table(store: Store, iri: URIRef) -> str:
    rows = []
    found = sorted(store.query(_TASKS, {"d": iri}).rows, key=lambda r: _natural(str(r[0])))
    for t, kind, lead, lead_label, text, deadline, deadline_text, coordinators in found:
        when = esc(deadline) + (f' <span class="note">({esc(deadline_text)})</span>' if deadline_text else "")
        rows.append(f"<tr><td>{link(str(t), short_tail(str(t)))}</td><td>{esc(kind)}</td>"
                    f"<td>{link(str(lead), _opt(lead_label)) if lead is not None else ''}</td>"
                    f"<td>{esc(coordinators)}</td><td>{esc(text)}</td><td>{when}</td></tr>")
    if not rows:
        return '<p class="note">none</p>'
    head = "".join(f"<th>{h}</th>" for h in ("Task", "Kind", "Lead", "Coordinators", "What", "Deadline"))
    return f"<table><thead><tr>{head}</tr></thead><tbody>{''.join(rows)}</tbody></table>"


def _natural(s: str) -> list[Any]:
    return [int(p) if p.isdigit() else p for p in re.split(r"(\d+)", s)]


def short_tail(iri: str) -> str:
    return "#" + re.split(r"[/#]", iri)[-1]


def resource_page(store: Store, iri: URIRef) -> str:
    """The HTML page of a resource known to exist: a document page, or a plain property table."""
    props = _props(store, iri)
    title = str(next(iter(props.get(RDFS.label, []) or props.get(SKOS.prefLabel, []) or [(iri, None)]))[0])
    types = {str(o) for o, _ in props.get(RDF.type, [])}
    alt = (f'<p class="note">Also as <a href="?format=turtle">Turtle</a> · <a href="?format=jsonld">JSON-LD</a>'
           f" · IRI <code>{esc(iri)}</code></p>")
    if str(DG.Document) not in types:
        rows = [f"<tr><th>{esc(_curie(str(p)))}</th><td>{'<br>'.join(_value(o, lb) for o, lb in vals)}</td></tr>"
                for p, vals in props.items()]
        incoming = [f"<tr><td>{link(str(s), _opt(lb))}</td><td>{esc(_curie(str(p)))}</td></tr>"
                    for s, p, lb in store.query(_INCOMING, {"d": iri}).rows]
        body = (f"<h1>{esc(title)}</h1>{alt}<table class=\"fields\"><tbody>{''.join(rows)}</tbody></table>"
                f"<h2>Pointing here</h2><table><tbody>{''.join(incoming) or '<tr><td>none</td></tr>'}</tbody></table>")
        return page(title, body)
    fields = []
    for p, name in FIELDS:
        if p in props:
            fields.append(f"<tr><th>{esc(name)}</th><td>{'<br>'.join(_value(o, lb) for o, lb in props[p])}</td></tr>")
    labels = _relation_labels()
    body = (f"<h1>{esc(title)}</h1>{alt}<table class=\"fields\"><tbody>{''.join(fields)}</tbody></table>"
            f"<h2>Builds on, cites</h2>{_relations_table(store, iri, True, labels)}"
            f"<h2>Cited by</h2>{_relations_table(store, iri, False, labels)}"
            f"<h2>Tasks it assigns</h2>{_tasks_table(store, iri)}")
    return page(title, body)


def _curie(iri: str) -> str:
    for prefix, ns in PREFIXES.items():
        if iri.startswith(ns):
            return f"{prefix}:{iri[len(ns):]}"
    return iri


# -- home -------------------------------------------------------------------------------------
_COUNTS = [
    ("Documents", "SELECT (COUNT(DISTINCT ?d) AS ?n) WHERE { ?d a dg:Document }"),
    ("… with their text in the corpus",
     "SELECT (COUNT(DISTINCT ?d) AS ?n) WHERE { ?d a dg:Document ; dg:inCorpus true }"),
    ("Stated relations", "SELECT (COUNT(DISTINCT ?s) AS ?n) WHERE { ?s a dg:RelationStatement }"),
    ("Tasks (assignments)", "SELECT (COUNT(DISTINCT ?t) AS ?n) WHERE { ?t a dg:Assignment }"),
    ("Bodies", "SELECT (COUNT(DISTINCT ?o) AS ?n) WHERE { ?o a org:Organization }"),
]
DEFAULT_QUERY = """SELECT ?doc ?label ?date WHERE {
  ?doc a dg:Document ; rdfs:label ?label .
  OPTIONAL { ?doc eli:date_document ?date }
}
ORDER BY ?date
LIMIT 50"""


def counts(store: Store) -> list[tuple[str, int]]:
    out = [(name, int(store.query(q).rows[0][0].toPython())) for name, q in _COUNTS]
    return [*out, ("Triples", len(store))]


def example_text(store: Store, name: str) -> str | None:
    """A named query's text, with the parameters of its ``# Example:`` line bound so that it runs."""
    from .queries import bind_params, named_queries
    from .store import substitute

    q = named_queries().get(name)
    if q is None:
        return None
    given = dict(re.findall(r"--param\s+(\w+)=(\S+)", q.example))
    if not q.params or set(given) != set(q.params):
        return q.text
    try:
        return substitute(q.text, bind_params(store, q, given))
    except (KeyError, LookupError, ValueError):
        return q.text


def home_page(store: Store, figures: list[tuple[str, int]], query: str, example: str | None) -> str:
    from .queries import named_queries

    dl = "".join(f"<dt>{esc(k)}</dt><dd>{v:,}</dd>" for k, v in figures)
    items = []
    for q in named_queries().values():
        mark = " <strong>(loaded)</strong>" if q.name == example else ""
        params = f' <span class="note">(parameter {esc(", ".join(q.params))} bound from its example)</span>' \
            if q.params else ""
        items.append(f'<li><a href="/?example={esc(q.name)}"><code>{esc(q.name)}</code></a>{mark}: '
                     f"{esc(q.purpose)}{params}</li>")
    body = (f"<h1>docgraph</h1><p>Knowledge graph of Vietnamese Party and State documents.</p>"
            f'<dl class="counts">{dl}</dl>'
            '<p><a href="/view">Interactive citation graph</a> · <a href="/stats">Research figures</a> · '
            'SPARQL endpoint: <code>/sparql</code></p>'
            f"<h2>Query</h2>{query_form(query)}"
            f'<h2>Named queries</h2><ul class="examples">{"".join(items)}</ul>')
    return page("docgraph", body)


def results_page(query: str, results_html: str, truncated: bool, limit: int) -> str:
    warn = f'<p class="warn">Only the first {limit:,} rows are shown (the server\'s --limit).</p>' if truncated else ""
    return page("docgraph: query results", f"<h1>Query results</h1>{warn}{results_html}<h2>Query</h2>"
                                           f"{query_form(query)}")


def message_page(status: int, title: str, message: str) -> str:
    return page(f"{status} {title}", f"<h1>{esc(status)} {esc(title)}</h1><p class=\"error\">{esc(message)}</p>"
                                     '<p><a href="/">Home</a></p>')


# -- stats ------------------------------------------------------------------------------------
SECTION_TITLES = {
    "by-body-year": "Documents per body and year",
    "lag-summary": "Implementation lag per central document (days)",
    "lag": "Implementation lag: each document building on a central one",
    "most-cited": "Most cited documents (in-degree and PageRank on eli:cites)",
    "followers": "Documents that build on the chosen document",
    "provinces-without": "Provinces in the corpus that have not (yet) followed it",
}
_NUMERIC = frozenset({"documents", "days", "dated", "min_days", "median_days", "max_days", "cited_by", "pagerank"})


def stats_page(st: Any, svg: str, root: str | None) -> str:
    from .stats import sections

    parts = ["<h1>Research figures</h1>",
             '<form method="get" action="/stats"><label>Document (symbol, file or IRI): '
             f'<input name="root" value="{esc(root or "")}" placeholder="158-TB/TW"></label> '
             '<button type="submit">Who has followed it?</button></form>']
    if st.root:
        parts.append(f"<p>Chosen document: {link(st.root, st.root_label)}</p>")
    for name, (headers, rows) in sections(st).items():
        title = SECTION_TITLES.get(name, name)
        parts.append(f"<h2>{esc(title)}</h2>{table(headers, rows, _NUMERIC)}")
    parts.append(f"<h2>Charts</h2>{svg}")
    return page("docgraph: stats", "".join(parts))
