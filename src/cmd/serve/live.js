// Live reload for `isms-site serve`. The server adds this script to the
// pages it serves; it is never part of the published site.
(function () {
  "use strict";
  var script = document.currentScript;
  var served = script && script.getAttribute("data-build");
  if (!window.EventSource || !served) return;
  var source = new EventSource("/__isms/events");
  // The server names the newest build when we connect and after every
  // rebuild; any build other than the one this page came from means reload.
  source.addEventListener("generation", function (event) {
    if (event.data !== served) {
      source.close();
      window.location.reload();
    }
  });
})();
