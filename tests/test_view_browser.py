"""The rendered view in headless Chromium, with every network request blocked."""

from __future__ import annotations

import random
import time
from pathlib import Path
from typing import TYPE_CHECKING

import networkx as nx
import pytest

from docgraph.view import render_view

if TYPE_CHECKING:
    from browser_support import OfflinePage

pytestmark = pytest.mark.browser
pytest_plugins = ["browser_support"]  # fixtures: browser, offline_page

ID = "https://w3id.org/docgraph/id/"
KL102 = ID + "doc/tw/102-kl/2014"
TB158 = ID + "doc/tw/158-tb/2020"
PLAN = ID + "doc/file/002_d5e775b8c46f1c5a"
XSS_SCRIPT = ID + "doc/xss/script"
XSS_IMG = ID + "doc/xss/img"
SENTENCE = ("Thực hiện Thông báo số 158-TB/TW ngày 02/01/2020 của Ban Bí thư "
            "về tiếp tục thực hiện Kết luận 102.")
QUOTE = "Thông báo số 158-TB/TW"
CITES_IN_PANEL = "[...document.querySelectorAll('#dg-node .dg-cites button.dg-focus')].map(b => b.dataset.id)"
EDGE_BETWEEN = "([a, b]) => docgraph.edges.get({filter: e => e.from === a && e.to === b})[0].id"


LEAD = ID + "org/ha-tinh/ban-to-chuc-tinh-uy"
HELPER = ID + "group/<b>cac-co-quan</b>"
HOSTILE_TASK = "<script>alert(7)</script> xây dựng quy định"


def chain_graph() -> nx.MultiDiGraph:
    g = nx.MultiDiGraph()
    g.add_node(KL102, kind="document", label="102-KL/TW", symbol="102-KL/TW", type="Kết luận",
               date="2014-09-22", issuer="Bộ Chính trị", level="central",
               title="về hội quần chúng trong tình hình mới (khoá XI)", in_corpus=False)
    g.add_node(TB158, kind="document", label="158-TB/TW", symbol="158-TB/TW", type="Thông báo",
               date="2020-01-02", issuer="Ban Bí thư", level="central", in_corpus=False,
               title="về hoà giải ở cơ sở")
    g.add_node(PLAN, kind="document", label="Kế hoạch (002_d5e…)", type="Kế hoạch", date="2020-03-01",
               issuer="Ban Thường vụ Tỉnh ủy", level="province", province="Hà Tĩnh", in_corpus=True,
               source_file="data/002_d5e775b8c46f1c5a.txt")
    g.add_node(XSS_SCRIPT, kind="document", label="<script>alert(1)</script>", type="Kế hoạch",
               title="<script>alert(1)</script>", issuer="<img src=x onerror=alert(2)>", level="district",
               in_corpus=True, source_file="javascript:alert(6)", province="<i>Tỉnh</i>")
    g.add_node(XSS_IMG, kind="document", label="<img src=x onerror=alert(3)>", type="Công văn",
               title="<img src=x onerror=alert(3)>", level="commune", in_corpus=False)
    g.add_node(LEAD, kind="body", label="Ban Tổ chức Tỉnh ủy", level="province")
    g.add_node(HELPER, kind="body", label="<img src=x onerror=alert(8)> cơ quan", level=None)
    g.add_edge(PLAN, TB158, kind="relation", relation="implements", relation_label="thực hiện",
               asserted_by_label="Kế hoạch (002_d5e…)", sentence=SENTENCE, quote=QUOTE,
               source_file="data/002_d5e775b8c46f1c5a.txt")
    g.add_edge(TB158, KL102, kind="relation", relation="continues", relation_label="tiếp tục thực hiện",
               asserted_by_label="Kế hoạch (002_d5e…)", sentence=SENTENCE, quote="Kết luận 102")
    g.add_edge(XSS_SCRIPT, XSS_IMG, kind="relation", relation="mentions", relation_label="<b>nhắc đến</b>",
               asserted_by_label="</script><script>alert(4)</script>",
               sentence="<img src=x onerror=alert(5)> ok", quote="<img src=x onerror=alert(5)>")
    g.add_edge(XSS_SCRIPT, KL102, kind="relation", relation="basedOn", relation_label="căn cứ",
               asserted_by_label="x", sentence="Căn cứ Kết luận 102", quote="Kết luận 102")
    g.add_edge(LEAD, PLAN, kind="lead", task=HOSTILE_TASK, deadline="2020-03-31")
    g.add_edge(HELPER, PLAN, kind="coordinator", task=HOSTILE_TASK)
    g.add_edge(LEAD, PLAN, kind="lead", task="sơ kết, tổng kết")
    return g


