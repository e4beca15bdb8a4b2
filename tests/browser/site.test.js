// The published demo, served under a sub-path on loopback and driven in
// headless Chromium the way a stakeholder uses it: search, register
// filters and sorting, links between pages, no JavaScript errors.
"use strict";
const { test, before } = require("node:test");
const assert = require("node:assert/strict");
const fs = require("node:fs");
const path = require("node:path");
const lib = require("./lib");
const { siteDir, servedSite, shownIds, SUB_PATH } = lib;

const site = servedSite();
let register;

before(() => {
  register = lib.registerJson();
});

const newPage = (options) => lib.newPage(site.browser, options);

/** Ids of the register.json entries a predicate keeps, in register order. */
function expectedIds(pred) {
  return register.entries.filter(pred).map((e) => e.id);
}

test("search finds an entry as you type and the keyboard opens it", async () => {
  const { page, errors, close } = await newPage();
  await page.goto(site.server.base + "index.html");
  await page.fill("#site-search-q", "critical suppliers");
  const first = page.locator("#site-search-results li a").first();
  await first.waitFor();
  assert.match(await first.textContent(), /^CI-008 Security assessments of critical suppliers/);
  assert.match(await page.textContent("#site-search-status"), /match/);
  await page.keyboard.press("ArrowDown");
  assert.equal(await page.evaluate(() => document.activeElement.textContent), await first.textContent());
  await Promise.all([page.waitForURL("**/register/CI-008/index.html"), page.keyboard.press("Enter")]);
  assert.equal(new URL(page.url()).pathname, SUB_PATH + "register/CI-008/index.html");
  assert.match(await page.textContent("h1"), /CI-008/);
  assert.deepEqual(errors, []);
  await close();
});

test("search covers plans and reviews and links relative to a deep page", async () => {
  const { page, errors, close } = await newPage();
  await page.goto(site.server.base + "register/CI-001/index.html");
  await page.fill("#site-search-q", "tabletop");
  await page.locator("#site-search-results li").first().waitFor();
  const metas = await page.$$eval("#site-search-results .search-meta", (els) => els.map((e) => e.textContent));
  assert.ok(metas.some((m) => m.startsWith("Plan")), `no plan among ${metas}`);
  assert.ok(metas.some((m) => m.startsWith("Review")), `no review among ${metas}`);
  // The matched words are marked in the results.
  assert.ok((await page.$$eval("#site-search-results mark", (m) => m.length)) > 0);
  const plan = page.locator("#site-search-results li", { hasText: "Plan" }).locator("a").first();
  const title = (await plan.textContent()).trim();
  await Promise.all([page.waitForURL("**/plans/**/index.html"), plan.click()]);
  assert.ok(new URL(page.url()).pathname.startsWith(SUB_PATH + "plans/"));
  assert.equal((await page.textContent("h1")).trim(), title);
  // Enter in the box goes to the best match; Escape closes the results.
  await page.fill("#site-search-q", "CI-017");
  await page.locator("#site-search-results li a").first().waitFor();
  await page.keyboard.press("Escape");
  assert.equal(await page.isVisible("#site-search-results"), false);
  await page.fill("#site-search-q", "CI-017");
  await page.locator("#site-search-results li a").first().waitFor();
  await Promise.all([page.waitForURL("**/register/CI-017/index.html"), page.keyboard.press("Enter")]);
  // Nothing found is said, not left blank.
  await page.fill("#site-search-q", "zzzyxq nothing");
  await page.locator("#site-search-results .search-note").waitFor();
  assert.match(await page.textContent("#site-search-results"), /No matches/);
  assert.deepEqual(errors, []);
  await close();
});

