// The register as numbered pages (a synthetic register of 450 entries,
// built by tests/suite/browser.rs): without JavaScript page 1 and links to the
// others; with it, filters and sorting over all entries, in a shareable URL.
"use strict";
const { test, before } = require("node:test");
const assert = require("node:assert/strict");
const lib = require("./lib");
const { servedSite, shownIds, SUB_PATH, countSays } = lib;

const site = servedSite();
let register;

before(() => {
  register = lib.registerJson();
});

const newPage = (options) => lib.newPage(site.browser, options);

test("without JavaScript page 1 shows and every page is reached by its links", async () => {
  const { page, errors, close } = await newPage({ javaScriptEnabled: false });
  const ids = register.entries.map((e) => e.id);
  assert.equal(ids.length, 450);
  await page.goto(site.server.base + "register/index.html");
  assert.equal(await page.isVisible("#filters"), false);
  assert.deepEqual(await shownIds(page), ids.slice(0, 200));
  const nav = page.locator("nav#register-pages");
  assert.ok(await nav.isVisible());
  assert.deepEqual(await nav.locator("a[href]").allTextContents(), ["2", "3", "Next →"]);
  await Promise.all([page.waitForURL("**/register-pages/2/index.html"), nav.locator("a[rel=next]").click()]);
  assert.equal(new URL(page.url()).pathname, SUB_PATH + "register-pages/2/index.html");
  assert.deepEqual(await shownIds(page), ids.slice(200, 400));
  await Promise.all([page.waitForURL("**/register-pages/3/index.html"), page.click("nav#register-pages >> text=3")]);
  assert.deepEqual(await shownIds(page), ids.slice(400));
  await Promise.all([page.waitForURL("**/register/index.html"), page.click("nav#register-pages >> text=1")]);
  // Entry links work from a numbered page too.
  await page.goto(site.server.base + "register-pages/2/index.html");
  await Promise.all([page.waitForURL(`**/register/${ids[200]}/index.html`), page.click(`#register a >> text=${ids[200]}`)]);
  assert.match(await page.textContent("h1"), new RegExp(ids[200]));
  assert.deepEqual(errors, []);
  await close();
});

