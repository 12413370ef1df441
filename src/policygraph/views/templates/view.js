// One network view, whichever renderer draws it (vis.js or webgl.js, loaded before this and
// defining pgMakeRenderer): picks what to show for the year and filters, lists the policies
// behind what is clicked, searches, keeps the legend, exports PNG and SVG. Text from the data is
// only ever set with textContent, never parsed as HTML.
"use strict";
(function () {
  const data = JSON.parse(document.getElementById("pg-data").textContent);
  const $ = (id) => document.getElementById(id);
  let records = null;  // the listed policies: parsed when the panel or a filter first needs them
  const record = (r) => (records || (records = JSON.parse($("pg-records").textContent)))[r];
  // nodes and edges come as columns (pagedata.py): nodes become objects, edges typed arrays,
  // shared with the renderers; C holds each edge's counts per year, a row of Y (data.years,
  // newest first) per edge, from the sparse columns yp, yi, yc
  const columns = data.nodes, fields = Object.keys(columns);
  data.nodes = (columns.id || []).map((_, i) => {
    const n = {};
    for (const f of fields) n[f] = columns[f][i];
    return n;
  });
  const E = data.edges, m = E.s.length, Y = data.years.length;
  E.s = Int32Array.from(E.s); E.t = Int32Array.from(E.t); E.w = Float64Array.from(E.w);
  const S = E.s, T = E.t, W = E.w, C = new Int32Array(m * Y);
  for (let i = 0; i < m; i++) for (let p = E.yp[i]; p < E.yp[i + 1]; p++) C[i * Y + E.yi[p]] = E.yc[p];
  delete E.yp; delete E.yi; delete E.yc;
  const yearAt = new Map(data.years.map((y, i) => [String(y), i]));
  const byId = new Map(data.nodes.map((n, i) => [n.id, i]));
  const node = (id) => data.nodes[byId.get(id)];

  function el(tag, text, cls) {
    const e = document.createElement(tag);
    if (text !== undefined && text !== null) e.textContent = String(text);
    if (cls) e.className = cls;
    return e;
  }
  function link(url, text) {
    if (!(typeof url === "string" && /^https?:\/\//i.test(url))) return null;
    const a = el("a", text);
    a.href = url;
    a.target = "_blank";
    a.rel = "noopener noreferrer";
    return a;
  }
  function name(n) { return n.notation || n.en; }

  // -- what is shown: the year's weights, the filters, at most data.most edges ----------------
  let filter = { year: "", from: "", to: "", sector: "" };
  function visible(r) {
    const [, date, , , , , , , sectors] = record(r);
    if (filter.year && !(date && date.startsWith(filter.year))) return false;
    if (filter.from && !(date && date >= filter.from)) return false;
    if (filter.to && !(date && date <= filter.to)) return false;
    if (filter.sector !== "" && !sectors.includes(Number(filter.sector))) return false;
    return true;
  }
  // the least k such that at most `most` weights are k or more (projections.threshold)
  function threshold(weights, most) {
    if (weights.length <= most) return 1;
    const ordered = Float64Array.from(weights).sort().reverse();
    return ordered[most] + 1;
  }
  const state = { k: 1, node: [], edge: [], weight: [], width: [], color: [], label: [] };
  function compute() {
    const y = filter.year, yi = y ? yearAt.get(y) : -1;
    const listed = filter.from || filter.to || filter.sector !== "";
    const weight = new Float64Array(m), edge = new Uint8Array(m);
    for (let i = 0; i < m; i++) weight[i] = yi < 0 ? W[i] : C[i * Y + yi];
    let k = data.k[y];  // the year's threshold over every edge of the network, from Python
    if (listed) {  // dates and sectors: the threshold of the edges in this page that pass them
      const kept = [];
      for (let i = 0; i < m; i++) if (weight[i] > 0 && E.r[i].some(visible)) { edge[i] = 1; kept.push(weight[i]); }
      k = threshold(kept, data.most);
    } else {
      for (let i = 0; i < m; i++) edge[i] = weight[i] > 0 ? 1 : 0;
    }
    const floor = $("pg-every").checked ? 1 : k;  // every edge, or the heaviest data.most
    for (let i = 0; i < m; i++) if (edge[i] && weight[i] < floor) edge[i] = 0;
    let shown;
    if (floor > 1) {
      shown = new Array(data.nodes.length).fill(false);
      for (let i = 0; i < m; i++) if (edge[i]) shown[S[i]] = shown[T[i]] = true;
    } else {
      shown = data.nodes.map((n) => (!y || (n.years[y] || 0) > 0) && (!listed || n.r.some(visible)));
      for (let i = 0; i < m; i++) if (!shown[S[i]] || !shown[T[i]]) edge[i] = 0;
    }
    let heaviest = 1;
    for (let i = 0; i < m; i++) if (edge[i] && weight[i] > heaviest) heaviest = weight[i];
    const width = new Float32Array(m);  // the heaviest as wide as their weight, the rest hairlines
    for (let i = 0; i < m; i++) width[i] = weight[i] < k ? 0.5 : Math.round((1 + 7 * weight[i] / heaviest) * 100) / 100;
    const mode = $("pg-colour").value;
    const zh = $("pg-zh").checked;
    const ranked = data.nodes.map((n, i) => i).filter((i) => shown[i])
      .sort((a, b) => data.nodes[b].weighted_degree - data.nodes[a].weighted_degree);
    const top = new Set(ranked.slice(0, data.labelled));
    Object.assign(state, {
      k, every: floor < k, node: shown, edge, weight,
      width,
      color: data.nodes.map((n) => (mode === "community" ? n.communityColor : n.groupColor)),
      label: data.nodes.map((n, i) => (top.has(i) ? name(n) + (zh && n.zh ? "\n" + n.zh : "") : null)),
    });
  }

  // -- the renderer ----------------------------------------------------------------------------
  const view = pgMakeRenderer($("pg-network"), data, {
    node: (id) => select({ node: id }),
    edge: (i) => select({ edge: i }),
    ready: () => { document.body.dataset.ready = "1"; window.pgReady = true; },
  });
  const [allNodes, allEdges] = data.total;
  const left = [allNodes - data.nodes.length, allEdges - m];
  function counts() {
    const [n, e] = window.pgView.shown();
    $("pg-counts").textContent = n + " of " + allNodes + " nodes, " + e + " of " + allEdges +
      " edges shown" + (state.k > 1 ? (state.every ? " (every edge; those of weight ≥ " + state.k + ", the heaviest " +
        data.most + ", drawn wide)." : " (weight ≥ " + state.k + ", the heaviest " + data.most + " at most).") : ".") +
      (left[1] || left[0] ? " This page leaves out the " + left[0] + " nodes and " + left[1] +
        " edges that no year can show; `policygraph views --from --to --sector` draws any period exactly." : "");
  }
  function apply() {
    filter = { year: $("pg-year").value, from: $("pg-from").value, to: $("pg-to").value, sector: $("pg-sector").value };
    compute();
    view.apply(state);
    counts();
    legend();
    if (current) select(current);  // the panel follows the filters at once
  }
  window.pgView = {
    renderer: data.renderer, state, view,
    shown: () => [state.node.filter(Boolean).length, state.edge.reduce((a, b) => a + b, 0)],
    left,
    screen: (id) => view.screen(id),
  };

  // -- the side panel ------------------------------------------------------------------------
  let current = null;
  function recordList(indices, more) {
    const ol = el("ol");
    for (const r of indices) {
      if (!visible(r)) continue;
      const [kind, date, en, zh, official, cited, brief, briefUrl] = record(r);
      const li = el("li");
      li.appendChild(el("div", en || zh || "(untitled)"));
      if (zh && en) li.appendChild(el("div", zh, "zh"));
      const meta = el("div", (date || "no date") + " · " + kind, "meta");
      for (const a of [link(official, "official text"), link(cited, "cited link")].filter(Boolean)) {
        meta.appendChild(document.createTextNode(" · "));
        meta.appendChild(a);
      }
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
  function select(what) {
    current = what;
    if (what.node !== undefined) {
      const n = node(what.node);
      show(n.en || n.notation, n.zh, facts([
        ["kind", n.kind + (n.group && n.group !== n.kind ? " · " + n.group : "")],
        ["acronym", n.notation || null], ["records", n.records],
        ["in " + filter.year, filter.year ? n.years[filter.year] || 0 : null],
        ["led", n.led], ["degree", n.degree], ["weighted degree", n.weighted_degree],
        ["betweenness", n.betweenness], ["community", n.community + 1],
      ]), recordList(n.r, n.more));
    } else {
      const i = what.edge, a = data.nodes[S[i]], b = data.nodes[T[i]];
      show(name(a) + " — " + name(b), null, facts([
        ["shared", W[i]], ["in " + filter.year, filter.year ? C[i * Y + yearAt.get(filter.year)] : null],
        ["Jaccard", E.j[i]],
      ]), recordList(E.r[i], E.more[i]));
    }
  }

  // -- legend --------------------------------------------------------------------------------
  const kinds = [...new Set(data.nodes.map((n) => n.kind + ":" + n.shape))];
  $("pg-key").textContent = "Shape: " + kinds.map((s) => s.split(":")[0] + " " +
    (data.renderer === "webgl" ? "circle" : s.split(":")[1])).join(", ") +
    ". Size: records. Edge width: policies shared" + (data.years.length ? " (in the year chosen)" : "") + ".";
  function legend() {
    const mode = $("pg-colour").value;
    $("pg-legend-title").textContent = mode === "community" ? "Colour: communities (Louvain)" :
      "Colour: agency kind; sectors by top-level sector";
    const ul = $("pg-legend");
    ul.replaceChildren();
    (mode === "community" ? data.communities : data.groups).forEach((c, i) => {
      const li = el("li");
      const sw = el("span", null, "swatch");
      sw.style.background = c.color;
      li.appendChild(sw);
      const what = mode === "community" ? "Community " + (i + 1) + " (" + c.size + "): " : "";
      li.appendChild(document.createTextNode(what + c.members + (mode === "community" ? "" : " (" + c.size + ")")));
      ul.appendChild(li);
    });
  }

  // -- search --------------------------------------------------------------------------------
  $("pg-search").addEventListener("input", (ev) => {
    const q = ev.target.value.trim().toLowerCase();
    if (!q) { view.select([]); $("pg-matches").textContent = ""; return; }
    const hits = data.nodes.filter((n, i) => state.node[i] &&
      [n.en, n.zh, n.notation].some((s) => s && s.toLowerCase().includes(q))).map((n) => n.id);
    view.select(hits);
    $("pg-matches").textContent = hits.length + (hits.length === 1 ? " match" : " matches");
    if (hits.length) {
      view.focus(hits[0]);
      select({ node: hits[0] });
    }
  });

  // -- filters and years ---------------------------------------------------------------------
  data.sectors.forEach(([en, zh], i) => {
    const o = el("option", en + (zh ? " " + zh : ""));
    o.value = String(i);
    $("pg-sector").appendChild(o);
  });
  for (const y of data.years) {
    const o = el("option", String(y));
    o.value = String(y);
    $("pg-year").appendChild(o);
  }
  $("pg-every").checked = location.hash === "#every";  // a link can ask for every edge
  for (const id of ["pg-year", "pg-from", "pg-to", "pg-sector", "pg-colour", "pg-zh", "pg-every"]) {
    $(id).addEventListener("change", apply);
  }
  if (data.truncated) {
    $("pg-counts").title = "Dates and sectors filter the listed records; the year is exact; `policygraph views --from --to --sector` filters exactly.";
  }

  // -- export: what is shown, at the layout's positions -----------------------------------------
  function scene() {
    const ns = data.nodes.filter((n, i) => state.node[i]);
    const lo = (k) => ns.reduce((m, n) => Math.min(m, n[k] - n.size), 0);
    const hi = (k) => ns.reduce((m, n) => Math.max(m, n[k] + n.size), 0);
    const pad = 60, x0 = lo("x") - pad, y0 = lo("y") - pad;
    const w = hi("x") + pad - x0, h = hi("y") + pad - y0;
    return { ns, x0, y0, w, h };
  }
  function download(blob, ext) {
    const a = el("a");
    a.href = URL.createObjectURL(blob);
    a.download = data.name + (filter.year ? "-" + filter.year : "") + "." + ext;
    document.body.appendChild(a);
    a.click();
    a.remove();
    setTimeout(() => URL.revokeObjectURL(a.href), 1000);
  }
  const xml = (s) => String(s).replace(/[&<>"']/g, (c) => "&#" + c.charCodeAt(0) + ";");
  function svg() {
    const { ns, x0, y0, w, h } = scene();
    const out = ['<svg xmlns="http://www.w3.org/2000/svg" viewBox="' + [x0, y0, w, h].join(" ") +
      '" width="' + Math.round(w) + '" height="' + Math.round(h) + '"><rect x="' + x0 + '" y="' + y0 +
      '" width="' + w + '" height="' + h + '" fill="#fff"/><g stroke="#9aa5b1" stroke-opacity="0.7">'];
    state.edge.forEach((on, i) => {
      if (!on) return;
      const a = data.nodes[S[i]], b = data.nodes[T[i]];
      out.push('<line x1="' + a.x + '" y1="' + a.y + '" x2="' + b.x + '" y2="' + b.y + '" stroke-width="' + state.width[i] + '"/>');
    });
    out.push('</g><g stroke="#444" stroke-width="1">');
    ns.forEach((n) => {
      const c = state.color[byId.get(n.id)];
      out.push('<circle cx="' + n.x + '" cy="' + n.y + '" r="' + n.size / 2 + '" fill="' + xml(c) + '"><title>' + xml(n.en || n.id) + "</title></circle>");
    });
    out.push('</g><g font-family="sans-serif" text-anchor="middle" fill="#222">');
    ns.forEach((n) => {
      const label = state.label[byId.get(n.id)];
      if (label) out.push('<text x="' + n.x + '" y="' + (n.y + n.size / 2 + n.font * 0.8) + '" font-size="' + n.font * 0.6 + '">' + xml(label.replace("\n", " ")) + "</text>");
    });
    out.push("</g></svg>");
    return out.join("\n");
  }
  function png() {
    const { ns, x0, y0, w, h } = scene();
    const scale = Math.min(4, 2400 / Math.max(w, h));
    const canvas = el("canvas");
    canvas.width = Math.round(w * scale);
    canvas.height = Math.round(h * scale);
    const ctx = canvas.getContext("2d");
    ctx.fillStyle = "#fff";
    ctx.fillRect(0, 0, canvas.width, canvas.height);
    ctx.setTransform(scale, 0, 0, scale, -x0 * scale, -y0 * scale);
    ctx.strokeStyle = "rgba(154,165,177,0.7)";
    state.edge.forEach((on, i) => {
      if (!on) return;
      const a = data.nodes[S[i]], b = data.nodes[T[i]];
      ctx.lineWidth = state.width[i];
      ctx.beginPath(); ctx.moveTo(a.x, a.y); ctx.lineTo(b.x, b.y); ctx.stroke();
    });
    ctx.strokeStyle = "#444";
    ctx.lineWidth = 1;
    ns.forEach((n) => {
      ctx.fillStyle = state.color[byId.get(n.id)];
      ctx.beginPath(); ctx.arc(n.x, n.y, n.size / 2, 0, 2 * Math.PI); ctx.fill(); ctx.stroke();
    });
    ctx.fillStyle = "#222";
    ctx.textAlign = "center";
    ns.forEach((n) => {
      const label = state.label[byId.get(n.id)];
      if (!label) return;
      ctx.font = Math.round(n.font * 0.6) + "px sans-serif";
      ctx.fillText(label.replace("\n", " "), n.x, n.y + n.size / 2 + n.font * 0.8);
    });
    return canvas;
  }
  $("pg-svg").addEventListener("click", () => download(new Blob([svg()], { type: "image/svg+xml" }), "svg"));
  $("pg-png").addEventListener("click", () => png().toBlob((b) => download(b, "png"), "image/png"));
  window.pgView.svg = svg;

  apply();
})();
