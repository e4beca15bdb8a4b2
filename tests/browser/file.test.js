// The site opened straight from disk (a file share): file:// URLs, where
// Chromium refuses fetch() of local files. Search and filters must still work.
"use strict";
const { test } = require("node:test");
const assert = require("node:assert/strict");
const { fileSite, watchErrors, drawAll } = require("./lib");

const site = fileSite();

test("search works from file:// and its links open the pages", async () => {
  const context = await site.browser.newContext();
  const page = await context.newPage();
  const errors = watchErrors(page);
  await page.goto(site.base + "reviews/2026-q3-management-review/index.html");
  await page.fill("#site-search-q", "backup restore");
  const first = page.locator("#site-search-results li a").first();
  await first.waitFor();
  // Two words: the shards of "b" and "r" (and "_"), and the docs part of
  // the first results, each loaded as a script.
  const text = await first.textContent();
  assert.match(text, /^CI-\d+ /);
  const id = text.split(" ")[0];
  await Promise.all([page.waitForURL(`**/register/${id}/index.html`), first.click()]);
  assert.ok(page.url().startsWith(site.base + "register/"), page.url());
  assert.match(await page.textContent("h1"), new RegExp(id));
  assert.deepEqual(errors, []);
  await context.close();
});

test("register filters work from file:// and survive a reload", async () => {
  const context = await site.browser.newContext();
  const page = await context.newPage();
  const errors = watchErrors(page);
  const loaded = [];
  page.on("request", (r) => loaded.push(r.url()));
  await page.goto(site.base + "register/index.html");
  await page.check("input[name=overdue]");
  await page.waitForFunction(() => / of \d+ shown/.test(document.querySelector("#filters output").textContent));
  // A filter draws the rows that fit the window first, the rest as the
  // reader scrolls: count them all drawn.
  const shown = async () => {
    await drawAll(page);
    return page.$$eval("#register tbody tr", (trs) => trs.filter((t) => !t.hidden).length);
  };
  const overdue = await shown();
  // The filter covers every entry (from search-index.js), not only the rows written.
  const all = Number(await page.getAttribute("#filters", "data-total"));
  assert.match(await page.textContent("#filters output"), new RegExp(`^${overdue} of ${all} shown`));
  assert.ok(overdue > 0 && overdue < all, `${overdue} of ${all}`);
  await page.reload();
  await page.waitForFunction(() => / of \d+ shown$/.test(document.querySelector("#filters output").textContent));
  assert.equal(await shown(), overdue);
  // From file:// the data comes as scripts (fetch() of a file is refused).
  assert.ok(loaded.some((u) => u.endsWith("/register-rows.js")), loaded.join(" "));
  assert.ok(!loaded.some((u) => u.endsWith(".json")), loaded.join(" "));
  // Typing narrows; the text filter is in the URL.
  const word = (await page.textContent("#register tbody tr td:nth-child(2)")).trim().split(" ")[0].toLowerCase();
  await page.fill("#filters input[name=q]", word.slice(0, 2));
  await page.fill("#filters input[name=q]", word);
  await page.waitForFunction((w) => new URLSearchParams(location.search).get("q") === w, word);
  await page.waitForFunction(() => / of \d+ shown$/.test(document.querySelector("#filters output").textContent));
  const rows = await page.$$eval("#register tbody tr", (trs) => trs.map((t) => t.textContent.toLowerCase()));
  assert.ok(rows.length > 0 && rows.every((t) => t.includes(word)), `${rows.length} rows with ${word}`);
  assert.deepEqual(errors, []);
  await context.close();
});
