"""ontology/shapes.ttl against a valid graph, and against one broken change per constraint.

tests/fixtures/shapes/valid.ttl is a small graph in the forms of docs/graph-layout.md that conforms
with no result at all. Each broken case in ``CASES`` is that graph plus ``add`` minus ``drop``
(Turtle, with the prefixes below and ``@base <https://w3id.org/docgraph/id/>``), and must make
exactly one constraint fire: every result must come from the expected shape and constraint
component, on the expected focus node(s), with the expected severity and a message. A coverage test
checks that every constraint in shapes.ttl has a case, so a new constraint needs a new row.

Validation runs as the pipeline's should: the ontology as pySHACL's ``ont_graph`` and inference
``"none"``. The pipeline writes every type and materializes every super-property, so the shapes
check what is written. RDFS inference would turn class checks into tautologies: the range of
dg:assertedBy (dg:Document) would *make* any value a document instead of checking that it is one
(``test_rdfs_inference_would_hide_class_errors`` shows it). sh:class and sh:targetClass still follow
the ontology's rdfs:subClassOf triples, which pySHACL mixes into the data graph, so a
dg:PartyDocument is checked as a dg:Document.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from pyshacl import validate
from rdflib import XSD, Graph, Literal, Namespace, URIRef
from rdflib.namespace import SH
from rdflib.plugins.sparql import processor
from rdflib.plugins.sparql.sparql import Query
from rdflib.term import Node

# pySHACL 0.40 calls rdflib's deprecated Dataset.default_context about a hundred times a run.
pytestmark = pytest.mark.filterwarnings("ignore:Dataset.default_context is deprecated:DeprecationWarning")

ROOT = Path(__file__).resolve().parents[1]
ONTOLOGY_DIR = ROOT / "ontology"
FIXTURES = ROOT / "tests" / "fixtures" / "shapes"
VOCABULARIES = ONTOLOGY_DIR / "vocabularies.ttl"  # generated from the package data
VOCABULARY_NAMESPACES = tuple(
    "https://w3id.org/docgraph/" + name for name in ("doctype/", "level/", "term/", "province/")
)

ID = Namespace("https://w3id.org/docgraph/id/")
DGSH = Namespace("https://w3id.org/docgraph/shapes#")

PREFIXES = """\
@base <https://w3id.org/docgraph/id/> .
@prefix dg:   <https://w3id.org/docgraph/def#> .
@prefix dgt:  <https://w3id.org/docgraph/doctype/> .
@prefix dgl:  <https://w3id.org/docgraph/level/> .
@prefix dgk:  <https://w3id.org/docgraph/term/> .
@prefix dgp:  <https://w3id.org/docgraph/province/> .
@prefix eli:  <http://data.europa.eu/eli/ontology#> .
@prefix org:  <http://www.w3.org/ns/org#> .
@prefix oa:   <http://www.w3.org/ns/oa#> .
@prefix rdf:  <http://www.w3.org/1999/02/22-rdf-syntax-ns#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
@prefix xsd:  <http://www.w3.org/2001/XMLSchema#> .
"""

# The two symbol forms; shapes.ttl must use exactly these (test_symbol_patterns_are_in_step).
PARTY_SYMBOL = "[0-9]+[a-z]?-[A-ZĐ][A-Za-zĐđ]*/[A-ZĐƯ][A-ZĐƯa-z&.-]*"
STATE_SYMBOL = "[0-9]+(/[0-9]{4})?/[A-ZĐ][A-Za-zĐđ0-9]*(-[A-ZĐ0-9][A-Za-zĐđ0-9&]*)*"


# --------------------------------------------------------------------------------------------------
# Loading and running


@functools.cache
def shapes() -> Graph:
    return Graph().parse(ONTOLOGY_DIR / "shapes.ttl")


@functools.cache
def ontology() -> Graph:
    return Graph().parse(ONTOLOGY_DIR / "docgraph.ttl")


@functools.cache
def vocabularies() -> Graph:
    return Graph().parse(VOCABULARIES)


@functools.cache
def valid_graph() -> Graph:
    return Graph().parse(FIXTURES / "valid.ttl")


@pytest.fixture(scope="module", autouse=True)
def _parse_each_sparql_query_once() -> Iterator[None]:
    """pySHACL hands rdflib the same SELECT text once per focus node, and rdflib parses it every
    time (~50 ms a parse on this machine, most of a validation run). Parse each text once and
    evaluate the prepared query, as rdflib's own ``prepareQuery`` is meant to be used; evaluation
    is unchanged."""
    cache: dict[tuple[str, str | None], Query] = {}
    original = processor.SPARQLProcessor.query

    def query(self, strOrQuery, initBindings=None, initNs=None, base=None, DEBUG=False):
        if isinstance(strOrQuery, str):
            key = (strOrQuery, base)
            if key not in cache:
                cache[key] = processor.prepareQuery(strOrQuery, initNs=initNs, base=base)
            strOrQuery = cache[key]
        return original(self, strOrQuery, initBindings, initNs, base, DEBUG)

    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(processor.SPARQLProcessor, "query", query)
        yield


def run(data: Graph, *, inference: str = "none", allow_warnings: bool = False) -> tuple[bool, Graph]:
    conforms, report, _text = validate(
        data,
        shacl_graph=shapes(),
        ont_graph=ontology(),
        inference=inference,
        allow_warnings=allow_warnings,
    )
    return bool(conforms), report


@dataclass(frozen=True)
class Result:
    shape: Node
    component: Node
    focus: Node
    path: Node | None
    severity: Node
    messages: tuple[str, ...]

    def __str__(self) -> str:
        short = {str(DGSH): "dgsh:", str(SH): "sh:", str(ID): "id:"}

        def s(node: object) -> str:
            text = str(node)
            for long, prefix in short.items():
                text = text.replace(long, prefix)
            return text

        return (
            f"  {s(self.shape)} {s(self.component)} focus={s(self.focus)} path={s(self.path)} "
            f"severity={s(self.severity)} message={self.messages}"
        )


def results(report: Graph) -> list[Result]:
    """The report's own results (sh:result), not the nested sh:detail results of sh:node."""
    found = []
    for r in report.objects(None, SH.result):
        found.append(
            Result(
                shape=report.value(r, SH.sourceShape),
                component=report.value(r, SH.sourceConstraintComponent),
                focus=report.value(r, SH.focusNode),
                path=report.value(r, SH.resultPath),
                severity=report.value(r, SH.resultSeverity),
                messages=tuple(sorted(str(m) for m in report.objects(r, SH.resultMessage))),
            )
        )
    return found


