// Site search: progressive enhancement of the search box in every page's
// header. Without JavaScript the box is a plain form that opens the register
// page. With it, results appear as you type.
//
// The index (written at build time: a term index, see src/output/search.rs)
// is split so that a query loads little: `search-index` (the page count,
// the other files' names) on first use of the box, then the term shard of each
// query word's first character, then the part of the docs table the first
// results are in. Every data file comes twice: served over http(s) the page
// fetch()es the `.json` (the same-origin policy keeps other sites from
// reading it); opened from a file share (file://, where browsers refuse
// fetch()) it loads the `.js`, which hands its data only to file:// pages.
// Links are made relative to this page (data-root), so the site works under
// any sub-path. The indexed text is untrusted content: results are built
// with textContent only.
(function () {
  "use strict";
  var FIELD_SCORE = [20, 6, 2]; // title, keys (owner, controls, tags…), text

  // The page's words for what this script says (base.html puts the site
  // language's on the search form as `data-messages`, keys `js-…` of the
  // catalogue); English when a theme leaves them out. `%n`, `%m` and `%q`
  // stand for the numbers and the query.
  var EN = {
    "js-search-failed": "The search index could not be loaded.",
    "js-search-loading": "Loading the search index…",
    "js-no-matches-for": "No matches for “%q”.",
    "js-first-of-matches": "First %n of %m matches; type more words to narrow them.",
    "js-matches-one": "%n match; press the down arrow to reach them.",
    "js-matches-other": "%n matches; press the down arrow to reach them.",
    "js-no-matches": "No matches."
  };
  // Without a page (the tests run the search in Node) there is no form:
  // English, and no plural rules beyond it.
  var PAGE = typeof document !== "undefined";
  var MESSAGES = (function () {
    var f = PAGE && document.getElementById("site-search");
    try { return JSON.parse((f && f.getAttribute("data-messages")) || "{}"); } catch (e) { return {}; }
  })();
  var PLURAL = typeof Intl !== "undefined" && Intl.PluralRules
    ? new Intl.PluralRules((PAGE && document.documentElement.lang) || "en") : null;
  function msg(key, n, m, q) {
    var k = key;
    if (PLURAL && n !== undefined && (MESSAGES[key + "-one"] || EN[key + "-one"])) {
      k = key + "-" + PLURAL.select(n);
      if (!(MESSAGES[k] || EN[k])) k = key + "-other";
    }
    return String(MESSAGES[k] || EN[k] || k)
      .replace(/%n/g, n).replace(/%m/g, m).replace(/%q/g, function () { return q; });
  }

  function fold(s) {
    return String(s || "").toLowerCase().normalize("NFD").replace(/[\u0300-\u036f]/g, "").normalize("NFC").replace(/\u00df/g, "ss");
  }

  var ASCII = /^[\x00-\x7f]*$/;

  // The core of the index, ready for shards and docs to be added.
  function prepare(core) {
    return {
      count: core.count || 0,
      chunk: core.chunk || 1,
      shards: {},
      chunks: {},
    };
  }

  // A term shard's terms folded (accents off) and sorted, for prefix
  // lookups. They come lower-cased and sorted: only words with other
  // letters move.
  function addShard(idx, key, shard) {
    var changed = false;
    var terms = (shard.terms || []).map(function (t, k) {
      if (ASCII.test(t)) return [t, k];
      changed = true; // UTF-16 order may differ from the build's byte order
      return [fold(t), k];
    });
    if (changed) terms.sort(function (a, b) { return a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : a[1] - b[1]; });
    idx.shards[key] = {
      // [[entry number, folded id]] of the ids starting with the key.
      ids: (shard.ids || []).map(function (x) { return [x[0], ASCII.test(x[1]) ? x[1].toLowerCase() : fold(x[1])]; }),
      terms: terms.map(function (t) { return t[0]; }),
      at: terms.map(function (t) { return t[1]; }),
      postings: shard.postings || [],
      decoded: {},
    };
  }

  function addDocs(idx, n, part) {
    idx.chunks[n] = part.docs || [];
  }

  // The shards a query word may be in: its first character's (an ASCII
  // letter or digit) and "_" (other first characters, which may fold to
  // it: "über" for "uber").
  // (The build writes every shard, empty ones too, so the names are known
  // before any file is read.)
  function shardsOf(word) {
    var c = word.charAt(0);
    return /^[a-z0-9]$/.test(c) ? [c, "_"] : ["_"];
  }

  // The shard files a query needs that are not in `idx` (null: any): each
  // term's for the ids it may match, its word's for the terms.
  function missingShards(idx, ts) {
    var out = [];
    var need = function (k) { if (!(idx && idx.shards[k]) && out.indexOf(k) === -1) out.push(k); };
    ts.forEach(function (t) {
      var word = t.replace(EDGES, "");
      shardsOf(t).forEach(need);
      if (word) shardsOf(word).forEach(need);
    });
    return out.map(function (k) { return "search/t-" + k; });
  }

  function missingDocs(idx, found) {
    var out = [];
    found.forEach(function (r) {
      var c = Math.floor(r.n / idx.chunk);
      if (!idx.chunks[c] && out.indexOf(c) === -1) out.push(c);
    });
    return out.map(function (c) { return "search/d-" + c; });
  }

  // Page n's [id, title, url, meta, snippet], once its docs file is loaded.
  function doc(idx, n) {
    var part = idx.chunks[Math.floor(n / idx.chunk)];
    return part ? part[n % idx.chunk] : null;
  }

  // Adds a loaded data file to the index, by its name.
  function add(idx, name, value) {
    var m = /^search\/([td])-(.+)$/.exec(name);
    if (!m) return;
    if (m[1] === "t") addShard(idx, m[2], value); else addDocs(idx, Number(m[2]), value);
  }

  // Postings of term k of a shard: [[title pages], [keys pages], [text pages]].
  function postings(sh, k) {
    if (sh.decoded[k]) return sh.decoded[k];
    var out = sh.postings[k].split("|").map(function (list) {
      var n = 0;
      return list ? list.split(",").map(function (gap) { n += parseInt(gap, 36); return n; }) : [];
    });
    sh.decoded[k] = out;
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
    var best = new Uint8Array(idx.count);
    shardsOf(token).forEach(function (key) {
      var sh = idx.shards[key];
      if (!sh) return;
      for (var i = lowerBound(sh.terms, token); i < sh.terms.length && sh.terms[i].lastIndexOf(token, 0) === 0; i++) {
        var p = postings(sh, sh.at[i]);
        for (var f = 0; f < 3; f++) {
          var s = FIELD_SCORE[f];
          var list = p[f];
          for (var j = 0; j < list.length; j++) if (best[list[j]] < s) best[list[j]] = s;
        }
      }
    });
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
    var n = idx.count;
    var total = new Int32Array(n);
    var dead = new Uint8Array(n);
    ts.forEach(function (t) {
      var word = t.replace(EDGES, "");
      var s = word ? tokenScores(idx, word) : new Uint8Array(n);
      shardsOf(t).forEach(function (key) {
        var sh = idx.shards[key];
        if (!sh) return;
        sh.ids.forEach(function (x) {
          var id = x[1];
          if (id.lastIndexOf(t, 0) === 0) s[x[0]] = Math.max(s[x[0]], id === t ? 100 : 50);
        });
      });
      for (var d = 0; d < n; d++) {
        if (s[d]) total[d] += s[d]; else dead[d] = 1;
      }
    });
    // Best first, then in index order: pages in buckets by score (a few
    // distinct scores), not a sort of every match.
    var buckets = {};
    var scores = [];
    for (var d = 0; d < n; d++) {
      var score = total[d];
      if (dead[d] || !score) continue;
      if (!buckets[score]) { buckets[score] = []; scores.push(score); }
      buckets[score].push(d);
    }
    scores.sort(function (a, b) { return b - a; });
    var found = [];
    scores.forEach(function (score) {
      buckets[score].forEach(function (page) { found.push({ n: page, s: score }); });
    });
    return found;
  }

  // Scripts written without spaces between words (kana, Han, Hangul): the
  // index holds their text as pairs of characters, so a query's runs of
  // them are split into pairs too (one character stays itself), each of
  // which must match (search.rs, cjk_bigrams).
  var CJK = /[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uac00-\ud7af\uff66-\uff9d]+/g;

  function pairs(word) {
    var runs = word.match(CJK);
    if (!runs) return [word];
    var out = word.split(CJK).filter(function (w) { return /[\p{Alphabetic}\p{N}]/u.test(w); });
    runs.forEach(function (r) {
      if (r.length === 1) out.push(r);
      for (var i = 0; i + 1 < r.length; i++) out.push(r.substr(i, 2));
    });
    return out;
  }

  function terms(value) {
    var out = [];
    fold(value).split(/\s+/).filter(Boolean).forEach(function (w) { out = out.concat(pairs(w)); });
    return out;
  }

  // Data files by name: { value } once loaded, { waiting: [[done, failed]] }
  // while loading, { failed: true } after a failure.
  var files = {};

  // Loads the data file `name` (without extension) below `root` once per
  // page, whoever asks first (the register page's filters use it too),
  // then calls done(value) or failed().
  function loadData(root, name, done, failed) {
    var f = files[name];
    if (f && "value" in f) { done(f.value); return; }
    if (f && f.failed) { failed(); return; }
    if (f) { f.waiting.push([done, failed]); return; }
    f = files[name] = { waiting: [[done, failed]] };
    function settle(ok, value) {
      var waiting = f.waiting;
      delete f.waiting;
      if (ok) f.value = value; else f.failed = true;
      waiting.forEach(function (w) { if (ok) w[0](value); else w[1](); });
    }
    if (location.protocol === "file:") {
      var s = document.createElement("script");
      s.src = root + name + ".js";
      s.addEventListener("load", function () {
        var data = window.ISMS_DATA && window.ISMS_DATA[name];
        settle(!!data, data);
      });
      s.addEventListener("error", function () { settle(false); });
      document.head.appendChild(s);
      return;
    }
    fetch(root + name + ".json", { credentials: "same-origin" })
      .then(function (r) { if (!r.ok) throw new Error(r.status); return r.json(); })
      .then(function (data) { settle(true, data); }, function () { settle(false); });
  }

  // Loads every file of `names`, then calls done(values in order).
  function loadAll(root, names, done, failed) {
    var values = [];
    var left = names.length;
    var gaveUp = false;
    if (!left) { done(values); return; }
    names.forEach(function (name, i) {
      loadData(root, name, function (v) {
        values[i] = v;
        if (--left === 0 && !gaveUp) done(values);
      }, function () {
        if (!gaveUp) { gaveUp = true; failed(); }
      });
    });
  }

  if (typeof window !== "undefined") {
    // For tests that run the search without a page (node).
    window.ISMS_SEARCH_CORE = { prepare: prepare, add: add, search: search, terms: terms, doc: doc };
    // For the register page's filters.
    window.ISMS_LOAD_DATA = loadData;
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
  var idx = null;
  var loading = false;
  var broken = false;
  var results = [];

  function say(text) {
    status.textContent = text;
  }

  function fail() {
    loading = false;
    broken = true;
    say(msg("js-search-failed"));
  }

  function load() {
    if (idx || loading || broken) return;
    loading = true;
    loadData(root, "search-index", function (core) {
      loading = false;
      idx = prepare(core);
      update();
    }, fail);
  }

  // Loads the files `names` into the index, then shows the results again.
  function fetchMore(names) {
    loadAll(root, names, function (values) {
      names.forEach(function (name, i) { add(idx, name, values[i]); });
      update();
    }, fail);
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
    if (broken) { say(msg("js-search-failed")); return; }
    if (!idx) {
      say(msg("js-search-loading"));
      // The query's shards load while the core does.
      missingShards(null, ts).forEach(function (name) { loadData(root, name, function () {}, function () {}); });
      return;
    }
    var need = missingShards(idx, ts);
    if (need.length) { fetchMore(need); return; }
    var found = search(idx, ts);
    need = missingDocs(idx, found.slice(0, MAX));
    if (need.length) { fetchMore(need); return; }
    var list = document.createElement("ul");
    found.slice(0, MAX).forEach(function (r) {
      var d = doc(idx, r.n); // [id, title, url, meta, snippet]
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
      note.textContent = msg("js-no-matches-for", 0, 0, input.value.trim());
    } else if (found.length > MAX) {
      note.textContent = msg("js-first-of-matches", MAX, found.length);
    } else {
      note.textContent = found.length === 1 ? "1 match." : found.length + " matches.";
    }
    box.appendChild(note);
    if (found.length) box.appendChild(list);
    box.hidden = false;
    say(found.length ? msg("js-matches", found.length) : msg("js-no-matches"));
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
    if (!idx) return;
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
