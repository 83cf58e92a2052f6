"""The controlled vocabularies (document types, levels, Party terms, provinces) as SKOS/RDF, made from
the package data files. ``python -m docgraph.vocab`` rewrites ``ontology/vocabularies.ttl``; a test
checks the committed file is up to date.
"""

from __future__ import annotations

import sys
from pathlib import Path

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import OWL

from .domain import domain
from .iris import slug
from .namespaces import DCTERMS, DG, DGK, DGL, DGP, DGT, PREFIXES, RDF, RDFS, SKOS, XSD

VOCAB_IRI = URIRef("https://w3id.org/docgraph/vocabularies")
LEVELS = {
    "central": ("Trung ương", "central", "Bodies of the whole country: the Party Central Committee and its organs, the "
                "Quốc hội, the Government and ministries."),
    "province": ("Cấp tỉnh", "province", "Bodies of a province or centrally-run city."),
    "district": ("Cấp huyện", "district", "Bodies of a district, town or provincial city (abolished 1 July 2025)."),
    "commune": ("Cấp xã", "commune", "Bodies of a commune, ward or township."),
}


def doctype_iri(type_id: str) -> URIRef:
    return DGT[type_id]


def term_iri(roman: str) -> URIRef:
    return DGK[roman.upper()]


def province_iri(name: str) -> URIRef:
    return DGP[slug(name)]


def level_iri(level: str) -> URIRef:
    return DGL[level]


def vocabulary_graph() -> Graph:
    g = Graph()
    for p, ns in PREFIXES.items():
        g.bind(p, ns)
    g.add((VOCAB_IRI, RDF.type, OWL.Ontology))
    g.add((VOCAB_IRI, RDFS.label, Literal("docgraph vocabularies", lang="en")))
    g.add((VOCAB_IRI, RDFS.label, Literal("Bộ từ vựng của docgraph", lang="vi")))
    g.add((VOCAB_IRI, DCTERMS.source, Literal("generated from docgraph/data/*.json by python -m docgraph.vocab")))
    scheme = DGT.scheme
    g.add((scheme, RDF.type, SKOS.ConceptScheme))
    g.add((scheme, SKOS.prefLabel, Literal("Loại văn bản", lang="vi")))
    g.add((scheme, SKOS.prefLabel, Literal("Vietnamese document types", lang="en")))
    for t in domain().doctypes:
        c = doctype_iri(t.id)
        g.add((c, RDF.type, SKOS.Concept))
        g.add((c, RDF.type, DG.DocumentType))
        g.add((c, SKOS.inScheme, scheme))
        g.add((c, SKOS.topConceptOf, scheme))
        g.add((c, SKOS.prefLabel, Literal(t.vi, lang="vi")))
        g.add((c, SKOS.prefLabel, Literal(t.en, lang="en")))
        g.add((c, RDFS.label, Literal(t.vi, lang="vi")))
        g.add((c, RDFS.label, Literal(t.en, lang="en")))
        g.add((c, SKOS.definition, Literal(t.definition, lang="en")))
        for n in t.notations:
            g.add((c, SKOS.notation, Literal(n)))
        for ex in t.examples:
            g.add((c, SKOS.example, Literal(ex, lang="vi")))
    for key, (vi, en, definition) in LEVELS.items():
        c = level_iri(key)
        g.add((c, RDF.type, DG.Level))
        g.add((c, RDF.type, SKOS.Concept))
        g.add((c, RDFS.label, Literal(vi, lang="vi")))
        g.add((c, RDFS.label, Literal(en, lang="en")))
        g.add((c, SKOS.prefLabel, Literal(vi, lang="vi")))
        g.add((c, SKOS.definition, Literal(definition, lang="en")))
    for t in domain().party_terms:
        c = term_iri(t.roman)
        g.add((c, RDF.type, DG.PartyTerm))
        g.add((c, DG.romanNumeral, Literal(t.roman)))
        g.add((c, RDFS.label, Literal(f"Ban Chấp hành Trung ương khóa {t.roman}", lang="vi")))
        g.add((c, RDFS.label, Literal(f"Central Committee, term {t.roman}", lang="en")))
        g.add((c, DG.termStart, Literal(t.congress_start, datatype=XSD.date)))
        if t.next_congress_start:
            g.add((c, DG.termEnd, Literal(t.next_congress_start, datatype=XSD.date)))
    for p in domain().provinces:
        c = province_iri(p.name)
        g.add((c, RDF.type, DG.Province))
        g.add((c, SKOS.prefLabel, Literal(p.name, lang="vi")))
        g.add((c, RDFS.label, Literal(("Thành phố " if p.kind == "thành phố" else "Tỉnh ") + p.name, lang="vi")))
        for a in p.aliases:
            g.add((c, SKOS.altLabel, Literal(a, lang="vi")))
        if p.until:
            g.add((c, DCTERMS.valid, Literal(f"end={p.until}")))
        if p.successor:
            g.add((c, DCTERMS.isReplacedBy, province_iri(p.successor)))
    return g


def main(argv: list[str] | None = None) -> int:
    out = Path(argv[0] if argv else "ontology/vocabularies.ttl")
    from .atomic import atomic_write_text

    atomic_write_text(out, vocabulary_graph().serialize(format="turtle"))
    print(f"wrote {out}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
