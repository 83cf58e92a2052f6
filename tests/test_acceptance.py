"""Issue #3 acceptance on the five seeds: through the CLI and through SPARQL on the built store."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from rdflib import Literal

from conftest import run
from docgraph.queries import find_document
from docgraph.store import Store

SEED = {n: f"data/{n}" for n in ("000_e8a34ee3c37c1dd0.txt", "001_bc6328374f6f14aa.txt", "002_d5e775b8c46f1c5a.txt",
                                 "003_4fc1c73c377c9078.txt", "004_fd900f5e1bd67a51.txt")}
S000, S001, S002, S003, S004 = (f"data/{n}" for n in sorted(SEED))


@pytest.fixture
def store(any_store: Any) -> Any:
    """Every SPARQL check here runs on the embedded store and on a real oxigraph server."""
    return any_store


@pytest.fixture(params=["embedded", "server"])
def store_arg(request: pytest.FixtureRequest, seed_store: Path) -> str:
    """--store for the CLI checks: the store folder, or the SPARQL endpoint URL of a real server."""
    return str(seed_store) if request.param == "embedded" else request.getfixturevalue("oxigraph_url")


def cited(store: Any, source: str) -> dict[str, dict[str, str | None]]:
    """symbol -> facts, for every document the seed file ``source`` relates to."""
    res = store.query(
        """SELECT ?symbol ?rel ?type ?date ?issuer ?term ?province WHERE {
             ?st a dg:RelationStatement ; rdf:subject ?src ; rdf:predicate ?p ; rdf:object ?d .
             ?src dg:sourceFile ?file . ?d dg:symbol ?symbol .
             BIND(STRAFTER(STR(?p), "#") AS ?rel)
             OPTIONAL { ?d eli:type_document/skos:prefLabel ?type FILTER(LANG(?type) = "vi") }
             OPTIONAL { ?d eli:date_document ?date }
             OPTIONAL { ?d eli:passed_by/skos:prefLabel ?issuer }
             OPTIONAL { ?d dg:partyTerm/dg:romanNumeral ?term }
             OPTIONAL { ?d dg:province/skos:prefLabel ?province }
           }""",
        {"file": __import__("rdflib").Literal(source)},
    )
    return {str(r[0]): dict(zip(res.variables[1:], (None if v is None else str(v) for v in r[1:]), strict=True))
            for r in res.rows}


def test_chain_down_from_102_kl_tw_through_158_to_the_plans(store_arg: str) -> None:
    result = run("chain", "102-KL/TW", "--down", "--store", store_arg)
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0] == "Kết luận 102-KL/TW (Kết luận, Bộ Chính trị khóa XI, 2014-09-22)", result.output
    tb = next(i for i, ln in enumerate(lines) if "Thông báo 158-TB/TW" in ln)
    assert "tiếp tục thực hiện" in lines[tb] and "Ban Bí thư" in lines[tb] and "2020-01-02" in lines[tb]
    below_158 = [ln for ln in lines[tb + 1 :] if ln.startswith(("│  ", "   "))]
    assert any("002_d5e775b8c46f1c5a" in ln and "thực hiện" in ln for ln in below_158), result.output
    assert any("001_bc6328374f6f14aa" in ln for ln in below_158), result.output


def test_chain_json_lists_each_link(seed_store: Path) -> None:
    result = run("chain", "102-KL/TW", "--format", "json", "--store", str(seed_store))
    data = json.loads(result.output)
    links = {(ln["label"], ln["relation"], ln["builds_on"].rsplit("/", 3)[-3]) for ln in data["links"]}
    assert ("Thông báo 158-TB/TW", "continues", "tw") in links
    labels = {ln["label"] for ln in data["links"]}
    assert {"Kế hoạch (002_d5e775b8c46f1c5a.txt)", "Công văn (001_bc6328374f6f14aa.txt)"} <= labels


def test_chain_up_from_seed_002_reaches_102(store_arg: str) -> None:
    for ref in (S002, "002_d5e775b8c46f1c5a"):
        result = run("chain", ref, "--up", "--store", store_arg)
        assert result.exit_code == 0, result.output
        assert "→ Thông báo 158-TB/TW" in result.output
        assert "→ Kết luận 102-KL/TW" in result.output


def test_seed_000_continues_17_and_cites_42(store: Store) -> None:
    c = cited(store, S000)
    assert c["17-CT/TW"] == {"rel": "continues", "type": "Chỉ thị", "date": "2012-08-28", "issuer": "Bộ Chính trị",
                             "term": "XI", "province": None}
    assert c["42-CT/TW"]["date"] == "1998-10-06" and c["42-CT/TW"]["term"] == "VIII"
    assert c["42-CT/TW"]["issuer"] == "Bộ Chính trị"


def test_seed_003_cites_four_documents_with_43_kl_and_43_nq_apart(store: Store) -> None:
    c = cited(store, S003)
    assert {"25-NQ/TW", "43-KL/TW", "43-NQ/TW", "11-NQ/TU"} <= set(c)
    assert c["43-NQ/TW"]["date"] == "2023-11-24" and c["43-NQ/TW"]["term"] == "XIII"
    assert c["43-KL/TW"]["type"] == "Kết luận" and c["43-NQ/TW"]["type"] == "Nghị quyết"
    assert c["11-NQ/TU"]["date"] == "2019-07-15" and c["11-NQ/TU"]["province"] == "Hà Tĩnh"
    assert find_document(store, "43-KL/TW") != find_document(store, "43-NQ/TW")
    ask = store.query("ASK { ?a dg:symbol '43-KL/TW' ; dg:continues ?b . ?b dg:symbol '25-NQ/TW' }")
    assert ask.boolean is True


@pytest.mark.parametrize(("ref", "expected"), [
    ("43-KL/TW", "43-KL/TW"),            # the symbol as written: an index lookup
    ("43-kl/tw", "43-KL/TW"),            # upper-cased: still an index lookup
    ("16/CT-TTg", "16/CT-TTg"),
    ("16/ct-ttg", "16/CT-TTg"),          # mixed-case symbol typed in lower case: the scan
    (" 25-NQ/TW ", "25-NQ/TW"),
    (S004, "file:" + S004),              # the source file path
    (Path(S004).name, "file:" + S004),   # its file name
    (Path(S004).stem, "file:" + S004),   # its stem
    ("99-XX/TW", None),
])
def test_find_document_by_symbol_file_or_stem(store: Any, ref: str, expected: str | None) -> None:
    found = find_document(store, ref)
    if expected is None:
        assert found is None
        return
    assert found is not None
    if expected.startswith("file:"):
        ask = store.query("ASK { ?d dg:sourceFile ?f }", {"d": found, "f": Literal(expected[5:])})
    else:
        ask = store.query("ASK { ?d dg:symbol ?s }", {"d": found, "s": Literal(expected)})
    assert ask.boolean is True


def test_seed_004_cites_16_ct_ttg_and_not_its_received_stamp(store: Store) -> None:
    c = cited(store, S004)
    assert c["16/CT-TTg"]["date"] == "2016-05-16" and c["16/CT-TTg"]["issuer"] == "Thủ tướng Chính phủ"
    assert store.query("ASK { ?d eli:number '2664' }").boolean is False
    received = store.query("SELECT ?r WHERE { ?d dg:sourceFile ?f ; dg:receivedDate ?r }",
                           {"f": __import__("rdflib").Literal(S004)})
    assert [str(r[0]) for r in received.rows] == ["2021-09-09"]


def test_seed_001_cites_558_tb_tu_and_118_qd_tw(store: Store) -> None:
    c = cited(store, S001)
    assert c["558-TB/TU"]["date"] == "2021-10-12" and c["558-TB/TU"]["type"] == "Thông báo"
    assert "118-QĐ/TW" in c
    assert c["158-TB/TW"]["rel"] == "implements"


def test_158_continues_102_asserted_by_the_citing_documents(store: Store) -> None:
    res = store.query("""SELECT ?file WHERE { ?st rdf:subject ?a ; rdf:predicate dg:continues ; rdf:object ?b ;
                           dg:assertedBy/dg:sourceFile ?file . ?a dg:symbol '158-TB/TW' . ?b dg:symbol '102-KL/TW' }""")
    assert {str(r[0]) for r in res.rows} == {S001, S002}


TASKS = """SELECT ?lead (GROUP_CONCAT(?co; separator="|") AS ?cos) ?deadline WHERE {
  ?t dg:assignedBy/dg:sourceFile ?file ; dg:lead/dg:nameAsWritten ?lead ; dg:task ?text .
  OPTIONAL { ?t dg:coordinator/dg:nameAsWritten ?co } OPTIONAL { ?t dg:deadline ?deadline } }
