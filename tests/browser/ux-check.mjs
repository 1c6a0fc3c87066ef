// Browser checks of a built report, page by page: width at 390 px, the smallest chart text on
// a phone and on a desktop, console errors, print-to-PDF page counts (A4 and US Letter) and
// tables cut off in print; optionally the Nu HTML checker and Lighthouse.
//
//   cd tests/browser && npm install
//   node ux-check.mjs                        # the example report, one page of each kind
//   node ux-check.mjs --all                  # every page
//   node ux-check.mjs --root DIR --all       # another report (e.g. a generated benchmark corpus)
//   node ux-check.mjs --vnu --lighthouse     # also the HTML checker and Lighthouse (slower)
//   node ux-check.mjs --bin ../../target/debug/throughline   # skip the release build
//   node ux-check.mjs --screenshots          # also retake the screenshots in docs/screenshots
//   node ux-check.mjs --kinds team,teams     # only pages of these kinds
//
// The report is built with the release binary under the sub-path /report/ and served by a
// small static server, so every link is checked as it works on GitHub Pages. Results are
// printed as a table and written to results/<name>.json.
import { spawnSync, execFileSync } from "node:child_process";
import { createServer } from "node:http";
import { mkdtempSync, readFileSync, writeFileSync, mkdirSync, existsSync, statSync, readdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve, extname, dirname, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { chromium } from "playwright-core";

const here = dirname(fileURLToPath(import.meta.url));
const repo = resolve(here, "../..");
const args = process.argv.slice(2);
const flag = (name) => args.includes(name);
const option = (name, fallback) => {
  const i = args.indexOf(name);
  return i >= 0 && i + 1 < args.length ? args[i + 1] : fallback;
};
const root = resolve(option("--root", repo));
const name = option("--name", root === repo ? "example" : root.split("/").filter(Boolean).pop());
const chromePath = option("--chromium", process.env.CHROMIUM || "/usr/bin/chromium");
const PHONE = 390;
const DESKTOP = 1280;
const BASE = "/report/";

// 1. Build under a sub-path.
const out = mkdtempSync(join(tmpdir(), "ux-check-"));
const port = 20000 + (process.pid % 20000);
// --site DIR checks an output folder already built with the base URL's path /report/.
let site = option("--site", "");
if (!site) {
  // The binary: --bin PATH, else a fresh release build.
  let bin = option("--bin", "");
  if (!bin) {
    execFileSync("cargo", ["build", "--release"], { cwd: repo, stdio: "inherit" });
    bin = join(repo, "target/release/throughline");
  }
  const build = spawnSync(bin, ["build", "--root", root, "--output-dir", join(out, "site"), "--base-url", `http://127.0.0.1:${port}${BASE}`], { encoding: "utf8" });
  if (build.status !== 0) {
    process.stderr.write(build.stdout + build.stderr);
    process.exit(1);
  }
  site = join(out, "site");
}
site = resolve(site);

// 2. Serve it.
const types = { ".html": "text/html; charset=utf-8", ".css": "text/css", ".js": "text/javascript", ".svg": "image/svg+xml", ".json": "application/json", ".xml": "application/xml", ".txt": "text/plain" };
const server = createServer((req, res) => {
  let path = decodeURIComponent(new URL(req.url, "http://x").pathname);
  if (!path.startsWith(BASE)) { res.writeHead(404); return res.end(); }
  let file = join(site, path.slice(BASE.length));
  if (!file.startsWith(site)) { res.writeHead(403); return res.end(); }
  if (existsSync(file) && statSync(file).isDirectory()) file = join(file, "index.html");
  if (!existsSync(file)) { res.writeHead(404, { "content-type": "text/html" }); return res.end(readFileSync(join(site, "404.html"))); }
  res.writeHead(200, { "content-type": types[extname(file)] || "application/octet-stream" });
  res.end(readFileSync(file));
});
await new Promise((ok) => server.listen(port, "127.0.0.1", ok));

// 3. The pages: every HTML file, or the first of each kind (the body's page-<kind> class).
function htmlFiles(dir) {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = join(dir, e.name);
    return e.isDirectory() ? htmlFiles(p) : e.name.endsWith(".html") ? [p] : [];
  }).sort();
}
const files = htmlFiles(site).filter((f) => !f.endsWith("404.html") || flag("--all"));
const kindOf = (f) => (readFileSync(f, "utf8").match(/<body class="page-([a-z-]+)/) || [])[1] || "other";
let pages = files.map((f) => ({ file: f, kind: kindOf(f), url: BASE + relative(site, f).replace(/index\.html$/, "") }));
// --kinds a,b: only pages of these kinds (the body's page-<kind> class).
const onlyKinds = option("--kinds", "");
if (onlyKinds) {
  const wanted = new Set(onlyKinds.split(","));
  pages = pages.filter((p) => wanted.has(p.kind));
}
if (!flag("--all")) {
  // One page of each kind, and the one with the most charts or table rows for item, outcome
  // and post-mortem pages (the heaviest is the one that overflows first).
  const weight = (p) => (readFileSync(p.file, "utf8").match(/<tr|<pre|<svg/g) || []).length;
  const byKind = new Map();
  for (const p of pages) {
    const best = byKind.get(p.kind);
    if (!best || weight(p) > weight(best)) byKind.set(p.kind, p);
  }
  pages = [...byKind.values()];
}

const browser = await chromium.launch({
  executablePath: chromePath,
  args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
  // Playwright starts every run with a fresh temporary profile of its own.
});

// In the page: width overflow, the element that overflows most, the smallest chart text.
function measure() {
  const vw = document.documentElement.clientWidth;
  let widest = null;
  let widestRight = vw;
  for (const el of document.querySelectorAll("body *")) {
    const r = el.getBoundingClientRect();
    if (r.width === 0 || r.right <= widestRight + 0.5) continue;
    // Only elements that are themselves visible on the page, not inside a scroll box.
    let p = el.parentElement, clipped = false;
    while (p && p !== document.body) {
      const o = getComputedStyle(p).overflowX;
      if (o === "auto" || o === "scroll" || o === "hidden") { clipped = true; break; }
      p = p.parentElement;
    }
    if (clipped) continue;
    widestRight = r.right;
    widest = el.tagName.toLowerCase() + (el.className && typeof el.className === "string" ? "." + el.className.trim().split(/\s+/).join(".") : "");
  }
  let smallest = Infinity, smallestText = "";
  for (const t of document.querySelectorAll("svg.tl-chart text")) {
    const svg = t.ownerSVGElement;
    if (!svg || svg.getBoundingClientRect().width === 0 || !t.textContent.trim()) continue;
    if (svg.closest("details:not([open])")) continue;
    const scale = svg.getBoundingClientRect().width / svg.viewBox.baseVal.width;
    const size = parseFloat(getComputedStyle(t).fontSize) * scale;
    if (size < smallest) { smallest = size; smallestText = t.textContent.trim().slice(0, 40); }
  }
  return {
    scrollWidth: document.documentElement.scrollWidth,
    viewport: vw,
    widest,
    chartText: smallest === Infinity ? null : Math.round(smallest * 10) / 10,
    chartTextSample: smallestText,
    charts: document.querySelectorAll("svg.tl-chart").length,
  };
}

// In print: table or scroll boxes whose content is wider than their box.
function printClipped() {
  const cut = [];
  for (const el of document.querySelectorAll(".table-scroll, pre, table, figure")) {
    if (el.scrollWidth > el.clientWidth + 1 && getComputedStyle(el).display !== "none") {
      cut.push(el.tagName.toLowerCase() + (el.closest("[id]") ? "#" + el.closest("[id]").id : ""));
    }
  }
  if (document.documentElement.scrollWidth > document.documentElement.clientWidth + 1) cut.push("page");
  return cut;
}

const pdfPages = (buf) => (buf.toString("latin1").match(/\/Type\s*\/Page[^s]/g) || []).length;

const results = [];
const phone = await browser.newContext({ viewport: { width: PHONE, height: 844 }, deviceScaleFactor: 1, isMobile: true, hasTouch: true });
const desk = await browser.newContext({ viewport: { width: DESKTOP, height: 900 } });
for (const p of pages) {
  const url = `http://127.0.0.1:${port}${p.url}`;
  const row = { page: p.url, kind: p.kind, console: [] };
  const tab = await phone.newPage();
  tab.on("console", (m) => { if (m.type() === "error" || m.type() === "warning") row.console.push(m.text()); });
  tab.on("pageerror", (e) => row.console.push(String(e)));
  tab.on("response", (r) => { if (r.status() >= 400) row.console.push(`${r.status()} ${r.url()}`); });
  await tab.goto(url, { waitUntil: "load" });
  const m = await tab.evaluate(measure);
  row.width390 = m.scrollWidth;
  row.overflow = m.scrollWidth > m.viewport ? m.widest : null;
  row.chartTextPhone = m.chartText;
  row.smallestPhone = m.chartTextSample;
  row.charts = m.charts;
  if (!flag("--no-print") && (!flag("--all") || flag("--print"))) {
    await tab.emulateMedia({ media: "print", colorScheme: "dark" });
    await tab.setViewportSize({ width: 718, height: 1000 }); // A4 less 15 mm margins at 96 dpi
    row.printCut = await tab.evaluate(printClipped);
    row.pdfA4 = pdfPages(await tab.pdf({ format: "A4", margin: { top: "15mm", bottom: "15mm", left: "15mm", right: "15mm" } }));
    row.pdfLetter = pdfPages(await tab.pdf({ format: "Letter", margin: { top: "0.6in", bottom: "0.6in", left: "0.6in", right: "0.6in" } }));
  }
  await tab.close();
  if (m.charts > 0) {
    const d = await desk.newPage();
    await d.goto(url, { waitUntil: "load" });
    const dm = await d.evaluate(measure);
    row.chartTextDesktop = dm.chartText;
    row.smallestDesktop = dm.chartTextSample;
    row.width1280 = dm.scrollWidth;
    await d.close();
  }
  results.push(row);
}
// The screenshots in docs/ and the README: phone (light and dark), desktop dark, and print.
if (flag("--screenshots")) {
  const shots = join(repo, "docs/screenshots");
  const take = async (file, url, opts, media) => {
    const ctx = await browser.newContext(opts);
    const tab = await ctx.newPage();
    if (media) await tab.emulateMedia(media);
    await tab.goto(`http://127.0.0.1:${port}${BASE}${url}`, { waitUntil: "load" });
    await tab.screenshot({ path: join(shots, file), fullPage: false });
    await ctx.close();
  };
  const phoneOpts = { viewport: { width: PHONE, height: 844 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true };
  await take("home-phone.png", "", phoneOpts, { colorScheme: "light" });
  await take("item-phone-dark.png", "roadmap/recurring-invoices-v2/", phoneOpts, { colorScheme: "dark" });
  await take("outcome-phone.png", "outcomes/days-sales-outstanding/", phoneOpts, { colorScheme: "light" });
  await take("home-light.png", "", { viewport: { width: DESKTOP, height: 900 } }, { colorScheme: "light" });
  await take("home-dark.png", "", { viewport: { width: DESKTOP, height: 900 } }, { colorScheme: "dark" });
  await take("reliability-dark.png", "reliability/", { viewport: { width: DESKTOP, height: 900 } }, { colorScheme: "dark" });
  // Print: the page as Chromium lays it out for A4 (180 mm of text width ≈ 680 px), from dark mode.
  await take("delivery-print.png", "delivery/", { viewport: { width: 680, height: 960 }, deviceScaleFactor: 1.5 }, { media: "print", colorScheme: "dark" });
}
await browser.close();

// 4. The Nu HTML checker on the same pages.
if (flag("--vnu")) {
  const jar = join(here, "node_modules/vnu-jar/build/dist/vnu.jar");
  const r = spawnSync("java", ["-jar", jar, "--format", "json", "--also-check-svg", ...pages.map((p) => p.file)], { encoding: "utf8", maxBuffer: 1 << 28 });
  const messages = JSON.parse(r.stderr || "{\"messages\":[]}").messages;
  for (const row of results) {
    const file = pages.find((p) => p.url === row.page).file;
    const mine = messages.filter((m) => m.url && fileURLToPath(m.url) === file);
    row.vnuErrors = mine.filter((m) => m.type === "error").length;
    row.vnuWarnings = mine.filter((m) => m.type === "info" && m.subType === "warning").length;
    row.vnu = mine.map((m) => `${m.type}${m.subType ? "/" + m.subType : ""}: ${m.message} (line ${m.lastLine})`).slice(0, 5);
  }
}

// 5. Lighthouse, mobile and desktop, on one page of each kind.
if (flag("--lighthouse")) {
  const lighthouse = (await import("lighthouse")).default;
  const chromeLauncher = await import("chrome-launcher");
  const chrome = await chromeLauncher.launch({ chromePath, chromeFlags: ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"] });
  const kinds = new Set();
  for (const row of results) {
    if (kinds.has(row.kind)) continue;
    kinds.add(row.kind);
    for (const form of ["mobile", "desktop"]) {
      const config = form === "desktop" ? (await import("lighthouse/core/config/desktop-config.js")).default : undefined;
      // Accessibility, best practices and SEO (performance needs a quiet machine to mean anything;
      // add it with --performance).
      const categories = ["accessibility", "best-practices", "seo", ...(flag("--performance") ? ["performance"] : [])];
      const r = await lighthouse(`http://127.0.0.1:${port}${row.page}`, { port: chrome.port, output: "json", logLevel: "error", onlyCategories: categories }, config);
      const c = r.lhr.categories;
      row[`lh_${form}`] = categories.map((k) => Math.round(c[k].score * 100)).join("/");
      process.stderr.write(`lighthouse ${form} ${row.page}: ${row[`lh_${form}`]}\n`);
      const failed = Object.values(r.lhr.audits).filter((a) => a.score !== null && a.score < 1 && a.scoreDisplayMode === "binary").map((a) => a.id);
      if (failed.length) row[`lh_${form}_failed`] = failed;
    }
  }
  await chrome.kill();
}
server.close();

// 6. Report.
const worst = (key, better) => results.map((r) => r[key]).filter((v) => v !== undefined && v !== null).reduce((a, b) => (better(a, b) ? a : b), undefined);
const summary = {
  report: name,
  pages: results.length,
  wider_than_390: results.filter((r) => r.width390 > PHONE).length,
  widest_at_390: worst("width390", (a, b) => a >= b),
  smallest_chart_text_phone: worst("chartTextPhone", (a, b) => a <= b),
  smallest_chart_text_desktop: worst("chartTextDesktop", (a, b) => a <= b),
  console_errors: results.reduce((n, r) => n + r.console.length, 0),
  print_cut: results.filter((r) => r.printCut && r.printCut.length).length,
  vnu_errors: flag("--vnu") ? results.reduce((n, r) => n + r.vnuErrors, 0) : undefined,
  vnu_warnings: flag("--vnu") ? results.reduce((n, r) => n + r.vnuWarnings, 0) : undefined,
};
const cols = ["kind", "page", "width390", "chartTextPhone", "chartTextDesktop", "pdfA4", "pdfLetter", "vnuErrors", "lh_mobile", "lh_desktop"];
const shown = results.length > 60 ? results.filter((r) => r.width390 > PHONE || r.console.length || (r.printCut && r.printCut.length) || r.vnuErrors) : results;
console.log(cols.join("\t"));
for (const r of shown) console.log(cols.map((c) => r[c] ?? "").join("\t") + (r.overflow ? `\toverflow: ${r.overflow}` : "") + (r.console.length ? `\tconsole: ${r.console.join(" | ")}` : "") + (r.printCut && r.printCut.length ? `\tprint cut: ${r.printCut.join(",")}` : "") + (r.vnu && r.vnu.length ? `\n\t${r.vnu.join("\n\t")}` : "") + (r.lh_mobile_failed ? `\tlighthouse mobile failed: ${r.lh_mobile_failed}` : "") + (r.lh_desktop_failed ? `\tlighthouse desktop failed: ${r.lh_desktop_failed}` : ""));
console.log(JSON.stringify(summary, null, 1));
mkdirSync(join(here, "results"), { recursive: true });
writeFileSync(join(here, "results", `${name}.json`), JSON.stringify({ summary, pages: results }, null, 1) + "\n");
const failed = summary.wider_than_390 > 0 || summary.console_errors > 0 || (summary.smallest_chart_text_phone ?? 99) < 11 || (summary.smallest_chart_text_desktop ?? 99) < 12 || summary.print_cut > 0 || (summary.vnu_errors ?? 0) + (summary.vnu_warnings ?? 0) > 0;
process.exit(failed ? 1 : 0);
