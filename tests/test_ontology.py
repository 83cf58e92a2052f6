"""ontology/docgraph.ttl against src/docgraph/namespaces.py, and both Turtle files against two parsers.

Every term of class DG is declared in the ontology and every dg: term declared there is in DG; each
is labelled in Vietnamese and English and defined; the property hierarchy is the one
docs/graph-layout.md promises (the pipeline materializes it, queries rely on it); every dg: term
that shapes.ttl or the test fixture uses exists; rdflib and pyoxigraph read the same triples.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from pathlib import Path

import pyoxigraph
import pytest
from pyshacl.entrypoints import meta_validate
from rdflib import DCTERMS, OWL, PROV, RDF, RDFS, SKOS, XSD, Graph, Literal, Namespace, URIRef
from rdflib.compare import graph_diff, isomorphic, to_isomorphic
from rdflib.namespace import SH

from docgraph.namespaces import DG

# pySHACL 0.40 calls rdflib's deprecated Dataset.default_context many times a run.
pytestmark = pytest.mark.filterwarnings("ignore:Dataset.default_context is deprecated:DeprecationWarning")

ROOT = Path(__file__).resolve().parents[1]
ONTOLOGY_DIR = ROOT / "ontology"
DOCGRAPH_TTL = ONTOLOGY_DIR / "docgraph.ttl"
SHAPES_TTL = ONTOLOGY_DIR / "shapes.ttl"
VALID_TTL = ROOT / "tests" / "fixtures" / "shapes" / "valid.ttl"

DG_NS = str(DG._NS)
ELI = Namespace("http://data.europa.eu/eli/ontology#")
OA = Namespace("http://www.w3.org/ns/oa#")
FOAF = Namespace("http://xmlns.com/foaf/0.1/")
ONTOLOGY_IRI = URIRef("https://w3id.org/docgraph/def")
TERM_KINDS = (OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty)

DG_TERMS = {DG[name] for name in DG.__annotations__}

# fmt: off
RELATIONS = ["buildsOn", "implements", "continues", "concretizes", "guides", "basedOn", "disseminates",
             "reviews", "amends", "replaces", "repeals", "alignedWith", "mentions"]

SUB_PROPERTIES = [
    *[(DG[p], DG.buildsOn) for p in ("implements", "continues", "concretizes", "guides")],
    *[(DG[p], ELI.cites) for p in RELATIONS],
    (DG.implements, ELI.ensures_implementation_of),
    (DG.basedOn, ELI.based_on),
    (DG.amends, ELI.amends),
    (DG.repeals, ELI.repeals),
    (DG.replaces, DCTERMS.replaces),
    (DG.symbol, ELI.id_local),
    (DG.evidence, PROV.wasDerivedFrom),
    (DG.assertedBy, PROV.wasDerivedFrom),  # through prov:hadPrimarySource
]

SUB_CLASSES = [
    (DG.Document, ELI.Work),
    (DG.Document, PROV.Entity),
    (DG.PartyDocument, DG.Document),
    (DG.StateDocument, DG.Document),
    (DG.Assignment, PROV.Entity),
    (DG.RelationStatement, RDF.Statement),
    (DG.Evidence, OA.SpecificResource),
    (DG.Collective, PROV.Agent),
    (DG.Collective, FOAF.Group),
    (DG.DocumentType, SKOS.Concept),
]

# The verb phrases that signal each relation in a text (skos:altLabel@vi).
VERBS = {
    "implements": {"thực hiện", "triển khai thực hiện"},
    "continues": {"tiếp tục thực hiện"},
    "concretizes": {"cụ thể hóa"},
    "guides": {"hướng dẫn thực hiện", "hướng dẫn thi hành"},
    "basedOn": {"căn cứ"},
    "disseminates": {"quán triệt"},
    "reviews": {"sơ kết", "tổng kết"},
    "amends": {"sửa đổi, bổ sung"},
    "replaces": {"thay thế"},
    "repeals": {"bãi bỏ"},
    "alignedWith": {"theo tinh thần", "theo"},
}
# fmt: on


@functools.cache
def ontology() -> Graph:
    return Graph().parse(DOCGRAPH_TTL)


def declared_dg_terms(g: Graph) -> set[URIRef]:
    return {s for kind in TERM_KINDS for s in g.subjects(RDF.type, kind) if str(s).startswith(DG_NS)}


def short(term: URIRef) -> str:
    return str(term).replace(DG_NS, "dg:")


# --------------------------------------------------------------------------------------------------
# Terms


def test_namespaces_module_has_terms() -> None:
    assert len(DG_TERMS) > 50  # guards against reading DG wrongly and comparing two empty sets


def test_every_dg_term_is_declared_in_the_ontology() -> None:
    missing = DG_TERMS - declared_dg_terms(ontology())
    assert not missing, f"in namespaces.DG but not declared in docgraph.ttl: {sorted(map(short, missing))}"


def test_every_declared_dg_term_is_in_namespaces() -> None:
    extra = declared_dg_terms(ontology()) - DG_TERMS
    assert not extra, f"declared in docgraph.ttl but not in namespaces.DG: {sorted(map(short, extra))}"


def test_no_dg_term_is_used_without_being_declared() -> None:
    g = ontology()
    used = {n for t in g for n in t if isinstance(n, URIRef) and str(n).startswith(DG_NS)}
    assert used <= DG_TERMS, sorted(map(short, used - DG_TERMS))


@pytest.mark.parametrize("term", sorted(DG_TERMS), ids=short)
def test_term_has_one_kind_labels_and_definitions(term: URIRef) -> None:
    g = ontology()
    kinds = [k for k in TERM_KINDS if (term, RDF.type, k) in g]
    assert len(kinds) == 1, f"{short(term)}: declared as {kinds}"
    name = str(term).removeprefix(DG_NS)
    assert name[0].isupper() == (kinds[0] == OWL.Class), f"{short(term)}: classes are Capitalized, properties not"
    for predicate, languages in ((RDFS.label, ("vi", "en")), (SKOS.definition, ("vi", "en"))):
        values = [v for v in g.objects(term, predicate) if isinstance(v, Literal)]
        for language in languages:
            tagged = [v for v in values if v.language == language and str(v).strip()]
            assert len(tagged) == 1, f"{short(term)}: {len(tagged)} {g.qname(predicate)}@{language}"


def test_every_property_is_either_an_object_or_a_datatype_property_consistently_with_its_range() -> None:
    g = ontology()
    for term in declared_dg_terms(g):
        for rng in g.objects(term, RDFS.range):
            if isinstance(rng, URIRef) and str(rng).startswith(str(XSD)):
                assert (term, RDF.type, OWL.DatatypeProperty) in g, f"{short(term)}: datatype range"
            else:
                assert (term, RDF.type, OWL.ObjectProperty) in g, f"{short(term)}: object range"


# --------------------------------------------------------------------------------------------------
# Hierarchy and alignments


@pytest.mark.parametrize(("sub", "sup"), SUB_PROPERTIES, ids=lambda t: short(t).split("#")[-1])
def test_sub_property(sub: URIRef, sup: URIRef) -> None:
    ancestors = set(ontology().transitive_objects(sub, RDFS.subPropertyOf))
    assert sup in ancestors, f"{short(sub)} is not a sub-property of {sup}"


def test_exactly_the_thirteen_relations_are_citations() -> None:
    g = ontology()
    citing = {t for t in declared_dg_terms(g) if ELI.cites in set(g.transitive_objects(t, RDFS.subPropertyOf))}
    assert citing == {DG[p] for p in RELATIONS}, sorted(map(short, citing ^ {DG[p] for p in RELATIONS}))


def test_only_the_four_chain_relations_build_on() -> None:
    g = ontology()
    building = {
        t
        for t in declared_dg_terms(g)
        if t != DG.buildsOn and DG.buildsOn in set(g.transitive_objects(t, RDFS.subPropertyOf))
    }
    assert building == {DG.implements, DG.continues, DG.concretizes, DG.guides}


def test_property_hierarchy_has_no_cycle() -> None:
    g = ontology()
    for term in declared_dg_terms(g):
        assert term not in set(g.transitive_objects(term, RDFS.subPropertyOf)) - {term}
        parents = set(g.objects(term, RDFS.subPropertyOf)) | set(g.objects(term, RDFS.subClassOf))
        assert term not in parents, f"{short(term)} is its own parent"


@pytest.mark.parametrize(("sub", "sup"), SUB_CLASSES, ids=lambda t: short(t).split("#")[-1])
def test_sub_class(sub: URIRef, sup: URIRef) -> None:
    assert sup in set(ontology().transitive_objects(sub, RDFS.subClassOf)), f"{short(sub)} ⋢ {sup}"


@pytest.mark.parametrize("relation", RELATIONS, ids=str)
def test_relations_link_documents(relation: str) -> None:
    g = ontology()
    assert (DG[relation], RDFS.domain, DG.Document) in g
    assert (DG[relation], RDFS.range, DG.Document) in g


@pytest.mark.parametrize("relation", sorted(VERBS), ids=str)
def test_relation_carries_its_vietnamese_verb_phrases(relation: str) -> None:
    g = ontology()
    labels = {str(v) for v in g.objects(DG[relation], SKOS.altLabel) if isinstance(v, Literal) and v.language == "vi"}
    assert VERBS[relation] <= labels, f"dg:{relation} lacks {VERBS[relation] - labels}"


def test_ontology_header_imports_the_vocabularies() -> None:
    g = ontology()
    assert (ONTOLOGY_IRI, RDF.type, OWL.Ontology) in g
    assert (ONTOLOGY_IRI, OWL.imports, URIRef("https://w3id.org/docgraph/vocabularies")) in g
    assert g.value(ONTOLOGY_IRI, OWL.versionInfo) is not None


# --------------------------------------------------------------------------------------------------
# Files: two parsers, Unicode, the terms shapes and fixtures use

TURTLE_FILES = [DOCGRAPH_TTL, SHAPES_TTL, VALID_TTL]


@pytest.mark.parametrize("path", TURTLE_FILES, ids=lambda p: p.name)
def test_rdflib_and_pyoxigraph_read_the_same_triples(path: Path) -> None:
    ours = Graph().parse(path)
    quads = pyoxigraph.parse(path=str(path), format=pyoxigraph.RdfFormat.TURTLE)
    ntriples = pyoxigraph.serialize(quads, format=pyoxigraph.RdfFormat.N_TRIPLES)
    theirs = Graph().parse(data=ntriples.decode("utf-8"), format="nt")
    if not isomorphic(ours, theirs):
        _both, only_rdflib, only_oxigraph = graph_diff(to_isomorphic(ours), to_isomorphic(theirs))
        pytest.fail(
            f"{path.name}: parsers disagree\nonly rdflib:\n{only_rdflib.serialize(format='nt')}"
            f"\nonly pyoxigraph:\n{only_oxigraph.serialize(format='nt')}"
        )


@pytest.mark.parametrize("path", TURTLE_FILES, ids=lambda p: p.name)
def test_text_is_nfc(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    assert unicodedata.is_normalized("NFC", text), f"{path.name} is not NFC: Vietnamese must be precomposed"


@pytest.mark.parametrize("path", [SHAPES_TTL, VALID_TTL], ids=lambda p: p.name)
def test_every_dg_term_used_exists(path: Path) -> None:
    """A misspelled dg: term in a shape or a SPARQL constraint would silently check nothing."""
    g = Graph().parse(path)
    used = {n for t in g for n in t if isinstance(n, URIRef) and str(n).startswith(DG_NS)}
    for select in g.objects(None, SH.select):
        used |= {DG[name] for name in re.findall(r"\bdg:([A-Za-z]+)", str(select))}
    assert used <= DG_TERMS, f"{path.name} uses unknown terms {sorted(map(short, used - DG_TERMS))}"


def test_shapes_validate_against_shacl_shacl() -> None:
    # validate(meta_shacl=True) does not pass max_validation_depth on to the meta validation, and
    # the default depth (15) is too shallow for the RDF lists in sh:in and sh:or; call it directly.
    conforms, _report, text = meta_validate(str(SHAPES_TTL), max_validation_depth=30)
    assert conforms, text
