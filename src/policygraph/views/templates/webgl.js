// The WebGL renderer for large views: sigma.js draws a graphology graph; view.js decides what
// shows, and the reducers below read its decisions, so a filter is one refresh. The graph holds
// every node but only the edges shown, so that a view of 300,000 edges that draws 500 of them
// indexes 500; an edge of at least the view's weight k is drawn as a band as wide as its weight,
// the rest (when every edge is shown) as hairlines, which cost a fraction to draw. sigma starts
// at the first apply, so that its first frame is the filtered one; the view is ready when the
// browser has put that frame on screen.
"use strict";
function pgMakeRenderer(container, data, on) {
  const graph = new graphology.Graph({ type: "undirected", multi: false, allowSelfLoops: false });
  const top = data.nodes.reduce((m, n) => Math.max(m, n.size), 1);
  // the graph's keys are node and edge indices, as strings: shorter to hash than IRIs
  const E = data.edges, m = E.s.length, ids = data.nodes.map((n) => n.id);
  const at = new Map(ids.map((id, i) => [id, String(i)]));
  graph.import({
    attributes: {},
    nodes: data.nodes.map((n, i) => ({
      key: String(i), attributes: { i, x: n.x, y: n.y, size: 1.5 + 10 * n.size / top, label: n.label, color: n.groupColor },
    })),
  });
  window.pgGraph = graph;
  const inGraph = new Uint8Array(m);
  let st = null;
  let sigma = null;
  let selected = new Set();
  function sync() {  // the graph's edges become the edges shown
    let gone = 0;
    for (let i = 0; i < m; i++) gone += inGraph[i] & (1 - st.edge[i]);
    if (gone > 10000) { graph.clearEdges(); inGraph.fill(0); }  // faster than dropping each
    for (let i = 0; i < m; i++) {
      if (st.edge[i] === inGraph[i]) continue;
      inGraph[i] = st.edge[i];
      if (st.edge[i]) graph.addUndirectedEdgeWithKey(String(i), String(E.s[i]), String(E.t[i]), { i });
      else graph.dropEdge(String(i));
    }
  }
  function heavy() {  // many edges: none drawn while panning, and no edge hit-testing
    const many = graph.size > 5000;
    return { enableEdgeEvents: !many, hideEdgesOnMove: many, hideLabelsOnMove: many };
  }
  function start() {
    sigma = new Sigma(graph, container, {
      ...heavy(),
      renderEdgeLabels: false,
      labelRenderedSizeThreshold: 9,
      labelDensity: 0.5,
      labelFont: "system-ui, sans-serif",
      zIndex: true,
      edgeProgramClasses: { hairline: Sigma.rendering.EdgeLineProgram },
      // reducers return objects of one shape, which sigma's defaults and programs read fastest
      nodeReducer(key, attr) {
        const i = attr.i, label = st.label[i], chosen = selected.has(key);
        return {
          i, x: attr.x, y: attr.y, size: attr.size, color: st.color[i], hidden: !st.node[i],
          label: label ? label.replace("\n", " ") : attr.label, forceLabel: !!label,
          highlighted: chosen, zIndex: chosen ? 1 : 0, type: "circle",
        };
      },
      edgeReducer(key, attr) {
        const i = attr.i, wide = st.weight[i] >= st.k;
        return {
          i, color: wide ? "#b6bec8" : "#c9cfd6", size: wide ? Math.max(0.5, st.width[i] / 2) : 1,
          hidden: false, label: null, forceLabel: false, zIndex: wide ? 1 : 0, type: wide ? "line" : "hairline",
        };
      },
    });
    window.pgSigma = sigma;
    sigma.on("clickNode", ({ node }) => on.node(ids[node]));
    sigma.on("clickEdge", ({ edge }) => on.edge(Number(edge)));
    // sigma drew in its constructor; the frame after next is the first one on screen
    requestAnimationFrame(() => requestAnimationFrame(on.ready));
  }
  return {
    apply(next) {
      st = next;
      let added = 0;
      for (let i = 0; i < m; i++) added += st.edge[i] & (1 - inGraph[i]);
      // a new sigma indexes many edges faster than it follows as many additions
      if (sigma && added > 50000) { sigma.kill(); sigma = null; }
      sync();
      if (!sigma) return start();
      sigma.setSettings(heavy());
      sigma.refresh();
    },
    select(chosen) { selected = new Set(chosen.map((id) => at.get(id))); sigma.refresh(); },
    focus(id) {
      const d = sigma.getNodeDisplayData(at.get(id));
      if (d) sigma.getCamera().setState({ x: d.x, y: d.y, ratio: 0.25 });
    },
    screen(id) {
      const p = sigma.graphToViewport(graph.getNodeAttributes(at.get(id)));
      const r = container.getBoundingClientRect();
      return [r.left + p.x, r.top + p.y];
    },
  };
}
