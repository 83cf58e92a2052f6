"""The HTML view, checked as text (no browser): offline, escaped, trimmed and laid out as asked."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import networkx as nx
import pytest

from docgraph.view import render_view, script_json, select_subgraph

ID = "https://w3id.org/docgraph/id/"
KL102 = ID + "doc/tw/102-kl/2014"
TB158 = ID + "doc/tw/158-tb/2020"
PLAN = ID + "doc/file/002_d5e775b8c46f1c5a"
PLAN2 = ID + "doc/huyen-can-loc/7-kh/2020"
LEAD = ID + "org/ha-tinh/ban-to-chuc-tinh-uy"
HELPER = ID + "group/cac-co-quan-lien-quan"
HOSTILE = "</script><script>alert(1)</script><img src=x onerror=alert(2)>"


def chain() -> nx.MultiDiGraph:
    """102-KL/TW <- 158-TB/TW <- Kế hoạch <- Kế hoạch (huyện), with two bodies assigned by the plan."""
    g = nx.MultiDiGraph()
    g.add_node(KL102, kind="document", label="102-KL/TW", symbol="102-KL/TW", type="Kết luận",
               date="2014-09-22", issuer="Bộ Chính trị", level="central", in_corpus=False)
    g.add_node(TB158, kind="document", label="158-TB/TW", symbol="158-TB/TW", type="Thông báo",
               date="2020-01-02", issuer="Ban Bí thư", level="central", in_corpus=False, title=HOSTILE)
    g.add_node(PLAN, kind="document", label="Kế hoạch (002_d5e…)", type="Kế hoạch", level="province",
               province="Hà Tĩnh", in_corpus=True, source_file="data/002_d5e775b8c46f1c5a.txt")
    g.add_node(PLAN2, kind="document", label="7-KH/HU", type="Kế hoạch", level="district", in_corpus=True)
    g.add_node(LEAD, kind="body", label="Ban Tổ chức Tỉnh ủy", level="province")
    g.add_node(HELPER, kind="body", label="các cơ quan liên quan", level=None)
    g.add_edge(TB158, KL102, kind="relation", relation="continues", relation_label="tiếp tục thực hiện",
               asserted_by_label="Kế hoạch (002_d5e…)", sentence="… tiếp tục thực hiện Kết luận 102 …",
               quote="Kết luận 102", source_file="data/002_d5e775b8c46f1c5a.txt")
    g.add_edge(PLAN, TB158, kind="relation", relation="implements", relation_label="thực hiện",
               asserted_by_label="Kế hoạch (002_d5e…)", sentence="Thực hiện Thông báo số 158-TB/TW …",
               quote="Thông báo số 158-TB/TW", source_file="data/002_d5e775b8c46f1c5a.txt")
    g.add_edge(PLAN2, PLAN, kind="relation", relation="implements", relation_label="thực hiện",
               asserted_by_label="7-KH/HU", sentence="Thực hiện Kế hoạch …", quote="Kế hoạch")
    g.add_edge(LEAD, PLAN, kind="lead", task="xây dựng quy định", deadline="2020-03-31")
    g.add_edge(HELPER, PLAN, kind="coordinator", task="xây dựng quy định", deadline=None)
    return g


def data_of(page: str) -> dict[str, Any]:
    match = re.search(r'<script id="dg-data" type="application/json">(.*?)</script>', page, re.S)
    assert match, "no data block in the page"
    return json.loads(match.group(1))


def decoded(data: dict[str, Any]) -> tuple[dict[str, dict[str, Any]], list[dict[str, Any]]]:
    """The data block's columns back as ``({iri: node fields}, [edge fields])``."""
    strings = data["strings"]

    def rows(columns: dict[str, list[Any]], text: set[str]) -> list[dict[str, Any]]:
        count = len(next(iter(columns.values())))
        return [{f: (strings[col[i]] if col[i] >= 0 else None) if f in text else col[i] for f, col in columns.items()}
                for i in range(count)]

    nodes = rows(data["nodes"], set(data["nodes"]) - {"body", "in_corpus", "rank", "x", "y"})
    edges = rows(data["edges"], set(data["edges"]) - {"from", "to"})
    iris = [n["iri"] for n in nodes]
    for e in edges:
        e["from"], e["to"] = iris[e["from"]], iris[e["to"]]
    return {n["iri"]: n for n in nodes}, edges


