"""Validation on the store (what a build runs) reports what validation of the rdflib graph reports, and
validating only around a change finds every result the whole-graph run finds.

Each broken case of tests/test_shapes.py is the valid fixture plus a change: the subjects whose triples
differ are what a delta build would rewrite, and ``focus_of_change`` must reach every node a shape then
judges differently.
"""

from __future__ import annotations

import pyoxigraph as ox
import pytest
from rdflib import XSD, BNode, Graph, Literal, URIRef

from docgraph import validate_store as validate_store_module
from docgraph.shacl_compile import _CANONICALIZED
from docgraph.validate import Report, validate_graph
from docgraph.validate_store import focus_of_change, validate_store
from test_shapes import CASES, Case, valid_graph

pytestmark = pytest.mark.filterwarnings("ignore:Dataset.default_context is deprecated:DeprecationWarning")


def _store(g: Graph) -> ox.Store:
    store = ox.Store()
    store.bulk_load(input=g.serialize(format="nt").encode("utf-8"), format=ox.RdfFormat.N_TRIPLES)
    return store


def _rows(report: Report) -> list[tuple[str | None, ...]]:
    return sorted((f.shape, f.focus, f.severity, f.path, f.value, f.message) for f in report.findings)


def _by_subject(g: Graph) -> dict[str, set[str]]:
    out: dict[str, set[str]] = {}
    for s, p, o in g:
        assert not isinstance(s, BNode), "fixtures name every node"
        out.setdefault(str(s), set()).add(f"{p.n3()} {o.n3()}")
    return out


def _changed(before: Graph, after: Graph) -> set[str]:
    a, b = _by_subject(before), _by_subject(after)
    return {s for s in a.keys() | b.keys() if a.get(s) != b.get(s)}


def test_valid_fixture_conforms_on_the_store() -> None:
    report = validate_store(_store(valid_graph()))
    assert report.conforms and not report.findings


def _canonicalized(g: Graph) -> set[str]:
    """Literals Oxigraph rewrites on the way in ("189"^^xsd:int becomes xsd:integer)."""
    return {str(o) for o in g.objects() if isinstance(o, Literal) and o.datatype in _CANONICALIZED
            and o.datatype != XSD.integer}


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.name)
def test_store_validation_equals_graph_validation(case: Case) -> None:
    broken = case.graph()
    on_store = _rows(validate_store(_store(broken)))
    on_graph = _rows(validate_graph(broken, with_vocabulary=False))
    # a store cannot hold a derived numeric datatype: only the results about such a literal may be missing
    # there (the pipeline writes xsd:integer; tests/test_ntriples.py checks the exact lexical forms)
    lost = _canonicalized(broken)
    assert on_store == [r for r in on_graph if r[4] not in lost]
    assert lost or on_store == on_graph


