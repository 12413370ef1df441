// The explorer's one script: search over window.PG_SEARCH (search-index.js) where the page has a
// search box. Results are built with textContent and links to the site's own pages only.
(function () {
  "use strict";
  var STRIP = /[\s〔〕［］\[\]()（）【】〈〉《》「」『』]/g;
  var SLUG = /^[a-z0-9][a-z0-9-]*$/;
  var LIMIT = 50;

  function norm(text) {
    return String(text).normalize("NFKC").toLowerCase().replace(STRIP, "");
  }

  function prepare(data) {
    // entry: [kind, slug, label, detail, other names...]; keys: the normalised names
    return data.entries.map(function (e) {
      var keys = [norm(e[2])];
      for (var i = 4; i < e.length; i++) keys.push(norm(e[i]));
      return { e: e, keys: keys };
    });
  }

  function search(index, query) {
    var q = norm(query);
    if (!q) return [];
    var hits = [];
    for (var n = 0; n < index.length; n++) {
      var keys = index[n].keys, best = 3;
      for (var k = 0; k < keys.length && best > 0; k++) {
        var at = keys[k].indexOf(q);
        if (at < 0) continue;
        var score = keys[k].length === q.length ? 0 : at === 0 ? 1 : 2;
        if (score < best) best = score;
      }
      if (best < 3) hits.push([best, index[n].e[0], n]);
    }
    hits.sort(function (a, b) { return a[0] - b[0] || a[1] - b[1] || a[2] - b[2]; });
    return hits.map(function (h) { return index[h[2]].e; });
  }

  function show(data, found, list, status) {
    list.textContent = "";
    found.slice(0, LIMIT).forEach(function (e) {
      var kind = data.kinds[e[0]];
      if (!kind || !SLUG.test(e[1])) return;
      var li = document.createElement("li");
      var tag = document.createElement("span");
      tag.className = "kind";
      tag.textContent = kind;
      var a = document.createElement("a");
      a.href = kind + "/" + e[1] + ".html";
      a.textContent = e[2];
      var detail = document.createElement("div");
      detail.className = "note";
      detail.textContent = e[3];
      li.append(tag, a, detail);
      list.appendChild(li);
    });
    status.textContent = found.length === 0 ? "No match." : found.length === 1 ? "1 match" :
      found.length + " matches" + (found.length > LIMIT ? ", the first " + LIMIT + " shown" : "");
  }

  function start() {
    var box = document.getElementById("pg-search");
    if (box && window.PG_SEARCH) {
      var data = window.PG_SEARCH, index = prepare(data);
      var list = document.getElementById("pg-results"), status = document.getElementById("pg-matches");
      var run = function () {
        var t0 = performance.now();
        var found = search(index, box.value);
        if (box.value.trim()) show(data, found, list, status); else { list.textContent = ""; status.textContent = ""; }
        window.pgLastSearch = { query: box.value, matches: found.length, ms: performance.now() - t0 };
      };
      window.pgSearch = function (q) { return search(index, q); };
      box.addEventListener("input", run);
      document.getElementById("pg-search-form").addEventListener("submit", function (ev) { ev.preventDefault(); run(); });
      var given = new URLSearchParams(location.search).get("q");
      if (given) { box.value = given; run(); }
    }
    window.pgReady = true;
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
