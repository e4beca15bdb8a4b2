// Save-to-visible latency of `isms-site serve`, measured in a real browser.
//
//   node scripts/serve-latency.mjs URL FILE [RUNS]
//
// URL is a page served by a running `isms-site serve`; FILE is the register
// file that page shows (its `title:` line is rewritten). Each run saves a new
// title with an editor-style atomic save (write a temporary file, rename it
// over the original), then waits until the open page shows it: put in
// place (live.js swaps an entry page's main part) or by a reload.
// "Served" is when the server says the page changed (its own event stream,
// `/__isms/events?page=`, as live.js listens to it) and then answers it with
// the new text: the "save -> changed page served". (Asking for the
// page every 5 ms instead, as this script did before, took a third of a core
// from the rebuild it measured: 280 against 200 ms at 10,000 entries.
// POLL=1 still does that.) "Visible" is when the page first has the new text at a frame
// (in place) or the reloaded page's first contentful paint; "done" is then,
// or the reload's load event (charts and all).
// Then the same page is reloaded as often with nothing saved: the floor a
// save cannot go below. Prints every run and the medians. scripts/serve-latency.sh sets it up.
//
// playwright-core is taken from tests/browser/node_modules (npm ci --prefix
// tests/browser), or from $PLAYWRIGHT_PREFIX/node_modules.

import { createRequire } from "node:module";
import fs from "node:fs";
import path from "node:path";

const [url, file, runsArg] = process.argv.slice(2);
if (!url || !file) {
  console.error("usage: node scripts/serve-latency.mjs URL FILE [RUNS]");
  process.exit(2);
}
const runs = Number(runsArg || 11);
// Milliseconds between a save shown and the next save (PAUSE): at 300 a
// save of a 10,000-entry register comes while the last one's exports are
// still being written, and waits for the step in progress.
const pause = Number(process.env.PAUSE || 300);
const prefix = process.env.PLAYWRIGHT_PREFIX || path.join(import.meta.dirname, "..", "tests", "browser");
const require = createRequire(path.join(path.resolve(prefix), "package.json"));
const { chromium } = require("playwright-core");

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
  args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--no-first-run"],
});
const page = await browser.newPage();
await page.goto(url, { waitUntil: "load" });
await page.waitForTimeout(500); // let the event stream connect

const original = fs.readFileSync(file, "utf8");
const times = [];
const serves = [];
const loads = [];
const poll = process.env.POLL === "1";
// When `url` first has `marker`, in ms since `saved`: asked at each event of
// the page's stream (`stream`, opened before the save), or every 5 ms (POLL=1).
async function servedAfter(marker, saved, stream) {
  for (;;) {
    if (stream) await stream.next();
    const body = await (await fetch(url, { cache: "no-store" })).text();
    if (body.includes(marker)) return Date.now() - saved;
    if (!stream) await new Promise((r) => setTimeout(r, 5));
  }
}
// The page's event stream, as live.js opens it: `next()` resolves at the
// next "generation" event (the first, sent on connecting, is skipped).
async function pageEvents() {
  const u = new URL(url);
  const res = await fetch(`${u.origin}/__isms/events?page=${encodeURIComponent(u.pathname)}`);
  const reader = res.body.getReader();
  const decoder = new TextDecoder();
  let text = "";
  const next = async () => {
    for (;;) {
      const end = text.indexOf("\n\n");
      if (end >= 0) {
        const message = text.slice(0, end);
        text = text.slice(end + 2);
        if (message.startsWith("event: generation")) return;
        continue;
      }
      const { value, done } = await reader.read();
      if (done) throw new Error("event stream closed");
      text += decoder.decode(value, { stream: true });
    }
  };
  await next();
  return { next, close: () => reader.cancel() };
}
const reloads = [];
try {
  for (let i = 1; i <= runs; i++) {
    const marker = `Latency probe ${Date.now()}-${i}`;
    const text = original.replace(/^title:.*$/m, `title: "${marker}"`);
    const tmp = path.join(path.dirname(file), `.${path.basename(file)}.tmp`);
    let loaded = page.waitForEvent("load", { timeout: 30000 });
    loaded.catch(() => {}); // no reload is no failure when shown in place
    // The page's own clock when it first has the new title at a frame: a
    // save shown in place (no reload; see src/cmd/serve/live.js).
    const inPlace = page
      .waitForFunction(
        (m) => document.body.textContent.includes(m) && performance.timeOrigin + performance.now(),
        marker,
        { polling: "raf", timeout: 30000 },
      )
      .then((h) => h.jsonValue())
      .catch(() => null); // the page reloaded instead
    const stream = poll ? null : await pageEvents();
    fs.writeFileSync(tmp, text);
    const saved = Date.now();
    fs.renameSync(tmp, file);
    const served = servedAfter(marker, saved, stream);
    let painted = await Promise.race([inPlace, loaded.then(() => null)]);
    const how = painted ? "in place" : "reloaded";
    if (!painted) {
      await loaded;
      // A reload for something else (a late event from writing the register
      // before the server started) is not this save's: wait for the next.
      for (let more = 0; !(await page.content()).includes(marker); more++) {
        if (more === 3) throw new Error(`reloaded without the new title (run ${i})`);
        loaded = page.waitForEvent("load", { timeout: 30000 });
        await loaded;
      }
      // Wall-clock time of the first contentful paint, from the page itself.
      painted = await page.evaluate(() => {
        const fcp = performance.getEntriesByName("first-contentful-paint")[0];
        return performance.timeOrigin + (fcp ? fcp.startTime : performance.now());
      });
    }
    const load = Date.now() - saved;
    const ms = painted - saved;
    times.push(ms);
    loads.push(load);
    const served_ms = await served;
    stream?.close();
    serves.push(served_ms);
    console.log(`run ${i}: served ${served_ms} ms, visible ${ms.toFixed(0)} ms (${how}), done ${load} ms`);
    await page.waitForTimeout(pause); // a pause between saves, as an author makes
  }
  // The floor: the same page reloaded with nothing saved (no quiet
  // period, no rebuild): what a save cannot go below with a reload.
  for (let i = 1; i <= runs; i++) {
    const started = Date.now();
    await page.reload({ waitUntil: "load" });
    const painted = await page.evaluate(() => {
      const fcp = performance.getEntriesByName("first-contentful-paint")[0];
      return performance.timeOrigin + (fcp ? fcp.startTime : performance.now());
    });
    reloads.push(painted - started);
  }
} finally {
  fs.writeFileSync(file, original);
  await browser.close();
}
const summary = (xs) => {
  xs.sort((a, b) => a - b);
  const median = xs[Math.floor(xs.length / 2)];
  return `median ${median.toFixed(0)} ms, min ${xs[0].toFixed(0)} ms, max ${xs[xs.length - 1].toFixed(0)} ms`;
};
console.log(`save-to-served (server):       ${summary(serves)} over ${serves.length} saves`);
console.log(`save-to-visible (first paint): ${summary(times)} over ${times.length} saves`);
console.log(`save-to-done (load event, or shown in place): ${summary(loads)}`);
console.log(`reload alone (first paint):    ${summary(reloads)}`);
