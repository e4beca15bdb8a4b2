// The site in another language (issue 29), built by tests/suite/browser.rs from
// the demo with `language:` set and one entry titled in that language:
// search finds it by a word typed without its accents (German) or by two
// characters of its title (Japanese), the scripts speak the language, and
// no page scrolls sideways on a 390 px phone (German words are long).
"use strict";
const { test } = require("node:test");
const assert = require("node:assert/strict");
const { servedSite, watchErrors } = require("./lib");

const site = servedSite();
const LANG = process.env.LANG_TAG;
const QUERY = process.env.QUERY;
const EXPECT_ID = process.env.EXPECT_ID;
const PAGES = [
  "index.html",
  "register/index.html",
  `register/${EXPECT_ID}/index.html`,
  "register/CI-008/index.html",
  "plans/index.html",
  "plans/access-control-hardening/index.html",
  "reviews/index.html",
  "reviews/2026-q3-management-review/index.html",
  "review-input/index.html",
  "nonconformities/index.html",
  "owners/index.html",
  "controls/index.html",
  "status/index.html",
];

async function open(viewport, rel, isMobile = false) {
  const context = await site.browser.newContext({ viewport, isMobile, hasTouch: isMobile });
  const page = await context.newPage();
  const errors = watchErrors(page);
  await page.goto(site.server.base + rel);
  return { page, context, errors };
}

test(`the pages say lang="${LANG}"`, async () => {
  const { page, context } = await open({ width: 1280, height: 800 }, "index.html");
  assert.equal(await page.getAttribute("html", "lang"), LANG);
  await context.close();
});

for (const rel of PAGES) {
  test(`at 390 px ${rel} does not scroll sideways`, async () => {
    const { page, context, errors } = await open({ width: 390, height: 844 }, rel, true);
    const { scroll, client } = await page.evaluate(() => ({
      scroll: document.documentElement.scrollWidth,
      client: document.documentElement.clientWidth,
    }));
    assert.ok(scroll <= client, `${rel} is ${scroll} px wide in a ${client} px window`);
    assert.deepEqual(errors, []);
    await context.close();
  });
}

test(`search finds ${EXPECT_ID} by "${QUERY}" and says so in the language`, async () => {
  const { page, context, errors } = await open({ width: 1280, height: 800 }, "index.html");
  await page.fill("#site-search-q", QUERY);
  const first = page.locator("#site-search-results li a").first();
  await first.waitFor();
  assert.match(await first.textContent(), new RegExp(EXPECT_ID));
  const status = await page.textContent("#site-search-status");
  assert.ok(status.length > 0);
  assert.doesNotMatch(status, /match|press/, `the status is English: ${status}`);
  assert.deepEqual(errors, []);
  await context.close();
});

test("the register's filters count in the language", async () => {
  const { page, context, errors } = await open({ width: 1280, height: 800 }, "register/index.html");
  await page.fill("#filters input[name=q]", EXPECT_ID);
  await page.waitForFunction(() => document.querySelector("#filters output").value !== "");
  const said = await page.$eval("#filters output", (o) => o.value);
  assert.doesNotMatch(said, /shown|Loading/, `the count is English: ${said}`);
  const label = await page.$eval("#register tbody td:nth-child(2)", (td) => td.getAttribute("data-label"));
  assert.notEqual(label, "Improvement opportunity");
  assert.deepEqual(errors, []);
  await context.close();
});