GROUP BY ?t ?lead ?deadline"""


def tasks(store: Any, source: str) -> list[tuple[str, set[str], str | None]]:
    res = store.query(TASKS, {"file": __import__("rdflib").Literal(source)})
    return [(str(r[0]), set(str(r[1]).split("|")) - {""}, None if r[2] is None else str(r[2])) for r in res.rows]


@pytest.mark.parametrize(("lead", "coordinators"), [
    ("Ban cán sự Đảng Ủy ban nhân dân tỉnh", {"Ban Tổ chức Tỉnh ủy", "các cơ quan, tổ chức có liên quan"}),
    ("Ban Tổ chức Tỉnh ủy", {"các cơ quan liên quan"}),
    ("Ban Dân vận Tỉnh ủy", {"các cơ quan chuyên trách, tham mưu giúp việc Tỉnh ủy"}),
])
def test_seed_002_chu_tri_assignments(store: Store, lead: str, coordinators: set[str]) -> None:
    assert (lead, coordinators) in [(t[0], t[1]) for t in tasks(store, S002)], tasks(store, S002)


def test_seed_002_plans_due_in_first_quarter_2020(store: Store) -> None:
    due = [t for t in tasks(store, S002) if t[2] == "2020-03-31"]
    assert len(due) == 1 and due[0][0].startswith("các huyện ủy, thành ủy"), tasks(store, S002)


def test_seed_000_ban_dan_van_leads_with_the_boards_and_office(store: Store) -> None:
    assert ("Ban Dân vận Tỉnh ủy", {"các ban của Tỉnh ủy", "Văn phòng Tỉnh ủy"}) in [
        (t[0], t[1]) for t in tasks(store, S000)]


def test_the_seed_graph_conforms(store_arg: str) -> None:
    result = run("validate", "--store", store_arg)
    assert result.exit_code == 0, result.output
    assert result.output.strip().endswith("conforms")


def test_ha_tinh_bodies_are_scoped_to_the_province(store: Store) -> None:
    res = store.query("""SELECT ?label ?parent WHERE { ?o dg:province dgp:ha-tinh ; skos:prefLabel ?label ;
                           org:subOrganizationOf/skos:prefLabel ?parent }""")
    pairs = {(str(a), str(b)) for a, b in res.rows}
    assert ("Ban Thường vụ Tỉnh ủy Hà Tĩnh", "Tỉnh ủy Hà Tĩnh") in pairs
    assert ("Ban Dân vận Tỉnh ủy Hà Tĩnh", "Tỉnh ủy Hà Tĩnh") in pairs


def test_bodies_of_an_unknown_province_are_scoped_and_flagged(store: Store) -> None:
    res = store.query("""SELECT ?file WHERE { ?o dg:nameAsWritten 'Ban Dân vận Tỉnh ủy'@vi ; dg:provinceUnknown true ;
                           dg:scopedTo/dg:sourceFile ?file }""")
    assert {str(r[0]) for r in res.rows} == {S000, S001, S002, S004}
