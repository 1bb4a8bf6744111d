// Save-to-visible under `handbook serve`, in headless Chromium: how long after an
// editor saves a chapter the open tab shows the edit.
//
//   node live-bench.mjs --binary PATH/handbook --root HANDBOOK [--saves 15]
//                       [--file content/…/x.md --page x.html] [--scroll 1500]
//
// Starts `handbook serve` on the handbook (one `bench-gen generate` made, by
// default: its chapter 12), opens the chapter's page, scrolls it to --scroll pixels,
// then --saves times appends a new marker to the chapter's file and times, from
// just before the write to the frame that shows the marker (the first
// requestAnimationFrame after it is in the page), how long the tab took. Between
// saves it waits for the site-wide pages of the last one (the server's "then the
// search index" line), so that each save starts from a quiet server, as an editor's
// do. Prints each save, then the median, min and max, whether the scroll position
// was kept each time, and where the time went: the rebuild (from the server's
// line), the event's arrival, the page in hand (with the event, or fetched) and
// the patch (from reload.js's
// performance marks; a binary that reloads the page has none).
//
// Works with any `handbook` binary, so that one that patches and one that reloads
// can be compared on the same handbook (alternate the runs).

import fs from "node:fs";
import path from "node:path";

import { launch, startServe } from "./lib.mjs";

function option(name, fallback) {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 && process.argv[i + 1] !== undefined ? process.argv[i + 1] : fallback;
}

const binary = path.resolve(option("binary", "../../target/release/handbook"));
const root = option("root");
const saves = Number(option("saves", "15"));
const scroll = Number(option("scroll", "1500"));
const file = option("file", "content/0000-part/00012-ch00012.md");
const pageName = option("page", "ch00012.html");
// Every wait is bounded: the first build of a 10,000-chapter handbook takes a while.
const START_LIMIT = 600000;
const SAVE_LIMIT = 20000;
const SETTLE_LIMIT = 60000;

if (!root || !fs.existsSync(path.join(root, "content"))) {
  console.error("usage: node live-bench.mjs --binary PATH/handbook --root HANDBOOK [--saves 15] [--file F --page P] [--scroll PX]");
  process.exit(2);
}
if (!fs.existsSync(binary)) {
  console.error(`no binary at ${binary}: cargo build --release`);
  process.exit(2);
}

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};
const ms = (x) => (x === undefined || Number.isNaN(x) ? "    -" : x.toFixed(1).padStart(6));

async function main() {
  const chapterPath = path.join(root, file);
  const original = fs.readFileSync(chapterPath, "utf8");
  // English lines: the rebuild's time is read from them.
  const server = await startServe(binary, root, [], START_LIMIT, { HANDBOOK_LANG: "en" });
  const stderr = server.lines;
  let browser;
  const results = [];
  try {
    browser = await launch();
    const page = await browser.newPage({ viewport: { width: 1280, height: 860 } });
    // In every document the tab loads (a reload makes a new one): report the frame
    // that first shows a marker, with the clock every process shares.
    await page.exposeBinding("handbookBenchSeen", () => {});
    await page.addInitScript(() => {
      window.handbookBench = { seen: {} };
      const check = () => {
        const main = document.querySelector("main");
        const text = main ? main.textContent : "";
        for (const marker of text.match(/BENCH-MARK-\d+/g) || []) {
          if (window.handbookBench.seen[marker]) continue;
          window.handbookBench.seen[marker] = -1;
          requestAnimationFrame(() => {
            window.handbookBench.seen[marker] = performance.timeOrigin + performance.now();
          });
        }
      };
      new MutationObserver(check).observe(document, { subtree: true, childList: true, characterData: true });
      document.addEventListener("DOMContentLoaded", check);
    });
    const url = server.url(pageName);
    const response = await page.goto(url);
    if (!response || response.status() !== 200) throw new Error(`GET ${url}: ${response && response.status()}`);
    await page.waitForFunction(() => !!window.handbookBench, null, { timeout: SAVE_LIMIT });
    // Let the first build's site-wide pages settle.
    await new Promise((r) => setTimeout(r, 500));
    for (let n = 1; n <= saves; n++) {
      await page.evaluate((y) => window.scrollTo(0, y), scroll);
      await page.evaluate(() => performance.clearMarks());
      const before = await page.evaluate(() => window.scrollY);
      const marker = `BENCH-MARK-${Date.now()}${n}`;
      const from = stderr.lines.length;
      const start = performance.timeOrigin + performance.now();
      fs.writeFileSync(chapterPath, `${original}\n\n本次修改 ${marker}。\n`);
      await page.waitForFunction((m) => window.handbookBench && window.handbookBench.seen[m] > 0, marker, { timeout: SAVE_LIMIT, polling: 5 });
      const at = await page.evaluate((m) => window.handbookBench.seen[m], marker);
      const state = await page.evaluate(() => {
        const mark = (name) => {
          const entry = performance.getEntriesByName(name).pop();
          return entry ? performance.timeOrigin + entry.startTime : undefined;
        };
        return {
          scrollY: window.scrollY,
          event: mark("handbook:event"),
          fetched: mark("handbook:fetched"),
          patched: mark("handbook:patched"),
        };
      });
      const rebuilt = await stderr.wait("rebuilt in", from, SAVE_LIMIT);
      const rebuild = Number((/rebuilt in (\d+) ms/.exec(rebuilt) || [])[1]);
      results.push({
        total: at - start,
        kept: state.scrollY === before,
        scrollY: state.scrollY,
        rebuild,
        event: state.event && state.event - start,
        fetch: state.fetched && state.event && state.fetched - state.event,
        patch: state.patched && state.fetched && state.patched - state.fetched,
        paint: state.patched && at - state.patched,
      });
      const r = results[results.length - 1];
      console.log(`save ${String(n).padStart(2)}: ${ms(r.total)} ms  (rebuild ${ms(r.rebuild)}, event at ${ms(r.event)}, page in hand ${ms(r.fetch)}, patch ${ms(r.patch)}, to frame ${ms(r.paint)})  scrollY ${before} -> ${r.scrollY}`);
      // The site-wide pages of this save, then a pause, as between an editor's saves.
      await stderr.wait("then the search index", from, SETTLE_LIMIT).catch(() => {});
      await new Promise((r) => setTimeout(r, 300));
    }
  } finally {
    fs.writeFileSync(chapterPath, original);
    if (browser) await browser.close().catch(() => {});
    await server.stop();
  }
  const totals = results.map((r) => r.total);
  const pick = (key) => median(results.map((r) => r[key]).filter((x) => typeof x === "number" && !Number.isNaN(x)));
  console.log(`\n${root}, ${pageName}: save to visible over ${results.length} saves`);
  console.log(`  median ${median(totals).toFixed(1)} ms, min ${Math.min(...totals).toFixed(1)} ms, max ${Math.max(...totals).toFixed(1)} ms`);
  console.log(`  scroll position kept: ${results.filter((r) => r.kept).length} of ${results.length}`);
  console.log(`  medians: rebuild ${ms(pick("rebuild"))} ms, save to event ${ms(pick("event"))} ms, page in hand ${ms(pick("fetch"))} ms, patch ${ms(pick("patch"))} ms, to frame ${ms(pick("paint"))} ms`);
}

main().catch((error) => {
  console.error(error && error.stack ? error.stack : error);
  process.exit(1);
});
