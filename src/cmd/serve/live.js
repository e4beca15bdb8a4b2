// Live reload for `isms-site serve`. The server adds this script to the
// pages it serves; it is never part of the published site.
(function () {
  "use strict";
  var script = document.currentScript;
  var served = script && script.getAttribute("data-build");
  if (!window.EventSource || !served) return;
  // Always names this tab's page: the server then announces a new tag only
  // when what this page shows changed (its bytes, the theme's files, the
  // problems, warnings or notice over it), not at every rebuild.
  var source = new EventSource(
    "/__isms/events?page=" + encodeURIComponent(window.location.pathname)
  );
  var LIVE = 'script[src="/__isms/live.js"]';
  // The site search is the one script a page may run and still have its
  // main part put in place: it keeps to the header. Any other script (the
  // register list draws its rows; a theme's extra.js) may hold on to the
  // old main part, so such a page reloads.
  var KEPT = /\/assets\/search\.js$/;
  var announced = 0; // changes announced
  var shown = 0; // of these, how many the page has fetched since
  var busy = false;

  // The server names this page's tag when we connect and whenever it
  // changes; a tag other than the page's means the page changed. A page
  // tag ends in two digests, FRAME-MAIN: with the frame unchanged, only
  // the page's <main> and title did (a page-less tag, SESSION.N, has no
  // such parts and always reloads).
  source.addEventListener("generation", function (event) {
    if (event.data === served) return;
    if (frameOf(event.data) !== frameOf(served)) return reload();
    announced++;
    follow();
  });

  function frameOf(tag) {
    var parts = tag.split("-");
    return parts.length === 3 ? parts[0] + "-" + parts[1] : tag + ".";
  }

  function reload() {
    source.close();
    window.location.reload();
  }

  // Shows the newest page: in place when only its main part changed (see
  // `swap`), else by reloading. A change announced while the page is being
  // fetched is followed by another fetch.
  function follow() {
    if (busy || shown === announced) return;
    var upTo = announced;
    busy = true;
    swap().then(function (done) {
      busy = false;
      if (!done) return reload();
      shown = upTo;
      follow();
    });
  }

  // Fetches the page again and, when its frame is still the one shown,
  // neither runs a script beyond the site search and the new main part
  // shows no file by its address (see FILES), puts the new <main>
  // and title in place: the change shows without a reload, which takes
  // the browser 65-136 ms (issue 27). Resolves false when it did not.
  function swap() {
    if (!window.fetch || !window.DOMParser) return Promise.resolve(false);
    return fetch(window.location.href, { cache: "no-store" })
      .then(function (r) {
        return r.ok ? r.text() : null;
      })
      .then(function (html) {
        if (html === null) return false;
        var next = new DOMParser().parseFromString(html, "text/html");
        var tag = next.querySelector(LIVE);
        var main = document.querySelector("main");
        var fresh = next.querySelector("main");
        if (!tag || !main || !fresh || !swappable(document) || !swappable(next)) return false;
        if (showsFiles(fresh)) return false;
        var build = tag.getAttribute("data-build") || "";
        if (frameOf(build) !== frameOf(served)) return false;
        main.replaceWith(document.importNode(fresh, true));
        document.title = next.title;
        served = build;
        return true;
      })
      .catch(function () {
        return false;
      });
  }

  // Whether `doc` has one <main> and runs no script but the site search
  // and this one.
  function swappable(doc) {
    var scripts = doc.querySelectorAll("script");
    for (var i = 0; i < scripts.length; i++) {
      var s = scripts[i];
      if (s.matches(LIVE)) continue;
      var src = s.getAttribute("src");
      if (!src || !KEPT.test(new URL(src, window.location.href).pathname)) return false;
    }
    return doc.querySelectorAll("main").length === 1;
  }

  // What shows a file of its own (an image, a frame, a stylesheet). Put
  // in place, an element naming an address the page showed before is not
  // fetched again (a document keeps its images, whatever no-store says):
  // a chart or picture a save changed would keep its old look next to its
  // new numbers, until a reload. A page whose main part has one reloads.
  var FILES =
    'img,picture,source,video,audio,track,iframe,embed,object,input[type="image" i],' +
    'image,feImage,link,style,[srcset],[poster],[style*="url(" i]';

  // Whether `main` shows a file: one of FILES, or an SVG <use> of
  // anything but a part of the page itself (inline charts are drawn
  // whole in the page, and are put in place).
  function showsFiles(main) {
    if (main.querySelector(FILES)) return true;
    var uses = main.querySelectorAll("use");
    for (var i = 0; i < uses.length; i++) {
      var href = uses[i].getAttribute("href") || uses[i].getAttribute("xlink:href") || "";
      if (href.charAt(0) !== "#") return true;
    }
    return false;
  }
})();
