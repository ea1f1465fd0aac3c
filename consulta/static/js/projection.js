// The room's screen: polls the projection's data, animates new cards in and hidden ones out,
// redraws the word cloud, and keeps only the cards that fit on the screen (newest first).
(function () {
  "use strict";
  var config = JSON.parse(document.getElementById("projection-config").textContent);
  var list = document.getElementById("pj-card-list");
  var cloud = document.getElementById("pj-cloud-list");
  var title = document.getElementById("pj-question");
  var paused = document.getElementById("pj-paused");
  var main = document.getElementById("pj-main");
  var waiting = document.getElementById("pj-waiting");
  var count = document.getElementById("pj-count");
  var questionId = null;
  var cloudSignature = "";
  var busy = false;
  var firstSeen = {};

  var card = function (item) {
    var li = document.createElement("li");
    var p = document.createElement("p");
    li.className = "pj-card";
    li.dataset.key = item.key;
    p.textContent = item.text;
    li.appendChild(p);
    return li;
  };

  // Cards below the bottom edge are not drawn half-cut: they wait off screen.
  var fit = function () {
    var cards = Array.prototype.slice.call(list.children);
    cards.forEach(function (li) { li.classList.remove("is-offscreen"); });
    var bottom = list.getBoundingClientRect().bottom;
    cards.forEach(function (li) {
      if (li.getBoundingClientRect().bottom > bottom + 1) { li.classList.add("is-offscreen"); }
    });
    // The cloud shrinks as a whole to fit its panel; only then does it drop its smallest words.
    var words = Array.prototype.slice.call(cloud.children);
    var overflows = function () { return cloud.scrollHeight > cloud.clientHeight + 1; };
    words.forEach(function (li) { li.classList.remove("is-offscreen"); });
    var scale = 1;
    cloud.style.setProperty("--pj-scale", "1");
    while (overflows() && scale > 0.8) {
      scale = Math.round((scale - 0.05) * 100) / 100;
      cloud.style.setProperty("--pj-scale", String(scale));
    }
    words.sort(function (a, b) { return a.className.localeCompare(b.className); });
    for (var i = 0; i < words.length && overflows(); i += 1) {
      words[i].classList.add("is-offscreen");
    }
  };

  var drawCards = function (items, fresh) {
    var wanted = {};
    items.forEach(function (item) { wanted[item.key] = item; });
    if (fresh) { while (list.firstChild) { list.removeChild(list.firstChild); } }
    Array.prototype.slice.call(list.children).forEach(function (li) {
      if (!wanted[li.dataset.key] && !li.classList.contains("is-leaving")) {
        li.classList.add("is-leaving");
        setTimeout(function () { if (li.parentNode) { li.parentNode.removeChild(li); fit(); } }, 450);
      }
    });
    var present = {};
    Array.prototype.slice.call(list.children).forEach(function (li) { present[li.dataset.key] = true; });
    // A new card waits config.hold ms before it shows: time for the facilitator, who sees it at
    // once on the control page, to hide it first. New cards go first, so the latest are in view.
    var now = Date.now();
    items.filter(function (item) {
      if (present[item.key]) { return false; }
      if (!(item.key in firstSeen)) { firstSeen[item.key] = now; }
      return fresh || now - firstSeen[item.key] >= config.hold;
    }).reverse().forEach(function (item) {
      var li = card(item);
      if (!fresh) { li.classList.add("is-entering"); }
      list.insertBefore(li, list.firstChild);
    });
    var onScreen = list.querySelectorAll(".pj-card:not(.is-leaving)").length;
    waiting.hidden = onScreen > 0;
    count.textContent = onScreen + " " + (onScreen === 1 ? config.one : config.many);
    fit();
  };

  var drawCloud = function (words) {
    var signature = words.map(function (w) { return w.word + ":" + w.weight; }).join(" ");
    if (signature === cloudSignature) { return; }
    cloudSignature = signature;
    while (cloud.firstChild) { cloud.removeChild(cloud.firstChild); }
    words.forEach(function (w) {
      var li = document.createElement("li");
      li.className = "w" + w.weight + " t" + w.tone;
      li.textContent = w.word;
      cloud.appendChild(li);
    });
  };

  var draw = function (data) {
    var id = data.question ? data.question.id : null;
    var fresh = id !== questionId;
    questionId = id;
    title.hidden = !data.question;
    paused.hidden = !!data.question;
    main.hidden = !data.question;
    if (data.question) { title.textContent = data.question.prompt; }
    drawCloud(data.cloud);
    drawCards(data.cards, fresh);
  };

  var refresh = function () {
    if (busy) { return; }
    busy = true;
    // The cloud counts only the cards on screen, so a card still waiting adds no words to it.
    var shown = Array.prototype.filter.call(list.children, function (li) {
      return !li.classList.contains("is-leaving");
    }).map(function (li) { return li.dataset.key; });
    var url = config.url + "?mostradas=" + encodeURIComponent(shown.join(","));
    fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" }, cache: "no-store" })
      .then(function (r) { return r.ok ? r.json() : null; })
      .then(function (data) { if (data) { draw(data); } })
      .catch(function () { /* the network blinked: the next tick tries again */ })
      .then(function () { busy = false; });
  };

  // What the server drew is the starting state; from now on only changes animate.
  questionId = config.question;
  cloudSignature = Array.prototype.map.call(cloud.children, function (li) {
    return li.textContent + ":" + li.className.split(" ")[0].slice(1);
  }).join(" ");
  fit();
  window.addEventListener("resize", fit);
  setInterval(refresh, config.poll);
})();
