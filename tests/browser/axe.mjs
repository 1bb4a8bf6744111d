// axe-core over every kind of page and page state of a built handbook: the pages,
// the search results open, the finder with no matches, the drill before, during (each
// kind) and after a round. The update marks are audited where run.mjs shows them.
// Used by run.mjs; each violation is reported as `STATE: rule (impact) selector`.

import fs from "node:fs";
import { createRequire } from "node:module";

const require = createRequire(import.meta.url);
const AXE_SOURCE = fs.readFileSync(require.resolve("axe-core/axe.min.js"), "utf8");
const RULES = ["wcag2a", "wcag2aa", "wcag21aa", "best-practice"];

/** The pages audited as loaded; `changes.html` is added where the site has one. */
export const AXE_PAGES = ["index.html", "complaints.html", "phone-phrases.html", "complaint-steps.html",
  "objection-tactics.html", "phrases/index.html", "print.html", "404.html"];

/** axe's violations on the page as it is now, one line each. */
export async function axeViolations(page, state) {
  if (!(await page.evaluate(() => !!window.axe))) await page.addScriptTag({ content: AXE_SOURCE });
  const violations = await page.evaluate(async (tags) => {
    const result = await window.axe.run(document, { runOnly: { type: "tag", values: tags }, resultTypes: ["violations"] });
    return result.violations.map((v) => ({
      id: v.id,
      impact: v.impact,
      nodes: v.nodes.map((n) => n.target.join(" ")),
    }));
  }, RULES);
  return violations.map((v) => `${state}: ${v.id} (${v.impact}) ${v.nodes.length}× ${v.nodes[0]}`);
}

/** Answers the question on screen (the first option, or the steps in the order shown). */
async function answer(page) {
  await page.waitForSelector(".practice-question");
  if (await page.$(".practice-steps")) {
    for (let j = await page.locator(".practice-step").count(); j > 0; j--) await page.click(".practice-step:visible >> nth=0");
    await page.click(".practice-check");
  } else {
    await page.click(".practice-option >> nth=0");
  }
  await page.waitForSelector(".practice-feedback:not([hidden])");
}

/** The drill's states: set-up, a question and its feedback of each kind, the end. */
async function auditPractice(page, url, tables, problems) {
  await page.goto(url);
  await page.waitForSelector(".practice-setup");
  problems.push(...await axeViolations(page, "practice set-up"));
  for (const kind of ["script", "steps", "tactics"]) {
    const table = tables.find((t) => t.kind === kind);
    await page.goto(url);
    await page.waitForSelector(".practice-setup");
    await page.click(".practice-select-all .button-secondary >> nth=1");
    await page.check(`.practice-tables input[value="${table.id}"]`);
    await page.click(".practice-setup button[type=submit]");
    await page.waitForSelector(".practice-question");
    problems.push(...await axeViolations(page, `practice ${kind} question`));
    await answer(page);
    problems.push(...await axeViolations(page, `practice ${kind} feedback`));
    if (kind !== "steps") continue;
    for (let i = 0; i < 40 && !(await page.$(".practice-end")); i++) {
      await page.click(".practice-next");
      if (await page.$(".practice-end")) break;
      await answer(page);
    }
    await page.waitForSelector(".practice-end");
    problems.push(...await axeViolations(page, "practice end of a round"));
  }
}

/** Every audited state in one browser context; `url(file)` locates a page. */
export async function axeAudit(page, url, { tables, search, changesUrl }) {
  const problems = [];
  for (const file of AXE_PAGES) {
    await page.goto(url(file));
    problems.push(...await axeViolations(page, file));
  }
  if (changesUrl) {
    await page.goto(changesUrl);
    problems.push(...await axeViolations(page, "changes.html"));
  }
  await page.goto(url("complaints.html"));
  await search(page, "退货");
  await page.keyboard.press("ArrowDown");
  problems.push(...await axeViolations(page, "search results"));
  await page.goto(url("phrases/index.html"));
  await page.fill("#finder-text", "zzqxj");
  await page.waitForSelector(".finder-empty:not([hidden])");
  problems.push(...await axeViolations(page, "finder with no matches"));
  await auditPractice(page, url("practice.html"), tables, problems);
  return problems;
}