def generated_graph(n: int, seed: int = 1, *, issuers: int = 40) -> nx.MultiDiGraph:
    rng = random.Random(seed)
    g = nx.MultiDiGraph()
    levels = ["central", "province", "district", "commune", None]
    for i in range(n):
        g.add_node(f"{ID}doc/gen/{i}", kind="document", label=f"{i}-KH/TU", symbol=f"{i}-KH/TU",
                   type="Kế hoạch", level=levels[i % 5], in_corpus=i % 3 != 0, issuer=f"Huyện ủy {i % issuers}",
                   date=f"{1990 + i * 30 // n}-05-01", title=f"về công tác dân vận số {i}")
    for i in range(1, n):
        for j in rng.sample(range(i), min(i, 2)):
            g.add_edge(f"{ID}doc/gen/{i}", f"{ID}doc/gen/{j}", kind="relation", relation="implements",
                       relation_label="thực hiện", sentence="s", quote="s")
    return g


@pytest.fixture
def chain_page(offline_page: OfflinePage, tmp_path: Path) -> OfflinePage:
    path = tmp_path / "view.html"
    render_view(chain_graph(), path, title="Chuỗi 102-KL/TW")
    offline_page.open_view(path)
    return offline_page


def js(page: OfflinePage, expression: str, arg: object = None) -> object:
    return page.page.evaluate(expression, arg)


def wait_ready(page: OfflinePage, timeout_ms: int = 10_000) -> None:
    page.page.wait_for_function("window.docgraph.ready === true", timeout=timeout_ms)


def drawn(page: OfflinePage) -> set[str]:
    return set(js(page, "docgraph.drawnIds()"))


def node_on_screen(page: OfflinePage, node_id: str) -> list[float]:
    return js(page, """id => { const p = docgraph.network.canvasToDOM(docgraph.network.getPosition(id));
        const r = document.getElementById('dg-network').getBoundingClientRect();
        return [r.left + p.x, r.top + p.y]; }""", node_id)


def no_live_markup(page: OfflinePage) -> None:
    assert js(page, "document.querySelectorAll('#dg-side script, #dg-side img, #dg-side b, #dg-side i').length") == 0
    assert js(page, "document.querySelectorAll('.vis-tooltip script, .vis-tooltip img').length") == 0
    hrefs = js(page, "[...document.querySelectorAll('[href], [src], [action], [formaction]')].map(e => "
                     "e.getAttribute('href') || e.getAttribute('src') || e.getAttribute('action') || '')")
    assert not [h for h in hrefs if h.strip().lower().startswith("javascript:")]
    assert js(page, "document.querySelectorAll('a').length") == 0  # links in the page are buttons


def test_draws_offline_without_errors(chain_page: OfflinePage) -> None:
    assert js(chain_page, "document.querySelectorAll('#dg-network canvas').length") == 1
    assert js(chain_page, "docgraph.nodes.length") == 5  # the assignment layer starts switched off
    assert js(chain_page, "docgraph.edges.length") == 4
    labels = js(chain_page, "docgraph.nodes.get().map(n => n.label)")
    assert {"102-KL/TW", "158-TB/TW"} <= set(labels)
    assert js(chain_page, "document.querySelectorAll('#dg-legend li').length") >= 5 + 2 + 4
    assert js(chain_page, "docgraph.physicsEnabled()") is False
    assert chain_page.problems() == {}


