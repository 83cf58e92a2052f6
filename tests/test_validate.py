"""The pipeline's validator (every shape compiled to SPARQL run globally on pyoxigraph, pySHACL for anything
the compiler leaves) reports exactly what pySHACL with the whole shapes graph reports: on the valid fixture
and on every broken case, the same findings (shape, focus, severity, path, value, message)."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest
from pyshacl import validate
from rdflib import Graph, Literal, URIRef
from rdflib.collection import Collection
from rdflib.namespace import SH, XSD
from rdflib.term import Node

from docgraph import validate as validate_module
from docgraph.validate import _prepared_sparql, _split_shapes, ontology_graph, shapes_graph, validate_graph
from test_shapes import ACCEPTED, CASES, CONSTRAINT_PARAMETERS, DGSH, PREFIXES, Case, valid_graph

pytestmark = pytest.mark.filterwarnings("ignore:Dataset.default_context is deprecated:DeprecationWarning")

Row = tuple[str | None, str, str, str | None, str | None, str]


def pyshacl_findings(data: Graph, shapes: Graph | None = None) -> list[Row]:
    """What plain pySHACL reports with the whole shapes graph, as validate_graph reads a report."""
    with _prepared_sparql():
        _conforms, report, _text = validate(data, shacl_graph=shapes if shapes is not None else shapes_graph(),
                                            ont_graph=ontology_graph(), inference="none", allow_warnings=True)
    rows = []
    for r in report.objects(None, SH.result):
        path, value, shape = (report.value(r, p) for p in (SH.resultPath, SH.value, SH.sourceShape))
        rows.append((
            str(shape) if isinstance(shape, URIRef) else None, str(report.value(r, SH.focusNode)),
            str(report.value(r, SH.resultSeverity)).rsplit("#", 1)[-1],
            str(path) if isinstance(path, URIRef) else None,
            str(value) if isinstance(value, URIRef | Literal) else None, str(report.value(r, SH.resultMessage)),
        ))
    return sorted(rows, key=str)


def our_findings(data: Graph) -> list[Row]:
    found = validate_graph(data, with_vocabulary=False).findings
    return sorted(((f.shape, f.focus, f.severity, f.path, f.value, f.message) for f in found), key=str)


def constraints_left(rest: Graph) -> set[tuple[object, object]]:
    """(subject, parameter) of every constraint left in a shapes graph."""
    return {(s, p) for s, p, _o in rest if p in CONSTRAINT_PARAMETERS or p == SH.property}


def test_nothing_is_left_for_pyshacl() -> None:
    rest, checks = _split_shapes()
    assert not constraints_left(rest), rest.serialize(format="turtle")
    named = {str(s) for s in shapes_graph().subjects() if isinstance(s, URIRef) and str(s).startswith(str(DGSH))}
    targeted = {str(s) for t in (SH.targetClass, SH.targetSubjectsOf) for s in shapes_graph().subjects(t, None)}
    owned = {str(o) for o in shapes_graph().objects(None, SH.property) if isinstance(o, URIRef)}
    checked = {s for s in named & (targeted | owned)
               if any(p in CONSTRAINT_PARAMETERS for p in shapes_graph().predicates(URIRef(s), None))}
    assert checked <= {str(c.shape) for c in checks}


def test_valid_fixture_conforms() -> None:
    report = validate_graph(valid_graph(), with_vocabulary=False)
    assert report.conforms and report.findings == [], report.findings


@pytest.mark.parametrize("case", CASES, ids=lambda case: case.name)
def test_broken_case_gives_the_same_finding(case) -> None:  # type: ignore[no-untyped-def]
    report = validate_graph(case.graph(), with_vocabulary=False)
    found = {(f.shape, f.focus) for f in report.findings}
    expected = {(str(DGSH[case.shape]), str(n)) for n in case.focus_nodes}
    assert found == expected, f"broken-{case.name}: {[str(f) for f in report.findings]}"
    assert {f.severity for f in report.findings} == {case.severity}
    assert report.conforms == (case.severity != "Violation")
    assert all(f.message and "{?" not in f.message and "{$" not in f.message for f in report.findings)


@pytest.mark.parametrize("case", CASES + ACCEPTED, ids=lambda case: case.name)
def test_same_findings_as_pyshacl(case: Case) -> None:
    data = case.graph()
    assert our_findings(data) == pyshacl_findings(data)


# --------------------------------------------------------------------------------------------------
# The compiler on forms shapes.ttl does not use (yet): each against pySHACL on a small graph

SYNTHETIC_SHAPES = PREFIXES + """
@prefix sh: <http://www.w3.org/ns/shacl#> .
@prefix ex: <http://example.org/> .
ex:And a sh:NodeShape ; sh:targetClass ex:Thing ; sh:message "and"@en ;
    sh:and ( [ sh:path ex:p ; sh:minCount 2 ] [ sh:not [ sh:class ex:Bad ] ] ) .