def describe(found: list[Result]) -> str:
    return "\n".join(str(r) for r in found) or "  (no result)"


# --------------------------------------------------------------------------------------------------
# The broken cases: valid.ttl + add - drop, and the one constraint that must fire


@dataclass(frozen=True)
class Case:
    name: str
    shape: str  # local name in dgsh:
    component: str  # sh:<component>ConstraintComponent
    focus: str | tuple[str, ...]  # IRI(s) relative to id:
    add: str = ""
    drop: str = ""
    severity: str = "Violation"

    @property
    def focus_nodes(self) -> set[URIRef]:
        names = (self.focus,) if isinstance(self.focus, str) else self.focus
        return {ID[name] for name in names}

    def changes(self) -> tuple[Graph, Graph]:
        """(added, dropped) triples."""
        added = Graph().parse(data=PREFIXES + self.add, format="turtle")
        return added, Graph().parse(data=PREFIXES + self.drop, format="turtle")

    def graph(self) -> Graph:
        data = Graph()
        for triple in valid_graph():
            data.add(triple)
        added, dropped = self.changes()
        for triple in dropped:
            assert triple in data, f"broken-{self.name}: drops {triple}, which valid.ttl lacks"
            data.remove(triple)
        for triple in added:
            data.add(triple)
        return data


D102 = "<doc/tw/102-kl/2014>"
D158 = "<doc/tw/158-tb/2020>"
D002 = "<doc/file/002_d5e775b8c46f1c5a>"
D30 = "<doc/cp/30-nd/2020>"
D11TU = "<doc/tu-ha-tinh/11-nq/2019>"
STMT = "<stmt/002-implements-158>"
TASK1 = "<task/002_d5e775b8c46f1c5a/1>"
TASK5 = "<task/002_d5e775b8c46f1c5a/5>"
EV = "<ev/002_d5e775b8c46f1c5a/189>"
POS = "<ev/002_d5e775b8c46f1c5a/189/pos>"
QUOTE = "<ev/002_d5e775b8c46f1c5a/189/quote>"
BDV = "<org/@002_d5e775b8c46f1c5a/ban-dan-van-tinh-uy>"
# A new cited document with nothing but the required metadata.
NEW_DOC = '<doc/test/new> a dg:Document ; rdfs:label "test"@vi ; dg:inCorpus false ; '

