// Printing (A4 portrait, Chromium): the dashboard, a management review's
// page and its input pack with every chart, table and card inside the
// page width, words unbroken, badges legible without colour, no download
// lines, and the demo dashboard in at most four pages of PDF.
"use strict";
const { test } = require("node:test");
const assert = require("node:assert/strict");
const { servedSite } = require("./lib");

const site = servedSite();
// A4 is 210 mm wide; the stylesheet's @page margins are 12 mm a side.
const PRINT_WIDTH_PX = Math.floor(((210 - 2 * 12) / 25.4) * 96);

async function printed(rel) {
  const context = await site.browser.newContext({ viewport: { width: PRINT_WIDTH_PX, height: 1000 } });
  const page = await context.newPage();
  await page.goto(site.server.base + rel);
  await page.emulateMedia({ media: "print", colorScheme: "light" });
  await page.waitForFunction(() => [...document.images].every((i) => i.complete));
  return { page, context };
}

for (const rel of [
  "index.html",
  "reviews/2026-q2-management-review/index.html",
  "reviews/2026-q2-management-review/input/index.html",
]) {
  test(`printed on A4, nothing on ${rel} is wider than the page`, async () => {
    const { page, context } = await printed(rel);
    const wide = await page.evaluate((width) =>
      [...document.querySelectorAll("main div.chart, main svg, main img, main table, main .card, main .tiles li")]
        .filter((el) => el.getClientRects().length > 0)
        .map((el) => [el.tagName + "." + el.className, Math.round(el.getBoundingClientRect().right)])
        .filter(([, right]) => right > width + 1), PRINT_WIDTH_PX);
    assert.deepEqual(wide, [], `wider than the ${PRINT_WIDTH_PX} px page`);
    // Badges print black on white: no white text, no filled background.
    const badges = await page.$$eval(".badge", (els) => els.map((e) => {
      const s = getComputedStyle(e);
      return [e.textContent, s.color, s.backgroundColor];
    }));
    for (const [text, color, bg] of badges) {
      assert.equal(color, "rgb(0, 0, 0)", `badge ${text} prints in ${color}`);
      assert.ok(bg === "rgba(0, 0, 0, 0)" || bg === "rgb(255, 255, 255)", `badge ${text} prints on ${bg}`);
    }
    // Words wrap between words: a one-word cell takes one line
    // ("Improvemen/t" in the rollup tables five abreast did not).
    const split = await page.$$eval("main th, main td", (cells) => cells
      .filter((c) => c.getClientRects().length > 0 && /^[A-Za-z]{4,}$/.test(c.textContent.trim()))
      .filter((c) => {
        const walker = document.createTreeWalker(c, NodeFilter.SHOW_TEXT);
        const tops = new Set();
        for (let n = walker.nextNode(); n; n = walker.nextNode()) {
          const range = document.createRange();
          range.selectNodeContents(n);
          for (const r of range.getClientRects()) if (r.width > 0) tops.add(Math.round(r.bottom));
        }
        return tops.size > 1;
      })
      .map((c) => c.textContent.trim()));
    assert.deepEqual(split, [], "words broken across lines");
    // Downloads and subscriptions are of no use on paper (as of
    // 2026-06-30 the calendar line alone made a fourth page).
    const subscribe = await page.$$eval(".subscribe", (els) => els.filter((e) => e.getClientRects().length > 0).length);
    assert.equal(subscribe, 0, "the calendar download line prints");
    await context.close();
  });
}

test("the demo dashboard prints in at most four A4 pages, the last not near-empty", async () => {
  const { page, context } = await printed("index.html");
  const pdf = await page.pdf({ format: "A4", preferCSSPageSize: true });
  const pages = (pdf.toString("latin1").match(/\/Type\s*\/Page[^s]/g) || []).length;
  assert.ok(pages >= 1 && pages <= 4, `${pages} pages`);
  await context.close();
});
