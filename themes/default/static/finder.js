/* finder.js — the phrase finder's filters (phrases/index.html only; see handbook.js
 * for the theme's scripts): by words or a line's quick-reply code, by table and by tag, matches highlighted, the
 * filters kept in the address (#q=…&table=…&tag=…) so a filtered view can be shared.
 * The page lists every line without it.
 */
(function () {
  "use strict";

  const hb = window.handbook;
  // No shared helpers: a theme's own handbook.js replaced the default one and runs
  // the finder itself, if anything.
  if (!hb) return;
  const { el, highlight, wordsPattern } = hb;

  /** A line of an entry: the node whose text is matched and highlighted (a say line's
   * text, moved into a span after its copy button; an avoid line's <del>), and a say
   * line's quick-reply code, matched and highlighted too. */
  function readLine(li) {
    let target = li.querySelector("del");
    const codeNode = li.querySelector(".say-code code");
    if (!target) {
      target = el("span", { class: "line-text" });
      target.textContent = li.dataset.line || "";
      for (const node of [...li.childNodes]) {
        if (node.nodeType === 3) node.remove();
      }
      // After the copy button, which floats; before the code.
      li.insertBefore(target, li.querySelector(".say-code"));
    }
    const text = target.textContent;
    const code = codeNode ? codeNode.textContent : "";
    return { node: li, target, text, codeNode, code, lower: (text + "\n" + code).toLowerCase() };
  }

  function readGroups(finder) {
    return [...finder.querySelectorAll(".finder-group")].map((group) => ({
      node: group,
      table: group.dataset.table || "",
      tags: (group.dataset.tags || "").split("|").filter(Boolean),
      entries: [...group.querySelectorAll(".finder-entry")].map((entry) => {
        const situation = entry.querySelector(".finder-situation");
        return {
          node: entry,
          situation: situation ? situation.textContent.toLowerCase() : "",
          lines: [...entry.querySelectorAll("li")].map(readLine),
        };
      }),
    }));
  }

  /** The filters as they stand: {words, table, tag}. */
  function filtersOf(controls) {
    const { textInput, tableSelect, tagSelect } = controls;
    return {
      words: textInput ? textInput.value.toLowerCase().trim().split(/\s+/).filter(Boolean) : [],
      table: tableSelect ? tableSelect.value : "",
      tag: tagSelect ? tagSelect.value : "",
    };
  }

  /** Shows the lines of `group` that pass `filters`; the number of entries shown. */
  function filterGroup(group, filters, pattern) {
    const { words, table, tag } = filters;
    const has = (text) => words.every((w) => text.includes(w));
    const groupOk = (!table || group.table === table) && (!tag || group.tags.includes(tag));
    let shown = 0;
    for (const entry of group.entries) {
      let entryShown = false;
      const whole = groupOk && (words.length === 0 || has(entry.situation));
      for (const line of entry.lines) {
        const visible = groupOk && (whole || has(line.lower));
        line.node.hidden = !visible;
        if (visible) entryShown = true;
        line.target.innerHTML = highlight(line.text, groupOk ? pattern : null);
        if (line.codeNode) line.codeNode.innerHTML = highlight(line.code, groupOk ? pattern : null);
      }
      entry.node.hidden = !entryShown;
      if (entryShown) shown++;
    }
    group.node.hidden = shown === 0;
    return shown;
  }

  /** Keeps the filters in the address, without touching a plain #anchor. */
  function saveFilters(controls, filters) {
    const state = new URLSearchParams();
    const words = controls.textInput ? controls.textInput.value.trim() : "";
    if (words) state.set("q", words);
    if (filters.table) state.set("table", filters.table);
    if (filters.tag) state.set("tag", filters.tag);
    const hash = state.toString();
    const current = location.hash.replace(/^#/, "");
    const ours = /(^|&)(q|table|tag)=/.test(current);
    if (history.replaceState && hash !== current && (hash || ours)) {
      history.replaceState(null, "", hash ? "#" + hash : location.pathname + location.search);
    }
  }

  /** Sets the controls from the address. With `reset` (a new link in an open tab), a
   * filter the address leaves out is cleared; a plain #anchor changes nothing. */
  function restoreFilters(controls, reset) {
    const hash = location.hash.replace(/^#/, "");
    if (reset && !/(^|&)(q|table|tag)=/.test(hash)) return false;
    const params = new URLSearchParams(hash);
    const { textInput, tableSelect, tagSelect } = controls;
    const set = (control, name) => {
      if (control && (reset || params.has(name))) control.value = params.get(name) || "";
    };
    set(textInput, "q");
    set(tableSelect, "table");
    set(tagSelect, "tag");
    return true;
  }

  function setupFinder() {
    const finder = document.querySelector("[data-finder]");
    if (!finder) return;
    const controls = {
      textInput: finder.querySelector("#finder-text"),
      tableSelect: finder.querySelector("#finder-table"),
      tagSelect: finder.querySelector("#finder-tag"),
    };
    const empty = finder.querySelector(".finder-empty");
    const groups = readGroups(finder);
    restoreFilters(controls);

    let frame = 0;
    const apply = () => {
      frame = 0;
      const filters = filtersOf(controls);
      const pattern = wordsPattern(filters.words);
      let shown = 0;
      for (const group of groups) shown += filterGroup(group, filters, pattern);
      if (empty) empty.hidden = shown !== 0;
      saveFilters(controls, filters);
    };
    const schedule = () => {
      if (!frame) frame = requestAnimationFrame(apply);
    };
    for (const control of Object.values(controls)) {
      if (control) {
        control.addEventListener("input", schedule);
        control.addEventListener("change", schedule);
      }
    }
    if (empty) empty.setAttribute("role", "status");
    // A filter link pasted into a tab already showing the finder.
    window.addEventListener("hashchange", () => {
      if (restoreFilters(controls, true)) schedule();
    });
    apply();
  }

  setupFinder();
})();
