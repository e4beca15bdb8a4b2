// Progressive enhancement for the register: filters and sorting over ALL
// entries, not just the numbered page shown. Without JavaScript the page's
// rows and the links to the other pages show. The rows of every entry come
// from search-index.js and register-rows.js (loaded by <script>, which
// works from file:// where fetch() does not): `docs[i]` is [id, title, url,
// meta, description] and `rows[i]` the other columns (src/output/search.rs). The state
// lives in the URL (?priority=high&owner=IT+Operations&overdue=1&sort=-target)
// so a view can be shared, bookmarked, and survives a reload. With no filter
// and no sort the page shows its own rows again.
(function () {
  "use strict";
  var form = document.getElementById("filters");
  var table = document.getElementById("register");
  if (!form || !table || !window.URLSearchParams) return;
  var body = table.tBodies[0];
  var pageRows = Array.prototype.slice.call(body.rows);
  var pager = document.getElementById("register-pages");
  var root = form.getAttribute("data-root") || "";
  var total = Number(form.getAttribute("data-total")) || pageRows.length;
  var order = { "not-started": 0, planned: 1, "in-progress": 2, completed: 3, cancelled: 4, high: 0, medium: 1, low: 2 };
  // Filters on a single value: the entry's column must equal it.
  // (`severity` is offered only when some entry records a nonconformity.)
  var single = ["status", "priority", "owner", "source", "type", "severity"].filter(function (k) { return form[k]; });
  // Filters on a term of a list: controls " a-5-15 a-8-8 ".
  var lists = { control: "controls", tag: "tags" };
  var headers = Array.prototype.slice.call(table.tHead.rows[0].cells);
  var sorted = null; // { key, asc }
  var entries = null; // every entry, once the index is loaded
  form.hidden = false;

  function labels(name) {
    var out = {};
    Array.prototype.forEach.call(form[name].options, function (o) { out[o.value] = o.textContent; });
    return out;
  }
  var statusLabel = labels("status");
  var priorityLabel = labels("priority");

  // The entries as objects, from the files' compact arrays.
  function prepare(index, columns) {
    var owners = columns.owners || [];
    return (columns.rows || []).map(function (r, i) {
      var d = index.docs[i];
      var owner = r[2] >= 0 ? owners[r[2]] : null;
      var e = {
        id: d[0], title: d[1], url: d[2], description: d[4],
        status: r[0], priority: r[1], owner: owner ? owner[0] : "", ownerUrl: owner ? owner[1] : "",
        source: r[3], controls: r[4], tags: r[5], identified: r[6], target: r[7], overdue: r[8] === 1, outcome: r[9],
        type: r[10], severity: r[11] || "",
        extensions: r[12] || 0,
      };
      // What the text filter searches: the row's text as shown.
      e.text = [e.id, e.title, e.description, e.identified, statusLabel[e.status], priorityLabel[e.priority],
        e.owner, e.target, e.overdue ? "Overdue" : "", e.outcome].join(" ").toLowerCase();
      return e;
    });
  }

  function state() {
    var s = { q: form.q.value.trim().toLowerCase(), overdue: form.overdue.checked };
    single.concat(Object.keys(lists)).forEach(function (k) { s[k] = form[k].value; });
    return s;
  }

  function active(s) {
    return !!(sorted || s.q || s.overdue || single.concat(Object.keys(lists)).some(function (k) { return s[k]; }));
  }

  function matches(e, s) {
    for (var i = 0; i < single.length; i++) {
      var k = single[i];
      if (s[k] && e[k] !== s[k]) return false;
    }
    for (var name in lists) {
      if (s[name] && e[lists[name]].indexOf(" " + s[name] + " ") === -1) return false;
    }
    if (s.overdue && !e.overdue) return false;
    return !s.q || e.text.indexOf(s.q) !== -1;
  }

  function writeUrl() {
    var s = state();
    var params = new URLSearchParams();
    if (form.q.value.trim()) params.set("q", form.q.value.trim());
    single.concat(Object.keys(lists)).forEach(function (k) { if (s[k]) params.set(k, s[k]); });
    if (s.overdue) params.set("overdue", "1");
    if (sorted) params.set("sort", (sorted.asc ? "" : "-") + sorted.key);
    var qs = params.toString();
    history.replaceState(null, "", qs ? "?" + qs : location.pathname);
  }

  function cell(tr, label, className) {
    var td = tr.insertCell();
    td.setAttribute("data-label", label);
    if (className) td.className = className;
    return td;
  }

  function link(parent, href, text) {
    var a = document.createElement("a");
    a.href = root + href;
    a.textContent = text;
    parent.appendChild(a);
  }

  function time(parent, date) {
    var t = document.createElement("time");
    t.setAttribute("datetime", date);
    t.textContent = date;
    parent.appendChild(t);
  }

  function badge(parent, kind, value, label) {
    var b = document.createElement("span");
    b.className = "badge " + kind + "-" + value;
    b.textContent = label;
    parent.appendChild(b);
  }

  // A row as the page's own rows are written (register.html).
  function row(e) {
    var tr = document.createElement("tr");
    if (e.overdue) tr.className = "overdue";
    link(cell(tr, "#"), e.url, e.id);
    cell(tr, "Improvement opportunity").textContent = e.title;
    cell(tr, "Description", "wide").textContent = e.description;
    time(cell(tr, "Identified"), e.identified);
    badge(cell(tr, "Status"), "status", e.status, statusLabel[e.status] || e.status);
    badge(cell(tr, "Priority"), "priority", e.priority, priorityLabel[e.priority] || e.priority);
    var owner = cell(tr, "Owner");
    if (e.owner) link(owner, e.ownerUrl, e.owner);
    var target = cell(tr, "Target");
    if (e.target) time(target, e.target);
    if (e.extensions > 0) {
      var moved = document.createElement("small");
      moved.className = "extended";
      moved.textContent = "extended " + e.extensions + "\u00d7";
      target.appendChild(document.createTextNode(" "));
      target.appendChild(moved);
    }
    if (e.overdue) {
      var flag = document.createElement("strong");
      flag.className = "flag";
      flag.textContent = "Overdue";
      target.appendChild(document.createTextNode(" "));
      target.appendChild(flag);
    }
    cell(tr, "Results / outcomes", "wide").textContent = e.outcome;
    return tr;
  }

  var coll = new Intl.Collator(undefined, { numeric: true });

  function sortKey(e, key) {
    if (key === "status" || key === "priority") return order[e[key]];
    return (e[key] || "").toLowerCase();
  }

  function sortEntries(list) {
    if (!sorted) return list;
    var key = sorted.key;
    var numeric = key === "status" || key === "priority";
    return list.slice().sort(function (a, b) {
      var x = sortKey(a, key);
      var y = sortKey(b, key);
      // Empty cells go last whichever the direction.
      if (x === "" || y === "") return (x === "") - (y === "");
      var c = numeric ? x - y : coll.compare(x, y);
      return sorted.asc ? c : -c;
    });
  }

  function replaceRows(trs) {
    var fresh = document.createElement("tbody");
    trs.forEach(function (tr) { fresh.appendChild(tr); });
    table.replaceChild(fresh, body);
    body = fresh;
  }

  function apply() {
    writeUrl();
    var s = state();
    if (!active(s)) {
      replaceRows(pageRows);
      if (pager) pager.hidden = false;
      form.count.value = pageRows.length < total
        ? pageRows.length + " of " + total + " shown (this page); a filter or a sort covers all"
        : total + " of " + total + " shown";
      return;
    }
    if (pager) pager.hidden = true;
    if (!entries) {
      form.count.value = "Loading all " + total + " entries…";
      return;
    }
    var shown = sortEntries(entries.filter(function (e) { return matches(e, s); }));
    replaceRows(shown.map(row));
    form.count.value = shown.length + " of " + entries.length + " shown";
  }

  function markSorted(th, asc) {
    headers.forEach(function (c) { if (c.hasAttribute("data-sort")) c.setAttribute("aria-sort", "none"); });
    th.setAttribute("aria-sort", asc ? "ascending" : "descending");
    sorted = { key: th.getAttribute("data-key"), asc: asc };
  }

  headers.forEach(function (th) {
    if (!th.hasAttribute("data-sort")) return;
    var button = document.createElement("button");
    button.type = "button";
    button.textContent = th.textContent;
    th.textContent = "";
    th.appendChild(button);
    th.setAttribute("aria-sort", "none");
    button.addEventListener("click", function () {
      markSorted(th, th.getAttribute("aria-sort") !== "ascending");
      apply();
    });
  });

  var params = new URLSearchParams(location.search);
  form.q.value = params.get("q") || "";
  single.concat(Object.keys(lists)).forEach(function (k) {
    var v = params.get(k) || "";
    var known = Array.prototype.some.call(form[k].options, function (o) { return o.value === v; });
    form[k].value = known ? v : "";
  });
  form.overdue.checked = params.get("overdue") === "1";
  var sort = params.get("sort") || "";
  var wanted = sort.replace(/^-/, "");
  headers.forEach(function (th) {
    if (wanted && th.getAttribute("data-key") === wanted && th.hasAttribute("data-sort")) markSorted(th, sort.charAt(0) !== "-");
  });
  form.addEventListener("input", apply);
  form.addEventListener("change", apply);
  form.addEventListener("reset", function () { setTimeout(apply, 0); });
  form.addEventListener("submit", function (e) { e.preventDefault(); });
  apply();
  // search.js (on every page, before this script) loads each file once
  // for both.
  var failed = function () { form.count.value = "The register data could not be loaded."; };
  var load = window.ISMS_LOAD_SCRIPT;
  if (!load) { failed(); return; }
  function loaded() {
    if (entries || !window.ISMS_SEARCH_INDEX || !window.ISMS_REGISTER_ROWS) return;
    entries = prepare(window.ISMS_SEARCH_INDEX, window.ISMS_REGISTER_ROWS);
    apply();
  }
  load(form.getAttribute("data-index"), "ISMS_SEARCH_INDEX", loaded, failed);
  load(form.getAttribute("data-rows"), "ISMS_REGISTER_ROWS", loaded, failed);
})();
