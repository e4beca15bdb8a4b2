// Progressive enhancement for the register table: filters and sorting.
// Without JavaScript the full table shows. Filter state lives in the URL
// (?status=in-progress&overdue=1) so a filtered view can be shared.
(function () {
  "use strict";
  var form = document.getElementById("filters");
  var table = document.getElementById("register");
  if (!form || !table) return;
  var body = table.tBodies[0];
  var rows = Array.prototype.slice.call(body.rows);
  var order = { "not-started": 0, planned: 1, "in-progress": 2, completed: 3, cancelled: 4, high: 0, medium: 1, low: 2 };
  form.hidden = false;

  function state() {
    return {
      q: form.q.value.trim().toLowerCase(),
      status: form.status.value,
      priority: form.priority.value,
      owner: form.owner.value,
      overdue: form.overdue.checked
    };
  }

  function apply() {
    var s = state(), shown = 0;
    rows.forEach(function (tr) {
      var ok = (!s.status || tr.dataset.status === s.status) &&
        (!s.priority || tr.dataset.priority === s.priority) &&
        (!s.owner || tr.dataset.owner === s.owner) &&
        (!s.overdue || tr.dataset.overdue === "1") &&
        (!s.q || tr.textContent.toLowerCase().indexOf(s.q) !== -1);
      tr.hidden = !ok;
      if (ok) shown++;
    });
    form.count.value = shown + " of " + rows.length + " shown";
    var params = new URLSearchParams();
    if (s.q) params.set("q", s.q);
    ["status", "priority", "owner"].forEach(function (k) { if (s[k]) params.set(k, s[k]); });
    if (s.overdue) params.set("overdue", "1");
    var qs = params.toString();
    history.replaceState(null, "", qs ? "?" + qs : location.pathname);
  }

  var params = new URLSearchParams(location.search);
  form.q.value = params.get("q") || "";
  ["status", "priority", "owner"].forEach(function (k) { form[k].value = params.get(k) || ""; });
  form.overdue.checked = params.get("overdue") === "1";
  form.addEventListener("input", apply);
  form.addEventListener("submit", function (e) { e.preventDefault(); });

  Array.prototype.forEach.call(table.tHead.rows[0].cells, function (th, col) {
    var kind = th.dataset.sort;
    if (!kind) return;
    var button = document.createElement("button");
    button.type = "button";
    button.textContent = th.textContent;
    th.textContent = "";
    th.appendChild(button);
    th.setAttribute("aria-sort", "none");
    button.addEventListener("click", function () {
      var asc = th.getAttribute("aria-sort") !== "ascending";
      Array.prototype.forEach.call(th.parentNode.cells, function (c) { if (c.dataset.sort) c.setAttribute("aria-sort", "none"); });
      th.setAttribute("aria-sort", asc ? "ascending" : "descending");
      var key = function (tr) {
        var text = tr.cells[col].textContent.trim();
        if (kind === "status") return order[tr.dataset.status];
        if (kind === "priority") return order[tr.dataset.priority];
        return text.toLowerCase();
      };
      var coll = new Intl.Collator(undefined, { numeric: true });
      rows.sort(function (a, b) {
        var x = key(a), y = key(b);
        var c = typeof x === "number" ? x - y : coll.compare(x, y);
        return asc ? c : -c;
      });
      rows.forEach(function (tr) { body.appendChild(tr); });
    });
  });
  apply();
})();
