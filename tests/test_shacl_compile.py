"""The SELECT forms shacl_compile writes for counts and values, on small stores with a known answer.

tests/test_validate_store.py proves the compiled shapes report what pySHACL reports on every fixture; the
shapes there use ``sh:minCount 1`` / ``sh:maxCount 1`` only. These tables also cover the other bounds, and
nodes that are not targets but carry values a check would reject."""

from __future__ import annotations

import pyoxigraph as ox
import pytest
from rdflib import BNode, Graph
from rdflib.namespace import SH

from docgraph.namespaces import DG, OA
from docgraph.shacl_compile import _count_query, _scan, _values_first, _with_value
from docgraph.validate import ontology_graph

EX = "http://example.org/"
TARGET = f"{{ ?this a ?targetClass . VALUES ?targetClass {{ <{EX}Task> }} }}"


def _store(values: dict[str, int], targets: set[str]) -> ox.Store:
    """Node name -> how many ex:p values it has; ``targets`` are typed ex:Task."""
    st = ox.Store()
    p = ox.NamedNode(f"{EX}p")
    for name, n in values.items():
        node = ox.NamedNode(EX + name)
        if name in targets:
            st.add(ox.Quad(node, ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type"),
                           ox.NamedNode(f"{EX}Task")))
        for i in range(n):
            st.add(ox.Quad(node, p, ox.Literal(f"v{i}")))
    return st


VALUES = {"none": 0, "one": 1, "two": 2, "three": 3, "other-none": 0, "other-three": 3}
TARGETS = {"none", "one", "two", "three"}


@pytest.mark.parametrize(("lo", "hi", "expected"), [
    (1, 1, {"none": 0, "two": 2, "three": 3}),        # exactly one
    (1, None, {"none": 0}),                           # at least one
    (None, 1, {"two": 2, "three": 3}),                # at most one
    (2, None, {"none": 0, "one": 1}),                 # at least two: a node with one value fails too
    (2, 2, {"none": 0, "one": 1, "three": 3}),
    (0, 2, {"three": 3}),                             # minCount 0 asks nothing
    (0, None, {}),
])
def test_a_count_check_reports_each_target_out_of_range_with_its_count(lo, hi, expected) -> None:
    st = _store(VALUES, TARGETS)
    values = f"?this <{EX}p> ?v"
    for q in (_count_query(TARGET, values, lo, hi, distinct=d) for d in (True, False)):
        got = {s["this"].value[len(EX):]: int(s["n"].value) for s in st.query(q)}
        assert got == expected, (lo, hi, q)
    for name in ("none", "two"):  # a target of two classes is still one group
        st.add(ox.Quad(ox.NamedNode(EX + name), ox.NamedNode(RDF_TYPE), ox.NamedNode(f"{EX}SubTask")))
    q = _count_query(TWO_CLASSES, values, lo, hi, distinct=False)
    got = [(s["this"].value[len(EX):], int(s["n"].value)) for s in st.query(q)]
    assert sorted(got) == sorted(expected.items()), (lo, hi, q)


RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
TWO_CLASSES = f"{{ ?this a ?targetClass . VALUES ?targetClass {{ <{EX}Task> <{EX}SubTask> }} }}"
# a qualified count: the values of ex:sel that are of one of the classes (joined, as shacl_compile writes it)
JOINED = f"?this <{EX}sel> ?v . ?v a ?k . VALUES ?k {{ <{EX}Sel> <{EX}SubSel> }}"


@pytest.mark.parametrize(("lo", "hi", "expected"), [
    (1, 1, {"none": 0, "two": 2}),
    (1, None, {"none": 0}),
    (None, 1, {"two": 2}),
    (2, None, {"none": 0, "one": 1, "both": 1}),
])
def test_a_qualified_count_counts_a_value_of_two_classes_once(lo, hi, expected) -> None:
    """"both" has one value typed ex:Sel and ex:SubSel, two rows of the join; "other" is no target."""
    st = ox.Store()
    typ = ox.NamedNode(RDF_TYPE)
    kinds = {"none": [], "one": [["Sel"]], "both": [["Sel", "SubSel"]], "two": [["Sel"], ["SubSel"]],
             "untyped": [[]], "other": [["Sel"], ["Sel"]]}
    for name, vals in kinds.items():
        node = ox.NamedNode(EX + name)
        if name != "other":
            st.add(ox.Quad(node, typ, ox.NamedNode(f"{EX}Task")))
        for i, classes in enumerate(vals):
            v = ox.NamedNode(f"{EX}{name}/sel{i}")
            st.add(ox.Quad(node, ox.NamedNode(f"{EX}sel"), v))
            for k in classes:
                st.add(ox.Quad(v, typ, ox.NamedNode(EX + k)))
    expected = {**expected, **({"untyped": 0} if lo else {})}
    got = {s["this"].value[len(EX):]: int(s["n"].value) for s in st.query(_count_query(TARGET, JOINED, lo, hi))}
    assert got == expected


@pytest.mark.parametrize(("test", "expected"), [
    ('FILTER(STR(?valueNode) = "v2")', {("three", "v2")}),               # other-three has v2 too: not a target
    ('FILTER(STRSTARTS(STR(?valueNode), "v"))',
     {("one", "v0"), ("two", "v0"), ("two", "v1"), ("three", "v0"), ("three", "v1"), ("three", "v2")}),
    ("FILTER(false)", set()),
])
def test_a_value_check_reports_only_targets(test: str, expected: set[tuple[str, str]]) -> None:
    st = _store(VALUES, TARGETS)
    for first in (True, False):
        q = _with_value(TARGET, _scan(f"?this <{EX}p> ?valueNode . {test}", "?this ?valueNode"), values_first=first)
        got = {(s["this"].value[len(EX):], s["value"].value) for s in st.query(q)}
        assert got == expected, q


@pytest.mark.parametrize(("path", "target", "expected"), [
    (DG.task, DG.Assignment, True),            # every value of dg:task is an assignment's
    (DG.symbol, DG.Document, True),
    (DG.symbol, DG.StateDocument, False),      # most symbols are other documents'
    (OA.exact, OA.TextQuoteSelector, True),    # no domain declared
])
def test_values_are_read_first_unless_the_targets_are_narrower_than_the_domain(path, target, expected) -> None:
    sg, shape = Graph(), BNode()
    sg.add((shape, SH.targetClass, target))
    assert _values_first(sg, ontology_graph(), [shape], path) is expected
