// Progressive enhancement for the register table: filters and sorting.
// Without JavaScript the full table shows. The state lives in the URL
// (?priority=high&owner=IT+Operations&overdue=1&sort=-target) so a view can
// be shared, bookmarked, and survives a reload.
(function () {
  "use strict";
  var form = document.getElementById("filters");
  var table = document.getElementById("register");
  if (!form || !table || !window.URLSearchParams) return;
  var body = table.tBodies[0];
  var rows = Array.prototype.slice.call(body.rows);
  var order = { "not-started": 0, planned: 1, "in-progress": 2, completed: 3, cancelled: 4, high: 0, medium: 1, low: 2 };
  // Filters on a single value: the row's data-* attribute must equal it.
  var single = ["status", "priority", "owner", "source"];
  // Filters on a term of a list: data-controls=" a-5-15 a-8-8 ".
  var lists = { control: "controls", tag: "tags" };
  var headers = Array.prototype.slice.call(table.tHead.rows[0].cells);
  var sorted = null; // { key, asc }
  form.hidden = false;

  function state() {
    var s = { q: form.q.value.trim(), overdue: form.overdue.checked };
    single.concat(Object.keys(lists)).forEach(function (k) { s[k] = form[k].value; });
    return s;
  }

  function matches(tr, s) {
    for (var i = 0; i < single.length; i++) {
      var k = single[i];
      if (s[k] && tr.getAttribute("data-" + k) !== s[k]) return false;
    }
    for (var name in lists) {
      if (s[name] && (tr.getAttribute("data-" + lists[name]) || "").indexOf(" " + s[name] + " ") === -1) return false;
    }
    if (s.overdue && tr.getAttribute("data-overdue") !== "1") return false;
    return !s.q || tr.textContent.toLowerCase().indexOf(s.q.toLowerCase()) !== -1;
  }

  function writeUrl(s) {
    var params = new URLSearchParams();
    if (s.q) params.set("q", s.q);
    single.concat(Object.keys(lists)).forEach(function (k) { if (s[k]) params.set(k, s[k]); });
    if (s.overdue) params.set("overdue", "1");
    if (sorted) params.set("sort", (sorted.asc ? "" : "-") + sorted.key);
    var qs = params.toString();
    history.replaceState(null, "", qs ? "?" + qs : location.pathname);
  }

  function apply() {
    var s = state();
    var shown = 0;
    rows.forEach(function (tr) {
      var ok = matches(tr, s);
      tr.hidden = !ok;
      if (ok) shown++;
    });
    form.count.value = shown + " of " + rows.length + " shown";
    writeUrl(s);
  }

  function sortBy(th, asc) {
    var col = headers.indexOf(th);
    var kind = th.getAttribute("data-sort");
    headers.forEach(function (c) { if (c.hasAttribute("data-sort")) c.setAttribute("aria-sort", "none"); });
    th.setAttribute("aria-sort", asc ? "ascending" : "descending");
    sorted = { key: th.getAttribute("data-key"), asc: asc };
    var key = function (tr) {
      if (kind === "status") return order[tr.getAttribute("data-status")];
      if (kind === "priority") return order[tr.getAttribute("data-priority")];
      if (kind === "date") {
        var t = tr.cells[col].querySelector("time");
        return t ? t.getAttribute("datetime") : "";
      }
      return tr.cells[col].textContent.trim().toLowerCase();
    };
    var coll = new Intl.Collator(undefined, { numeric: true });
    rows.sort(function (a, b) {
      var x = key(a);
      var y = key(b);
      // Empty cells go last whichever the direction.
      if (x === "" || y === "") return (x === "") - (y === "");
      var c = typeof x === "number" ? x - y : coll.compare(x, y);
      return asc ? c : -c;
    });
    rows.forEach(function (tr) { body.appendChild(tr); });
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
      sortBy(th, th.getAttribute("aria-sort") !== "ascending");
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
  var asc = sort.charAt(0) !== "-";
  var wanted = sort.replace(/^-/, "");
  headers.forEach(function (th) {
    if (wanted && th.getAttribute("data-key") === wanted && th.hasAttribute("data-sort")) sortBy(th, asc);
  });
  form.addEventListener("input", apply);
  form.addEventListener("change", apply);
  form.addEventListener("reset", function () { setTimeout(apply, 0); });
  form.addEventListener("submit", function (e) { e.preventDefault(); });
  apply();
})();
