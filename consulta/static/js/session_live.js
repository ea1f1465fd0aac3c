// Facilitator's session page: refresh the submission count and the safeguarding alerts every few
// seconds (an alert must reach the facilitator within seconds, without a reload); confirm closing.
(function () {
  "use strict";
  var POLL_MS = 2000;
  var counter = document.getElementById("live-count");
  var panel = document.getElementById("alerts");

  // A card for an alert that arrived after the page loaded, from the server-rendered <template>.
  var buildCard = function (alert) {
    var card = document.getElementById("alert-template").content.firstElementChild.cloneNode(true);
    var id = String(alert.id);
    [card].concat(Array.prototype.slice.call(card.querySelectorAll("*"))).forEach(function (node) {
      ["id", "for", "action", "aria-labelledby", "data-alert-id"].forEach(function (name) {
        var value = node.getAttribute(name);
        if (value && value.indexOf("__ID__") !== -1) { node.setAttribute(name, value.split("__ID__").join(id)); }
      });
    });
    card.querySelector('[data-field="tablet"]').textContent = alert.tablet || panel.dataset.noTablet;
    card.querySelector('[data-field="time"]').textContent = alert.time;
    card.querySelector('[data-field="source"]').textContent =
      alert.source === "help" ? panel.dataset.sourceHelp : panel.dataset.sourceText;
    var reasons = card.querySelector('[data-field="reasons"]');
    alert.reasons.forEach(function (reason) {
      var item = document.createElement("li");
      item.textContent = reason;
      reasons.appendChild(item);
    });
    return card;
  };

  // Re-filling the role="alert" region makes screen readers announce it again.
  var announce = function (on) {
    var banner = document.getElementById("alerts-banner");
    while (banner.firstChild) { banner.removeChild(banner.firstChild); }
    if (on) { banner.appendChild(document.getElementById("alerts-banner-text").content.cloneNode(true)); }
  };

  var baseTitle = document.title;
  var showAlerts = function (alerts) {
    if (!panel || !Array.isArray(alerts)) { return; }
    var list = document.getElementById("alerts-list");
    var open = {};
    alerts.forEach(function (alert) { open[String(alert.id)] = true; });
    // Handled meanwhile (by another facilitator of the session or by the safeguarding lead).
    Array.prototype.slice.call(list.querySelectorAll(".alert-card")).forEach(function (card) {
      if (!open[card.dataset.alertId]) { card.parentNode.removeChild(card); }
    });
    var arrived = false;
    alerts.forEach(function (alert) {
      if (list.querySelector('.alert-card[data-alert-id="' + alert.id + '"]')) { return; }
      list.appendChild(buildCard(alert));
      arrived = true;
    });
    var any = alerts.length > 0;
    document.getElementById("alerts-body").hidden = !any;
    document.getElementById("alerts-none").hidden = any;
    panel.classList.toggle("has-open", any);
    if (arrived || !any) { announce(any); }
    document.title = any ? panel.dataset.pageTitle + " · " + baseTitle : baseTitle;
  };

  if (counter) {
    var refresh = function () {
      fetch(counter.dataset.url, { credentials: "same-origin", headers: { Accept: "application/json" } })
        .then(function (r) { return r.ok ? r.json() : null; })
        .then(function (data) {
          if (!data) { return; }
          counter.textContent = String(data.count);
          showAlerts(data.alerts);
        })
        .catch(function () { /* offline for a moment: try again at the next tick */ });
    };
    setInterval(refresh, POLL_MS);
  }
  if (panel && panel.classList.contains("has-open")) { document.title = panel.dataset.pageTitle + " · " + baseTitle; }
  document.querySelectorAll("form.confirm-form").forEach(function (form) {
    form.addEventListener("submit", function (event) {
      if (!window.confirm(form.dataset.confirm)) { event.preventDefault(); }
    });
  });
})();
