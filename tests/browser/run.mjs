// Browser tests of a built handbook site, in headless Chromium.
//
//   node run.mjs PATH-TO-PUBLIC [PATH-TO-UPDATED-PUBLIC]
//
// With HANDBOOK_BIN naming the handbook binary, also the checks of `handbook serve`
// (live.mjs: the error overlay, live updates), each on its own copy of content/.
//
// Serves the folder on 127.0.0.1 (at / and under a sub-path), and the optional
// second one (the same handbook rebuilt after an edit, for the update marks) under
// /updated/ on the same origin, drives Chromium
// (/usr/bin/chromium, or $CHROMIUM) through playwright-core, prints one line per
// check and a last line `N passed, M failed`; exits non-zero on any failure.
// Written against the sample handbook in content/ (it names some of its pages).

import fs from "node:fs";
import path from "node:path";
import { pathToFileURL } from "node:url";

import { serve, launch, htmlFiles, SUB_PATH } from "./lib.mjs";
import { axeAudit, axeViolations } from "./axe.mjs";
import { liveChecks } from "./live.mjs";

const CHECK_TIMEOUT = 60000;
const STEP_TIMEOUT = 10000;

const site = process.argv[2];
if (!site || !fs.existsSync(path.join(site, "index.html"))) {
  console.error("usage: node run.mjs PATH-TO-BUILT-SITE (a folder with index.html)");
  process.exit(2);
}
const siteDir = path.resolve(site);
// The sample rebuilt with returns.html edited and new-rules.html added.
const updatedDir = process.argv[3] && path.resolve(process.argv[3]);
const UPDATED = "/updated/";

let passed = 0;
let failed = 0;

// A last resort: the whole run never takes more than ten minutes.
setTimeout(() => {
  console.log("FAIL  the run took more than 10 minutes");
  console.log(`${passed} passed, ${failed + 1} failed`);
  process.exit(1);
}, 600000).unref();

function assert(condition, message) {
  if (!condition) throw new Error(message);
}

async function check(name, fn, timeout = CHECK_TIMEOUT) {
  // `ONLY=axe node run.mjs …` runs just the checks whose name contains "axe".
  if (process.env.ONLY && !name.includes(process.env.ONLY)) return;
  let timer;
  try {
    await Promise.race([
      fn(),
      new Promise((_, reject) => {
        timer = setTimeout(() => reject(new Error(`timed out after ${timeout / 1000}s`)), timeout);
      }),
    ]);
    passed++;
    console.log(`ok    ${name}`);
  } catch (error) {
    failed++;
    const message = String((error && error.message) || error).split("\n").slice(0, 40).join("\n      ");
    console.log(`FAIL  ${name}\n      ${message}`);
  } finally {
    clearTimeout(timer);
  }
}

/** The documents of the search index, read the way the browser reads them. */
function readDocs() {
  const docs = [];
  const files = fs.readdirSync(path.join(siteDir, "search")).filter((f) => /^d-\d+\.js$/.test(f));
  for (const file of files) {
    const text = fs.readFileSync(path.join(siteDir, "search", file), "utf8");
    // handbookSearch.docs(n, pages, rows): pages [url, title] once each, rows [page,
    // anchor, heading, text] with anchor 1 for "the heading"; read back here as
    // [url, title, heading, text] independently of search.js, whose results the
    // tests then compare with these urls.
    const sandbox = {
      docs: (n, pages, rows) => rows.forEach(([page, anchor, heading, text], i) => {
        const [url, title] = pages[page];
        const hash = anchor === 1 ? heading : anchor;
        docs[n * 100 + i] = [hash ? `${url}#${hash}` : url, title, heading, text];
      }),
    };
    new Function("handbookSearch", text)(sandbox);
  }
  return docs.filter(Boolean);
}

/** The postings shards of the search index, by shard number: {term: encoded}. */
function readPostings() {
  const shards = [];
  const files = fs.readdirSync(path.join(siteDir, "search")).filter((f) => /^p-\d+\.js$/.test(f));
  for (const file of files) {
    const text = fs.readFileSync(path.join(siteDir, "search", file), "utf8");
    new Function("handbookSearch", text)({ postings: (n, map) => { shards[n] = map; } });
  }
  assert(shards.length === files.length && shards.every(Boolean), "postings shards are numbered 0..N-1");
  return shards;
}

/** The source of `function NAME(…) {…}` as the site's scripts define it. */
function siteFunction(name) {
  const dir = path.join(siteDir, "static");
  for (const file of fs.readdirSync(dir).filter((f) => f.endsWith(".js"))) {
    const text = fs.readFileSync(path.join(dir, file), "utf8");
    const start = new RegExp(`^([ \t]*)function ${name}\\(`, "m").exec(text);
    if (!start) continue;
    const end = text.indexOf(`\n${start[1]}}`, start.index);
    assert(end > 0, `the end of function ${name} in static/${file}`);
    return text.slice(start.index, end + start[1].length + 2);
  }
  throw new Error(`no function ${name} in the site's static/*.js`);
}

async function newPage(context, options = {}) {
  const page = await context.newPage();
  page.setDefaultTimeout(STEP_TIMEOUT);
  page.setDefaultNavigationTimeout(15000);
  const errors = [];
  page.on("pageerror", (e) => errors.push(String(e)));
  page.on("console", (m) => {
    if (m.type() === "error") errors.push(`${m.text()} ${m.location().url || ""}`);
  });
  page.jsErrors = errors;
  if (options.url) await page.goto(options.url);
  return page;
}

/* The drill ============================================================== */

// Text that only a bug writes out.
const STRAY = /\bnull\b|\bundefined\b|\bNaN\b|\[object/;

const focusedIs = (page, selector) => page.evaluate((s) => !!document.activeElement && document.activeElement.matches(s), selector);

/** Chooses table `id` only on the drill's set-up and starts a round. */
async function chooseOnly(page, id) {
  await page.waitForSelector(".practice-setup");
  await page.click(".practice-select-all .button-secondary >> nth=1");
  await page.check(`.practice-tables input[value="${id}"]`);
  await page.click(".practice-setup button[type=submit]");
  await page.waitForSelector(".practice-question");
}

/** Presses Tab until the focused element matches `selector` (at most `max` times). */
async function tabTo(page, selector, max = 120) {
  for (let i = 0; i < max; i++) {
    if (await page.evaluate((sel) => document.activeElement && document.activeElement.matches(sel), selector)) return;
    await page.keyboard.press("Tab");
  }
  throw new Error(`Tab never reached ${selector}`);
}

/** Chooses only table `id` on the drill's start screen and starts, by keyboard only. */
async function chooseOnlyByKeyboard(page, id) {
  await page.waitForSelector(".practice-setup");
  await tabTo(page, ".practice-select-all .button-secondary:nth-of-type(2)");
  await page.keyboard.press("Enter");
  await tabTo(page, `.practice-tables input[value="${id}"]`);
  await page.keyboard.press("Space");
  await tabTo(page, ".practice-setup button[type=submit]");
  await page.keyboard.press("Enter");
  await page.waitForSelector(".practice-question");
}

/** Answers the question on screen by keyboard: option `index` (Tab + Enter, or its digit key). */
async function answerByKeyboard(page, index, withDigit) {
  if (withDigit) {
    await page.keyboard.press(String(index + 1));
  } else {
    await tabTo(page, `.practice-option:nth-child(${index + 1}), li:nth-child(${index + 1}) > .practice-option`);
    await page.keyboard.press("Enter");
  }
  await page.waitForSelector(".practice-feedback:not([hidden])");
  const feedback = page.locator(".practice-feedback");
  assert((await feedback.getAttribute("role")) === "status", "the feedback is not a live region");
  return {
    verdict: await page.getAttribute(".practice-verdict", "class"),
    feedback: await feedback.innerText(),
    nextFocused: await page.evaluate(() => document.activeElement.classList.contains("practice-next")),
  };
}

/** Moves the focus to the step button `title` with Tab / Shift+Tab, then picks it with Enter. */
async function focusStep(page, title) {
  for (let i = 0; i < 20; i++) {
    const where = await page.evaluate((t) => {
      const buttons = [...document.querySelectorAll(".practice-step")].filter((b) => b.getClientRects().length);
      const at = buttons.indexOf(document.activeElement);
      const want = buttons.findIndex((b) => b.textContent === t);
      return want - at;
    }, title);
    if (where === 0) return page.keyboard.press("Enter");
    await page.keyboard.press(where > 0 ? "Tab" : "Shift+Tab");
  }
  throw new Error(`could not reach the step "${title}" by keyboard`);
}

/** What the steps drill shows after Check. */
function stepsResult(page) {
  return page.evaluate(() => ({
    verdict: document.querySelector(".practice-verdict").className,
    rightOrder: [...document.querySelectorAll(".practice-right-order .practice-step-title")].map((s) => s.textContent),
    goals: document.querySelectorAll(".practice-right-order .practice-step-goal").length,
    yours: document.querySelectorAll(".practice-right-order .practice-step-yours").length,
    wrongMarks: document.querySelectorAll(".practice-order li.is-wrong").length,
    text: document.querySelector(".practice-question").innerText,
  }));
}

/** The tactic question on screen: its entry (by `when` or by example), the options and
 * the right one's index; checks the name is hidden and the options are 3–4. */
async function tacticQuestion(page, table) {
  await page.waitForSelector(".practice-question .practice-option");
  const shown = await page.evaluate(() => ({
    heading: document.querySelector(".practice-heading").textContent,
    dialogue: [...document.querySelectorAll(".practice-dialogue li")].map((li) => li.textContent),
    options: [...document.querySelectorAll(".practice-option-text")].map((e) => e.textContent),
  }));
  const entry = shown.dialogue.length
    ? table.entries.find((e) => e.example.length === shown.dialogue.length
      && shown.dialogue.every((line, i) => e.example[i].text.split(e.name).every((piece) => line.includes(piece))))
    : table.entries.find((e) => e.when === shown.heading);
  assert(entry, `no entry for ${JSON.stringify(shown)}`);
  assert(shown.options.length >= 3 && shown.options.length <= 4, `${shown.options.length} options`);
  assert(shown.options.filter((o) => o === entry.name).length === 1, `the right name is not offered once: ${shown.options}`);
  assert(!shown.dialogue.some((line) => line.includes(entry.name)), "the tactic's name shows in the example");
  return { entry, options: shown.options, right: shown.options.indexOf(entry.name) };
}

/** Types `query` into the search box and waits for the results that answer it. */
async function search(page, query) {
  await page.fill("#search-input", query);
  await page.waitForFunction(
    (q) => document.querySelector("[data-search]").dataset.query === q,
    query.trim(),
    { timeout: STEP_TIMEOUT },
  );
  return page.$$eval(".search-result", (links) => links.map((a) => ({
    href: a.getAttribute("href"),
    url: a.href,
    title: a.querySelector(".search-result-title").textContent,
    heading: (a.querySelector(".search-result-heading") || {}).textContent || "",
    snippet: (a.querySelector(".search-result-snippet") || {}).textContent || "",
    marks: [...a.querySelectorAll("mark")].map((m) => m.textContent),
    visible: a.getClientRects().length > 0,
  })));
}

const page0 = (href) => href.split("#")[0].replace(/^(\.\.\/)+/, "");

/** The theme's scripts a page's HTML names, in order: ["handbook.js", "search.js", …]. */
function scriptsNamed(html) {
  return [...html.matchAll(/<script src="[^"]*static\/([\w-]+\.js)"/g)].map((m) => m[1]);
}

// The data- attributes that carry UI strings for the scripts.
const STRING_ATTRIBUTES = /\bdata-(copy|copied|no-results|loading|start|next|right|wrong|score|again|reset|why|situation)="[^"]*"/g;

/** `html` with every UI string the scripts read replaced by a marker that names it:
 * ‹name›, followed by the placeholders of the original ({n}, {total}, …). */
function markStrings(html) {
  return html
    .replace(STRING_ATTRIBUTES, (m, name) => `data-${name}="‹${name}›"`)
    .replace(/(<script type="application\/json" id="handbook-(?:practice-)?strings">)([\s\S]*?)(<\/script>)/g, (m, open, json, close) => {
      const strings = JSON.parse(json);
      for (const [name, value] of Object.entries(strings)) {
        strings[name] = `‹${name}›` + (value.match(/\{\w+\}/g) || []).join("/");
      }
      return open + JSON.stringify(strings) + close;
    });
}

/** Serves `page` the site's HTML pages through `rewrite(html)`. */
async function rewritePages(page, rewrite) {
  await page.route(/\.html$/, async (route) => {
    const response = await route.fetch();
    await route.fulfill({ response, body: rewrite(await response.text()) });
  });
}

/** In-page: records every text a status region (role=status) is given, in window.said. */
function recordStatuses() {
  window.said = [];
  new MutationObserver((changes) => {
    for (const change of changes) {
      const node = change.target.nodeType === 1 ? change.target : change.target.parentElement;
      const region = node && node.closest("[role=status]");
      if (region && region.textContent) window.said.push(region.textContent);
    }
  }).observe(document, { subtree: true, childList: true, characterData: true });
}

/** In-page: text whose colour contrast is below WCAG AA, against the composited background. */
function contrastProblems() {
  const parse = (value) => {
    const m = /rgba?\(([^)]+)\)/.exec(value);
    if (!m) return null;
    const parts = m[1].split(/[\s,/]+/).filter(Boolean).map(Number);
    return [parts[0], parts[1], parts[2], parts.length > 3 ? parts[3] : 1];
  };
  const blend = (top, bottom) => {
    const a = top[3];
    return [0, 1, 2].map((i) => top[i] * a + bottom[i] * (1 - a)).concat(1);
  };
  const luminance = (c) => {
    const [r, g, b] = c.slice(0, 3).map((v) => {
      const s = v / 255;
      return s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
    });
    return 0.2126 * r + 0.7152 * g + 0.0722 * b;
  };
  const background = (el) => {
    const layers = [];
    for (let n = el; n; n = n.parentElement) {
      const c = parse(getComputedStyle(n).backgroundColor);
      if (c && c[3] > 0) {
        layers.push(c);
        if (c[3] >= 1) break;
      }
    }
    let color = layers.length && layers[layers.length - 1][3] >= 1 ? layers.pop() : [255, 255, 255, 1];
    while (layers.length) color = blend(layers.pop(), color);
    return color;
  };
  const problems = [];
  for (const el of document.body.querySelectorAll("*")) {
    const hasText = [...el.childNodes].some((n) => n.nodeType === 3 && n.textContent.trim());
    if (!hasText) continue;
    const style = getComputedStyle(el);
    const rect = el.getBoundingClientRect();
    if (style.visibility !== "visible" || rect.width <= 1 || rect.height <= 1 || !el.getClientRects().length) continue;
    if (el.closest("[hidden], .visually-hidden, noscript, script, style")) continue;
    let opacity = 1;
    for (let n = el; n; n = n.parentElement) opacity *= Number(getComputedStyle(n).opacity);
    if (opacity < 0.05) continue; // shown only on hover or focus (heading anchors)
    const bg = background(el);
    const fg = blend([...parse(style.color).slice(0, 3), parse(style.color)[3] * opacity], bg);
    const [l1, l2] = [luminance(fg), luminance(bg)].sort((a, b) => b - a);
    const ratio = (l1 + 0.05) / (l2 + 0.05);
    const size = parseFloat(style.fontSize);
    const large = size >= 24 || (size >= 18.66 && Number(style.fontWeight) >= 700);
    if (ratio < (large ? 3 : 4.5) - 0.005) {
      const name = el.tagName.toLowerCase() + (el.className && typeof el.className === "string" ? "." + el.className.trim().split(/\s+/).join(".") : "");
      problems.push(`${name} "${el.textContent.trim().slice(0, 20)}" ${ratio.toFixed(2)}:1 (${style.color} on rgb(${bg.slice(0, 3).map(Math.round)}))`);
    }
  }
  return [...new Set(problems)];
}

