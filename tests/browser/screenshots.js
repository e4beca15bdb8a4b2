// Writes docs/*.png: the dashboard, the register and an entry page at
// desktop (1280 px) and phone (390 px) widths. Run by scripts/screenshots.sh.
"use strict";
const path = require("node:path");
const { siteDir, serve, launch } = require("./lib");

const PAGES = [
  ["dashboard", "index.html"],
  ["register", "register/index.html"],
  ["entry", "register/CI-008/index.html"],
];
const SIZES = [
  ["desktop", { width: 1280, height: 900 }, false],
  ["phone", { width: 390, height: 844 }, true],
];

(async () => {
  const outDir = process.argv[2] || path.join(__dirname, "..", "..", "docs");
  const server = await serve(siteDir());
  const browser = await launch();
  try {
    for (const [size, viewport, isMobile] of SIZES) {
      const context = await browser.newContext({ viewport, isMobile, hasTouch: isMobile, deviceScaleFactor: 1 });
      const page = await context.newPage();
      for (const [name, rel] of PAGES) {
        await page.goto(server.base + rel);
        const file = path.join(outDir, `${name}-${size}.png`);
        await page.screenshot({ path: file, fullPage: false });
        console.log(`wrote ${file}`);
      }
      await context.close();
    }
  } finally {
    await browser.close();
    await server.close();
  }
})().catch((e) => {
  console.error(e);
  process.exit(1);
});