test("with JavaScript a shared URL filters and sorts all entries, from any page", async () => {
  const { page, errors, close } = await newPage();
  const completed = register.entries.filter((e) => e.status === "completed");
  const byTarget = [...completed].sort((a, b) => (a.target < b.target ? -1 : a.target > b.target ? 1 : 0)).map((e) => e.id);
  assert.ok(completed.some((e) => register.entries.indexOf(e) >= 200), "completed entries beyond page 1");
  await page.goto(site.server.base + "register/index.html?status=completed&sort=target");
  await page.waitForFunction(() => /of 450 shown/.test(document.querySelector("#filters output").textContent));
  assert.deepEqual(await shownIds(page), byTarget);
  assert.equal(await page.isVisible("nav#register-pages"), false);
  assert.equal(await page.getAttribute("th[data-key=target]", "aria-sort"), "ascending");
  // Narrowing keeps the URL shareable; a reload shows the same.
  await page.selectOption("select[name=priority]", "low");
  const want = register.entries.filter((e) => e.status === "completed" && e.priority === "low");
  assert.ok(want.length > 0);
  await countSays(page, new RegExp(`^${want.length} of 450 shown`));
  const url = new URL(page.url());
  assert.equal(url.searchParams.get("status"), "completed");
  assert.equal(url.searchParams.get("priority"), "low");
  assert.equal(url.searchParams.get("sort"), "target");
  await page.reload();
  await page.waitForFunction(() => /of 450 shown/.test(document.querySelector("#filters output").textContent));
  assert.deepEqual((await shownIds(page)).sort(), want.map((e) => e.id).sort());
  // From page 2, the same filter names work (the dashboard's links use them).
  const owner = register.entries[5].owner;
  await page.goto(`${site.server.base}register-pages/2/index.html?owner=${encodeURIComponent(owner)}&overdue=`);
  await page.waitForFunction(() => /of 450 shown/.test(document.querySelector("#filters output").textContent));
  assert.deepEqual(await shownIds(page), register.entries.filter((e) => e.owner === owner).map((e) => e.id));
  // The text filter searches every entry; Clear brings the page's own rows back.
  await page.selectOption("select[name=owner]", "");
  await page.fill("#filters input[name=q]", register.entries[449].title);
  await countSays(page, /^1 of 450 shown/);
  assert.deepEqual(await shownIds(page), [register.entries[449].id]);
  await page.click("#filters button[type=reset]");
  await page.waitForFunction(() => location.search === "");
  assert.deepEqual(await shownIds(page), register.entries.slice(200, 400).map((e) => e.id));
  assert.ok(await page.isVisible("nav#register-pages"));
  // A sort alone orders all 450.
  await page.click("th[data-key=id] button");
  await page.waitForFunction(() => document.querySelector("th[data-key=id]").getAttribute("aria-sort") === "ascending");
  await page.click("th[data-key=id] button");
  await countSays(page, /^450 of 450 shown/);
  await page.waitForFunction((id) => document.querySelector("#register tbody tr td").textContent.trim() === id, register.entries[449].id);
  const desc = await shownIds(page);
  assert.equal(desc.length, 450);
  assert.equal(desc[0], register.entries[449].id);
  assert.deepEqual(desc, register.entries.map((e) => e.id).reverse());
  // Descending with ties (many entries share a priority): the ties stay in
  // register order, as a stable sort of the matches gave.
  const rank = { high: 0, medium: 1, low: 2 };
  const byPriority = [...register.entries].sort((a, b) => rank[b.priority] - rank[a.priority]).map((e) => e.id);
  await page.goto(site.server.base + "register/index.html?sort=-priority");
  await countSays(page, /^450 of 450 shown/);
  assert.deepEqual(await shownIds(page), byPriority);
  await page.goto(site.server.base + "register/index.html?sort=-owner");
  await countSays(page, /^450 of 450 shown/);
  const coll = new Intl.Collator(undefined, { numeric: true });
  const ownerKey = (e) => (e.owner || "").toLowerCase();
  const byOwner = [...register.entries].sort((a, b) => {
    const x = ownerKey(a);
    const y = ownerKey(b);
    if (x === "" || y === "") return (x === "") - (y === "");
    return -coll.compare(x, y);
  }).map((e) => e.id);
  assert.deepEqual(await shownIds(page), byOwner);
  assert.deepEqual(errors, []);
  await close();
});

test("a filter draws the rows that fit the window first and the rest as the reader scrolls", async () => {
  const { page, errors, close } = await newPage({ viewport: { width: 1280, height: 900 } });
  await page.goto(site.server.base + "register/index.html");
  await lib.settled(page);
  await page.check("input[name=overdue]");
  await page.selectOption("select[name=status]", "");
  await page.uncheck("input[name=overdue]");
  await page.fill("#filters input[name=q]", "e");
  await lib.settled(page);
  const drawn = () => page.$$eval("#register tbody tr", (trs) => trs.length);
  const first = await drawn();
  const matches = Number((await page.textContent("#filters output")).match(/^(\d+) of/)[1]);
  assert.ok(matches > 20, `${matches} matches`);
  // Fewer than a batch of 20 (the rows are tall), yet the window is full.
  assert.ok(first < 20 && first < matches, `${first} of ${matches} drawn`);
  const bottom = await page.$eval("#register tbody", (b) => b.getBoundingClientRect().bottom);
  assert.ok(bottom >= 900, `the rows reach the window's bottom (${bottom})`);
  // Scrolling to the end of the drawn rows draws more.
  await page.$eval("button.register-more", (b) => b.scrollIntoView());
  await page.waitForFunction((n) => document.querySelectorAll("#register tbody tr").length > n, first);
  assert.deepEqual(errors, []);
  await close();
});