def test_hostile_text_stays_text(chain_page: OfflinePage) -> None:
    # hover a hostile node: its tooltip (a DOM element built with text nodes) shows the text
    box = node_on_screen(chain_page, XSS_IMG)
    chain_page.page.mouse.move(box[0] - 30, box[1] - 30)
    chain_page.page.mouse.move(*box, steps=5)
    chain_page.page.wait_for_selector("div.vis-tooltip", state="visible", timeout=3000)
    tip = js(chain_page, "document.querySelector('div.vis-tooltip').textContent")
    assert "<img src=x onerror=alert(3)>" in tip

    assert js(chain_page, "id => docgraph.selectNode(id)", XSS_SCRIPT) is True
    panel_text = js(chain_page, "document.getElementById('dg-panel').textContent")
    assert "<script>alert(1)</script>" in panel_text
    assert "<img src=x onerror=alert(2)>" in panel_text
    assert "javascript:alert(6)" in panel_text and "<i>Tỉnh</i>" in panel_text

    edge = js(chain_page, EDGE_BETWEEN, [XSS_SCRIPT, XSS_IMG])
    js(chain_page, "id => docgraph.selectEdge(id)", edge)
    mark = js(chain_page, "document.querySelector('#dg-sentence mark').textContent")
    assert mark == "<img src=x onerror=alert(5)>"
    assert "<b>nhắc đến</b>" in js(chain_page, "document.getElementById('dg-panel').textContent")

    # filters list issuers and provinces as text
    options = js(chain_page, "[...document.querySelectorAll('#dg-filters option')].map(o => o.textContent)")
    assert any("<img src=x onerror=alert(2)>" in o for o in options)
    assert any("<i>Tỉnh</i>" in o for o in options)

    # tasks and bodies in the panel, with the assignment layer on
    js(chain_page, "docgraph.setAssignments(true)")
    wait_ready(chain_page)
    js(chain_page, "id => docgraph.selectNode(id)", PLAN)
    panel_text = js(chain_page, "document.getElementById('dg-panel').textContent")
    assert HOSTILE_TASK in panel_text and "<img src=x onerror=alert(8)> cơ quan" in panel_text
    js(chain_page, "id => docgraph.selectNode(id)", HELPER)
    assert HOSTILE_TASK in js(chain_page, "document.getElementById('dg-panel').textContent")
    no_live_markup(chain_page)
    chain_page.page.wait_for_timeout(300)
    assert chain_page.dialogs == []
    assert chain_page.problems() == {}


def test_search_ignores_diacritics_and_tone_placement(chain_page: OfflinePage) -> None:
    found = js(chain_page, "docgraph.search('ket luan 102')")
    assert found[0] == KL102
    assert js(chain_page, "docgraph.network.getSelectedNodes()") == [KL102]
    assert js(chain_page, "document.querySelector('#dg-node').dataset.id") == KL102
    assert set(js(chain_page, "docgraph.search('Ha Tinh')")) == {PLAN, LEAD}  # the body's IRI is …/ha-tinh/…
    assert js(chain_page, "docgraph.search('không có gì như vậy')") == []
    for q in ("khoá XI", "khóa XI", "khoa xi", "KHOÁ XI"):  # tone mark on the a or on the o
        assert js(chain_page, "q => docgraph.search(q)", q) == [KL102], q
    for q in ("hoà giải", "hòa giải", "hoa giai"):
        assert js(chain_page, "q => docgraph.search(q)", q) == [TB158], q
    for q in ("Uỷ", "Ủy", "uy"):  # Tỉnh ủy, in the issuer and in the body names
        assert PLAN in js(chain_page, "q => docgraph.search(q)", q), q
    assert js(chain_page, "q => docgraph.search(q)", "Ban To chuc Tinh Uỷ")[0] == LEAD

    chain_page.page.fill("#dg-search", "thong bao 158")
    chain_page.page.press("#dg-search", "Enter")
    wait_ready(chain_page)
    assert js(chain_page, "docgraph.network.getSelectedNodes()") == [TB158]
    chain_page.page.wait_for_timeout(300)  # past the list's 120 ms: Enter closed it for good
    assert js(chain_page, "document.getElementById('dg-search-results').hidden") is True
    chain_page.page.fill("#dg-search", "ke hoach")
    chain_page.page.wait_for_selector("#dg-search-results li", timeout=3000)
    assert js(chain_page, "document.querySelectorAll('#dg-search-results li').length") == 2
    assert chain_page.problems() == {}


