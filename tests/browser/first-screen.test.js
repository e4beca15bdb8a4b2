// The seven questions a manager brings to the dashboard, answered on the
// first screen at 1280×800 and within a phone's first two screens: what
// was completed in the period (with an outcome in words), what is overdue
// and who owns it, who has the most overdue, open nonconformities, what
// falls due before the next review, the trend in words, and the
// effectiveness rate with what it is of. EXPECT_PERIOD (from
// tests/suite/browser.rs) names text the period line must hold.
"use strict";
const { test } = require("node:test");
const assert = require("node:assert/strict");
const { servedSite } = require("./lib");

const site = servedSite();

/** The text of `main` whose lines lie within the first `height` pixels. */
async function firstScreen(viewport, height, isMobile = false) {
  const context = await site.browser.newContext({ viewport, isMobile, hasTouch: isMobile });
  const page = await context.newPage();
  await page.goto(site.server.base + "index.html");
  const text = await page.evaluate((limit) => {
    const walker = document.createTreeWalker(document.querySelector("main"), NodeFilter.SHOW_TEXT);
    const parts = [];
    for (let n = walker.nextNode(); n; n = walker.nextNode()) {
      if (!n.textContent.trim()) continue;
      const range = document.createRange();
      range.selectNodeContents(n);
      const r = range.getBoundingClientRect();
      if (r.height > 0 && r.bottom <= limit && !n.parentElement.closest(".visually-hidden")) parts.push(n.textContent);
    }
    return parts.join(" ").replace(/\s+/g, " ");
  }, height);
  await context.close();
  return text;
}

function answers(text) {
  const overdue = Number((text.match(/(\d+) overdue/) || [])[1]);
  return {
    "completed in the period": /\d+ completed in the period/.test(text),
    "an outcome in words or the last completion": /completed in the period [^]*?(: \S+|The last completion)/.test(text),
    "overdue count": Number.isInteger(overdue),
    "longest late with owners": overdue === 0 ? /Nothing is overdue/.test(text) : /days late/.test(text),
    "owner with the most overdue": overdue === 0 || /Most overdue: .+, \d+ overdue of \d+ open/.test(text),
    "open nonconformities": /\d+ open major · \d+ open minor/.test(text),
    "due before the next review": /Before the next review, \d{4}-\d\d-\d\d \d+ actions? due/.test(text),
    "trend in words": /Open \d+ → \d+, overdue \d+ → \d+ since/.test(text),
    "effectiveness with its denominator": /\d+ of \d+ reviewed; \d+ of \d+ completed not yet reviewed/.test(text),
    "effectiveness reviews due": /\d+ effectiveness reviews? due, \d+ overdue/.test(text),
  };
}

test("at 1280×800 the first screen answers all seven questions", async () => {
  const text = await firstScreen({ width: 1280, height: 800 }, 800);
  const missing = Object.entries(answers(text)).filter(([, ok]) => !ok).map(([q]) => q);
  assert.deepEqual(missing, [], `first screen: ${text}`);
  if (process.env.EXPECT_PERIOD) {
    for (const want of process.env.EXPECT_PERIOD.split("|")) assert.ok(text.includes(want), `no "${want}" in: ${text}`);
  }
});

test("on a phone the first two screens answer them", async () => {
  const text = await firstScreen({ width: 390, height: 844 }, 2 * 844, true);
  const missing = Object.entries(answers(text)).filter(([, ok]) => !ok).map(([q]) => q);
  assert.deepEqual(missing, [], `first two screens: ${text}`);
});
