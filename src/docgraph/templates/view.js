// docgraph view: every string from a document is data. It reaches the page only as text nodes
// (textContent / append(string)); no innerHTML anywhere in this file, and no link but the PNG download
// (a data: URL made here).
(function () {
  "use strict";
  const DATA = JSON.parse(document.getElementById("dg-data").textContent);
  const S = DATA.strings, N = DATA.nodes, E = DATA.edges, LIM = DATA.limits, STY = DATA.styles;
  const NN = N.iri.length, NE = E.from.length;
  const t0 = performance.now();
  const absent = (n) => new Int32Array(n).fill(-1); // Python leaves out a column with no value at all
  for (const f of ["symbol", "type", "date", "issuer", "level", "province", "title", "source_file"]) N[f] = N[f] || absent(NN);
  for (const f of ["relation", "relation_label", "asserted_by_label", "sentence", "quote", "source_file", "task", "deadline"]) {
    E[f] = E[f] || absent(NE);
  }
  const SVG = "http://www.w3.org/2000/svg"; // namespace name, never fetched
  const FIELDS = [ // [key, label] shown for a document, in this order
    ["type", "Loại"], ["symbol", "Số hiệu"], ["date", "Ngày"], ["issuer", "Cơ quan ban hành"],
    ["level", "Cấp"], ["province", "Tỉnh/thành"], ["title", "Trích yếu"], ["in_corpus", "Trong kho"],
    ["source_file", "Tệp nguồn"],
  ];
  const TOOLTIP_FIELDS = ["type", "symbol", "date", "issuer", "title", "province"];
  const LEVELS = Object.fromEntries(STY.levels.map((l) => [l.key, l]));
  const ASSIGN = STY.assignmentLabels;
  const GROUP_NAMES = {issuer: "cơ quan ban hành", province: "tỉnh/thành", year: "năm"};

  // ---- the embedded graph ----------------------------------------------------------------------
  const str = (i) => (i === undefined || i === null || i < 0 ? null : S[i]);
  const field = (i, key) => (key === "in_corpus" ? N.in_corpus[i] === 1 : str(N[key][i]));
  const iriOf = (i) => S[N.iri[i]];
  const isBody = (i) => N.body[i] === 1;
  const labelOf = (i) => str(N.label[i]) || iriOf(i);
  const levelOf = (i) => (LEVELS[str(N.level[i])] ? str(N.level[i]) : "unknown");
  const kindOf = (k) => str(E.kind[k]) || "relation";
  const isAssignment = (k) => kindOf(k) in ASSIGN;
  const byIri = new Map();
  const yearOf = new Array(NN);
  const outE = Array.from({length: NN}, () => []), inE = Array.from({length: NN}, () => []);
  for (let i = 0; i < NN; i++) {
    byIri.set(iriOf(i), i);
    const d = str(N.date[i]);
    yearOf[i] = d && /^\d{4}/.test(d) ? Number(d.slice(0, 4)) : null;
  }
  for (let k = 0; k < NE; k++) { outE[E.from[k]].push(k); inE[E.to[k]].push(k); }
  const relationOut = (i) => outE[i].filter((k) => !isAssignment(k));
  const relationIn = (i) => inE[i].filter((k) => !isAssignment(k));

  function edgeLabel(k) {
    const kind = kindOf(k);
    if (kind === "relation") return str(E.relation_label[k]) || str(E.relation[k]) || "?";
    return ASSIGN[kind] || kind;
  }
  function edgeStyle(k) {
    const kind = kindOf(k);
    return STY.edges[kind === "relation" ? str(E.relation[k]) : kind] || STY.other;
  }

  // ---- DOM helpers -------------------------------------------------------------------------------
  // el("p", {class: "x"}, "text", childNode): children that are strings become text nodes.
  function el(tag, attrs, ...children) {
    const node = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs || {})) {
      if (v === undefined || v === null || v === false) continue;
      if (k === "class") node.className = v; else node.setAttribute(k, v === true ? "" : v);
    }
    for (const c of children) if (c !== null && c !== undefined) node.append(c instanceof Node ? c : String(c));
    return node;
  }
  function button(text, onClick, attrs) {
    const b = el("button", Object.assign({type: "button", class: "dg-link"}, attrs || {}), text);
    b.addEventListener("click", onClick);
    return b;
  }
  const shorten = (s, n) => (s.length > n ? s.slice(0, n - 1) + "…" : s);

  function fold(s) { // "Kết luận Hà Tĩnh", "hoà"/"hòa", "Uỷ"/"Ủy" -> "ket luan ha tinh", "hoa", "uy"
    return String(s == null ? "" : s).normalize("NFD").replace(/\p{M}/gu, "").toLowerCase()
      .replace(/đ/g, "d").replace(/\s+/g, " ").trim();
  }

  function fieldText(key, value) {
    if (key === "in_corpus") return value ? "có" : "không (chỉ được trích dẫn)";
    if (key === "level") return (LEVELS[value] || LEVELS.unknown).label;
    return value;
  }

  function tooltip(i) {
    const tip = el("div", {class: "dg-tip"}, el("strong", null, labelOf(i)));
    const keys = isBody(i) ? ["level"] : TOOLTIP_FIELDS;
    for (const key of keys) {
      const value = field(i, key);
      if (value === null || value === "") continue;
      const label = FIELDS.find((f) => f[0] === key)[1];
      tip.append(el("div", null, el("span", null, label + ": "), fieldText(key, value)));
    }
    return tip;
  }
  function edgeTooltip(ks) {
    const k = ks[0];
    const tip = el("div", {class: "dg-tip"}, el("strong", null, edgeLabel(k)));
    if (str(E.asserted_by_label[k])) tip.append(el("div", null, el("span", null, "Theo: "), str(E.asserted_by_label[k])));
    for (const t of ks.slice(0, 6)) if (str(E.task[t])) tip.append(el("div", null, "• " + shorten(str(E.task[t]), 140)));
    if (ks.length > 6) tip.append(el("div", null, "… +" + (ks.length - 6)));
    return tip;
  }

  // colour blended towards white (for what is outside the chain or the group)
  function fade(hex, amount) {
    const n = parseInt(hex.slice(1), 16);
    const mix = (c) => Math.round(c + (255 - c) * amount);
    return "#" + [(n >> 16) & 255, (n >> 8) & 255, n & 255].map((c) => mix(c).toString(16).padStart(2, "0")).join("");
  }

  // ---- state -----------------------------------------------------------------------------------
  const init = DATA.initial;
  const state = {
    focus: init.focus !== null && byIri.has(init.focus) ? byIri.get(init.focus) : null,
    depth: init.depth, chainOnly: !!init.chainOnly, assignments: !!init.assignments, layout: init.layout,
    groupBy: init.groupBy || "issuer", group: null,
    filters: {levels: new Set(Object.keys(LEVELS)), type: -2, issuer: -2, province: -2, yearFrom: null, yearTo: null,
      undated: true},
  };
  const ANY = -2; // filter value meaning "all"

  function passes(i) {
    const f = state.filters;
    if (!f.levels.has(levelOf(i))) return false;
    if (isBody(i)) return true;
    if (f.type !== ANY && N.type[i] !== f.type) return false;
    if (f.issuer !== ANY && N.issuer[i] !== f.issuer) return false;
    if (f.province !== ANY && N.province[i] !== f.province) return false;
    const y = yearOf[i];
    if (y === null) return f.undated;
    return (f.yearFrom === null || y >= f.yearFrom) && (f.yearTo === null || y <= f.yearTo);
  }
  function filtersActive() {
    const f = state.filters;
    return f.levels.size < Object.keys(LEVELS).length || f.type !== ANY || f.issuer !== ANY || f.province !== ANY ||
      f.yearFrom !== null || f.yearTo !== null || !f.undated;
  }

  // ---- what to draw --------------------------------------------------------------------------------
  // Breadth-first over citation links from `start` (which always passes), `dir` "out", "in" or "both".
  function reach(start, dir, depth, ok) {
    const dist = new Map([[start, 0]]);
    let frontier = [start];
    for (let d = 0; frontier.length && (depth === null || d < depth); d++) {
      const next = [];
      for (const i of frontier) {
        const ks = dir === "out" ? relationOut(i) : dir === "in" ? relationIn(i) : relationOut(i).concat(relationIn(i));
        for (const k of ks) {
          const j = E.from[k] === i ? E.to[k] : E.from[k];
          if (!dist.has(j) && ok(j)) { dist.set(j, d + 1); next.push(j); }
        }
      }
      frontier = next;
    }
    return dist;
  }

  function degree(i) { return outE[i].length + inE[i].length; }

  // {docs: [i], highlight: Set|null (others faded), chainEdges: Set|null, note}
  function selectDocs() {
    const docOk = (i) => !isBody(i) && passes(i);
    const cap = LIM.maxDrawn;
    if (state.focus !== null) {
      const f = state.focus;
      const ok = (j) => docOk(j) || j === f;
      let order;
      if (state.chainOnly) {
        const up = reach(f, "out", state.depth, ok), down = reach(f, "in", state.depth, ok);
        order = [...new Set([...up.keys(), ...down.keys()])];
      } else {
        order = [...reach(f, "both", state.depth, ok).keys()];
      }
      let note = "";
      if (order.length > cap) { note = `Chỉ vẽ ${cap} trên ${order.length} văn bản gần nhất.`; order = order.slice(0, cap); }
      const shown = new Set(order);
      const inShown = (j) => shown.has(j);
      const up = reach(f, "out", null, inShown), down = reach(f, "in", null, inShown);
      const chain = new Set([...up.keys(), ...down.keys()]);
      const chainEdges = new Set(); // a link between two documents above the focus, or two below it
      for (const i of order) {
        for (const k of relationOut(i)) {
          const b = E.to[k];
          if ((up.has(i) && up.has(b)) || (down.has(i) && down.has(b))) chainEdges.add(k);
        }
      }
      return {docs: order, highlight: chain, chainEdges, note};
    }
    if (DATA.mode === "overview") { // a group opened from the overview, with the documents it links to, faded
      const g = state.group;
      const members = [];
      for (let i = 0; i < NN; i++) if (docOk(i) && groupOf(i) === g) members.push(i);
      let note = "";
      if (members.length > cap) {
        members.sort((a, b) => degree(b) - degree(a));
        note = `Nhóm có ${members.length} văn bản: chỉ vẽ ${cap} văn bản được trích dẫn nhiều nhất. Lọc theo năm để xem phần còn lại.`;
        members.length = cap;
      }
      const shown = new Set(members);
      for (const i of members) {
        for (const k of relationOut(i).concat(relationIn(i))) {
          if (shown.size >= cap) break;
          const j = E.from[k] === i ? E.to[k] : E.from[k];
          if (docOk(j)) shown.add(j);
        }
      }
      return {docs: [...shown], highlight: new Set(members), chainEdges: null, note};
    }
    const docs = [];
    for (let i = 0; i < NN; i++) if (docOk(i)) docs.push(i);
    return {docs, highlight: null, chainEdges: null, note: ""};
  }

  function selectView() {
    const sel = selectDocs();
    const shown = new Set(sel.docs);
    const nodesIdx = sel.docs.slice();
    if (state.assignments) {
      for (const i of sel.docs) {
        for (const k of inE[i]) {
          const b = E.from[k];
          if (isAssignment(k) && !shown.has(b) && passes(b)) { shown.add(b); nodesIdx.push(b); }
        }
      }
    }
    // edges between drawn nodes; the tasks of one body from one document (same role) are one line
    const drawn = [], merged = new Map();
    for (const i of nodesIdx) {
      for (const k of outE[i]) {
        if (!shown.has(E.to[k])) continue;
        if (isAssignment(k)) {
          if (!state.assignments) continue;
          const key = E.from[k] + ":" + E.to[k] + ":" + kindOf(k);
          if (merged.has(key)) { merged.get(key).push(k); continue; }
          const group = [k];
          merged.set(key, group);
          drawn.push(group);
        } else {
          drawn.push([k]);
        }
      }
    }
    return Object.assign(sel, {nodes: nodesIdx, shown, edges: drawn});
  }

  // ---- the overview: groups of documents ------------------------------------------------------------
  const groupIndex = {}; // groupBy -> Map(key -> group position)
  for (const by of Object.keys(DATA.overview || {})) {
    groupIndex[by] = new Map(DATA.overview[by].groups.map((g, n) => [g.key, n]));
  }
  function groupKeyOf(i, by) {
    if (by === "year") return yearOf[i] === null ? -1 : yearOf[i];
    return N[by][i];
  }
  function groupOf(i) { // position of i's group in DATA.overview[groupBy].groups
    const m = groupIndex[state.groupBy];
    const n = m.get(groupKeyOf(i, state.groupBy));
    return n === undefined ? m.get("other") : n;
  }
  function groupLabel(g, by) {
    const info = DATA.overview[by].groups[g];
    if (info.key === "other") return `Khác (${DATA.overview[by].merged} nhóm nhỏ)`;
    if (info.key === -1) return by === "year" ? "(không rõ năm)" : by === "province" ? "(không gắn tỉnh)" : "(không rõ cơ quan)";
    return by === "year" ? String(info.key) : S[info.key];
  }

  function overviewView() {
    const by = state.groupBy, groups = DATA.overview[by].groups;
    const count = new Array(groups.length).fill(0), inner = new Array(groups.length).fill(0);
    const levelCount = groups.map(() => ({}));
    const of = new Int32Array(NN).fill(-1);
    for (let i = 0; i < NN; i++) {
      if (isBody(i) || !passes(i)) continue;
      const g = groupOf(i);
      if (g === undefined) continue;
      of[i] = g;
      count[g]++;
      const lv = levelOf(i);
      levelCount[g][lv] = (levelCount[g][lv] || 0) + 1;
    }
    const links = new Map();
    for (let k = 0; k < NE; k++) {
      const a = of[E.from[k]], b = of[E.to[k]];
      if (a < 0 || b < 0 || isAssignment(k)) continue;
      if (a === b) { inner[a]++; continue; }
      const key = a + ":" + b;
      links.set(key, (links.get(key) || 0) + 1);
    }
    const max = Math.max(1, ...count);
    const nodes = [];
    groups.forEach((info, g) => {
      if (!count[g]) return;
      const lv = Object.entries(levelCount[g]).sort((x, y) => y[1] - x[1])[0][0];
      const style = LEVELS[lv];
      const label = shorten(groupLabel(g, by), 48);
      nodes.push({id: "group:" + by + ":" + g, group_: g, label: label + "\n" + count[g], shape: "dot",
        size: 8 + 34 * Math.sqrt(count[g] / max), x: info.x, y: info.y,
        color: {background: style.fill, border: style.border, highlight: {background: style.fill, border: "#111"},
          hover: {background: style.fill, border: "#111"}},
        borderWidth: 2, font: {size: 13, multi: false},
        title: el("div", {class: "dg-tip"}, el("strong", null, groupLabel(g, by)),
          el("div", null, `${count[g]} văn bản · ${inner[g]} trích dẫn trong nhóm`),
          el("div", null, el("span", null, "Bấm đúp để mở nhóm"))),
        stats: {count: count[g], inner: inner[g], level: lv}});
    });
    const top = [...links.entries()].sort((x, y) => y[1] - x[1]).slice(0, 800);
    const edges = top.map(([key, c], n) => {
      const [a, b] = key.split(":").map(Number);
      return {id: "link:" + n, from: "group:" + by + ":" + a, to: "group:" + by + ":" + b,
        width: Math.min(12, 0.8 + Math.log2(c)), label: top.length <= 150 ? String(c) : undefined,
        color: {color: "#7f8c8d", highlight: "#2c3e50", hover: "#2c3e50", opacity: 0.7}, count: c,
        title: el("div", {class: "dg-tip"}, el("strong", null, `${c} trích dẫn`),
          el("div", null, groupLabel(a, by) + " → " + groupLabel(b, by)))};
    });
    const note = links.size > top.length ? `Vẽ ${top.length} trên ${links.size} cặp nhóm có trích dẫn (nhiều nhất).` : "";
    return {nodes, edges, note, docCount: count.reduce((x, y) => x + y, 0)};
  }

  // ---- layouts -------------------------------------------------------------------------------------
  function compressedRanks(idx) {
    const values = [...new Set(idx.map((i) => N.rank[i]))].sort((a, b) => a - b);
    const to = new Map(values.map((v, n) => [v, n]));
    return new Map(idx.map((i) => [i, to.get(N.rank[i])]));
  }
  // Same algorithm as view_layout.layered_positions: layers top-down, barycentre order, rows of 40.
  function layeredPositions(idx, edgeGroups) {
    const rank = compressedRanks(idx), adj = new Map(idx.map((i) => [i, []]));
    for (const [k] of edgeGroups) { adj.get(E.from[k]).push(E.to[k]); adj.get(E.to[k]).push(E.from[k]); }
    const layers = new Map();
    for (const i of idx) { if (!layers.has(rank.get(i))) layers.set(rank.get(i), []); layers.get(rank.get(i)).push(i); }
    const pos = new Map();
    let y = 0;
    for (const r of [...layers.keys()].sort((a, b) => a - b)) {
      const bary = (i) => { const xs = adj.get(i).filter((j) => pos.has(j)).map((j) => pos.get(j)[0]);
        return xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : Infinity; };
      const order = layers.get(r).map((i) => [bary(i), i]).sort((a, b) => a[0] - b[0]).map((p) => p[1]);
      order.forEach((i, n) => {
        const row = Math.floor(n / 40), col = n % 40, inRow = Math.min(40, order.length - row * 40);
        pos.set(i, [(col - (inRow - 1) / 2) * 190, y + row * 90]);
      });
      y += Math.ceil(order.length / 40) * 90 + 160;
    }
    return pos;
  }
  // Python's positions where there are some; a node without one (a body switched on) goes below its neighbours.
  function pythonPositions(idx, edgeGroups) {
    if (!N.x) return null;
    const placed = idx.filter((i) => N.x[i] !== null);
    if (placed.length < idx.length * 0.6) return null;
    const pos = new Map(placed.map((i) => [i, [N.x[i], N.y[i]]]));
    const adj = new Map();
    for (const [k] of edgeGroups) {
      for (const [a, b] of [[E.from[k], E.to[k]], [E.to[k], E.from[k]]]) {
        if (!adj.has(a)) adj.set(a, []);
        adj.get(a).push(b);
      }
    }
    let n = 0;
    for (const i of idx) {
      if (pos.has(i)) continue;
      const near = (adj.get(i) || []).filter((j) => pos.has(j)).map((j) => pos.get(j));
      const [x, y] = near.length ? [near.reduce((s, p) => s + p[0], 0) / near.length, Math.max(...near.map((p) => p[1]))]
        : [0, 0];
      pos.set(i, [x + ((n % 7) - 3) * 60, y + 140 + (n % 3) * 50]);
      n++;
    }
    return pos;
  }
  function resolveLayout(count) {
    if (state.layout !== "auto") return state.layout;
    if (state.focus !== null) return state.chainOnly ? "hierarchical" : "force";
    return count <= LIM.autoForceMax ? "force" : "hierarchical";
  }

  // ---- drawing -------------------------------------------------------------------------------------
  const container = document.getElementById("dg-network");
  const panel = document.getElementById("dg-panel");
  const nodes = new vis.DataSet(), edges = new vis.DataSet();
  let network = null, current = null;
  const api = {nodes, edges, data: DATA, state, ready: false, readyAt: null, views: 0};
  Object.defineProperty(api, "network", {get: () => network});
  window.docgraph = api;

  function visNode(i, v) {
    const body = isBody(i), lv = LEVELS[levelOf(i)], hollow = !body && N.in_corpus[i] !== 1;
    const faded = v.highlight !== null && !body && !v.highlight.has(i);
    let background = hollow ? "#ffffff" : lv.fill, border = lv.border;
    if (faded) { background = fade(background, 0.6); border = fade(border, 0.6); }
    const focus = i === state.focus;
    const item = {id: iriOf(i), idx: i, label: body ? shorten(labelOf(i), 60) : labelOf(i), shape: body ? "ellipse" : "box",
      color: {background, border, highlight: {background, border: "#111111"}, hover: {background, border: "#111111"}},
      shapeProperties: {borderDashes: hollow ? (focus ? [9, 5] : [5, 4]) : false}, title: tooltip(i)};
    if (faded) item.font = {color: "#9a9a9a"};
    if (focus) {
      Object.assign(item, {borderWidth: 4, borderWidthSelected: 4, font: {size: 16},
        shadow: {enabled: true, color: lv.border, size: 16, x: 0, y: 0}});
    }
    return item;
  }
  function visEdge(ks, v, pairs) {
    const k = ks[0], style = edgeStyle(k), onChain = v.chainEdges !== null && v.chainEdges.has(k);
    const faded = (v.chainEdges !== null && !onChain && !isAssignment(k)) ||
      (v.highlight !== null && v.chainEdges === null && !(v.highlight.has(E.from[k]) || v.highlight.has(E.to[k])));
    const color = faded ? fade(style.color, 0.65) : style.color;
    const item = {id: "e" + k, members: ks, from: iriOf(E.from[k]), to: iriOf(E.to[k]),
      width: style.width + (onChain ? 2 : 0), dashes: style.dashes || false,
      color: {color, highlight: style.color, hover: style.color, inherit: false}, title: edgeTooltip(ks)};
    if (!isAssignment(k) && v.nodes.length < LIM.pythonLayoutMin) item.label = edgeLabel(k);
    const pair = [E.from[k], E.to[k]].sort().join(":");
    const parallel = pairs.get(pair) || 0;
    pairs.set(pair, parallel + 1);
    if (parallel) item.smooth = {enabled: true, type: "curvedCW", roundness: Math.min(0.2 * parallel, 0.8)};
    return item;
  }

  function options(kind, layout, count) {
    const o = JSON.parse(JSON.stringify(DATA.options));
    if (kind === "overview") {
      o.nodes.font = {size: 13, color: "#1b1b1b", strokeWidth: 3, strokeColor: "#ffffff"};
      o.edges.font = {size: 11, color: "#555"};
      o.edges.arrows.to.scaleFactor = 0.5;
      o.interaction.tooltipDelay = 100;
      return o;
    }
    if (count >= LIM.pythonLayoutMin || count === 0) return o; // positions given: no physics, no vis layout
    if (layout === "hierarchical") {
      o.layout.hierarchical = {enabled: true, direction: "UD", levelSeparation: 130, nodeSpacing: 190,
        treeSpacing: 220, blockShifting: true, edgeMinimization: true, parentCentralization: true,
        shakeTowards: "roots", sortMethod: "hubsize"};
    } else {
      // Physics only to find a layout: capped, then switched off once stabilized.
      o.physics = {enabled: true, solver: "barnesHut", minVelocity: 1,
        barnesHut: {gravitationalConstant: -6000, springLength: 170, springConstant: 0.03, damping: 0.3,
          avoidOverlap: 0.3},
        stabilization: {enabled: true, iterations: LIM.stabilization, updateInterval: 50, fit: true}};
    }
    return o;
  }

  function draw(kind, items, opts, v) {
    api.ready = false;
    document.body.removeAttribute("data-ready");
    if (network) network.destroy();
    nodes.clear();
    edges.clear();
    nodes.add(items.nodes);
    edges.add(items.edges);
    network = new vis.Network(container, {}, opts);
    current = Object.assign({kind}, v);
    const done = () => {
      if (api.ready) return;
      api.ready = true;
      api.readyAt = performance.now();
      api.views++;
      document.body.setAttribute("data-ready", "1");
      if (state.focus !== null && kind === "graph" && nodes.get(iriOf(state.focus))) {
        network.selectNodes([iriOf(state.focus)]);
        if (!panel.querySelector("section") || panel.dataset.keep !== "1") showNode(state.focus);
      }
      panel.dataset.keep = "";
    };
    if (opts.physics.enabled) {
      network.once("stabilizationIterationsDone", () => { network.setOptions({physics: false}); done(); });
    } else {
      network.once("afterDrawing", () => { network.fit(); done(); });
    }
    network.on("click", onClick);
    network.on("doubleClick", (p) => {
      if (!p.nodes.length) return;
      const n = nodes.get(p.nodes[0]);
      if (n && n.group_ !== undefined) openGroup(n.group_);
      else if (n && !isBody(n.idx)) focusOn(n.id);
    });
    network.setData({nodes, edges}); // after the handlers, so no event is missed
    if (!items.nodes.length) requestAnimationFrame(done);
  }

  function render() {
    const note = [];
    if (DATA.mode === "overview" && state.focus === null && state.group === null) {
      const o = overviewView();
      if (o.note) note.push(o.note);
      draw("overview", o, options("overview"), {nodes: o.nodes.map((n) => n.id), docs: o.docCount});
      updateChrome(note, `${o.nodes.length} nhóm · ${o.docCount} văn bản`);
      buildLegend();
      return;
    }
    const v = selectView();
    if (v.note) note.push(v.note);
    let layout = resolveLayout(v.nodes.length);
    let pos = null;
    if (v.nodes.length >= LIM.pythonLayoutMin) {
      if (state.focus === null && state.group === null && DATA.positionsLayout === layout) pos = pythonPositions(v.nodes, v.edges);
      if (!pos) {
        if (state.layout === "force") note.push(`Bố cục lực chỉ dùng dưới ${LIM.pythonLayoutMin} nút: vẽ phân cấp.`);
        layout = "hierarchical";
        pos = layeredPositions(v.nodes, v.edges);
      }
    }
    const ranks = layout === "hierarchical" && !pos ? compressedRanks(v.nodes) : null;
    const visNodes = v.nodes.map((i) => {
      const item = visNode(i, v);
      if (pos) { const [x, y] = pos.get(i); item.x = x; item.y = y; }
      if (ranks) item.level = ranks.get(i);
      return item;
    });
    const pairs = new Map();
    const visEdges = v.edges.map((ks) => visEdge(ks, v, pairs));
    draw("graph", {nodes: visNodes, edges: visEdges}, options("graph", layout, v.nodes.length), v);
    current.layout = layout;
    const bodies = v.nodes.length - v.docs.length;
    updateChrome(note, `${v.docs.length} văn bản` + (bodies ? ` · ${bodies} cơ quan` : "") + ` · ${visEdges.length} cạnh`);
    buildLegend();
  }

  // ---- toolbar ---------------------------------------------------------------------------------------
  const $ = (id) => document.getElementById(id);
  function updateChrome(notes, count) {
    $("dg-count").textContent = count;
    $("dg-note").textContent = notes.join(" ");
    const overview = DATA.mode === "overview";
    $("dg-back").hidden = !(overview && (state.focus !== null || state.group !== null));
    $("dg-groupby-box").hidden = !overview;
    $("dg-unfocus").disabled = state.focus === null;
    let where = "";
    if (state.focus !== null) where = "Tập trung: " + labelOf(state.focus) + (state.chainOnly ? " (chuỗi)" : "");
    else if (overview && state.group !== null) where = "Nhóm: " + groupLabel(state.group, state.groupBy);
    else if (overview) where = "Tổng quan theo " + GROUP_NAMES[state.groupBy];
    else where = "Toàn bộ đồ thị";
    $("dg-where").textContent = where;
    $("dg-filter-state").textContent = filtersActive() ? "(đang lọc)" : "";
    $("dg-assign").checked = state.assignments;
    $("dg-chain").checked = state.chainOnly;
    $("dg-layout").value = state.layout;
    $("dg-groupby").value = state.groupBy;
    $("dg-depth").value = state.depth === null ? "" : String(state.depth);
  }
  $("dg-back").addEventListener("click", () => { state.focus = null; state.group = null; render(); showHint(); });
  $("dg-unfocus").addEventListener("click", () => unfocus());
  $("dg-groupby").addEventListener("change", (ev) => { state.groupBy = ev.target.value; state.group = null; render(); });
  $("dg-assign").addEventListener("change", (ev) => setAssignments(ev.target.checked));
  $("dg-chain").addEventListener("change", (ev) => { state.chainOnly = ev.target.checked; if (state.focus !== null) render(); });
  $("dg-layout").addEventListener("change", (ev) => { state.layout = ev.target.value; render(); });
  $("dg-depth").addEventListener("change", (ev) => {
    const v = ev.target.value.trim();
    state.depth = v === "" ? null : Math.max(0, Math.floor(Number(v)) || 0);
    if (state.focus !== null) render();
  });
  $("dg-fit").addEventListener("click", () => network && network.fit());
  $("dg-png").addEventListener("click", () => exportPng());

  function exportPng() { // the canvas on white (vis draws on a transparent one), downloaded as a file
    const canvas = container.querySelector("canvas");
    if (!canvas) return null;
    const out = document.createElement("canvas");
    out.width = canvas.width;
    out.height = canvas.height;
    const ctx = out.getContext("2d");
    ctx.fillStyle = "#ffffff";
    ctx.fillRect(0, 0, out.width, out.height);
    ctx.drawImage(canvas, 0, 0);
    const url = out.toDataURL("image/png");
    const name = (fold(DATA.title).replace(/[^a-z0-9]+/g, "-").replace(/^-|-$/g, "") || "docgraph") + ".png";
    const a = el("a", {href: url, download: name, hidden: true});
    document.body.append(a);
    a.click();
    a.remove();
    return url.length;
  }

  // ---- actions (also the page's API, used by the tests) ---------------------------------------------
  function focusOn(id, opts) {
    const i = typeof id === "number" ? id : byIri.get(id);
    if (i === undefined || isBody(i)) return false;
    if (opts && "depth" in opts) state.depth = opts.depth;
    if (opts && "chainOnly" in opts) state.chainOnly = !!opts.chainOnly;
    state.focus = i;
    render();
    return true;
  }
  function unfocus() { state.focus = null; render(); showHint(); return true; }
  function openGroup(g) { state.group = g; state.focus = null; render(); showGroupHint(); return true; }
  function setAssignments(on) { state.assignments = !!on; render(); return true; }
  function setLayout(layout) { state.layout = layout; render(); return true; }
  function setFilter(key, value) {
    const f = state.filters;
    if (key === "levels") f.levels = new Set(value);
    else if (key === "yearFrom" || key === "yearTo") f[key] = value === null || value === "" ? null : Number(value);
    else if (key === "undated") f.undated = !!value;
    else if (key in f) f[key] = value === null || value === "" ? ANY : (typeof value === "number" ? value : S.indexOf(value));
    else return false;
    syncFilterInputs();
    render();
    return true;
  }
  function resetFilters() {
    Object.assign(state.filters, {levels: new Set(Object.keys(LEVELS)), type: ANY, issuer: ANY, province: ANY,
      yearFrom: null, yearTo: null, undated: true});
    syncFilterInputs();
    render();
  }
  Object.assign(api, {search, selectNode, selectEdge, focus: focusOn, unfocus, openGroup, setAssignments, setLayout,
    setFilter, resetFilters, exportPng, physicsEnabled: () => !!network && network.physics.options.enabled === true,
    drawnIds: () => nodes.getIds(), view: () => current && current.kind});

  function onClick(p) {
    if (p.nodes.length) {
      const n = nodes.get(p.nodes[0]);
      if (n.group_ !== undefined) showGroup(n); else showNode(n.idx);
    } else if (p.edges.length) {
      const e = edges.get(p.edges[0]);
      if (e.members) showEdge(e.members); else showLink(e);
    } else {
      showHint();
    }
  }

  // ---- side panel ----------------------------------------------------------------------------------
  function dl(rows) {
    const list = el("dl");
    for (const [label, value] of rows) {
      if (value === null || value === undefined || value === "") continue;
      list.append(el("dt", null, label), el("dd", null, value));
    }
    return list;
  }
  function showHint() {
    panel.replaceChildren(el("p", {class: "dg-hint"}, DATA.mode === "overview" && state.focus === null && state.group === null
      ? "Mỗi chấm là một nhóm văn bản. Bấm để xem, bấm đúp để mở nhóm; hoặc tìm một văn bản."
      : "Bấm vào một văn bản hoặc một mũi tên để xem chi tiết."));
  }
  function showGroupHint() {
    if (state.group === null) return showHint();
    panel.replaceChildren(el("section", {id: "dg-group"}, el("h2", null, groupLabel(state.group, state.groupBy)),
      el("p", {class: "dg-hint"}, "Văn bản của nhóm đậm màu; văn bản nhóm khác có trích dẫn liên quan nhạt màu.")));
  }
  // a document as a link that focuses it; a body as a link that shows it
  function nodeLink(i) {
    const b = button(labelOf(i), () => (isBody(i) ? selectNode(iriOf(i)) : focusOn(i)),
      {"data-id": iriOf(i), class: isBody(i) ? "dg-link" : "dg-link dg-focus", title: isBody(i) ? null : "Tập trung vào văn bản này"});
    return b;
  }

  function tasksOf(i) { // for a document: task text -> {lead: [bodies], coordinator: [bodies], deadline, edges}
    const tasks = new Map();
    for (const k of inE[i]) {
      if (!isAssignment(k)) continue;
      const text = str(E.task[k]) || "(không rõ nhiệm vụ)";
      if (!tasks.has(text)) tasks.set(text, {lead: [], coordinator: [], deadline: null});
      const t = tasks.get(text);
      t[kindOf(k)].push(E.from[k]);
      t.deadline = t.deadline || str(E.deadline[k]);
    }
    return tasks;
  }

  function citationList(ks, pick) { // one entry per (document, relation)
    const seen = new Set(), list = el("ul", {class: "dg-cites"});
    for (const k of ks) {
      const j = pick(k), key = j + ":" + str(E.relation[k]);
      if (seen.has(key)) continue;
      seen.add(key);
      list.append(el("li", {"data-id": iriOf(j)}, nodeLink(j), " ",
        button("(" + edgeLabel(k) + ")", () => selectEdge("e" + k) || showEdge([k]), {class: "dg-link dg-rel"})));
    }
    return list;
  }

  function showNode(i) {
    const id = iriOf(i);
    const rows = isBody(i) ? [["Cấp", fieldText("level", str(N.level[i]) || "unknown")]]
      : FIELDS.map(([key, label]) => { const v = field(i, key); return [label, v === null ? null : fieldText(key, v)]; });
    const section = el("section", {id: "dg-node", "data-id": id}, el("h2", null, labelOf(i)), el("div", {class: "dg-code"}, id), dl(rows));
    if (!isBody(i)) {
      section.append(el("p", null, button(state.focus === i ? "Đang tập trung vào văn bản này" : "Tập trung vào văn bản này",
        () => focusOn(i), {id: "dg-focus-this", class: "dg-action"})));
      const tasks = tasksOf(i);
      if (tasks.size) {
        const list = el("ol", {class: "dg-tasks"});
        for (const [text, t] of tasks) {
          const li = el("li", null, el("div", null, text));
          for (const role of ["lead", "coordinator"]) {
            if (!t[role].length) continue;
            const who = el("div", {class: "dg-sub"}, ASSIGN[role] + ": ");
            t[role].forEach((b, n) => { if (n) who.append(", "); who.append(nodeLink(b)); });
            li.append(who);
          }
          if (t.deadline) li.append(el("div", {class: "dg-sub"}, "Thời hạn: " + t.deadline));
          list.append(li);
        }
        section.append(el("h3", null, `Nhiệm vụ giao (${tasks.size})`), list);
      }
      const cited = relationOut(i), citing = relationIn(i);
      for (const [ks, pick, title] of [[cited, (k) => E.to[k], "Trích dẫn đến"], [citing, (k) => E.from[k], "Được trích dẫn bởi"]]) {
        if (!ks.length) continue;
        const list = citationList(ks, pick);
        section.append(el("h3", null, `${title} (${list.children.length})`), list);
      }
    } else {
      const list = el("ol", {class: "dg-tasks"});
      for (const k of outE[i]) {
        if (!isAssignment(k)) continue;
        list.append(el("li", null, el("div", null, str(E.task[k]) || "(không rõ nhiệm vụ)"),
          el("div", {class: "dg-sub"}, ASSIGN[kindOf(k)] + " · giao bởi ", nodeLink(E.to[k]),
            str(E.deadline[k]) ? " · thời hạn " + str(E.deadline[k]) : "")));
      }
      if (list.children.length) section.append(el("h3", null, `Nhiệm vụ được giao (${list.children.length})`), list);
    }
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

  function showEdge(ks) {
    const k = ks[0];
    const kind = kindOf(k);
    const section = el("section", {id: "dg-edge", "data-id": "e" + k},
      el("h2", null, edgeLabel(k)), el("div", {class: "dg-code"}, kind === "relation" ? str(E.relation[k]) : kind),
      el("p", null, nodeLink(E.from[k]), " → ", nodeLink(E.to[k])),
      dl([["Khẳng định bởi", str(E.asserted_by_label[k])], ["Tệp nguồn", str(E.source_file[k])]]));
    if (isAssignment(k)) {
      const list = el("ol", {class: "dg-tasks"});
      for (const t of ks) {
        list.append(el("li", null, el("div", null, str(E.task[t]) || ""),
          str(E.deadline[t]) ? el("div", {class: "dg-sub"}, "Thời hạn: " + str(E.deadline[t])) : null));
      }
      section.append(el("h3", null, `Nhiệm vụ (${ks.length})`), list);
    }
    const sentence = str(E.sentence[k]);
    if (sentence) section.append(el("h3", null, "Câu nguồn"), ...sentenceWithQuote(sentence, str(E.quote[k]) || ""));
    else if (!DATA.evidence && kind === "relation") {
      section.append(el("p", {class: "dg-hint"}, "Câu nguồn không được nhúng trong trang tổng quan của đồ thị lớn; " +
        "xuất trang tập trung: docgraph view --focus <văn bản>."));
    }
    panel.replaceChildren(section);
  }

  function showGroup(n) {
    const g = n.group_, by = state.groupBy;
    const section = el("section", {id: "dg-group", "data-group": String(g)}, el("h2", null, groupLabel(g, by)),
      dl([["Gộp theo", GROUP_NAMES[by]], ["Văn bản", n.stats.count], ["Trích dẫn trong nhóm", n.stats.inner],
        ["Cấp (phổ biến nhất)", fieldText("level", n.stats.level)]]),
      el("p", null, button("Mở nhóm này", () => openGroup(g), {id: "dg-open-group", class: "dg-action"})));
    const members = [];
    for (let i = 0; i < NN; i++) if (!isBody(i) && passes(i) && groupOf(i) === g) members.push(i);
    members.sort((a, b) => inE[b].length - inE[a].length);
    const list = el("ul");
    for (const i of members.slice(0, 15)) list.append(el("li", null, nodeLink(i), el("span", {class: "dg-sub"}, " · " + inE[i].length + " trích dẫn đến")));
    section.append(el("h3", null, "Được trích dẫn nhiều nhất"), list);
    panel.replaceChildren(section);
  }
  function showLink(e) {
    panel.replaceChildren(el("section", {id: "dg-link"}, el("h2", null, e.count + " trích dẫn"),
      el("p", null, nodes.get(e.from).label.split("\n")[0] + " → " + nodes.get(e.to).label.split("\n")[0])));
  }

  function selectNode(id) {
    const i = byIri.get(id);
    if (i === undefined) return false;
    if (nodes.get(id)) {
      network.selectNodes([id]);
      network.focus(id, {scale: Math.max(network.getScale(), 1), animation: {duration: 300}});
    }
    showNode(i);
    return true;
  }
  function selectEdge(id) {
    const e = edges.get(id);
    if (!e || !e.members) return false;
    network.selectEdges([id]);
    showEdge(e.members);
    return true;
  }
  // Show a search result: select it where it is drawn, else focus the document (or show the body).
  function reveal(id) {
    const i = byIri.get(id);
    if (nodes.get(id) && (current.kind === "graph")) return selectNode(id);
    if (isBody(i)) {
      if (!state.assignments) { state.assignments = true; }
      for (const k of outE[i]) if (isAssignment(k)) { panel.dataset.keep = "1"; focusOn(E.to[k]); break; }
      return selectNodeWhenReady(id);
    }
    focusOn(i);
    return true;
  }
  function selectNodeWhenReady(id) {
    const tick = () => (api.ready ? selectNode(id) : setTimeout(tick, 50));
    tick();
    return true;
  }

  // ---- search (diacritics, tone marks and case ignored) -------------------------------------
  let index = null; // built on first use: folding 100,000 titles takes a moment
  function searchIndex() {
    if (index) return index;
    index = [];
    for (let i = 0; i < NN; i++) {
      const main = fold([labelOf(i), field(i, "type"), field(i, "symbol")].join(" "));
      index.push({i, main, all: fold([main, field(i, "title"), field(i, "issuer"), field(i, "province"), iriOf(i)].join(" ")),
        size: labelOf(i).length});
    }
    return index;
  }
  const results = $("dg-search-results");
  const input = $("dg-search");

  function matches(q) {
    const words = fold(q).split(" ").filter(Boolean);
    if (!words.length) return [];
    const whole = fold(q);
    const score = (item) => words.filter((w) => item.main.includes(w)).length * 2 + (item.main === whole ? 100 : 0) +
      (isBody(item.i) ? 0 : 1);
    return searchIndex().filter((item) => words.every((w) => item.all.includes(w)))
      .map((item) => ({item, score: score(item)}))
      .sort((a, b) => b.score - a.score || a.item.size - b.item.size)
      .map((r) => iriOf(r.item.i));
  }

  function showResults(ids) {
    results.replaceChildren(...ids.slice(0, 30).map((id, n) => {
      const i = byIri.get(id);
      const sub = isBody(i) ? ["cơ quan", fieldText("level", levelOf(i))] : [field(i, "type"), field(i, "date"), field(i, "province")];
      const li = el("li", {"data-id": id, class: n === 0 ? "dg-active" : ""}, labelOf(i),
        el("span", {class: "dg-sub"}, sub.filter(Boolean).join(" · ")));
      li.addEventListener("mousedown", (ev) => { ev.preventDefault(); reveal(id); results.hidden = true; });
      return li;
    }));
    results.hidden = ids.length === 0;
  }

  // Show the best match (selected where drawn, else focused); returns every matching node id, best first.
  function search(q) {
    const ids = matches(q);
    if (ids.length) reveal(ids[0]);
    return ids;
  }

  let timer = null;
  input.addEventListener("input", () => {
    clearTimeout(timer);
    timer = setTimeout(() => showResults(matches(input.value)), 120);
  });
  // closing the list also drops the list still to come: typed and Enter within 120 ms, it opened again after
  function closeResults() { clearTimeout(timer); results.hidden = true; }
  input.addEventListener("keydown", (ev) => {
    if (ev.key === "Enter") { search(input.value); closeResults(); }
    if (ev.key === "Escape") closeResults();
  });
  input.addEventListener("blur", closeResults);

  // ---- filters ---------------------------------------------------------------------------------------
  const filterInputs = {};
  function countsOf(key) { // string index -> number of documents
    const c = new Map();
    for (let i = 0; i < NN; i++) if (!isBody(i) && N[key][i] >= 0) c.set(N[key][i], (c.get(N[key][i]) || 0) + 1);
    return [...c.entries()].sort((a, b) => S[a[0]].localeCompare(S[b[0]], "vi"));
  }
  function selectFilter(key, label) {
    const select = el("select", {id: "dg-filter-" + key, "aria-label": label},
      el("option", {value: String(ANY)}, "(tất cả)"),
      ...countsOf(key).map(([s, c]) => el("option", {value: String(s)}, shorten(S[s], 70) + " (" + c + ")")));
    select.addEventListener("change", () => { state.filters[key] = Number(select.value); render(); });
    filterInputs[key] = select;
    return el("label", {class: "dg-filter-row"}, el("span", null, label), select);
  }
  function buildFilters() {
    const levels = el("div", {class: "dg-levels", id: "dg-filter-levels"});
    for (const l of STY.levels) {
      const box = el("input", {type: "checkbox", value: l.key, checked: true});
      box.addEventListener("change", () => {
        if (box.checked) state.filters.levels.add(l.key); else state.filters.levels.delete(l.key);
        render();
      });
      filterInputs["level:" + l.key] = box;
      levels.append(el("label", null, box, swatchBox(l.fill, l.border), l.label));
    }
    let lo = Infinity, hi = -Infinity;
    for (const y of yearOf) if (y !== null) { lo = Math.min(lo, y); hi = Math.max(hi, y); }
    if (lo === Infinity) [lo, hi] = [1930, 2030];
    const from = el("input", {type: "number", id: "dg-year-from", min: lo, max: hi, placeholder: String(lo), "aria-label": "từ năm"});
    const to = el("input", {type: "number", id: "dg-year-to", min: lo, max: hi, placeholder: String(hi), "aria-label": "đến năm"});
    const undated = el("input", {type: "checkbox", id: "dg-undated", checked: true});
    const onYear = () => {
      state.filters.yearFrom = from.value === "" ? null : Number(from.value);
      state.filters.yearTo = to.value === "" ? null : Number(to.value);
      state.filters.undated = undated.checked;
      render();
    };
    for (const x of [from, to, undated]) x.addEventListener("change", onYear);
    Object.assign(filterInputs, {yearFrom: from, yearTo: to, undated});
    $("dg-filters-body").append(
      el("div", {class: "dg-filter-title"}, "Cấp"), levels,
      selectFilter("type", "Loại"), selectFilter("issuer", "Cơ quan ban hành"), selectFilter("province", "Tỉnh/thành"),
      el("div", {class: "dg-filter-row"}, el("span", null, "Năm"), from, "–", to),
      el("label", {class: "dg-filter-row"}, undated, "kể cả văn bản không rõ năm"),
      el("p", null, button("Bỏ lọc", () => resetFilters(), {id: "dg-filter-reset", class: "dg-action"})));
  }
  function syncFilterInputs() {
    const f = state.filters;
    for (const l of STY.levels) filterInputs["level:" + l.key].checked = f.levels.has(l.key);
    for (const key of ["type", "issuer", "province"]) filterInputs[key].value = String(f[key]);
    filterInputs.yearFrom.value = f.yearFrom === null ? "" : String(f.yearFrom);
    filterInputs.yearTo.value = f.yearTo === null ? "" : String(f.yearTo);
    filterInputs.undated.checked = f.undated;
  }

  // ---- legend (of what is drawn) ------------------------------------------------------------------
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
  function swatchBox(fill, stroke, dash, width) {
    return swatch(26, 16, (s) => s.append(shape("rect", {x: 1.5, y: 1.5, width: 23, height: 13, rx: 3, fill, stroke,
      "stroke-width": width || 2, "stroke-dasharray": dash || "none"})));
  }
  function legendList(title, items) {
    return [el("h4", null, title), el("ul", null, ...items.map(([icon, text]) => el("li", null, icon, text)))];
  }
  const line = (item, label) => [swatch(34, 12, (s) => {
    s.append(shape("line", {x1: 1, y1: 6, x2: 26, y2: 6, stroke: item.color, "stroke-width": Math.max(item.width, 1.5),
      "stroke-dasharray": item.dashes ? item.dashes.join(" ") : "none"}));
    s.append(shape("path", {d: "M25 2 L33 6 L25 10 Z", fill: item.color}));
  }), label];
  function buildLegend() {
    const grey = LEVELS.unknown, body = $("dg-legend-body");
    const parts = legendList("Màu: cấp ban hành (level)", STY.levels.map((l) => [swatchBox(l.fill, l.border), l.label]));
    if (current.kind === "overview") {
      parts.push(...legendList("Tổng quan", [
        [swatch(26, 16, (s) => s.append(shape("circle", {cx: 13, cy: 8, r: 6, fill: grey.fill, stroke: grey.border, "stroke-width": 2}))),
          "Nhóm văn bản (cỡ chấm: số văn bản; màu: cấp phổ biến nhất)"],
        line({color: "#7f8c8d", width: 3, dashes: null}, "Trích dẫn giữa hai nhóm (độ dày: số trích dẫn)")]));
      body.replaceChildren(...parts);
      return;
    }
    const shapes = [[swatchBox(grey.fill, grey.border), "Văn bản trong kho (document in corpus)"],
      [swatchBox("#ffffff", grey.border, "5 4"), "Văn bản chỉ được trích dẫn (cited only)"]];
    if (current.nodes.some((i) => isBody(i))) {
      shapes.push([swatch(26, 16, (s) => s.append(shape("ellipse", {cx: 13, cy: 8, rx: 11.5, ry: 6.5, fill: grey.fill,
        stroke: grey.border, "stroke-width": 2}))), "Cơ quan được giao nhiệm vụ (body)"]);
    }
    if (state.focus !== null) {
      shapes.push([swatchBox(grey.fill, "#111111", null, 3.5), "Văn bản đang tập trung (focus)"]);
      shapes.push([swatchBox(fade(grey.fill, 0.6), fade(grey.border, 0.6)), "Nhạt: ngoài chuỗi trích dẫn của văn bản tập trung"]);
    } else if (current.highlight) {
      shapes.push([swatchBox(fade(grey.fill, 0.6), fade(grey.border, 0.6)), "Nhạt: văn bản ngoài nhóm"]);
    }
    parts.push(...legendList("Hình (shape)", shapes));
    const kinds = new Map();
    for (const ks of current.edges) {
      const k = ks[0], kind = kindOf(k), key = kind === "relation" ? str(E.relation[k]) : kind;
      if (!kinds.has(key)) kinds.set(key, [edgeStyle(k), `${edgeLabel(k)} (${key})`]);
    }
    const order = Object.keys(STY.edges);
    const sorted = [...kinds.entries()].sort((a, b) => ((order.indexOf(a[0]) + 1) || 99) - ((order.indexOf(b[0]) + 1) || 99));
    const items = sorted.map(([, [style, label]]) => line(style, label));
    if (current.chainEdges) items.push(line({color: "#555555", width: 4.5, dashes: null}, "Nét đậm: chuỗi trích dẫn lên/xuống"));
    if (items.length) parts.push(...legendList("Quan hệ (edges)", items));
    body.replaceChildren(...parts);
  }

  buildFilters();
  showHint();
  render();
})();