/** The update marks on the page: which page each marks, its kind, its text, and
 * where it is (the sidebar, the index's contents, or the list at its top). */
function updateMarks(page) {
  return page.evaluate(() => Array.from(document.querySelectorAll(".update-mark")).map((mark) => {
    const link = mark.closest("a");
    return {
      page: link.getAttribute("href").split("/").pop(),
      kind: mark.className.replace("update-mark ", ""),
      text: mark.textContent,
      where: link.matches(".sidebar-sections > li > a") ? "part" : link.closest(".sidebar") ? "sidebar"
        : link.closest("#updates-list") ? "list" : "toc",
    };
  }));
}

/** Marks of one kind in one place, as "page" strings in document order. */
function marked(marks, kind, where) {
  return marks.filter((m) => m.kind === kind && m.where === where).map((m) => m.page);
}

/** A reader reads the first build, then the second: exactly the edited page is
 * marked updated and the added one new, in the sidebar and on the index (listed at
 * the top too), and a page's mark goes once it is opened; with `audit`, axe-core finds
 * nothing wrong with the marks. */
async function checkUpdateMarks(browser, first, second, { audit }) {
  const ctx = await browser.newContext({ viewport: { width: 1280, height: 860 } });
  const page = await newPage(ctx, { url: first("index.html") });
  assert((await updateMarks(page)).length === 0, "the first visit marks pages");
  assert(await page.isHidden("#updates-list"), "the first visit lists updates");
  await page.goto(first("complaints.html"));
  assert((await updateMarks(page)).length === 0, "nothing changed, yet a page is marked");

  await page.goto(second("index.html"));
  let marks = await updateMarks(page);
  assert(JSON.stringify(marked(marks, "update-mark-updated", "toc")) === '["returns.html"]', JSON.stringify(marks));
  assert(JSON.stringify(marked(marks, "update-mark-new", "toc")) === '["new-rules.html"]', JSON.stringify(marks));
  assert(await page.isVisible("#updates-list"), "the index does not list the updates");
  assert(JSON.stringify(marks.filter((m) => m.where === "list").map((m) => m.page)) === '["returns.html","new-rules.html"]',
    `listed at the top: ${JSON.stringify(marks)}`);
  assert(JSON.stringify(marks.filter((m) => m.where === "part")) === '[{"page":"after-sales.html","kind":"update-mark-updated","text":"有更新","where":"part"}]',
    `the part of the updated pages is not the one marked in the sidebar: ${JSON.stringify(marks)}`);
  const texts = await page.evaluate(() => document.querySelector('script[src$="marks.js"]').dataset);
  assert(marks.every((m) => m.text === (m.kind === "update-mark-new" ? texts.new : texts.updated)), JSON.stringify(marks));
  assert(texts.updated === "有更新" && texts.new === "新", JSON.stringify(texts));
  for (const colorScheme of ["light", "dark"]) {
    await page.emulateMedia({ colorScheme });
    const problems = await page.evaluate(contrastProblems);
    if (audit) problems.push(...await axeViolations(page, `index with update marks, ${colorScheme}`));
    assert(problems.length === 0, `${colorScheme}: ${problems.join("; ")}`);
  }
  await page.emulateMedia({ colorScheme: "light" });

  await page.goto(second("after-sales.html"));
  marks = await updateMarks(page);
  assert(JSON.stringify(marked(marks, "update-mark-updated", "sidebar")) === '["returns.html"]', JSON.stringify(marks));
  assert(JSON.stringify(marked(marks, "update-mark-new", "sidebar")) === '["new-rules.html"]', JSON.stringify(marks));
  const sidebarProblems = audit ? await axeViolations(page, "a page with update marks in its sidebar") : [];
  assert(sidebarProblems.length === 0, sidebarProblems.join("; "));
  const name = await page.getByRole("link", { name: "退换货处理 有更新", exact: true }).count();
  assert(name === 1, "the mark is not part of the link's accessible name");

  await Promise.all([page.waitForURL(second("returns.html")), page.click('.sidebar a[href$="returns.html"]')]);
  marks = await updateMarks(page);
  assert(JSON.stringify(marks.map((m) => `${m.where}:${m.page}:${m.kind}`)) === '["part:after-sales.html:update-mark-new","sidebar:new-rules.html:update-mark-new"]',
    `after opening returns.html: ${JSON.stringify(marks)}`);
  await page.goto(second("index.html"));
  marks = await updateMarks(page);
  assert(JSON.stringify(marks.map((m) => `${m.where}:${m.page}`)) === '["part:after-sales.html","list:new-rules.html","toc:new-rules.html"]',
    `the index after opening returns.html: ${JSON.stringify(marks)}`);

  await page.goto(second("new-rules.html"));
  await page.goto(second("index.html"));
  assert((await updateMarks(page)).length === 0, "marks stay after every page was opened");
  assert(await page.isHidden("#updates-list"), "the list stays with nothing in it");
  assert(!page.jsErrors.length, page.jsErrors.join("; "));
  await ctx.close();
}