# fmt: off
CASES: list[Case] = [
    # --- documents: metadata ---------------------------------------------------------------------
    Case("type-missing", "Document-type", "MinCount", "doc/cp/30-nd/2020",
         drop=f"{D30} eli:type_document dgt:nghi-dinh ."),
    Case("type-twice", "Document-type", "MaxCount", "doc/test/new",
         add="dgt:thu-cong a skos:Concept ; skos:inScheme dgt:scheme . "
             + NEW_DOC + "eli:type_document dgt:cong-van , dgt:thu-cong ."),
    Case("type-not-a-concept", "Document-typeConcept", "Node", "doc/cp/30-nd/2020",
         drop=f"{D30} eli:type_document dgt:nghi-dinh .",
         add=f'dgt:nd skos:inScheme dgt:scheme ; skos:notation "NĐ" . {D30} eli:type_document dgt:nd .'),
    Case("type-in-another-scheme", "Document-typeConcept", "Node", "doc/cp/30-nd/2020",
         drop=f"{D30} eli:type_document dgt:nghi-dinh .",
         add=f'<https://example.org/decree> a skos:Concept ; skos:notation "NĐ" . '
             f"{D30} eli:type_document <https://example.org/decree> ."),
    Case("type-a-literal", "Document-typeConcept", "Node", "doc/cp/30-nd/2020",
         drop=f"{D30} eli:type_document dgt:nghi-dinh .", add=f'{D30} eli:type_document "nghi-dinh" .'),
    Case("symbol-twice", "Document-symbolCount", "MaxCount", "doc/cp/30-nd/2020",
         add=f'{D30} dg:symbol "30/2020/NĐ-TTg" .'),
    Case("symbol-malformed", "Document-symbolForm", "Pattern", "doc/test/new",
         add=NEW_DOC + 'eli:type_document dgt:cong-van ; dg:symbol "47 – QĐ/TW" .'),
    Case("symbol-with-so", "Document-symbolForm", "Pattern", "doc/test/new",
         add=NEW_DOC + 'eli:type_document dgt:cong-van ; dg:symbol "Số: 59-CV/BCĐ" .'),
    Case("symbol-language-tagged", "Document-symbolForm", "Datatype", "doc/test/new",
         add=NEW_DOC + 'eli:type_document dgt:van-ban ; dg:symbol "12-CT/HU"@vi .'),
    Case("number-twice", "Document-number", "MaxCount", "doc/cp/30-nd/2020",
         add=f'{D30} eli:number "030" .'),
    Case("number-not-a-string", "Document-number", "Datatype", "doc/cp/30-nd/2020",
         drop=f'{D30} eli:number "30" .', add=f"{D30} eli:number 30 ."),
    Case("number-differs-from-symbol", "NumberMatchesSymbol", "SPARQL", "doc/cp/30-nd/2020",
         drop=f'{D30} eli:number "30" .', add=f'{D30} eli:number "31" .'),
    Case("number-not-numeric", "NumberMatchesSymbol", "SPARQL", "doc/cp/30-nd/2020",
         drop=f'{D30} eli:number "30" .', add=f'{D30} eli:number "3O" .'),
    Case("date-twice", "Document-date", "MaxCount", "doc/cp/30-nd/2020",
         add=f'{D30} eli:date_document "2020-03-06"^^xsd:date .'),
    Case("date-is-a-string", "Document-date", "Datatype", "doc/cp/30-nd/2020",
         drop=f'{D30} eli:date_document "2020-03-05"^^xsd:date .', add=f'{D30} eli:date_document "2020-03-05" .'),
    Case("date-is-a-datetime", "Document-date", "Datatype", "doc/cp/30-nd/2020",
         drop=f'{D30} eli:date_document "2020-03-05"^^xsd:date .',
         add=f'{D30} eli:date_document "2020-03-05T00:00:00"^^xsd:dateTime .'),
    Case("party-term-twice", "Document-partyTerm", "MaxCount", "doc/test/new",
         add=NEW_DOC + "eli:type_document dgt:cong-van ; dg:partyTerm dgk:XI , dgk:XII ."),
    Case("party-term-unknown", "Document-partyTerm", "Class", "doc/test/new",
         add=NEW_DOC + "eli:type_document dgt:cong-van ; dg:partyTerm dgk:XV ."),
    Case("issuer-not-an-organization", "Document-issuer", "Class", "doc/cp/30-nd/2020",
         add=f"{D30} eli:passed_by <group/cac-co-quan-chuyen-trach-tham-muu-tinh-uy> ."),
    Case("label-missing", "Document-label", "MinCount", "doc/cp/30-nd/2020",
         drop=f'{D30} rdfs:label "Nghị định 30/2020/NĐ-CP"@vi .'),
    Case("in-corpus-missing", "Document-inCorpus", "MinCount", "doc/cp/30-nd/2020",
         drop=f"{D30} dg:inCorpus false ."),
    Case("in-corpus-twice", "Document-inCorpus", "MaxCount", "doc/file/002_d5e775b8c46f1c5a",
         add=f"{D002} dg:inCorpus false ."),
    Case("in-corpus-not-boolean", "Document-inCorpus", "Datatype", "doc/cp/30-nd/2020",
         drop=f"{D30} dg:inCorpus false .", add=f'{D30} dg:inCorpus "no" .'),
    # --- documents: rules across properties -------------------------------------------------------
    Case("in-corpus-without-source-file", "CorpusSourceFile", "Or", "doc/file/002_d5e775b8c46f1c5a",
         drop=f'{D002} dg:sourceFile "data/002_d5e775b8c46f1c5a.txt" .'),
    Case("in-corpus-with-two-source-files", "CorpusSourceFile", "Or", "doc/file/002_d5e775b8c46f1c5a",
         add=f'{D002} dg:sourceFile "data/002_d5e775b8c46f1c5a (copy).txt" .'),
    Case("in-corpus-source-file-language-tagged", "CorpusSourceFile", "Or", "doc/file/002_d5e775b8c46f1c5a",
         drop=f'{D002} dg:sourceFile "data/002_d5e775b8c46f1c5a.txt" .',
         add=f'{D002} dg:sourceFile "data/002_d5e775b8c46f1c5a.txt"@vi .'),
    Case("cited-with-source-file", "SourceFileInCorpus", "HasValue", "doc/cp/30-nd/2020",
         add=f'{D30} dg:sourceFile "data/999_0000000000000000.txt" .'),
    Case("tw-symbol-provincial-issuer", "CentralSymbolIssuer", "Or", "doc/tw/102-kl/2014",
         add=f"{D102} eli:passed_by <org/ha-tinh/tinh-uy> ."),
    Case("tw-symbol-provincial-level", "CentralSymbolIssuer", "Or", "doc/tw/158-tb/2020",
         drop=f"{D158} dg:level dgl:central .", add=f"{D158} dg:level dgl:province ."),
    Case("tu-symbol-central-issuer", "ProvincialSymbolIssuer", "Or", "doc/tu-ha-tinh/11-nq/2019",
         drop=f"{D11TU} eli:passed_by <org/ha-tinh/tinh-uy> .",
         add=f"{D11TU} eli:passed_by <org/tw/bo-chinh-tri> ."),
    Case("tu-symbol-issuer-without-level", "ProvincialSymbolIssuer", "Or", "doc/tu-ha-tinh/11-nq/2019",
         drop=f"{D11TU} eli:passed_by <org/ha-tinh/tinh-uy> .",
         add=f'<org/test/x> a org:Organization ; skos:prefLabel "x"@vi . {D11TU} eli:passed_by <org/test/x> .'),
    Case("tu-symbol-district-level", "ProvincialSymbolIssuer", "Or", "doc/tu-ha-tinh/11-nq/2019",
         drop=f"{D11TU} dg:level dgl:province .", add=f"{D11TU} dg:level dgl:district ."),
    Case("party-document-state-symbol", "PartyDocumentSymbol", "Pattern", "doc/test/new", severity="Warning",
         add=NEW_DOC + 'a dg:PartyDocument ; eli:type_document dgt:nghi-quyet ; dg:symbol "18/NQ-TW" .'),
    Case("state-document-party-symbol", "StateDocumentSymbol", "Pattern", "doc/test/new", severity="Warning",
         add=NEW_DOC + 'a dg:StateDocument ; eli:type_document dgt:ket-luan ; dg:symbol "12-KL/UBND" .'),
    # --- documents: SHACL-SPARQL rules ------------------------------------------------------------
    Case("party-type-code-mismatch", "SymbolTypeCode", "SPARQL", "doc/tw/102-kl/2014",
         drop=f"{D102} eli:type_document dgt:ket-luan .", add=f"{D102} eli:type_document dgt:thong-bao ."),
    Case("state-type-code-mismatch", "SymbolTypeCode", "SPARQL", "doc/cp/30-nd/2020",
         drop=f"{D30} eli:type_document dgt:nghi-dinh .", add=f"{D30} eli:type_document dgt:quy-dinh ."),
    Case("party-cong-van-type-code-mismatch", "SymbolTypeCode", "SPARQL", "doc/test/new",
         add=NEW_DOC + 'a dg:PartyDocument ; eli:type_document dgt:cong-van ; dg:symbol "59-TB/BCĐ" .'),
    # what the sources say disagrees (a date and a khóa, two dates): a warning, the build goes on
    Case("date-after-party-term", "DateInPartyTerm", "SPARQL", "doc/tw/158-tb/2020",
         drop=f"{D158} dg:partyTerm dgk:XII .", add=f"{D158} dg:partyTerm dgk:XI .", severity="Warning"),
    Case("date-before-party-term", "DateInPartyTerm", "SPARQL", "doc/tw/102-kl/2014",
         drop=f"{D102} dg:partyTerm dgk:XI .", add=f"{D102} dg:partyTerm dgk:XII .", severity="Warning"),
    Case("implements-a-later-document", "ImplementationChronology", "SPARQL", "doc/test/new",
         add=NEW_DOC + f'eli:type_document dgt:cong-van ; eli:date_document "2010-01-01"^^xsd:date ; '
                       f"dg:implements {D158} .", severity="Warning"),
    Case("continues-a-later-document", "ImplementationChronology", "SPARQL", "doc/test/new",
         add=NEW_DOC + f'eli:type_document dgt:cong-van ; eli:date_document "2020-01-01"^^xsd:date ; '
                       f"dg:continues {D158} .", severity="Warning"),
    # --- levels ------------------------------------------------------------------------------------
    Case("level-twice", "Level", "MaxCount", "org/cp/chinh-phu",
         add="<org/cp/chinh-phu> dg:level dgl:province ."),
    Case("level-unknown", "Level", "In", "org/cp/chinh-phu",
         drop="<org/cp/chinh-phu> dg:level dgl:central .", add="<org/cp/chinh-phu> dg:level dgl:ward ."),
    # --- relation statements ----------------------------------------------------------------------
    Case("statement-subject-missing", "Statement-subject", "MinCount", "stmt/002-implements-158",
         drop=f"{STMT} rdf:subject {D002} ."),
    Case("statement-subject-twice", "Statement-subject", "MaxCount", "stmt/002-implements-158",
         add=f"{STMT} rdf:subject {D102} ."),
    Case("statement-subject-not-a-document", "Statement-subject", "Class", "stmt/002-implements-158",
         drop=f"{STMT} rdf:subject {D002} .", add=f"{STMT} rdf:subject <org/tw/ban-bi-thu> ."),
    Case("statement-predicate-missing", "Statement-predicate", "MinCount", "stmt/002-implements-158",
         drop=f"{STMT} rdf:predicate dg:implements ."),
    Case("statement-predicate-twice", "Statement-predicate", "MaxCount", "stmt/002-implements-158",
         add=f"{STMT} rdf:predicate dg:buildsOn ."),
    Case("statement-predicate-not-a-relation", "Statement-predicate", "In", "stmt/002-implements-158",
         drop=f"{STMT} rdf:predicate dg:implements .", add=f"{STMT} rdf:predicate eli:cites ."),
    Case("statement-object-missing", "Statement-object", "MinCount", "stmt/002-implements-158",
         drop=f"{STMT} rdf:object {D158} ."),
    Case("statement-object-twice", "Statement-object", "MaxCount", "stmt/002-implements-158",
         add=f"{STMT} rdf:object {D102} ."),
    Case("statement-object-not-a-document", "Statement-object", "Class", "stmt/002-implements-158",
         drop=f"{STMT} rdf:object {D158} .", add=f'{STMT} rdf:object "158-TB/TW" .'),
    Case("statement-asserted-by-missing", "Statement-assertedBy", "MinCount", "stmt/002-implements-158",
         drop=f"{STMT} dg:assertedBy {D002} ."),
    Case("statement-asserted-by-twice", "Statement-assertedBy", "MaxCount", "stmt/002-implements-158",
         add=f"{STMT} dg:assertedBy {D158} ."),
    Case("statement-asserted-by-not-a-document", "Statement-assertedBy", "Class", "stmt/002-implements-158",
         drop=f"{STMT} dg:assertedBy {D002} .", add=f"{STMT} dg:assertedBy <org/tw/ban-bi-thu> ."),
    Case("statement-evidence-missing", "Statement-evidence", "MinCount", "stmt/002-implements-158",
         drop=f"{STMT} dg:evidence {EV} ."),
    Case("statement-evidence-not-evidence", "Statement-evidence", "Class", "stmt/002-implements-158",
         add=f"{STMT} dg:evidence {POS} ."),
    # --- assignments ------------------------------------------------------------------------------
    Case("assignment-assigned-by-missing", "Assignment-assignedBy", "MinCount", "task/002_d5e775b8c46f1c5a/5",
         drop=f"{TASK5} dg:assignedBy {D002} ."),
    Case("assignment-assigned-by-twice", "Assignment-assignedBy", "MaxCount", "task/002_d5e775b8c46f1c5a/5",
         add=f"{TASK5} dg:assignedBy {D158} ."),
    Case("assignment-assigned-by-not-a-document", "Assignment-assignedBy", "Class",
         "task/002_d5e775b8c46f1c5a/5",
         drop=f"{TASK5} dg:assignedBy {D002} .", add=f"{TASK5} dg:assignedBy {BDV} ."),
    Case("assignment-lead-missing", "Assignment-lead", "MinCount", "task/002_d5e775b8c46f1c5a/1",
         drop=f"{TASK1} dg:lead <group/cac-cap-uy-co-quan-don-vi-truc-thuoc> ."),
    Case("assignment-lead-twice", "Assignment-lead", "MaxCount", "task/002_d5e775b8c46f1c5a/1",
         add=f"{TASK1} dg:lead <org/ha-tinh/tinh-uy> ."),
    Case("assignment-lead-not-a-body", "Assignment-lead", "Or", "task/002_d5e775b8c46f1c5a/1",
         drop=f"{TASK1} dg:lead <group/cac-cap-uy-co-quan-don-vi-truc-thuoc> .",
         add=f"{TASK1} dg:lead {D102} ."),
    Case("assignment-lead-also-coordinator", "Assignment-leadNotCoordinator", "Disjoint",
         "task/002_d5e775b8c46f1c5a/5", add=f"{TASK5} dg:coordinator {BDV} ."),
    Case("assignment-coordinator-not-a-body", "Assignment-coordinator", "Or", "task/002_d5e775b8c46f1c5a/5",
         add=f"{TASK5} dg:coordinator {D102} ."),
    Case("assignment-report-to-not-a-body", "Assignment-reportTo", "Or", "task/002_d5e775b8c46f1c5a/1",
         add=f'{TASK1} dg:reportTo "Ban Thường vụ Tỉnh ủy" .'),
    Case("assignment-task-missing", "Assignment-task", "MinCount", "task/002_d5e775b8c46f1c5a/1",
         drop=f'{TASK1} dg:task "xây dựng Kế hoạch cụ thể, phù hợp với chức năng, nhiệm vụ của địa phương, '
              f'cơ quan, đơn vị"@vi .'),
    Case("assignment-task-twice", "Assignment-task", "MaxCount", "task/002_d5e775b8c46f1c5a/1",
         add=f'{TASK1} dg:task "báo cáo kết quả" .'),
    Case("assignment-task-not-text", "Assignment-task", "Or", "task/002_d5e775b8c46f1c5a/1",
         drop=f'{TASK1} dg:task "xây dựng Kế hoạch cụ thể, phù hợp với chức năng, nhiệm vụ của địa phương, '
              f'cơ quan, đơn vị"@vi .',
         add=f"{TASK1} dg:task 42 ."),
    Case("assignment-task-an-iri", "Assignment-task", "Or", "task/002_d5e775b8c46f1c5a/1",
         drop=f'{TASK1} dg:task "xây dựng Kế hoạch cụ thể, phù hợp với chức năng, nhiệm vụ của địa phương, '
              f'cơ quan, đơn vị"@vi .',
         add=f"{TASK1} dg:task <task/002_d5e775b8c46f1c5a/text> ."),
    Case("assignment-task-blank", "Assignment-task", "Pattern", "task/002_d5e775b8c46f1c5a/1",
         drop=f'{TASK1} dg:task "xây dựng Kế hoạch cụ thể, phù hợp với chức năng, nhiệm vụ của địa phương, '
              f'cơ quan, đơn vị"@vi .',
         add=f'{TASK1} dg:task "  "@vi .'),
    Case("assignment-deadline-twice", "Assignment-deadline", "MaxCount", "task/002_d5e775b8c46f1c5a/1",
         add=f'{TASK1} dg:deadline "2020-04-30"^^xsd:date .'),
    Case("assignment-deadline-not-a-date", "Assignment-deadline", "Datatype", "task/002_d5e775b8c46f1c5a/1",
         drop=f'{TASK1} dg:deadline "2020-03-31"^^xsd:date .', add=f'{TASK1} dg:deadline "quý I năm 2020" .'),
    Case("assignment-deadline-text-twice", "Assignment-deadlineText", "MaxCount",
         "task/002_d5e775b8c46f1c5a/1", add=f'{TASK1} dg:deadlineText "trong quý I" .'),
    Case("assignment-kind-missing", "Assignment-kind", "MinCount", "task/002_d5e775b8c46f1c5a/5",
         drop=f'{TASK5} dg:assignmentKind "assignment" .'),
    Case("assignment-kind-twice", "Assignment-kind", "MaxCount", "task/002_d5e775b8c46f1c5a/5",
         add=f'{TASK5} dg:assignmentKind "request" .'),
    Case("assignment-kind-unknown", "Assignment-kind", "In", "task/002_d5e775b8c46f1c5a/5",
         drop=f'{TASK5} dg:assignmentKind "assignment" .', add=f'{TASK5} dg:assignmentKind "order" .'),
    Case("assignment-evidence-missing", "Assignment-evidence", "MinCount", "task/002_d5e775b8c46f1c5a/5",
         drop=f"{TASK5} dg:evidence <ev/002_d5e775b8c46f1c5a/6106> ."),
    Case("assignment-evidence-not-evidence", "Assignment-evidence", "Class", "task/002_d5e775b8c46f1c5a/5",
         add=f"{TASK5} dg:evidence {D002} ."),
    # --- evidence and selectors -------------------------------------------------------------------
    Case("evidence-source-missing", "Evidence-source", "MinCount", "ev/002_d5e775b8c46f1c5a/189",
         drop=f"{EV} oa:hasSource {D002} ."),
    Case("evidence-source-twice", "Evidence-source", "MaxCount", "ev/002_d5e775b8c46f1c5a/189",
         add=f"{EV} oa:hasSource {D158} ."),
    Case("evidence-source-not-a-document", "Evidence-source", "Class", "ev/002_d5e775b8c46f1c5a/189",
         drop=f"{EV} oa:hasSource {D002} .", add=f'{EV} oa:hasSource "data/002_d5e775b8c46f1c5a.txt" .'),
    Case("evidence-position-missing", "Evidence-position", "QualifiedMinCount", "ev/002_d5e775b8c46f1c5a/189",
         drop=f"{EV} oa:hasSelector {POS} ."),
    Case("evidence-position-twice", "Evidence-position", "QualifiedMaxCount", "ev/002_d5e775b8c46f1c5a/189",
         add=f"{EV} oa:hasSelector <ev/002_d5e775b8c46f1c5a/256/pos> ."),
    Case("evidence-quote-missing", "Evidence-quote", "QualifiedMinCount", "ev/002_d5e775b8c46f1c5a/189",
         drop=f"{EV} oa:hasSelector {QUOTE} ."),
    Case("evidence-quote-twice", "Evidence-quote", "QualifiedMaxCount", "ev/002_d5e775b8c46f1c5a/189",
         add=f"{EV} oa:hasSelector <ev/002_d5e775b8c46f1c5a/256/quote> ."),
    Case("position-start-missing", "Position-start", "MinCount", "ev/002_d5e775b8c46f1c5a/189/pos",
         drop=f"{POS} oa:start 189 ."),
    Case("position-start-twice", "Position-start", "MaxCount", "ev/002_d5e775b8c46f1c5a/189/pos",
         add=f"{POS} oa:start 190 ."),
    Case("position-start-not-integer", "Position-start", "Datatype", "ev/002_d5e775b8c46f1c5a/189/pos",
         drop=f"{POS} oa:start 189 .", add=f'{POS} oa:start "189"^^xsd:int .'),
    Case("position-start-negative", "Position-start", "MinInclusive", "ev/002_d5e775b8c46f1c5a/189/pos",
         drop=f"{POS} oa:start 189 .", add=f"{POS} oa:start -1 ."),
    Case("position-end-missing", "Position-end", "MinCount", "ev/002_d5e775b8c46f1c5a/189/pos",
         drop=f"{POS} oa:end 221 ."),
    Case("position-end-twice", "Position-end", "MaxCount", "ev/002_d5e775b8c46f1c5a/189/pos",
         add=f"{POS} oa:end 222 ."),
    Case("position-end-not-integer", "Position-end", "Datatype", "ev/002_d5e775b8c46f1c5a/189/pos",
         drop=f"{POS} oa:end 221 .", add=f'{POS} oa:end "221"^^xsd:long .'),
    Case("position-reversed", "Position-order", "LessThan", "ev/002_d5e775b8c46f1c5a/189/pos",
         drop=f"{POS} oa:start 189 . {POS} oa:end 221 .", add=f"{POS} oa:start 221 ; oa:end 189 ."),
    Case("position-empty", "Position-order", "LessThan", "ev/002_d5e775b8c46f1c5a/189/pos",
         drop=f"{POS} oa:end 221 .", add=f"{POS} oa:end 189 ."),
    Case("quote-exact-missing", "Quote-exact", "MinCount", "ev/002_d5e775b8c46f1c5a/189/quote",
         drop=f'{QUOTE} oa:exact "Thực hiện Thông báo số 158-TB/TW" .'),
    Case("quote-exact-twice", "Quote-exact", "MaxCount", "ev/002_d5e775b8c46f1c5a/189/quote",
         add=f'{QUOTE} oa:exact "Thông báo số 158-TB/TW" .'),
    Case("quote-exact-empty", "Quote-exact", "MinLength", "ev/002_d5e775b8c46f1c5a/189/quote",
         drop=f'{QUOTE} oa:exact "Thực hiện Thông báo số 158-TB/TW" .', add=f'{QUOTE} oa:exact "" .'),
    # --- bodies ------------------------------------------------------------------------------------
    Case("organization-label-missing", "Organization-label", "MinCount", "org/cp/chinh-phu",
         drop='<org/cp/chinh-phu> skos:prefLabel "Chính phủ"@vi .'),
    Case("province-unknown-not-scoped", "ProvinceUnknownScope", "Or",
         "org/@002_d5e775b8c46f1c5a/ban-dan-van-tinh-uy", drop=f"{BDV} dg:scopedTo {D002} ."),
    Case("province-unknown-scoped-to-a-body", "ProvinceUnknownScope", "Or",
         "org/@002_d5e775b8c46f1c5a/ban-dan-van-tinh-uy",
         drop=f"{BDV} dg:scopedTo {D002} .", add=f"{BDV} dg:scopedTo <org/ha-tinh/tinh-uy> ."),
    Case("province-unknown-scoped-twice", "ProvinceUnknownScope", "Or",
         "org/@002_d5e775b8c46f1c5a/ban-dan-van-tinh-uy", add=f"{BDV} dg:scopedTo {D30} ."),
    Case("sub-organization-of-itself", "SubOrganizationCycle", "SPARQL", "org/cp/chinh-phu",
         add="<org/cp/chinh-phu> org:subOrganizationOf <org/cp/chinh-phu> ."),
    Case("sub-organization-cycle", "SubOrganizationCycle", "SPARQL",
         ("org/tw/ban-chap-hanh-trung-uong", "org/tw/bo-chinh-tri"),
         add="<org/tw/ban-chap-hanh-trung-uong> org:subOrganizationOf <org/tw/bo-chinh-tri> ."),
]
# fmt: on