def node_ids(page: str) -> set[str]:
    return set(decoded(data_of(page))[0])


def test_no_external_urls() -> None:
    page = render_view(chain(), None, show_assignments=True)
    external = re.findall(r"""\b(?:src|href)\s*=\s*["']?\s*(?:https?:)?//""", page, re.I)
    assert external == []
    assert "<link" not in page.lower()
    assert re.search(r"<script[^>]*\bsrc\s*=", page, re.I) is None
    assert "vis.Network" in page and "vis-network" in page  # the library itself is inline


def test_data_json_holds_the_nodes_and_edges() -> None:
    nodes, edges = decoded(data_of(render_view(chain(), None)))
    assert set(nodes) == {KL102, TB158, PLAN, PLAN2, LEAD, HELPER}  # bodies too: the page switches that layer
    assert nodes[KL102]["label"] == "102-KL/TW" and nodes[TB158]["label"] == "158-TB/TW"
    assert nodes[PLAN]["province"] == "Hà Tĩnh" and nodes[PLAN]["in_corpus"] == 1 and nodes[PLAN]["body"] == 0
    assert nodes[LEAD]["body"] == 1
    edge = next(e for e in edges if e["from"] == PLAN and e["to"] == TB158)
    assert edge["relation_label"] == "thực hiện" and edge["kind"] == "relation"
    assert edge["quote"] == "Thông báo số 158-TB/TW"
    assert edge["asserted_by_label"] == "Kế hoạch (002_d5e…)"
    lead = next(e for e in edges if e["from"] == LEAD)
    assert (lead["kind"], lead["to"], lead["task"]) == ("lead", PLAN, "xây dựng quy định")
    assert lead["deadline"] == "2020-03-31"


def test_strings_are_stored_once() -> None:
    data = data_of(render_view(chain(), None))
    assert len(data["strings"]) == len(set(data["strings"]))
    assert data["strings"].count("Kế hoạch (002_d5e…)") == 1  # a label and two asserted_by_label values
    assert "title" not in data["nodes"] or all(isinstance(i, int) for i in data["nodes"]["title"])


def test_hostile_text_cannot_leave_the_data_block() -> None:
    page = render_view(chain(), None, title="<b>Tiêu đề</b>")
    assert HOSTILE not in page
    assert "<img src=x" not in page
    assert page.lower().count("</script") == 3  # only the page's own three script elements close
    assert "\\u003c/script\\u003e" in page
    assert decoded(data_of(page))[0][TB158]["title"] == HOSTILE  # the data survives as text
    assert "<title>&lt;b&gt;Tiêu đề&lt;/b&gt;</title>" in page
    view_js = re.sub(r"//[^\n]*", "", page.split("<script>")[-1])  # the code of view.js, comments left out
    assert "function render" in view_js
    assert "innerHTML" not in view_js and "insertAdjacentHTML" not in view_js and "document.write" not in view_js
    assert "javascript:" not in view_js


def test_script_json_escapes_line_separators_and_markup() -> None:
    text = script_json({"s": "a\u2028b\u2029c<>&"})
    assert text == '{"s":"a\\u2028b\\u2029c\\u003c\\u003e\\u0026"}'
    assert json.loads(text) == {"s": "a\u2028b\u2029c<>&"}


