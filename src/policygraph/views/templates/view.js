// One network view: draws the graph, lists the policies behind what is clicked, searches and
// filters. Text from the data is only ever set with textContent, never parsed as HTML.
"use strict";
(function () {
  const data = JSON.parse(document.getElementById("pg-data").textContent);
  const $ = (id) => document.getElementById(id);
  const records = data.records;

  function el(tag, text, cls) {
    const e = document.createElement(tag);
    if (text !== undefined && text !== null) e.textContent = String(text);
    if (cls) e.className = cls;
    return e;
  }
  function safeUrl(url) {
    return typeof url === "string" && /^https?:\/\//i.test(url) ? url : null;
  }
  function link(url, text) {
    const href = safeUrl(url);
    if (!href) return null;
    const a = el("a", text);
    a.href = href;
    a.target = "_blank";
    a.rel = "noopener noreferrer";
    return a;
  }
  function tooltip(lines) {
    const div = el("div");
    div.textContent = lines.filter(Boolean).join("\n");
    return div;
  }
  function nodeLabel(n, zh) {
    const first = n.notation || n.en;
    return zh && n.zh ? first + "\n" + n.zh : first;
  }

  // -- the network ---------------------------------------------------------------------------
  const byId = new Map(data.nodes.map((n) => [n.id, n]));
  const nodes = new vis.DataSet(data.nodes.map((n) => ({
    id: n.id, label: nodeLabel(n, true), x: n.x, y: n.y, size: n.size,
    color: n.color, shape: n.shape, font: { multi: false, size: 14 },
    title: tooltip([n.en, n.zh, n.kind + " · " + n.records + " records", "community " + (n.community + 1)]),
  })));
  const edges = new vis.DataSet(data.edges.map((e, i) => ({
    id: i, from: e.from, to: e.to, width: e.width, color: { color: "#9aa5b1", highlight: "#333" },
    title: tooltip([byId.get(e.from).en + " — " + byId.get(e.to).en,
      e.weight + " shared" + (e.jaccard !== undefined ? " · Jaccard " + e.jaccard : "")]),
  })));
  const network = new vis.Network($("pg-network"), { nodes, edges }, data.options);
  window.pgNetwork = network;
  function ready() {
    if (data.physics) network.setOptions({ physics: false });
    document.body.dataset.ready = "1";
    window.pgReady = true;
  }
  if (data.physics) network.once("stabilizationIterationsDone", ready);
  else network.once("afterDrawing", ready);

  // -- the side panel ------------------------------------------------------------------------
  function recordList(indices, more) {
    const ol = el("ol");
    for (const r of indices) {
      if (!visible(r)) continue;
      const [kind, date, en, zh, official, cited, brief, briefUrl] = records[r];
      const li = el("li");
      li.appendChild(el("div", en || zh || "(untitled)"));
      if (zh && en) li.appendChild(el("div", zh, "zh"));
      const meta = el("div", (date || "no date") + " · " + kind, "meta");
      const links = [link(official, "official text"), link(cited, "cited link")].filter(Boolean);
      for (const a of links) { meta.appendChild(document.createTextNode(" · ")); meta.appendChild(a); }
      if (brief) {
        meta.appendChild(document.createTextNode(" · source: "));
        meta.appendChild(link(briefUrl, brief) || document.createTextNode(brief));
      }
      li.appendChild(meta);
      ol.appendChild(li);
    }
    const frag = document.createDocumentFragment();
    frag.appendChild(ol);
    if (more) frag.appendChild(el("p", "… and " + more + " more (the newest are listed)", "meta"));
    return frag;
  }
  function facts(pairs) {
    const dl = el("dl");
    for (const [k, v] of pairs) {
      if (v === undefined || v === null) continue;
      dl.appendChild(el("dt", k));
      dl.appendChild(el("dd", v));
    }
    return dl;
  }
  function show(title, subtitle, dl, list) {
    $("pg-panel-title").textContent = title;
    const body = $("pg-panel-body");
    body.replaceChildren();
    if (subtitle) body.appendChild(el("p", subtitle, "zh"));
    body.appendChild(dl);
    body.appendChild(list);
  }
  function showNode(id) {
    const n = byId.get(id);
    show(n.en || n.notation, n.zh, facts([
      ["kind", n.kind], ["acronym", n.notation || null], ["records", n.records],
      ["led", n.led], ["degree", n.degree], ["weighted degree", n.weighted_degree],
      ["betweenness", n.betweenness], ["community", n.community + 1],
    ]), recordList(n.r, n.more));
  }
  function showEdge(i) {
    const e = data.edges[i];
    const a = byId.get(e.from), b = byId.get(e.to);
    show((a.notation || a.en) + " — " + (b.notation || b.en), null,
      facts([["shared", e.weight], ["Jaccard", e.jaccard]]), recordList(e.r, e.more));
  }
  network.on("click", (p) => {
    if (p.nodes.length) showNode(p.nodes[0]);
    else if (p.edges.length) showEdge(p.edges[0]);
  });

  // -- legend --------------------------------------------------------------------------------
  data.communities.forEach((c, i) => {
    const li = el("li");
    const sw = el("span", null, "swatch");
    sw.style.background = c.color;
    li.appendChild(sw);
    li.appendChild(document.createTextNode("Community " + (i + 1) + " (" + c.size + "): " + c.members));
    $("pg-legend").appendChild(li);
  });

  // -- search --------------------------------------------------------------------------------
  $("pg-search").addEventListener("input", (ev) => {
    const q = ev.target.value.trim().toLowerCase();
    if (!q) { network.unselectAll(); $("pg-matches").textContent = ""; return; }
    const hits = data.nodes.filter((n) => !nodes.get(n.id).hidden &&
      [n.en, n.zh, n.notation].some((s) => s && s.toLowerCase().includes(q))).map((n) => n.id);
    network.selectNodes(hits);
    $("pg-matches").textContent = hits.length + (hits.length === 1 ? " match" : " matches");
    if (hits.length) {
      network.focus(hits[0], { scale: 1.2, animation: false });
      showNode(hits[0]);
    }
  });

  // -- filters -------------------------------------------------------------------------------
  data.sectors.forEach(([en, zh], i) => {
    const o = el("option", en + (zh ? " " + zh : ""));
    o.value = String(i);
    $("pg-sector").appendChild(o);
  });
  let filter = { from: "", to: "", sector: "" };
  function visible(r) {
    const [, date, , , , , , , sectors] = records[r];
    if (filter.from && !(date && date >= filter.from)) return false;
    if (filter.to && !(date && date <= filter.to)) return false;
    if (filter.sector !== "" && !sectors.includes(Number(filter.sector))) return false;
    return true;
  }
  function counts() {
    const shownNodes = nodes.get({ filter: (n) => !n.hidden }).length;
    const shownEdges = edges.get({ filter: (e) => !e.hidden }).length;
    $("pg-counts").textContent = shownNodes + " of " + data.nodes.length + " nodes, " +
      shownEdges + " of " + data.edges.length + " edges shown.";
  }
  function applyFilter() {
    filter = { from: $("pg-from").value, to: $("pg-to").value, sector: $("pg-sector").value };
    const on = filter.from || filter.to || filter.sector !== "";
    const edgeShown = data.edges.map((e) => !on || e.r.some(visible));
    const nodeShown = new Map(data.nodes.map((n) => [n.id, !on || n.r.some(visible)]));
    data.edges.forEach((e, i) => {
      if (!nodeShown.get(e.from) || !nodeShown.get(e.to)) edgeShown[i] = false;
    });
    edges.update(data.edges.map((e, i) => ({ id: i, hidden: !edgeShown[i] })));
    nodes.update(data.nodes.map((n) => ({ id: n.id, hidden: !nodeShown.get(n.id) })));
    counts();
  }
  for (const id of ["pg-from", "pg-to", "pg-sector"]) $(id).addEventListener("change", applyFilter);
  $("pg-zh").addEventListener("change", (ev) => {
    nodes.update(data.nodes.map((n) => ({ id: n.id, label: nodeLabel(n, ev.target.checked) })));
  });
  if (data.truncated) {
    $("pg-counts").title = "Filters here apply to the listed records; `policygraph views --from --to --sector` filters exactly.";
  }
  counts();
})();
