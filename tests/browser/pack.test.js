// An auditor pack unzipped and opened straight from disk (file://): every
// page of it loads without errors, and every link, style sheet, script and
// image of every page names a file of the pack. SITE_DIR is the unzipped
// pack; EXPECT_ENTRIES the entry pages it must hold, comma-separated.
"use strict";
const { test } = require("node:test");
const assert = require("node:assert/strict");
const fs = require("node:fs");
const path = require("node:path");
const { fileURLToPath } = require("node:url");
const { fileSite, watchErrors } = require("./lib");

const site = fileSite();

/** Every .html file under dir, relative, with / separators. */
function pages(dir, rel = "") {
  return fs.readdirSync(path.join(dir, rel), { withFileTypes: true }).flatMap((e) => {
    const r = rel ? `${rel}/${e.name}` : e.name;
    if (e.isDirectory()) return pages(dir, r);
    return r.endsWith(".html") ? [r] : [];
  });
}

test("every page of the pack opens from file:// and every link names a file of the pack", async () => {
  const dir = path.resolve(process.env.SITE_DIR);
  const all = pages(dir);
  const entries = all.filter((p) => /^register\/[^/]+\/index\.html$/.test(p)).map((p) => p.split("/")[1]);
  assert.deepEqual(entries.sort(), process.env.EXPECT_ENTRIES.split(",").sort());
  const context = await site.browser.newContext();
  const page = await context.newPage();
  const errors = watchErrors(page);
  let links = 0;
  for (const rel of all) {
    await page.goto(site.base + rel);
    const urls = await page.$$eval("a[href], link[href], script[src], img[src]", (els) =>
      els.map((e) => e.href || e.src),
    );
    for (const u of urls) {
      if (!u.startsWith("file:")) continue;
      links++;
      const file = fileURLToPath(u.split("#")[0].split("?")[0]);
      assert.ok(file.startsWith(dir + path.sep), `${rel}: ${u} leaves the pack`);
      assert.ok(fs.statSync(file, { throwIfNoEntry: false })?.isFile(), `${rel}: ${u} is not a file of the pack`);
    }
  }
  assert.ok(links > 50, `only ${links} links`);
  assert.deepEqual(errors, []);
  await context.close();
});
