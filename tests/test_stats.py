"""docgraph stats on a small synthetic store whose answers are known: lag days, most-cited order,
provinces that have not followed a document; and every CLI output format parses."""

from __future__ import annotations

import csv
import io
import json
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from click.testing import CliRunner
from rdflib import Graph

from docgraph.cli_serve import stats as stats_command
from docgraph.stats import compute, lag_summary, sections
from docgraph.store import Store, write_store

ID = "https://w3id.org/docgraph/id/"

# Central C1 (2020-01-01) and C2 (2019-06-01); C3 undated. Provinces in the corpus: Hà Nội, Huế, Cà Mau.
# a1 (Hà Nội) implements C1; a2 (a district of Hà Nội) concretizes a1, so builds on C1 through a chain;
# b1 (Huế) implements C1; c1 (Cà Mau) implements C2; b2 (Huế, undated) guides C2 and cites C1;
# x1 (Hà Nội) mentions C1 and C3 only (eli:cites, not dg:buildsOn).
TURTLE = """
@prefix dg: <https://w3id.org/docgraph/def#> . @prefix dgl: <https://w3id.org/docgraph/level/> .
@prefix dgp: <https://w3id.org/docgraph/province/> . @prefix eli: <http://data.europa.eu/eli/ontology#> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> . @prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> . @base <https://w3id.org/docgraph/id/> .

dgp:ha-noi skos:prefLabel "Hà Nội"@vi . dgp:hue skos:prefLabel "Huế"@vi . dgp:ca-mau skos:prefLabel "Cà Mau"@vi .
<org/tw/bct> skos:prefLabel "Bộ Chính trị"@vi . <org/hn/btv> skos:prefLabel "Ban Thường vụ Thành ủy Hà Nội"@vi .

<doc/C1> a dg:Document ; rdfs:label "Nghị quyết 1-NQ/TW" ; dg:level dgl:central ; dg:inCorpus false ;
    eli:date_document "2020-01-01"^^xsd:date ; eli:passed_by <org/tw/bct> .
<doc/C2> a dg:Document ; rdfs:label "Chỉ thị 2-CT/TW" ; dg:level dgl:central ; dg:inCorpus false ;
    eli:date_document "2019-06-01"^^xsd:date ; eli:passed_by <org/tw/bct> .
<doc/C3> a dg:Document ; rdfs:label "Kết luận 3-KL/TW" ; dg:level dgl:central ; dg:inCorpus false ;
    eli:passed_by <org/tw/bct> .
<doc/a1> a dg:Document ; rdfs:label "Kế hoạch a1" ; dg:level dgl:province ; dg:province dgp:ha-noi ;
    dg:inCorpus true ; eli:date_document "2020-03-01"^^xsd:date ; eli:passed_by <org/hn/btv> ;
    dg:implements <doc/C1> ; dg:buildsOn <doc/C1> ; eli:cites <doc/C1> .
<doc/a2> a dg:Document ; rdfs:label "Kế hoạch a2" ; dg:level dgl:district ; dg:province dgp:ha-noi ;
    dg:inCorpus true ; eli:date_document "2020-04-10"^^xsd:date ;
    dg:concretizes <doc/a1> ; dg:buildsOn <doc/a1> ; eli:cites <doc/a1> .
<doc/b1> a dg:Document ; rdfs:label "Kế hoạch b1" ; dg:level dgl:province ; dg:province dgp:hue ;
    dg:inCorpus true ; eli:date_document "2020-01-31"^^xsd:date ;
    dg:implements <doc/C1> ; dg:buildsOn <doc/C1> ; eli:cites <doc/C1> .
<doc/c1> a dg:Document ; rdfs:label "Kế hoạch c1" ; dg:level dgl:province ; dg:province dgp:ca-mau ;
    dg:inCorpus true ; eli:date_document "2019-07-01"^^xsd:date ;
    dg:implements <doc/C2> ; dg:buildsOn <doc/C2> ; eli:cites <doc/C2> .
<doc/b2> a dg:Document ; rdfs:label "Hướng dẫn b2" ; dg:level dgl:province ; dg:province dgp:hue ;
    dg:inCorpus true ; dg:guides <doc/C2> ; dg:buildsOn <doc/C2> ; eli:cites <doc/C2>, <doc/C1> .
<doc/x1> a dg:Document ; rdfs:label "Công văn x1" ; dg:level dgl:province ; dg:province dgp:ha-noi ;
    dg:inCorpus true ; dg:mentions <doc/C1>, <doc/C3> ; eli:cites <doc/C1>, <doc/C3> .
"""