# --------------------------------------------------------------------------------------------------
# Tests


def test_valid_fixture_conforms_with_no_result_at_all() -> None:
    conforms, report = run(valid_graph())
    assert conforms, f"valid.ttl does not conform:\n{describe(results(report))}"
    assert results(report) == [], f"valid.ttl has results (warnings?):\n{describe(results(report))}"


# Changes to valid.ttl that must still conform with no result: the edges of the rules.
# fmt: off
ACCEPTED: list[Case] = [
    Case("several-notations-and-a-leading-zero", "", "", (),
         add=NEW_DOC + 'a dg:PartyDocument ; eli:type_document dgt:quy-dinh ; dg:symbol "08-QĐi/TW" ; '
                       'eli:number "8" ; eli:date_document "2018-10-25"^^xsd:date ; dg:partyTerm dgk:XII ; '
                       "eli:passed_by <org/tw/ban-chap-hanh-trung-uong> ; dg:level dgl:central ."),
    Case("type-without-notation-is-not-checked", "", "", (),
         add=NEW_DOC + 'a dg:PartyDocument ; eli:type_document dgt:van-ban ; dg:symbol "12-VB/HU" .'),
    Case("state-cong-van-has-no-type-code", "", "", (),
         add=NEW_DOC + 'a dg:StateDocument ; eli:type_document dgt:cong-van ; dg:symbol "4912/UBND-NC" ; '
                       'eli:number "4912" .'),
    Case("state-symbol-without-type-code", "", "", (),
         add=NEW_DOC + 'a dg:StateDocument ; eli:type_document dgt:nghi-quyet ; dg:symbol "203/2025/QH15" ; '
                       'eli:number "203" .'),
    Case("open-party-term", "", "", (),
         add='dgk:XIV a dg:PartyTerm ; dg:termStart "2026-01-19"^^xsd:date . '
             + NEW_DOC + 'eli:type_document dgt:cong-van ; eli:date_document "2026-03-01"^^xsd:date ; '
                         "dg:partyTerm dgk:XIV ."),
    Case("implements-a-document-of-the-same-day", "", "", (),
         add=NEW_DOC + f'eli:type_document dgt:cong-van ; eli:date_document "2020-01-02"^^xsd:date ; '
                       f"dg:implements {D158} ."),
    Case("tw-issuer-without-level", "", "", (),
         add='<org/test/x> a org:Organization ; skos:prefLabel "x"@vi . '
             f"{D102} eli:passed_by <org/test/x> ."),
    Case("province-known-without-scope", "", "", (),
         add='<org/test/y> a org:Organization ; skos:prefLabel "y"@vi ; dg:provinceUnknown false .'),
    Case("tu-symbol-without-issuer-or-level", "", "", (),
         add=NEW_DOC + 'a dg:PartyDocument ; eli:type_document dgt:ket-luan ; dg:symbol "12-KL/TU" .'),
    Case("in-corpus-party-document-without-symbol-or-date", "", "", (),
         add='<doc/file/test> a dg:Document , dg:PartyDocument ; rdfs:label "test"@vi ; '
             'eli:type_document dgt:ke-hoach ; dg:inCorpus true ; dg:sourceFile "data/test.txt" .'),
]
# fmt: on


