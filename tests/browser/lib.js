// Shared helpers for the browser tests: Chromium through playwright-core,
// and a small static file server on loopback that serves the built site
// under a sub-path, the way an intranet web server would.
"use strict";
const fs = require("node:fs");
const http = require("node:http");
const path = require("node:path");
const { chromium } = require("playwright-core");

const CHROMIUM = process.env.CHROMIUM || "/usr/bin/chromium";
const SUB_PATH = "/intranet/isms/";

const TYPES = {
  ".html": "text/html; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".json": "application/json",
  ".svg": "image/svg+xml",
  ".csv": "text/csv; charset=utf-8",
  ".txt": "text/plain; charset=utf-8",
  ".md": "text/plain; charset=utf-8",
  ".png": "image/png",
};

/** The built site to test: SITE_DIR, set by tests/suite/browser.rs. */
function siteDir() {
  const dir = process.env.SITE_DIR;
  if (!dir || !fs.existsSync(path.join(dir, "index.html"))) {
    throw new Error("SITE_DIR must name a built site (index.html missing)");
  }
  return dir;
}

/** Serves `dir` at http://127.0.0.1:PORT/intranet/isms/ and nothing else
 *  (everything outside the sub-path is a 404, so a root-relative link fails),
 *  with the headers docs/publishing.md asks for (`corp: false` leaves
 *  out Cross-Origin-Resource-Policy, as a server set up without it). */
async function serve(dir, { corp = true } = {}) {
  const root = fs.realpathSync(dir);
  const requests = [];
  const server = http.createServer((req, res) => {
    const url = new URL(req.url, "http://localhost");
    requests.push(url.pathname);
    let rel = decodeURIComponent(url.pathname);
    if (!rel.startsWith(SUB_PATH)) {
      res.writeHead(404).end("outside the sub-path");
      return;
    }
    rel = rel.slice(SUB_PATH.length);
    const file = path.resolve(root, rel || "index.html");
    if (!file.startsWith(root + path.sep) && file !== root) {
      res.writeHead(403).end();
      return;
    }
    fs.stat(file, (err, st) => {
      if (err || !st.isFile()) {
        res.writeHead(404).end("not found");
        return;
      }
      const headers = { "content-type": TYPES[path.extname(file)] || "application/octet-stream", "x-content-type-options": "nosniff" };
      if (corp) headers["cross-origin-resource-policy"] = "same-origin";
      res.writeHead(200, headers);
      fs.createReadStream(file).pipe(res);
    });
  });
  await new Promise((ok) => server.listen(0, "127.0.0.1", ok));
  const base = `http://127.0.0.1:${server.address().port}${SUB_PATH}`;
  return { base, requests, close: () => new Promise((ok) => server.close(ok)) };
}

/** Headless Chromium from the machine (Debian's package), fresh profile. */
function launch() {
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: [
      "--no-sandbox",
      "--disable-gpu",
      "--disable-background-networking",
      "--no-first-run",
      "--disable-component-update",
      "--disable-sync",
    ],
  });
}

/** Records console errors, uncaught exceptions and failed requests of a page. */
function watchErrors(page) {
  const errors = [];
  page.on("console", (m) => {
    if (m.type() === "error") errors.push(`console: ${m.text()} (${page.url()})`);
  });
  page.on("pageerror", (e) => errors.push(`exception: ${e.message} (${page.url()})`));
  page.on("requestfailed", (r) => {
    // Moving on to the next page aborts what the last one still loads.
    const why = (r.failure() || {}).errorText || "";
    if (!why.includes("ERR_ABORTED")) errors.push(`request failed: ${r.url()} ${why}`);
  });
  page.on("response", (r) => {
    if (r.status() >= 400) errors.push(`HTTP ${r.status()}: ${r.url()}`);
  });
  return errors;
}

/** For a test file: serves SITE_DIR and starts a browser before its tests,
 *  stops both after them. The returned object holds `server` and `browser`. */
