"""The 2025 reorganisation: a 2021 task of a Ban Dân vận is followed to today's successor body."""

from __future__ import annotations

from rdflib import Graph

from docgraph.namespaces import PREFIXES
from docgraph.parse import parse_text
from docgraph.resolve import resolve
from docgraph.triples import corpus_graph

PLAN = ("KẾ HOẠCH\n\nthực hiện Chỉ thị số 05-CT/TW ngày 15/5/2016 của Bộ Chính trị\n\n"
        "1- Ban Dân vận Tỉnh ủy chủ trì, phối hợp với Văn phòng Tỉnh ủy theo dõi, đôn đốc việc thực hiện "
        "Kế hoạch này.\n")
DISTRICT = ("KẾ HOẠCH\n\n1- Ban Tuyên giáo Huyện ủy chủ trì, phối hợp với Văn phòng Huyện ủy tổ chức quán triệt "
            "Chỉ thị số 05-CT/TW.\n")


def graph(*docs: tuple[str, str, str]) -> Graph:
    parsed = [parse_text(text, name, {"province": province, "date": "2021-03-02", "type": "Kế hoạch",
                                       "issuer": "Ban Thường vụ Tỉnh ủy"}) for name, text, province in docs]
    return corpus_graph(resolve(parsed))


def successors(g: Graph) -> set[tuple[str, str, str]]:
    q = open("queries/successor-bodies.rq", encoding="utf-8").read()
    head = "".join(f"PREFIX {p}: <{ns}>\n" for p, ns in PREFIXES.items())
    return {(str(a), str(b), str(c)) for a, b, c in g.query(head + q)}


def test_ban_dan_van_of_a_merged_province_ends_in_the_merged_board_of_the_new_province() -> None:
    g = graph(("bac-giang.txt", PLAN, "Bắc Giang"))
    merged_board = ("Ban Dân vận Tỉnh ủy Bắc Giang", "Ban Tuyên giáo và Dân vận Tỉnh ủy Bắc Ninh", "2025-07-01")
    assert merged_board in successors(g)
    assert ("Văn phòng Tỉnh ủy Bắc Giang", "Văn phòng Tỉnh ủy Bắc Ninh", "2025-07-01") in successors(g)


def test_unchanged_province_keeps_its_bodies_but_merges_its_boards() -> None:
    g = graph(("ha-tinh.txt", PLAN, "Hà Tĩnh"))
    found = successors(g)
    assert ("Ban Dân vận Tỉnh ủy Hà Tĩnh", "Ban Tuyên giáo và Dân vận Tỉnh ủy Hà Tĩnh", "2025-02") in found
    assert not any(body.startswith("Văn phòng Tỉnh ủy Hà Tĩnh") for body, _, _ in found)


def test_district_bodies_end_without_successor() -> None:
    g = graph(("district.txt", DISTRICT, "Nghệ An"))
    ended = g.query("""PREFIX org: <http://www.w3.org/ns/org#> PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
        PREFIX dcterms: <http://purl.org/dc/terms/>
        SELECT ?label ?date WHERE { ?b skos:prefLabel ?label ; org:changedBy ?e . ?e dcterms:date ?date
                                    FILTER NOT EXISTS { ?e org:resultingOrganization ?x } }""")
    assert {(str(a), str(b)) for a, b in ended} >= {("Ban Tuyên giáo Huyện ủy Nghệ An", "2025-07-01")}
