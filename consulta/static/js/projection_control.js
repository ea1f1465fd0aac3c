// Facilitator's projection controls: the answer list refreshes itself as tablets send answers,
// so a card can be hidden before it ever reaches the room's screen.
(function () {
  "use strict";
  var holder = document.getElementById("answer-list");
  if (!holder) { return; }
  var signature = function (root) {
    var node = root.querySelector("[data-signature]");
    return node ? node.dataset.signature : "";
  };
  var refresh = function () {
    // Never swap the list under a pointer or a focused button: the facilitator may be clicking.
    if (holder.contains(document.activeElement) && document.activeElement !== document.body) { return; }
    fetch(holder.dataset.url, { credentials: "same-origin", cache: "no-store" })
      .then(function (r) { return r.ok ? r.text() : null; })
      .then(function (html) {
        if (html === null) { return; }
        var next = new DOMParser().parseFromString(html, "text/html").body;
        if (signature(next) === signature(holder)) { return; }
        while (holder.firstChild) { holder.removeChild(holder.firstChild); }
        while (next.firstChild) { holder.appendChild(next.firstChild); }
      })
      .catch(function () { /* offline for a moment: the next tick tries again */ });
  };
  setInterval(refresh, 3000);
})();
