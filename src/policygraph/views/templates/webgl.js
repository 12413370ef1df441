// The WebGL renderer for large views: sigma.js draws a graphology graph; view.js decides what
// shows, and the reducers below read its decisions, so a filter is one refresh. The graph is
// built in one import from the decoded columns, and sigma starts at the first apply, so that
// the first frame drawn is already the filtered one; the view is ready when it is drawn.
"use strict";
function pgMakeRenderer(container, data, on) {
  const graph = new graphology.Graph({ type: "undirected", multi: false, allowSelfLoops: false });
  const top = data.nodes.reduce((m, n) => Math.max(m, n.size), 1);
  const E = data.edges, m = E.s.length, nodes = new Array(data.nodes.length), edges = new Array(m);
  data.nodes.forEach((n, i) => {
    nodes[i] = { key: n.id, attributes: { i, x: n.x, y: n.y, size: 1.5 + 10 * n.size / top, label: n.label, color: n.groupColor } };
  });
  for (let i = 0; i < m; i++) {
    edges[i] = { key: String(i), source: data.nodes[E.s[i]].id, target: data.nodes[E.t[i]].id, attributes: { i, size: 1, color: "#b6bec8" } };
  }
  graph.import({ attributes: {}, nodes, edges });
  window.pgGraph = graph;
  let st = null;
  let sigma = null;
  let selected = new Set();
  const heavy = m > 5000;  // many edges: none drawn while panning, and no edge hit-testing
  function start() {
    sigma = new Sigma(graph, container, {
      enableEdgeEvents: !heavy,
      hideEdgesOnMove: heavy,
      hideLabelsOnMove: heavy,
      renderEdgeLabels: false,
      labelRenderedSizeThreshold: 9,
      labelDensity: 0.5,
      labelFont: "system-ui, sans-serif",
      zIndex: true,
      nodeReducer(key, attr) {
        const i = attr.i;
        const out = { ...attr, color: st.color[i], hidden: !st.node[i] };
        if (st.label[i]) { out.forceLabel = true; out.label = st.label[i].replace("\n", " "); }
        if (selected.has(key)) { out.highlighted = true; out.zIndex = 1; }
        return out;
      },
      edgeReducer(key, attr) {
        const i = attr.i;
        if (!st.edge[i]) return { ...attr, hidden: true };
        return { ...attr, size: Math.max(0.5, st.width[i] / 2) };
      },
    });
    window.pgSigma = sigma;
    sigma.on("clickNode", ({ node }) => on.node(node));
    sigma.on("clickEdge", ({ edge }) => on.edge(Number(edge)));
    requestAnimationFrame(on.ready);  // sigma drew the first frame in its constructor
  }
  return {
    apply(next) {
      st = next;
      if (sigma) sigma.refresh();
      else start();
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