async function main() {
  const server = await serve(siteDir, updatedDir ? { [UPDATED]: updatedDir } : {});
  let browser;
  try {
    browser = await launch();
  } catch (error) {
    await server.close();
    console.log(`FAIL  launch Chromium\n      ${error.message}`);
    console.log("0 passed, 1 failed");
    process.exit(1);
  }
  const context = await browser.newContext({ viewport: { width: 1280, height: 860 } });
  const practiceData = JSON.parse(/<script type="application\/json" id="practice-data">([\s\S]*?)<\/script>/
    .exec(fs.readFileSync(path.join(siteDir, "practice.html"), "utf8"))[1]);

  try {
    await check("search: 退货 lists the returns chapter first", async () => {
      const page = await newPage(context, { url: server.url("index.html") });
      const results = await search(page, "退货");
      assert(results.length >= 3, `only ${results.length} results`);
      assert(page0(results[0].href) === "returns.html", `first result is ${results[0].href}`);
      const fromReturns = results.slice(0, 5).filter((r) => page0(r.href) === "returns.html").length;
      assert(fromReturns >= 2, `only ${fromReturns} of the first 5 results are from returns.html`);
      assert(results.every((r) => r.visible), "results are not visible");
      assert(results[0].marks.includes("退货"), `no <mark>退货</mark> in the first result: ${JSON.stringify(results[0])}`);
      const headed = results.find((r) => r.heading && r.snippet.includes("退货"));
      assert(headed, "no result shows a heading and a snippet with the match");
      assert(results[0].title.includes("退换货"), `first result title ${results[0].title}`);
      assert(results.length <= 10, `${results.length} results shown`);
      assert(!page.jsErrors.length, page.jsErrors.join("; "));
      await page.close();
    });

    await check("search: 差评 finds the negative-review pages", async () => {
      const page = await newPage(context, { url: server.url("complaints.html") });
      const results = await search(page, "差评");
      assert(results.length > 0, "no results");
      const pages = results.slice(0, 3).map((r) => page0(r.href));
      assert(pages.some((p) => p === "negative-reviews.html" || p === "review-followup.html" || p === "review-steps.html"),
        `top results: ${pages.join(", ")}`);
      await page.close();
    });

    await check("search: 快递 赔付 (two words) returns results with both", async () => {
      const page = await newPage(context, { url: server.url("index.html") });
      const results = await search(page, "快递 赔付");
      assert(results.length > 0, "no results");
      assert(results[0].marks.some((m) => m === "赔付") && results[0].marks.some((m) => m.includes("快递")),
        `first result does not mark both words: ${JSON.stringify(results[0].marks)}`);
      await page.close();
    });

    await check("search: a phrase fragment 亲，这是 returns results", async () => {
      const page = await newPage(context, { url: server.url("index.html") });
      const results = await search(page, "亲，这是");
      assert(results.length > 0, "no results");
      await page.close();
    });

    await check("search: a run of 30+ Chinese characters finds its section first", async () => {
      const docs = readDocs();
      const seen = new Map();
      let picked = null;
      for (const doc of docs) {
        for (const run of doc[3].match(/[^\s]{32,}/g) || []) {
          const cjk = [...run].filter((c) => /\p{Script=Han}/u.test(c)).length;
          if (cjk < 30) continue;
          const phrase = [...run].slice(0, 34).join("");
          const count = docs.filter((d) => d[3].includes(phrase)).length;
          if (count === 1 && !seen.has(phrase)) {
            picked = { phrase, url: doc[0] };
            break;
          }
        }
        if (picked) break;
      }
      assert(picked, "the sample has no 30+ character run to search for");
      const page = await newPage(context, { url: server.url("index.html") });
      const results = await search(page, picked.phrase);
      assert(results.length > 0, `no results for ${picked.phrase}`);
      assert(results[0].href === picked.url, `first result ${results[0].href}, expected ${picked.url} for ${picked.phrase}`);
      await page.close();
    });

    await check("search: an English word (YKK) returns results", async () => {
      const page = await newPage(context, { url: server.url("index.html") });
      const results = await search(page, "YKK");
      assert(results.length > 0, "no results");
      assert(results[0].marks.some((m) => m.toLowerCase() === "ykk"), `no highlight: ${JSON.stringify(results[0])}`);
      const vs = await search(page, "vs");
      assert(vs.some((r) => page0(r.href) === "better-replies.html"), `vs: ${vs.map((r) => r.href).join(", ")}`);
      await page.close();
    });

    await check("search: nonsense shows the no-results message", async () => {
      const page = await newPage(context, { url: server.url("index.html") });
      const results = await search(page, "zzqxj");
      assert(results.length === 0, `${results.length} results`);
      const status = await page.textContent(".search-status");
      const expected = await page.getAttribute("#search-input", "data-no-results");
      assert(status === expected, `status "${status}"`);
      assert(await page.isVisible(".search-status"), "the message is not visible");
      await page.close();
    });

    // The first result of each of these queries before the counts, partial labels
    // and Traditional folding came: they must keep it.
    const FIRST_RESULTS = [
      ["退货", "returns.html#先问清退货原因"],
      ["差评", "negative-reviews.html"],
      ["快递 赔付", "delivery-rules.html#申诉与举证"],
      ["亲，这是", "chat-greetings.html#first-visit"],
      ["YKK", "bargaining.html#justify-price"],
      ["vs", "better-replies.html"],
      ["运费险", "shipping.html#运费怎么算"],
      ["换货", "returns.html"],
      ["发货", "delivery-rules.html"],
      ["优惠券", "complaint-steps.html#remedy"],
      ["差评 回访", "review-followup.html"],
      ["催发货", "delivery-rules.html"],
      ["退货 运费", "return-steps.html#offer-solution"],
      ["七天无理由", "pricing.html#常用应答"],
      ["安抚", "complaint-steps.html#soothe-explain"],
      ["运费险赔付", "delivery-rules.html"],
    ];
    await check("search: queries keep their first result", async () => {
      const page = await newPage(context, { url: server.url("index.html") });
      const wrong = [];
      for (const [query, expected] of FIRST_RESULTS) {
        const results = await search(page, query);
        const first = results.length ? decodeURI(results[0].href) : "(none)";
        if (first !== expected) wrong.push(`${query}: ${first}, was ${expected}`);
      }
      assert(!wrong.length, wrong.join("; "));
      assert(!page.jsErrors.length, page.jsErrors.join("; "));
      await page.close();
    });

    await check("search: the counts line says how many, and \"more\" shows the next 10 by keyboard", async () => {
      // 客服 is one term: the sections with it, from the index itself.
      const encoded = readPostings().map((shard) => shard["客服"]).find(Boolean);
      const total = encoded.split(",").length;
      assert(total > 20, `only ${total} sections have 客服`);
      const page = await newPage(context, { url: server.url("index.html") });
      let results = await search(page, "客服");
      assert(results.length === 10, `${results.length} results shown`);
      const summary = () => page.textContent(".search-summary");
      assert((await summary()) === `显示前 10 条，共 ${total} 条`, `counts line "${await summary()}"`);
      assert((await page.textContent(".search-status")).includes(`共 ${total} 条`), "the status does not announce the count");
      assert((await page.textContent(".search-more")) === "再显示 10 条", `button "${await page.textContent(".search-more")}"`);
      await page.keyboard.press("Tab");
      assert(await page.evaluate(() => document.activeElement.classList.contains("search-more")), "Tab does not reach \"more\"");
      await page.keyboard.press("Enter");
      await page.waitForFunction(() => document.querySelectorAll(".search-result").length === 20);
      assert((await summary()) === `显示前 20 条，共 ${total} 条`, `counts line "${await summary()}"`);
      assert(await page.evaluate(() => document.activeElement.id === "search-input"), "focus is not back in the box");
      const active = await page.getAttribute("#search-input", "aria-activedescendant");
      assert(active === "search-result-10", `the first new result is not active: ${active}`);
      for (let shown = 20; shown < total; shown += 10) await page.click(".search-more");
      await page.waitForFunction((n) => document.querySelectorAll(".search-result").length === n, total);
      assert((await summary()) === `找到 ${total} 条结果`, `counts line "${await summary()}"`);
      assert(!(await page.isVisible(".search-more")), "\"more\" is still shown with every result shown");
      results = await page.$$eval(".search-result", (links) => links.map((a) => a.getAttribute("href") + "|" + a.id));
      assert(new Set(results).size === total, "a result is shown twice");
      assert(!page.jsErrors.length, page.jsErrors.join("; "));
      await page.close();
    });

    await check("search: results with only some of the words say so and which", async () => {
      // The sample never says 运费险: its 运费 sections are partial results, labelled.
      const docs = readDocs();
      const docOf = (r) => docs.find((d) => d[0] === decodeURI(r.href)).join("\n");
      assert(!docs.some((d) => d.join("\n").includes("运费险")), "a section has 运费险");
      const page = await newPage(context, { url: server.url("index.html") });
      const labelsOf = () => page.$$eval(".search-result", (links) => links.map((a) => (a.querySelector(".search-result-partial") || {}).textContent || ""));
      for (const query of ["运费险", "运费险赔付"]) {
        const results = await search(page, query);
        assert(results.length > 0, `${query}: no results`);
        const summary = await page.textContent(".search-summary");
        assert(summary.startsWith("没有同时包含所有词的结果"), `${query}: no partial notice in "${summary}"`);
        assert((await page.textContent(".search-status")).startsWith("没有同时包含所有词的结果"), `${query}: not announced`);
        // Each result is labelled with the words it has, and has them.
        const labels = await labelsOf();
        const bad = results.filter((r, i) => {
          const words = labels[i].replace(/^只含：/, "").split(" / ").filter(Boolean);
          return !labels[i].startsWith("只含：") || !words.length || !words.every((w) => docOf(r).includes(w));
        });
        assert(!bad.length, `${query}: ${bad.map((r) => r.href + " " + labels[results.indexOf(r)]).join("; ")}`);
      }
      // Results with every word are not labelled.
      const full = await search(page, "快递 赔付");
      assert(full.length > 0 && (await labelsOf()).every((l) => l === ""), "a full match is labelled partial");
      assert(!(await page.textContent(".search-summary")).startsWith("没有"), "a full match has the partial notice");
      assert(full.every((r) => docOf(r).includes("快递") && docOf(r).includes("赔付")), "a full match lacks a word");
      assert(!page.jsErrors.length, page.jsErrors.join("; "));
      await page.close();
    });

    await check("search: a Traditional query finds what its Simplified twin finds", async () => {
      const page = await newPage(context, { url: server.url("index.html") });
      for (const [traditional, simplified] of [["退貨", "退货"], ["差評 回訪", "差评 回访"]]) {
        const expected = await search(page, simplified);
        const got = await search(page, traditional);
        assert(expected.length > 0, `no results for ${simplified}`);
        const hrefs = (list) => list.map((r) => r.href).join(" ");
        assert(hrefs(got) === hrefs(expected), `${traditional}: ${hrefs(got)}\n${simplified}: ${hrefs(expected)}`);
        assert(got[0].marks.includes(simplified.split(" ")[0]), `${traditional}: marks ${JSON.stringify(got[0].marks)}`);
      }
      assert(!page.jsErrors.length, page.jsErrors.join("; "));
      await page.close();
    });

    await check("search: / focuses the box, arrows move, Enter opens the first result", async () => {
      const page = await newPage(context, { url: server.url("complaints.html") });
      await page.keyboard.press("/");
      assert(await page.evaluate(() => document.activeElement.id === "search-input"), "/ did not focus the search box");
      assert((await page.inputValue("#search-input")) === "", "/ was typed into the box");
      await page.keyboard.type("退货");
      await page.waitForFunction(() => document.querySelector("[data-search]").dataset.query === "退货");
      const first = await page.getAttribute(".search-result", "href");
      await page.keyboard.press("ArrowDown");
      await page.keyboard.press("ArrowDown");
      const active = await page.getAttribute("#search-input", "aria-activedescendant");
      assert(active === "search-result-1", `aria-activedescendant ${active}`);
      assert((await page.getAttribute("#search-result-1", "aria-selected")) === "true", "aria-selected not set");
      await page.keyboard.press("ArrowUp");
      assert((await page.getAttribute("#search-input", "aria-activedescendant")) === "search-result-0", "ArrowUp");
      await page.keyboard.press("Escape");
      assert(!(await page.isVisible("#search-results")), "Escape did not close the results");
      await page.keyboard.press("ArrowDown"); // reopens, first result active
      await Promise.all([page.waitForURL((u) => u.href === new URL(first, page.url()).href), page.keyboard.press("Enter")]);
      await page.close();
    });

    await check("search: works from a sub-path deployment", async () => {
      const page = await newPage(context, { url: server.subUrl("phrases/index.html") });
      const results = await search(page, "退货");
      assert(results.length > 0, "no results");
      assert(results[0].url.split("#")[0] === server.subUrl("returns.html"), `first result URL ${results[0].url}`);
      const [response] = await Promise.all([page.waitForNavigation(), page.click(".search-result")]);
      assert(response && response.ok(), "the result link did not load");
      assert(page.url().startsWith(server.origin + SUB_PATH), page.url());
      assert((await page.title()).includes("退换货"), await page.title());
      assert(!page.jsErrors.length, page.jsErrors.join("; "));
      await page.close();
    });

    await check("search: works from file://", async () => {
      const page = await newPage(context, { url: pathToFileURL(path.join(siteDir, "phrases/index.html")).href });
      const results = await search(page, "快递 赔付");
      assert(results.length > 0, "no results");
      assert(results[0].url.startsWith("file://"), results[0].url);
      assert(!page.jsErrors.length, page.jsErrors.join("; "));
      await page.close();
    });

    await check("search: the script hashes terms to shards as the index was written", async () => {
      const page = await newPage(context, { url: server.url("index.html") });
      const source = siteFunction("fnv1a");
      const { cases } = JSON.parse(fs.readFileSync(new URL("./fnv1a.json", import.meta.url), "utf8"));
      const postings = readPostings();
      const terms = postings.flatMap((map, shard) => Object.keys(map).map((term) => [term, shard]));
      const texts = cases.map(([text]) => text).concat(terms.map(([term]) => term));
      const hashes = await page.evaluate(
        ({ source, texts }) => {
          const fnv1a = new Function(`${source}; return fnv1a;`)();
          return texts.map(fnv1a);
        },
        { source, texts },
      );
      cases.forEach(([text, expected], i) => {
        assert(hashes[i] === expected, `fnv1a(${JSON.stringify(text)}) is ${hashes[i]}, the index's hash is ${expected}`);
      });
      assert(terms.some(([term]) => /[\u4e00-\u9fff]/.test(term)), "no Chinese term in the postings");
      terms.forEach(([term, shard], i) => {
        const mine = hashes[cases.length + i] % postings.length;
        assert(mine === shard, `${term} is in p-${shard}.js, the script looks in p-${mine}.js`);
      });
      await page.close();
    });

    await check("copy: a say line's button copies the exact line; avoid lines have none", async () => {
      const ctx = await browser.newContext({ viewport: { width: 1280, height: 860 } });
      await ctx.grantPermissions(["clipboard-read", "clipboard-write"], { origin: server.origin });
      const page = await newPage(ctx, { url: server.url("phone-phrases.html") });
      const counts = await page.evaluate(() => ({
        say: document.querySelectorAll("li.say-line").length,
        buttons: document.querySelectorAll("li.say-line > .copy-button").length,
        avoid: document.querySelectorAll(".avoid-line .copy-button, .avoid .copy-button").length,
      }));
      assert(counts.say > 0 && counts.buttons === counts.say, `${counts.buttons} buttons for ${counts.say} say lines`);
      assert(counts.avoid === 0, `${counts.avoid} copy buttons on avoid lines`);
      const line = page.locator("li.say-line").nth(1);
      const expected = await line.getAttribute("data-line");
      const button = line.locator(".copy-button");
      const label = await button.textContent();
      await button.click();
      await page.waitForFunction((el) => el.classList.contains("is-copied"), await button.elementHandle());
      const copiedLabel = await page.getAttribute("body", "data-copied");
      assert((await button.textContent()) === copiedLabel, `button says "${await button.textContent()}"`);
      const clip = await page.evaluate(() => navigator.clipboard.readText());
      assert(clip === expected, `clipboard holds "${clip}", expected "${expected}"`);
      await page.waitForFunction((el) => !el.classList.contains("is-copied"), await button.elementHandle(), { timeout: 4000 });
      assert((await button.textContent()) === label, "the copied state did not end");
      // The finder's buttons too.
      await page.goto(server.url("phrases/index.html"));
      const finderLine = page.locator(".finder-entry li.say-line").first();
      const finderExpected = await finderLine.getAttribute("data-line");
      await finderLine.locator(".copy-button").click();
      await page.waitForFunction(() => document.querySelector(".copy-button.is-copied"));
      const finderClip = await page.evaluate(() => navigator.clipboard.readText());
      assert(finderClip === finderExpected, `finder: clipboard "${finderClip}"`);
      await ctx.close();
    });

    await check("a11y tree: copy buttons name their line, a keyboard copy is announced, never-say lines read as such", async () => {
      const ctx = await browser.newContext({ viewport: { width: 1280, height: 860 } });
      await ctx.grantPermissions(["clipboard-read", "clipboard-write"], { origin: server.origin });
      const page = await newPage(ctx, { url: server.url("phone-phrases.html") });
      const copyWord = await page.getAttribute("body", "data-copy");
      const copiedWord = await page.getAttribute("body", "data-copied");
      const line = page.locator("li.say-line").first();
      const expected = await line.getAttribute("data-line");
      const named = page.getByRole("button", { name: `${copyWord}：${expected.slice(0, 6)}`, exact: false });
      assert((await named.count()) >= 1, `no button named "${copyWord}：${expected.slice(0, 6)}…"`);
      // Keyboard only: Tab until the first copy button has focus, then Enter.
      let focused = false;
      for (let i = 0; i < 80 && !focused; i++) {
        await page.keyboard.press("Tab");
        focused = await line.locator(".copy-button").evaluate((b) => b === document.activeElement);
      }
      assert(focused, "Tab never reached the first copy button");
      await page.keyboard.press("Enter");
      const status = page.getByRole("status").filter({ hasText: copiedWord });
      await status.first().waitFor({ state: "attached", timeout: STEP_TIMEOUT });
      const live = await status.first().getAttribute("aria-live");
      assert(live === "polite", `the status region is aria-live="${live}"`);
      const clip = await page.evaluate(() => navigator.clipboard.readText());
      assert(clip === expected, `clipboard holds "${clip}", expected "${expected}"`);
      // Struck-through lines: the accessibility tree says "never say" before the line.
      const avoid = page.locator(".entry-script li.avoid-line").first();
      const struck = await avoid.locator("del").textContent();
      const never = (await page.locator(".entry-script .label-avoid").first().textContent()).trim();
      const tree = await avoid.ariaSnapshot();
      assert(tree.includes(`${never}：`) && tree.includes(struck), `avoid line reads as: ${tree}`);
      await ctx.close();
    });

    await check("a11y tree: search counts, no results, an empty finder and drill feedback are status regions that say it", async () => {
      /** The accessibility tree's text of the status regions on the page now. */
      const statuses = async (page) => {
        const regions = page.getByRole("status");
        const texts = [];
        for (let i = 0; i < await regions.count(); i++) texts.push(await regions.nth(i).ariaSnapshot());
        return texts.join("\n");
      };
      const page = await newPage(context, { url: server.url("index.html") });
      await search(page, "客服");
      const total = await page.$eval(".search-summary", (s) => s.textContent.match(/共 (\d+) 条/)[1]);
      await page.waitForFunction(() => !document.querySelector(".search-status").hidden);
      let tree = await statuses(page);
      assert(tree.includes(`共 ${total} 条`), `the search count is not in a status region: ${tree}`);
      await search(page, "zzqxj");
      const noResults = await page.getAttribute("#search-input", "data-no-results");
      await page.waitForFunction((t) => document.querySelector(".search-status").textContent.includes(t), noResults);
      tree = await statuses(page);
      assert(tree.includes(noResults), `"${noResults}" is not in a status region: ${tree}`);

      await page.goto(server.url("phrases/index.html"));
      await page.fill("#finder-text", "zzqxj");
      await page.waitForSelector(".finder-empty:not([hidden])");
      const none = (await page.textContent(".finder-empty")).trim();
      tree = await statuses(page);
      assert(tree.includes(none), `the finder's "${none}" is not in a status region: ${tree}`);

      await page.goto(server.url("practice.html"));
      const script = practiceData.tables.find((t) => t.kind === "script" && t.entries.filter((e) => e.avoid.length).length >= 3);
      await chooseOnly(page, script.id);
      const situation = (await page.textContent(".practice-heading")).trim();
      const options = await page.$$eval(".practice-option-text", (els) => els.map((e) => e.textContent));
      const entry = script.entries.find((e) => e.situation === situation && options.some((o) => e.say.includes(o)));
      const wrong = options.findIndex((o) => !entry.say.includes(o));
      const right = options.find((o) => entry.say.includes(o));
      await page.click(`.practice-option >> nth=${wrong}`);
      await page.waitForSelector(".practice-feedback:not([hidden])");
      tree = await statuses(page);
      const verdict = (await page.textContent(".practice-feedback .practice-verdict")).trim();
      assert(tree.includes(verdict), `the verdict "${verdict}" is not in a status region: ${tree}`);
      assert(tree.includes(right), `the right line "${right}" is not in a status region: ${tree}`);
      await page.close();
    });

    await check("keyboard: a script round and a tactics round of the drill, right and wrong, announced", async () => {
      const ctx = await browser.newContext({ viewport: { width: 1280, height: 860 } });
      const page = await newPage(ctx, { url: server.url("practice.html") });
      const script = practiceData.tables.find((t) => t.kind === "script" && t.entries.filter((e) => e.avoid.length).length >= 3);
      await chooseOnlyByKeyboard(page, script.id);
      for (const [round, right] of [[0, true], [1, false]]) {
        const situation = (await page.textContent(".practice-heading")).trim();
        const options = await page.$$eval(".practice-option-text", (els) => els.map((e) => e.textContent));
        const entry = script.entries.find((e) => e.situation === situation && options.some((o) => e.say.includes(o)));
        assert(entry, `no entry for "${situation}"`);
        const index = options.findIndex((o) => entry.say.includes(o) === right);
        const result = await answerByKeyboard(page, index, round === 1);
        assert(result.verdict.includes(right ? "is-right" : "is-wrong"), `script: verdict ${result.verdict}`);
        const rightLine = options.find((o) => entry.say.includes(o));
        assert(right || result.feedback.includes(rightLine), `script: the right line is not in the feedback: ${result.feedback}`);
        assert(result.nextFocused, "script: focus is not on Next");
        await page.keyboard.press("Enter");
        await page.waitForSelector(".practice-question .practice-option, .practice-final");
      }
      await page.goto(server.url("practice.html"));
      const tactics = practiceData.tables.find((t) => t.kind === "tactics");
      await chooseOnlyByKeyboard(page, tactics.id);
      for (const [round, right] of [[0, false], [1, true]]) {
        const q = await tacticQuestion(page, tactics);
        const index = right ? q.right : (q.right + 1) % q.options.length;
        const result = await answerByKeyboard(page, index, round === 0);
        assert(result.verdict.includes(right ? "is-right" : "is-wrong"), `tactics: verdict ${result.verdict}`);
        assert(right || result.feedback.includes(q.entry.name), `tactics: the right tactic is not in the feedback: ${result.feedback}`);
        assert(result.nextFocused, "tactics: focus is not on Next");
        await page.keyboard.press("Enter");
        await page.waitForSelector(".practice-question .practice-option, .practice-final");
      }
      await ctx.close();
    });

    await check("keyboard: the finder's text, table and tag filters", async () => {
      const page = await newPage(context, { url: server.url("phrases/index.html") });
      const total = await page.locator(".finder-entry:visible").count();
      await tabTo(page, "#finder-text");
      await page.keyboard.type("运费");
      await page.waitForFunction(() => [...document.querySelectorAll(".finder-entry")].some((e) => e.hidden));
      const byText = await page.locator(".finder-entry:visible").count();
      assert(byText > 0 && byText < total, `text filter: ${byText} of ${total} entries`);
      await page.keyboard.press("Control+A");
      await page.keyboard.press("Backspace");
      await page.waitForFunction((n) => document.querySelectorAll(".finder-entry:not([hidden])").length >= n, total);
      await tabTo(page, "#finder-table");
      const second = await page.$eval("#finder-table", (s) => s.options[1].value);
      await page.keyboard.press("ArrowDown");
      await page.waitForFunction((id) => [...document.querySelectorAll(".finder-group")]
        .every((g) => g.hidden === (g.dataset.table !== id)), second, { timeout: STEP_TIMEOUT });
      await page.keyboard.press("ArrowUp");
      await page.waitForFunction(() => [...document.querySelectorAll(".finder-group")].every((g) => !g.hidden), null, { timeout: STEP_TIMEOUT });
      const tags = await page.$$eval("#finder-tag option", (os) => os.map((o) => o.value).filter(Boolean));
      if (tags.length) {
        await tabTo(page, "#finder-tag");
        await page.keyboard.press("ArrowDown");
        const tag = await page.$eval("#finder-tag", (s) => s.value);
        assert(tag === tags[0], `ArrowDown chose the tag "${tag}"`);
        await page.waitForFunction((t) => [...document.querySelectorAll(".finder-group")]
          .every((g) => g.hidden === !(g.dataset.tags || "").split("|").includes(t)), tag, { timeout: STEP_TIMEOUT });
      }
      await page.close();
    });

    await check("finder: filtering by text, table and tag hides what does not match", async () => {
      const page = await newPage(context, { url: server.url("phrases/index.html") });
      const total = await page.locator("li.say-line:visible").count();
      const word = "运费";
      await page.fill("#finder-text", word);
      await page.waitForFunction(() => [...document.querySelectorAll(".finder-entry")].some((e) => e.hidden));
      const state = await page.evaluate((w) => {
        const visible = [...document.querySelectorAll(".finder-lines li")].filter((li) => li.getClientRects().length);
        const bad = visible.filter((li) => !li.textContent.includes(w)
          && !li.closest(".finder-entry").querySelector(".finder-situation").textContent.includes(w));
        return {
          visible: visible.length,
          bad: bad.map((li) => li.textContent),
          groups: [...document.querySelectorAll(".finder-group")].filter((g) => !g.hidden).length,
          marks: document.querySelectorAll(".finder-lines mark").length,
        };
      }, word);
      assert(state.visible > 0 && state.visible < total, `${state.visible} of ${total} lines visible`);
      assert(state.bad.length === 0, `lines without ${word}: ${state.bad.slice(0, 3).join(" | ")}`);
      assert(state.marks > 0, "matches are not highlighted");
      // Table filter.
      await page.fill("#finder-text", "");
      const tableId = await page.getAttribute(".finder-group", "data-table");
      await page.selectOption("#finder-table", tableId);
      await page.waitForFunction((id) => [...document.querySelectorAll(".finder-group")]
        .every((g) => g.hidden === (g.dataset.table !== id)), tableId);
      // Tag filter.
      await page.selectOption("#finder-table", "");
      const tags = await page.$$eval("#finder-tag option", (os) => os.map((o) => o.value).filter(Boolean));
      if (tags.length) {
        await page.selectOption("#finder-tag", tags[0]);
        await page.waitForFunction((tag) => [...document.querySelectorAll(".finder-group")]
          .every((g) => g.hidden === !(g.dataset.tags || "").split("|").includes(tag)), tags[0]);
        await page.selectOption("#finder-tag", "");
      }
      // Nothing matches: the empty message.
      await page.fill("#finder-text", "zzqxj");
      await page.waitForSelector(".finder-empty", { state: "visible" });
      assert((await page.locator(".finder-group:visible").count()) === 0, "groups still shown");
      await page.fill("#finder-text", "");
      await page.waitForSelector(".finder-empty", { state: "hidden" });
      assert((await page.locator("li.say-line:visible").count()) === total, "clearing the filter did not show everything");
      // The filters live in the address; a plain #anchor is left alone.
      await page.fill("#finder-text", word);
      await page.waitForFunction(() => location.hash.startsWith("#q="));
      await page.goto(server.url("index.html"));
      await page.goto(server.url(`phrases/index.html#q=${encodeURIComponent(word)}`));
      assert((await page.inputValue("#finder-text")) === word, "the filter is not restored from the address");
      assert((await page.locator("li.say-line:visible").count()) < total, "the restored filter hides nothing");
      await page.goto(server.url(`phrases/index.html#finder-${tableId}`));
      await page.waitForTimeout(100);
      assert(new URL(page.url()).hash === `#finder-${tableId}`, `the anchor became ${page.url()}`);
      await page.close();
    });

    await check("codes: each say line shows its code; typing a code in the finder finds its line", async () => {
      const page = await newPage(context, { url: server.url("phone-phrases.html") });
      const onTable = await page.evaluate(() => [...document.querySelectorAll("li.say-line")].map((li) => {
        const code = li.querySelector(".say-code code");
        return { code: code ? code.textContent : "", shown: !!code && code.getClientRects().length > 0 };
      }));
      assert(onTable.length > 0 && onTable.every((l) => l.code && l.shown), "a say line on a table page without a visible code");
      await page.goto(server.url("phrases/index.html"));
      const lines = await page.evaluate(() => [...document.querySelectorAll(".finder-entry li.say-line")].map((li) => {
        const code = li.querySelector(".say-code code");
        const label = li.querySelector(".say-code .visually-hidden");
        return {
          line: li.dataset.line,
          code: code ? code.textContent : "",
          label: label ? label.textContent : "",
          title: code ? code.title : "",
        };
      }));
      const codes = lines.map((l) => l.code);
      assert(lines.length > 50 && codes.every((c) => /^[a-z0-9-]{1,16}$/.test(c)), `codes: ${codes.slice(0, 5).join(" ")}…`);
      assert(new Set(codes).size === codes.length, "two say lines share a code");
      assert(lines.every((l) => l.label && l.label.startsWith(l.title) && l.title), "a code without its label");
      // A derived code with its own alternatives (`x` and `x-2`): typing `x` keeps both.
      const target = lines.find((l) => codes.includes(l.code + "-2")) || lines[10];
      await page.fill("#finder-text", target.code);
      await page.waitForFunction(() => [...document.querySelectorAll(".finder-entry")].some((e) => e.hidden));
      const state = await page.evaluate((code) => {
        const visible = [...document.querySelectorAll(".finder-lines li.say-line")].filter((li) => li.getClientRects().length);
        return {
          lines: visible.map((li) => li.dataset.line),
          codes: visible.map((li) => li.querySelector(".say-code code").textContent),
          marked: visible.map((li) => (li.querySelector(".say-code mark") || {}).textContent || ""),
          text: visible.map((li) => li.querySelector(".line-text").textContent),
        };
      }, target.code);
      assert(state.lines.includes(target.line), `typing ${target.code} hides its line`);
      assert(state.codes.every((c) => c.includes(target.code)), `other lines shown: ${state.codes.join(" ")}`);
      assert(state.marked.every((m) => m === target.code), "the code typed is not highlighted");
      assert(state.text.includes(target.line), "the line's text is no longer whole");
      await page.fill("#finder-text", target.code.toUpperCase());
      await page.waitForFunction((n) => document.querySelectorAll(".finder-lines li.say-line:not([hidden])").length === n,
        state.lines.length);
      await page.close();
    });

    await check("finder: the download list names each tool and every link resolves", async () => {
      const page = await newPage(context, { url: server.url("phrases/index.html") });
      const items = await page.$$eval(".download-list li", (lis) => lis.map((li) => ({
        tool: li.querySelector("a").textContent,
        href: li.querySelector("a").href,
        how: li.textContent.slice(li.querySelector("a").textContent.length).trim(),
      })));
      const tools = ["千牛", "Excel", "CSV", "Zendesk", "Chatwoot", "Zammad", "JSON"];
      assert(JSON.stringify(items.map((i) => i.tool)) === JSON.stringify(tools), `tools: ${items.map((i) => i.tool)}`);
      for (const item of items) {
        assert(item.how.length > 10, `${item.tool}: no sentence on how to import it`);
        const got = await page.evaluate(async (href) => {
          const response = await fetch(href);
          const bytes = new Uint8Array(await response.arrayBuffer());
          let json = null;
          if (href.endsWith(".json")) {
            try { json = JSON.parse(new TextDecoder().decode(bytes)); } catch (e) { json = String(e); }
          }
          return { ok: response.ok, size: bytes.length, isArray: Array.isArray(json), json: typeof json === "string" ? json : null };
        }, item.href);
        assert(got.ok && got.size > 100, `${item.tool}: ${item.href} gave ${got.ok ? got.size + " bytes" : "an error"}`);
        if (item.href.endsWith(".json")) assert(got.isArray, `${item.tool}: not a JSON array (${got.json})`);
      }
      await page.close();
    });

    await check("practice: one right and one wrong answer are scored, progress is kept", async () => {
      const ctx = await browser.newContext({ viewport: { width: 1280, height: 860 } });
      const page = await newPage(ctx, { url: server.url("practice.html") });
      await page.waitForSelector(".practice-setup");
      const boxes = await page.locator(".practice-tables input[type=checkbox]").count();
      assert(boxes === practiceData.tables.length, `${boxes} table checkboxes for ${practiceData.tables.length} tables`);
      assert(await page.locator(".practice-tables input:checked").count() === boxes, "not every table is chosen by default");
      // Practise one table only.
      const table = practiceData.tables.find((t) => t.kind === "script" && t.entries.filter((e) => e.avoid.length).length >= 3);
      await page.click(".practice-select-all .button-secondary >> nth=1"); // none
      await page.check(`.practice-tables input[value="${table.id}"]`);
      await page.click(".practice-setup button[type=submit]");

      const answer = async (right) => {
        await page.waitForSelector(".practice-question");
        const situation = (await page.textContent(".practice-heading")).trim();
        const options = await page.$$eval(".practice-option-text", (els) => els.map((e) => e.textContent));
        const entry = table.entries.find((e) => e.situation === situation && options.some((o) => e.say.includes(o)));
        assert(entry, `no entry of ${table.id} for "${situation}"`);
        assert(options.length >= 2 && options.length <= 4, `${options.length} options`);
        assert(options.filter((o) => entry.say.includes(o)).length === 1, "not exactly one right option");
        for (const line of entry.avoid.slice(0, 3)) {
          assert(options.includes(line), `the entry's own avoid line "${line}" is not offered`);
        }
        const index = options.findIndex((o) => entry.say.includes(o) === right);
        await page.click(`.practice-option >> nth=${index}`);
        await page.waitForSelector(".practice-feedback:not([hidden])");
        const verdict = await page.getAttribute(".practice-verdict", "class");
        assert(verdict.includes(right ? "is-right" : "is-wrong"), `verdict ${verdict} for a ${right ? "right" : "wrong"} answer`);
        if (entry.why) {
          assert((await page.textContent(".practice-feedback .why")).includes(entry.why), "the why is not shown");
        }
        return page.textContent(".practice-score-line");
      };
      const first = await answer(true);
      assert(/1 \/ 1/.test(first), `after one right answer: ${first}`);
      assert(await page.evaluate(() => document.activeElement.classList.contains("practice-next")), "focus is not on Next");
      await page.keyboard.press("Enter");
      const second = await answer(false);
      assert(/1 \/ 2/.test(second), `after a right and a wrong answer: ${second}`);
      await page.click(".practice-next");
      // Finish the round with right answers.
      const total = await page.evaluate(() => Number(/\/\s*(\d+)/.exec(document.querySelector(".practice-progress").textContent)[1]));
      for (let i = 3; i <= total; i++) {
        await answer(true);
        await page.click(".practice-next");
      }
      await page.waitForSelector(".practice-final");
      const final = await page.textContent(".practice-final");
      assert(final.includes(`${total - 1} / ${total}`), `final score "${final}" for ${total} questions`);
      const stored = await page.evaluate(() => Object.entries(localStorage).filter(([k]) => k.startsWith("handbook-practice:")));
      assert(stored.length === 1 && stored[0][0].includes("网店客服培训手册"), `storage keys ${stored.map((s) => s[0])}`);
      const saved = JSON.parse(stored[0][1]);
      const counts = Object.values(saved.entries).reduce((a, c) => [a[0] + c[0], a[1] + c[1]], [0, 0]);
      assert(counts[0] === total - 1 && counts[1] === 1, `stored counts ${counts}`);
      await page.reload();
      await page.waitForSelector(".practice-last");
      assert((await page.textContent(".practice-last")).includes(`${total - 1} / ${total}`), "last score not shown after reload");
      assert(await page.isChecked(`.practice-tables input[value="${table.id}"]`), "table choice not kept");
      await page.click(".practice-reset");
      await page.waitForFunction(() => !Object.keys(localStorage).some((k) => k.startsWith("handbook-practice:")));
      await ctx.close();
    });

    await check("practice: every table, whatever its kind, can be chosen", async () => {
      const page = await newPage(context, { url: server.url("practice.html") });
      await page.waitForSelector(".practice-setup");
      const kinds = new Set(practiceData.tables.map((t) => t.kind));
      assert(kinds.size === 3, `the data has kinds ${[...kinds]}`);
      const enabled = await page.locator(".practice-tables input:not([disabled])").count();
      assert(enabled === practiceData.tables.length && enabled >= 12, `${enabled} of ${practiceData.tables.length} tables selectable`);
      assert(!STRAY.test(await page.innerText("body")), "stray text on the set-up");
      await page.close();
    });

    await check("practice: a procedure by keyboard only (picks, undo, a wrong then a right order), progress on the start screen", async () => {
      const ctx = await browser.newContext({ viewport: { width: 1280, height: 860 } });
      await ctx.addInitScript(recordStatuses);
      const page = await newPage(ctx, { url: server.url("practice.html") });
      const table = practiceData.tables.find((t) => t.kind === "steps");
      await chooseOnly(page, table.id);
      await page.waitForSelector(".practice-steps");
      const titles = table.entries.map((e) => e.title);
      // Tab from the heading reaches the first step; Enter picks it.
      await page.keyboard.press("Tab");
      assert(await focusedIs(page, ".practice-step"), "Tab does not reach a step button");
      const shown = await page.$$eval(".practice-step", (bs) => bs.map((b) => b.textContent));
      assert(JSON.stringify([...shown].sort()) === JSON.stringify([...titles].sort()), `steps offered: ${shown}`);
      assert(JSON.stringify(shown) !== JSON.stringify(titles), "the steps are offered in order");
      await page.keyboard.press("Enter");
      await page.keyboard.press("Enter");
      assert((await page.locator(".practice-order li").count()) === 2, "two picks are not listed");
      await page.waitForFunction((t) => window.said.some((s) => s.includes(t)), shown[1]);
      // Undo, by keyboard: focus goes back to the step taken back.
      for (let i = 0; i < 30 && !(await focusedIs(page, ".practice-undo")); i++) await page.keyboard.press("Tab");
      await page.keyboard.press("Enter");
      assert((await page.locator(".practice-order li").count()) === 1, "undo did not take the last pick back");
      assert((await page.evaluate(() => document.activeElement.textContent)) === shown[1], "focus is not on the step taken back");
      // The rest in the order shown: a wrong order; the last pick moves focus to Check.
      for (let i = 1; i < shown.length; i++) await page.keyboard.press("Enter");
      assert(await focusedIs(page, ".practice-check"), "focus is not on Check after the last pick");
      await page.keyboard.press("Enter");
      await page.waitForSelector(".practice-feedback:not([hidden])");
      const wrong = await stepsResult(page);
      assert(wrong.verdict.includes("is-wrong"), `verdict ${wrong.verdict} for a wrong order`);
      assert(JSON.stringify(wrong.rightOrder) === JSON.stringify(titles), `the right order shown: ${wrong.rightOrder}`);
      assert(wrong.goals === table.entries.filter((e) => e.goal).length, `${wrong.goals} goals shown`);
      const misplaced = shown.filter((t, i) => titles[i] !== t).length;
      assert(wrong.yours === misplaced && wrong.wrongMarks === misplaced, `${wrong.yours} / ${wrong.wrongMarks} marked wrong, ${misplaced} misplaced`);
      assert(!STRAY.test(wrong.text), `stray text: ${wrong.text}`);
      assert(await focusedIs(page, ".practice-next"), "focus is not on the button to go on");
      await page.keyboard.press("Enter");
      await page.waitForSelector(".practice-end");
      assert(!STRAY.test(await page.innerText("body")), "stray text at the end");
      for (let i = 0; i < 10 && !(await focusedIs(page, ".practice-end .button-secondary")); i++) await page.keyboard.press("Tab");
      await page.keyboard.press("Enter");
      await page.waitForSelector(".practice-setup");
      const stats = await page.textContent(`.practice-table[data-table="${table.id}"] .practice-table-stats`);
      assert(/0\D+1/.test(stats), `the start screen says "${stats}" after one wrong answer`);
      // Again, in the right order, by keyboard (Tab / Shift+Tab to each step).
      await page.click(".practice-setup button[type=submit]");
      await page.waitForSelector(".practice-steps");
      await page.keyboard.press("Tab");
      for (const title of titles) await focusStep(page, title);
      assert(await focusedIs(page, ".practice-check"), "focus is not on Check");
      await page.keyboard.press("Enter");
      await page.waitForSelector(".practice-feedback:not([hidden])");
      const right = await stepsResult(page);
      assert(right.verdict.includes("is-right") && right.yours === 0 && right.wrongMarks === 0, `right order: ${JSON.stringify(right)}`);
      assert(!STRAY.test(right.text), `stray text: ${right.text}`);
      assert(!page.jsErrors.length, page.jsErrors.join("; "));
      await ctx.close();
    });

    await check("practice: a tactics round, right and wrong; the wrong ones come first next round", async () => {
      const ctx = await browser.newContext({ viewport: { width: 1280, height: 860 } });
      const page = await newPage(ctx, { url: server.url("practice.html") });
      const table = practiceData.tables.find((t) => t.kind === "tactics");
      await chooseOnly(page, table.id);
      const missed = [];
      let n = 0;
      for (; n < 12 && !(await page.$(".practice-end")); n++) {
        const q = await tacticQuestion(page, table);
        const right = n % 3 === 0;
        if (!right) missed.push(q.entry.name);
        await page.click(`.practice-option >> nth=${right ? q.right : (q.right + 1) % q.options.length}`);
        await page.waitForSelector(".practice-feedback:not([hidden])");
        const feedback = await page.innerText(".practice-feedback");
        assert((await page.getAttribute(".practice-verdict", "class")).includes(right ? "is-right" : "is-wrong"), "verdict");
        assert(feedback.includes(q.entry.how) && (!q.entry.risk || feedback.includes(q.entry.risk)), `how or risk missing: ${feedback}`);
        assert(right || feedback.includes(q.entry.name), "the right tactic is not named");
        assert(!STRAY.test(await page.innerText("body")), `stray text: ${feedback}`);
        await page.click(".practice-next");
      }
      await page.waitForSelector(".practice-end");
      assert(!STRAY.test(await page.innerText("body")), "stray text at the end");
      await page.click(".practice-end .button-secondary");
      const stats = await page.textContent(`.practice-table[data-table="${table.id}"] .practice-table-stats`);
      assert(stats.includes(`${n - missed.length} / ${n}`), `the start screen says "${stats}" after ${n - missed.length} of ${n}`);
      await page.click(".practice-setup button[type=submit]");
      const first = [];
      for (let i = 0; i < missed.length; i++) {
        const q = await tacticQuestion(page, table);
        first.push(q.entry.name);
        await page.click(`.practice-option >> nth=${q.right}`);
        await page.click(".practice-next");
      }
      assert(JSON.stringify([...first].sort()) === JSON.stringify([...missed].sort()), `first next round: ${first}; missed: ${missed}`);
      assert(!page.jsErrors.length, page.jsErrors.join("; "));
      await ctx.close();
    });

    await check("practice: a round of all three kinds shows no stray text", async () => {
      const ctx = await browser.newContext({ viewport: { width: 1280, height: 860 } });
      const page = await newPage(ctx, { url: server.url("practice.html") });
      await page.waitForSelector(".practice-setup");
      await page.click(".practice-setup button[type=submit]");
      const kinds = new Set();
      for (let i = 0; i < 12 && !(await page.$(".practice-end")); i++) {
        await page.waitForSelector(".practice-question");
        if (await page.$(".practice-steps")) {
          kinds.add("steps");
          for (let j = await page.locator(".practice-step").count(); j > 0; j--) await page.click(".practice-step:visible >> nth=0");
          await page.click(".practice-check");
        } else {
          kinds.add("choice");
          await page.click(`.practice-option >> nth=${i % 2}`);
        }
        await page.waitForSelector(".practice-feedback:not([hidden])");
        const text = await page.innerText("body");
        assert(!STRAY.test(text), `stray text: ${STRAY.exec(text)}`);
        await page.click(".practice-next");
      }
      assert(await page.$(".practice-end") && kinds.has("choice"), "the round did not end");
      assert(!page.jsErrors.length, page.jsErrors.join("; "));
      await ctx.close();
    });

    await check("finder: a filter link opened in a tab already showing the finder applies it", async () => {
      const page = await newPage(context, { url: server.url("phrases/index.html") });
      const tableId = await page.getAttribute(".finder-group >> nth=1", "data-table");
      const visibleGroups = () => page.$$eval(".finder-group", (gs) => gs.filter((g) => !g.hidden).map((g) => g.dataset.table));
      await page.evaluate((id) => { location.hash = "table=" + id; }, tableId);
      await page.waitForFunction((id) => document.querySelector("#finder-table").value === id, tableId);
      await page.waitForFunction((id) => [...document.querySelectorAll(".finder-group")].every((g) => g.hidden === (g.dataset.table !== id)), tableId);
      // Another link: the words given, the table it leaves out cleared.
      await page.evaluate(() => { location.hash = "q=" + encodeURIComponent("运费"); });
      await page.waitForFunction(() => document.querySelector("#finder-text").value === "运费" && document.querySelector("#finder-table").value === "");
      await page.waitForFunction(() => [...document.querySelectorAll(".finder-entry")].some((e) => e.hidden));
      const groups = await visibleGroups();
      assert(groups.length > 1, `only ${groups} shown for 运费 in every table`);
      // A plain anchor changes nothing.
      await page.evaluate(() => { location.hash = "main"; });
      await page.waitForTimeout(200);
      assert((await page.inputValue("#finder-text")) === "运费", "a plain #anchor cleared the filter");
      assert(!page.jsErrors.length, page.jsErrors.join("; "));
      await page.close();
    });

    await check("requests: no page asks for a missing file (favicon included), at the root and under a sub-path", async () => {
      const page = await newPage(context);
      const failed = [];
      page.on("requestfailed", (r) => {
        // Aborted: cut short by the next navigation (the icon often is), not missing.
        const error = (r.failure() && r.failure().errorText) || "";
        if (!/ERR_ABORTED/.test(error)) failed.push(`${r.url()} ${error}`);
      });
      page.on("response", (r) => { if (r.status() >= 400) failed.push(`${r.url()} ${r.status()}`); });
      const files = htmlFiles(siteDir);
      for (const file of files) {
        await page.goto(server.url(file), { waitUntil: "networkidle" });
        const icon = await page.evaluate(() => {
          const link = document.querySelector('link[rel="icon"]');
          return link && { raw: link.getAttribute("href"), href: link.href };
        });
        assert(icon && !icon.raw.startsWith("/"), `${file}: no relative icon link (${icon && icon.raw})`);
        const ok = await page.evaluate((href) => fetch(href).then((r) => r.ok && r.headers.get("content-type")), icon.href);
        assert(ok, `${file}: its icon ${icon.href} does not load`);
      }
      for (const file of ["index.html", "complaints.html", "practice.html", "phrases/index.html"]) {
        await page.goto(server.subUrl(file), { waitUntil: "networkidle" });
        await page.evaluate(() => fetch(document.querySelector('link[rel="icon"]').href).then((r) => { if (!r.ok) throw new Error(r.url); }));
      }
      // From file://, the icon is a file beside the page's.
      await page.goto(pathToFileURL(path.join(siteDir, "phrases/index.html")).href);
      const local = await page.evaluate(() => document.querySelector('link[rel="icon"]').href);
      assert(fs.existsSync(new URL(local)), `from file:// the icon is ${local}`);
      assert(failed.length === 0, `failed requests: ${failed.slice(0, 5).join(" | ")}`);
      assert(files.length > 30, `only ${files.length} pages`);
      await page.close();
    });

    await check("scripts: the finder's and the drill's are named and loaded only on their pages", async () => {
      const named = new Map(htmlFiles(siteDir).map((file) => [file, scriptsNamed(fs.readFileSync(path.join(siteDir, file), "utf8"))]));
      for (const [file, scripts] of named) {
        const expected = file === "print.html" ? [] : ["handbook.js", "search.js", "marks.js"]
          .concat(file === "phrases/index.html" ? ["finder.js"] : [], file === "practice.html" ? ["practice.js"] : []);
        assert(JSON.stringify(scripts) === JSON.stringify(expected), `${file} names ${scripts.join(", ") || "no script"}`);
      }
      const page = await newPage(context);
      const loaded = [];
      page.on("request", (r) => {
        const m = /\/static\/([\w-]+\.js)$/.exec(r.url());
        if (m) loaded.push(m[1]);
      });
      for (const file of ["index.html", "complaints.html", "phone-phrases.html", "404.html", "phrases/index.html", "practice.html"]) {
        loaded.length = 0;
        await page.goto(server.url(file), { waitUntil: "load" });
        assert(JSON.stringify(loaded.sort()) === JSON.stringify([...named.get(file)].sort()), `${file} loads ${loaded.join(", ")}`);
      }
      assert(!page.jsErrors.length, page.jsErrors.join("; "));
      await page.close();
    });

    await check("scripts: a page naming only handbook.js (an older theme's base.html) still searches, filters and drills", async () => {
      const page = await newPage(context);
      await rewritePages(page, (html) => html.replace(/<script src="[^"]*static\/(search|finder|practice)\.js" defer><\/script>\n?/g, "")
        .replace(/<script src="[^"]*(updates|static\/marks)\.js" defer[^>]*><\/script>\n?/g, ""));
      await page.goto(server.url("phrases/index.html"));
      const named = await page.evaluate(() => [...document.querySelectorAll("script[src][defer]")].map((s) => s.src.split("/").pop()));
      assert(JSON.stringify(named) === JSON.stringify(["handbook.js"]), `the page names ${named}`);
      const results = await search(page, "退货");
      assert(results.length > 0, "no search results");
      await page.fill("#finder-text", "运费");
      await page.waitForFunction(() => [...document.querySelectorAll(".finder-entry")].some((e) => e.hidden));
      const once = await page.evaluate(() => ({
        status: document.querySelectorAll(".search-status").length,
        buttons: document.querySelectorAll(".copy-button").length,
        say: document.querySelectorAll("li.say-line").length,
      }));
      assert(once.status === 1 && once.buttons === once.say, `the scripts ran more than once: ${JSON.stringify(once)}`);
      await page.goto(server.url("practice.html"));
      await page.waitForSelector(".practice-setup");
      assert((await page.locator(".practice-setup").count()) === 1, "two drills");
      assert(!page.jsErrors.length, page.jsErrors.join("; "));
      await page.close();
    });

    await check("strings: copy buttons, the search box and the drill show the strings the template emitted", async () => {
      const ctx = await browser.newContext({ viewport: { width: 1280, height: 860 } });
      await ctx.grantPermissions(["clipboard-read", "clipboard-write"], { origin: server.origin });
      await ctx.addInitScript(recordStatuses);
      const page = await newPage(ctx);
      await rewritePages(page, markStrings);
      const warnings = [];
      page.on("console", (m) => { if (m.type() === "warning") warnings.push(m.text()); });

      await page.goto(server.url("phone-phrases.html"));
      const button = page.locator("li.say-line .copy-button").first();
      assert((await button.textContent()) === "‹copy›", `the copy button says "${await button.textContent()}"`);
      const label = await button.getAttribute("aria-label");
      assert(label.startsWith("‹copy›‹colon›"), `the copy button's label "${label}"`);
      await button.click();
      await page.waitForFunction(() => document.querySelector(".copy-button.is-copied"));
      assert((await button.textContent()) === "‹copied›", `the copied button says "${await button.textContent()}"`);
      await page.waitForFunction(() => window.said.includes("‹copied›"));

      // An index slow to load: the box says it is loading.
      await page.route(/\/search\/index\.js$/, async (route) => {
        await new Promise((done) => setTimeout(done, 500));
        await route.continue();
      });
      await search(page, "zzqxj");
      assert((await page.textContent(".search-status")) === "‹no-results›", `no results: "${await page.textContent(".search-status")}"`);
      await search(page, "快递 赔付");
      const count = await page.locator(".search-result").count();
      assert((await page.textContent(".search-status")) === `‹results›${count}`, `results: "${await page.textContent(".search-status")}"`);
      await search(page, "退货");
      const status = await page.textContent(".search-status");
      assert(/^‹showing›10\/\d+$/.test(status), `first 10 of more: "${status}"`);
      assert((await page.textContent(".search-more")).startsWith("‹more›"), `more: "${await page.textContent(".search-more")}"`);
      await search(page, "运费险赔付");
      assert((await page.textContent(".search-status")).startsWith("‹partial›"), `partial: "${await page.textContent(".search-status")}"`);
      const only = await page.textContent(".search-result-partial");
      assert(only.startsWith("‹matchedOnly›"), `partial label: "${only}"`);
      const said = await page.evaluate(() => window.said);
      assert(said.includes("‹loading›"), `the status never said ‹loading›: ${said.join(" | ")}`);

      await page.goto(server.url("practice.html"));
      await page.waitForSelector(".practice-setup");
      const setup = await page.evaluate(() => [
        document.querySelector(".practice-tables legend").textContent,
        ...[...document.querySelectorAll(".practice-select-all button, .practice-actions button")].map((b) => b.textContent),
      ]);
      assert(JSON.stringify(setup) === JSON.stringify(["‹chooseTables›", "‹all›", "‹none›", "‹start›", "‹reset›"]), `set-up: ${setup}`);
      await page.click(".practice-select-all button >> nth=1");
      await page.click(".practice-setup button[type=submit]");
      assert((await page.textContent(".practice-message")) === "‹noQuestions›", "no questions");
      // The script tables (the other kinds have checks of their own).
      for (const table of practiceData.tables.filter((t) => t.kind === "script")) {
        await page.check(`.practice-tables input[value="${table.id}"]`);
      }
      await page.click(".practice-setup button[type=submit]");

      // A round: the first answer right, the others wrong.
      const rightIndex = () => page.evaluate((tables) => {
        const situation = document.querySelector(".practice-heading").textContent.trim();
        const options = [...document.querySelectorAll(".practice-option-text")].map((e) => e.textContent);
        const says = tables.flatMap((t) => t.entries).filter((e) => e.situation === situation).flatMap((e) => e.say);
        return options.findIndex((o) => says.includes(o));
      }, practiceData.tables);
      const round = [];
      for (let i = 0; i < 20 && !(await page.$(".practice-end")); i++) {
        await page.waitForSelector(".practice-question");
        const right = await rightIndex();
        const pick = i === 0 ? right : (right + 1) % (await page.locator(".practice-option").count());
        await page.click(`.practice-option >> nth=${pick}`);
        await page.waitForSelector(".practice-feedback:not([hidden])");
        round.push(await page.evaluate(() => {
          const text = (selector) => { const node = document.querySelector(selector); return node ? node.textContent : null; };
          return {
            progress: [...document.querySelectorAll(".practice-progress span")].map((s) => s.textContent),
            situation: text(".practice-situation-label .label"),
            marks: [...document.querySelectorAll(".practice-option .visually-hidden")].map((s) => s.textContent.trim()),
            verdict: text(".practice-verdict"),
            correct: text(".practice-correct .label"),
            why: text(".practice-feedback .why .label"),
            score: text(".practice-score-line"),
            next: text(".practice-next"),
            feedback: document.querySelector(".practice-feedback").innerText,
          };
        }));
        await page.click(".practice-next");
      }
      const n = round.length;
      assert(n > 2, `${n} questions`);
      assert(round[0].progress.join(" ") === `‹question›1/${n} ‹score›‹colon›0 / 0`, `progress: ${round[0].progress}`);
      assert(round[1].progress[1] === "‹score›‹colon›1 / 1", `running score: ${round[1].progress[1]}`);
      assert(round.every((q) => q.situation === "‹situation›"), "the situation label");
      assert(round[0].verdict === "‹right›" && round[0].correct === null, `right answer: ${JSON.stringify(round[0])}`);
      assert(round[1].verdict === "‹wrong›" && round[1].correct === "‹correctIs›", `wrong answer: ${JSON.stringify(round[1])}`);
      assert(JSON.stringify(round[0].marks) === JSON.stringify(["‹rightOption›", "‹yourChoice›"]), `marks: ${round[0].marks}`);
      assert(JSON.stringify(round[1].marks.sort()) === JSON.stringify(["‹rightOption›", "‹yourChoice›"]), `marks: ${round[1].marks}`);
      assert(round[0].score === "‹score›‹colon›1 / 1", `score line: ${round[0].score}`);
      assert(round.slice(0, -1).every((q) => q.next === "‹next›") && round[n - 1].next === "‹score›", "the next button");
      assert(round.some((q) => q.why) && round.every((q) => q.why === null || q.why === "‹why›"), "the why label");
      assert(round.every((q) => !/null|undefined/.test(q.feedback)), `feedback: ${round.map((q) => q.feedback).join(" | ")}`);

      await page.waitForSelector(".practice-end");
      const end = await page.evaluate(() => [
        document.querySelector(".practice-final").textContent,
        ...[...document.querySelectorAll(".practice-end .practice-actions button")].map((b) => b.textContent),
        document.querySelector(".practice-review h3").textContent,
      ]);
      assert(JSON.stringify(end) === JSON.stringify([`‹score›‹colon›1 / ${n}`, "‹again›", "‹chooseTablesAgain›", "‹review›"]), `end: ${end}`);
      await page.click(".practice-end .button-secondary");
      assert((await page.textContent(".practice-last")) === `‹lastScore›‹colon›1 / ${n}`, "last score");
      const stats = await page.$$eval(".practice-table-stats", (s) => s.map((x) => x.textContent));
      assert(stats.length && stats.every((t) => /^‹progress›\d+\/\d+$/.test(t)), `table stats: ${stats}`);
      await page.click(".practice-reset");
      assert((await page.textContent(".practice-message")) === "‹cleared›", "cleared");
      assert(!page.jsErrors.length, page.jsErrors.join("; "));
      assert(!warnings.length, warnings.join("; "));
      await ctx.close();
    });

    await check("print.html: every chapter title in the order of the index's contents", async () => {
      const page = await newPage(context, { url: server.url("index.html") });
      const toc = await page.$$eval(".toc a", (as) => as.map((a) => a.textContent.trim()));
      await page.goto(server.url("print.html"));
      const titles = await page.$$eval("section.print-page > .print-title", (hs) => hs.map((h) => h.textContent.trim()));
      assert(toc.length > 10, `${toc.length} entries in the index's contents`);
      assert(JSON.stringify(titles) === JSON.stringify(toc), `print titles differ from the contents:\n${titles.join(" | ")}\n${toc.join(" | ")}`);
      const printToc = await page.$$eval(".print-toc a", (as) => as.map((a) => a.textContent.trim()));
      assert(JSON.stringify(printToc) === JSON.stringify(toc), "print.html's own contents differ");
      const chrome = await page.evaluate(() => document.querySelectorAll(".site-header, .sidebar, .pager, .search, script[src]").length);
      assert(chrome === 0, "print.html has navigation chrome or scripts");
      await page.emulateMedia({ media: "print" });
      const style = await page.evaluate(() => ({
        breakBefore: getComputedStyle(document.querySelector("section.print-page")).breakBefore,
        link: getComputedStyle(document.querySelector(".print-page a[href]")).textDecorationLine,
      }));
      assert(style.breakBefore === "page", `break-before: ${style.breakBefore}`);
      assert(style.link === "none", `links are decorated: ${style.link}`);
      const pdf = await page.pdf({ format: "A4", printBackground: true });
      const pages = (pdf.toString("latin1").match(/\/Type\s*\/Page[^s]/g) || []).length;
      assert(pages >= titles.length + 2, `the PDF has ${pages} pages for ${titles.length} chapters`);
      await page.close();
    });

    await check("keyboard: ArrowRight / ArrowLeft go to the next / previous page", async () => {
      const page = await newPage(context, { url: server.url("complaints.html") });
      const next = await page.getAttribute('a[rel="next"]', "href");
      const prev = await page.getAttribute('a[rel="prev"]', "href");
      await Promise.all([page.waitForURL(server.url(next)), page.keyboard.press("ArrowRight")]);
      await Promise.all([page.waitForURL(server.url("complaints.html")), page.keyboard.press("ArrowLeft")]);
      assert(prev, "complaints.html has no previous page");
      // Not while typing, nor with a modifier.
      await page.focus("#search-input");
      await page.keyboard.press("ArrowRight");
      await page.locator("main").click({ position: { x: 5, y: 5 } });
      await page.keyboard.press("Alt+ArrowRight");
      await page.waitForTimeout(300);
      assert(page.url() === server.url("complaints.html"), `moved to ${page.url()}`);
      await page.close();
    });

    await check("accessibility: skip link, landmarks, visible focus", async () => {
      const page = await newPage(context, { url: server.url("complaints.html") });
      await page.keyboard.press("Tab");
      const skip = await page.evaluate(() => {
        const a = document.activeElement;
        const r = a.getBoundingClientRect();
        const s = getComputedStyle(a);
        return { cls: a.className, top: r.top, visible: r.bottom > 0, outline: s.outlineStyle, width: parseFloat(s.outlineWidth) };
      });
      assert(skip.cls === "skip-link" && skip.visible, `first Tab focuses ${skip.cls} (top ${skip.top})`);
      assert(skip.outline !== "none" && skip.width >= 2, `no visible focus ring on the skip link: ${skip.outline} ${skip.width}`);
      await page.keyboard.press("Enter");
      assert(await page.evaluate(() => document.activeElement.id === "main"), "the skip link does not move focus to main");
      const landmarks = await page.evaluate(() => ({
        banner: document.querySelectorAll("body > header").length,
        main: document.querySelectorAll("main").length,
        navs: [...document.querySelectorAll("nav")].map((n) => n.getAttribute("aria-label") || n.getAttribute("aria-labelledby")),
        search: document.querySelectorAll('[role="search"]').length,
      }));
      assert(landmarks.banner === 1 && landmarks.main === 1 && landmarks.search >= 1, JSON.stringify(landmarks));
      assert(landmarks.navs.every(Boolean), `a nav without a label: ${JSON.stringify(landmarks.navs)}`);
      await page.keyboard.press("Tab");
      const ring = await page.evaluate(() => {
        const s = getComputedStyle(document.activeElement);
        return s.outlineStyle !== "none" && parseFloat(s.outlineWidth) >= 2;
      });
      assert(ring, "no visible focus ring after Tab");
      await page.close();
    });

    for (const scheme of ["light", "dark"]) {
      for (const [label, viewport] of [["phone", { width: 360, height: 780 }], ["desktop", { width: 1280, height: 860 }]]) {
        await check(`axe: no violations on any page or state, ${scheme}, ${label}`, async () => {
          const phone = label === "phone";
          const ctx = await browser.newContext({ viewport, colorScheme: scheme, isMobile: phone, hasTouch: phone });
          const page = await newPage(ctx);
          const changes = updatedDir && fs.existsSync(path.join(updatedDir, "changes.html"));
          assert(!updatedDir || changes, "the updated sample, built in git, has no changes.html");
          const problems = await axeAudit(page, (p) => server.url(p), {
            tables: practiceData.tables,
            search,
            changesUrl: changes && server.url(UPDATED.slice(1) + "changes.html"),
          });
          await ctx.close();
          assert(problems.length === 0, `${problems.length} violations:\n${problems.join("\n")}`);
        }, 180000);
      }
    }

    await check("contrast: text meets WCAG AA in light and dark", async () => {
      const problems = [];
      for (const scheme of ["light", "dark"]) {
        const ctx = await browser.newContext({ viewport: { width: 1280, height: 860 }, colorScheme: scheme });
        const page = await newPage(ctx);
        for (const file of ["index.html", "complaints.html", "phone-phrases.html", "complaint-steps.html",
          "objection-tactics.html", "phrases/index.html", "print.html", "404.html"]) {
          await page.goto(server.url(file));
          for (const p of await page.evaluate(contrastProblems)) problems.push(`${scheme} ${file}: ${p}`);
        }
        // Search results with a selected result, the copied state, the practice states.
        await page.goto(server.url("index.html"));
        await search(page, "退货");
        await page.keyboard.press("ArrowDown");
        for (const p of await page.evaluate(contrastProblems)) problems.push(`${scheme} search: ${p}`);
        await page.goto(server.url("practice.html"));
        for (const p of await page.evaluate(contrastProblems)) problems.push(`${scheme} practice setup: ${p}`);
        await page.click(".practice-setup button[type=submit]");
        await page.click(".practice-option >> nth=0");
        for (const p of await page.evaluate(contrastProblems)) problems.push(`${scheme} practice answer: ${p}`);
        await ctx.close();
      }
      assert(problems.length === 0, `${problems.length} problems:\n${problems.slice(0, 12).join("\n")}`);
    });

    /** Every page of the site, then one with search results open, that is wider than
     * `limit`: each as "file (width)". */
    const widePages = async (page, limit) => {
      const wide = [];
      const files = htmlFiles(siteDir);
      assert(files.length > 20, `only ${files.length} pages`);
      for (const file of files) {
        await page.goto(server.url(file));
        const width = await page.evaluate(() => document.documentElement.scrollWidth);
        if (width > limit) wide.push(`${file} (${width}px)`);
      }
      await page.goto(server.url("complaints.html"));
      await search(page, "退货");
      const width = await page.evaluate(() => document.documentElement.scrollWidth);
      if (width > limit) wide.push(`complaints.html with search results (${width}px)`);
      return wide;
    };

    await check("360 px: no page scrolls horizontally", async () => {
      const ctx = await browser.newContext({ viewport: { width: 360, height: 780 }, isMobile: true, hasTouch: true });
      const page = await newPage(ctx);
      const wide = await widePages(page, 360);
      // And with the menu drawer open.
      await page.keyboard.press("Escape");
      await page.click(".menu-button");
      await page.waitForSelector(".tools", { state: "visible" });
      await page.waitForSelector(".sidebar", { state: "visible" });
      const width = await page.evaluate(() => document.documentElement.scrollWidth);
      if (width > 360) wide.push(`complaints.html with the menu open (${width}px)`);
      assert(wide.length === 0, wide.join(", "));
      await ctx.close();
    });

    await check("keyboard: the phone menu opens with Enter or Space, its links take focus in view, Escape or tabbing out closes it", async () => {
      const ctx = await browser.newContext({ viewport: { width: 360, height: 780 }, isMobile: true, hasTouch: true });
      const page = await newPage(ctx, { url: server.url("complaints.html") });
      // Open: the box checked and the drawer shown (it stays visible while it slides out).
      const drawerOpen = () => page.evaluate(() => document.getElementById("nav-toggle").checked
        && getComputedStyle(document.getElementById("sidebar")).visibility === "visible");
      /** The focused element: inside the viewport and the topmost element at its centre. */
      const focusInView = () => page.evaluate(() => {
        const a = document.activeElement;
        const r = a.getBoundingClientRect();
        const top = document.elementFromPoint(r.left + r.width / 2, r.top + r.height / 2);
        return { tag: `${a.tagName}.${a.className} ${a.getAttribute("href") || ""}`, inView: r.top >= 0 && r.bottom <= innerHeight && r.left >= 0 && r.right <= innerWidth, onTop: !!top && a.contains(top) };
      });
      const settled = () => page.waitForFunction(() => document.getElementById("sidebar").getBoundingClientRect().left >= 0, null, { timeout: 3000 });

      await tabTo(page, "#nav-toggle");
      const ring = await page.evaluate(() => getComputedStyle(document.querySelector(".menu-button")).outlineStyle);
      assert(ring !== "none", "the menu button shows no focus ring while its checkbox has focus");
      assert(!(await drawerOpen()), "the drawer is open before the menu is pressed");
      await page.keyboard.press("Enter");
      assert(await drawerOpen(), "Enter on the menu button does not open the drawer");
      await settled();
      await tabTo(page, ".sidebar a");
      let focus = await focusInView();
      assert(focus.inView && focus.onTop, `the first link of the drawer is hidden: ${JSON.stringify(focus)}`);

      await page.keyboard.press("Escape");
      assert(!(await drawerOpen()), "Escape does not close the drawer");
      assert(await focusedIs(page, "#nav-toggle"), "Escape does not return focus to the menu button");
      await page.keyboard.press("Space");
      assert(await drawerOpen(), "Space on the menu button does not open the drawer");
      await settled();

      // Every link of the drawer in turn, then on past its last one.
      let inDrawer = 0;
      for (let i = 0; i < 200; i++) {
        await page.keyboard.press("Tab");
        const where = await page.evaluate(() => document.activeElement.closest("#sidebar") ? "drawer" : document.activeElement.closest("header") ? "header" : "page");
        if (where === "drawer") {
          inDrawer++;
          focus = await focusInView();
          assert(focus.inView && focus.onTop, `a drawer link takes focus out of sight: ${JSON.stringify(focus)}`);
        } else if (where === "page" && inDrawer) break;
      }
      assert(inDrawer > 10, `only ${inDrawer} drawer links were reached by Tab`);
      assert(!(await drawerOpen()), "tabbing past the drawer's last link leaves it open over the page");
      await page.waitForFunction(() => getComputedStyle(document.getElementById("sidebar")).visibility === "hidden", null, { timeout: 3000 });
      focus = await focusInView();
      assert(focus.onTop, `focus went behind the drawer: ${JSON.stringify(focus)}`);

      // A chapter opened from the drawer by keyboard.
      await tabTo(page, "#nav-toggle");
      await page.keyboard.press("Enter");
      await settled();
      await tabTo(page, '.sidebar a[href$="returns.html"]', 200);
      await Promise.all([page.waitForURL(server.url("returns.html")), page.keyboard.press("Enter")]);
      assert(!(await drawerOpen()), "the drawer is open on the page opened from it");
      assert(!page.jsErrors.length, page.jsErrors.join("; "));
      await ctx.close();
    });

    for (const [label, options] of [
      ["320 px", { viewport: { width: 320, height: 700 }, isMobile: true, hasTouch: true }],
      ["200% zoom (1280 px at 2x: 640 px)", { viewport: { width: 640, height: 430 }, deviceScaleFactor: 2 }],
    ]) {
      await check(`${label}: no page scrolls horizontally`, async () => {
        const ctx = await browser.newContext(options);
        const page = await newPage(ctx);
        const wide = await widePages(page, options.viewport.width);
        assert(wide.length === 0, wide.join(", "));
        await ctx.close();
      });
    }

    await check("reduced motion: no transition or animation over 0.01 s on any page kind", async () => {
      /** The elements whose transition or animation lasts longer than 0.01 s. */
      const moving = (page) => page.evaluate(() => {
        const seconds = (v) => Math.max(...v.split(",").map((t) => (t.trim().endsWith("ms") ? parseFloat(t) / 1000 : parseFloat(t)) || 0));
        const found = [];
        for (const e of document.querySelectorAll("*")) {
          for (const pseudo of [null, "::before", "::after"]) {
            const cs = getComputedStyle(e, pseudo);
            const t = seconds(cs.transitionDuration) + seconds(cs.transitionDelay);
            const a = cs.animationName !== "none" ? seconds(cs.animationDuration) : 0;
            if (t > 0.01 || a > 0.01) found.push(`${e.tagName.toLowerCase()}.${e.className}${pseudo || ""}`);
          }
        }
        return found;
      });
      const pages = ["index.html", "complaints.html", "phone-phrases.html", "return-steps.html", "objection-tactics.html",
        "phrases/index.html", "practice.html", "print.html", "404.html"];
      // Without the preference the menu drawer does move: the measure can fail.
      const plain = await browser.newContext({ viewport: { width: 360, height: 780 }, reducedMotion: "no-preference" });
      const before = await moving(await newPage(plain, { url: server.url("complaints.html") }));
      assert(before.length > 0, "no transition found even without the preference");
      await plain.close();
      const ctx = await browser.newContext({ viewport: { width: 360, height: 780 }, reducedMotion: "reduce" });
      const page = await newPage(ctx);
      const bad = [];
      for (const file of pages) {
        if (!fs.existsSync(path.join(siteDir, file))) throw new Error(`no ${file}`);
        await page.goto(server.url(file));
        bad.push(...(await moving(page)).map((m) => `${file}: ${m}`));
      }
      await page.goto(server.url("complaints.html"));
      await page.click(".menu-button");
      await search(page, "退货");
      bad.push(...(await moving(page)).map((m) => `complaints.html, menu and search open: ${m}`));
      assert(bad.length === 0, bad.slice(0, 8).join(", "));
      await ctx.close();
    });

    if (updatedDir) {
      await check("updates: after a rebuild, exactly the edited page is marked, and the new one", async () => {
        await checkUpdateMarks(browser, (p) => server.url(p), (p) => server.url(UPDATED.slice(1) + p), { audit: true });
      });
      await check("updates: the marks work from file://", async () => {
        const file = (dir) => (p) => pathToFileURL(path.join(dir, p)).href;
        // axe reads stylesheets with requests that file:// refuses: audited over HTTP only.
        await checkUpdateMarks(browser, file(siteDir), file(updatedDir), { audit: false });
      });
    }

    await check("no JavaScript: a chapter reads and its links work", async () => {
      const ctx = await browser.newContext({ viewport: { width: 1280, height: 860 }, javaScriptEnabled: false });
      const page = await newPage(ctx, { url: server.url("complaints.html") });
      const state = await page.evaluate(() => ({
        cls: document.documentElement.className,
        text: document.querySelector("main .content").innerText.length,
        search: getComputedStyle(document.querySelector(".search")).display,
        copy: document.querySelectorAll(".copy-button").length,
        say: document.querySelectorAll(".say-line").length,
      }));
      assert(state.cls === "no-js", `html class ${state.cls}`);
      assert(state.text > 500, `only ${state.text} characters of text`);
      assert(state.search === "none", "the search box shows without JavaScript");
      assert(state.copy === 0 && state.say > 0, "copy buttons without JavaScript");
      const next = await page.getAttribute('a[rel="next"]', "href");
      await Promise.all([page.waitForURL(server.url(next)), page.click('a[rel="next"]')]);
      const outline = page.locator(".outline a").first();
      const anchor = decodeURIComponent((await outline.getAttribute("href")).slice(1));
      await outline.click();
      assert(decodeURIComponent(new URL(page.url()).hash.slice(1)) === anchor, `outline link went to ${page.url()}`);
      assert(await page.evaluate((id) => !!document.getElementById(id), anchor), `no #${anchor}`);
      await page.goto(server.url("phrases/index.html"));
      assert((await page.locator("li.say-line:visible").count()) > 50, "the finder lists no lines without JavaScript");
      await page.goto(server.url("practice.html"));
      assert(await page.isVisible(".practice-needs-js"), "practice.html does not say it needs JavaScript");
      await ctx.close();
    });

    await check("sidebar: a chapter's part and pages come from the part's script, the page marked, before first paint (HTTP and file://, at the root and one folder down)", async () => {
      const html = fs.readFileSync(path.join(siteDir, "returns.html"), "utf8");
      assert(!html.includes("sidebar-sections"), "returns.html still holds the sidebar's list");
      const toUrl = { http: (p) => server.url(p), file: (p) => pathToFileURL(path.join(siteDir, p)).href };
      for (const [scheme, url] of Object.entries(toUrl)) {
        const ctx = await browser.newContext({ viewport: { width: 1280, height: 860 } });
        // The list is in place once the page is parsed, before the deferred scripts run.
        await ctx.addInitScript(() => {
          document.addEventListener("readystatechange", () => {
            if (document.readyState === "interactive") window.listWhenParsed = !!document.querySelector("#sidebar > ul.sidebar-sections");
          });
        });
        const index = await newPage(ctx, { url: url("index.html") });
        // What the index's contents list for the part of returns.html, as absolute URLs.
        const want = await index.evaluate(() => {
          const section = [...document.querySelectorAll(".toc-section")].find((s) => s.querySelector('a[href="returns.html"]'));
          return [...section.querySelectorAll("li a")].map((a) => a.href);
        });
        const home = await index.evaluate(() => ({
          marked: [...document.querySelectorAll("#sidebar [aria-current]")].map((a) => a.className),
          parts: [...document.querySelectorAll("#sidebar .sidebar-sections > li > a")].map((a) => a.href),
        }));
        assert(JSON.stringify(home.marked) === '["sidebar-home"]', `${scheme}: marked on the index: ${home.marked}`);
        const page = await newPage(ctx, { url: url("returns.html") });
        const got = await page.evaluate(() => {
          const nav = document.getElementById("sidebar");
          const script = nav.querySelector(":scope > script[src]");
          const current = [...nav.querySelectorAll(".sidebar-sections > li.current")];
          return {
            parsed: window.listWhenParsed,
            order: [...nav.children].map((e) => e.tagName + (e.className ? "." + e.className : "")),
            blocking: !!script && !script.async && !script.defer,
            currentParts: current.length,
            pages: current.length ? [...current[0].querySelectorAll(":scope > ul > li > a")].map((a) => a.href) : [],
            marked: [...nav.querySelectorAll('[aria-current="page"]')].map((a) => a.getAttribute("href")),
            parts: [...nav.querySelectorAll(".sidebar-sections > li > a")].map((a) => a.href),
          };
        });
        assert(got.parsed === true, `${scheme}: the list was not in place when the page was parsed`);
        assert(JSON.stringify(got.order) === '["A.sidebar-home","UL.sidebar-sections","SCRIPT"]', `${scheme}: the sidebar holds ${got.order}`);
        assert(got.blocking, `${scheme}: the sidebar's script is deferred or async`);
        assert(got.currentParts === 1, `${scheme}: ${got.currentParts} parts marked current`);
        assert(JSON.stringify(got.pages) === JSON.stringify(want), `${scheme}: the part lists ${got.pages.join(" ")}, the index ${want.join(" ")}`);
        assert(JSON.stringify(got.marked) === '["returns.html"]', `${scheme}: marked ${got.marked}`);
        assert(JSON.stringify(got.parts) === JSON.stringify(home.parts), `${scheme}: the parts differ from the index's sidebar`);
        // One folder down, the same script leads to the same pages.
        const finder = await newPage(ctx, { url: url("phrases/index.html") });
        const below = await finder.evaluate(() => [...document.querySelectorAll("#sidebar .sidebar-sections > li > a")].map((a) => a.href));
        assert(JSON.stringify(below) === JSON.stringify(home.parts), `${scheme}: from phrases/ the parts lead to ${below.join(" ")}`);
        await Promise.all([finder.waitForURL(got.parts[0]), finder.click("#sidebar .sidebar-sections > li > a")]);
        for (const p of [index, page, finder]) assert(!p.jsErrors.length, `${scheme}: ${p.jsErrors.join("; ")}`);
        await ctx.close();
      }
    });

    // A link in a chapter's text to a heading of another chapter, and its copy in print.
    for (const [where, from, href] of [["a chapter", "role.html", "discipline.html#在岗与考勤"], ["print.html", "print.html", "#print-discipline--在岗与考勤"]]) {
      await check(`links: a link to a Chinese heading, its letters written as they are, goes there from ${where} (HTTP and file://, with and without JavaScript)`, async () => {
        const toUrl = { http: (p) => server.url(p), file: (p) => pathToFileURL(path.join(siteDir, p)).href };
        const id = href.split("#")[1];
        // Within a page the scroll may be smooth: wait for it to end in view.
        const inView = (id) => {
          const element = document.getElementById(id);
          const top = element && element.getBoundingClientRect().top;
          return top !== null && top >= 0 && top < innerHeight;
        };
        for (const [scheme, url] of Object.entries(toUrl)) {
          for (const javaScriptEnabled of [true, false]) {
            const ctx = await browser.newContext({ viewport: { width: 1280, height: 860 }, javaScriptEnabled });
            const page = await newPage(ctx, { url: url(from) });
            const link = page.locator(`main a[href="${href}"]`).first();
            assert((await link.count()) === 1, `${from} has no link to ${href} (${scheme})`);
            await Promise.all([page.waitForURL((u) => decodeURIComponent(u.hash.slice(1)) === id), link.click()]);
            await page.waitForFunction(inView, id, { timeout: 5000 }).catch(() => {});
            const target = await page.evaluate((id) => {
              const element = document.getElementById(id);
              return element && Math.round(element.getBoundingClientRect().top);
            }, id);
            assert(target !== null, `${page.url()}: no element #${id}`);
            assert(target >= 0 && target < 860, `${scheme}, JavaScript ${javaScriptEnabled}: #${id} is at ${target} px, out of view`);
            assert(!page.jsErrors.length, page.jsErrors.join("; "));
            await ctx.close();
          }
        }
      });
    }

    if (process.env.HANDBOOK_BIN) {
      await liveChecks({ browser, check, assert, binary: process.env.HANDBOOK_BIN });
    } else {
      console.log("note  HANDBOOK_BIN is not set: the checks of `handbook serve` did not run");
    }
  } finally {
    await browser.close().catch(() => {});
    await server.close();
  }

  console.log(`${passed} passed, ${failed} failed`);
  process.exit(failed ? 1 : 0);
}

main().catch((error) => {
  console.log(`FAIL  test runner\n      ${error && error.stack}`);
  console.log(`${passed} passed, ${failed + 1} failed`);
  process.exit(1);
});
