"""The citation graph as a networkx MultiDiGraph, read from the store (input of the HTML view)."""

from __future__ import annotations

import networkx as nx

from .store import Store

_DOCS = """
SELECT ?d ?label ?symbol ?type ?date ?issuer ?level ?province ?title ?inCorpus ?file WHERE {
  ?d a dg:Document ; rdfs:label ?label ; dg:inCorpus ?inCorpus .
  OPTIONAL { ?d dg:symbol ?symbol }
  OPTIONAL { ?d eli:type_document/skos:prefLabel ?type FILTER(LANG(?type) = "vi") }
  OPTIONAL { ?d eli:date_document ?date }
  OPTIONAL { ?d eli:passed_by/skos:prefLabel ?issuer }
  OPTIONAL { ?d dg:level ?lv BIND(STRAFTER(STR(?lv), "/level/") AS ?level) }
  OPTIONAL { ?d dg:province/skos:prefLabel ?province }
  OPTIONAL { ?d eli:title ?title }
  OPTIONAL { ?d dg:sourceFile ?file }
}"""
_RELS = """
SELECT ?s ?p ?o ?by ?sentence ?quote ?file WHERE {
  ?st a dg:RelationStatement ; rdf:subject ?s ; rdf:predicate ?p ; rdf:object ?o ; dg:assertedBy ?b ;
      dg:evidence ?ev .
  ?b rdfs:label ?by . OPTIONAL { ?b dg:sourceFile ?file }
  ?ev dg:sentence ?sentence ; oa:hasSelector ?q . ?q oa:exact ?quote .
}"""
_TASKS = """
SELECT ?body ?bodyLabel ?level ?doc ?role ?text ?deadline WHERE {
  ?t a dg:Assignment ; dg:assignedBy ?doc ; dg:task ?text .
  { ?t dg:lead ?body BIND("lead" AS ?role) } UNION { ?t dg:coordinator ?body BIND("coordinator" AS ?role) }
  ?body skos:prefLabel ?bodyLabel .
  OPTIONAL { ?body dg:level ?lv BIND(STRAFTER(STR(?lv), "/level/") AS ?level) }
  OPTIONAL { ?t dg:deadline ?deadline }
}"""


def _s(v: object) -> str | None:
    return None if v is None else str(v)


def citation_graph(store: Store, *, assignments: bool = True) -> nx.MultiDiGraph:
    from .domain import domain

    labels = {r.relation: r.label for r in domain().relations}
    g = nx.MultiDiGraph()
    for d, label, symbol, typ, date, issuer, level, province, title, in_corpus, file in store.query(_DOCS).rows:
        g.add_node(str(d), kind="document", label=str(symbol or label), symbol=_s(symbol), type=_s(typ),
                   date=_s(date), issuer=_s(issuer), level=_s(level), province=_s(province), title=_s(title),
                   in_corpus=bool(in_corpus.toPython()), source_file=_s(file), full_label=str(label))
    for s, p, o, by, sentence, quote, file in store.query(_RELS).rows:
        rel = str(p).rsplit("#", 1)[-1]
        g.add_edge(str(s), str(o), key=f"{rel}|{by}", kind="relation", relation=rel,
                   relation_label=labels.get(rel, rel), asserted_by_label=str(by), sentence=str(sentence),
                   quote=str(quote), source_file=_s(file))
    if assignments:
        for body, body_label, level, doc, role, text, deadline in store.query(_TASKS).rows:
            if str(body) not in g:
                g.add_node(str(body), kind="body", label=str(body_label), level=_s(level))
            g.add_edge(str(body), str(doc), key=f"{role}|{text}", kind=str(role), task=str(text),
                       deadline=_s(deadline))
    return g
