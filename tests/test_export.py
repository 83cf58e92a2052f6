"""Exports are read back by a second, independent parser with the same triple count."""

from __future__ import annotations

import shutil
import subprocess
import xml.etree.ElementTree as ET
from pathlib import Path

import pyoxigraph as ox
import pytest
from rdflib import Graph

from conftest import run
from docgraph.store import Store


@pytest.mark.parametrize(("fmt", "rdflib_format", "ox_format"), [
    ("turtle", "turtle", ox.RdfFormat.TURTLE),
    ("nt", "nt", ox.RdfFormat.N_TRIPLES),
    ("xml", "xml", ox.RdfFormat.RDF_XML),
    ("jsonld", "json-ld", ox.RdfFormat.JSON_LD),
])
def test_export_reads_back_with_the_same_triples(seed_store: Path, store: Store, tmp_path: Path, fmt: str,
                                                  rdflib_format: str, ox_format: ox.RdfFormat) -> None:
    out = tmp_path / f"export.{fmt}"
    result = run("export", "--format", fmt, "-o", str(out), "--store", str(seed_store))
    assert result.exit_code == 0, result.output
    expected = len(store)
    # rdflib reads what oxigraph wrote (turtle, nt, xml); oxigraph reads what rdflib wrote (json-ld)
    g = Graph().parse(out, format=rdflib_format)
    assert len(g) == expected
    quads = list(ox.parse(path=str(out), format=ox_format))
    assert len({(q.subject, q.predicate, q.object) for q in quads}) == expected


def test_rapper_reads_the_turtle_export(seed_store: Path, store: Store, tmp_path: Path) -> None:
    if shutil.which("rapper") is None:
        pytest.skip("rapper (Debian raptor2-utils) is not installed")
    out = tmp_path / "export.ttl"
    run("export", "--format", "turtle", "-o", str(out), "--store", str(seed_store))
    proc = subprocess.run(["rapper", "-i", "turtle", "-o", "ntriples", "-q", str(out)], capture_output=True,
                          check=True)
    assert len(set(proc.stdout.decode("utf-8").splitlines())) == len(store)


def test_export_to_stdout_and_graphml(seed_store: Path) -> None:
    nt = run("export", "--format", "nt", "--store", str(seed_store)).output
    assert "<https://w3id.org/docgraph/def#continues>" in nt
    gml = run("export", "--format", "graphml", "--store", str(seed_store)).output
    root = ET.fromstring(gml)
    ns = {"g": "http://graphml.graphdrawing.org/xmlns"}
    assert len(root.findall(".//g:node", ns)) >= 17 and root.findall(".//g:edge", ns)


def test_turtle_export_is_isomorphic_to_the_store(seed_store: Path, store: Store, tmp_path: Path) -> None:
    from rdflib.compare import graph_diff, isomorphic

    out = tmp_path / "e.ttl"
    run("export", "--format", "turtle", "-o", str(out), "--store", str(seed_store))
    a, b = Graph().parse(out), store.rdflib_graph()
    if not isomorphic(a, b):
        _both, first, second = graph_diff(a, b)
        pytest.fail(f"export differs: only in export {len(first)}, only in store {len(second)}")
