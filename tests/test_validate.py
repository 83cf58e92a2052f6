"""The pipeline's validator (pySHACL core + SHACL-SPARQL run globally on pyoxigraph) reports exactly what
pySHACL with the whole shapes graph reports, on the valid fixture and on every broken case."""

from __future__ import annotations

import pytest

from docgraph.validate import validate_graph
from test_shapes import CASES, DGSH, valid_graph


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
