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
  // The server names this page's tag when we connect and whenever it
  // changes; any tag other than the one this page came with means reload.
  source.addEventListener("generation", function (event) {
    if (event.data !== served) {
      source.close();
      window.location.reload();
    }
  });
})();
