// Safeguarding lead's page: every few seconds, ask which alerts are open; when one arrives that
// this page does not show, say so (role="alert") and offer to refresh. Forms being filled stay.
(function () {
  "use strict";
  var POLL_MS = 5000;
  var banner = document.getElementById("lead-live");
  if (!banner) { return; }
  var known = {};
  JSON.parse(banner.dataset.known).forEach(function (id) { known[String(id)] = true; });
  var baseTitle = document.title;
  setInterval(function () {
    fetch(banner.dataset.url, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (r) { return r.ok ? r.json() : null; })
      .then(function (data) {
        if (!data) { return; }
        var fresh = data.open.some(function (id) { return !known[String(id)]; });
        if (fresh && banner.hidden) {
          banner.hidden = false;
          document.title = "(" + data.counts.open + ") " + baseTitle;
        }
      })
      .catch(function () { /* offline for a moment: try again at the next tick */ });
  }, POLL_MS);
})();