@pytest.mark.parametrize("case", ACCEPTED, ids=lambda case: case.name)
def test_accepted_variant_conforms(case: Case) -> None:
    conforms, report = run(case.graph())
    assert conforms and not results(report), f"{case.name} should conform:\n{describe(results(report))}"


def test_inline_vocabulary_is_a_subset_of_the_real_one() -> None:
    real = vocabularies()
    inline = [t for t in valid_graph() if str(t[0]).startswith(VOCABULARY_NAMESPACES)]
    assert inline, "valid.ttl has no vocabulary triples"
    missing = sorted(" ".join(n.n3() for n in t) for t in inline if t not in real)
    assert not missing, "valid.ttl states vocabulary that ontology/vocabularies.ttl lacks:\n" + "\n".join(missing)


# The accepted variants whose outcome depends on what the vocabulary says (notations, term dates).
VOCABULARY_DEPENDENT = [
    "several-notations-and-a-leading-zero",
    "type-without-notation-is-not-checked",
    "state-cong-van-has-no-type-code",
    "state-symbol-without-type-code",
    "open-party-term",
]


@pytest.mark.parametrize(
    "case",
    [Case("valid", "", "", ()), *(c for c in ACCEPTED if c.name in VOCABULARY_DEPENDENT)],
    ids=lambda case: case.name,
)
def test_conforms_with_the_real_vocabularies(case: Case) -> None:
    """valid.ttl and the accepted variants, with ontology/vocabularies.ttl instead of the inline
    vocabulary triples, as the pipeline validates (data + vocabularies)."""
    data = case.graph()
    for triple in [t for t in data if str(t[0]).startswith(VOCABULARY_NAMESPACES)]:
        data.remove(triple)
    for triple in vocabularies():
        data.add(triple)
    conforms, report = run(data)
    assert conforms and not results(report), f"{case.name} with vocabularies.ttl:\n{describe(results(report))}"


