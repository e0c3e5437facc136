"""The gallery's stylesheet and its one script, kept as strings so that the
site needs no package data files and no network (system fonts only)."""

CSS = """\
:root { --fg: #1d2330; --muted: #5b6475; --line: #d9dee7; --accent: #2458c6; --bg: #fff; --soft: #f4f6fa; }
* { box-sizing: border-box; }
body { margin: 0; font: 15px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, "DejaVu Sans", sans-serif;
       color: var(--fg); background: var(--bg); }
header.top { background: #1d2330; color: #fff; padding: 14px 28px; display: flex; gap: 24px; align-items: baseline; }
header.top a { color: #fff; text-decoration: none; }
header.top .brand { font-weight: 700; font-size: 19px; }
main { max-width: 1600px; margin: 0 auto; padding: 20px 24px 60px; }
.scroll { overflow-x: auto; }
a { color: var(--accent); }
h1 { font-size: 26px; margin: 6px 0 4px; }
h2 { font-size: 18px; margin: 28px 0 8px; border-bottom: 1px solid var(--line); padding-bottom: 4px; }
.summary { color: var(--muted); margin: 0 0 10px; }
.muted { color: var(--muted); }
.badge { display: inline-block; padding: 1px 8px; border-radius: 10px; background: var(--soft);
         border: 1px solid var(--line); font-size: 12px; margin-right: 4px; }
.filters { display: flex; flex-wrap: wrap; gap: 10px 18px; align-items: center; margin: 12px 0;
           padding: 10px 12px; background: var(--soft); border: 1px solid var(--line); border-radius: 6px; }
.filters label { font-size: 13px; color: var(--muted); }
.filters select, .filters input { font: inherit; font-size: 13px; padding: 2px 4px; }
table { border-collapse: collapse; width: 100%; font-size: 13px; }
th, td { border-bottom: 1px solid var(--line); padding: 4px 8px; text-align: left; vertical-align: middle; }
th { background: var(--soft); position: sticky; top: 0; }
table.sortable th { cursor: pointer; user-select: none; white-space: nowrap; }
table.sortable th[aria-sort=ascending]::after { content: " \\25B2"; font-size: 10px; }
table.sortable th[aria-sort=descending]::after { content: " \\25BC"; font-size: 10px; }
tr[hidden] { display: none; }
td.thumb img { width: 72px; height: 40px; display: block; }
td.tex { white-space: nowrap; }
td.tex img.math { max-width: none; zoom: 0.8; }
.yes { color: #1a7f37; } .no { color: #a40e26; } .unchecked { color: var(--muted); font-style: italic; }
.formulas { display: grid; grid-template-columns: max-content 1fr; gap: 10px 16px; align-items: center; }
.formulas .lhs { color: var(--muted); font-size: 13px; }
img.math { vertical-align: middle; max-width: 100%; }
.formula { display: inline-flex; align-items: center; gap: 2px; }
svg.brace { width: 10px; margin: 0 3px; color: var(--fg); }
.cases { display: inline-grid; grid-template-columns: auto auto; gap: 2px 18px; align-items: center; }
code.latex { background: var(--soft); padding: 2px 6px; border-radius: 4px; }
figure { margin: 8px 0 16px; }
figure img { max-width: 100%; height: auto; border: 1px solid var(--line); border-radius: 4px; }
figcaption { color: var(--muted); font-size: 13px; }
pre { background: var(--soft); border: 1px solid var(--line); border-radius: 6px; padding: 10px 12px;
      overflow-x: auto; font-size: 13px; }
.differs { color: #9a6700; font-weight: 600; }
nav.pager { display: flex; justify-content: space-between; margin-top: 30px; }
.grid { display: grid; grid-template-columns: repeat(auto-fill, minmax(min(320px, 100%), 1fr)); gap: 14px; }
/* long links (references) wrap instead of widening the page */
li, p, figcaption { overflow-wrap: anywhere; }
#catalog a { white-space: nowrap; }
.explore { margin: 10px 0 18px; }
.explore label { font-size: 14px; display: flex; gap: 10px; align-items: center; flex-wrap: wrap; }
.explore input[type=range] { width: min(320px, 60vw); }
.frames svg, #compare svg { width: 100%; max-width: 900px; height: auto; display: block; }
.frames svg[hidden] { display: none; }
.swatch { display: inline-block; width: 12px; height: 12px; border-radius: 2px; margin-right: 4px; vertical-align: middle; }
/* phones: tighter margins, formulas under their labels; the catalog table
   scrolls inside its box with the names kept in view */
@media (max-width: 640px) {
  header.top { padding: 10px 14px; gap: 14px; flex-wrap: wrap; }
  main { padding: 14px 12px 40px; }
  .formulas { grid-template-columns: minmax(0, 1fr); gap: 2px; }
  .formulas .lhs { margin-top: 8px; }
  td.thumb img { width: 56px; height: 31px; }
  #catalog td:nth-child(2), #catalog th:nth-child(2) { position: sticky; left: 0; background: var(--bg); z-index: 1; }
  #catalog th:nth-child(2) { background: var(--soft); z-index: 2; }
}
"""

