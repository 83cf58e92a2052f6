// docgraph view: every string from a document is data. It reaches the page only as text nodes
// (textContent / append(string)); no innerHTML anywhere in this file.
(function () {
  "use strict";
  const DATA = JSON.parse(document.getElementById("dg-data").textContent);
  const SVG = "http://www.w3.org/2000/svg"; // namespace name, never fetched
  const FIELDS = [ // [key, label] shown for a document, in this order
    ["type", "Loại"], ["symbol", "Số hiệu"], ["date", "Ngày"], ["issuer", "Cơ quan ban hành"],
    ["level", "Cấp"], ["province", "Tỉnh/thành"], ["title", "Trích yếu"], ["in_corpus", "Trong kho"],
    ["source_file", "Tệp nguồn"],
  ];
  const TOOLTIP_FIELDS = ["type", "symbol", "date", "issuer", "title", "province"];
  const LEVEL_NAMES = Object.fromEntries(DATA.legend.levels.map((l) => [l.key, l.label]));

  // el("p", {class: "x"}, "text", childNode): children that are strings become text nodes.
  function el(tag, attrs, ...children) {
    const node = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs || {})) {
      if (k === "class") node.className = v; else node.setAttribute(k, v);
    }
    for (const c of children) if (c !== null && c !== undefined) node.append(c instanceof Node ? c : String(c));
    return node;
  }

  function fold(s) { // "Kết luận Hà Tĩnh" -> "ket luan ha tinh"
    return String(s == null ? "" : s).normalize("NFD").replace(/\p{M}/gu, "").toLowerCase()
      .replace(/đ/g, "d").replace(/\s+/g, " ").trim();
  }

  function fieldText(key, value) {
    if (key === "in_corpus") return value ? "có" : "không (chỉ được trích dẫn)";
    if (key === "level") return LEVEL_NAMES[value] || value;
    return value;
  }

  function tooltip(info) {
    const tip = el("div", {class: "dg-tip"}, el("strong", null, info.label));
    const keys = info.kind === "body" ? ["level"] : TOOLTIP_FIELDS;
    for (const key of keys) {
      const value = info[key];
      if (value === null || value === undefined || value === "") continue;
      const label = FIELDS.find((f) => f[0] === key)[1];
      tip.append(el("div", null, el("span", null, label + ": "), fieldText(key, value)));
    }
    return tip;
  }

  function edgeTooltip(info) {
    const tip = el("div", {class: "dg-tip"}, el("strong", null, info.label));
    if (info.asserted_by_label) tip.append(el("div", null, el("span", null, "Theo: "), info.asserted_by_label));
    if (info.task) tip.append(el("div", null, info.task));
    return tip;
  }

  for (const n of DATA.nodes) n.title = tooltip(n.dg);
  for (const e of DATA.edges) e.title = edgeTooltip(e.dg);

  const nodes = new vis.DataSet(DATA.nodes);
  const edges = new vis.DataSet(DATA.edges);
  const container = document.getElementById("dg-network");
  const panel = document.getElementById("dg-panel");
  const network = new vis.Network(container, {}, DATA.options);
  const api = {network, nodes, edges, data: DATA, ready: false, search, selectNode, selectEdge,
    physicsEnabled: () => network.physics.options.enabled === true};
  window.docgraph = api;

  function markReady() {
    if (api.ready) return;
    api.ready = true;
    document.body.setAttribute("data-ready", "1");
    if (DATA.focus !== null && nodes.get(DATA.focus)) selectNode(DATA.focus);
  }
  if (DATA.options.physics.enabled) {
    // Physics only finds a layout: stop it once stabilization is done so the page goes idle.
    network.once("stabilizationIterationsDone", () => { network.setOptions({physics: false}); markReady(); });
  } else {
    network.once("afterDrawing", () => { network.fit(); markReady(); });
  }
  network.setData({nodes, edges}); // after the handlers, so no event is missed

  network.on("click", (p) => {
    if (p.nodes.length) showNode(p.nodes[0]);
    else if (p.edges.length) showEdge(p.edges[0]);
    else showHint();
  });

  // ---- side panel -------------------------------------------------------------------------
  function nodeLink(id) {
    const n = nodes.get(id);
    const button = el("button", {type: "button", class: "dg-link"}, n ? n.dg.label : id);
    button.addEventListener("click", () => selectNode(id));
    return button;
  }
  function edgeLink(id, text) {
    const button = el("button", {type: "button", class: "dg-link"}, text);
    button.addEventListener("click", () => selectEdge(id));
    return button;
  }
  function dl(rows) {
    const list = el("dl");
    for (const [label, value] of rows) {
      if (value === null || value === undefined || value === "") continue;
      list.append(el("dt", null, label), el("dd", null, value));
    }
    return list;
  }
  function showHint() {
    panel.replaceChildren(el("p", {class: "dg-hint"}, "Bấm vào một văn bản hoặc một mũi tên để xem chi tiết."));
  }

  function showNode(id) {
    const n = nodes.get(id);
    if (!n) return;
    const info = n.dg;
    const rows = info.kind === "body"
      ? [["Cấp", fieldText("level", info.level)]]
      : FIELDS.map(([key, label]) => [label, info[key] === null || info[key] === undefined ? null : fieldText(key, info[key])]);
    const section = el("section", {id: "dg-node", "data-id": id},
      el("h2", null, info.label), el("div", {class: "dg-code"}, info.iri), dl(rows));
    const out = el("ul"), inn = el("ul");
    for (const e of edges.get({filter: (e) => e.from === id || e.to === id})) {
      const other = e.from === id ? e.to : e.from;
      (e.from === id ? out : inn).append(el("li", null, edgeLink(e.id, e.dg.label), " — ", nodeLink(other)));
    }
    if (out.children.length) section.append(el("h3", null, info.kind === "body" ? "Nhiệm vụ" : "Trích dẫn đến"), out);
    if (inn.children.length) section.append(el("h3", null, "Được trích dẫn / giao bởi"), inn);
    panel.replaceChildren(section);
  }

  // The sentence as text, with the first occurrence of the quoted span wrapped in <mark>.
  function sentenceWithQuote(sentence, quote) {
    const block = el("blockquote", {id: "dg-sentence"});
    const at = quote ? sentence.indexOf(quote) : -1;
    if (at < 0) {
      block.append(sentence);
      return quote ? [block, el("p", null, "Trích: ", el("mark", null, quote))] : [block];
    }
    block.append(sentence.slice(0, at), el("mark", null, quote), sentence.slice(at + quote.length));
    return [block];
  }

  function showEdge(id) {
    const e = edges.get(id);
    if (!e) return;
    const info = e.dg;
    const section = el("section", {id: "dg-edge", "data-id": id},
      el("h2", null, info.label),
      el("div", {class: "dg-code"}, info.kind === "relation" ? info.relation : info.kind),
      el("p", null, nodeLink(e.from), " → ", nodeLink(e.to)),
      dl([["Khẳng định bởi", info.asserted_by_label], ["Nhiệm vụ", info.task], ["Thời hạn", info.deadline],
        ["Tệp nguồn", info.source_file]]));
    if (info.sentence) section.append(el("h3", null, "Câu nguồn"), ...sentenceWithQuote(info.sentence, info.quote || ""));
    panel.replaceChildren(section);
  }

  function selectNode(id) {
    if (!nodes.get(id)) return false;
    network.selectNodes([id]);
    network.focus(id, {scale: Math.max(network.getScale(), 1), animation: {duration: 300}});
    showNode(id);
    return true;
  }

  function selectEdge(id) {
    if (!edges.get(id)) return false;
    network.selectEdges([id]);
    showEdge(id);
    return true;
  }

  // ---- search (diacritics, tone marks and case ignored) -------------------------------------
  const index = DATA.nodes.map((n) => {
    const d = n.dg;
    const main = fold([d.label, d.type, d.symbol].join(" "));
    return {id: n.id, main, all: fold([main, d.title, d.issuer, d.province, d.iri].join(" ")), size: d.label.length};
  });
  const results = document.getElementById("dg-search-results");
  const input = document.getElementById("dg-search");

  function matches(q) {
    const words = fold(q).split(" ").filter(Boolean);
    if (!words.length) return [];
    const score = (item) => words.filter((w) => item.main.includes(w)).length * 2 + (item.main === fold(q) ? 100 : 0);
    return index.filter((item) => words.every((w) => item.all.includes(w)))
      .map((item) => ({item, score: score(item)}))
      .sort((a, b) => b.score - a.score || a.item.size - b.item.size)
      .map((r) => r.item.id);
  }

  function showResults(ids) {
    results.replaceChildren(...ids.slice(0, 30).map((id, i) => {
      const d = nodes.get(id).dg;
      const li = el("li", {"data-id": id, class: i === 0 ? "dg-active" : ""}, d.label,
        el("span", {class: "dg-sub"}, [d.type, d.date, d.province].filter(Boolean).join(" · ")));
      li.addEventListener("mousedown", (ev) => { ev.preventDefault(); selectNode(id); results.hidden = true; });
      return li;
    }));
    results.hidden = ids.length === 0;
  }

  // Select and focus the best match; returns every matching node id, best first.
  function search(q) {
    const ids = matches(q);
    if (ids.length) selectNode(ids[0]);
    return ids;
  }

  let timer = null;
  input.addEventListener("input", () => {
    clearTimeout(timer);
    timer = setTimeout(() => showResults(matches(input.value)), 120);
  });
  input.addEventListener("keydown", (ev) => {
    if (ev.key === "Enter") { search(input.value); results.hidden = true; }
    if (ev.key === "Escape") results.hidden = true;
  });
  input.addEventListener("blur", () => { results.hidden = true; });

  // ---- legend --------------------------------------------------------------------------------
  function swatch(width, height, draw) {
    const svg = document.createElementNS(SVG, "svg");
    svg.setAttribute("width", width);
    svg.setAttribute("height", height);
    draw(svg);
    return svg;
  }
  function shape(tag, attrs) {
    const node = document.createElementNS(SVG, tag);
    for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, v);
    return node;
  }
  function legendList(title, items) {
    return [el("h4", null, title), el("ul", null, ...items.map(([icon, text]) => el("li", null, icon, text)))];
  }
  const grey = DATA.legend.levels.find((l) => l.key === "unknown");
  const box = (fill, stroke, dash) => swatch(26, 16, (s) => s.append(shape("rect", {x: 1.5, y: 1.5, width: 23, height: 13,
    rx: 3, fill, stroke, "stroke-width": 2, "stroke-dasharray": dash || "none"})));
  const shapes = [
    [box(grey.fill, grey.border), "Văn bản trong kho (document in corpus)"],
    [box("#ffffff", grey.border, "5 4"), "Văn bản chỉ được trích dẫn (cited only)"],
  ];
  if (DATA.legend.bodies) {
    shapes.push([swatch(26, 16, (s) => s.append(shape("ellipse", {cx: 13, cy: 8, rx: 11.5, ry: 6.5, fill: grey.fill,
      stroke: grey.border, "stroke-width": 2}))), "Cơ quan (body)"]);
  }
  const line = (item) => swatch(34, 12, (s) => {
    s.append(shape("line", {x1: 1, y1: 6, x2: 26, y2: 6, stroke: item.color, "stroke-width": Math.max(item.width, 1.5),
      "stroke-dasharray": item.dashes ? item.dashes.join(" ") : "none"}));
    s.append(shape("path", {d: "M25 2 L33 6 L25 10 Z", fill: item.color}));
  });
  document.getElementById("dg-legend-body").append(
    ...legendList("Màu: cấp ban hành (level)", DATA.legend.levels.map((l) => [box(l.fill, l.border), l.label])),
    ...legendList("Hình (shape)", shapes),
    ...(DATA.legend.edges.length ? legendList("Quan hệ (edges)", DATA.legend.edges.map((e) => [line(e), e.label])) : []));
  document.getElementById("dg-count").textContent =
    nodes.length + " nút · " + edges.length + " cạnh";
})();
