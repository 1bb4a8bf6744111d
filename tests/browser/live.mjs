// `handbook serve` in the browser: the error overlay and live updates without a
// reload. Called by run.mjs when HANDBOOK_BIN names the handbook binary; each check
// runs `serve` on its own copy of the sample handbook (content/ of the repository).

import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";

import { SAID, startServe } from "./lib.mjs";
import { axeViolations } from "./axe.mjs";

const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const RETURNS = "content/04-aftersales/02-returns.md";
const WAIT = 10000;
// One check: a server's first build, a few saves and their rebuilds.
const LIMIT = 120000;

/** A copy of the sample handbook in a temporary folder: {root, write, read, remove, done}. */
function sampleCopy() {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), "handbook-live-"));
  fs.cpSync(path.join(REPO, "content"), path.join(root, "content"), { recursive: true });
  return {
    root,
    path: (rel) => path.join(root, rel),
    read: (rel) => fs.readFileSync(path.join(root, rel), "utf8"),
    write: (rel, text) => {
      fs.mkdirSync(path.dirname(path.join(root, rel)), { recursive: true });
      fs.writeFileSync(path.join(root, rel), text);
    },
    remove: (rel) => fs.rmSync(path.join(root, rel)),
    done: () => fs.rmSync(root, { recursive: true, force: true }),
  };
}

/** Runs `body(server, copy)` on `serve` of a fresh copy, cleaning up after. */
async function withServe(binary, args, body, prepare) {
  const copy = sampleCopy();
  if (prepare) prepare(copy);
  let server;
  try {
    server = await startServe(binary, copy.root, args);
    await body(server, copy);
  } finally {
    if (server) await server.stop();
    copy.done();
  }
}

async function newTab(browser, url) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 860 } });
  const page = await context.newPage();
  page.setDefaultTimeout(WAIT);
  page.jsErrors = [];
  page.on("pageerror", (e) => page.jsErrors.push(String(e)));
  page.on("console", (m) => {
    if (m.type() === "error") page.jsErrors.push(m.text());
  });
  await page.goto(url);
  // The live-update script has connected once the server said hello.
  await page.waitForSelector("html[data-handbook-live]");
  return page;
}

/** Saves `text` into the chapter; resolves once the server has rebuilt. */
async function save(server, copy, rel, text, expect = SAID.rebuild) {
  const from = server.lines.lines.length;
  copy.write(rel, text);
  return server.lines.wait(expect, from, WAIT);
}

/** A flag in the page's window: gone after a reload. */
const plant = (page) => page.evaluate(() => { window.handbookNoReload = true; });
const stillSame = (page) => page.evaluate(() => window.handbookNoReload === true);

