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
    bar.querySelectorAll("a[data-filter]").forEach(function (a) {
      var on = active[a.dataset.filter] === a.dataset.value;
      a.setAttribute("aria-pressed", on ? "true" : "false");
    });
    if (status) {
      var parts = [];
      if (active.team) parts.push("team " + active.team);
      if (active.type) parts.push("type " + active.type);
      status.textContent = parts.length ? "Board filtered to " + parts.join(" and ") + ": " + shown + " items." : "";
    }
  }
  bar.querySelectorAll("a[data-filter]").forEach(function (a) {
    a.setAttribute("role", "button");
    a.setAttribute("aria-pressed", "false");
    a.addEventListener("click", function (e) {
      e.preventDefault();
      var key = a.dataset.filter;
      active[key] = active[key] === a.dataset.value ? "" : a.dataset.value;
      apply();
    });
  });
})();
