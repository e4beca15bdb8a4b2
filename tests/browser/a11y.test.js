// WCAG 2.1 AA: axe-core in headless Chromium on the dashboard, register,
// an entry, a plan and a review page; at desktop and phone (360 px) widths,
// in the light and the dark scheme, and with the search results open.
"use strict";
const { test } = require("node:test");
const assert = require("node:assert/strict");
const { servedSite } = require("./lib");

const AXE = require.resolve("axe-core/axe.min.js");
const TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"];
const PAGES = [
  "index.html",
  "register/index.html",
  "register/CI-008/index.html",
  "plans/access-control-hardening/index.html",
  "reviews/2026-q3-management-review/index.html",
  "objectives/index.html",
  "risks/index.html",
];
const VIEWS = [
  ["desktop light", { width: 1280, height: 900 }, "light"],
  ["desktop dark", { width: 1280, height: 900 }, "dark"],
  ["phone light", { width: 360, height: 740 }, "light"],
  ["phone dark", { width: 360, height: 740 }, "dark"],
];

const site = servedSite();

/** axe's violations on the page as it is now, one line per node. */
async function violations(page, label) {
  await page.addScriptTag({ path: AXE });
  const found = await page.evaluate(async (tags) => {
    const r = await window.axe.run(document, { runOnly: { type: "tag", values: tags }, resultTypes: ["violations"] });
    return r.violations.map((v) => ({ id: v.id, help: v.help, nodes: v.nodes.map((n) => `${n.target.join(" ")}: ${n.failureSummary.replace(/\s+/g, " ")}`) }));
  }, TAGS);
  return found.flatMap((v) => v.nodes.map((n) => `${label}: ${v.id} (${v.help}) ${n}`));
}

for (const [name, viewport, colorScheme] of VIEWS) {
  test(`no WCAG 2.1 AA violations, ${name}`, async () => {
    const context = await site.browser.newContext({ viewport, colorScheme });
    const page = await context.newPage();
    const problems = [];
    for (const rel of PAGES) {
      await page.goto(site.server.base + rel);
      problems.push(...(await violations(page, rel)));
    }
    // The page as a reader uses it: search results open, register filtered.
    await page.goto(site.server.base + "index.html");
    await page.fill("#site-search-q", "access");
    await page.locator("#site-search-results li").first().waitFor();
    problems.push(...(await violations(page, "index.html with search results")));
    await page.goto(site.server.base + "register/index.html?priority=high&sort=-target");
    problems.push(...(await violations(page, "register/index.html filtered and sorted")));
    assert.deepEqual(problems, []);
    await context.close();
  });
}
