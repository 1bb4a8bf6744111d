/* practice.js — the drill (practice.html only; see handbook.js for the theme's
 * scripts). Each question shows a situation and offers one of its say lines among up
 * to three lines never to say; a round has up to ROUND questions, weak and unseen
 * entries first. Progress is kept in localStorage, per handbook title.
 *
 * Views: the set-up (which tables, last score, start, clear progress), a question
 * (options, then the verdict and the why), the end of a round (score, review).
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
    "correctIs", "review", "rightOption", "yourChoice", "chooseTablesAgain", "progress"];

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

  const entryKey = (table, entry) => table.id + "#" + entry.id;
  const scoreText = (drill, right, total) => drill.s.score + drill.s.colon + right + " / " + total;
  const canAsk = (entry) => entry.say && entry.say.length && entry.avoid && entry.avoid.length;

  /** {right, wrong}: the answers given so far to a table's questions. */
  function tableStats(drill, table) {
    let right = 0;
    let wrong = 0;
    for (const entry of table.entries) {
      const counts = drill.progress.entries[entryKey(table, entry)];
      if (counts) {
        right += counts[0];
        wrong += counts[1];
      }
    }
    return { right, wrong };
  }

  function heading(text) {
    return el("h2", { class: "practice-heading", tabindex: "-1", text });
  }

  /* The set-up view ======================================================== */

  /** A table's checkbox, with its title, question count and past answers. */
  function tableChoice(drill, table, chosen) {
    const eligible = table.entries.filter(canAsk).length;
    const box = el("input", { type: "checkbox", value: table.id, checked: chosen.has(table.id), disabled: eligible === 0 });
    const stats = tableStats(drill, table);
    const seen = stats.right + stats.wrong;
    const label = el("label", { class: "practice-table" }, [
      box,
      el("span", { class: "practice-table-title", text: table.title }),
      el("span", { class: "practice-table-count", text: String(eligible) }),
      seen ? el("span", { class: "practice-table-stats", text: fill(drill.s.progress, stats) }) : null,
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

  /** A round: up to ROUND questions, weak and unseen entries first. */
  function buildRound(drill, tableIds) {
    const pool = [];
    for (const table of drill.tables.filter((t) => tableIds.includes(t.id))) {
      for (const entry of table.entries.filter(canAsk)) {
        const counts = drill.progress.entries[entryKey(table, entry)] || [0, 0];
        const rank = counts[1] > counts[0] ? 0 : counts[0] + counts[1] === 0 ? 1 : 2;
        pool.push({ table, entry, rank, r: Math.random() });
      }
    }
    pool.sort((a, b) => a.rank - b.rank || a.r - b.r);
    return pool.slice(0, ROUND).map(({ table, entry }) => makeQuestion(drill, table, entry));
  }

  /** One of the entry's say lines among up to three wrong lines: its own avoid lines
   * first, then its table's, then other tables'. */
  function makeQuestion(drill, table, entry) {
    const correct = entry.say[Math.floor(Math.random() * entry.say.length)];
    const taken = new Set([correct, ...entry.say]);
    const wrong = [];
    const take = (lines) => {
      for (const line of lines) {
        if (wrong.length >= 3) return;
        if (!taken.has(line)) {
          taken.add(line);
          wrong.push(line);
        }
      }
    };
    take(shuffle([...entry.avoid]));
    take(shuffle(table.entries.filter((e) => e !== entry).flatMap((e) => e.avoid || [])));
    take(shuffle(drill.tables.filter((t) => t !== table).flatMap((t) => t.entries.flatMap((e) => e.avoid || []))));
    const options = shuffle([{ text: correct, right: true }, ...wrong.map((text) => ({ text, right: false }))]);
    return { table, entry, options };
  }

  function startRound(drill, round) {
    showQuestion(drill, { round, index: 0, right: 0, missed: [], tables: drill.progress.tables });
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
    const key = entryKey(q.table, q.entry);
    const counts = drill.progress.entries[key] || [0, 0];
    counts[chosen.right ? 0 : 1]++;
    drill.progress.entries[key] = counts;
    if (chosen.right) state.right++;
    else state.missed.push(q);
    saveProgress(drill);
    q.options.forEach((option, j) => {
      const button = buttons[j];
      button.setAttribute("aria-disabled", "true");
      button.classList.add(option.right ? "is-right" : "is-wrong");
      if (option.right) button.append(el("span", { class: "visually-hidden", text: " " + s.rightOption }));
      if (j === i) {
        button.classList.add("is-chosen");
        button.append(el("span", { class: "visually-hidden", text: " " + s.yourChoice }));
      }
    });
    return chosen;
  }

  /** The verdict, the right line, the why, the score and the button to go on. */
  function showFeedback(drill, state, q, chosen, feedback) {
    const { s } = drill;
    const last = state.index + 1 >= state.round.length;
    const next = el("button", { type: "button", class: "button practice-next", text: last ? s.score : s.next });
    next.addEventListener("click", () => {
      state.index++;
      if (state.index < state.round.length) showQuestion(drill, state);
      else showEnd(drill, state);
    });
    // Element.append would write a null out as the text "null".
    const parts = [
      el("p", { class: "practice-verdict " + (chosen.right ? "is-right" : "is-wrong"), text: chosen.right ? s.right : s.wrong }),
      chosen.right ? null : el("p", { class: "practice-correct" }, [el("span", { class: "label label-say", text: s.correctIs }), " ", q.options.find((o) => o.right).text]),
      q.entry.why ? el("p", { class: "why" }, [el("span", { class: "label", text: s.why }), " " + q.entry.why]) : null,
      el("p", { class: "practice-score-line", text: scoreText(drill, state.right, state.index + 1) }),
      el("p", { class: "practice-actions" }, [next]),
    ];
    feedback.append(...parts.filter((part) => part !== null));
    feedback.hidden = false;
    next.focus();
  }

  function showQuestion(drill, state) {
    const { s } = drill;
    const q = state.round[state.index];
    drill.app.textContent = "";
    let answered = false;
    const title = heading(q.entry.situation);
    title.id = "practice-q";
    const feedback = el("div", { class: "practice-feedback", hidden: true });
    const buttons = q.options.map(optionButton);
    const answer = (i) => {
      if (answered) return;
      answered = true;
      showFeedback(drill, state, q, recordAnswer(drill, state, q, buttons, i), feedback);
    };
    buttons.forEach((button, i) => button.addEventListener("click", () => answer(i)));
    const section = el("section", { class: "practice-question", "aria-labelledby": "practice-q" }, [
      el("p", { class: "practice-progress" }, [
        el("span", { text: fill(s.question, { n: state.index + 1, total: state.round.length }) }),
        el("span", { class: "practice-running", text: scoreText(drill, state.right, state.index) }),
      ]),
      el("p", { class: "practice-situation-label" }, [el("span", { class: "label", text: s.situation }), " ", el("span", { class: "practice-source", text: q.table.title })]),
      title,
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

  /* The end of a round ===================================================== */

  function reviewList(drill, missed) {
    if (!missed.length) return null;
    return el("div", { class: "practice-review" }, [
      el("h3", { text: drill.s.review }),
      el("ul", null, missed.map((q) => el("li", null, [
        el("span", { class: "practice-review-situation", text: q.entry.situation }),
        el("span", { class: "practice-review-line", text: q.options.find((o) => o.right).text }),
      ]))),
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
