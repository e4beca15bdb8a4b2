// Times the register filter and the search box in headless Chromium, on
// built sites opened from file:// (the slowest way: no fetch(), scripts):
// - search: typing a query on a fresh page until the first results show,
//   loading the index included;
// - filter: typing a query key by key into the register's filter, each
//   key from its input event to the frame that shows it (painted);
// - sort: a click on a column header to the frame that shows it.
// Each RUNS times on a fresh page; prints medians. Works on sites built
// before and after issue 27 (the data files' names changed).
//
//   node scripts/bench-browser.js SITE_DIR...      (scripts/bench-browser.sh builds them)
//   RUNS=5 QUERY=backup node scripts/bench-browser.js /tmp/site
"use strict";
const path = require("node:path");
const { pathToFileURL } = require("node:url");
const { launch } = require("../tests/browser/lib.js");

const RUNS = Number(process.env.RUNS || 5);
const QUERY = process.env.QUERY || "backup";
const SEARCH = process.env.SEARCH || "backup restore";

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};
const ms = (x) => `${x.toFixed(0)} ms`;

/** ms from typing `q` into the header search to the first result shown. */
function searchOnce(page, q) {
  return page.evaluate((query) => new Promise((resolve) => {
    const input = document.getElementById("site-search-q");
    const box = document.getElementById("site-search-results");
    const t0 = performance.now();
    new MutationObserver((_, obs) => {
      if (box.querySelector("li")) { obs.disconnect(); resolve(performance.now() - t0); }
    }).observe(box, { childList: true, subtree: true });
    input.focus();
    input.value = query;
    input.dispatchEvent(new Event("input", { bubbles: true }));
  }), q);
}

/** Records, per input event of the register's filter, the ms from the event
 *  to the end of the frame after it (the frame that paints its result). */
function watchKeys(page) {
  return page.evaluate(() => {
    window.benchKeys = [];
    document.getElementById("filters").addEventListener("input", (e) => {
      const t0 = e.timeStamp;
      requestAnimationFrame(() => {
        const ch = new MessageChannel();
        ch.port1.onmessage = () => window.benchKeys.push(performance.now() - t0);
        ch.port2.postMessage(0);
      });
    }, true);
  });
}

/** The register's data loaded (either version's globals). */
function dataLoaded(page) {
  return page.waitForFunction(() => (window.ISMS_DATA && window.ISMS_DATA["register-rows"]) ||
    (window.ISMS_REGISTER_ROWS && window.ISMS_SEARCH_INDEX), null, { timeout: 120000, polling: 50 });
}

async function filterOnce(browser, base) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  await page.goto(base + "register/index.html");
  await dataLoaded(page);
  await page.waitForTimeout(300); // let the page finish preparing the data
  await watchKeys(page);
  await page.focus("#filters input[name=q]");
  for (const key of QUERY) {
    const before = await page.evaluate(() => window.benchKeys.length);
    await page.keyboard.type(key);
    await page.waitForFunction((n) => window.benchKeys.length > n, before, { timeout: 600000, polling: 20 });
  }
  const keys = await page.evaluate(() => window.benchKeys);
  const count = await page.textContent("#filters output");
  // A sort: click to the painted frame, twice (the first computes the order).
  const sortTimes = [];
  for (let i = 0; i < 2; i++) {
    sortTimes.push(await page.evaluate(() => new Promise((resolve) => {
      const button = document.querySelector("th[data-key=title] button");
      const t0 = performance.now();
      button.click();
      requestAnimationFrame(() => {
        const ch = new MessageChannel();
        ch.port1.onmessage = () => resolve(performance.now() - t0);
        ch.port2.postMessage(0);
      });
    })));
  }
  await context.close();
  return { keys, count, sortTimes };
}

async function searchRun(browser, base) {
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.goto(base + "index.html");
  const cold = await searchOnce(page, SEARCH);
  const warm = await searchOnce(page, "privileged acc");
  await context.close();
  return { cold, warm };
}

(async () => {
  const browser = await launch();
  for (const dir of process.argv.slice(2)) {
    const base = pathToFileURL(path.resolve(dir)).href + "/";
    const searches = [];
    const filters = [];
    for (let r = 0; r < RUNS; r++) {
      searches.push(await searchRun(browser, base));
      filters.push(await filterOnce(browser, base));
    }
    const worst = filters.map((f) => Math.max(...f.keys));
    const typical = filters.map((f) => median(f.keys));
    console.log(`${dir}: ${RUNS} runs, filter typed "${QUERY}" key by key (${filters[0].count})`);
    console.log(`  search "${SEARCH}" first results, index load included: median ${ms(median(searches.map((s) => s.cold)))} (${searches.map((s) => s.cold.toFixed(0)).join(", ")}); loaded: ${ms(median(searches.map((s) => s.warm)))}`);
    console.log(`  filter keystroke to paint: slowest key median ${ms(median(worst))} (${worst.map((x) => x.toFixed(0)).join(", ")}); median key ${ms(median(typical))}; per key (run 1): ${filters[0].keys.map((x) => x.toFixed(0)).join(", ")}`);
    console.log(`  sort click to paint: first ${ms(median(filters.map((f) => f.sortTimes[0])))}, again ${ms(median(filters.map((f) => f.sortTimes[1])))}`);
  }
  await browser.close();
})().catch((e) => { console.error(e); process.exit(1); });
