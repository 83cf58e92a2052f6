"""Every IRI docgraph uses, named once.

Our own terms live in :data:`DG` (``https://w3id.org/docgraph/def#``); they are declared, labelled
(vi + en) and defined in ``ontology/docgraph.ttl``. A misspelled term raises ``AttributeError``
instead of minting a new IRI (rdflib ``DefinedNamespace``). Reused vocabularies: ELI, W3C ORG,
PROV-O, Web Annotation (oa), SKOS, DCTERMS.
"""

from __future__ import annotations

import functools
import os

from rdflib import Namespace, URIRef
from rdflib.namespace import DCTERMS, OWL, PROV, RDF, RDFS, SKOS, XSD, DefinedNamespace

__all__ = [
    "DCTERMS",
    "DG",
    "DGL",
    "DGT",
    "ELI",
    "OA",
    "ORG",
    "OWL",
    "PROV",
    "RDF",
    "RDFS",
    "SKOS",
    "XSD",
    "base_iri",
]

ONTOLOGY_IRI = "https://w3id.org/docgraph/def"


class DG(DefinedNamespace):
    """docgraph's own classes and properties."""

    _NS = Namespace(ONTOLOGY_IRI + "#")
    _fail = True

    # classes
    Document: URIRef  # a Party or State document, in the corpus or only cited
    PartyDocument: URIRef
    StateDocument: URIRef
    DocumentType: URIRef  # skos:Concept of the document-type scheme
    Level: URIRef  # central / province / district / commune
    Province: URIRef
    PartyTerm: URIRef  # khóa of the Central Committee
    Collective: URIRef  # "các ban của Tỉnh ủy": a group of bodies, not one organization
    Assignment: URIRef  # a responsibility given by a document
    RelationStatement: URIRef  # one document's statement that A relates to B (rdf:Statement)
    Evidence: URIRef  # oa:SpecificResource pointing into a source text

    # document metadata
    symbol: URIRef  # "102-KL/TW" (sub-property of eli:id_local)
    partyTerm: URIRef  # -> dg:PartyTerm
    province: URIRef  # -> dg:Province (documents and organizations)
    level: URIRef  # -> dg:Level (organizations; documents take their issuer's)
    issuerName: URIRef  # the issuer as the text names it ("Bộ Chính trị")
    signer: URIRef  # signer's name
    signerRole: URIRef  # "Phó Bí thư"
    placeOfIssue: URIRef  # "Hà Tĩnh" in "Hà Tĩnh, ngày …"
    sourceFile: URIRef  # path of the text in the corpus (present = in the corpus)
    contentHash: URIRef  # sha256 of the normalized text
    publicationDate: URIRef  # date a page was published (not the issue date)
    receivedDate: URIRef  # date of a received stamp (not the issue date)
    sourceKind: URIRef  # "document" or "article"
    inCorpus: URIRef  # true when the text itself is in the corpus
    mentionCount: URIRef  # how often the corpus mentions a document
    conflict: URIRef  # two sources disagree about the document (kept value, other value, where)

    # relations between documents (all sub-properties of eli:cites)
    buildsOn: URIRef  # super-property of the implementation chain
    implements: URIRef  # thực hiện, triển khai (eli:ensures_implementation_of)
    continues: URIRef  # tiếp tục thực hiện
    concretizes: URIRef  # cụ thể hóa
    guides: URIRef  # hướng dẫn (thực hiện)
    basedOn: URIRef  # căn cứ (eli:based_on)
    disseminates: URIRef  # quán triệt
    reviews: URIRef  # sơ kết, tổng kết
    amends: URIRef  # sửa đổi, bổ sung (eli:amends)
    replaces: URIRef  # thay thế (dcterms:replaces)
    repeals: URIRef  # bãi bỏ (eli:repeals)
    alignedWith: URIRef  # theo tinh thần, theo
    mentions: URIRef  # cited with no stated relation

    # provenance of relations
    assertedBy: URIRef  # RelationStatement/Assignment -> the document whose text says it
    evidence: URIRef  # -> dg:Evidence (sub-property of prov:wasDerivedFrom)
    sentence: URIRef  # the whole sentence the evidence sits in

    # assignments
    assignedBy: URIRef  # -> the assigning document
    lead: URIRef  # chủ trì
    coordinator: URIRef  # phối hợp
    reportTo: URIRef  # báo cáo …
    task: URIRef  # the action phrase
    deadline: URIRef  # xsd:date
    deadlineText: URIRef  # deadline as written
    recurrence: URIRef  # "hằng năm", "định kỳ 6 tháng"
    assignmentKind: URIRef  # "assignment" | "request"

    # organizations
    nameAsWritten: URIRef  # a name a text used for the body
    provinceUnknown: URIRef  # true when scoped to a document because its province is unknown
    scopedTo: URIRef  # the document a province-unknown body is scoped to

    # party terms
    termStart: URIRef
    termEnd: URIRef
    romanNumeral: URIRef


DGT = Namespace("https://w3id.org/docgraph/doctype/")  # document-type concepts
DGL = Namespace("https://w3id.org/docgraph/level/")  # levels
DGP = Namespace("https://w3id.org/docgraph/province/")  # provinces
DGK = Namespace("https://w3id.org/docgraph/term/")  # Party terms (khóa)
ELI = Namespace("http://data.europa.eu/eli/ontology#")
ORG = Namespace("http://www.w3.org/ns/org#")
OA = Namespace("http://www.w3.org/ns/oa#")

DEFAULT_BASE = "https://w3id.org/docgraph/id/"


@functools.cache  # read once per process (IRIs are minted by the hundred thousand)
def base_iri() -> str:
    """The base under which instance IRIs (documents, bodies, assignments) are minted.

    Set ``DOCGRAPH_BASE`` to publish under your own domain; it must end with ``/`` or ``#`` (read once
    per process: call ``base_iri.cache_clear()`` after changing it in a running program).
    """
    base = os.environ.get("DOCGRAPH_BASE", DEFAULT_BASE)
    if not base.endswith(("/", "#")):
        base += "/"
    return base


PREFIXES: dict[str, str] = {
    "dg": str(DG._NS),
    "dgt": str(DGT),
    "dgl": str(DGL),
    "dgp": str(DGP),
    "dgk": str(DGK),
    "eli": str(ELI),
    "org": str(ORG),
    "oa": str(OA),
    "prov": str(PROV),
    "skos": str(SKOS),
    "dcterms": str(DCTERMS),
    "rdf": str(RDF),
    "rdfs": str(RDFS),
    "owl": str(OWL),
    "xsd": str(XSD),
}


def sparql_prefixes() -> str:
    """PREFIX lines for every namespace above, for queries."""
    return "".join(f"PREFIX {p}: <{iri}>\n" for p, iri in PREFIXES.items())
