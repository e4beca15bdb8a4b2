// No cross-origin reads (issue 22, item 1): a page of another web site that
// includes the register's data files with <script src> (the one way around
// the same-origin policy) must get nothing, from `isms-site serve` (which
// sends Cross-Origin-Resource-Policy: same-origin) and from a published
// site, with or without that header (the scripts hand their data to
// file:// pages only). The site itself still searches and filters over
// http, where it fetch()es the .json files.
"use strict";
const { test, before, after } = require("node:test");
const assert = require("node:assert/strict");
const http = require("node:http");
const lib = require("./lib");

const DATA = ["search-index", "register-rows", "search/d-0", "search/t-b"];
let browser;
let isms; // the running `isms-site serve` (lib.startIsms)
let serveBase; // http://127.0.0.1:PORT/

/** A page on another origin (its own port) that tries to read `base`'s data. */
async function attacker(base) {
  const scripts = DATA.map((name) => `<script src="${base}${name}.js" onerror="window.blocked=(window.blocked||0)+1"></script>`).join("\n");
  const page = `<!doctype html><title>another site</title>${scripts}
<script>
window.read = { data: window.ISMS_DATA, old: window.ISMS_SEARCH_INDEX || window.ISMS_REGISTER_ROWS, blocked: window.blocked || 0 };
</script>`;
  const server = http.createServer((req, res) => res.writeHead(200, { "content-type": "text/html" }).end(page));
  await new Promise((ok) => server.listen(0, "127.0.0.1", ok));
  return { url: `http://127.0.0.1:${server.address().port}/`, close: () => new Promise((ok) => server.close(ok)) };
}

/** What the other origin's page got from `base`. */
async function readFrom(base) {
  const other = await attacker(base);
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.goto(other.url);
  const read = await page.evaluate(async (b) => {
    // fetch() without CORS: an opaque answer, its body unreadable.
    let fetched = null;
    try { fetched = await (await fetch(b + "search-index.json")).text(); } catch (e) { fetched = null; }
    return { ...window.read, fetched };
  }, base);
  await context.close();
  await other.close();
  return read;
}

before(async () => {
  browser = await lib.launch();
  isms = await lib.startIsms(process.env.CONTENT_DIR);
  serveBase = isms.url;
});

after(async () => {
  await browser?.close();
  await isms?.stop();
});

test("serve answers everything with Cross-Origin-Resource-Policy: same-origin", async () => {
  for (const p of ["", "index.html", "search-index.js", "search-index.json", "register-rows.js", "assets/search.js", "register.csv", "no-such-file"]) {
    const r = await fetch(serveBase + p);
    assert.equal(r.headers.get("cross-origin-resource-policy"), "same-origin", p);
  }
});

test("another origin's page gets nothing from serve", async () => {
  const read = await readFrom(serveBase);
  assert.equal(read.data, undefined, "ISMS_DATA reached the other page");
  assert.equal(read.old, undefined);
  assert.equal(read.blocked, DATA.length, "every script blocked by CORP");
  assert.ok(!read.fetched, `fetch read ${String(read.fetched).slice(0, 80)}`);
});

test("another origin's page gets nothing from a published site, with CORP or without", async () => {
  for (const corp of [true, false]) {
    const server = await lib.serve(lib.siteDir(), { corp });
    const read = await readFrom(server.base);
    assert.equal(read.data, undefined, `corp ${corp}: ISMS_DATA reached the other page`);
    assert.equal(read.old, undefined);
    assert.equal(read.blocked, corp ? DATA.length : 0, `corp ${corp}`);
    assert.ok(!read.fetched);
    await server.close();
  }
});

test("the site served by serve searches and filters (over fetch)", async () => {
  const { page, errors, close } = await lib.newPage(browser);
  const fetched = [];
  page.on("request", (r) => { if (/\.(json|js)$/.test(r.url()) && !/assets\/|__isms/.test(r.url())) fetched.push(new URL(r.url()).pathname); });
  await page.goto(serveBase + "index.html");
  await page.fill("#site-search-q", "backup restore");
  const first = page.locator("#site-search-results li a").first();
  await first.waitFor();
  assert.match(await first.textContent(), /^CI-\d+ /);
  await page.goto(serveBase + "register/index.html?overdue=1");
  await lib.countSays(page, /^\d+ of \d+ shown/);
  assert.ok((await lib.shownIds(page)).length > 0);
  assert.ok(fetched.length > 0 && fetched.every((p) => p.endsWith(".json")), fetched.join(" "));
  assert.deepEqual(errors, []);
  await close();
});