def test_filters_by_level_type_issuer_province_and_year(chain_page: OfflinePage) -> None:
    page = chain_page.page
    page.click("#dg-filters summary")
    page.uncheck("#dg-filter-levels input[value=central]")
    wait_ready(chain_page)
    assert drawn(chain_page) == {PLAN, XSS_SCRIPT, XSS_IMG}
    assert "đang lọc" in js(chain_page, "document.getElementById('dg-filter-state').textContent")
    page.click("#dg-filter-reset")
    wait_ready(chain_page)
    assert len(drawn(chain_page)) == 5

    page.select_option("#dg-filter-type", label="Kế hoạch (2)")
    wait_ready(chain_page)
    assert drawn(chain_page) == {PLAN, XSS_SCRIPT}
    page.select_option("#dg-filter-province", label="Hà Tĩnh (1)")
    wait_ready(chain_page)
    assert drawn(chain_page) == {PLAN}
    page.click("#dg-filter-reset")
    wait_ready(chain_page)

    page.select_option("#dg-filter-issuer", label="Ban Bí thư (1)")
    wait_ready(chain_page)
    assert drawn(chain_page) == {TB158}
    page.click("#dg-filter-reset")
    page.fill("#dg-year-from", "2015")
    page.fill("#dg-year-to", "2020")
    page.uncheck("#dg-undated")
    wait_ready(chain_page)
    assert drawn(chain_page) == {TB158, PLAN}
    page.check("#dg-undated")
    wait_ready(chain_page)
    assert drawn(chain_page) == {TB158, PLAN, XSS_SCRIPT, XSS_IMG}
    assert chain_page.problems() == {}


def test_focus_in_the_page(chain_page: OfflinePage) -> None:
    page = chain_page.page
    js(chain_page, "id => docgraph.selectNode(id)", KL102)
    page.fill("#dg-depth", "1")
    page.click("#dg-focus-this")
    wait_ready(chain_page)
    assert js(chain_page, "docgraph.view()") == "graph"
    assert drawn(chain_page) == {KL102, TB158, XSS_SCRIPT}
    assert "102-KL/TW" in js(chain_page, "document.getElementById('dg-where').textContent")
    focus = js(chain_page, "id => docgraph.nodes.get(id)", KL102)
    assert focus["borderWidth"] == 4 and focus["shadow"]["enabled"] is True
    # the chain below 102 (158 continues it) is drawn thicker than its own style
    chain_edge = js(chain_page, "id => docgraph.edges.get(id)", js(chain_page, EDGE_BETWEEN, [TB158, KL102]))
    assert chain_edge["width"] > 2.0

    page.fill("#dg-depth", "")  # all of it: 158's planner comes in, the chain is highlighted down to it
    page.dispatch_event("#dg-depth", "change")
    wait_ready(chain_page)
    assert PLAN in drawn(chain_page)
    plan_edge = js(chain_page, "id => docgraph.edges.get(id)", js(chain_page, EDGE_BETWEEN, [PLAN, TB158]))
    assert plan_edge["width"] > 2.5
    other = js(chain_page, "id => docgraph.nodes.get(id)", XSS_IMG)  # cited by a sibling: not on the chain
    assert other["color"]["border"] != "#a0620a" and other["font"]["color"] == "#9a9a9a"  # faded

    page.check("#dg-chain")  # only the chain: siblings go
    wait_ready(chain_page)
    assert drawn(chain_page) == {KL102, TB158, PLAN, XSS_SCRIPT}
    page.uncheck("#dg-chain")
    wait_ready(chain_page)

    # the citing documents in the panel are links that focus them
    js(chain_page, "id => docgraph.selectNode(id)", KL102)
    citing = js(chain_page, CITES_IN_PANEL)
    assert set(citing) == {TB158, XSS_SCRIPT}
    page.click(f"#dg-node .dg-cites button.dg-focus[data-id='{TB158}']")
    wait_ready(chain_page)
    assert js(chain_page, "docgraph.state.focus") is not None
    assert "158-TB/TW" in js(chain_page, "document.getElementById('dg-where').textContent")
    assert js(chain_page, "document.querySelector('#dg-node').dataset.id") == TB158

    page.click("#dg-unfocus")
    wait_ready(chain_page)
    assert len(drawn(chain_page)) == 5
    assert chain_page.problems() == {}


