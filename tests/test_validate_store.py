"""Validation on the store (what a build runs) reports what validation of the rdflib graph reports, and
validating only around a change finds every result the whole-graph run finds.

Each broken case of tests/test_shapes.py is the valid fixture plus a change: the subjects whose triples
differ are what a delta build would rewrite, and ``focus_of_change`` must reach every node a shape then
judges differently.
"""

from __future__ import annotations

import pyoxigraph as ox
import pytest
from rdflib import XSD, BNode, Graph, Literal

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