def test_case_names_are_unique() -> None:
    names = [case.name for case in CASES + ACCEPTED]
    assert len(names) == len(set(names)), sorted(n for n in names if names.count(n) > 1)
    assert set(VOCABULARY_DEPENDENT) <= {case.name for case in ACCEPTED}


@pytest.mark.parametrize("case", CASES, ids=lambda case: case.name)
def test_broken_case_fires_exactly_its_constraint(case: Case) -> None:
    conforms, report = run(case.graph())
    found = results(report)
    label = f"broken-{case.name}"
    expected = (DGSH[case.shape], SH[f"{case.component}ConstraintComponent"])
    assert not conforms, f"{label}: conforms, but dgsh:{case.shape} should have fired"
    assert {(r.shape, r.component) for r in found} == {expected}, (
        f"{label}: expected only dgsh:{case.shape} / sh:{case.component}ConstraintComponent, got:\n{describe(found)}"
    )
    assert {r.focus for r in found} == case.focus_nodes, f"{label}: wrong focus node:\n{describe(found)}"
    assert {r.severity for r in found} == {SH[case.severity]}, f"{label}: wrong severity:\n{describe(found)}"
    assert all(r.messages for r in found), f"{label}: a result has no message:\n{describe(found)}"
    shape_path = shapes().value(DGSH[case.shape], SH.path)
    if isinstance(shape_path, URIRef):
        assert {r.path for r in found} == {shape_path}, f"{label}: wrong result path:\n{describe(found)}"


