// Live reload for `throughline serve`. Served pages load this script; it listens to the
// server's events:
// - `hello`: the server's id; a different one than the page came from means the server was
//   restarted, so the page reloads. Its event id is the number of the latest event. The
//   script tag says which server and event the page was served at: a page that missed
//   events (sent while it loaded, or while it was away in the back/forward cache) fetches
//   them and handles them in order before the ones that follow.
// - `reload`: the URL paths whose files changed. The page reloads when it is one of them,
//   when an asset it may use changed, or when it shows the error overlay; when only
//   stylesheets changed they are fetched again in place, without a reload.
// - `error`: the build failed; the overlay with the diagnostics replaces the current one.
//
// A browser opens at most six connections to one server (HTTP/1.1), and every event stream
// holds one for as long as it is open. So the pages share one stream, held by a shared
// worker (this same script), where the browser has them; and a page closes its stream when
// it is hidden in the back/forward cache, opening it again when it is shown.
(function () {
  "use strict";
  var EVENTS = "/__throughline/events";
  var MISSED = "/__throughline/missed";

  if (typeof document === "undefined") {
    if (typeof self.onconnect !== "undefined") { worker(); }
    return;
  }

  var OVERLAY = "__throughline-overlay";
  var me = document.currentScript;
  var here = (me && me.dataset.url) || location.pathname;
  var scriptUrl = me && me.src;
  var serverId = (me && me.dataset.server) || null;
  var lastId = me && me.dataset.event ? Number(me.dataset.event) : null;
  var link = null;
  // While missed events are fetched, the events that come meanwhile wait here.
  var waiting = null;

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

  // One event from the server, through the worker or straight from the stream.
  // Events are numbered from 1 in each server run; `id` is the number (a string from the
  // stream).
  function handle(name, data, id) {
    var n = Number(id) || 0;
    if (waiting !== null) { waiting.push([name, data, n]); return; }
    if (name === "hello") {
      if (serverId !== null && serverId !== data) { location.reload(); return; }
      serverId = data;
      if (lastId === null) { lastId = n; }
      else if (n > lastId) { catchUp(lastId, n); }
      return;
    }
    if (n <= lastId) { return; }
    lastId = n;
    if (name === "reload") { onReload(JSON.parse(data)); }
    else if (name === "error") { onError(JSON.parse(data)); }
  }

  // Handle the events after `from` up to `to` that the page missed, then those that came
  // meanwhile; reload when the server no longer has them.
  function catchUp(from, to) {
    waiting = [];
    fetch(MISSED + "?after=" + from, { cache: "no-store" })
      .then(function (r) { return r.ok ? r.json() : null; })
      .then(function (missed) {
        var queued = waiting;
        waiting = null;
        if (!missed) { location.reload(); return; }
        missed.forEach(function (e) {
          if (e.id <= to) { handle(e.name, e.data, e.id); }
        });
        lastId = Math.max(lastId, to);
        queued.forEach(function (e) { handle(e[0], e[1], e[2]); });
      })
      .catch(function () { waiting = null; location.reload(); });
  }

  // The page's own stream; returns what closes it.
  function direct() {
    var source = new EventSource(EVENTS);
    var retry = null;
    source.addEventListener("hello", function (e) { handle("hello", e.data, e.lastEventId); });
    source.addEventListener("reload", function (e) { handle("reload", e.data, e.lastEventId); });
    source.addEventListener("error", function (e) {
      // The server's `error` event carries data; a dropped connection does not.
      if (typeof e.data === "string") { handle("error", e.data, e.lastEventId); return; }
      // EventSource reconnects by itself unless it gave up; then start over.
      if (source.readyState === EventSource.CLOSED && retry === null) {
        retry = setTimeout(function () { link = direct(); }, 1000);
      }
    });
    return function () { clearTimeout(retry); source.close(); };
  }

  // The stream shared by the pages, through the worker; returns what leaves it.
  function shared() {
    var w = new SharedWorker(scriptUrl, { name: "throughline-live" });
    var left = false;
    w.port.onmessage = function (e) { handle(e.data.name, e.data.data, e.data.id); };
    // The worker could not start: the page listens by itself.
    w.onerror = function () { if (!left) { left = true; w.port.close(); link = direct(); } };
    return function () {
      if (left) { return; }
      left = true;
      w.port.postMessage("bye");
      w.port.close();
    };
  }

  function connect() {
    if (typeof SharedWorker === "function" && scriptUrl) {
      try { return shared(); } catch (e) { /* not allowed here: listen directly */ }
    }
    return direct();
  }

  window.addEventListener("pagehide", function () {
    if (link) { link(); link = null; }
  });
  window.addEventListener("pageshow", function (e) {
    if (e.persisted && !link) { link = connect(); }
  });
  link = connect();

  // The shared worker: one event stream for all the pages of the site in this browser,
  // each event passed on to every page. A page that connects gets the latest `hello`.
  function worker() {
    var ports = [];
    var source = null;
    var retry = null;
    var hello = null;

    function send(msg) {
      ports.forEach(function (port) { port.postMessage(msg); });
    }
    function pass(e) {
      if (hello) { hello.id = e.lastEventId; }
      send({ name: e.type, data: e.data, id: e.lastEventId });
    }
    function open() {
      retry = null;
      source = new EventSource(EVENTS);
      source.addEventListener("hello", function (e) {
        hello = { name: "hello", data: e.data, id: e.lastEventId };
        send(hello);
      });
      source.addEventListener("reload", pass);
      source.addEventListener("error", function (e) {
        if (typeof e.data === "string") { pass(e); return; }
        // Disconnected: the next `hello` says whether it is the same server.
        hello = null;
        if (source.readyState === EventSource.CLOSED) {
          source = null;
          retry = setTimeout(open, 1000);
        }
      });
    }
    function stop() {
      if (source) { source.close(); source = null; }
      clearTimeout(retry);
      retry = null;
      hello = null;
    }

    self.onconnect = function (e) {
      var port = e.ports[0];
      ports.push(port);
      port.onmessage = function (m) {
        if (m.data !== "bye") { return; }
        ports = ports.filter(function (p) { return p !== port; });
        if (ports.length === 0) { stop(); }
      };
      if (hello) { port.postMessage(hello); }
      if (!source && retry === null) { open(); }
    };
  }
})();
