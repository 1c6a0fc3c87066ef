// Optional enhancements; every page works without this file.
// Roadmap: the team and type filter links, which jump to per-team and per-type sections
// without JavaScript, filter the main board in place instead.
(function () {
  "use strict";
  var board = document.getElementById("board");
  var bar = document.querySelector("[data-filter-bar]");
  // A board cut short (a large roadmap) would filter only the cards it shows: then the
  // links keep jumping to the per-team and per-type sections.
  if (!board || !bar || board.querySelector(".more")) return;
  var status = document.getElementById("filter-status");
  var active = { team: "", type: "" };
  function apply() {
    var shown = 0;
    board.querySelectorAll(".item-card").forEach(function (card) {
      var ok = (!active.team || card.dataset.team === active.team) &&
        (!active.type || card.dataset.type === active.type);
      card.hidden = !ok;
      if (ok) shown++;
    });
    bar.querySelectorAll("button[data-filter]").forEach(function (b) {
      var on = active[b.dataset.filter] === b.dataset.value;
      b.setAttribute("aria-pressed", on ? "true" : "false");
    });
    if (status) {
      var parts = [];
      if (active.team) parts.push("team " + active.team);
      if (active.type) parts.push("type " + active.type);
      status.textContent = parts.length ? "Board filtered to " + parts.join(" and ") + ": " + shown + (shown === 1 ? " item." : " items.") : "";
    }
  }
  // Each link becomes a real toggle button (Enter and Space, pressed state announced).
  bar.querySelectorAll("a[data-filter]").forEach(function (a) {
    var b = document.createElement("button");
    b.type = "button";
    b.className = "filter-button";
    b.dataset.filter = a.dataset.filter;
    b.dataset.value = a.dataset.value;
    b.setAttribute("aria-pressed", "false");
    while (a.firstChild) b.appendChild(a.firstChild);
    a.replaceWith(b);
    b.addEventListener("click", function () {
      var key = b.dataset.filter;
      active[key] = active[key] === b.dataset.value ? "" : b.dataset.value;
      apply();
    });
  });
})();