@pytest.mark.parametrize("case", [c for c in CASES if c.severity == "Warning"], ids=lambda case: case.name)
def test_warnings_do_not_fail_validation_when_warnings_are_allowed(case: Case) -> None:
    conforms, report = run(case.graph(), allow_warnings=True)
    assert conforms, f"broken-{case.name}: a warning failed validation:\n{describe(results(report))}"
    assert results(report), f"broken-{case.name}: the warning was not reported"


ILL_FORMED_DATES = ["2001-02-30", "2001-13-01", "abc", "02/01/2020"]


@pytest.mark.parametrize("lexical", ILL_FORMED_DATES)
def test_ill_formed_date_literal_is_caught(lexical: str) -> None:
    """pySHACL's sh:datatype rejects a literal that carries ^^xsd:date but whose lexical form is not
    a date ("2001-02-30"). Doc 158 has a Party term and a dg:continues link, so this also shows that
    the SPARQL date comparisons stay quiet on an ill-formed date."""
    assert Literal(lexical, datatype=XSD.date).ill_typed, lexical
    case = Case(
        f"ill-formed-date-{lexical}",
        "Document-date",
        "Datatype",
        "doc/tw/158-tb/2020",
        drop=f'{D158} eli:date_document "2020-01-02"^^xsd:date .',
        add=f'{D158} eli:date_document "{lexical}"^^xsd:date .',
    )
    test_broken_case_fires_exactly_its_constraint(case)


def test_rdflib_repairs_a_date_with_a_time_part_while_parsing() -> None:
    """Not every bad lexical form reaches the validator: rdflib reads "2020-01-02T00:00:00"^^xsd:date
    as the date 2020-01-02 and stores it as "2020-01-02", so there is nothing left to report."""
    data = Graph().parse(data=PREFIXES + f'{D158} eli:date_document "2020-01-02T00:00:00"^^xsd:date .', format="turtle")
    assert set(data.objects()) == {Literal("2020-01-02", datatype=XSD.date)}


def test_ill_formed_deadline_is_caught() -> None:
    case = Case(
        "ill-formed-deadline",
        "Assignment-deadline",
        "Datatype",
        "task/002_d5e775b8c46f1c5a/1",
        drop=f'{TASK1} dg:deadline "2020-03-31"^^xsd:date .',
        add=f'{TASK1} dg:deadline "2020-02-30"^^xsd:date .',
    )
    test_broken_case_fires_exactly_its_constraint(case)


def test_rdfs_inference_would_hide_class_errors() -> None:
    """Why validation runs with inference "none": under RDFS the range of dg:assertedBy makes the
    body a dg:Document, so dgsh:Statement-assertedBy's sh:class check can no longer fail."""
    case = next(c for c in CASES if c.name == "statement-asserted-by-not-a-document")
    _conforms, report = run(case.graph(), inference="rdfs")
    fired = {(r.shape, r.component) for r in results(report)}
    assert (DGSH["Statement-assertedBy"], SH.ClassConstraintComponent) not in fired


