// The live preview's reload (issue 27): a save that changes only the main
// part of a page without scripts of its own (an entry's page) is put in
// place without reloading; a page whose other parts changed (the header)
// or that runs a script over its main part (the register list) reloads.
// Each check marks the window first: a reload loses the mark.
"use strict";
const { test, before, after } = require("node:test");
const assert = require("node:assert/strict");
const fs = require("node:fs");
const os = require("node:os");
const path = require("node:path");
const lib = require("./lib");

let browser;
let isms; // the running `isms-site serve` (lib.startIsms)
let base; // http://127.0.0.1:PORT/
let copy; // the folder holding the copy of the demo it serves
let content;

/** Rewrites the first line of content file `rel` that starts with `key:`. */
function setLine(rel, key, value) {
  const file = path.join(content, rel);
  const text = fs.readFileSync(file, "utf8");
  const re = new RegExp(`^${key}:.*$`, "m");
  assert.match(text, re);
  // Editor-style: a new file renamed over the old.
  fs.writeFileSync(file + ".tmp", text.replace(re, `${key}: ${JSON.stringify(value)}`));
  fs.renameSync(file + ".tmp", file);
}

/** Opens `rel` on the preview, connected to its reload stream, and marks the window. */
async function open(rel) {
  const { page, errors, close } = await lib.newPage(browser);
  const connected = page.waitForResponse((r) => r.url().includes("/__isms/events"));
  await page.goto(base + rel);
  await connected;
  await page.evaluate(() => { window.notReloaded = true; });
  return { page, errors, close };
}

/** Waits until the page shows `text` (polled on each frame, no timer). */
function shows(page, text) {
  return page.waitForFunction((t) => document.body.textContent.includes(t), text, { polling: "raf", timeout: 30000 });
}

before(async () => {
  browser = await lib.launch();
  copy = fs.mkdtempSync(path.join(os.tmpdir(), "isms-live-"));
  content = path.join(copy, "content");
  fs.cpSync(process.env.CONTENT_DIR, content, { recursive: true });
  isms = await lib.startIsms(content);
  base = isms.url;
});

after(async () => {
  await browser?.close();
  await isms?.stop();
  if (copy) fs.rmSync(copy, { recursive: true, force: true });
});

test("an entry's page shows a save in place, without reloading", async () => {
  const { page, errors, close } = await open("register/CI-009/");
  setLine("register/CI-009.yaml", "title", "Swapped in place 7c1");
  await shows(page, "Swapped in place 7c1");
  assert.equal(await page.evaluate(() => window.notReloaded), true, "the page reloaded");
  assert.equal(await page.title(), await page.evaluate(() => document.title));
  assert.match(await page.title(), /Swapped in place 7c1/);
  // The site search in the header still answers (its script kept its hold).
  await page.fill("#site-search-q", "backup");
  await page.locator("#site-search-results li a").first().waitFor();
  // And a second save is shown too (the page follows the newer build).
  setLine("register/CI-009.yaml", "title", "Swapped again 7c2");
  await shows(page, "Swapped again 7c2");
  assert.equal(await page.evaluate(() => window.notReloaded), true, "the page reloaded");
  assert.deepEqual(errors, []);
  await close();
});

test("a change outside the main part (the site's title) reloads the page", async () => {
  const { page, errors, close } = await open("register/CI-009/");
  const reloaded = page.waitForEvent("load", { timeout: 30000 });
  setLine("site.yaml", "title", "Register renamed 7c3");
  await reloaded;
  await shows(page, "Register renamed 7c3");
  assert.equal(await page.evaluate(() => window.notReloaded), undefined, "not reloaded");
  assert.deepEqual(errors, []);
  await close();
});

test("the register list, which its own script draws, reloads", async () => {
  const { page, errors, close } = await open("register/index.html");
  const reloaded = page.waitForEvent("load", { timeout: 30000 });
  setLine("register/CI-010.yaml", "title", "Listed anew 7c4");
  await reloaded;
  await shows(page, "Listed anew 7c4");
  assert.equal(await page.evaluate(() => window.notReloaded), undefined, "not reloaded");
  assert.deepEqual(errors, []);
  await close();
});

test("a page whose main part shows files of the site (the dashboard's charts) reloads, so they are fetched again", async () => {
  const { page, errors, close } = await open("index.html");
  const chart = "/charts/benefit-effort.svg";
  const was = await page.evaluate((c) => {
    const img = document.querySelector(`main img[src$="${c.slice(1)}"]`);
    performance.clearResourceTimings();
    return img && document.querySelector("main").textContent;
  }, chart);
  assert.ok(was, "the dashboard shows the chart");
  // The chart and the numbers under it change; nothing outside <main>.
  setLine("register/CI-003.yaml", "effort", "low");
  await page.waitForFunction((w) => document.querySelector("main").textContent !== w, was,
    { polling: "raf", timeout: 30000 });
  await page.waitForFunction(() => [...document.images].every((i) => i.complete), null, { polling: "raf" });
  // In place, the browser would have shown the chart it had, without
  // asking for it again: the numbers new, the picture old.
  const fetched = await page.evaluate((c) => performance.getEntriesByType("resource")
    .some((e) => new URL(e.name).pathname.endsWith(c)), chart);
  assert.equal(fetched, true, `${chart} was not fetched again`);
  assert.deepEqual(errors, []);
  await close();
});
