// Live reload for `throughline serve`. Served pages load this script; it listens to the
// server's events:
// - `hello`: the server's id; a different id after a reconnect means the server was
//   restarted, so the page reloads.
// - `reload`: the URL paths whose files changed. The page reloads when it is one of them,
//   when an asset it may use changed, or when it shows the error overlay; when only
//   stylesheets changed they are fetched again in place, without a reload.
// - `error`: the build failed; the overlay with the diagnostics replaces the current one.
(function () {
  "use strict";
  var OVERLAY = "__throughline-overlay";
  var me = document.currentScript;
  var here = (me && me.dataset.url) || location.pathname;
  var serverId = null;

  function isPage(p) { return /\/$|\.html?$/.test(p); }
  function isCss(p) { return /\.css$/.test(p); }
  // Feeds and data files change with most edits but are not part of a displayed page.
  function isData(p) { return /\.(xml|json|txt)$|\/\.[^\/]*$/.test(p); }

  function swapStylesheets() {
    var links = document.querySelectorAll('link[rel~="stylesheet"]');
    Array.prototype.forEach.call(links, function (link) {
      var url = new URL(link.href, location.href);
      url.searchParams.set("__throughline", String(Date.now()));
      var fresh = link.cloneNode();
      fresh.href = url.href;
      var done = function () { link.remove(); };
      fresh.addEventListener("load", done);
      fresh.addEventListener("error", done);
      link.after(fresh);
    });
  }

  function onReload(paths) {
    if (document.getElementById(OVERLAY)) { location.reload(); return; }
    var pages = paths.filter(isPage);
    var css = paths.filter(isCss);
    var assets = paths.filter(function (p) { return !isPage(p) && !isCss(p) && !isData(p); });
    if (pages.indexOf(here) >= 0 || assets.length > 0) {
      location.reload();
    } else if (css.length > 0) {
      swapStylesheets();
    }
  }

  function onError(data) {
    var holder = document.createElement("div");
    holder.innerHTML = data.html;
    var fresh = holder.firstElementChild;
    var old = document.getElementById(OVERLAY);
    if (old && fresh) { old.replaceWith(fresh); }
    else if (old) { old.remove(); }
    else if (fresh) { document.body.appendChild(fresh); }
  }

  function connect() {
    var source = new EventSource("/__throughline/events");
    source.addEventListener("hello", function (e) {
      if (serverId !== null && serverId !== e.data) { location.reload(); return; }
      serverId = e.data;
    });
    source.addEventListener("reload", function (e) { onReload(JSON.parse(e.data)); });
    source.addEventListener("error", function (e) {
      // The server's `error` event carries data; a dropped connection does not.
      if (typeof e.data === "string") { onError(JSON.parse(e.data)); return; }
      // EventSource reconnects by itself unless it gave up; then start over.
      if (source.readyState === EventSource.CLOSED) {
        source.close();
        setTimeout(connect, 1000);
      }
    });
  }

  connect();
})();