def test_initial_focus_from_python(offline_page: OfflinePage, tmp_path: Path) -> None:
    path = tmp_path / "focus.html"
    render_view(chain_graph(), path, focus=TB158, depth=1, show_assignments=True, layout="hierarchical")
    offline_page.open_view(path)
    assert drawn(offline_page) == {TB158, KL102, PLAN, LEAD, HELPER}
    assert js(offline_page, "document.querySelector('#dg-node').dataset.id") == TB158
    assert js(offline_page, "docgraph.nodes.get().every(n => Number.isInteger(n.level))") is True
    assert offline_page.problems() == {}


def test_click_a_node_shows_its_panel(chain_page: OfflinePage) -> None:
    js(chain_page, "docgraph.setAssignments(true)")
    wait_ready(chain_page)
    chain_page.page.mouse.click(*node_on_screen(chain_page, PLAN))
    assert js(chain_page, "document.querySelector('#dg-node').dataset.id") == PLAN
    text = js(chain_page, "document.getElementById('dg-node').textContent")
    for expected in ("Kế hoạch", "2020-03-01", "Ban Thường vụ Tỉnh ủy", "Hà Tĩnh", "Nhiệm vụ giao (2)", HOSTILE_TASK,
                     "chủ trì", "Ban Tổ chức Tỉnh ủy", "phối hợp", "2020-03-31", "Trích dẫn đến (1)", "158-TB/TW"):
        assert expected in text, expected
    cited = js(chain_page, CITES_IN_PANEL)
    assert cited == [TB158]
    assert chain_page.problems() == {}


def test_edge_panel_marks_the_quote(chain_page: OfflinePage) -> None:
    edge = js(chain_page, EDGE_BETWEEN, [PLAN, TB158])
    assert js(chain_page, "id => docgraph.selectEdge(id)", edge) is True
    assert js(chain_page, "document.getElementById('dg-sentence').textContent") == SENTENCE
    marks = js(chain_page, "[...document.querySelectorAll('#dg-sentence mark')].map(m => m.textContent)")
    assert marks == [QUOTE]
    panel = js(chain_page, "document.getElementById('dg-panel').textContent")
    assert "thực hiện" in panel and "Kế hoạch (002_d5e…)" in panel
    # a click on the middle of the edge selects it too
    a, b = node_on_screen(chain_page, TB158), node_on_screen(chain_page, KL102)
    chain_page.page.mouse.click((a[0] + b[0]) / 2, (a[1] + b[1]) / 2)
    assert js(chain_page, "document.querySelector('#dg-edge') && document.querySelector('#dg-edge').dataset.id") \
        == js(chain_page, EDGE_BETWEEN, [TB158, KL102])
    assert "Kết luận 102" in js(chain_page, "document.querySelector('#dg-sentence mark').textContent")
    assert chain_page.problems() == {}


