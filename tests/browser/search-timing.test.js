// Search at 10,000 entries (built by tests/browser.rs), opened from
// file://: the time from typing to the first results, index loading
// included (the page loads it on first use), and again with it loaded.
// Asserts a generous bound only; prints the medians for the docs.
"use strict";
const { test } = require("node:test");
const assert = require("node:assert/strict");
const { fileSite, watchErrors } = require("./lib");

const site = fileSite();

/** Types `query` into the search box; resolves with the ms until a result shows. */
function timeQuery(page, query) {
  return page.evaluate((q) => new Promise((resolve) => {
    const input = document.getElementById("site-search-q");
    const box = document.getElementById("site-search-results");
    box.textContent = "";
    const t0 = performance.now();
    const obs = new MutationObserver(() => {
      if (box.querySelector("li")) { obs.disconnect(); resolve(performance.now() - t0); }
    });
    obs.observe(box, { childList: true, subtree: true });
    input.focus();
    input.value = q;
    input.dispatchEvent(new Event("input", { bubbles: true }));
  }), query);
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

test("first results at 10,000 entries from file://", async () => {
  const cold = [];
  const warm = [];
  for (let run = 0; run < 5; run++) {
    const context = await site.browser.newContext();
    const page = await context.newPage();
    const errors = watchErrors(page);
    await page.goto(site.base + "index.html");
    cold.push(await timeQuery(page, "backup restore"));
    warm.push(await timeQuery(page, "privileged acc"));
    const first = await page.locator("#site-search-results li a").first().textContent();
    assert.match(first, /^[A-Z]+-\d+ /);
    assert.deepEqual(errors, []);
    await context.close();
  }
  const summary = `search at 10,000 entries: first results ${median(cold).toFixed(0)} ms median with loading the index ` +
    `(${cold.map((x) => x.toFixed(0)).join(", ")}), ${median(warm).toFixed(0)} ms once loaded (${warm.map((x) => x.toFixed(0)).join(", ")})`;
  console.log("# " + summary);
  // A liveness bound, not a benchmark: the target (300 ms) is reported.
  assert.ok(median(cold) < 2000, summary);
});