function servedSite() {
  const { before, after } = require("node:test");
  const ctx = {};
  before(async () => {
    ctx.server = await serve(siteDir());
    ctx.browser = await launch();
  });
  after(async () => {
    await ctx.browser?.close();
    await ctx.server?.close();
  });
  return ctx;
}

/** For a test file: a browser, and SITE_DIR's file:// URL (with a final
 *  slash) in `base`, for the site opened straight from disk. */
function fileSite() {
  const { before, after } = require("node:test");
  const { pathToFileURL } = require("node:url");
  const ctx = {};
  before(async () => {
    ctx.base = pathToFileURL(path.resolve(siteDir())).href + "/";
    ctx.browser = await launch();
  });
  after(async () => {
    await ctx.browser?.close();
  });
  return ctx;
}

/** The built site's register.json (the entries, to compare pages with). */
function registerJson() {
  return JSON.parse(fs.readFileSync(path.join(siteDir(), "register.json"), "utf8"));
}

/** A fresh page of a desktop-sized context, with its errors recorded. */
async function newPage(browser, options = {}) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, ...options });
  const page = await context.newPage();
  const errors = watchErrors(page);
  return { page, errors, close: () => context.close() };
}

/** Draws every row of the register's current view (the page draws the
 *  first rows, more as the reader scrolls or asks). */
function drawAll(page) {
  return page.evaluate(() => {
    const more = document.querySelector("button.register-more");
    while (more && !more.hidden) more.click();
  });
}

/** Waits until the register's count says `re`. */
function countSays(page, re) {
  return page.waitForFunction((src) => new RegExp(src).test(document.querySelector("#filters output").textContent), re.source);
}

/** Waits until the register shows what its controls say: the entries are
 *  loaded (the page fetches them after its load event) and the change
 *  the page draws on the next frame is drawn. */
async function settled(page) {
  await page.waitForFunction(() => !/^Loading/.test((document.querySelector("#filters output") || {}).textContent || ""));
  await page.evaluate(() => new Promise((done) => requestAnimationFrame(() => requestAnimationFrame(done))));
}

/** Ids of the register rows shown, in table order, every row of the view
 *  drawn. */
async function shownIds(page) {
  if (await page.$("#filters:not([hidden])")) {
    await settled(page);
    await drawAll(page);
  }
  return page.$$eval("#register tbody tr", (trs) =>
    trs.filter((tr) => !tr.hidden).map((tr) => tr.cells[0].textContent.trim()));
}

/** Starts `isms-site serve` (ISMS_BIN) on `content`, its output in a new
 *  temporary folder; resolves with its URL and `stop()`, which ends it
 *  with Ctrl-C and removes that folder. */
function startIsms(content) {
  const { spawn } = require("node:child_process");
  const os = require("node:os");
  const work = fs.mkdtempSync(path.join(os.tmpdir(), "isms-serve-"));
  const isms = spawn(process.env.ISMS_BIN, ["serve", "--content", content,
    "--output", path.join(work, "out"), "--port", "0", "--as-of", "2026-11-27", "--no-git"], { stdio: ["ignore", "ignore", "pipe"] });
  const stop = async () => {
    if (isms.exitCode === null) {
      const gone = new Promise((ok) => isms.once("exit", ok));
      isms.kill("SIGINT");
      await gone;
    }
    fs.rmSync(work, { recursive: true, force: true });
  };
  let log = "";
  return new Promise((ok, fail) => {
    isms.stderr.on("data", (chunk) => {
      log += chunk;
      const m = /serving (http:\/\/127\.0\.0\.1:\d+\/)/.exec(log);
      if (m) ok({ url: m[1], stop });
    });
    isms.on("exit", (code) => fail(new Error(`serve exited ${code}:\n${log}`)));
  });
}

module.exports = { siteDir, serve, startIsms, launch, watchErrors, servedSite, fileSite, newPage, shownIds, settled, drawAll, countSays, registerJson, SUB_PATH };