def test_assignment_layer_switches_on_and_off(chain_page: OfflinePage) -> None:
    page = chain_page.page
    assert LEAD not in drawn(chain_page)
    page.check("#dg-assign")
    wait_ready(chain_page)
    assert {LEAD, HELPER} <= drawn(chain_page)
    kinds = js(chain_page, """() => docgraph.edges.get()
        .filter(e => e.from.includes('/org/') || e.from.includes('/group/'))
        .map(e => [e.from, e.dashes, e.members.length])""")
    lead = next(k for k in kinds if k[0] == LEAD)
    helper = next(k for k in kinds if k[0] == HELPER)
    assert lead[1] is False and lead[2] == 2  # two tasks, one solid line
    assert helper[1] and helper[2] == 1  # coordinator: dashed
    assert js(chain_page, "docgraph.nodes.get(arguments[0] || '').shape".replace("arguments[0] || ''", f"'{LEAD}'")) \
        == "ellipse"
    legend = js(chain_page, "document.getElementById('dg-legend').textContent")
    assert "chủ trì (lead)" in legend and "phối hợp (coordinator)" in legend and "Cơ quan" in legend
    page.uncheck("#dg-assign")
    wait_ready(chain_page)
    assert LEAD not in drawn(chain_page) and len(drawn(chain_page)) == 5
    assert "chủ trì" not in js(chain_page, "document.getElementById('dg-legend').textContent")
    assert chain_page.problems() == {}


def test_png_export_downloads_the_canvas(chain_page: OfflinePage) -> None:
    with chain_page.page.expect_download() as info:
        chain_page.page.click("#dg-png")
    download = info.value
    data = Path(download.path()).read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    assert len(data) > 2000
    assert download.suggested_filename.endswith(".png")
    assert chain_page.problems() == {}


@pytest.mark.parametrize("n", [300, 400])  # 300: vis-network physics, capped; 400: positions from Python
def test_large_graph_settles_and_goes_idle(offline_page: OfflinePage, tmp_path: Path, n: int) -> None:
    path = tmp_path / "big.html"
    render_view(generated_graph(n), path, layout="force")
    start = time.monotonic()
    offline_page.open_view(path, timeout_ms=5_000)
    assert time.monotonic() - start < 5.0
    assert js(offline_page, "docgraph.nodes.length") == n
    assert js(offline_page, "docgraph.physicsEnabled()") is False
    redraws = js(offline_page, """() => new Promise(done => { let count = 0;
        docgraph.network.on('afterDrawing', () => count++); setTimeout(() => done(count), 1000); })""")
    assert redraws == 0, "the page keeps redrawing after it settled"
    assert offline_page.problems() == {}


