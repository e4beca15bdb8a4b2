// The group site's combined register: progressive enhancement of the
// filter form. Without JavaScript the register is a set of plain pages.
// With it, the form filters every row of every register (loaded from
// group-rows.json over http(s), from group-rows.js on file://, where
// that script hands its data only to file:// pages) and shows the first
// matches in the table. Row text is untrusted: built with textContent.
(function () {
  "use strict";
  var SHOWN = 200;
  var form = document.getElementById("group-filters");
  var body = document.querySelector("#group-register tbody");
  if (!form || !body) return;
  var NAME = "group-rows";

  function load(done) {
    if (location.protocol === "file:") {
      var s = document.createElement("script");
      s.src = NAME + ".js";
      s.addEventListener("load", function () {
        var d = window.ISMS_DATA && window.ISMS_DATA["register/" + NAME];
        if (d) done(d);
      });
      document.head.appendChild(s);
      return;
    }
    fetch(NAME + ".json", { credentials: "same-origin" })
      .then(function (r) { if (!r.ok) throw new Error(r.status); return r.json(); })
      .then(done, function () {});
  }

  function cell(tr, label, text, badge) {
    var td = document.createElement("td");
    td.setAttribute("data-label", label);
    if (badge && text) {
      var span = document.createElement("span");
      span.className = "badge " + badge;
      span.textContent = text;
      td.appendChild(span);
    } else {
      td.textContent = text || "";
    }
    tr.appendChild(td);
    return td;
  }

  function show(rows, data) {
    var q = (data.get("q") || "").toLowerCase();
    var r = data.get("register"), st = data.get("status"), overdue = data.get("overdue");
    var hits = rows.filter(function (x) {
      return (!r || String(x.r) === r) && (!st || x.status === st) &&
        (!overdue || x.overdue) &&
        (!q || (x.id + " " + x.title + " " + (x.owner || "")).toLowerCase().indexOf(q) >= 0);
    });
    while (body.firstChild) body.removeChild(body.firstChild);
    hits.slice(0, SHOWN).forEach(function (x) {
      var tr = document.createElement("tr");
      if (x.overdue) tr.className = "overdue";
      cell(tr, "Register", x.register);
      var td = cell(tr, "#", "");
      var a = document.createElement("a");
      a.href = x.href;
      a.textContent = x.id;
      td.appendChild(a);
      cell(tr, "Title", x.title);
      cell(tr, "Status", x.status_label, "status-" + x.status);
      cell(tr, "Priority", x.priority_label, "priority-" + x.priority);
      cell(tr, "Owner", x.owner);
      var t = cell(tr, "Target", x.target);
      if (x.overdue) {
        var f = document.createElement("strong");
        f.className = "flag";
        f.textContent = " Overdue";
        t.appendChild(f);
      }
      body.appendChild(tr);
    });
    var pager = document.getElementById("group-pages");
    if (pager) pager.hidden = true;
    form.elements.count.value = hits.length + " matching" +
      (hits.length > SHOWN ? "; the first " + SHOWN + " shown" : "");
  }

  load(function (rows) {
    form.hidden = false;
    function update() { show(rows, new FormData(form)); }
    form.addEventListener("input", update);
    form.addEventListener("change", update);
    form.addEventListener("reset", function () { setTimeout(update, 0); });
    form.addEventListener("submit", function (e) { e.preventDefault(); update(); });
  });
})();
