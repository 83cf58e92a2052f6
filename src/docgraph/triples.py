"""Stage 4: the resolved corpus -> RDF triples under the docgraph ontology (see docs/graph-layout.md).

Super-properties declared in the ontology are materialized (``dg:continues`` also gives
``dg:buildsOn`` and ``eli:cites``), so queries need no reasoner.
"""

from __future__ import annotations

from functools import cache

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, RDF, RDFS, SKOS, XSD

from .domain import domain
from .namespaces import DG, ELI, OA, ORG, PREFIXES
from .resolve import Corpus, DocNode, Evidence, OrgNode
from .resources import ontology_path
from .vocab import doctype_iri, level_iri, province_iri, term_iri


@cache
def super_properties() -> dict[URIRef, tuple[URIRef, ...]]:
    """Each dg relation -> all its super-properties (transitively), read from the ontology."""
    onto = Graph().parse(ontology_path("docgraph.ttl"), format="turtle")
    out: dict[URIRef, tuple[URIRef, ...]] = {}
    for r in domain().relations:
        p = DG[r.relation]
        sups = [s for s in onto.transitive_objects(p, RDFS.subPropertyOf) if s != p and not isinstance(s, BNode)]
        out[p] = tuple(sups)
    return out


def _label(d: DocNode) -> str:
    t = domain().doctype_by_id(d.type_id).vi if d.type_id else "Văn bản"
    if d.symbol:
        return f"{t} {d.symbol}"
    if d.number:
        return f"{t} số {d.number}"
    return f"{t} ({d.source_file.rsplit('/', 1)[-1] if d.source_file else d.iri.rsplit('/', 1)[-1]})"


def _lit_date(v: str) -> Literal:
    return Literal(v, datatype=XSD.date)


def _document(g: Graph, d: DocNode) -> None:
    s = d.iri
    g.add((s, RDF.type, DG.Document))
    system = d.system or ("state" if d.symbol and "-" not in d.symbol.split("/")[0] else "party")
    g.add((s, RDF.type, DG.StateDocument if system == "state" else DG.PartyDocument))
    g.add((s, RDFS.label, Literal(_label(d), lang="vi")))
    if d.type_id:
        g.add((s, ELI.type_document, doctype_iri(d.type_id)))
    if d.number:
        g.add((s, ELI.number, Literal(d.number)))
    if d.symbol:
        g.add((s, DG.symbol, Literal(d.symbol)))
    if d.date:
        g.add((s, ELI.date_document, _lit_date(d.date)))
    if d.issuer:
        g.add((s, ELI.passed_by, d.issuer))
    if d.issuer_name:
        g.add((s, DG.issuerName, Literal(d.issuer_name, lang="vi")))
    if d.term:
        g.add((s, DG.partyTerm, term_iri(d.term)))
    if d.level:
        g.add((s, DG.level, level_iri(d.level)))
    if d.province:
        g.add((s, DG.province, province_iri(d.province)))
    if d.title:
        g.add((s, ELI.title, Literal(d.title, lang="vi")))
    for prop, value in ((DG.signer, d.signer), (DG.signerRole, d.signer_role), (DG.placeOfIssue, d.place),
                        (DG.sourceFile, d.source_file), (DG.contentHash, d.content_hash),
                        (DG.sourceKind, d.source_kind if d.in_corpus else None)):
        if value:
            g.add((s, prop, Literal(value)))
    if d.published:
        g.add((s, DG.publicationDate, _lit_date(d.published)))
    if d.received:
        g.add((s, DG.receivedDate, _lit_date(d.received)))
    g.add((s, DG.inCorpus, Literal(d.in_corpus)))
    if d.mention_count:
        g.add((s, DG.mentionCount, Literal(d.mention_count)))
    for note in d.conflicts:
        g.add((s, DG.conflict, Literal(note, lang="en")))


