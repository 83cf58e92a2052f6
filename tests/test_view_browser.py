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
EDGE_BETWEEN = "([a, b]) => docgraph.edges.get({filter: e => e.from === a && e.to === b})[0].id"


def chain_graph() -> nx.MultiDiGraph:
    g = nx.MultiDiGraph()
    g.add_node(KL102, kind="document", label="102-KL/TW", symbol="102-KL/TW", type="Kết luận",
               date="2014-09-22", issuer="Bộ Chính trị", level="central",
               title="về hội quần chúng trong tình hình mới", in_corpus=False)
    g.add_node(TB158, kind="document", label="158-TB/TW", symbol="158-TB/TW", type="Thông báo",
               date="2020-01-02", issuer="Ban Bí thư", level="central", in_corpus=False)
    g.add_node(PLAN, kind="document", label="Kế hoạch (002_d5e…)", type="Kế hoạch", date="2020-03-01",
               issuer="Ban Thường vụ Tỉnh ủy", level="province", province="Hà Tĩnh", in_corpus=True,
               source_file="data/002_d5e775b8c46f1c5a.txt")
    g.add_node(XSS_SCRIPT, kind="document", label="<script>alert(1)</script>", type="Kế hoạch",
               title="<script>alert(1)</script>", issuer="<img src=x onerror=alert(2)>", level="district",
               in_corpus=True)
    g.add_node(XSS_IMG, kind="document", label="<img src=x onerror=alert(3)>", type="Công văn",
               title="<img src=x onerror=alert(3)>", level="commune", in_corpus=False)
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
    return g


def generated_graph(n: int, seed: int = 1) -> nx.MultiDiGraph:
    rng = random.Random(seed)
    g = nx.MultiDiGraph()
    levels = ["central", "province", "district", "commune", None]
    for i in range(n):
        g.add_node(f"{ID}doc/gen/{i}", kind="document", label=f"{i}-KH/TU", symbol=f"{i}-KH/TU",
                   type="Kế hoạch", level=levels[i % 5], in_corpus=i % 3 != 0)
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


def test_draws_offline_without_errors(chain_page: OfflinePage) -> None:
    assert js(chain_page, "document.querySelectorAll('#dg-network canvas').length") == 1
    assert js(chain_page, "docgraph.nodes.length") == 5
    assert js(chain_page, "docgraph.edges.length") == 4
    labels = js(chain_page, "docgraph.nodes.get().map(n => n.label)")
    assert {"102-KL/TW", "158-TB/TW"} <= set(labels)
    assert js(chain_page, "document.querySelectorAll('#dg-legend li').length") >= 5 + 2 + 4
    assert chain_page.problems() == {}


def test_hostile_text_stays_text(chain_page: OfflinePage) -> None:
    # hover a hostile node: its tooltip (a DOM element built with text nodes) shows the text
    box = js(chain_page, """id => { const p = docgraph.network.canvasToDOM(docgraph.network.getPosition(id));
        const r = document.getElementById('dg-network').getBoundingClientRect();
        return [r.left + p.x, r.top + p.y]; }""", XSS_IMG)
    chain_page.page.mouse.move(box[0] - 30, box[1] - 30)
    chain_page.page.mouse.move(*box, steps=5)
    chain_page.page.wait_for_selector("div.vis-tooltip", state="visible", timeout=3000)
    tip = js(chain_page, "document.querySelector('div.vis-tooltip').textContent")
    assert "<img src=x onerror=alert(3)>" in tip
    assert js(chain_page, "document.querySelectorAll('.vis-tooltip img, .vis-tooltip script').length") == 0

    assert js(chain_page, "id => docgraph.selectNode(id)", XSS_SCRIPT) is True
    panel_text = js(chain_page, "document.getElementById('dg-panel').textContent")
    assert "<script>alert(1)</script>" in panel_text
    assert "<img src=x onerror=alert(2)>" in panel_text
    assert js(chain_page, "document.querySelectorAll('#dg-panel script, #dg-panel img').length") == 0

    edge = js(chain_page, EDGE_BETWEEN, [XSS_SCRIPT, XSS_IMG])
    js(chain_page, "id => docgraph.selectEdge(id)", edge)
    mark = js(chain_page, "document.querySelector('#dg-sentence mark').textContent")
    assert mark == "<img src=x onerror=alert(5)>"
    chain_page.page.wait_for_timeout(300)
    assert chain_page.dialogs == []
    assert chain_page.problems() == {}


def test_search_ignores_diacritics(chain_page: OfflinePage) -> None:
    found = js(chain_page, "docgraph.search('ket luan 102')")
    assert found[0] == KL102
    assert js(chain_page, "docgraph.network.getSelectedNodes()") == [KL102]
    assert js(chain_page, "document.querySelector('#dg-node').dataset.id") == KL102
    assert js(chain_page, "docgraph.search('Ha Tinh')") == [PLAN]
    assert js(chain_page, "docgraph.search('không có gì như vậy')") == []

    chain_page.page.fill("#dg-search", "thong bao 158")
    chain_page.page.press("#dg-search", "Enter")
    assert js(chain_page, "docgraph.network.getSelectedNodes()") == [TB158]
    assert chain_page.problems() == {}


def test_edge_panel_marks_the_quote(chain_page: OfflinePage) -> None:
    edge = js(chain_page, EDGE_BETWEEN, [PLAN, TB158])
    assert js(chain_page, "id => docgraph.selectEdge(id)", edge) is True
    assert js(chain_page, "document.getElementById('dg-sentence').textContent") == SENTENCE
    marks = js(chain_page, "[...document.querySelectorAll('#dg-sentence mark')].map(m => m.textContent)")
    assert marks == [QUOTE]
    panel = js(chain_page, "document.getElementById('dg-panel').textContent")
    assert "thực hiện" in panel and "Kế hoạch (002_d5e…)" in panel
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


def test_harness_notices_network_use(offline_page: OfflinePage, tmp_path: Path) -> None:
    leaky = tmp_path / "leaky.html"
    leaky.write_text('<img src="https://example.invalid/x.png"><script>console.error("boom")</script>')
    offline_page.page.goto(leaky.as_uri())
    offline_page.page.wait_for_load_state("load")
    assert offline_page.blocked == ["https://example.invalid/x.png"]
    assert set(offline_page.problems()) >= {"blocked", "failed", "console errors"}