# --------------------------------------------------------------------------------------------------
# The shapes file itself

# fmt: off
CONSTRAINT_PARAMETERS = {
    SH["class"]: "Class", SH.datatype: "Datatype", SH.nodeKind: "NodeKind",
    SH.minCount: "MinCount", SH.maxCount: "MaxCount",
    SH.minExclusive: "MinExclusive", SH.minInclusive: "MinInclusive",
    SH.maxExclusive: "MaxExclusive", SH.maxInclusive: "MaxInclusive",
    SH.minLength: "MinLength", SH.maxLength: "MaxLength", SH.pattern: "Pattern",
    SH.languageIn: "LanguageIn", SH.uniqueLang: "UniqueLang",
    SH.equals: "Equals", SH.disjoint: "Disjoint", SH.lessThan: "LessThan",
    SH.lessThanOrEquals: "LessThanOrEquals",
    SH["not"]: "Not", SH["and"]: "And", SH["or"]: "Or", SH.xone: "Xone", SH.node: "Node",
    SH.qualifiedMinCount: "QualifiedMinCount", SH.qualifiedMaxCount: "QualifiedMaxCount",
    SH.closed: "Closed", SH.hasValue: "HasValue", SH["in"]: "In", SH.sparql: "SPARQL",
}
# fmt: on
TARGETS = (SH.targetClass, SH.targetNode, SH.targetSubjectsOf, SH.targetObjectsOf)


def reporting_shapes(g: Graph) -> set[Node]:
    """Shapes whose own constraints produce results: targeted shapes and their sh:property shapes.
    Shapes nested inside sh:or / sh:not / sh:node report through their parent's constraint."""
    targeted = {s for t in TARGETS for s in g.subjects(t, None)}
    return targeted | {p for s in targeted for p in g.objects(s, SH.property)}


def declared_constraints(g: Graph) -> set[tuple[Node, URIRef]]:
    return {
        (shape, SH[f"{component}ConstraintComponent"])
        for shape in reporting_shapes(g)
        for parameter, component in CONSTRAINT_PARAMETERS.items()
        if (shape, parameter, None) in g
    }


def test_every_constraint_has_exactly_the_broken_cases_it_needs() -> None:
    declared = declared_constraints(shapes())
    covered = {(DGSH[c.shape], SH[f"{c.component}ConstraintComponent"]) for c in CASES}
    assert not declared - covered, f"constraints with no broken case: {sorted(declared - covered)}"
    assert not covered - declared, f"cases for constraints shapes.ttl lacks: {sorted(covered - declared)}"


def test_every_reporting_shape_is_named_has_a_severity_and_an_english_message() -> None:
    g = shapes()
    for shape in reporting_shapes(g):
        own = [p for p in CONSTRAINT_PARAMETERS if (shape, p, None) in g]
        if not own:
            continue  # a container of sh:property shapes
        assert isinstance(shape, URIRef) and shape.startswith(str(DGSH)), f"unnamed shape {shape}"
        assert g.value(shape, SH.severity) in (SH.Violation, SH.Warning), f"{shape}: no sh:severity"
        # A SPARQL constraint carries its own message (it can name the offending values).
        holders = list(g.objects(shape, SH.sparql)) if SH.sparql in own else [shape]
        for holder in holders:
            english = [m for m in g.objects(holder, SH.message) if isinstance(m, Literal) and m.language == "en"]
            assert english, f"{shape}: no sh:message in English"


def test_sparql_constraints_use_declared_prefixes_only() -> None:
    g = shapes()
    declared = {str(p) for p in g.objects(None, SH.prefix)}
    for constraint in g.objects(None, SH.sparql):
        assert g.value(constraint, SH.prefixes) == URIRef("https://w3id.org/docgraph/shapes")
        select = str(g.value(constraint, SH.select))
        used = set(re.findall(r"\b([a-z]+):[A-Za-z_]", select))
        assert used <= declared, f"{constraint}: undeclared prefixes {used - declared}"


# --------------------------------------------------------------------------------------------------
# The symbol patterns

# fmt: off
PARTY_SYMBOLS = ["102-KL/TW", "11-NQ/TU", "08-QĐi/TW", "59-CV/BCĐ", "24-BS/UBKTTU", "05-TB/BCĐTW",
                 "31-HD/BTCTW", "445-KL/TƯ", "01-CTr/TU"]
STATE_SYMBOLS = ["16/CT-TTg", "30/2020/NĐ-CP", "4912/UBND-NC", "80/2015/QH13", "02/2011/TTLT-VPCP-BNV",
                 "666/2015/QĐ-UBND", "594/KH-UBND"]
NOT_SYMBOLS = ["Số 102-KL/TW", "47 – QĐ/TW", "37QĐ/TW", "102-KL/TW ", "102-kl/tw", "18/NQ/TW", "", "KL/TW",
               "102-KL", "30/2020/nđ-CP"]
# fmt: on


def symbol_form_pattern() -> str:
    return str(shapes().value(DGSH["Document-symbolForm"], SH.pattern))


def test_symbol_patterns_are_in_step() -> None:
    assert symbol_form_pattern() == f"^({PARTY_SYMBOL}|{STATE_SYMBOL})$"
    select = str(shapes().value(shapes().value(DGSH.SymbolTypeCode, SH.sparql), SH.select))
    assert f'"^{PARTY_SYMBOL}$"' in select
    assert f'"^{STATE_SYMBOL}$"' in select


@pytest.mark.parametrize("symbol", PARTY_SYMBOLS + STATE_SYMBOLS)
def test_well_formed_symbols_match(symbol: str) -> None:
    assert re.search(symbol_form_pattern(), symbol), symbol
    party = re.fullmatch(PARTY_SYMBOL, symbol) is not None
    assert party == (symbol in PARTY_SYMBOLS), f"{symbol}: Party form {party}"


@pytest.mark.parametrize("symbol", NOT_SYMBOLS)
def test_malformed_symbols_do_not_match(symbol: str) -> None:
    assert not re.search(symbol_form_pattern(), symbol), symbol
