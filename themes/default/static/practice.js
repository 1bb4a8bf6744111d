/* practice.js — the drill (practice.html only; see handbook.js for the theme's
 * scripts). Three kinds of question, one per kind of table: a script entry's
 * situation with one of its say lines among up to three lines never to say; a
 * procedure's steps shuffled, to be picked in order; a tactic's situation (its `when`
 * or its example, the name hidden) with three or four tactic names. A round has up to
 * ROUND questions, those last answered wrongly first, then unseen ones. Progress is
 * kept in localStorage, per handbook title: per question [right, wrong, last wrong].
 *
 * Views: the set-up (which tables, each table's progress, start, clear progress), a
 * question (options or steps, then the verdict and the explanation), the end of a
 * round (score, review).
 * Every label comes from the template: the data- attributes of [data-practice] and
 * the #handbook-practice-strings JSON block.
 */
(function () {
  "use strict";

  const hb = window.handbook;
  // No shared helpers: a theme's own handbook.js replaced the default one and runs
  // the drill itself, if anything.
  if (!hb) return;
  const doc = document;
  const { el, fill, shuffle, uiString } = hb;

  const ROUND = 10;
  const ATTRIBUTE_STRINGS = ["start", "next", "right", "wrong", "score", "again", "reset", "why", "situation"];
  // src/render/strings.rs, PRACTICE_STRINGS.
  const BLOCK_STRINGS = ["chooseTables", "all", "none", "question", "lastScore", "cleared", "noQuestions",
    "correctIs", "review", "rightOption", "yourChoice", "chooseTablesAgain", "progress", "stepsPrompt",
    "stepsOrder", "stepsUndo", "stepsCheck", "stepsPicked", "stepsUndone", "stepsRightOrder", "stepsPlaced",
    "stepsYours", "stepsCount", "tacticsPrompt", "tacticHidden", "correctTactic", "rightTactic", "goal", "when", "how", "risk",
    "example", "kindScript", "kindSteps", "kindTactics"];

  /** The drill's labels, by name, from what practice.html emits. */
  function drillStrings(page) {
    const strings = { colon: hb.text("colon") };
    for (const name of ATTRIBUTE_STRINGS) strings[name] = uiString(page, name);
    const block = hb.readJson("handbook-practice-strings");
    for (const name of BLOCK_STRINGS) strings[name] = uiString(block, name);
    return strings;
  }

  /* Progress =============================================================== */

  const freshProgress = () => ({ version: 1, entries: {}, last: null, tables: null });

  function loadProgress(storageKey) {
    try {
      const saved = JSON.parse(localStorage.getItem(storageKey) || "null");
      if (saved && typeof saved === "object" && saved.entries) return saved;
    } catch (e) {
      /* storage unavailable or unreadable: start afresh */
    }
    return freshProgress();
  }

  function saveProgress(drill) {
    try {
      localStorage.setItem(drill.storageKey, JSON.stringify(drill.progress));
    } catch (e) {
      /* private mode or full: progress lives for this visit only */
    }
  }

  const entryKey = (table, entry) => table.id + "#" + (entry ? entry.id : "");
  const scoreText = (drill, right, total) => drill.s.score + drill.s.colon + right + " / " + total;
  const nonEmpty = (list) => Array.isArray(list) && list.length > 0;
  const kindLabel = (drill, table) =>
    ({ script: drill.s.kindScript, steps: drill.s.kindSteps, tactics: drill.s.kindTactics })[table.kind] || "";

  /** Every tactic name of the handbook, its table's first. */
  const tacticNames = (drill, table) =>
    [table, ...drill.tables.filter((t) => t !== table)]
      .filter((t) => t.kind === "tactics")
      .flatMap((t) => t.entries.map((e) => e.name).filter(Boolean));

  /** The questions a table can give: {table, entry, key}; a procedure is one question. */
  function tableItems(drill, table) {
    if (table.kind === "steps") {
      return table.entries.length >= 2 ? [{ table, entry: null, key: entryKey(table, null) }] : [];
    }
    let ok;
    if (table.kind === "tactics") {
      const names = new Set(tacticNames(drill, table));
      ok = (e) => e.name && (e.when || nonEmpty(e.example)) && names.size >= 3;
    } else {
      ok = (e) => nonEmpty(e.say) && nonEmpty(e.avoid);
    }
    return table.entries.filter(ok).map((entry) => ({ table, entry, key: entryKey(table, entry) }));
  }

  /** {right, wrong, seen}: the answers given so far to a table's questions. */
  function tableStats(drill, table) {
    let right = 0;
    let wrong = 0;
    const prefix = table.id + "#";
    for (const [key, counts] of Object.entries(drill.progress.entries)) {
      if (key.startsWith(prefix) && Array.isArray(counts)) {
        right += counts[0] || 0;
        wrong += counts[1] || 0;
      }
    }
    return { right, wrong, seen: right + wrong };
  }

  function heading(text) {
    return el("h2", { class: "practice-heading", tabindex: "-1", text });
  }

  /* The set-up view ======================================================== */

  /** A table's checkbox, with its title, question count and past answers. */
  function tableChoice(drill, table, chosen) {
    const eligible = tableItems(drill, table).length;
    const box = el("input", { type: "checkbox", value: table.id, checked: chosen.has(table.id) && eligible > 0, disabled: eligible === 0 });
    const stats = tableStats(drill, table);
    const count = table.kind === "steps" ? fill(drill.s.stepsCount, { n: table.entries.length }) : String(eligible);
    const label = el("label", { class: "practice-table", "data-table": table.id }, [
      box,
      el("span", { class: "practice-table-title", text: table.title }),
      el("span", { class: "practice-table-kind", text: kindLabel(drill, table) }),
      el("span", { class: "practice-table-count", text: count }),
      stats.seen ? el("span", { class: "practice-table-stats", text: fill(drill.s.progress, stats) }) : null,
    ]);
    return { box, label };
  }

  function tablesFieldset(drill, boxes) {
    const progress = drill.progress;
    const chosen = new Set(progress.tables && progress.tables.length ? progress.tables : drill.tables.map((t) => t.id));
    const fieldset = el("fieldset", { class: "practice-tables" }, [el("legend", { text: drill.s.chooseTables })]);
    for (const table of drill.tables) {
      const { box, label } = tableChoice(drill, table, chosen);
      boxes.push(box);
      fieldset.append(label);
    }
    const all = el("button", { type: "button", class: "button-secondary", text: drill.s.all });
    const none = el("button", { type: "button", class: "button-secondary", text: drill.s.none });
    all.addEventListener("click", () => boxes.forEach((b) => { b.checked = !b.disabled; }));
    none.addEventListener("click", () => boxes.forEach((b) => { b.checked = false; }));
    fieldset.append(el("p", { class: "practice-select-all" }, [all, none]));
    return fieldset;
  }

  function clearProgress(drill) {
    try {
      localStorage.removeItem(drill.storageKey);
    } catch (e) {
      /* nothing stored */
    }
    drill.progress = freshProgress();
    showSetup(drill, false);
    const note = drill.app.querySelector(".practice-message");
    if (note) note.textContent = drill.s.cleared;
    const again = drill.app.querySelector(".practice-reset");
    if (again) again.focus();
  }

  function showSetup(drill, focusStart) {
    const { s, progress } = drill;
    drill.app.textContent = "";
    const boxes = [];
    const message = el("p", { class: "practice-message", role: "status" });
    const start = el("button", { type: "submit", class: "button", text: s.start });
    const reset = el("button", { type: "button", class: "button-secondary practice-reset", text: s.reset });
    const form = el("form", { class: "practice-setup" }, [
      tablesFieldset(drill, boxes),
      progress.last
        ? el("p", { class: "practice-last", text: s.lastScore + s.colon + progress.last.right + " / " + progress.last.total })
        : null,
      el("p", { class: "practice-actions" }, [start, " ", reset]),
      message,
    ]);
    form.addEventListener("submit", (event) => {
      event.preventDefault();
      const picked = boxes.filter((b) => b.checked).map((b) => b.value);
      drill.progress.tables = picked;
      saveProgress(drill);
      const round = buildRound(drill, picked);
      if (round.length) startRound(drill, round);
      else message.textContent = s.noQuestions;
    });
    reset.addEventListener("click", () => clearProgress(drill));
    drill.app.append(form);
    if (focusStart) start.focus();
  }

  /* Questions ============================================================== */

  /** A round: up to ROUND questions, those last answered wrongly (or more often
   * wrongly than rightly) first, then unseen ones, then the rest. */
  function buildRound(drill, tableIds) {
    const pool = [];
    for (const table of drill.tables.filter((t) => tableIds.includes(t.id))) {
      for (const item of tableItems(drill, table)) {
        const counts = drill.progress.entries[item.key] || [0, 0, 0];
        const weak = counts[2] === 1 || counts[1] > counts[0];
        const rank = weak ? 0 : counts[0] + counts[1] === 0 ? 1 : 2;
        pool.push({ item, rank, r: Math.random() });
      }
    }
    pool.sort((a, b) => a.rank - b.rank || a.r - b.r);
    return pool.slice(0, ROUND).map(({ item }) => makeQuestion(drill, item));
  }

  function makeQuestion(drill, item) {
    if (item.table.kind === "steps") return stepsQuestion(item);
    if (item.table.kind === "tactics") return tacticQuestion(drill, item);
    return scriptQuestion(drill, item);
  }

  /** Up to `count` texts from `lists` in turn (each shuffled), none in `taken`. */
  function pickOthers(taken, lists, count) {
    const picked = [];
    for (const list of lists) {
      for (const text of shuffle([...list])) {
        if (picked.length >= count) return picked;
        if (text && !taken.has(text)) {
          taken.add(text);
          picked.push(text);
        }
      }
    }
    return picked;
  }

  const choices = (correct, wrong) =>
    shuffle([{ text: correct, right: true }, ...wrong.map((text) => ({ text, right: false }))]);
  const labelled = (label, text, cls) =>
    el("p", { class: cls }, [el("span", { class: "label", text: label }), " ", text]);

  /** One of the entry's say lines among up to three wrong lines: its own avoid lines
   * first, then its table's, then other tables'. */
  function scriptQuestion(drill, { table, entry, key }) {
    const correct = entry.say[Math.floor(Math.random() * entry.say.length)];
    const wrong = pickOthers(new Set([correct, ...entry.say]), [
      entry.avoid,
      table.entries.filter((e) => e !== entry).flatMap((e) => e.avoid || []),
      drill.tables.filter((t) => t !== table).flatMap((t) => t.entries.flatMap((e) => e.avoid || [])),
    ], 3);
    return {
      kind: "choice", table, entry, key, prompt: entry.situation, body: null,
      options: choices(correct, wrong), correctLabel: drill.s.correctIs,
      explain: () => [entry.why ? labelled(drill.s.why, entry.why, "why") : null],
    };
  }

  /** The example dialogue, the tactic's name hidden in it. */
  const hideName = (drill, entry, text) => String(text).split(entry.name).join(drill.s.tacticHidden);

  function exampleDialogue(drill, entry) {
    const hide = (text) => hideName(drill, entry, text);
    return el("div", { class: "practice-example" }, [
      el("p", { class: "practice-example-label" }, [el("span", { class: "label", text: drill.s.example })]),
      el("ul", { class: "practice-dialogue" }, entry.example.map((line) => el("li", null, [
        el("span", { class: "practice-speaker", text: hide(line.speaker) + drill.s.colon }),
        hide(line.text),
      ]))),
    ]);
  }

  /** A tactic's situation (its `when`, or its example) and up to four names: its own
   * and others from its table first, then from other tactics tables. */
  function tacticQuestion(drill, { table, entry, key }) {
    const byExample = nonEmpty(entry.example) && (!entry.when || Math.random() < 0.5);
    const others = tacticNames(drill, table);
    const own = table.entries.map((e) => e.name);
    const wrong = pickOthers(new Set([entry.name]), [own, others], 3);
    const { s } = drill;
    return {
      kind: "choice", table, entry, key,
      prompt: byExample ? s.tacticsPrompt : entry.when,
      body: byExample ? exampleDialogue(drill, entry) : el("p", { class: "practice-prompt", text: s.tacticsPrompt }),
      options: choices(entry.name, wrong), correctLabel: s.correctTactic, rightMark: s.rightTactic,
      asked: byExample ? entry.example.map((line) => hideName(drill, entry, line.speaker + s.colon + line.text)).join(" ") : entry.when,
      explain: () => [
        labelled(s.how, entry.how, "practice-how"),
        entry.risk ? labelled(s.risk, entry.risk, "practice-risk") : null,
      ],
    };
  }

  /** A procedure: its steps shuffled (never already in order). */
  function stepsQuestion({ table, key }) {
    const steps = table.entries.map((entry, index) => ({ entry, index }));
    let order = shuffle([...steps]);
    while (order.every((step, i) => step.index === i)) order = shuffle([...steps]);
    return { kind: "steps", table, entry: null, key, prompt: table.title, steps, order };
  }

  function startRound(drill, round) {
    showQuestion(drill, { round, index: 0, right: 0, missed: [], tables: drill.progress.tables });
  }

  /** Counts one answer: [right, wrong, 1 if this last answer was wrong]. */
  function countAnswer(drill, state, q, right) {
    const counts = drill.progress.entries[q.key] || [0, 0, 0];
    counts[right ? 0 : 1] = (counts[right ? 0 : 1] || 0) + 1;
    counts[2] = right ? 0 : 1;
    drill.progress.entries[q.key] = counts;
    if (right) state.right++;
    else state.missed.push(q);
    saveProgress(drill);
  }

  function optionButton(option, i) {
    return el("button", { type: "button", class: "practice-option", "aria-keyshortcuts": String(i + 1) }, [
      el("span", { class: "practice-option-key", "aria-hidden": "true", text: String(i + 1) }),
      el("span", { class: "practice-option-text", text: option.text }),
    ]);
  }

  /** Counts the answer, marks the options right, wrong and chosen (for screen readers too). */
  function recordAnswer(drill, state, q, buttons, i) {
    const { s } = drill;
    const chosen = q.options[i];
    countAnswer(drill, state, q, chosen.right);
    q.options.forEach((option, j) => {
      const button = buttons[j];
      button.setAttribute("aria-disabled", "true");
      button.classList.add(option.right ? "is-right" : "is-wrong");
      if (option.right) button.append(el("span", { class: "visually-hidden", text: " " + (q.rightMark || s.rightOption) }));
      if (j === i) {
        button.classList.add("is-chosen");
        button.append(el("span", { class: "visually-hidden", text: " " + s.yourChoice }));
      }
    });
    return chosen;
  }

  /** The button to the next question, or to the end of the round. */
  function nextButton(drill, state) {
    const last = state.index + 1 >= state.round.length;
    const next = el("button", { type: "button", class: "button practice-next", text: last ? drill.s.score : drill.s.next });
    next.addEventListener("click", () => {
      state.index++;
      if (state.index < state.round.length) showQuestion(drill, state);
      else showEnd(drill, state);
    });
    return next;
  }

  /** Shows `parts` (nulls left out) in the feedback area, then focuses the next button. */
  function showFeedbackParts(drill, state, feedback, parts) {
    const next = nextButton(drill, state);
    const all = [
      ...parts,
      el("p", { class: "practice-score-line", text: scoreText(drill, state.right, state.index + 1) }),
      el("p", { class: "practice-actions" }, [next]),
    ];
    // Element.append would write a null out as the text "null".
    feedback.append(...all.filter((part) => part !== null && part !== undefined));
    feedback.hidden = false;
    next.focus();
  }

  const verdict = (drill, right) =>
    el("p", { class: "practice-verdict " + (right ? "is-right" : "is-wrong"), text: right ? drill.s.right : drill.s.wrong });

  /** The verdict, the right answer, the explanation, the score and the button to go on. */
  function showFeedback(drill, state, q, chosen, feedback) {
    showFeedbackParts(drill, state, feedback, [
      verdict(drill, chosen.right),
      chosen.right ? null : el("p", { class: "practice-correct" }, [el("span", { class: "label label-say", text: q.correctLabel }), " ", q.options.find((o) => o.right).text]),
      ...q.explain(),
    ]);
  }

  /** The question's frame: progress, where it is from, its heading; then `content`. */
  function questionSection(drill, state, q, content) {
    const { s } = drill;
    const title = heading(q.prompt);
    title.id = "practice-q";
    const section = el("section", { class: "practice-question practice-" + q.kind, "aria-labelledby": "practice-q" }, [
      el("p", { class: "practice-progress" }, [
        el("span", { text: fill(s.question, { n: state.index + 1, total: state.round.length }) }),
        el("span", { class: "practice-running", text: scoreText(drill, state.right, state.index) }),
      ]),
      el("p", { class: "practice-situation-label" }, [
        el("span", { class: "label", text: q.kind === "steps" ? kindLabel(drill, q.table) : s.situation }), " ",
        el("span", { class: "practice-source", text: q.table.title }),
      ]),
      title,
      ...content,
    ]);
    return { section, title };
  }

  function showQuestion(drill, state) {
    const q = state.round[state.index];
    drill.app.textContent = "";
    if (q.kind === "steps") showStepsQuestion(drill, state, q);
    else showChoiceQuestion(drill, state, q);
  }

  function showChoiceQuestion(drill, state, q) {
    let answered = false;
    const feedback = el("div", { class: "practice-feedback", role: "status", hidden: true });
    const buttons = q.options.map(optionButton);
    const answer = (i) => {
      if (answered) return;
      answered = true;
      showFeedback(drill, state, q, recordAnswer(drill, state, q, buttons, i), feedback);
    };
    buttons.forEach((button, i) => button.addEventListener("click", () => answer(i)));
    const { section, title } = questionSection(drill, state, q, [
      q.body,
      el("ol", { class: "practice-options" }, buttons.map((button) => el("li", null, [button]))),
      feedback,
    ]);
    // 1–4 pick an answer.
    section.addEventListener("keydown", (event) => {
      if (answered || event.ctrlKey || event.metaKey || event.altKey) return;
      const n = parseInt(event.key, 10);
      if (n >= 1 && n <= q.options.length) {
        event.preventDefault();
        answer(n - 1);
      }
    });
    drill.app.append(section);
    title.focus();
  }

  /* The steps drill ======================================================== */

  /** The reader's order so far and the steps left to pick, as real buttons. */
  function stepsControls(drill, q) {
    const { s } = drill;
    const ui = {
      picked: [],
      announce: el("p", { class: "visually-hidden practice-announce", role: "status" }),
      orderList: el("ol", { class: "practice-order", "aria-labelledby": "practice-order-title" }),
      undo: el("button", { type: "button", class: "button-secondary practice-undo", text: s.stepsUndo, disabled: true }),
      check: el("button", { type: "button", class: "button practice-check", text: s.stepsCheck, disabled: true }),
    };
    ui.buttons = q.order.map((step) => el("button", { type: "button", class: "practice-option practice-step", "data-step": String(step.index) }, [
      el("span", { class: "practice-option-text", text: step.entry.title }),
    ]));
    ui.pool = el("ul", { class: "practice-steps" }, ui.buttons.map((b) => el("li", null, [b])));
    ui.order = el("div", { class: "practice-order-box" }, [
      el("h3", { id: "practice-order-title", class: "practice-order-title", text: s.stepsOrder }),
      ui.orderList,
    ]);
    return ui;
  }

  /** Picking, undoing and the focus: after a pick the next step left, or Check. */
  function wireSteps(drill, q, ui) {
    const { s } = drill;
    const refresh = () => {
      ui.orderList.textContent = "";
      ui.picked.forEach((i) => ui.orderList.append(el("li", { text: q.order[i].entry.title })));
      ui.undo.disabled = ui.picked.length === 0;
      ui.check.disabled = ui.picked.length < q.order.length;
    };
    ui.buttons.forEach((button, i) => button.addEventListener("click", () => {
      if (ui.done || ui.picked.includes(i)) return;
      ui.picked.push(i);
      button.parentNode.hidden = true;
      refresh();
      ui.announce.textContent = fill(s.stepsPicked, { n: ui.picked.length, title: q.order[i].entry.title });
      const rest = ui.buttons.filter((b, j) => !ui.picked.includes(j));
      (rest.find((b) => ui.buttons.indexOf(b) > i) || rest[0] || ui.check).focus();
    }));
    ui.undo.addEventListener("click", () => {
      if (ui.done || !ui.picked.length) return;
      const i = ui.picked.pop();
      ui.buttons[i].parentNode.hidden = false;
      refresh();
      ui.announce.textContent = fill(s.stepsUndone, { title: q.order[i].entry.title });
      ui.buttons[i].focus();
    });
  }

  function showStepsQuestion(drill, state, q) {
    const ui = stepsControls(drill, q);
    wireSteps(drill, q, ui);
    const feedback = el("div", { class: "practice-feedback", role: "status", hidden: true });
    const actions = el("p", { class: "practice-actions" }, [ui.undo, " ", ui.check]);
    ui.check.addEventListener("click", () => {
      if (ui.done || ui.picked.length < q.order.length) return;
      ui.done = true;
      ui.pool.hidden = true;
      actions.hidden = true;
      showStepsFeedback(drill, state, q, ui, feedback);
    });
    const { section, title } = questionSection(drill, state, q, [
      el("p", { class: "practice-prompt", text: drill.s.stepsPrompt }),
      ui.pool,
      ui.order,
      actions,
      ui.announce,
      feedback,
    ]);
    drill.app.append(section);
    title.focus();
  }

  /** Marks the reader's order right and wrong, and lists the right order with goals. */
  function showStepsFeedback(drill, state, q, ui, feedback) {
    const { s } = drill;
    const placed = ui.picked.map((i, position) => q.order[i].index === position);
    const right = placed.every(Boolean);
    countAnswer(drill, state, q, right);
    [...ui.orderList.children].forEach((li, position) => {
      li.classList.add(placed[position] ? "is-right" : "is-wrong");
      li.append(el("span", { class: "visually-hidden", text: " " + (placed[position] ? s.right : s.wrong) }));
    });
    const yours = (index) => ui.picked.findIndex((i) => q.order[i].index === index);
    const rightOrder = el("ol", { class: "practice-right-order" }, q.steps.map((step) => {
      const at = yours(step.index);
      const ok = at === step.index;
      return el("li", { class: ok ? "is-right" : "is-wrong" }, [
        el("span", { class: "practice-step-title", text: step.entry.title }),
        ok ? null : el("span", { class: "practice-step-yours", text: " " + fill(s.stepsYours, { n: at + 1 }) }),
        step.entry.goal ? labelled(s.goal, step.entry.goal, "practice-step-goal") : null,
      ]);
    }));
    showFeedbackParts(drill, state, feedback, [
      verdict(drill, right),
      el("p", { class: "practice-placed", text: fill(s.stepsPlaced, { right: placed.filter(Boolean).length, total: placed.length }) }),
      el("h3", { class: "practice-order-title", text: s.stepsRightOrder }),
      rightOrder,
    ]);
  }

  /* The end of a round ===================================================== */

  /** What a missed question asked and its right answer, for the review list. */
  function reviewItem(q) {
    if (q.kind === "steps") return [q.table.title, q.steps.map((step) => step.entry.title).join(" → ")];
    return [q.asked || q.prompt, q.options.find((o) => o.right).text];
  }

  function reviewList(drill, missed) {
    if (!missed.length) return null;
    return el("div", { class: "practice-review" }, [
      el("h3", { text: drill.s.review }),
      el("ul", null, missed.map((q) => {
        const [asked, answer] = reviewItem(q);
        return el("li", null, [
          el("span", { class: "practice-review-situation", text: asked }),
          el("span", { class: "practice-review-line", text: answer }),
        ]);
      })),
    ]);
  }

  function showEnd(drill, state) {
    const { s } = drill;
    drill.app.textContent = "";
    drill.progress.last = { right: state.right, total: state.round.length, at: Date.now() };
    saveProgress(drill);
    const title = heading(scoreText(drill, state.right, state.round.length));
    title.classList.add("practice-final");
    const again = el("button", { type: "button", class: "button", text: s.again });
    const choose = el("button", { type: "button", class: "button-secondary", text: s.chooseTablesAgain });
    again.addEventListener("click", () => {
      const round = buildRound(drill, state.tables || drill.tables.map((t) => t.id));
      if (round.length) startRound(drill, round);
      else showSetup(drill, true);
    });
    choose.addEventListener("click", () => showSetup(drill, true));
    drill.app.append(el("section", { class: "practice-end" }, [
      title,
      el("meter", { class: "practice-meter", min: "0", max: String(state.round.length), value: String(state.right), "aria-hidden": "true" }),
      el("p", { class: "practice-actions" }, [again, " ", choose]),
      reviewList(drill, state.missed),
    ]));
    title.focus();
  }

  function setupPractice() {
    const page = doc.querySelector("[data-practice]");
    const app = page && page.querySelector(".practice-app");
    const dataNode = doc.getElementById("practice-data");
    if (!page || !app || !dataNode) return;
    let data;
    try {
      data = JSON.parse(dataNode.textContent);
    } catch (e) {
      return;
    }
    const titleNode = doc.querySelector(".site-title");
    const storageKey = "handbook-practice:" + ((titleNode && titleNode.textContent.trim()) || doc.title);
    const drill = {
      page,
      app,
      s: drillStrings(page),
      tables: (data.tables || []).filter((t) => t.entries && t.entries.length),
      storageKey,
      progress: loadProgress(storageKey),
    };
    page.classList.add("is-ready");
    showSetup(drill, false);
  }

  setupPractice();
})();