@pytest.mark.parametrize(
    ("depth", "chain_only", "expected"),
    [(0, False, {TB158}), (1, False, {KL102, TB158, PLAN}), (2, False, {KL102, TB158, PLAN, PLAN2}),
     (None, False, {KL102, TB158, PLAN, PLAN2}), (None, True, {KL102, TB158, PLAN, PLAN2}),
     (1, True, {KL102, TB158, PLAN})],
)
def test_select_subgraph_keeps_the_ego_network(depth: int | None, chain_only: bool, expected: set[str]) -> None:
    assert set(select_subgraph(chain(), focus=TB158, depth=depth, chain_only=chain_only)) == expected


def test_chain_only_drops_siblings() -> None:
    g = chain()
    sibling = ID + "doc/sibling"
    g.add_node(sibling, kind="document", label="sibling", level="province", in_corpus=True)
    g.add_edge(sibling, KL102, kind="relation", relation="implements", relation_label="thực hiện")
    assert sibling in select_subgraph(g, focus=TB158, depth=2)  # TB158 -> KL102 <- sibling
    assert sibling not in select_subgraph(g, focus=TB158, depth=2, chain_only=True)
    with_bodies = select_subgraph(g, focus=TB158, depth=1, show_assignments=True)
    assert {LEAD, HELPER} <= set(with_bodies) and with_bodies.has_edge(LEAD, PLAN)


def test_focus_is_the_initial_state_of_the_page() -> None:
    data = data_of(render_view(chain(), None, focus=TB158, depth=1, show_assignments=True, chain_only=True))
    assert data["initial"] == {"focus": TB158, "depth": 1, "assignments": True, "layout": "auto", "chainOnly": True,
                               "groupBy": "issuer"}
    assert data["mode"] == "graph"


def test_focus_errors_are_clear() -> None:
    with pytest.raises(ValueError, match="not in the graph"):
        render_view(chain(), None, focus=ID + "doc/none")
    with pytest.raises(ValueError, match="body, not a document"):
        render_view(chain(), None, focus=LEAD)
    with pytest.raises(ValueError, match="depth"):
        render_view(chain(), None, focus=TB158, depth=-1)
    with pytest.raises(ValueError, match="layout"):
        render_view(chain(), None, layout="circle")


def test_styles_cover_levels_and_assignment_kinds() -> None:
    styles = data_of(render_view(chain(), None))["styles"]
    assert [lv["key"] for lv in styles["levels"]] == ["central", "province", "district", "commune", "unknown"]
    assert len({lv["border"] for lv in styles["levels"]}) == 5
    assert styles["edges"]["lead"]["dashes"] is None and styles["edges"]["coordinator"]["dashes"]
    assert styles["assignmentLabels"] == {"lead": "chủ trì", "coordinator": "phối hợp"}


def test_ranks_put_cited_documents_above_citing_ones() -> None:
    nodes, _ = decoded(data_of(render_view(chain(), None)))
    rank = {n: a["rank"] for n, a in nodes.items()}
    assert rank[KL102] < rank[TB158] < rank[PLAN] < rank[PLAN2]
    assert rank[LEAD] > rank[PLAN]


def test_cycles_share_a_layer() -> None:
    g = chain()
    g.add_edge(KL102, TB158, kind="relation", relation="alignedWith", relation_label="phù hợp với")
    nodes, _ = decoded(data_of(render_view(g, None)))
    assert nodes[KL102]["rank"] == nodes[TB158]["rank"] < nodes[PLAN]["rank"]


def numbered(n: int, *, issuers: int = 1) -> nx.MultiDiGraph:
    g = nx.MultiDiGraph()
    for i in range(n):
        g.add_node(f"{ID}doc/{i}", kind="document", label=f"{i}-KH/TU", level="province", in_corpus=True,
                   issuer=f"Huyện ủy {i % issuers}", date=f"{2000 + i % 20}-01-01")
        if i:
            g.add_edge(f"{ID}doc/{i}", f"{ID}doc/{i // 2}", kind="relation", relation="implements",
                       relation_label="thực hiện", sentence="Thực hiện …", quote="Thực hiện")
    return g