ex:Pattern a sh:NodeShape ; sh:targetSubjectsOf ex:q ; sh:message "pattern"@en ;
    sh:pattern "^HTTP://example.org/[a-c]" ; sh:flags "i" .
ex:Class a sh:NodeShape ; sh:targetClass ex:Thing ; sh:class ex:Good ; sh:message "class"@en .
ex:Holder a sh:NodeShape ; sh:targetClass ex:Thing ; sh:property ex:Holder-q .
ex:Holder-q a sh:PropertyShape ; sh:path ex:q ; sh:node ex:Named ; sh:message "node"@en .
ex:Named a sh:NodeShape ; sh:in ( ex:t1 ex:t2 ex:t3 ) ;
    sh:property [ sh:path [ sh:inversePath ex:q ] ; sh:maxCount 2 ] .
ex:OrDatatypes a sh:PropertyShape ; sh:targetClass ex:Thing ; sh:path ex:label ; sh:message "datatypes"@en ;
    sh:or ( [ sh:datatype rdf:langString ] [ sh:datatype xsd:date ] ) .
ex:NotHasValue a sh:PropertyShape ; sh:targetClass ex:Thing ; sh:path ( ex:q ex:r ) ; sh:message "not"@en ;
    sh:not [ sh:hasValue ex:forbidden ] .
ex:Nested a sh:PropertyShape ; sh:targetClass ex:Thing ; sh:path ex:q ; sh:message "nested"@en ;
    sh:node [ sh:property [ sh:path ex:r ; sh:maxCount 1 ; sh:property [ sh:path ex:s ; sh:minCount 1 ] ] ] .
ex:OrPaths a sh:NodeShape ; sh:targetClass ex:Thing ; sh:message "or"@en ; sh:severity sh:Warning ;
    sh:or ( [ sh:path ex:p ; sh:hasValue 1 ] [ sh:path [ sh:zeroOrMorePath ex:next ] ; sh:minCount 3 ]
            [ sh:path [ sh:alternativePath ( ex:label [ sh:oneOrMorePath ex:next ] ) ] ; sh:maxCount 0 ] ) .
ex:Short a sh:PropertyShape ; sh:targetClass ex:Thing ; sh:path ex:label ; sh:minLength 1 ; sh:message "short"@en .
ex:ClassOnPath a sh:PropertyShape ; sh:targetClass ex:Thing ; sh:path ( ex:q ex:r ) ; sh:class ex:Good ;
    sh:message "class on a path"@en .
ex:CountOnPath a sh:PropertyShape ; sh:targetClass ex:Thing ; sh:path ( ex:q ex:r ) ; sh:maxCount 1 ;
    sh:message "count on a path"@en .
"""

SYNTHETIC_DATA = PREFIXES + """
@prefix ex: <http://example.org/> .
ex:a a ex:Thing , ex:Good ; ex:p 1 , 2 ; ex:q ex:t1 ; ex:label "a"@en .
ex:b a ex:Thing , ex:Bad ; ex:p 1 ; ex:q ex:T2 , ex:u ; ex:next ex:a ;
    ex:label "b" , "2020-01-01"^^xsd:date , "2020-02-30"^^xsd:date .
