// Search at 10,000 entries (built by tests/suite/browser.rs), opened from
// file://: the first results show, and the query loads only the index's
// core, its words' shards and the parts of the docs table its first results
// are in, not the whole index (issue 27; timing is for
// scripts/bench-browser.sh, not for a test).
"use strict";
const { test } = require("node:test");
const assert = require("node:assert/strict");
const fs = require("node:fs");
const path = require("node:path");
const { fileSite, watchErrors, siteDir } = require("./lib");

const site = fileSite();

test("a query at 10,000 entries from file:// loads a fraction of the index", async () => {
  const context = await site.browser.newContext();
  const page = await context.newPage();
  const errors = watchErrors(page);
  const loaded = [];
  page.on("request", (r) => {
    const rel = r.url().slice(site.base.length);
    if (rel !== "assets/search.js" && rel.endsWith(".js")) loaded.push(rel);
  });
  await page.goto(site.base + "index.html");
  await page.fill("#site-search-q", "backup restore");
  const first = page.locator("#site-search-results li a").first();
  await first.waitFor();
  assert.match(await first.textContent(), /^[A-Z]+-\d+ /);
  assert.match(await page.textContent("#site-search-results .search-note"), /^First 12 of \d+ matches/);
  const shards = loaded.filter((f) => f.startsWith("search/t-")).sort();
  assert.deepEqual(shards, ["search/t-_.js", "search/t-b.js", "search/t-r.js"]);
  const parts = loaded.filter((f) => f.startsWith("search/d-"));
  assert.ok(parts.length >= 1 && parts.length <= 12, parts.join(" "));
  assert.deepEqual(loaded.filter((f) => !f.startsWith("search/")), ["search-index.js"]);
  const size = (f) => fs.statSync(path.join(siteDir(), f)).size;
  const all = fs.readdirSync(path.join(siteDir(), "search")).filter((f) => f.endsWith(".js"))
    .reduce((sum, f) => sum + size("search/" + f), size("search-index.js"));
  const read = loaded.reduce((sum, f) => sum + size(f), 0);
  assert.ok(read * 4 < all, `loaded ${read} of ${all} bytes`);
  // Results link to pages that exist.
  const href = await first.getAttribute("href");
  assert.ok(fs.existsSync(path.join(siteDir(), href)), href);
  assert.deepEqual(errors, []);
  await context.close();
});
