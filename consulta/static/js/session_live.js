// Facilitator's session page: refresh the submission count every few seconds; confirm closing.
(function () {
  "use strict";
  var counter = document.getElementById("live-count");
  if (counter) {
    var refresh = function () {
      fetch(counter.dataset.url, { credentials: "same-origin", headers: { Accept: "application/json" } })
        .then(function (r) { return r.ok ? r.json() : null; })
        .then(function (data) { if (data) { counter.textContent = String(data.count); } })
        .catch(function () { /* offline for a moment: try again at the next tick */ });
    };
    setInterval(refresh, 4000);
  }
  document.querySelectorAll("form.confirm-form").forEach(function (form) {
    form.addEventListener("submit", function (event) {
      if (!window.confirm(form.dataset.confirm)) { event.preventDefault(); }
    });
  });
})();
