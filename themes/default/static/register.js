// Progressive enhancement for the register: filters and sorting over ALL
// entries, not just the numbered page shown. Without JavaScript the page's
// rows and the links to the other pages show. The rows of every entry come
// from the data file `register-rows` (src/output/search.rs; loaded by
// search.js's loader: fetch() of the .json over http(s), the .js from
// file://): `docs[i]` is [id, title, url, description] and `rows[i]` the
// other columns. The state lives in the URL
// (?priority=high&owner=IT+Operations&overdue=1&sort=-target) so a view can
// be shared, bookmarked, and survives a reload. With no filter and no sort
// the page shows its own rows again.
//
// Fast at any size (issue 27: 5–16 s per keystroke at 10,000 entries
// before): the entries are held as columns (codes in typed arrays, one
// lower-cased text per entry), a keystroke that only lengthens the text
// filters the last matches again, each column's sort order is computed once,
// changes are drawn once per frame, and only the first rows are drawn (more
// as the reader scrolls, or with the button below the table).
(function () {
  "use strict";
  var form = document.getElementById("filters");
  var table = document.getElementById("register");
  if (!form || !table || !window.URLSearchParams) return;
  // The page's words for what this script says (see search.js, `msg`).
  var EN = {
    "js-overdue": "Overdue",
    "js-extended": "extended %n×",
    "js-show-more": "Show %n more (%d of %m drawn)",
    "js-page-shown": "%n of %m shown (this page); a filter or a sort covers all",
    "js-shown": "%n of %m shown",
    "js-loading-all": "Loading all %n entries…",
    "js-register-failed": "The register data could not be loaded."
  };
  var MESSAGES = (function () {
    var f = document.getElementById("site-search");
    try { return JSON.parse((f && f.getAttribute("data-messages")) || "{}"); } catch (e) { return {}; }
  })();
  // Lower case without accents, as search.js folds: "Uberfallig" finds
  // "Überfällig".
  function fold(s) {
    return String(s || "").toLowerCase().normalize("NFD").replace(/[\u0300-\u036f]/g, "").normalize("NFC").replace(/\u00df/g, "ss");
  }

  function msg(key, n, m, d) {
    return String(MESSAGES[key] || EN[key] || key).replace(/%n/g, n).replace(/%m/g, m).replace(/%d/g, d);
  }
  var body = table.tBodies[0];
  var pageRows = Array.prototype.slice.call(body.rows);
  var pager = document.getElementById("register-pages");
  var root = form.getAttribute("data-root") || "";
  var total = Number(form.getAttribute("data-total")) || pageRows.length;
  var order = { "not-started": 0, planned: 1, "in-progress": 2, completed: 3, cancelled: 4, high: 0, medium: 1, low: 2 };
  // Rows drawn at once as the reader reaches the end.
  var STEP = 20;
  // The shortest row the page was served with (rows hold descriptions and
  // grow tall): a filter first draws only the rows that fit the window,
  // which is most of a keystroke's time; the rest follow as it scrolls.
  var rowHeight = Math.max(24, pageRows.reduce(function (h, tr) {
    var r = tr.getBoundingClientRect().height;
    return r > 0 ? Math.min(h, r) : h;
  }, 200));
  // Filters on a single value: the entry's column must equal it.
  // (`severity` is offered only when some entry records a nonconformity.)
  var single = ["status", "priority", "owner", "source", "type", "severity"].filter(function (k) { return form[k]; });
  // Filters on a term of a list: controls " a-5-15 a-8-8 ".
  var lists = { control: "controls", tag: "tags", risk: "risks" };
  if (!form.risk) delete lists.risk; // offered only when entries name risks
  var headers = Array.prototype.slice.call(table.tHead.rows[0].cells);
  // Each column's header text by its `data-key`, read before the sort
  // buttons replace the headers' text.
  var headerText = { id: "#" };
  headers.forEach(function (th) { var k = th.getAttribute("data-key"); if (k) headerText[k] = th.textContent; });
  var sorted = null; // { key, asc }
  var data = null; // every entry as columns, once loaded
  var last = null; // { state, matches } of the last filter, to narrow
  var shown = null; // the entries drawn from, in order (Int32Array)
  var drawn = 0; // how many of them are drawn
  var watcher = null; // draws more rows when the button below nears the view
  form.hidden = false;

  var more = document.createElement("button");
  more.type = "button";
  more.className = "register-more";
  more.hidden = true;
  (table.parentNode.className === "table-wrap" ? table.parentNode : table).insertAdjacentElement("afterend", more);

  function labels(name) {
    var out = {};
    Array.prototype.forEach.call(form[name].options, function (o) { out[o.value] = o.textContent; });
    return out;
  }
  var statusLabel = labels("status");
  var priorityLabel = labels("priority");

  // Each distinct value of a column gets a small number.
  function codes(values) {
    var dict = {};
    var next = 0;
    var out = new Uint16Array(values.length);
    for (var i = 0; i < values.length; i++) {
      var v = values[i];
      if (!(v in dict)) dict[v] = next++;
      out[i] = dict[v];
    }
    return { dict: dict, of: out };
  }

  // The entries as columns, from the file's compact arrays.
  function prepare(columns) {
    var owners = columns.owners || [];
    var rows = columns.rows || [];
    var docs = columns.docs || [];
    var n = rows.length;
    var col = function (k) { return rows.map(function (r) { return r[k]; }); };
    var d = {
      n: n,
      id: docs.map(function (x) { return x[0]; }),
      title: docs.map(function (x) { return x[1]; }),
      url: docs.map(function (x) { return x[2]; }),
      description: docs.map(function (x) { return x[3]; }),
      status: col(0), priority: col(1),
      owner: rows.map(function (r) { return r[2] >= 0 ? owners[r[2]][0] : ""; }),
      ownerUrl: rows.map(function (r) { return r[2] >= 0 ? owners[r[2]][1] : ""; }),
      source: col(3), controls: col(4), tags: col(5), identified: col(6), target: col(7),
      overdue: new Uint8Array(col(8)), outcome: col(9), type: col(10),
      severity: rows.map(function (r) { return r[11] || ""; }),
      extensions: rows.map(function (r) { return r[12] || 0; }),
      risks: rows.map(function (r) { return r[13] || " "; }),
      codes: {},
      orders: {},
    };
    single.forEach(function (k) { d.codes[k] = codes(d[k]); });
    // What the text filter searches: the row's text as shown.
    d.text = new Array(n);
    for (var i = 0; i < n; i++) {
      d.text[i] = fold([d.id[i], d.title[i], d.description[i], d.identified[i], statusLabel[d.status[i]], priorityLabel[d.priority[i]],
        d.owner[i], d.target[i], d.overdue[i] ? msg("js-overdue") : "", d.outcome[i]].join(" "));
    }
    return d;
  }

  function state() {
    var s = { q: fold(form.q.value.trim()), overdue: form.overdue.checked };
    single.concat(Object.keys(lists)).forEach(function (k) { s[k] = form[k].value; });
    s.sort = sorted ? (sorted.asc ? "" : "-") + sorted.key : "";
    return s;
  }

  function active(s) {
    return !!(s.sort || s.q || s.overdue || single.concat(Object.keys(lists)).some(function (k) { return s[k]; }));
  }

  // Whether `s` differs from `old` only by a text that contains the old
  // one: then its matches are among the old matches.
  function narrows(s, old) {
    if (!old || s.q.indexOf(old.q) === -1) return false;
    for (var k in s) if (k !== "q" && s[k] !== old[k]) return false;
    return true;
  }

  // The entries matching `s`, in the order shown, drawn from `from` (every
  // entry in sort order, or the last matches when the text only grew).
  function filter(s, from) {
    var test = [];
    single.forEach(function (k) {
      if (!s[k]) return;
      var c = data.codes[k].dict[s[k]];
      var of = data.codes[k].of;
      test.push(c === undefined ? function () { return false; } : function (i) { return of[i] === c; });
    });
    Object.keys(lists).forEach(function (name) {
      if (!s[name]) return;
      var column = data[lists[name]];
      var term = " " + s[name] + " ";
      test.push(function (i) { return column[i].indexOf(term) !== -1; });
    });
    if (s.overdue) test.push(function (i) { return data.overdue[i] === 1; });
    var q = s.q;
    var text = data.text;
    var out = new Int32Array(from.length);
    var m = 0;
    outer: for (var j = 0; j < from.length; j++) {
      var i = from[j];
      if (q && text[i].indexOf(q) === -1) continue;
      for (var t = 0; t < test.length; t++) if (!test[t](i)) continue outer;
      out[m++] = i;
    }
    return out.subarray(0, m);
  }

  function writeUrl() {
    var s = state();
    var params = new URLSearchParams();
    if (form.q.value.trim()) params.set("q", form.q.value.trim());
    single.concat(Object.keys(lists)).forEach(function (k) { if (s[k]) params.set(k, s[k]); });
    if (s.overdue) params.set("overdue", "1");
    if (s.sort) params.set("sort", s.sort);
    var qs = params.toString();
    history.replaceState(null, "", qs ? "?" + qs : location.pathname);
  }

  // A cell labelled (for the narrow layout) as its column's header is.
  function cell(tr, key, className) {
    var td = tr.insertCell();
    td.setAttribute("data-label", headerText[key] || key);
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

  // Entry i's row, as the page's own rows are written (register.html).
  function row(i) {
    var d = data;
    var tr = document.createElement("tr");
    if (d.overdue[i]) tr.className = "overdue";
    link(cell(tr, "id"), d.url[i], d.id[i]);
    cell(tr, "title").textContent = d.title[i];
    cell(tr, "description", "wide").textContent = d.description[i];
    time(cell(tr, "identified"), d.identified[i]);
    badge(cell(tr, "status"), "status", d.status[i], statusLabel[d.status[i]] || d.status[i]);
    badge(cell(tr, "priority"), "priority", d.priority[i], priorityLabel[d.priority[i]] || d.priority[i]);
    var owner = cell(tr, "owner");
    if (d.owner[i]) link(owner, d.ownerUrl[i], d.owner[i]);
    var target = cell(tr, "target");
    if (d.target[i]) time(target, d.target[i]);
    if (d.extensions[i] > 0) {
      var moved = document.createElement("small");
      moved.className = "extended";
      moved.textContent = msg("js-extended", d.extensions[i]);
      target.appendChild(document.createTextNode(" "));
      target.appendChild(moved);
    }
    if (d.overdue[i]) {
      var flag = document.createElement("strong");
      flag.className = "flag";
      flag.textContent = msg("js-overdue");
      target.appendChild(document.createTextNode(" "));
      target.appendChild(flag);
    }
    cell(tr, "outcome", "wide").textContent = d.outcome[i];
    return tr;
  }

  var coll = new Intl.Collator(undefined, { numeric: true });

  function sortKey(key, i) {
    if (key === "status" || key === "priority") return order[data[key][i]];
    return (data[key][i] || "").toLowerCase();
  }

  // Every entry in the order of column `key` (empty cells last whichever
  // the direction, ties in register order), computed once per column:
  // what sorting the matches gave before, without sorting on every
  // keystroke. Descending is ascending with its runs of equal keys in
  // reverse order (no second sort).
  function sortOrder(key, asc) {
    var name = (asc ? "" : "-") + key;
    if (data.orders[name]) return data.orders[name];
    var keys = new Array(data.n);
    for (var i = 0; i < data.n; i++) keys[i] = sortKey(key, i);
    var numeric = key === "status" || key === "priority";
    var cmp = function (x, y) { return numeric ? x - y : coll.compare(x, y); };
    var up = data.orders[key];
    if (!up) {
      var all = new Array(data.n);
      for (var j = 0; j < data.n; j++) all[j] = j;
      all.sort(function (a, b) {
        var x = keys[a];
        var y = keys[b];
        if (x === "" || y === "") return (x === "") - (y === "");
        return cmp(x, y);
      });
      up = data.orders[key] = Int32Array.from(all);
    }
    if (asc) return up;
    var filled = 0;
    while (filled < up.length && keys[up[filled]] !== "") filled++;
    var down = new Int32Array(up.length);
    var at = 0;
    for (var end = filled; end > 0;) {
      var start = end - 1;
      while (start > 0 && cmp(keys[up[start - 1]], keys[up[end - 1]]) === 0) start--;
      for (var k = start; k < end; k++) down[at++] = up[k];
      end = start;
    }
    for (var e = filled; e < up.length; e++) down[at++] = up[e];
    data.orders[name] = down;
    return down;
  }

  // The columns' orders, computed while the page is idle, so that a click
  // on a header does not wait for them.
  function sortWhenIdle(keys) {
    var idle = window.requestIdleCallback || function (f) { return setTimeout(f, 50); };
    if (!keys.length) return;
    idle(function () {
      if (!data.orders[keys[0]]) sortOrder(keys[0], true);
      sortWhenIdle(keys.slice(1));
    });
  }

  function everyEntry() {
    if (!data.orders[""]) {
      data.orders[""] = new Int32Array(data.n);
      for (var i = 0; i < data.n; i++) data.orders[""][i] = i;
    }
    return data.orders[""];
  }

  function replaceRows(trs) {
    var fresh = document.createElement("tbody");
    trs.forEach(function (tr) { fresh.appendChild(tr); });
    table.replaceChild(fresh, body);
    body = fresh;
  }

  // Rows that fill the window below the table's top, and one more.
  function fitting() {
    var top = Math.max(0, table.getBoundingClientRect().top);
    return Math.min(STEP, Math.max(4, Math.ceil((window.innerHeight - top) / rowHeight) + 1));
  }

  // Draws the next `count` (else STEP) rows of `shown`.
  function drawMore(count) {
    if (!shown) return;
    var end = Math.min(shown.length, drawn + (typeof count === "number" ? count : STEP));
    var part = document.createDocumentFragment();
    for (; drawn < end; drawn++) part.appendChild(row(shown[drawn]));
    body.appendChild(part);
    more.hidden = drawn >= shown.length;
    more.textContent = msg("js-show-more", Math.min(STEP, shown.length - drawn), shown.length, drawn);
    // Observed afresh, the button is reported again if it is still near
    // the view: rows are drawn until they fill it.
    if (watcher && !more.hidden) { watcher.unobserve(more); watcher.observe(more); }
  }

  function apply() {
    writeUrl();
    var s = state();
    if (!active(s)) {
      shown = null;
      last = null;
      more.hidden = true;
      replaceRows(pageRows);
      if (pager) pager.hidden = false;
      form.count.value = pageRows.length < total
        ? msg("js-page-shown", pageRows.length, total)
        : msg("js-shown", total, total);
      return;
    }
    if (pager) pager.hidden = true;
    if (!data) {
      form.count.value = msg("js-loading-all", total);
      return;
    }
    var from = narrows(s, last && last.state) ? last.matches
      : sorted ? sortOrder(sorted.key, sorted.asc) : everyEntry();
    shown = filter(s, from);
    last = { state: s, matches: shown };
    drawn = 0;
    replaceRows([]);
    drawMore(fitting());
    form.count.value = msg("js-shown", shown.length, data.n);
  }

  // Changes are drawn once per frame, however fast the keys come; the URL
  // follows at once.
  var pending = false;
  function schedule() {
    writeUrl();
    if (pending) return;
    pending = true;
    requestAnimationFrame(function () {
      pending = false;
      apply();
    });
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
      schedule();
    });
  });

  more.addEventListener("click", function () { drawMore(); });
  // Near the end of the drawn rows, draw more.
  watcher = window.IntersectionObserver && new IntersectionObserver(function (seen) {
    if (seen.some(function (e) { return e.isIntersecting; })) drawMore();
  }, { rootMargin: "200px" });
  if (watcher) watcher.observe(more);

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
  form.addEventListener("input", schedule);
  form.addEventListener("change", schedule);
  form.addEventListener("reset", function () { setTimeout(schedule, 0); });
  form.addEventListener("submit", function (e) { e.preventDefault(); });
  apply();
  // search.js (on every page, before this script) loads each data file
  // once for both.
  var failed = function () { form.count.value = msg("js-register-failed"); };
  var load = window.ISMS_LOAD_DATA;
  if (!load) { failed(); return; }
  load(root, "register-rows", function (columns) {
    data = prepare(columns);
    apply();
    sortWhenIdle(headers.filter(function (th) { return th.hasAttribute("data-sort"); })
      .map(function (th) { return th.getAttribute("data-key"); }));
  }, failed);
})();