def test_two_thousand_nodes_usable_within_five_seconds(offline_page: OfflinePage, tmp_path: Path,
                                                       capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "2000.html"
    render_view(generated_graph(2000), path)
    start = time.monotonic()
    offline_page.open_view(path, timeout_ms=10_000)
    usable = time.monotonic() - start
    assert js(offline_page, "docgraph.nodes.length") == 2000
    start = time.monotonic()
    js(offline_page, "docgraph.focus(arguments_0, {depth: 2})".replace("arguments_0", f"'{ID}doc/gen/0'"))
    wait_ready(offline_page)
    focus = time.monotonic() - start
    with capsys.disabled():
        print(f"\n[view] 2,000 nodes: usable {usable:.2f} s after navigation, focus depth 2 "
              f"({js(offline_page, 'docgraph.nodes.length')} nodes) {focus:.2f} s")
    assert usable < 5.0 and focus < 5.0
    assert offline_page.problems() == {}


def test_big_graph_overview_and_drill_down(offline_page: OfflinePage, tmp_path: Path,
                                           capsys: pytest.CaptureFixture[str]) -> None:
    g = generated_graph(2500, issuers=30)
    g.nodes[f"{ID}doc/gen/7"]["issuer"] = "<img src=x onerror=alert(9)>"
    path = tmp_path / "overview.html"
    render_view(g, path)
    start = time.monotonic()
    offline_page.open_view(path, timeout_ms=10_000)
    usable = time.monotonic() - start
    assert js(offline_page, "docgraph.view()") == "overview"
    groups = js(offline_page, "docgraph.nodes.get().map(n => n.label)")
    assert len(groups) == 31  # 30 issuers and the one with a hostile name
    assert any(label.startswith("<img src=x onerror=alert(9)>") for label in groups)
    assert sum(int(label.rsplit("\n", 1)[1]) for label in groups) == 2500

    # the year filter recounts the groups
    offline_page.page.click("#dg-filters summary")
    offline_page.page.fill("#dg-year-from", "2010")
    offline_page.page.dispatch_event("#dg-year-from", "change")
    wait_ready(offline_page)
    counted = sum(int(n.rsplit("\n", 1)[1]) for n in js(offline_page, "docgraph.nodes.get().map(n => n.label)"))
    assert counted == sum(1 for _, a in g.nodes(data=True) if a["date"] >= "2010")
    js(offline_page, "docgraph.resetFilters()")
    wait_ready(offline_page)

    # a group: its panel, then opened (double-click) into its documents
    hostile = js(offline_page, "docgraph.nodes.get().find(n => n.label.startsWith('<img')).id")
    offline_page.page.mouse.click(*node_on_screen(offline_page, hostile))
    assert "<img src=x onerror=alert(9)>" in js(offline_page, "document.getElementById('dg-panel').textContent")
    biggest = js(offline_page, "docgraph.nodes.get()[0].id")
    start = time.monotonic()
    offline_page.page.mouse.dblclick(*node_on_screen(offline_page, biggest))
    wait_ready(offline_page)
    drill = time.monotonic() - start
    assert js(offline_page, "docgraph.view()") == "graph"
    members = js(offline_page, "docgraph.nodes.get().filter(n => !n.color.background.startsWith('#f') || true).length")
    assert 0 < members <= 2000
    assert js(offline_page, "document.getElementById('dg-back').hidden") is False

    # back to the overview; a search opens the focused view of a document
    offline_page.page.click("#dg-back")
    wait_ready(offline_page)
    assert js(offline_page, "docgraph.view()") == "overview"
    offline_page.page.fill("#dg-search", "1234-KH/TU")
    offline_page.page.press("#dg-search", "Enter")
    wait_ready(offline_page)
    assert js(offline_page, "docgraph.view()") == "graph"
    assert f"{ID}doc/gen/1234" in drawn(offline_page)
    edge = js(offline_page, "docgraph.edges.getIds()[0]")
    js(offline_page, "id => docgraph.selectEdge(id)", edge)
    assert "không được nhúng" in js(offline_page, "document.getElementById('dg-panel').textContent")
    with capsys.disabled():
        print(f"\n[view] overview of 2,500 documents: usable {usable:.2f} s, drill into a group {drill:.2f} s")
    assert usable < 5.0 and drill < 5.0
    no_live_markup(offline_page)
    assert offline_page.dialogs == []
    assert offline_page.problems() == {}


def test_harness_notices_network_use(offline_page: OfflinePage, tmp_path: Path) -> None:
    leaky = tmp_path / "leaky.html"
    leaky.write_text('<img src="https://example.invalid/x.png"><script>console.error("boom")</script>')
    offline_page.page.goto(leaky.as_uri())
    offline_page.page.wait_for_load_state("load")
    assert offline_page.blocked == ["https://example.invalid/x.png"]
    assert set(offline_page.problems()) >= {"blocked", "failed", "console errors"}
