// The 2D renderer: vis-network (as pyvis ships it) draws the view; view.js decides what shows.
"use strict";
function pgMakeRenderer(container, data, on) {
  function tooltip(lines) {
    const div = document.createElement("div");
    div.textContent = lines.filter(Boolean).join("\n");
    return div;
  }
  const nodes = new vis.DataSet(data.nodes.map((n) => ({
    id: n.id, x: n.x, y: n.y, size: n.size, shape: n.shape, label: "",
    font: { multi: false, size: n.font, strokeWidth: 4, strokeColor: "#ffffff" },
    title: tooltip([n.en, n.zh, n.kind + (n.group !== n.kind ? " · " + n.group : "") + " · " + n.records + " records",
      "community " + (n.community + 1)]),
  })));
  const E = data.edges, ids = Array.from(E.s, (s, i) => i);  // columns, decoded by view.js
  const edges = new vis.DataSet(ids.map((i) => {
    const a = data.nodes[E.s[i]], b = data.nodes[E.t[i]], j = E.j[i];
    return {
      id: i, from: a.id, to: b.id, color: { color: "#9aa5b1", highlight: "#333", opacity: 0.7 },
      title: tooltip([a.en + " — " + b.en, E.w[i] + " shared" + (j !== null && j !== undefined ? " · Jaccard " + j : "")]),
    };
  }));
  const network = new vis.Network(container, { nodes, edges }, data.options);
  window.pgNetwork = network;
  function ready() {
    if (data.physics) network.setOptions({ physics: false });
    on.ready();
  }
  if (data.physics) network.once("stabilizationIterationsDone", ready);
  else network.once("afterDrawing", ready);
  network.on("click", (p) => {
    if (p.nodes.length) on.node(p.nodes[0]);
    else if (p.edges.length) on.edge(p.edges[0]);
  });
  return {
    apply(st) {
      nodes.update(data.nodes.map((n, i) => ({
        id: n.id, hidden: !st.node[i], label: st.label[i] || "",
        color: { background: st.color[i], border: "#555", highlight: { background: st.color[i], border: "#000" } },
      })));
      edges.update(ids.map((i) => ({ id: i, hidden: !st.edge[i], width: st.width[i] })));
      if (!data.physics) network.fit({ nodes: data.nodes.filter((n, i) => st.node[i]).map((n) => n.id), animation: false });
    },
    select(ids) { if (ids.length) network.selectNodes(ids); else network.unselectAll(); },
    focus(id) { network.focus(id, { scale: 1.2, animation: false }); },
    screen(id) {
      const p = network.canvasToDOM(network.getPositions([id])[id]);
      const r = container.querySelector("canvas").getBoundingClientRect();
      return [r.left + p.x, r.top + p.y];
    },
  };
}
