"""The HTML view, checked as text (no browser): offline, escaped, trimmed and laid out as asked."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import networkx as nx
import pytest

from docgraph.view import render_view, script_json

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


def node_ids(page: str) -> set[str]:
    return {n["id"] for n in data_of(page)["nodes"]}


def test_no_external_urls() -> None:
    page = render_view(chain(), None, show_assignments=True)
    external = re.findall(r"""\b(?:src|href)\s*=\s*["']?\s*(?:https?:)?//""", page, re.I)
    assert external == []
    assert "<link" not in page.lower()
    assert re.search(r"<script[^>]*\bsrc\s*=", page, re.I) is None
    assert "vis.Network" in page and "vis-network" in page  # the library itself is inline


def test_data_json_holds_the_nodes_and_edges() -> None:
    data = data_of(render_view(chain(), None))
    assert {n["id"] for n in data["nodes"]} == {KL102, TB158, PLAN, PLAN2}
    labels = {n["id"]: n["label"] for n in data["nodes"]}
    assert labels[KL102] == "102-KL/TW" and labels[TB158] == "158-TB/TW"
    edge = next(e for e in data["edges"] if e["from"] == PLAN and e["to"] == TB158)
    assert edge["label"] == "thực hiện"
    assert edge["dg"]["quote"] == "Thông báo số 158-TB/TW"
    assert edge["dg"]["asserted_by_label"] == "Kế hoạch (002_d5e…)"
    assert {e["id"] for e in data["edges"]} == {"e0", "e1", "e2"}
    assert "title" not in data["nodes"][0], "tooltips are built in JS from data, never passed as strings"


def test_hostile_text_cannot_leave_the_data_block() -> None:
    page = render_view(chain(), None, title="<b>Tiêu đề</b>")
    assert HOSTILE not in page
    assert "<img src=x" not in page
    assert page.lower().count("</script") == 3  # only the page's own three script elements close
    assert "\\u003c/script\\u003e" in page
    title = next(n for n in data_of(page)["nodes"] if n["id"] == TB158)["dg"]["title"]
    assert title == HOSTILE  # the data survives as text
    assert "<title>&lt;b&gt;Tiêu đề&lt;/b&gt;</title>" in page
    assert "innerHTML" not in page.split('<script id="dg-data"')[1].split("</script>")[-1]  # view.js


def test_script_json_escapes_line_separators_and_markup() -> None:
    text = script_json({"s": "a\u2028b\u2029c<>&"})
    assert text == '{"s":"a\\u2028b\\u2029c\\u003c\\u003e\\u0026"}'
    assert json.loads(text) == {"s": "a\u2028b\u2029c<>&"}


@pytest.mark.parametrize(
    ("depth", "expected"),
    [(0, {TB158}), (1, {KL102, TB158, PLAN}), (2, {KL102, TB158, PLAN, PLAN2}),
     (None, {KL102, TB158, PLAN, PLAN2})],
)
def test_focus_and_depth_keep_the_ego_network(depth: int | None, expected: set[str]) -> None:
    page = render_view(chain(), None, focus=TB158, depth=depth)
    assert node_ids(page) == expected
    data = data_of(page)
    assert data["focus"] == TB158
    focus = next(n for n in data["nodes"] if n["id"] == TB158)
    assert focus["borderWidth"] > 2 and focus["shadow"]["enabled"] is True
    assert all("borderWidth" not in n for n in data["nodes"] if n["id"] != TB158)


def test_focus_errors_are_clear() -> None:
    with pytest.raises(ValueError, match="not in the graph"):
        render_view(chain(), None, focus=ID + "doc/none")
    with pytest.raises(ValueError, match="show_assignments"):
        render_view(chain(), None, focus=LEAD)
    with pytest.raises(ValueError, match="depth"):
        render_view(chain(), None, focus=TB158, depth=-1)
    with pytest.raises(ValueError, match="layout"):
        render_view(chain(), None, layout="circle")


