// The WebGL renderer for large views: sigma.js draws a graphology graph; view.js decides what
// shows, and the reducers below read its decisions, so a filter is one refresh.
"use strict";
function pgMakeRenderer(container, data, on) {
  const graph = new graphology.Graph({ type: "undirected", multi: false, allowSelfLoops: false });
  const top = data.nodes.reduce((m, n) => Math.max(m, n.size), 1);
  data.nodes.forEach((n, i) => graph.addNode(n.id, {
    i, x: n.x, y: n.y, size: 1.5 + 10 * n.size / top, label: n.notation || n.en, color: n.groupColor,
  }));
  data.edges.forEach((e, i) => graph.addEdgeWithKey(String(i), e.from, e.to, { i, size: 1, color: "#b6bec8" }));
  let st = null;
  let selected = new Set();
  const heavy = data.edges.length > 50000;
  const sigma = new Sigma(graph, container, {
    enableEdgeEvents: !heavy,
    hideEdgesOnMove: heavy,
    labelRenderedSizeThreshold: 9,
    labelDensity: 0.5,
    labelFont: "system-ui, sans-serif",
    zIndex: true,
    nodeReducer(key, attr) {
      if (!st) return attr;
      const i = attr.i;
      const out = { ...attr, color: st.color[i], hidden: !st.node[i] };
      if (st.label[i]) { out.forceLabel = true; out.label = st.label[i].replace("\n", " "); }
      if (selected.has(key)) { out.highlighted = true; out.zIndex = 1; }
      return out;
    },
    edgeReducer(key, attr) {
      if (!st) return attr;
      const i = attr.i;
      return { ...attr, hidden: !st.edge[i], size: Math.max(0.5, st.width[i] / 2) };
    },
  });
  window.pgSigma = sigma;
  window.pgGraph = graph;
  sigma.on("clickNode", ({ node }) => on.node(node));
  sigma.on("clickEdge", ({ edge }) => on.edge(Number(edge)));
  let first = true;
  return {
    apply(next) {
      st = next;
      sigma.refresh();
      if (first) {
        first = false;
        requestAnimationFrame(() => requestAnimationFrame(on.ready));
      }
    },
    select(ids) { selected = new Set(ids); sigma.refresh(); },
    focus(id) {
      const d = sigma.getNodeDisplayData(id);
      if (d) sigma.getCamera().setState({ x: d.x, y: d.y, ratio: 0.25 });
    },
    screen(id) {
      const p = sigma.graphToViewport(graph.getNodeAttributes(id));
      const r = container.getBoundingClientRect();
      return [r.left + p.x, r.top + p.y];
    },
  };
}