def test_small_graphs_are_laid_out_in_the_page() -> None:
    data = data_of(render_view(numbered(100), None))
    assert "x" not in data["nodes"] and data["positionsLayout"] is None
    assert data["options"]["physics"]["enabled"] is False  # view.js turns it on only to find a force layout
    assert data["limits"]["stabilization"] <= 500


@pytest.mark.parametrize("layout", ["force", "hierarchical"])
def test_big_graphs_get_positions_from_python(layout: str) -> None:
    data = data_of(render_view(numbered(301), None, layout=layout))
    assert data["positionsLayout"] == layout
    nodes, _ = decoded(data)
    assert all(isinstance(a["x"], float) and isinstance(a["y"], float) for a in nodes.values())
    if layout == "hierarchical":
        assert nodes[f"{ID}doc/0"]["y"] < nodes[f"{ID}doc/1"]["y"] < nodes[f"{ID}doc/3"]["y"]


def test_auto_layout_is_hierarchical_above_a_thousand_nodes() -> None:
    assert data_of(render_view(numbered(400), None))["positionsLayout"] == "force"
    assert data_of(render_view(numbered(1001), None))["positionsLayout"] == "hierarchical"


def test_big_graphs_open_on_an_aggregated_overview() -> None:
    g = numbered(60, issuers=7)
    g.nodes[f"{ID}doc/5"]["issuer"] = HOSTILE
    data = data_of(render_view(g, None, overview_threshold=50))
    assert data["mode"] == "overview" and data["evidence"] is False
    assert "sentence" not in data["edges"] and "quote" not in data["edges"]
    groups = data["overview"]["issuer"]["groups"]
    assert sum(gr["count"] for gr in groups) == 60
    assert [gr["count"] for gr in groups] == sorted((gr["count"] for gr in groups), reverse=True)
    labels = {data["strings"][gr["key"]] for gr in groups}
    assert HOSTILE in labels and "Huyện ủy 1" in labels
    years = data["overview"]["year"]["groups"]
    assert {gr["key"] for gr in years} == set(range(2000, 2020))
    assert all(isinstance(gr["x"], float) for gr in groups + years)
    assert set(node_ids(render_view(g, None, overview_threshold=50))) == set(g)  # all there, for drilling down


def test_overview_merges_small_groups(monkeypatch: pytest.MonkeyPatch) -> None:
    import docgraph.view_data

    monkeypatch.setattr(docgraph.view_data, "MAX_GROUPS", 5)
    data = data_of(render_view(numbered(60, issuers=12), None, overview_threshold=50))
    groups = data["overview"]["issuer"]["groups"]
    assert len(groups) == 5 and "other" in [gr["key"] for gr in groups]
    assert data["overview"]["issuer"]["merged"] == 8
    assert sum(gr["count"] for gr in groups) == 60


def test_threshold_counts_bodies_only_when_shown() -> None:
    g = numbered(40)
    for b in range(20):
        g.add_node(f"{ID}org/{b}", kind="body", label=f"Ban {b}", level="province")
        g.add_edge(f"{ID}org/{b}", f"{ID}doc/{b}", kind="lead", task="t")
    assert data_of(render_view(g, None, overview_threshold=50))["mode"] == "graph"
    assert data_of(render_view(g, None, overview_threshold=50, show_assignments=True))["mode"] == "overview"


def test_writes_the_file_atomically(tmp_path: Path) -> None:
    path = tmp_path / "out" / "view.html"
    page = render_view(chain(), path, title="Chuỗi 102-KL/TW")
    assert path.read_text(encoding="utf-8") == page
    assert [p.name for p in path.parent.iterdir()] == ["view.html"]


def test_empty_graph_renders() -> None:
    data = data_of(render_view(nx.MultiDiGraph(), None))
    assert data["nodes"]["iri"] == [] and data["edges"]["from"] == []
