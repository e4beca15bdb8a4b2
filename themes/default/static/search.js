// Site search: progressive enhancement of the search box in every page's
// header. Without JavaScript the box is a plain form that opens the register
// page. With it, results appear as you type.
//
// The index (search-index.js, written at build time) is loaded on first use
// by a <script> tag, not fetch(): browsers refuse fetch() of a local file,
// and the site must work from a file share. Links are made relative to this
// page (data-root), so the site works under any sub-path. The indexed text is
// untrusted content: results are built with textContent only.
(function () {
  "use strict";
  var form = document.getElementById("site-search");
  if (!form || !form.querySelector) return;
  var input = form.querySelector("input[type=search]");
  var box = document.getElementById("site-search-results");
  var status = document.getElementById("site-search-status");
  if (!input || !box || !status) return;
  var root = form.getAttribute("data-root") || "";
  var MAX = 12;
  var docs = null;
  var loading = false;
  var results = [];

  function fold(s) {
    return String(s || "").toLowerCase().normalize("NFD").replace(/[\u0300-\u036f]/g, "");
  }

  function prepare(index) {
    return (index.docs || []).map(function (d, n) {
      return { d: d, n: n, id: fold(d.id), title: fold(d.title), keys: fold(d.keys), text: fold(d.text) };
    });
  }

  function say(text) {
    status.textContent = text;
  }

  function load() {
    if (docs || loading) return;
    if (window.ISMS_SEARCH_INDEX) {
      docs = prepare(window.ISMS_SEARCH_INDEX);
      return;
    }
    loading = true;
    var s = document.createElement("script");
    s.src = form.getAttribute("data-index");
    s.onload = function () {
      loading = false;
      if (window.ISMS_SEARCH_INDEX) {
        docs = prepare(window.ISMS_SEARCH_INDEX);
        update();
      }
    };
    s.onerror = function () {
      loading = false;
      say("The search index could not be loaded.");
    };
    document.head.appendChild(s);
  }

  function atWordStart(hay, term) {
    var i = hay.indexOf(term);
    while (i !== -1) {
      if (i === 0 || !/[a-z0-9]/.test(hay.charAt(i - 1))) return true;
      i = hay.indexOf(term, i + 1);
    }
    return false;
  }

  // Every term must match somewhere; a match in the id beats the title,
  // the title beats owner/controls/tags, and those beat body text.
  function score(p, terms) {
    var total = 0;
    for (var k = 0; k < terms.length; k++) {
      var t = terms[k];
      var s = 0;
      if (p.id && p.id === t) s = 100;
      else if (p.id && p.id.indexOf(t) === 0) s = 50;
      if (p.title.indexOf(t) !== -1) s = Math.max(s, atWordStart(p.title, t) ? 20 : 10);
      if (!s && p.keys.indexOf(t) !== -1) s = atWordStart(p.keys, t) ? 6 : 4;
      if (!s && p.text.indexOf(t) !== -1) s = atWordStart(p.text, t) ? 2 : 1;
      if (!s) return 0;
      total += s;
    }
    return total;
  }

  function terms() {
    return fold(input.value).split(/\s+/).filter(Boolean);
  }

  function search(ts) {
    if (!docs || !ts.length) return [];
    var found = [];
    docs.forEach(function (p) {
      var s = score(p, ts);
      if (s) found.push({ p: p, s: s });
    });
    found.sort(function (a, b) { return b.s - a.s || a.p.n - b.p.n; });
    return found;
  }

  // Appends `text` to `el`, with the query's terms in <mark>.
  function highlight(el, text, ts) {
    var lower = text.toLowerCase();
    var at = 0;
    while (at < text.length) {
      var best = -1;
      var len = 0;
      ts.forEach(function (t) {
        var i = lower.indexOf(t, at);
        if (i !== -1 && (best === -1 || i < best)) { best = i; len = t.length; }
      });
      if (best === -1) break;
      if (best > at) el.appendChild(document.createTextNode(text.slice(at, best)));
      var m = document.createElement("mark");
      m.textContent = text.slice(best, best + len);
      el.appendChild(m);
      at = best + len;
    }
    if (at < text.length) el.appendChild(document.createTextNode(text.slice(at)));
  }

  // A few words of body text around the first match.
  function snippet(text, ts) {
    var lower = text.toLowerCase();
    var first = -1;
    ts.forEach(function (t) {
      var i = lower.indexOf(t);
      if (i !== -1 && (first === -1 || i < first)) first = i;
    });
    if (first === -1) first = 0;
    var start = Math.max(0, first - 60);
    var end = Math.min(text.length, first + 120);
    if (start > 0) {
      var sp = text.indexOf(" ", start);
      if (sp !== -1 && sp < first) start = sp + 1;
    }
    if (end < text.length) {
      var back = text.lastIndexOf(" ", end);
      if (back > first) end = back;
    }
    return (start > 0 ? "… " : "") + text.slice(start, end) + (end < text.length ? " …" : "");
  }

  function close() {
    box.hidden = true;
  }

  function update() {
    var ts = terms();
    box.textContent = "";
    results = [];
    if (!ts.length) {
      close();
      say("");
      return;
    }
    if (!docs) {
      say("Loading the search index…");
      return;
    }
    var found = search(ts);
    var list = document.createElement("ul");
    found.slice(0, MAX).forEach(function (r) {
      var d = r.p.d;
      var li = document.createElement("li");
      var a = document.createElement("a");
      a.href = root + d.url;
      highlight(a, d.id ? d.id + " " + d.title : d.title, ts);
      li.appendChild(a);
      var meta = document.createElement("span");
      meta.className = "search-meta";
      meta.textContent = d.meta;
      li.appendChild(meta);
      if (d.text) {
        var snip = document.createElement("span");
        snip.className = "search-snippet";
        highlight(snip, snippet(d.text, ts), ts);
        li.appendChild(snip);
      }
      list.appendChild(li);
      results.push(a);
    });
    var note = document.createElement("p");
    note.className = "search-note";
    if (!found.length) {
      note.textContent = "No matches for “" + input.value.trim() + "”.";
    } else if (found.length > MAX) {
      note.textContent = "First " + MAX + " of " + found.length + " matches; type more words to narrow them.";
    } else {
      note.textContent = found.length === 1 ? "1 match." : found.length + " matches.";
    }
    box.appendChild(note);
    if (found.length) box.appendChild(list);
    box.hidden = false;
    say(found.length ? found.length + (found.length === 1 ? " match" : " matches") + "; press the down arrow to reach them." : "No matches.");
  }

  function move(by) {
    var i = results.indexOf(document.activeElement);
    var next = i + by;
    if (next < 0) { input.focus(); return; }
    if (next >= results.length) next = results.length - 1;
    if (results[next]) results[next].focus();
  }

  form.classList.add("live");
  input.addEventListener("focus", load);
  input.addEventListener("input", function () { load(); update(); });
  form.addEventListener("keydown", function (e) {
    if (e.key === "ArrowDown") { e.preventDefault(); if (box.hidden) update(); move(1); }
    else if (e.key === "ArrowUp") { e.preventDefault(); move(-1); }
    else if (e.key === "Escape") {
      if (!box.hidden) { close(); input.focus(); } else { input.value = ""; update(); }
    }
  });
  form.addEventListener("submit", function (e) {
    // Enter goes to the best match; with none, stay here.
    if (!docs) return;
    e.preventDefault();
    if (results.length) location.href = results[0].href;
  });
  document.addEventListener("click", function (e) {
    if (!form.contains(e.target)) close();
  });
  form.addEventListener("focusout", function (e) {
    if (e.relatedTarget && !form.contains(e.relatedTarget)) close();
  });
  if (document.activeElement === input && input.value) { load(); update(); }
})();
