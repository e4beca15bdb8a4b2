// Site search: progressive enhancement of the search box in every page's
// header. Without JavaScript the box is a plain form that opens the register
// page. With it, results appear as you type.
//
// The index (search-index.js, written at build time: a term index, see
// src/output/search.rs) is loaded on first use by a <script> tag, not fetch(): browsers refuse fetch() of a local file,
// and the site must work from a file share. Links are made relative to this
// page (data-root), so the site works under any sub-path. The indexed text is
// untrusted content: results are built with textContent only.
(function () {
  "use strict";
  var FIELD_SCORE = [20, 6, 2]; // title, keys (owner, controls, tags…), text

  function fold(s) {
    return String(s || "").toLowerCase().normalize("NFD").replace(/[\u0300-\u036f]/g, "");
  }

  var ASCII = /^[\x00-\x7f]*$/;

  // The index's terms folded (accents off) and sorted, for prefix lookups.
  // They come lower-cased and sorted: only words with other letters move.
  function prepare(index) {
    var changed = false;
    var terms = (index.terms || []).map(function (t, k) {
      if (ASCII.test(t)) return [t, k];
      var f = fold(t);
      changed = true; // UTF-16 order may differ from the build's byte order
      return [f, k];
    });
    if (changed) terms.sort(function (a, b) { return a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : a[1] - b[1]; });
    return {
      docs: index.docs || [],
      ids: (index.docs || []).map(function (d) { return ASCII.test(d[0]) ? d[0].toLowerCase() : fold(d[0]); }),
      terms: terms.map(function (t) { return t[0]; }),
      at: terms.map(function (t) { return t[1]; }),
      postings: index.postings || [],
      decoded: {},
    };
  }

  // Postings of term k: [[title pages], [keys pages], [text pages]].
  function postings(idx, k) {
    if (idx.decoded[k]) return idx.decoded[k];
    var out = idx.postings[k].split("|").map(function (list) {
      var n = 0;
      return list ? list.split(",").map(function (gap) { n += parseInt(gap, 36); return n; }) : [];
    });
    idx.decoded[k] = out;
    return out;
  }

  // The first term >= prefix.
  function lowerBound(terms, prefix) {
    var lo = 0, hi = terms.length;
    while (lo < hi) {
      var mid = (lo + hi) >> 1;
      if (terms[mid] < prefix) lo = mid + 1; else hi = mid;
    }
    return lo;
  }

  // Per page, the best field score of a word starting with `token`.
  function tokenScores(idx, token) {
    var best = new Uint8Array(idx.docs.length);
    for (var i = lowerBound(idx.terms, token); i < idx.terms.length && idx.terms[i].lastIndexOf(token, 0) === 0; i++) {
      var p = postings(idx, idx.at[i]);
      for (var f = 0; f < 3; f++) {
        var s = FIELD_SCORE[f];
        var list = p[f];
        for (var j = 0; j < list.length; j++) if (best[list[j]] < s) best[list[j]] = s;
      }
    }
    return best;
  }

  // The term without punctuation around it ("(phishing)," → "phishing").
  var EDGES = /^[^\p{Alphabetic}\p{N}]+|[^\p{Alphabetic}\p{N}]+$/gu;

  // Every typed term must match a page: its id exactly (100) or at the
  // start (50), or a word of it starting with the term (a word with
  // punctuation inside, such as a.5.15, is a word too), scored by its best
  // field (title, then owner/controls/tags, then body text). Results: best
  // first, then in index order.
  function search(idx, ts) {
    var n = idx.docs.length;
    var total = new Int32Array(n);
    var dead = new Uint8Array(n);
    ts.forEach(function (t) {
      var word = t.replace(EDGES, "");
      var s = word ? tokenScores(idx, word) : new Uint8Array(n);
      for (var d = 0; d < n; d++) {
        var id = idx.ids[d];
        if (id && id.lastIndexOf(t, 0) === 0) s[d] = Math.max(s[d], id === t ? 100 : 50);
        if (s[d]) total[d] += s[d]; else dead[d] = 1;
      }
    });
    var found = [];
    for (var d = 0; d < n; d++) if (!dead[d] && total[d]) found.push(d);
    found.sort(function (a, b) { return total[b] - total[a] || a - b; });
    return found.map(function (d) { return { n: d, d: idx.docs[d], s: total[d] }; });
  }

  function terms(value) {
    return fold(value).split(/\s+/).filter(Boolean);
  }

  // Loads the script `src`, which assigns window[name], once per page
  // whoever asks first (the register page's filters read the search index
  // too), then calls `done`.
  function loadScript(src, name, done, failed) {
    if (window[name]) { done(); return; }
    var s = document.querySelector('script[data-isms-global="' + name + '"]');
    if (!s) {
      s = document.createElement("script");
      s.src = src;
      s.setAttribute("data-isms-global", name);
      document.head.appendChild(s);
    }
    s.addEventListener("load", done);
    s.addEventListener("error", failed);
  }

  if (typeof window !== "undefined") {
    // For tests that run the search without a page (node).
    window.ISMS_SEARCH_CORE = { prepare: prepare, search: search, terms: terms };
    // For the register page's filters, which read the same file.
    window.ISMS_LOAD_SCRIPT = loadScript;
  }

  if (typeof document === "undefined") return;
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

  function say(text) {
    status.textContent = text;
  }

  function load() {
    if (docs || loading) return;
    loading = true;
    loadScript(form.getAttribute("data-index"), "ISMS_SEARCH_INDEX", function () {
      loading = false;
      if (window.ISMS_SEARCH_INDEX) {
        docs = prepare(window.ISMS_SEARCH_INDEX);
        update();
      }
    }, function () {
      loading = false;
      say("The search index could not be loaded.");
    });
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

  function close() {
    box.hidden = true;
  }

  function update() {
    var ts = terms(input.value);
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
    var found = search(docs, ts);
    var list = document.createElement("ul");
    found.slice(0, MAX).forEach(function (r) {
      var d = r.d; // [id, title, url, meta, snippet]
      var li = document.createElement("li");
      var a = document.createElement("a");
      a.href = root + d[2];
      highlight(a, d[0] ? d[0] + " " + d[1] : d[1], ts);
      li.appendChild(a);
      var meta = document.createElement("span");
      meta.className = "search-meta";
      meta.textContent = d[3];
      li.appendChild(meta);
      if (d[4]) {
        var snip = document.createElement("span");
        snip.className = "search-snippet";
        highlight(snip, d[4], ts);
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