def _org(g: Graph, o: OrgNode) -> None:
    s = o.iri
    if o.kind == "collective":
        g.add((s, RDF.type, DG.Collective))
    else:
        g.add((s, RDF.type, ORG.Organization))
    g.add((s, SKOS.prefLabel, Literal(o.label, lang="vi")))
    g.add((s, RDFS.label, Literal(o.label, lang="vi")))
    for n in sorted(o.names):
        g.add((s, DG.nameAsWritten, Literal(n, lang="vi")))
    if o.level:
        g.add((s, DG.level, level_iri(o.level)))
    if o.province:
        g.add((s, DG.province, province_iri(o.province)))
    if o.parent:
        g.add((s, ORG.subOrganizationOf, o.parent))
    if o.scoped_to:
        g.add((s, DG.provinceUnknown, Literal(True)))
        g.add((s, DG.scopedTo, o.scoped_to))


def _evidence(g: Graph, ev: Evidence) -> URIRef:
    e = ev.iri
    g.add((e, RDF.type, DG.Evidence))
    g.add((e, RDF.type, OA.SpecificResource))
    g.add((e, OA.hasSource, ev.source))
    pos, quote = URIRef(e + "/pos"), URIRef(e + "/quote")
    g.add((e, OA.hasSelector, pos))
    g.add((e, OA.hasSelector, quote))
    g.add((pos, RDF.type, OA.TextPositionSelector))
    g.add((pos, OA.start, Literal(ev.start)))
    g.add((pos, OA.end, Literal(ev.end)))
    g.add((quote, RDF.type, OA.TextQuoteSelector))
    g.add((quote, OA.exact, Literal(ev.exact)))
    g.add((quote, OA.prefix, Literal(ev.prefix)))
    g.add((quote, OA.suffix, Literal(ev.suffix)))
    g.add((e, DG.sentence, Literal(ev.sentence, lang="vi")))
    return e


def _events(g: Graph, events: list) -> None:  # list[ChangeEvent]
    for ev in events:
        e = ev.iri
        g.add((e, RDF.type, ORG.ChangeEvent))
        g.add((e, RDFS.label, Literal(ev.label, lang="vi")))
        g.add((e, DCTERMS.date, Literal(ev.date, datatype=XSD.gYearMonth if len(ev.date) == 7 else XSD.date)))
        for o in ev.original:
            g.add((e, ORG.originalOrganization, o))
            g.add((o, ORG.changedBy, e))
        for r in ev.resulting:
            g.add((e, ORG.resultingOrganization, r))
            g.add((r, ORG.resultedFrom, e))


def corpus_graph(c: Corpus) -> Graph:
    """All triples of a resolved corpus (vocabularies not included), with the 2025 change events."""
    from .reorganization import reorganization_events

    events = reorganization_events(c)
    g = Graph()
    for p, ns in PREFIXES.items():
        g.bind(p, ns)
    sups = super_properties()
    for d in c.documents.values():
        _document(g, d)
    for o in c.orgs.values():
        _org(g, o)
    for st in c.relations:
        p = DG[st.relation]
        g.add((st.subject, p, st.object))
        for sp in sups.get(p, ()):
            g.add((st.subject, sp, st.object))
        s = st.iri
        g.add((s, RDF.type, DG.RelationStatement))
        g.add((s, RDF.type, RDF.Statement))
        g.add((s, RDF.subject, st.subject))
        g.add((s, RDF.predicate, p))
        g.add((s, RDF.object, st.object))
        g.add((s, DG.assertedBy, st.asserted_by))
        g.add((s, DG.evidence, _evidence(g, st.evidence)))
    _events(g, events)
    for t in c.tasks:
        s = t.iri
        g.add((s, RDF.type, DG.Assignment))
        g.add((s, DG.assignedBy, t.assigned_by))
        g.add((s, DG.assertedBy, t.assigned_by))
        g.add((s, DG.lead, t.lead))
        for co in t.coordinators:
            g.add((s, DG.coordinator, co))
        g.add((s, DG.task, Literal(t.task, lang="vi")))
        g.add((s, DG.assignmentKind, Literal(t.kind)))
        if t.deadline:
            g.add((s, DG.deadline, _lit_date(t.deadline)))
        if t.deadline_text:
            g.add((s, DG.deadlineText, Literal(t.deadline_text, lang="vi")))
        if t.recurrence:
            g.add((s, DG.recurrence, Literal(t.recurrence)))
        if t.report_to:
            g.add((s, DG.reportTo, t.report_to))
        g.add((s, DG.evidence, _evidence(g, t.evidence)))
    return g