@pytest.mark.parametrize("batch", [None, 1, 3])
@pytest.mark.parametrize("case", CASES, ids=lambda c: c.name)
def test_validating_around_the_change_finds_everything(case: Case, batch: int | None,
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    """… whether the focus nodes' neighbourhoods are copied out all at once or a few nodes at a time."""
    if batch is not None:
        monkeypatch.setattr(validate_store_module, "FOCUS_BATCH", batch)
    broken = case.graph()
    store = _store(broken)
    changed = _changed(valid_graph(), broken)
    assert changed, "a broken case changes something"
    focus = focus_of_change(store, changed)
    full = validate_store(store)
    assert full.findings or _canonicalized(broken)
    assert _rows(validate_store(store, focus)) == _rows(full)


def _subjects(g: Graph) -> list[tuple[str, list[str]]]:
    lines: dict[str, list[str]] = {}
    for s, p, o in g:
        lines.setdefault(str(s), []).append(f"{s.n3()} {p.n3()} {o.n3()} .\n")
    return sorted((s, sorted(v)) for s, v in lines.items())


@pytest.mark.parametrize("share", [10**9, 1])
def test_a_delta_validates_around_the_change_or_the_whole_store(tmp_path, monkeypatch, share: int) -> None:
    """A delta build checks the neighbourhoods of the change, unless the change reaches more than
    1/WHOLE_GRAPH_SHARE of the subjects: then the whole store, which is cheaper. Both find the same."""
    from docgraph import store_write

    case = next(c for c in CASES if c.name == "number-differs-from-symbol")
    monkeypatch.setattr(store_write, "WHOLE_GRAPH_SHARE", share)
    first = store_write.write_generation(tmp_path, _subjects(valid_graph()), {})
    assert first.mode == "scratch" and first.report is not None and first.report.conforms
    out = store_write.write_generation(tmp_path, _subjects(case.graph()), {})
    assert out.mode == "delta" and out.report is not None and not out.report.conforms
    assert (out.focus == out.subjects) is (share > 1)  # whole store, or only around the change
    assert _rows(out.report) == _rows(validate_store(_store(case.graph())))


@pytest.mark.parametrize(("query", "expected", "inward"), [
    ("SELECT ?this WHERE { ?this <http://x/p> ?o }", {"http://x/p"}, False),
    ("SELECT ?this WHERE { ?this <http://x/p>/^<http://x/q> ?o . ?o a <http://x/C> }",
     {"http://x/p", "http://x/q", "http://x/C"}, True),
    ("SELECT ?this WHERE { ?this (<http://x/p>|<http://x/r>)* ?o }", {"http://x/p", "http://x/r"}, False),
    ("SELECT ?this WHERE { OPTIONAL { SELECT ?this (COUNT(?v) AS ?n) WHERE { ?this <http://x/p> ?v } "
     "GROUP BY ?this } }", {"http://x/p"}, False),
    ("SELECT ?this WHERE { ?this ?rel ?o . FILTER(?rel IN (<http://x/p>, <http://x/q>)) }",
     {"http://x/p", "http://x/q"}, False),
    ("SELECT ?this WHERE { ?this a <http://x/C> . FILTER NOT EXISTS { ?x <http://x/p> ?this } }",
     {"http://x/p", "http://x/C"}, True),  # pointed at: inside an EXISTS too
    ("SELECT $this WHERE { ?x <http://x/p> $this }", {"http://x/p"}, True),
    ("SELECT $this WHERE { $this <http://x/p>+ $this }", {"http://x/p"}, False),  # a cycle: read going forward
    ("SELECT ?this WHERE { ?this <http://x/p> ?o . ?x <http://x/q> ?o }", {"http://x/p", "http://x/q"}, False),
    ("SELECT ?this WHERE { ?this ?p ?o }", None, False),  # any predicate
    ("SELECT ?this WHERE { ?this !<http://x/p> ?o }", None, True),  # any but one, either way
    ("SELECT ?this WHERE { ?this <http://x/p> ?x . ?x ?p ?o . FILTER(?p != <http://x/q>) }", None, False),
    ("SELECT ?this WHERE { ?this <http://x/p> ?x . FILTER EXISTS { ?x <http://x/q> ?y ; ?p ?o } }", None, False),
])
def test_a_check_reads_the_predicates_it_names(query: str, expected: set[str] | None, inward: bool) -> None:
    from docgraph.validate_store import query_reads

    rdf_type = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"  # "a" is always read
    reads = query_reads(query)
    assert reads.predicates == (None if expected is None else frozenset(expected | {rdf_type}))
    assert reads.incoming is inward


def test_the_shapes_read_dates_and_links_but_not_mention_counts_nor_inward() -> None:
    from docgraph.namespaces import DG, ELI
    from docgraph.validate_store import check_reads

    shaped, incoming, _hops, _closure = check_reads()
    assert shaped is not None
    assert {str(DG.implements), str(DG.continues), str(ELI.date_document), "http://www.w3.org/ns/oa#exact"} <= shaped
    assert str(DG.mentionCount) not in shaped
    assert incoming is False  # so a neighbourhood leaves out what points at a focus node


@pytest.mark.parametrize(("query", "hops", "closure"), [
    ("SELECT ?this WHERE { ?this <http://x/p> ?o }", 0, set()),  # the focus node's own triples
    ("SELECT ?this WHERE { ?this <http://x/p> ?v . ?v a <http://x/C> }", 1, set()),  # what it points at
    ("SELECT ?this WHERE { ?this <http://x/p>/<http://x/q> ?v . ?v <http://x/r> ?w }", 2, set()),
    ("SELECT ?this WHERE { ?this <http://x/p> ?v . FILTER EXISTS { ?v <http://x/q> ?w . ?w a ?k } }", 2, set()),
    ("SELECT ?this WHERE { ?this <http://x/p>|(<http://x/q>/<http://x/r>) ?v }", 1, set()),
    ("SELECT $this WHERE { $this <http://x/p>+ $this }", 0, {"http://x/p"}),  # a cycle: the chain to its end
    ("SELECT $this WHERE { $this (<http://x/p>|<http://x/q>)* $this }", 0, {"http://x/p", "http://x/q"}),
    # otherwise: as far as a neighbourhood went before it was worked out (DEFAULT_HOPS)
    ("SELECT ?this WHERE { ?this <http://x/p>+ ?v . ?v a <http://x/C> }", 2, set()),
    ("SELECT ?this WHERE { ?this <http://x/p> ?v . ?w <http://x/q> ?v }", 2, set()),
    ("SELECT ?this WHERE { ?this <http://x/p> ?v . ?v <http://x/p> ?this }", 1, set()),
    ("SELECT ?this WHERE { ?this <http://x/p> ?v . ?v <http://x/p> ?w . ?w <http://x/p> ?v }", 2, set()),
])
def test_a_check_reads_so_far_out(query: str, hops: int, closure: set[str]) -> None:
    from docgraph.validate_store import query_reads

    reads = query_reads(query)
    assert (reads.hops, reads.closure) == (hops, frozenset(closure))


def test_the_shapes_read_one_step_out_and_sub_organizations_to_the_end() -> None:
    from docgraph.validate_store import check_reads

    reads = check_reads()
    assert (reads.hops, reads.closure) == (1, frozenset({"http://www.w3.org/ns/org#subOrganizationOf"}))


def test_a_long_cycle_of_sub_organizations_is_found_around_the_change() -> None:
    """org:subOrganizationOf+ reads as far as the chain goes: around one body of a cycle of six, the
    neighbourhood follows it to the end and finds what the whole store finds. Two steps out, as every
    neighbourhood went before, it did not."""
    from docgraph.validate_store import CheckReads, check_reads

    g = Graph()
    for t in valid_graph():  # a copy: the fixture's graph is shared
        g.add(t)
    org = "https://w3id.org/docgraph/id/org/x/"
    ring = [URIRef(f"{org}{i}") for i in range(6)]
    for i, o in enumerate(ring):
        g.parse(data=f"<{o}> a <http://www.w3.org/ns/org#Organization> ; "
                     f"<http://www.w3.org/ns/org#subOrganizationOf> <{ring[(i + 1) % 6]}> .", format="turtle")
    store = _store(g)
    whole = [r for r in _rows(validate_store(store)) if r[1] == str(ring[0])]
    assert any(r[0].endswith("#SubOrganizationCycle") for r in whole)
    assert _rows(validate_store(store, [str(ring[0])])) == whole
    old = CheckReads(check_reads().predicates, True)  # two steps out, nothing followed further
    assert not any(r[0].endswith("#SubOrganizationCycle") for r in _rows(validate_store(store, [str(ring[0])], old)))


def test_a_check_that_reads_inward_gets_what_points_at_the_focus(monkeypatch) -> None:
    """Should a shape read the triples pointing at its focus node, the neighbourhood copies them: a node
    pointed at is found around the change as on the whole store; without them it would be missed."""
    from docgraph.validate import SparqlCheck
    from docgraph.validate_store import CheckReads

    check = SparqlCheck(URIRef("urn:shape"), "Violation", "pointed at",
                        "SELECT DISTINCT ?this WHERE { ?this a <http://x/C> . ?x <http://x/p> ?this }")
    monkeypatch.setattr(validate_store_module, "_split_shapes", lambda: (Graph(), (check,)))
    monkeypatch.setattr(validate_store_module, "has_constraints", lambda rest: False)
    validate_store_module.check_reads.cache_clear()
    try:
        assert validate_store_module.check_reads().incoming is True
        store = ox.Store()
        store.load(input=b"<http://x/a> <http://x/p> <http://x/b> .\n"
                         b"<http://x/b> <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> <http://x/C> .\n",
                   format=ox.RdfFormat.N_TRIPLES)
        whole = validate_store(store)
        assert [f.focus for f in whole.findings] == ["http://x/b"]
        assert _rows(validate_store(store, ["http://x/b"])) == _rows(whole)
        assert validate_store(store, ["http://x/b"], CheckReads(None, False, 1)).findings == []
    finally:
        validate_store_module.check_reads.cache_clear()


def test_a_datatype_check_reads_its_path_though_its_query_names_only_the_targets(monkeypatch) -> None:
    """An integer check's query selects the targets; validate_store reads the path's values itself."""
    from docgraph.validate import SparqlCheck

    oa_start = URIRef("http://www.w3.org/ns/oa#start")
    check = SparqlCheck(URIRef("urn:shape"), "Violation", "m",
                        "SELECT DISTINCT ?this WHERE { ?this a <http://www.w3.org/ns/oa#TextPositionSelector> }",
                        path=oa_start, datatype=XSD.integer)
    monkeypatch.setattr(validate_store_module, "_split_shapes", lambda: (Graph(), (check,)))
    monkeypatch.setattr(validate_store_module, "has_constraints", lambda rest: False)
    validate_store_module.check_reads.cache_clear()
    try:
        shaped = validate_store_module.check_reads().predicates
    finally:
        validate_store_module.check_reads.cache_clear()
    assert shaped is not None and str(oa_start) in shaped


def _edited(old: str, new: str) -> Graph:
    g = Graph()
    g.parse(data=valid_graph().serialize(format="nt").replace(old, new), format="nt")
    return g


@pytest.mark.parametrize(("old", "new", "quiet"), [
    ('<https://w3id.org/docgraph/def#mentionCount> "3"', '<https://w3id.org/docgraph/def#mentionCount> "4"', True),
    ('"2014-09-22"', '"2014-09-23"', False),  # the date a citing document is checked against
])
def test_a_delta_that_changes_what_no_check_reads_validates_nothing(tmp_path, old: str, new: str,
                                                                     quiet: bool) -> None:
    """102-KL/TW's mention count changes when new files cite it: no check reads it, so neither the node nor
    the documents and statements pointing at it are validated again. Its date is read: they are."""
    from docgraph import store_write

    kl = "https://w3id.org/docgraph/id/doc/tw/102-kl/2014"
    edited = _edited(old, new)
    assert _changed(valid_graph(), edited) == {kl}
    first = store_write.write_generation(tmp_path, _subjects(valid_graph()), {})
    assert first.mode == "scratch" and first.report is not None and first.report.conforms
    out = store_write.write_generation(tmp_path, _subjects(edited), {})
    assert out.mode == "delta" and out.changed == [kl] and out.report is not None and out.report.conforms
    assert out.quiet == ({kl} if quiet else set())
    citing = "https://w3id.org/docgraph/id/doc/tw/158-tb/2020"
    store = ox.Store.read_only(str(tmp_path / "current" / "oxigraph"))
    assert (out.focus == 0) is quiet
    assert (citing in focus_of_change(store, out.changed, out.quiet)) is not quiet
    assert _rows(validate_store(store)) == []  # and the whole store agrees


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.name)
def test_every_broken_case_as_a_delta_finds_what_the_whole_store_finds(tmp_path, case: Case) -> None:
    """The quiet subjects a delta leaves out (see the test above) never hide a result: each broken case,
    written as a delta over the valid fixture, reports what validating the whole store reports."""
    from docgraph import store_write

    first = store_write.write_generation(tmp_path, _subjects(valid_graph()), {})
    assert first.report is not None and first.report.conforms
    out = store_write.write_generation(tmp_path, _subjects(case.graph()), {})
    assert out.mode == "delta" and out.report is not None
    assert _rows(out.report) == _rows(validate_store(_store(case.graph())))


