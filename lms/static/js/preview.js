/* Author preview: reload the page when a file of the course changes. The page works without
   this script; it only saves pressing reload. Polls the state URL given on the script tag. */
(function () {
  "use strict";
  var script = document.querySelector("script[data-state-url]");
  if (!script || !window.fetch) { return; }
  var url = script.getAttribute("data-state-url");
  var shown = script.getAttribute("data-state");
  var busy = false;

  function check() {
    if (busy || document.hidden) { return; }
    busy = true;
    fetch(url, { cache: "no-store", credentials: "same-origin" })
      .then(function (response) { return response.ok ? response.json() : null; })
      .then(function (state) {
        if (state && state.hash && state.hash !== shown) { window.location.reload(); }
      })
      .catch(function () { /* the preview server stopped or restarts: try again later */ })
      .then(function () { busy = false; });
  }

  window.setInterval(check, 1500);
  document.addEventListener("visibilitychange", check);
}());