def test_show_assignments_adds_bodies_and_their_edges() -> None:
    assert LEAD not in node_ids(render_view(chain(), None))
    data = data_of(render_view(chain(), None, show_assignments=True))
    bodies = [n for n in data["nodes"] if n["dg"]["kind"] == "body"]
    assert {n["id"] for n in bodies} == {LEAD, HELPER}
    assert all(n["shape"] == "ellipse" for n in bodies)
    kinds = {e["dg"]["kind"]: e for e in data["edges"] if e["dg"]["kind"] != "relation"}
    assert kinds["lead"]["dashes"] is False and kinds["coordinator"]["dashes"]
    assert kinds["lead"]["dg"]["task"] == "xây dựng quy định"
    assert data["legend"]["bodies"] is True


def test_nodes_styled_by_level_and_corpus() -> None:
    nodes = {n["id"]: n for n in data_of(render_view(chain(), None))["nodes"]}
    assert nodes[KL102]["shape"] == "box"
    assert nodes[KL102]["shapeProperties"]["borderDashes"]  # cited only: hollow, dashed
    assert nodes[KL102]["color"]["background"] == "#ffffff"
    assert nodes[PLAN]["shapeProperties"]["borderDashes"] is False
    borders = {nodes[n]["color"]["border"] for n in (KL102, PLAN, PLAN2)}
    assert len(borders) == 3  # central, province, district differ


def test_hierarchical_puts_cited_documents_above_citing_ones() -> None:
    data = data_of(render_view(chain(), None, layout="hierarchical", show_assignments=True))
    level = {n["id"]: n["level"] for n in data["nodes"]}
    assert level[KL102] < level[TB158] < level[PLAN] < level[PLAN2]
    assert level[LEAD] > level[PLAN]
    assert data["options"]["layout"]["hierarchical"]["direction"] == "UD"
    assert data["options"]["physics"]["enabled"] is False


def test_cycles_share_a_layer() -> None:
    g = chain()
    g.add_edge(KL102, TB158, kind="relation", relation="alignedWith", relation_label="phù hợp với")
    data = data_of(render_view(g, None, layout="hierarchical"))
    level = {n["id"]: n["level"] for n in data["nodes"]}
    assert level[KL102] == level[TB158] < level[PLAN]
    curved = [e for e in data["edges"] if "smooth" in e]
    assert len(curved) == 1  # the second edge between 102 and 158 curves away from the first


def numbered(n: int) -> nx.MultiDiGraph:
    g = nx.MultiDiGraph()
    for i in range(n):
        g.add_node(f"{ID}doc/{i}", kind="document", label=f"{i}-KH/TU", level="province", in_corpus=True)
        if i:
            g.add_edge(f"{ID}doc/{i}", f"{ID}doc/{i // 2}", kind="relation", relation="implements",
                       relation_label="thực hiện")
    return g


def test_force_layout_caps_stabilization() -> None:
    data = data_of(render_view(numbered(100), None))  # auto: > 60 nodes, no focus -> force
    physics = data["options"]["physics"]
    assert physics["enabled"] is True
    assert physics["stabilization"]["iterations"] <= 500
    assert "hierarchical" not in data["options"]["layout"]


@pytest.mark.parametrize("layout", ["force", "hierarchical"])
def test_big_graphs_get_positions_from_python(layout: str) -> None:
    data = data_of(render_view(numbered(301), None, layout=layout))
    assert data["options"]["physics"]["enabled"] is False
    assert "hierarchical" not in data["options"]["layout"]
    assert all(isinstance(n["x"], float) and isinstance(n["y"], float) for n in data["nodes"])
    if layout == "hierarchical":
        y = {n["id"]: n["y"] for n in data["nodes"]}
        assert y[f"{ID}doc/0"] < y[f"{ID}doc/1"] < y[f"{ID}doc/3"]


def test_writes_the_file_atomically(tmp_path: Path) -> None:
    path = tmp_path / "out" / "view.html"
    page = render_view(chain(), path, title="Chuỗi 102-KL/TW")
    assert path.read_text(encoding="utf-8") == page
    assert [p.name for p in path.parent.iterdir()] == ["view.html"]


def test_empty_graph_renders() -> None:
    data = data_of(render_view(nx.MultiDiGraph(), None))
    assert data["nodes"] == [] and data["options"]["physics"]["enabled"] is False