LAG = [  # (document, central document, days, direct)
    ("a1", "C1", 60, True),
    ("a2", "C1", 100, False),
    ("b1", "C1", 30, True),
    ("c1", "C2", 30, True),
    ("b2", "C2", None, True),
]
MOST_CITED = [("Nghị quyết 1-NQ/TW", 4), ("Chỉ thị 2-CT/TW", 2), ("Kế hoạch a1", 1), ("Kết luận 3-KL/TW", 1)]
WITHOUT = [  # (root, provinces of the corpus that have not followed it)
    ("C1", ["Cà Mau"]),
    ("C2", ["Hà Nội"]),
    ("C3", ["Cà Mau", "Hà Nội", "Huế"]),
    ("a1", ["Cà Mau", "Huế"]),
]


@pytest.fixture(scope="module")
def synthetic(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("synthetic") / "dg"
    write_store(path, [Graph().parse(data=TURTLE, format="turtle")], {"source": "test_stats"})
    return path


@pytest.mark.parametrize(("doc", "central", "days", "direct"), LAG)
def test_lag_days(synthetic: Path, doc: str, central: str, days: int | None, direct: bool) -> None:
    rows = [r for r in compute(Store(synthetic)).lag if r.document == ID + "doc/" + doc]
    assert [(r.central, r.days, r.direct) for r in rows] == [(ID + "doc/" + central, days, direct)], (doc, rows)


def test_lag_leaves_out_mentions_and_central_documents(synthetic: Path) -> None:
    docs = {r.document.rsplit("/", 1)[-1] for r in compute(Store(synthetic)).lag}
    assert docs == {d for d, *_ in LAG}


def test_lag_summary(synthetic: Path) -> None:
    summary = {s["label"]: s for s in lag_summary(compute(Store(synthetic)).lag)}
    c1 = summary["Nghị quyết 1-NQ/TW"]
    assert (c1["documents"], c1["dated"], c1["min_days"], c1["median_days"], c1["max_days"]) == (3, 3, 30, 60, 100)
    c2 = summary["Chỉ thị 2-CT/TW"]
    assert (c2["documents"], c2["dated"], c2["min_days"], c2["max_days"]) == (2, 1, 30, 30)


def test_most_cited_order(synthetic: Path) -> None:
    rows = compute(Store(synthetic)).most_cited
    assert [(r.label, r.cited_by) for r in rows] == MOST_CITED
    ranks = {r.label: r.pagerank for r in rows}
    assert ranks["Nghị quyết 1-NQ/TW"] > ranks["Chỉ thị 2-CT/TW"] > 0
    # a1 and C3 are both cited once: a1 by a2 alone, C3 by x1, which shares its vote with C1
    assert ranks["Kế hoạch a1"] > ranks["Kết luận 3-KL/TW"]


@pytest.mark.parametrize(("root", "expected"), WITHOUT)
def test_provinces_without(synthetic: Path, root: str, expected: list[str]) -> None:
    st = compute(Store(synthetic), ID + "doc/" + root)
    assert [p["name"] for p in st.provinces_without] == expected, root


def test_followers_of_c1(synthetic: Path) -> None:
    st = compute(Store(synthetic), ID + "doc/C1")
    assert [(f["label"], f["province"], f["date"]) for f in st.followers] == [
        ("Kế hoạch b1", "Huế", "2020-01-31"), ("Kế hoạch a1", "Hà Nội", "2020-03-01"),
        ("Kế hoạch a2", "Hà Nội", "2020-04-10")]


def test_unknown_root(synthetic: Path) -> None:
    with pytest.raises(LookupError):
        compute(Store(synthetic), "999-NQ/TW")


def test_sections_are_rectangular(synthetic: Path) -> None:
    for name, (headers, rows) in sections(compute(Store(synthetic), ID + "doc/C1")).items():
        assert all(len(r) == len(headers) for r in rows), name


# -- the CLI --------------------------------------------------------------------------------------
def run(*args: str):  # type: ignore[no-untyped-def]
    return CliRunner().invoke(stats_command, list(args), catch_exceptions=False)


def test_cli_json(synthetic: Path) -> None:
    r = run("--store", str(synthetic), "--format", "json", "--root", ID + "doc/C1")
    assert r.exit_code == 0, r.output
    data = json.loads(r.output)
    assert [p["name"] for p in data["provinces_without"]] == ["Cà Mau"]
    assert {row["days"] for row in data["lag"]} == {60, 100, 30, None}


def test_cli_csv_one_section(synthetic: Path) -> None:
    r = run("--store", str(synthetic), "--format", "csv", "--section", "most-cited")
    assert r.exit_code == 0, r.output
    rows = list(csv.DictReader(io.StringIO(r.output)))
    assert [(row["label"], int(row["cited_by"])) for row in rows] == MOST_CITED


def test_cli_csv_all_sections(synthetic: Path) -> None:
    r = run("--store", str(synthetic), "--format", "csv", "--root", ID + "doc/C2")
    assert r.exit_code == 0, r.output
    blocks = {}
    for block in r.output.strip().split("\n\n"):
        title, _, body = block.partition("\n")
        assert title.startswith("# "), block
        blocks[title[2:]] = list(csv.DictReader(io.StringIO(body)))
    assert list(blocks) == ["by-body-year", "lag", "lag-summary", "most-cited", "followers", "provinces-without"]
    assert [p["name"] for p in blocks["provinces-without"]] == ["Hà Nội"]
    assert {(b["body"], b["year"], b["documents"]) for b in blocks["by-body-year"]} >= {("Bộ Chính trị", "2020", "1")}


def test_cli_tsv_and_table(synthetic: Path) -> None:
    r = run("--store", str(synthetic), "--format", "tsv", "--section", "lag")
    rows = list(csv.DictReader(io.StringIO(r.output), delimiter="\t"))
    assert sorted(int(x["days"]) for x in rows if x["days"]) == [30, 30, 60, 100]
    r = run("--store", str(synthetic))
    assert r.exit_code == 0 and "== most-cited" in r.output and "Nghị quyết 1-NQ/TW" in r.output


def test_cli_plot_svg(synthetic: Path, tmp_path: Path) -> None:
    out = tmp_path / "stats.svg"
    r = run("--store", str(synthetic), "--plot", str(out), "--section", "lag-summary")
    assert r.exit_code == 0, r.output
    root = ET.parse(out).getroot()
    assert root.tag == "{http://www.w3.org/2000/svg}svg"
    texts = "".join(root.itertext())
    assert "Kế hoạch a2 ← Nghị quyết 1-NQ/TW" in texts and "100 days" in texts


def test_cli_plot_png(synthetic: Path, tmp_path: Path) -> None:
    pytest.importorskip("matplotlib")
    out = tmp_path / "stats.png"
    r = run("--store", str(synthetic), "--plot", str(out), "--section", "lag-summary")
    assert r.exit_code == 0, r.output
    assert out.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


@pytest.mark.parametrize("args", [
    ["--root", "999-NQ/TW"],
    ["--section", "provinces-without"],
    ["--plot", "stats.pdf"],
])
def test_cli_bad_input(synthetic: Path, args: list[str]) -> None:
    r = CliRunner().invoke(stats_command, ["--store", str(synthetic), *args])
    assert r.exit_code == 2, r.output
    assert "docgraph:" in r.output and "Traceback" not in r.output


def test_cli_on_the_seeds(seed_store: Path) -> None:
    r = run("--store", str(seed_store), "--format", "json", "--root", "158-TB/TW")
    assert r.exit_code == 0, r.output
    data = json.loads(r.output)
    assert data["most_cited"][0]["cited_by"] >= 2
    assert [p["name"] for p in data["provinces_without"]] == ["Hà Tĩnh"]
