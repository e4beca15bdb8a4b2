// Content is untrusted: a register whose every text is markup and script
// (built by tests/suite/browser.rs). Searching shows that text as text.
"use strict";
const { test } = require("node:test");
const assert = require("node:assert/strict");
const { servedSite } = require("./lib");

const site = servedSite();

test("markup in indexed text is shown as text and never runs", async () => {
  const page = await (await site.browser.newContext()).newPage();
  const dialogs = [];
  page.on("dialog", (d) => { dialogs.push(d.message()); d.dismiss(); });
  await page.goto(site.server.base + "index.html");
  await page.fill("#site-search-q", "pwned");
  await page.locator("#site-search-results li").nth(1).waitFor();
  const box = page.locator("#site-search-results");
  const text = await box.textContent();
  assert.ok(text.includes("<script>window.pwned=2</script>"), text);
  assert.ok(text.includes("<img src=x onerror="), text);
  assert.equal(await box.locator("img, script").count(), 0);
  // Give a planted onerror time to fire, then check it did not.
  await page.waitForTimeout(300);
  assert.equal(await page.evaluate(() => window.pwned), undefined);
  assert.deepEqual(dialogs, []);
});
