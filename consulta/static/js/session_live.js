// Facilitator's session page: refresh the submission count every few seconds; confirm closing.
(function () {
  "use strict";
  var counter = document.getElementById("live-count");
  // Help asked on a tablet: the count and the times (newest first), as the server sends them.
  var showHelp = function (help) {
    var alert = document.getElementById("help-alert");
    if (!help || !alert) { return; }
    document.getElementById("help-count").textContent = String(help.count);
    alert.hidden = help.count === 0;
    document.getElementById("help-none").hidden = help.count > 0;
    var list = document.getElementById("help-times");
    while (list.firstChild) { list.removeChild(list.firstChild); }
    help.times.forEach(function (time) {
      var item = document.createElement("li");
      item.textContent = time;
      list.appendChild(item);
    });
  };
  if (counter) {
    var refresh = function () {
      fetch(counter.dataset.url, { credentials: "same-origin", headers: { Accept: "application/json" } })
        .then(function (r) { return r.ok ? r.json() : null; })
        .then(function (data) { if (data) { counter.textContent = String(data.count); showHelp(data.help_requests); } })
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
