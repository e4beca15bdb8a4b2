// The management summary (built by tests/suite/browser.rs from the demo plus an
// overdue entry whose owner is a 40-character name without spaces): the
// headline figures and the first trend chart above the fold on a desktop,
// nothing wider than a phone's screen.
"use strict";
const { test } = require("node:test");
const assert = require("node:assert/strict");
const { servedSite, watchErrors } = require("./lib");

const site = servedSite();
const LONG_OWNER = "Informationssicherheitsbeauftragterinnen";

async function open(viewport, rel, isMobile = false) {
  const context = await site.browser.newContext({ viewport, isMobile, hasTouch: isMobile });
  const page = await context.newPage();
  const errors = watchErrors(page);
  await page.goto(site.server.base + rel);
  return { page, context, errors };
}

test("at 1280×800 the completed and overdue counts and the trend in words are above the fold", async () => {
  const { page, context } = await open({ width: 1280, height: 800 }, "index.html");
  await page.waitForFunction(() => [...document.images].every((i) => i.complete));
  const boxes = await page.evaluate(() => {
    const box = (el) => { const r = el.getBoundingClientRect(); return { top: r.top, bottom: r.bottom, width: r.width, height: r.height }; };
    return {
      achieved: box(document.getElementById("achieved-count")),
      overdue: box(document.getElementById("overdue-count")),
      trend: box(document.getElementById("trend-words")),
      fold: window.innerHeight,
    };
  });
  for (const [name, b] of Object.entries(boxes)) {
    if (name === "fold") continue;
    assert.ok(b.height > 0 && b.width > 0, `${name} is not shown`);
    assert.ok(b.bottom <= boxes.fold, `${name} ends at ${b.bottom} px, below the fold at ${boxes.fold} px`);
  }
  const first = await page.locator("#late-h ~ ul li").first().textContent();
  assert.ok(first.includes(LONG_OWNER), `the oldest overdue item names its owner: ${first}`);
  await context.close();
});

for (const rel of ["index.html", "owners/index.html", `owners/${LONG_OWNER.toLowerCase()}/index.html`, "register/LONG-1/index.html"]) {
  test(`at 390 px ${rel} does not scroll sideways with a 40-character owner name`, async () => {
    const { page, context } = await open({ width: 390, height: 844 }, rel, true);
    const { scroll, client, shown } = await page.evaluate((owner) => ({
      scroll: document.documentElement.scrollWidth,
      client: document.documentElement.clientWidth,
      shown: document.body.textContent.includes(owner),
    }), LONG_OWNER);
    assert.ok(shown, `${rel} does not show the owner`);
    assert.ok(scroll <= client, `${rel} is ${scroll} px wide in a ${client} px window`);
    await context.close();
  });
}

for (const rel of ["objectives/index.html", "risks/index.html"]) {
  test(`at 390 px ${rel} does not scroll sideways`, async () => {
    const { page, context } = await open({ width: 390, height: 844 }, rel, true);
    const { scroll, client } = await page.evaluate(() => ({
      scroll: document.documentElement.scrollWidth,
      client: document.documentElement.clientWidth,
    }));
    assert.ok(scroll <= client, `${rel} is ${scroll} px wide in a ${client} px window`);
    await context.close();
  });
}

test("scrollable tables can be reached by keyboard", async () => {
  const { page, context } = await open({ width: 390, height: 844 }, "owners/index.html", true);
  const wraps = await page.$$eval(".table-wrap", (els) => els.map((e) => [e.tabIndex, e.getAttribute("role"), e.getAttribute("aria-label")]));
  assert.ok(wraps.length > 0);
  for (const [tab, role, label] of wraps) {
    assert.equal(tab, 0);
    assert.equal(role, "region");
    assert.ok(label && label.trim(), "scroll region without a name");
  }
  await context.close();
});

test("High and Medium priority badges differ in more than text; charts two per row on a desktop, one on a phone", async () => {
  const { page, context } = await open({ width: 1280, height: 800 }, "index.html");
  const look = await page.evaluate(() => {
    const style = (sel) => { const s = getComputedStyle(document.querySelector(sel)); return [s.backgroundColor, s.borderStyle, s.borderWidth, s.fontWeight].join(" "); };
    return { high: style(".badge.priority-high"), medium: style(".badge.priority-medium") };
  });
  assert.notEqual(look.high, look.medium, "High and Medium badges look alike");
  const tops = async (p) => p.$$eval(".charts div.chart", (els) => els.slice(0, 2).map((e) => Math.round(e.getBoundingClientRect().top)));
  const desktop = await tops(page);
  assert.equal(desktop.length, 2);
  assert.equal(desktop[0], desktop[1], "the first two charts share a row at 1280 px");
  await context.close();
  const phone = await open({ width: 390, height: 844 }, "index.html", true);
  const [a, b] = await tops(phone.page);
  assert.ok(b > a, "one chart per row at 390 px");
  await phone.context.close();
});