# The view lives in the URL (#family=radial&prop=monotonic&sort=range:desc): a
# filtered, sorted view can be linked, and a test can load one. Sorting is
# numeric where both cells are numbers (data-sort holds a cell's sort key).
SCRIPT = """\
(function () {
  var table = document.getElementById("catalog");
  if (!table) return;
  var body = table.tBodies[0];
  var rows = Array.prototype.slice.call(body.rows);
  var heads = Array.prototype.slice.call(table.tHead.rows[0].cells);
  var keys = ["family", "kind", "group", "prop", "q"];
  var controls = {};
  keys.forEach(function (k) { controls[k] = document.getElementById("filter-" + k); });
  var count = document.getElementById("count");
  var sort = "";

  function matches(row, k, v) {
    if (!v) return true;
    if (k === "q") return row.getAttribute("data-search").indexOf(v.toLowerCase()) >= 0;
    return (row.getAttribute("data-" + k) || "").split(" ").indexOf(v) >= 0;
  }

  function apply() {
    var shown = 0, parts = [];
    keys.forEach(function (k) { if (controls[k].value) parts.push(k + "=" + encodeURIComponent(controls[k].value)); });
    if (sort) parts.push("sort=" + sort);
    rows.forEach(function (row) {
      var ok = keys.every(function (k) { return matches(row, k, controls[k].value); });
      row.hidden = !ok;
      if (ok) shown++;
    });
    count.textContent = shown + " of " + rows.length;
    var hash = parts.length ? "#" + parts.join("&") : "";
    if (location.hash !== hash) history.replaceState(null, "", hash || location.pathname);
  }

  function sortRows(spec) {
    var kv = spec.split(":"), index = -1, desc = kv[1] === "desc";
    heads.forEach(function (th, i) { th.removeAttribute("aria-sort"); if (th.getAttribute("data-key") === kv[0]) index = i; });
    if (index < 0) { sort = ""; return; }
    sort = kv[0] + (desc ? ":desc" : "");
    heads[index].setAttribute("aria-sort", desc ? "descending" : "ascending");
    function key(row) {
      var cell = row.cells[index];
      return cell.getAttribute("data-sort") || cell.textContent.trim();
    }
    rows.sort(function (a, b) {
      var x = key(a), y = key(b), nx = Number(x), ny = Number(y);
      var c = (x !== "" && y !== "" && !isNaN(nx) && !isNaN(ny)) ? nx - ny : x.localeCompare(y);
      return desc ? -c : c;
    });
    rows.forEach(function (row) { body.appendChild(row); });
  }

  function readUrl() {
    var text = (location.hash || location.search).replace(/^[#?]/, "");
    keys.forEach(function (k) { controls[k].value = ""; });
    text.split("&").forEach(function (pair) {
      var kv = pair.split("="), value = decodeURIComponent(kv[1] || "");
      if (kv[0] === "sort") sortRows(value);
      else if (controls[kv[0]]) controls[kv[0]].value = value;
    });
  }

  heads.forEach(function (th) {
    th.addEventListener("click", function () {
      var k = th.getAttribute("data-key");
      sortRows(sort === k ? k + ":desc" : k);
      apply();
    });
  });
  keys.forEach(function (k) { controls[k].addEventListener("input", apply); });
  window.addEventListener("hashchange", function () { readUrl(); apply(); });
  readUrl();
  apply();
})();
"""

# Function pages' sliders show one precomputed frame and hide the others; the
# comparison page shows the picked functions' curves in their picks' colours.
# Nothing is drawn here: the curves are in the page, on fixed axes.
EXPLORE_SCRIPT = """\
(function () {
  Array.prototype.forEach.call(document.querySelectorAll(".explore"), function (box) {
    var input = box.querySelector("input"), out = box.querySelector("output");
    var labels = JSON.parse(box.getAttribute("data-values"));
    var frames = box.querySelectorAll("svg[data-frame]");
    input.addEventListener("input", function () {
      Array.prototype.forEach.call(frames, function (f) {
        if (f.getAttribute("data-frame") === input.value) f.removeAttribute("hidden");
        else f.setAttribute("hidden", "");
      });
      out.textContent = labels[Number(input.value)];
    });
  });

  var fig = document.getElementById("compare");
  if (!fig) return;
  var selects = [0, 1, 2, 3].map(function (i) { return document.getElementById("pick-" + i); });
  var links = document.getElementById("compare-links");

  function apply() {
    var chosen = {}, names = [];
    selects.forEach(function (s) {
      if (s.value && !(s.value in chosen)) { chosen[s.value] = s.getAttribute("data-color"); names.push(s.value); }
    });
    Array.prototype.forEach.call(fig.querySelectorAll("g[data-fn]"), function (g) {
      var color = chosen[g.getAttribute("data-fn")];
      g.style.display = color ? "" : "none";
      if (color) g.setAttribute("stroke", color);
    });
    links.textContent = names.length ? "Pages: " : "Pick a function above.";
    names.forEach(function (n, i) {
      var a = document.createElement("a");
      a.href = n + ".html";
      a.textContent = n;
      links.appendChild(a);
      if (i + 1 < names.length) links.appendChild(document.createTextNode(", "));
    });
    var hash = "#f=" + names.join(",");
    if (location.hash !== hash) history.replaceState(null, "", hash);
  }

  var m = /f=([^&]*)/.exec(location.hash);
  if (m) {
    var wanted = decodeURIComponent(m[1]).split(",");
    selects.forEach(function (s, i) {
      var w = wanted[i] || "";
      s.value = Array.prototype.some.call(s.options, function (o) { return o.value === w; }) ? w : "";
    });
  }
  selects.forEach(function (s) { s.addEventListener("change", apply); });
  apply();
})();
"""
