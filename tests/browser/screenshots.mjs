// Screenshots of a built handbook for README.md, run by hand:
//
//   cargo run --release -- build
//   node tests/browser/screenshots.mjs public docs/screenshots [NAME,NAME…]
//
// Writes NAME-(phone|desktop)-(light|dark).png: the index, a chapter, a script table,
// the phrase finder, search results, a practice question, a procedure put in order, a
// tactics question, and the "updated since you last read" marks on the index and in the
// sidebar, at 360×780 and 1280×860, viewport only; or only the shots named.
// Math.random is seeded so the practice question is the same on every run. Needs a
// font for Chinese (apt-get install fonts-noto-cjk). Where pngquant is installed
// (apt-get install pngquant) the files are made smaller with it.

import fs from "node:fs";
import path from "node:path";
import { spawnSync } from "node:child_process";

import { serve, launch } from "./lib.mjs";

const [site = "public", out = "docs/screenshots", only] = process.argv.slice(2);
if (!fs.existsSync(path.join(site, "index.html"))) {
  console.error("usage: node screenshots.mjs PATH-TO-BUILT-SITE [OUT-DIR]");
  process.exit(2);
}
// Debian's Chromium has no font for Chinese of its own: without one, every Chinese
// character would be an empty box.
const chineseFonts = spawnSync("fc-list", [":lang=zh", "family"], { encoding: "utf8" });
if (chineseFonts.status !== 0 || !chineseFonts.stdout.trim()) {
  console.error("no font for Chinese (fc-list :lang=zh): apt-get install fonts-noto-cjk");
  process.exit(2);
}
fs.mkdirSync(out, { recursive: true });

const SIZES = {
  phone: { width: 360, height: 780 },
  desktop: { width: 1280, height: 860 },
};

const SHOTS = [
  { name: "index", file: "index.html" },
  { name: "chapter", file: "complaints.html", scrollTo: "#化解怒气的说法" },
  { name: "table", file: "phone-phrases.html", scrollTo: ".entry-script" },
  { name: "finder", file: "phrases/index.html" },
  {
    // A query the sample never has whole: the partial notice, the counts, labels, "more".
    name: "search",
    file: "index.html",
    async prepare(page) {
      await page.fill("#search-input", "运费险");
      await page.waitForFunction(() => document.querySelector("[data-search]").dataset.query === "运费险");
      await page.waitForSelector(".search-more:not([hidden])");
    },
  },
  {
    name: "practice",
    file: "practice.html",
    async prepare(page) {
      await chooseKind(page, "script");
      await page.click(".practice-setup button[type=submit]");
      await page.waitForSelector(".practice-option");
      await page.click(".practice-option >> nth=1");
      await page.waitForSelector(".practice-feedback:not([hidden])");
      await settle(page, ".practice-question");
    },
  },
  {
    name: "practice-steps",
    file: "practice.html",
    async prepare(page) {
      await chooseTable(page, "return-steps");
      for (let n = await page.locator(".practice-step").count(); n > 0; n--) {
        await page.click(".practice-step:visible >> nth=0");
      }
      await page.click(".practice-check");
      await page.waitForSelector(".practice-feedback:not([hidden])");
      await settle(page, ".practice-order-title");
    },
  },
  {
    name: "practice-tactics",
    file: "practice.html",
    async prepare(page) {
      await chooseTable(page, "bargaining");
      await page.click(".practice-option >> nth=0");
      await page.waitForSelector(".practice-feedback:not([hidden])");
      await settle(page, ".practice-question");
    },
  },
];

/** Chooses the drill's tables of one kind (their data on the page says which). */
async function chooseKind(page, kind) {
  await page.waitForSelector(".practice-setup");
  await page.click(".practice-select-all .button-secondary >> nth=1");
  const data = JSON.parse(await page.textContent("#practice-data"));
  for (const table of data.tables.filter((t) => t.kind === kind)) {
    await page.check(`.practice-tables input[value="${table.id}"]`);
  }
}

/** Starts a round of one table of the drill. */
async function chooseTable(page, id) {
  await page.waitForSelector(".practice-setup");
  await page.click(".practice-select-all .button-secondary >> nth=1");
  await page.check(`.practice-tables input[value="${id}"]`);
  await page.click(".practice-setup button[type=submit]");
  await page.waitForSelector(".practice-question");
}

/** No focus ring, and `selector` near the top of the viewport. */
function settle(page, selector) {
  return page.evaluate((s) => {
    document.activeElement.blur();
    document.querySelector(s).scrollIntoView();
    window.scrollBy(0, -90);
  }, selector);
}

/** A reader who read everything but the latest returns.html and never opened
 * complaints.html: the first marked updated, the second new. */
async function markUpdates(page) {
  await page.evaluate(() => {
    const { site, pages } = window.handbookUpdates;
    const read = { ...pages, "returns.html": "00000000" };
    delete read["complaints.html"];
    localStorage.setItem(`handbook-read:${site}`, JSON.stringify(read));
  });
  await page.reload();
  await page.evaluate(() => document.fonts.ready);
}
SHOTS.push(
  { name: "updates", file: "index.html", prepare: markUpdates },
  {
    name: "updates-sidebar",
    file: "after-sales.html",
    async prepare(page) {
      await markUpdates(page);
      if (await page.isVisible(".menu-button")) await page.click(".menu-button");
    },
  },
);

// A small seeded generator (mulberry32) in place of Math.random.
const SEED = `(() => {
  let a = 20240611;
  Math.random = () => {
    a |= 0; a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
})();`;

function shrink(file) {
  const run = spawnSync("pngquant", ["--force", "--skip-if-larger", "--strip", "--quality=75-95", "--output", file, file]);
  if (run.error && !shrink.warned) {
    shrink.warned = true;
    console.error("pngquant not found: the screenshots are left as Chromium wrote them");
  }
}

const server = await serve(site);
const browser = await launch();
try {
  for (const [size, viewport] of Object.entries(SIZES)) {
    for (const scheme of ["light", "dark"]) {
      const context = await browser.newContext({
        viewport,
        colorScheme: scheme,
        deviceScaleFactor: 1,
        isMobile: size === "phone",
        hasTouch: size === "phone",
        reducedMotion: "reduce",
      });
      await context.addInitScript(SEED);
      for (const shot of SHOTS.filter((s) => !only || only.split(",").includes(s.name))) {
        const page = await context.newPage();
        page.setDefaultTimeout(10000);
        await page.goto(server.url(shot.file));
        await page.evaluate(() => document.fonts.ready);
        if (shot.scrollTo) {
          await page.evaluate((selector) => {
            const target = document.querySelector(selector);
            if (target) {
              target.scrollIntoView();
              window.scrollBy(0, -70);
            }
          }, shot.scrollTo);
        }
        if (shot.prepare) await shot.prepare(page);
        const file = path.join(out, `${shot.name}-${size}-${scheme}.png`);
        await page.screenshot({ path: file });
        shrink(file);
        console.log(file);
        await page.close();
      }
      await context.close();
    }
  }
} finally {
  await browser.close();
  await server.close();
}