test("filters narrow the register, live in the URL and survive a reload", async () => {
  const { page, errors, close } = await newPage();
  await page.goto(site.server.base + "register/index.html");
  assert.equal((await shownIds(page)).length, register.entries.length);
  await page.selectOption("select[name=priority]", "high");
  await page.selectOption("select[name=owner]", "IT Operations");
  await page.check("input[name=overdue]");
  const want = expectedIds((e) => e.priority === "high" && e.owner === "IT Operations" && e.overdue);
  assert.ok(want.length > 0 && want.length < register.entries.length);
  assert.deepEqual(await shownIds(page), want);
  const url = new URL(page.url());
  assert.equal(url.searchParams.get("priority"), "high");
  assert.equal(url.searchParams.get("owner"), "IT Operations");
  assert.equal(url.searchParams.get("overdue"), "1");
  await page.reload();
  assert.deepEqual(await shownIds(page), want);
  assert.equal(await page.inputValue("select[name=owner]"), "IT Operations");
  assert.equal(await page.isChecked("input[name=overdue]"), true);
  assert.match(await page.textContent("#filters output"), new RegExp(`^${want.length} of ${register.entries.length} shown`));
  // Clear brings every row back and empties the URL's query.
  await page.click("#filters button[type=reset]");
  await page.waitForFunction(() => location.search === "");
  assert.equal((await shownIds(page)).length, register.entries.length);
  assert.deepEqual(errors, []);
  await close();
});

test("control, tag, source and text filters match the register data", async () => {
  const { page, errors, close } = await newPage();
  const cases = [
    ["control", "a-5-15", (e) => e.controls.includes("A.5.15")],
    ["tag", "access-control", (e) => e.tags.includes("access-control")],
    ["source", "nonconformity", (e) => e.source === "nonconformity"],
    ["status", "in-progress", (e) => e.status === "in-progress"],
    ["type", "corrective-action", (e) => e.type === "corrective-action"],
    ["severity", "major", (e) => e.nonconformity && e.nonconformity.severity === "major"],
  ];
  for (const [name, value, pred] of cases) {
    await page.goto(`${site.server.base}register/index.html?${name}=${value}`);
    const want = expectedIds(pred);
    assert.ok(want.length > 0 && want.length < register.entries.length, `${name}=${value} selects ${want}`);
    assert.deepEqual(await shownIds(page), want, `${name}=${value}`);
  }
  await page.goto(site.server.base + "register/index.html");
  await page.fill("#filters input[name=q]", "dormant");
  const rows = await shownIds(page);
  assert.ok(rows.includes("CI-001") && rows.length < register.entries.length, `text filter shows ${rows}`);
  // A value the select does not offer is ignored, not a blank table.
  await page.goto(site.server.base + "register/index.html?owner=Nobody%20Here");
  assert.equal((await shownIds(page)).length, register.entries.length);
  assert.deepEqual(errors, []);
  await close();
});

test("every column sorts, and the order survives a reload", async () => {
  const { page, errors, close } = await newPage();
  await page.goto(site.server.base + "register/index.html");
  const withTarget = register.entries.filter((e) => e.target);
  const byTarget = [...withTarget].sort((a, b) => (a.target < b.target ? -1 : a.target > b.target ? 1 : 0));
  await page.click("th[data-key=target] button");
  let ids = await shownIds(page);
  assert.deepEqual(ids.slice(0, byTarget.length).map((id) => register.entries.find((e) => e.id === id).target),
    byTarget.map((e) => e.target), "ascending by target, empty targets last");
  assert.equal(new URL(page.url()).searchParams.get("sort"), "target");
  await page.click("th[data-key=target] button");
  assert.equal(new URL(page.url()).searchParams.get("sort"), "-target");
  assert.equal(await page.getAttribute("th[data-key=target]", "aria-sort"), "descending");
  await page.reload();
  ids = await shownIds(page);
  assert.equal(register.entries.find((e) => e.id === ids[0]).target, byTarget[byTarget.length - 1].target);
  assert.equal(await page.getAttribute("th[data-key=target]", "aria-sort"), "descending");
  // Priority sorts by rank, not alphabetically.
  await page.click("th[data-key=priority] button");
  const pr = (await shownIds(page)).map((id) => register.entries.find((e) => e.id === id).priority);
  const rank = { high: 0, medium: 1, low: 2 };
  assert.deepEqual(pr, [...pr].sort((a, b) => rank[a] - rank[b]));
  // Every header is a sort button.
  const keys = await page.$$eval("#register thead th", (ths) => ths.map((th) => !!th.querySelector("button")));
  assert.ok(keys.every(Boolean));
  assert.deepEqual(errors, []);
  await close();
});