ex:c a ex:Thing ; ex:q ex:t1 ; ex:next ex:b ; ex:p 3 , 4 ; ex:label ""@en , "" .
ex:d ex:q ex:t3 , "literal" .
ex:e a ex:Thing , ex:Good ; ex:q _:x , ex:w .
_:x ex:r ex:y .
ex:w ex:r ex:y .
ex:f a ex:Thing , ex:Good ; ex:label "f"@en .
ex:g ex:q ex:t1 .
ex:t1 ex:r ex:forbidden , ex:x ; ex:s 1 .
ex:T2 ex:r ex:y , ex:x .
ex:y ex:s 2 .
"""


@pytest.fixture
def synthetic_shapes(monkeypatch: pytest.MonkeyPatch) -> Iterator[Graph]:
    shapes = Graph().parse(data=SYNTHETIC_SHAPES, format="turtle")
    monkeypatch.setattr(validate_module, "shapes_graph", lambda: shapes)
    _split_shapes.cache_clear()
    yield shapes
    _split_shapes.cache_clear()


def test_logical_forms_are_compiled_as_pyshacl_reads_them(synthetic_shapes: Graph) -> None:
    rest, checks = _split_shapes()
    assert not constraints_left(rest), rest.serialize(format="turtle")
    ex = "http://example.org/"
    compiled = {str(c.shape) for c in checks}
    assert compiled == {ex + n for n in ("And", "Pattern", "Class", "Holder-q", "OrDatatypes", "NotHasValue",
                                         "Nested", "OrPaths", "Short", "ClassOnPath", "CountOnPath")}
    data = Graph().parse(data=SYNTHETIC_DATA, format="turtle")
    expected = pyshacl_findings(data, synthetic_shapes)
    assert our_findings(data) == expected
    assert {row[0] for row in expected} == compiled  # each shape fires on some node …
    focus = {row[1] for row in expected}
    assert all(any(row[1] != f for row in expected) for f in focus)  # … and not on every one


# --------------------------------------------------------------------------------------------------
# A form the compiler does not know leaves the shape to pySHACL: an edited shapes.ttl is never skipped


def edited(change: Callable[[Graph], None]) -> Graph:
    g = Graph()
    for t in shapes_graph():
        g.add(t)
    change(g)
    return g


def or_member(g: Graph, shape: str, i: int) -> Node:
    return list(Collection(g, g.value(DGSH[shape], SH["or"])))[i]


def replace(g: Graph, s: Node, p: Node, o: Node) -> None:
    assert (s, p, None) in g
    g.set((s, p, o))


def xone(g: Graph) -> None:
    lst = g.value(DGSH.CorpusSourceFile, SH["or"])
    g.remove((DGSH.CorpusSourceFile, SH["or"], lst))
    g.add((DGSH.CorpusSourceFile, SH.xone, lst))


def uses(g: Graph) -> None:
    g.parse(format="turtle", data=PREFIXES + """@prefix sh: <http://www.w3.org/ns/shacl#> .
        <https://w3id.org/docgraph/shapes#Uses> a sh:NodeShape ; sh:targetClass dg:Document ; sh:message "uses"@en ;
            sh:xone ( <https://w3id.org/docgraph/shapes#CentralSymbolIssuer> ) .""")


# name: (the shape that must go back to pySHACL, the edit, a broken case that makes it fire)
FALLBACKS: dict[str, tuple[str, Callable[[Graph], None], str]] = {
    # sh:xone instead of sh:or
    "xone": ("CorpusSourceFile", xone, "in-corpus-with-two-source-files"),
    # a nested shape with its own severity (pySHACL's conformance of the member then depends on it)
    "nested-severity": ("ProvinceUnknownScope",
                        lambda g: g.add((or_member(g, "ProvinceUnknownScope", 1), SH.severity, SH.Info)),
                        "province-unknown-scoped-twice"),
    # a numeric datatype inside sh:or (Oxigraph would not see "42"^^xsd:int as written)
    "numeric-datatype": ("Assignment-task",
                         lambda g: replace(g, or_member(g, "Assignment-task", 1), SH.datatype, XSD.int),
                         "assignment-task-an-iri"),
    # a templated message: pySHACL leaves {$this} as written in a core constraint's message
    "templated-message": ("Document-typeConcept",
                          lambda g: replace(g, DGSH["Document-typeConcept"], SH.message,
                                            Literal("{$this} has a type outside dgt:scheme", lang="en")),
                          "type-in-another-scheme"),
    # a compiled shape used by a shape that is not compiled goes back to pySHACL with it
    "used-by-a-fallback": ("CentralSymbolIssuer", uses, "tw-symbol-provincial-level"),
}


@pytest.mark.parametrize("name", sorted(FALLBACKS))
def test_a_shape_the_compiler_cannot_read_stays_with_pyshacl(name: str, monkeypatch: pytest.MonkeyPatch) -> None:
    shape, change, case = FALLBACKS[name]
    shapes = edited(change)
    monkeypatch.setattr(validate_module, "shapes_graph", lambda: shapes)
    _split_shapes.cache_clear()
    try:
        rest, checks = _split_shapes()
        assert str(DGSH[shape]) not in {str(c.shape) for c in checks}
        assert any(s == DGSH[shape] for s, _p in constraints_left(rest)), rest.serialize(format="turtle")
        data = next(c for c in CASES if c.name == case).graph()
        assert our_findings(data) == pyshacl_findings(data, shapes)
        assert our_findings(valid_graph()) == pyshacl_findings(valid_graph(), shapes)
    finally:
        _split_shapes.cache_clear()


# A SHACL-SPARQL SELECT run over the whole graph (validate.constraint_query): the same rows as its body with the
# target test written beside it, whether the body is read as a sub-select or kept (it groups or counts).
_EX = "PREFIX ex: <http://example.org/>\n"
_DATA = """
@prefix ex: <http://example.org/> .
ex:a a ex:Doc ; ex:date "2020-01-01" ; ex:implements ex:b , ex:c ; ex:n 1 .
ex:b a ex:Doc ; ex:date "2021-05-05" ; ex:n 2 .
ex:c ex:date "2019-01-01" ; ex:n 3 .
ex:d a ex:Other ; ex:implements ex:b ; ex:date "2000-01-01" .
ex:e a ex:Doc .
"""
_TARGETS = ["{ ?this a <http://example.org/Doc> }"]


@pytest.mark.parametrize("select, wrapped", [
    ("SELECT ?this ?cited WHERE { ?this ex:implements ?cited ; ex:date ?d . ?cited ex:date ?c FILTER(?d < ?c) }",
     True),
    ("SELECT ?this ?value WHERE { ?this ex:implements ?value }", True),
    ("SELECT ?this WHERE { ?this ex:n ?n OPTIONAL { ?this ex:implements ?x } FILTER(!BOUND(?x)) }", True),
    ("SELECT ?this ?x WHERE { { SELECT ?this ?x WHERE { ?this ex:implements ?x } } ?x ex:n ?n }", True),
    ("SELECT ?this (COUNT(?x) AS ?value) WHERE { ?this ex:implements ?x } GROUP BY ?this HAVING(COUNT(?x) > 1)",
     False),
    ("SELECT ?this ?n WHERE { ?this ex:n ?n } ORDER BY ?n LIMIT 1", False),
])
def test_constraint_query_keeps_the_rows_of_its_body(select: str, wrapped: bool) -> None:
    import pyoxigraph as ox

    from docgraph.validate import constraint_query

    store = ox.Store()
    store.load(_DATA.encode(), format=ox.RdfFormat.TURTLE)
    query = constraint_query(select, _TARGETS)
    head, _, body = select.partition("{")
    if "?value" not in head:
        head = head.replace("SELECT", "SELECT (IF(isBlank(?this), ?_unbound, ?this) AS ?value)", 1)
    beside = f"{head}{{ FILTER EXISTS {{ {' UNION '.join(_TARGETS)} }}\n{body}"

    def rows(q: str) -> list[tuple[str, ...]]:
        res = store.query(_EX + q)
        names = [v.value for v in res.variables]
        return sorted(tuple(str(sol[n]) for n in names) for sol in res)

    assert ("SELECT * WHERE" in query) is wrapped
    assert rows(query) == rows(beside)
    assert rows(query)  # every case finds something on the data: an empty pair would prove nothing