export async function liveChecks({ browser, check, assert, binary }) {
  const original = fs.readFileSync(path.join(REPO, RETURNS), "utf8");
  const brokenLine = "按规定处理，见[退货细则](@no-such-page)。";

  await check("serve overlay: a failed build shows its errors, source line and caret in Chinese, linked to the editor; collapses and comes back", async () => {
    await withServe(binary, ["--editor", "vscode"], async (server, copy) => {
      const page = await newTab(browser, server.url("returns.html"));
      await page.focus("#search-input");
      await save(server, copy, RETURNS, `${original}\n${brokenLine}\n`, SAID.failed);
      await page.waitForSelector("#handbook-error-overlay[open]");
      const overlay = await page.evaluate(() => {
        const box = document.getElementById("handbook-error-overlay");
        const mark = box.querySelector(".hb-source mark");
        const caret = box.querySelector(".hb-caret");
        const link = box.querySelector("a.hb-where");
        return {
          role: box.getAttribute("role"),
          modal: box.getAttribute("aria-modal"),
          title: box.querySelector("h2").textContent,
          collapse: box.querySelector("button.hb-collapse").textContent,
          focusInside: box.contains(document.activeElement),
          source: box.querySelector(".hb-source").textContent,
          marked: mark && mark.textContent,
          carets: caret.textContent,
          markLeft: mark && mark.getBoundingClientRect().left,
          caretLeft: caret.getBoundingClientRect().left,
          href: link && link.getAttribute("href"),
          where: link && link.textContent,
        };
      });
      assert(overlay.role === "alertdialog" && overlay.modal === "true", `role ${overlay.role}, aria-modal ${overlay.modal}`);
      assert(overlay.title.startsWith("最近一次修改未能生成"), `title: ${overlay.title}`);
      assert(overlay.title.includes("1 个错误"), `title: ${overlay.title}`);
      assert(overlay.collapse === "收起", `collapse button: ${overlay.collapse}`);
      assert(overlay.focusInside, "focus is not in the overlay");
      // What a screen reader is told: an alert dialog named by its title, holding the
      // message and the line it is about.
      const dialog = page.getByRole("alertdialog", { name: overlay.title });
      assert((await dialog.count()) === 1, `no alert dialog named "${overlay.title}" in the accessibility tree`);
      const told = await dialog.ariaSnapshot();
      assert(told.includes("@no-such-page") && told.includes(RETURNS), `the dialog reads: ${told}`);
      assert(overlay.source.includes(brokenLine), `source line: ${overlay.source}`);
      assert(overlay.marked && overlay.marked.includes("@no-such-page"), `marked: ${overlay.marked}`);
      assert(overlay.carets === "^".repeat([...overlay.marked].length), `carets ${overlay.carets} under ${overlay.marked}`);
      assert(Math.abs(overlay.markLeft - overlay.caretLeft) < 1, `the caret starts at ${overlay.caretLeft}, the mark at ${overlay.markLeft}`);
      const lines = original.split("\n").length + 1;
      const abs = fs.realpathSync(copy.path(RETURNS));
      const encoded = abs.split("/").map(encodeURIComponent).join("/");
      assert(overlay.where.startsWith(`${RETURNS}:${lines}:`), `where: ${overlay.where}`);
      assert(overlay.href.startsWith(`vscode://file${encoded}:${lines}:`), `editor link: ${overlay.href}`);
      let problems = await axeViolations(page, "error overlay");
      assert(problems.length === 0, problems.join("\n"));
      // Dark mode and a phone's width too; nothing wider than the screen.
      for (const [colorScheme, width, height] of [["dark", 1280, 860], ["light", 360, 780], ["dark", 360, 780]]) {
        await page.emulateMedia({ colorScheme });
        await page.setViewportSize({ width, height });
        problems = await axeViolations(page, `error overlay, ${colorScheme}, ${width} px`);
        assert(problems.length === 0, problems.join("\n"));
        const wide = await page.evaluate(() => document.documentElement.scrollWidth);
        assert(wide <= width, `the overlay at ${width} px makes the page ${wide} px wide`);
      }
      await page.emulateMedia({ colorScheme: "light" });
      await page.setViewportSize({ width: 1280, height: 860 });

      // Escape collapses it into a button that brings it back.
      await page.keyboard.press("Escape");
      await page.waitForSelector("#handbook-error-overlay", { state: "detached" });
      const badge = page.getByRole("button", { name: "展开错误（1 个错误）" });
      assert(await badge.isVisible(), `no badge after collapsing: ${await page.evaluate(() => document.body.lastElementChild.outerHTML)}`);
      assert(await page.evaluate(() => document.activeElement && document.activeElement.id === "search-input"),
        "focus did not go back to where it was");
      problems = await axeViolations(page, "error overlay collapsed");
      assert(problems.length === 0, problems.join("\n"));
      // Collapsed on another page of the same failed build too.
      await page.goto(server.url("complaints.html"));
      await page.waitForSelector("#handbook-error-badge");
      assert(!(await page.$("#handbook-error-overlay")), "the overlay came back expanded on another page");
      // The button is reachable by keyboard and opens it again.
      await page.focus("#handbook-error-badge");
      await page.keyboard.press("Enter");
      await page.waitForSelector("#handbook-error-overlay[open]");
      await page.click("button.hb-collapse");
      await page.waitForSelector("#handbook-error-badge");
      // The next failed build comes back expanded.
      await save(server, copy, RETURNS, `${original}\n${brokenLine}\n\n又一个[坏链接](@gone)。\n`, SAID.failed);
      await page.waitForSelector("#handbook-error-overlay[open]");
      assert((await page.textContent("#handbook-error-overlay h2")).includes("2 个错误"), "the second build's errors");
      // Fixed: it goes.
      await save(server, copy, RETURNS, original, SAID.rebuilt);
      await page.waitForSelector("#handbook-error-overlay", { state: "detached" });
      assert(!(await page.$("#handbook-error-badge")), "the badge stays after a good build");
      assert(!page.jsErrors.length, page.jsErrors.join("; "));
    });
  }, LIMIT);

  await check("serve overlay: English for an English handbook; plain file:line without an editor", async () => {
    await withServe(binary, [], async (server, copy) => {
      const page = await newTab(browser, server.url("returns.html"));
      await save(server, copy, RETURNS, `${original}\n${brokenLine}\n`, SAID.failed);
      await page.waitForSelector("#handbook-error-overlay[open]");
      const state = await page.evaluate(() => {
        const box = document.getElementById("handbook-error-overlay");
        return {
          title: box.querySelector("h2").textContent,
          collapse: box.querySelector("button.hb-collapse").textContent,
          links: box.querySelectorAll("a").length,
          where: box.querySelector(".hb-where").textContent,
        };
      });
      assert(state.title.startsWith("The last edit did not build (1 error)"), `title: ${state.title}`);
      assert(state.collapse === "Collapse", `collapse: ${state.collapse}`);
      assert(state.links === 0 && state.where.startsWith(RETURNS), `${state.links} links, where ${state.where}`);
      const problems = await axeViolations(page, "error overlay (en)");
      assert(problems.length === 0, problems.join("\n"));
    }, (copy) => {
      const config = copy.read("content/handbook.yaml");
      copy.write("content/handbook.yaml", config.replace(/^language: .*$/m, "language: en"));
    });
  }, LIMIT);

  await check("serve live update: an edit is patched in without a reload, keeping scroll, focus and the open search", async () => {
    await withServe(binary, [], async (server, copy) => {
      const page = await newTab(browser, server.url("returns.html"));
      await page.evaluate(() => window.scrollTo(0, 600));
      await page.fill("#search-input", "退货");
      await page.waitForFunction(() => document.querySelector("[data-search]").dataset.query === "退货");
      assert(await page.isVisible("#search-results"), "the search results did not open");
      await plant(page);
      const before = await page.evaluate(() => ({ y: window.scrollY, copies: document.querySelectorAll(".copy-button").length }));
      const edited = `${original}\n## 新增的小节\n\n新增的一段：LIVE-PATCH-MARKER zebrafish。\n`;
      await save(server, copy, RETURNS, edited, SAID.rebuilt);
      await page.waitForFunction(() => document.querySelector("main").textContent.includes("LIVE-PATCH-MARKER"));
      const after = await page.evaluate(() => ({
        y: window.scrollY,
        focused: document.activeElement && document.activeElement.id,
        value: document.getElementById("search-input").value,
        open: !document.getElementById("search-results").hidden,
        outline: [...document.querySelectorAll(".outline a")].map((a) => a.textContent),
        patched: document.documentElement.dataset.handbookPatched,
      }));
      assert(await stillSame(page), "the page was reloaded");
      assert(after.patched === "1", `patched ${after.patched} times`);
      assert(after.y === before.y, `scrollY ${before.y} -> ${after.y}`);
      assert(after.focused === "search-input" && after.value === "退货", `focus on ${after.focused}, search box "${after.value}"`);
      assert(after.open, "the search results closed");
      assert(after.outline.includes("新增的小节"), `outline: ${after.outline}`);

      // The patched page is the page on disk: its article as a fresh load shows it,
      // and as the file holds it (without what the scripts add).
      const patched = await page.evaluate(() => ({
        main: document.querySelector("main").outerHTML,
        title: document.title,
        copies: document.querySelectorAll("main .copy-button").length,
      }));
      const fresh = await newTab(browser, server.url("returns.html"));
      const loaded = await fresh.evaluate(() => ({
        main: document.querySelector("main").outerHTML,
        title: document.title,
        copies: document.querySelectorAll("main .copy-button").length,
      }));
      assert(patched.main === loaded.main, "the patched <main> differs from a fresh load's");
      assert(patched.title === loaded.title, `title ${patched.title} vs ${loaded.title}`);
      assert(patched.copies === loaded.copies && patched.copies > before.copies - 1, `copy buttons ${patched.copies} vs ${loaded.copies}`);
      const onDisk = copy.read("public/returns.html");
      const same = await page.evaluate((html) => {
        const strip = (root) => {
          const clone = root.cloneNode(true);
          clone.querySelectorAll(".copy-button").forEach((b) => b.remove());
          clone.querySelectorAll(".has-copy").forEach((l) => { l.classList.remove("has-copy"); if (!l.className) l.removeAttribute("class"); });
          return clone;
        };
        const disk = new DOMParser().parseFromString(html, "text/html");
        const a = strip(document.querySelector("main article"));
        const b = disk.querySelector("main article");
        return { equal: a.isEqualNode(b), a: a.outerHTML.length, b: b.outerHTML.length, title: disk.title === document.title };
      }, onDisk);
      assert(same.equal, `the patched article (${same.a} characters) is not the file's (${same.b})`);
      assert(same.title, "the title differs from the file's");
      await fresh.context().close();

      // The search box finds the new text once the new index is written (no reload).
      await page.waitForFunction(() => performance.getEntriesByName("handbook:search-index").length > 0, null, { timeout: WAIT });
      await page.fill("#search-input", "");
      await page.fill("#search-input", "zebrafish");
      await page.waitForFunction(() => document.querySelector("[data-search]").dataset.query === "zebrafish");
      const found = await page.$$eval(".search-result", (links) => links.map((a) => a.getAttribute("href")));
      assert(found.some((href) => href.startsWith("returns.html")), `the new word is not found: ${found}`);
      assert(await stillSame(page), "the page was reloaded");

      // A change of title: the title, the heading and the sidebar follow; so does
      // the index in another tab, once the site-wide pages are made.
      const index = await newTab(browser, server.url("index.html"));
      await plant(index);
      // A page of the same part: its HTML does not change (the list is in the part's
      // script), yet its sidebar follows.
      const sibling = await newTab(browser, server.url("unreachable-buyers.html"));
      await plant(sibling);
      const siblingHtml = copy.read("public/unreachable-buyers.html");
      const renamed = edited.replace("title: 退换货处理", "title: 退换货处理（新）");
      await save(server, copy, RETURNS, renamed, SAID.rebuilt);
      await page.waitForFunction(() => document.title.startsWith("退换货处理（新）"));
      assert(await stillSame(page), "a title change reloaded the page");
      await index.waitForFunction(() => [...document.querySelectorAll(".toc a")].some((a) => a.textContent.startsWith("退换货处理（新）")));
      assert(await stillSame(index), "the index was reloaded, not patched");
      assert(!index.jsErrors.length, index.jsErrors.join("; "));
      await index.context().close();
      const sidebar = await page.evaluate(() => [...document.querySelectorAll("#sidebar a")].map((a) => a.textContent));
      assert(sidebar.some((t) => t.startsWith("退换货处理（新）")), `sidebar: ${sidebar.join(", ")}`);
      const list = await page.evaluate(() => ({
        lists: document.querySelectorAll("#sidebar ul.sidebar-sections").length,
        marked: [...document.querySelectorAll('#sidebar [aria-current="page"]')].map((a) => a.getAttribute("href")),
      }));
      assert(list.lists === 1 && JSON.stringify(list.marked) === '["returns.html"]', `after the rename: ${JSON.stringify(list)}`);
      await sibling.waitForFunction(() => [...document.querySelectorAll("#sidebar a")].some((a) => a.textContent.startsWith("退换货处理（新）")));
      assert(await stillSame(sibling), "a page of the same part was reloaded for its sidebar");
      assert(copy.read("public/unreachable-buyers.html") === siblingHtml, "a page of the same part was rewritten for its sidebar");
      const siblingList = await sibling.evaluate(() => ({
        lists: document.querySelectorAll("#sidebar ul.sidebar-sections").length,
        marked: [...document.querySelectorAll('#sidebar [aria-current="page"]')].map((a) => a.getAttribute("href")),
      }));
      assert(siblingList.lists === 1 && JSON.stringify(siblingList.marked) === '["unreachable-buyers.html"]', `the same part's page: ${JSON.stringify(siblingList)}`);
      assert(!sibling.jsErrors.length, sibling.jsErrors.join("; "));
      await sibling.context().close();
      assert(await page.evaluate(() => window.scrollY) === before.y, "scroll moved on a title change");

      // Focus inside what changed goes to the same place in the new version.
      const link = 'main .content p a[href^="complaints.html"]';
      await page.focus(link);
      const reworded = renamed.replace("在处理过程中，", "在处理过程中（FOCUS-KEPT），");
      await save(server, copy, RETURNS, reworded, SAID.rebuilt);
      await page.waitForFunction(() => document.querySelector("main").textContent.includes("FOCUS-KEPT"));
      const focus = await page.evaluate(() => {
        const active = document.activeElement;
        return { href: active && active.getAttribute("href"), inText: !!(active && active.closest("p") && active.closest("p").textContent.includes("FOCUS-KEPT")) };
      });
      assert(focus.href && focus.href.startsWith("complaints.html") && focus.inText, `focus went to ${JSON.stringify(focus)}`);
      assert(await stillSame(page), "the page was reloaded");
      assert(!page.jsErrors.length, page.jsErrors.join("; "));
    });
  }, LIMIT);

  await check("serve live update: other pages stay; a theme change, a page of another kind or a removed page reloads", async () => {
    const TEMP = "content/04-aftersales/09-temp.md";
    const KIND = "content/04-aftersales/10-kind.md";
    await withServe(binary, [], async (server, copy) => {
      const other = await newTab(browser, server.url("complaints.html"));
      const page = await newTab(browser, server.url("returns.html"));
      await plant(other);
      await plant(page);
      // An edit of returns.md leaves complaints.html alone (it does not link to it).
      const linksToReturns = copy.read("public/complaints.html").includes("returns.html");
      await save(server, copy, RETURNS, `${original}\n只改这一页：OTHER-STAYS。\n`, SAID.rebuilt);
      await page.waitForFunction(() => document.querySelector("main").textContent.includes("OTHER-STAYS"));
      await other.waitForTimeout(300);
      assert(await stillSame(other), "another page reloaded");
      if (!linksToReturns) {
        assert(!(await other.evaluate(() => document.documentElement.dataset.handbookPatched)), "another page was patched");
      }

      // A theme file: every tab reloads.
      const template = fs.readFileSync(path.join(REPO, "themes/default/templates/chapter.html"), "utf8");
      await save(server, copy, "themes/mine/templates/chapter.html", template.replace('<article class="chapter">', '<article class="chapter mine-v2">'), SAID.rebuilt);
      await page.waitForSelector("article.mine-v2");
      assert(!(await stillSame(page)), "a template change was patched in, not reloaded");
      await other.waitForSelector("article.mine-v2");
      assert(!(await stillSame(other)), "a template change was patched into another page");

      // The page becomes a phrase table of the same id (another template): the tab
      // reloads rather than patch a chapter into a table page.
      const kind = await newTab(browser, server.url("kind.html"));
      await plant(kind);
      const swapped = server.lines.lines.length;
      copy.remove(KIND);
      copy.write("content/phrases/kind.yaml", "title: 换成话术表\nkind: script\nentries:\n  - id: hello\n    situation: 买家打招呼\n    say: 您好，有什么可以帮您？\n");
      await server.lines.wait(SAID.rebuilt, swapped, WAIT);
      await kind.waitForSelector("article.phrase-table");
      assert(!(await stillSame(kind)), "a chapter turned table was patched, not reloaded");

      // The page removed: the tab reloads and shows the 404 page.
      const temp = await newTab(browser, server.url("temp.html"));
      await plant(temp);
      const gone = server.lines.lines.length;
      copy.remove(TEMP);
      await server.lines.wait(SAID.rebuild, gone, WAIT);
      await temp.waitForSelector("article.not-found");
      assert(!(await stillSame(temp)), "the removed page was not reloaded");
      for (const tab of [page, other, temp, kind]) {
        // The 404 page's own status is reported as a console error.
        const errors = tab.jsErrors.filter((e) => !e.includes("status of 404"));
        assert(!errors.length, errors.join("; "));
      }
    }, (copy) => {
      copy.write(TEMP, "---\ntitle: 临时页\n---\n\n很快就删掉。\n");
      copy.write(KIND, "---\ntitle: 将变成表\n---\n\n这一页会变成话术表。\n");
      copy.write("themes/mine/static/mine.txt", "the theme's own folder\n");
      const config = copy.read("content/handbook.yaml");
      copy.write("content/handbook.yaml", `${config.trimEnd()}\ntheme: mine\n`);
    });
  }, LIMIT);
}