def test_a_store_keeps_what_the_checks_read(tmp_path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Working out the predicates parses every check (2.2 s): the first delta keeps the answer in its
    generation, and the next delta reads it there, while the checks are the same."""
    from docgraph import store_write
    from docgraph import validate_store as vs

    store_write.write_generation(tmp_path, _subjects(valid_graph()), {})
    count = _edited('def#mentionCount> "3"', 'def#mentionCount> "4"')
    first = store_write.write_generation(tmp_path, _subjects(count), {})
    assert first.quiet and (tmp_path / "current" / store_write.SHAPED).exists()

    def parse_nothing(query: str) -> None:
        raise AssertionError("the kept predicates were not used")

    def compile_nothing() -> None:
        raise AssertionError("the kept checks were not used")

    vs.check_reads.cache_clear()
    monkeypatch.setattr(vs, "query_reads", parse_nothing)
    monkeypatch.setattr(vs, "_split_shapes", compile_nothing)
    again = store_write.write_generation(tmp_path, _subjects(_edited('def#mentionCount> "3"', 'def#mentionCount> "5"')),
                                         {})
    assert again.quiet == first.quiet and again.focus == 0
    # the kept checks find what the compiled ones find: a broken date in a document validated around it
    broken = store_write.write_generation(tmp_path, _subjects(_edited('"2014-09-22"', '"2014-19-22"')), {})
    assert broken.report is not None and not broken.report.conforms
    monkeypatch.undo()
    assert _rows(broken.report) == _rows(validate_store(_store(_edited('"2014-09-22"', '"2014-19-22"'))))
    monkeypatch.setattr(vs, "query_reads", parse_nothing)
    # other checks: the kept answer is not theirs, so it is worked out again
    monkeypatch.setattr(store_write, "checks_key", lambda: "other checks")
    with pytest.raises(AssertionError, match="kept predicates were not used"):
        store_write.write_generation(tmp_path, _subjects(count), {})
    vs.check_reads.cache_clear()


def test_the_kept_predicates_are_found_again_by_another_process() -> None:
    """The key the predicates are kept under is the same in every process (hash seeds differ, and with them
    the order of sets the compiled queries are written from)."""
    import os
    import subprocess
    import sys

    from docgraph import validate_store as vs

    code = "from docgraph.validate_store import checks_key; print(checks_key())"
    keys = {subprocess.run([sys.executable, "-c", code], env={**os.environ, "PYTHONHASHSEED": seed},
                           capture_output=True, text=True, check=True).stdout.strip() for seed in ("1", "2", "3")}
    assert keys == {vs.checks_key()}
