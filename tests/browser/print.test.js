// Printing (A4 portrait, Chromium): the dashboard and a management
// review's page with every chart, table and card inside the page width,
// badges legible without colour, and the demo dashboard in at most four
// pages of PDF.
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

for (const rel of ["index.html", "reviews/2026-q2-management-review/index.html"]) {
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