test("links lead from the dashboard to an entry, to its plan and back", async () => {
  const { page, errors, close } = await newPage();
  await page.goto(site.server.base + "index.html");
  // An overdue entry that belongs to a plan.
  const inPlan = register.entries.find((e) => e.overdue && e.id === "CI-017");
  assert.ok(inPlan, "CI-017 is overdue in the demo");
  const overdue = page.locator("section[aria-labelledby=overdue-h] tbody a", { hasText: inPlan.id });
  const id = (await overdue.textContent()).trim();
  await Promise.all([page.waitForURL(`**/register/${id}/index.html`), overdue.click()]);
  const plan = page.locator("section[aria-labelledby=refs-h] a[href*='plans/']").first();
  const planTitle = (await plan.textContent()).trim();
  await Promise.all([page.waitForURL("**/plans/**/index.html"), plan.click()]);
  assert.equal((await page.textContent("h1")).trim(), planTitle);
  const back = page.locator(`table.entries a`, { hasText: id }).first();
  await Promise.all([page.waitForURL(`**/register/${id}/index.html`), back.click()]);
  await page.click("nav[aria-label=Main] >> text=Dashboard");
  assert.equal(new URL(page.url()).pathname, SUB_PATH + "index.html");
  assert.deepEqual(errors, []);
  await close();
});

test("every page loads under the sub-path with no console error or failed request", async () => {
  const { page, errors, close } = await newPage();
  // Every section index, and the first few pages of each kind below it.
  const pages = [];
  (function walk(dir, rel, depth) {
    let taken = 0;
    for (const name of fs.readdirSync(dir).sort()) {
      const full = path.join(dir, name);
      if (fs.statSync(full).isDirectory()) {
        if (name !== "evidence" && (depth < 1 || taken++ < 3)) walk(full, rel + name + "/", depth + 1);
      } else if (name.endsWith(".html")) pages.push(rel + name);
    }
  })(siteDir(), "", 0);
  assert.ok(pages.length > 30, `only ${pages.length} pages`);
  for (const rel of pages) {
    await page.goto(site.server.base + rel, { waitUntil: "load" });
  }
  // Use the search once so its index is loaded too.
  await page.fill("#site-search-q", "access");
  await page.locator("#site-search-results li").first().waitFor();
  assert.deepEqual(errors, []);
  const outside = site.server.requests.filter((p) => !p.startsWith(SUB_PATH));
  assert.deepEqual(outside, [], "requests outside the sub-path");
  await close();
});

test("without JavaScript the full register shows and the search box opens it", async () => {
  const { page, close } = await newPage({ javaScriptEnabled: false });
  await page.goto(site.server.base + "register/CI-001/index.html");
  await page.fill("#site-search-q", "backup");
  await Promise.all([page.waitForURL("**/register/index.html?q=backup"), page.press("#site-search-q", "Enter")]);
  assert.equal(await page.isVisible("#filters"), false);
  assert.equal((await shownIds(page)).length, register.entries.length);
  assert.equal(await page.locator("#register tbody tr:visible").count(), register.entries.length);
  await close();
});

test("pages fit a 360 px phone screen without sideways scrolling", async () => {
  const { page, errors, close } = await newPage({ viewport: { width: 360, height: 740 }, isMobile: true, hasTouch: true });
  const wide = [];
  // Plans and reviews hold the authors' own Markdown tables: all of them.
  const prose = ["plans", "reviews"].flatMap((dir) =>
    fs.readdirSync(path.join(siteDir(), dir), { withFileTypes: true })
      .filter((e) => e.isDirectory())
      .map((e) => `${dir}/${e.name}/index.html`));
  for (const rel of ["index.html", "register/index.html", "register/CI-008/index.html", "controls/index.html", ...prose]) {
    await page.goto(site.server.base + rel);
    const width = await page.evaluate(() => document.documentElement.scrollWidth);
    if (width > 360) wide.push(`${rel}: ${width} px`);
  }
  assert.deepEqual(wide, []);
  // On the register, entries are cards: every shown field is inside the screen.
  await page.goto(site.server.base + "register/index.html");
  const right = await page.$$eval("#register tbody td", (tds) =>
    Math.max(...tds.filter((td) => td.offsetParent).map((td) => td.getBoundingClientRect().right)));
  assert.ok(right <= 360, `register cells reach ${right} px`);
  assert.deepEqual(errors, []);
  await close();
});
