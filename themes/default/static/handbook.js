/* handbook — the reader side of the default theme.
 *
 * One file, no dependencies, no build step. Loaded with `defer` on every page but
 * print.html. Everything here is an enhancement: each page reads fine without it.
 *
 *   1. Helpers and UI strings
 *   2. Search: lazy <script>-loaded index (works from file:// and any sub-path)
 *   3. Copy buttons on say lines
 *   4. Phrase finder filters
 *   5. Practice drill
 *   6. Keyboard: "/" for search, left / right for previous / next page
 *
 * Only relative URLs are used (from <body data-root>), and nothing is fetched: the
 * search index is a set of scripts that call back into `window.handbookSearch`.
 */
(function () {
  "use strict";

  /* 1. Helpers and UI strings ============================================ */

  const doc = document;
  const body = doc.body;
  const root = body.dataset.root || "";
  const lang = (doc.documentElement.lang || "").toLowerCase();
  const chinese = lang.startsWith("zh");

  // Strings the templates do not carry as data attributes.
  const FALLBACK = chinese
    ? {
        copy: "复制", copied: "已复制", copyFailed: "复制失败",
        results: "找到 {n} 条结果", searchFailed: "索引加载失败。",
        chooseTables: "选择要练习的话术表", all: "全选", none: "全不选",
        question: "第 {n} / {total} 题", lastScore: "上次得分", cleared: "练习记录已清除。",
        noQuestions: "所选话术表里没有可练习的题目，请至少选择一张表。",
        correctIs: "正确的说法", review: "答错的题目", rightOption: "（正确的说法）", yourChoice: "（你的选择）", chooseTablesAgain: "重新选择话术表",
        progress: "答对 {right} 次 · 答错 {wrong} 次", colon: "：",
      }
    : {
        copy: "Copy", copied: "Copied", copyFailed: "Copy failed",
        results: "{n} results", searchFailed: "The search index could not be loaded.",
        chooseTables: "Tables to practise", all: "All", none: "None",
        question: "Question {n} of {total}", lastScore: "Last score", cleared: "Progress cleared.",
        noQuestions: "The chosen tables have no questions: choose at least one table.",
        correctIs: "The right reply", review: "To review", rightOption: "(the right reply)", yourChoice: "(your choice)", chooseTablesAgain: "Choose tables",
        progress: "{right} right · {wrong} wrong", colon: ": ",
      };
  // The handbook's own wording (handbook.yaml `strings:`), where the page carries it.
  for (const id of ["handbook-strings", "handbook-practice-strings"]) {
    const own = document.getElementById(id);
    if (!own) continue;
    try {
      Object.assign(FALLBACK, JSON.parse(own.textContent));
    } catch (_) {
      // Malformed: keep the built-in wording.
    }
  }

  function fill(template, values) {
    return template.replace(/\{(\w+)\}/g, (m, key) => (key in values ? String(values[key]) : m));
  }

  function el(tag, attrs, children) {
    const node = doc.createElement(tag);
    if (attrs) {
      for (const [key, value] of Object.entries(attrs)) {
        if (value === null || value === undefined || value === false) continue;
        if (key === "text") node.textContent = value;
        else if (key === "class") node.className = value;
        else node.setAttribute(key, value === true ? "" : value);
      }
    }
    for (const child of children || []) {
      if (child !== null && child !== undefined) {
        node.append(child);
      }
    }
    return node;
  }

  const HTML_ESCAPES = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" };
  function escapeHtml(text) {
    return String(text).replace(/[&<>"']/g, (c) => HTML_ESCAPES[c]);
  }
  function escapeRegExp(text) {
    return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
  }

  /** `text` as HTML, with every match of `pattern` (a global RegExp or null) in <mark>. */
  function highlight(text, pattern) {
    if (!pattern) return escapeHtml(text);
    let out = "";
    let last = 0;
    pattern.lastIndex = 0;
    let m;
    while ((m = pattern.exec(text)) !== null) {
      if (m[0] === "") {
        pattern.lastIndex++;
        continue;
      }
      out += escapeHtml(text.slice(last, m.index)) + "<mark>" + escapeHtml(m[0]) + "</mark>";
      last = m.index + m[0].length;
    }
    return out + escapeHtml(text.slice(last));
  }

  /** A global, case-insensitive RegExp matching any of `words` (longest first), or null. */
  function wordsPattern(words) {
    const list = [...new Set(words.filter((w) => w))].sort((a, b) => b.length - a.length);
    return list.length ? new RegExp(list.map(escapeRegExp).join("|"), "gi") : null;
  }

  function isEditable(target) {
    if (!target || target.nodeType !== 1) return false;
    if (target.isContentEditable) return true;
    const tag = target.tagName;
    if (tag === "TEXTAREA" || tag === "SELECT") return true;
    if (tag === "INPUT") {
      const type = (target.type || "text").toLowerCase();
      return !["button", "submit", "reset", "checkbox", "radio", "range", "color", "file", "image"].includes(type);
    }
    return false;
  }

  // One polite live region for short announcements ("copied", result counts).
  let liveRegion = null;
  function announce(message) {
    if (!liveRegion) {
      liveRegion = el("div", { class: "visually-hidden", role: "status", "aria-live": "polite" });
      body.append(liveRegion);
    }
    liveRegion.textContent = "";
    // A fresh text node in a later task is announced even when the text repeats.
    setTimeout(() => { liveRegion.textContent = message; }, 50);
  }

  function shuffle(list) {
    for (let i = list.length - 1; i > 0; i--) {
      const j = Math.floor(Math.random() * (i + 1));
      [list[i], list[j]] = [list[j], list[i]];
    }
    return list;
  }

  /* 2. Search ============================================================= */
  /* The index format is described in src/search/mod.rs. Terms are split the way the
   * indexer splits scripts: runs of CJK ideographs, runs of letters and digits
   * (lower-cased), and everything else as separators. */

  const CJK = /[\u3400-\u4DBF\u4E00-\u9FFF\uF900-\uFAFF\u{20000}-\u{2FA1F}]/u;
  const LATIN = /[\p{Alphabetic}\p{N}]/u;
  const MAX_RESULTS = 10;
  const VERIFY = 30; // candidates whose text is loaded to check for the exact query
  const LOAD_TIMEOUT = 20000;

  const store = {
    meta: null,
    vocabulary: null, // Set of terms
    maxCjkLength: 1,
    postingShards: new Map(), // shard -> {term: encoded}
    docShards: new Map(), // shard -> rows
    decoded: new Map(), // term -> [[doc, weight], ...]
  };

  // The index scripts call these.
  window.handbookSearch = {
    index(meta) {
      store.meta = meta;
      store.vocabulary = new Set(meta.terms);
      let longest = 1;
      for (const term of meta.terms) {
        if (term.length > longest && CJK.test(term)) longest = [...term].length;
      }
      store.maxCjkLength = Math.min(longest, 24);
    },
    postings(n, map) {
      store.postingShards.set(n, map);
    },
    docs(n, rows) {
      store.docShards.set(n, rows);
    },
  };

  const scriptLoads = new Map();
  /** Loads `search/<name>` once, as a <script>, relative to the site root. */
  function loadScript(name) {
    if (!scriptLoads.has(name)) {
      const promise = new Promise((resolve, reject) => {
        const script = doc.createElement("script");
        const timer = setTimeout(() => reject(new Error("timeout loading " + name)), LOAD_TIMEOUT);
        script.src = root + "search/" + name;
        script.async = true;
        script.onload = () => { clearTimeout(timer); resolve(); };
        script.onerror = () => { clearTimeout(timer); reject(new Error("cannot load " + name)); };
        doc.head.append(script);
      });
      // A failed load may be retried by a later query.
      promise.catch(() => scriptLoads.delete(name));
      scriptLoads.set(name, promise);
    }
    return scriptLoads.get(name);
  }

  function loadIndex() {
    return store.meta ? Promise.resolve(store.meta) : loadScript("index.js").then(() => {
      if (!store.meta) throw new Error("search/index.js did not call handbookSearch.index");
      return store.meta;
    });
  }

  /** FNV-1a, 32-bit, over UTF-16 code units: the shard of a term. */
  function fnv1a(text) {
    let hash = 0x811c9dc5;
    for (let i = 0; i < text.length; i++) {
      hash ^= text.charCodeAt(i);
      hash = Math.imul(hash, 0x01000193) >>> 0;
    }
    return hash >>> 0;
  }

  function postingShard(term) {
    return fnv1a(term) % store.meta.shards;
  }

  function loadPostings(terms) {
    const shards = new Set(terms.map(postingShard));
    return Promise.all([...shards].filter((n) => !store.postingShards.has(n)).map((n) => loadScript("p-" + n + ".js")));
  }

  function loadDocs(docIds) {
    const per = store.meta.docsPerShard;
    const shards = new Set(docIds.map((id) => Math.floor(id / per)));
    return Promise.all([...shards].filter((n) => !store.docShards.has(n)).map((n) => loadScript("d-" + n + ".js")));
  }

  function getDoc(id) {
    const per = store.meta.docsPerShard;
    const rows = store.docShards.get(Math.floor(id / per));
    return rows ? rows[id % per] : null;
  }

  /** [[doc, weight], …] of a term (its shard must be loaded). */
  function postingsOf(term) {
    if (store.decoded.has(term)) return store.decoded.get(term);
    const shard = store.postingShards.get(postingShard(term));
    const encoded = shard && Object.prototype.hasOwnProperty.call(shard, term) ? shard[term] : "";
    const list = [];
    let docId = 0;
    if (encoded) {
      for (const pair of encoded.split(",")) {
        const colon = pair.indexOf(":");
        docId += parseInt(pair.slice(0, colon), 36);
        list.push([docId, parseInt(pair.slice(colon + 1), 36)]);
      }
    }
    store.decoded.set(term, list);
    return list;
  }

  /** The query as scripts: [{kind: "cjk"|"latin", text}]. */
  function scriptRuns(text) {
    const runs = [];
    let current = null;
    for (const ch of text) {
      const kind = CJK.test(ch) ? "cjk" : LATIN.test(ch) ? "latin" : null;
      if (current && current.kind === kind) {
        current.text += ch;
      } else {
        if (current && current.kind) runs.push(current);
        current = { kind, text: ch };
      }
    }
    if (current && current.kind) runs.push(current);
    return runs;
  }

  /** Splits a run of CJK characters into vocabulary terms, preferring the fewest
   * pieces and, of equally few, fewer single-character terms and longer earlier
   * pieces. A character that is not a term of its own may be left out (it costs a
   * little more than a word but less than a single-character term: the index never
   * has stop characters such as 的 on their own); left-out characters are dropped. */
  function splitCjk(run) {
    const chars = [...run];
    const n = chars.length;
    const vocabulary = store.vocabulary;
    const maxLength = store.maxCjkLength;
    const best = new Array(n + 1); // best[i]: {cost, next, term} for chars[i..]
    best[n] = { cost: 0, next: n, term: null };
    for (let i = n - 1; i >= 0; i--) {
      let choice = null;
      for (let j = Math.min(n, i + maxLength); j > i; j--) {
        const piece = chars.slice(i, j).join("");
        if (vocabulary.has(piece)) {
          const cost = best[j].cost + (j - i > 1 ? 1 : 1.01);
          if (!choice || cost < choice.cost - 1e-9) choice = { cost, next: j, term: piece };
        }
      }
      const skip = best[i + 1].cost + 1.005;
      if (!vocabulary.has(chars[i]) && (!choice || skip < choice.cost - 1e-9)) {
        choice = { cost: skip, next: i + 1, term: null };
      }
      best[i] = choice;
    }
    const terms = [];
    for (let i = 0; i < n; i = best[i].next) {
      if (best[i].term) terms.push(best[i].term);
    }
    return terms;
  }

  /** Vocabulary terms starting with `prefix` (sorted vocabulary, binary search). */
  function termsWithPrefix(prefix, limit) {
    const terms = store.meta.terms;
    let lo = 0;
    let hi = terms.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (terms[mid] < prefix) lo = mid + 1;
      else hi = mid;
    }
    const out = [];
    for (let i = lo; i < terms.length && out.length < limit && terms[i].startsWith(prefix); i++) {
      out.push(terms[i]);
    }
    return out;
  }

  /** The query as slots: each slot is a list of alternative terms, and a document
   * must match every slot (one of its terms). Also the query's literal parts. */
  function analyse(query) {
    const normalized = query.toLowerCase().trim().replace(/\s+/g, " ");
    const parts = normalized ? normalized.split(" ") : [];
    const slots = [];
    const seen = new Set();
    const add = (terms) => {
      const key = terms.join("\u0000");
      if (terms.length && !seen.has(key)) {
        seen.add(key);
        slots.push(terms);
      }
    };
    for (const run of scriptRuns(normalized)) {
      if (run.kind === "latin") {
        if (store.vocabulary.has(run.text)) add([run.text]);
        else add(termsWithPrefix(run.text, 12)); // a word still being typed
      } else {
        for (const term of splitCjk(run.text)) add([term]);
      }
    }
    return { normalized, parts, slots };
  }

  async function runSearch(query) {
    await loadIndex();
    const { normalized, parts, slots } = analyse(query);
    if (!slots.length) return { results: [], pattern: null, words: [] };
    await loadPostings(slots.flat());

    const total = store.meta.docs;
    // Per slot: doc -> weight × idf.
    const slotScores = slots.map((terms) => {
      const scores = new Map();
      for (const term of terms) {
        for (const [docId, weight] of postingsOf(term)) {
          scores.set(docId, Math.max(scores.get(docId) || 0, weight));
        }
      }
      const idf = Math.log(1 + total / Math.max(1, scores.size));
      for (const [docId, weight] of scores) scores.set(docId, weight * idf);
      return scores;
    });

    const combined = new Map(); // doc -> {score, matched}
    for (const scores of slotScores) {
      for (const [docId, score] of scores) {
        const entry = combined.get(docId);
        if (entry) {
          entry.score += score;
          entry.matched++;
        } else {
          combined.set(docId, { score, matched: 1 });
        }
      }
    }
    let candidates = [...combined].filter(([, e]) => e.matched === slots.length);
    if (!candidates.length) {
      // Nothing has every term: rank by how many terms a document has, then score.
      candidates = [...combined].map(([id, e]) => [id, { score: e.score * (e.matched / slots.length) ** 2, matched: e.matched }]);
    }
    candidates = candidates.map(([id, e]) => ({ id, score: e.score }));
    candidates.sort((a, b) => b.score - a.score || a.id - b.id);
    // A query that is one vocabulary term is in every candidate's text as it is:
    // checking more candidates than are shown would change nothing.
    const single = slots.length === 1 && slots[0].length === 1 && parts.length === 1 && parts[0] === slots[0][0];
    candidates = candidates.slice(0, single ? MAX_RESULTS : VERIFY);

    await loadDocs(candidates.map((c) => c.id));
    const whole = normalized;
    for (const c of candidates) {
      const row = getDoc(c.id);
      if (!row) continue;
      const haystack = (row[1] + "\n" + row[2] + "\n" + row[3]).toLowerCase();
      let boost = 1;
      for (const part of parts) {
        if (haystack.includes(part)) boost *= 2;
      }
      if (parts.length > 1 && haystack.includes(whole)) boost *= 1.5;
      c.score *= boost;
    }
    candidates.sort((a, b) => b.score - a.score || a.id - b.id);

    const words = [normalized].concat(parts, slots.flat());
    return {
      results: candidates.slice(0, MAX_RESULTS).map((c) => ({ id: c.id, row: getDoc(c.id) })).filter((r) => r.row),
      pattern: wordsPattern(words),
      words,
    };
  }

  /** About 80 characters of `text` around the first place that holds the longest of
   * `words` found in it (the whole query if it is there, else its longest term). */
  function snippet(text, words) {
    const flat = text.replace(/\s+/g, " ").trim();
    const lower = flat.toLowerCase();
    let at = 0;
    for (const word of [...words].sort((a, b) => b.length - a.length)) {
      const i = word ? lower.indexOf(word.toLowerCase()) : -1;
      if (i >= 0) {
        at = i;
        break;
      }
    }
    let start = Math.max(0, at - 24);
    let end = Math.min(flat.length, start + 80);
    start = Math.max(0, Math.min(start, end - 80));
    // Never cut a surrogate pair in two.
    if (start > 0 && /[\uDC00-\uDFFF]/.test(flat[start])) start--;
    if (end < flat.length && /[\uDC00-\uDFFF]/.test(flat[end])) end++;
    return (start > 0 ? "…" : "") + flat.slice(start, end) + (end < flat.length ? "…" : "");
  }

  function setupSearch() {
    const box = doc.querySelector("[data-search]");
    const input = doc.getElementById("search-input");
    const list = doc.getElementById("search-results");
    if (!box || !input || !list) return;

    input.setAttribute("role", "combobox");
    input.setAttribute("aria-autocomplete", "list");
    input.setAttribute("aria-haspopup", "listbox");
    const status = el("div", { class: "search-status", role: "status", "aria-live": "polite", hidden: true });
    box.append(status);

    let active = -1;
    let options = [];
    let sequence = 0;
    let timer = 0;
    let lastQuery = null;

    function showStatus(text, visible) {
      status.textContent = text;
      status.hidden = !text;
      status.classList.toggle("visually-hidden", !visible);
    }

    function open() {
      if (options.length) {
        list.hidden = false;
        input.setAttribute("aria-expanded", "true");
      }
    }

    function close() {
      list.hidden = true;
      input.setAttribute("aria-expanded", "false");
      status.hidden = true;
      setActive(-1);
    }

    function setActive(index) {
      if (options[active]) options[active].setAttribute("aria-selected", "false");
      active = index;
      if (options[active]) {
        const option = options[active];
        option.setAttribute("aria-selected", "true");
        input.setAttribute("aria-activedescendant", option.id);
        option.scrollIntoView({ block: "nearest" });
      } else {
        input.removeAttribute("aria-activedescendant");
      }
    }

    function render(found) {
      list.textContent = "";
      options = found.results.map((result, i) => {
        const [url, pageTitle, heading, text] = result.row;
        const option = el("a", {
          class: "search-result",
          id: "search-result-" + i,
          role: "option",
          "aria-selected": "false",
          href: root + url,
          tabindex: "-1",
        });
        let html = '<span class="search-result-title">' + highlight(pageTitle, found.pattern) + "</span>";
        if (heading) {
          html += '<span class="search-result-heading">' + highlight(heading, found.pattern) + "</span>";
        }
        if (text) {
          html += '<span class="search-result-snippet">' + highlight(snippet(text, found.words), found.pattern) + "</span>";
        }
        option.innerHTML = html;
        option.addEventListener("mousemove", () => { if (active !== i) setActive(i); });
        list.append(option);
        return option;
      });
      active = -1;
      input.removeAttribute("aria-activedescendant");
      if (options.length) {
        showStatus(fill(FALLBACK.results, { n: options.length }), false);
        open();
      } else {
        list.hidden = true;
        input.setAttribute("aria-expanded", "false");
        showStatus(input.dataset.noResults || "No results.", true);
      }
    }

    async function update() {
      const query = input.value.trim();
      if (query === lastQuery && (options.length || !status.hidden)) {
        if (options.length) open();
        return;
      }
      lastQuery = query;
      const mine = ++sequence;
      if (!query) {
        list.textContent = "";
        options = [];
        close();
        return;
      }
      const loading = setTimeout(() => {
        if (mine === sequence) showStatus(input.dataset.loading || "…", true);
      }, store.meta ? 400 : 0);
      try {
        const found = await runSearch(query);
        clearTimeout(loading);
        if (mine !== sequence) return;
        render(found);
        box.dataset.query = query; // the query the shown results answer
      } catch (error) {
        clearTimeout(loading);
        if (mine !== sequence) return;
        lastQuery = null;
        list.textContent = "";
        options = [];
        list.hidden = true;
        showStatus(FALLBACK.searchFailed, true);
        box.dataset.query = query;
        if (window.console) console.error(error);
      }
    }

    input.addEventListener("focus", () => {
      loadIndex().catch(() => {}); // start early; errors are shown on search
      if (input.value.trim()) update();
    });
    input.addEventListener("input", () => {
      clearTimeout(timer);
      timer = setTimeout(update, 120);
    });
    input.addEventListener("keydown", (event) => {
      if (event.isComposing || event.keyCode === 229) return; // an IME is composing
      switch (event.key) {
        case "ArrowDown":
          event.preventDefault();
          if (list.hidden) open();
          if (options.length) setActive((active + 1) % options.length);
          break;
        case "ArrowUp":
          event.preventDefault();
          if (list.hidden) open();
          if (options.length) setActive(active <= 0 ? options.length - 1 : active - 1);
          break;
        case "Enter": {
          event.preventDefault();
          clearTimeout(timer);
          const go = () => {
            const target = options[active >= 0 ? active : 0];
            if (target) location.href = target.href;
          };
          if (input.value.trim() !== lastQuery) update().then(go);
          else go();
          break;
        }
        case "Escape":
          if (!list.hidden || !status.hidden) {
            event.preventDefault();
            close();
          } else if (input.value) {
            event.preventDefault();
            input.value = "";
            lastQuery = null;
            options = [];
            list.textContent = "";
          }
          break;
        default:
      }
    });
    box.addEventListener("focusout", (event) => {
      if (!box.contains(event.relatedTarget)) close();
    });
    doc.addEventListener("pointerdown", (event) => {
      if (!box.contains(event.target)) close();
    });

    doc.addEventListener("keydown", (event) => {
      if (event.key !== "/" || event.ctrlKey || event.metaKey || event.altKey || event.defaultPrevented) return;
      if (isEditable(event.target)) return;
      event.preventDefault();
      input.focus();
      input.select();
    });
  }

  /* 3. Copy buttons ====================================================== */

  function copyText(text) {
    const fallback = () => {
      const area = el("textarea", { readonly: true, "aria-hidden": "true", class: "copy-buffer" });
      area.value = text;
      body.append(area);
      const focused = doc.activeElement;
      area.focus({ preventScroll: true });
      area.select();
      let ok = false;
      try {
        ok = doc.execCommand("copy");
      } catch (e) {
        ok = false;
      }
      area.remove();
      if (focused && focused.focus) focused.focus({ preventScroll: true });
      return ok ? Promise.resolve() : Promise.reject(new Error("copy failed"));
    };
    if (navigator.clipboard && window.isSecureContext) {
      return navigator.clipboard.writeText(text).catch(fallback);
    }
    return fallback();
  }

  function shorten(text, length) {
    const chars = [...text];
    return chars.length > length ? chars.slice(0, length).join("") + "…" : text;
  }

  function setupCopyButtons() {
    const lines = doc.querySelectorAll("li.say-line[data-line]");
    if (!lines.length) return;
    const finder = doc.querySelector("[data-finder]");
    const copyLabel = body.dataset.copy || (finder && finder.dataset.copy) || FALLBACK.copy;
    const copiedLabel = body.dataset.copied || (finder && finder.dataset.copied) || FALLBACK.copied;
    for (const line of lines) {
      if (line.querySelector(".copy-button")) continue;
      const button = el("button", {
        type: "button",
        class: "copy-button",
        "aria-label": copyLabel + (chinese ? "：" : ": ") + shorten(line.dataset.line, 24),
        title: copyLabel,
      }, [el("span", { class: "copy-label", text: copyLabel })]);
      let reset = 0;
      button.addEventListener("click", () => {
        copyText(line.dataset.line).then(
          () => {
            button.classList.add("is-copied");
            button.firstChild.textContent = copiedLabel;
            announce(copiedLabel);
            clearTimeout(reset);
            reset = setTimeout(() => {
              button.classList.remove("is-copied");
              button.firstChild.textContent = copyLabel;
            }, 1500);
          },
          () => announce(FALLBACK.copyFailed),
        );
      });
      line.classList.add("has-copy");
      line.prepend(button); // first, so that it floats to the top right of the line
    }
  }

  /* 4. Phrase finder ======================================================= */

  function setupFinder() {
    const finder = doc.querySelector("[data-finder]");
    if (!finder) return;
    const textInput = finder.querySelector("#finder-text");
    const tableSelect = finder.querySelector("#finder-table");
    const tagSelect = finder.querySelector("#finder-tag");
    const empty = finder.querySelector(".finder-empty");
    const groups = [...finder.querySelectorAll(".finder-group")].map((group) => ({
      node: group,
      table: group.dataset.table || "",
      tags: (group.dataset.tags || "").split("|").filter(Boolean),
      entries: [...group.querySelectorAll(".finder-entry")].map((entry) => {
        const situation = entry.querySelector(".finder-situation");
        return {
          node: entry,
          situation: situation ? situation.textContent.toLowerCase() : "",
          lines: [...entry.querySelectorAll("li")].map((li) => {
            // The text to match and to highlight: a say line's text node, an avoid line's <del>.
            let target = li.querySelector("del");
            if (!target) {
              target = el("span", { class: "line-text" });
              target.textContent = li.dataset.line || "";
              for (const node of [...li.childNodes]) {
                if (node.nodeType === 3) node.remove();
              }
              li.append(target); // after the copy button, which floats
            }
            const text = target.textContent;
            return { node: li, target, text, lower: text.toLowerCase() };
          }),
        };
      }),
    }));

    // Restore the filters from the address (#q=…&table=…&tag=…), so a filtered view can be shared.
    const params = new URLSearchParams(location.hash.replace(/^#/, ""));
    if (textInput && params.has("q")) textInput.value = params.get("q");
    if (tableSelect && params.has("table")) tableSelect.value = params.get("table");
    if (tagSelect && params.has("tag")) tagSelect.value = params.get("tag");

    let frame = 0;
    function apply() {
      frame = 0;
      const words = textInput ? textInput.value.toLowerCase().trim().split(/\s+/).filter(Boolean) : [];
      const table = tableSelect ? tableSelect.value : "";
      const tag = tagSelect ? tagSelect.value : "";
      const pattern = wordsPattern(words);
      const has = (text) => words.every((w) => text.includes(w));
      let shown = 0;
      for (const group of groups) {
        let groupShown = 0;
        const groupOk = (!table || group.table === table) && (!tag || group.tags.includes(tag));
        for (const entry of group.entries) {
          let entryShown = false;
          const whole = groupOk && (words.length === 0 || has(entry.situation));
          for (const line of entry.lines) {
            const visible = groupOk && (whole || has(line.lower));
            line.node.hidden = !visible;
            if (visible) entryShown = true;
            line.target.innerHTML = highlight(line.text, groupOk ? pattern : null);
          }
          entry.node.hidden = !entryShown;
          if (entryShown) groupShown++;
        }
        group.node.hidden = groupShown === 0;
        shown += groupShown;
      }
      if (empty) empty.hidden = shown !== 0;
      const state = new URLSearchParams();
      if (textInput && textInput.value.trim()) state.set("q", textInput.value.trim());
      if (table) state.set("table", table);
      if (tag) state.set("tag", tag);
      // Keep the filters in the address, without touching a plain #anchor.
      const hash = state.toString();
      const current = location.hash.replace(/^#/, "");
      const ours = /(^|&)(q|table|tag)=/.test(current);
      if (history.replaceState && hash !== current && (hash || ours)) {
        history.replaceState(null, "", hash ? "#" + hash : location.pathname + location.search);
      }
    }
    const schedule = () => {
      if (!frame) frame = requestAnimationFrame(apply);
    };
    for (const control of [textInput, tableSelect, tagSelect]) {
      if (control) {
        control.addEventListener("input", schedule);
        control.addEventListener("change", schedule);
      }
    }
    if (empty) empty.setAttribute("role", "status");
    apply();
  }

  /* 5. Practice ============================================================ */

  const ROUND = 10;

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
    const tables = (data.tables || []).filter((t) => t.entries && t.entries.length);
    const label = (key, fallback) => page.dataset[key] || fallback;
    const L = {
      start: label("start", "Start"),
      next: label("next", "Next"),
      right: label("right", "Right!"),
      wrong: label("wrong", "Not quite."),
      score: label("score", "Score"),
      again: label("again", "Practise again"),
      reset: label("reset", "Clear progress"),
      why: label("why", "Why"),
      situation: label("situation", "Situation"),
    };
    const titleNode = doc.querySelector(".site-title");
    const storageKey = "handbook-practice:" + ((titleNode && titleNode.textContent.trim()) || doc.title);

    function loadProgress() {
      try {
        const saved = JSON.parse(localStorage.getItem(storageKey) || "null");
        if (saved && typeof saved === "object" && saved.entries) return saved;
      } catch (e) {
        /* storage unavailable or unreadable: start afresh */
      }
      return { version: 1, entries: {}, last: null, tables: null };
    }
    function saveProgress() {
      try {
        localStorage.setItem(storageKey, JSON.stringify(progress));
      } catch (e) {
        /* private mode or full: progress lives for this visit only */
      }
    }
    let progress = loadProgress();

    const entryKey = (table, entry) => table.id + "#" + entry.id;
    const scoreText = (right, total) => L.score + FALLBACK.colon + right + " / " + total;

    function tableStats(table) {
      let right = 0;
      let wrong = 0;
      for (const entry of table.entries) {
        const counts = progress.entries[entryKey(table, entry)];
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

    /* The set-up view: which tables, last score, start, reset. */
    function showSetup(focusStart) {
      app.textContent = "";
      const chosen = new Set(progress.tables && progress.tables.length ? progress.tables : tables.map((t) => t.id));
      const fieldset = el("fieldset", { class: "practice-tables" }, [el("legend", { text: FALLBACK.chooseTables })]);
      const boxes = [];
      for (const table of tables) {
        const eligible = table.entries.filter((e) => e.avoid && e.avoid.length && e.say && e.say.length).length;
        const box = el("input", { type: "checkbox", value: table.id, checked: chosen.has(table.id), disabled: eligible === 0 });
        boxes.push(box);
        const stats = tableStats(table);
        const seen = stats.right + stats.wrong;
        fieldset.append(el("label", { class: "practice-table" }, [
          box,
          el("span", { class: "practice-table-title", text: table.title }),
          el("span", { class: "practice-table-count", text: String(eligible) }),
          seen ? el("span", { class: "practice-table-stats", text: fill(FALLBACK.progress, stats) }) : null,
        ]));
      }
      const allNone = el("p", { class: "practice-select-all" }, [
        el("button", { type: "button", class: "button-secondary", text: FALLBACK.all }),
        el("button", { type: "button", class: "button-secondary", text: FALLBACK.none }),
      ]);
      allNone.children[0].addEventListener("click", () => boxes.forEach((b) => { b.checked = !b.disabled; }));
      allNone.children[1].addEventListener("click", () => boxes.forEach((b) => { b.checked = false; }));
      fieldset.append(allNone);

      const message = el("p", { class: "practice-message", role: "status" });
      const start = el("button", { type: "submit", class: "button", text: L.start });
      const reset = el("button", { type: "button", class: "button-secondary practice-reset", text: L.reset });
      const form = el("form", { class: "practice-setup" }, [
        fieldset,
        progress.last
          ? el("p", { class: "practice-last", text: FALLBACK.lastScore + FALLBACK.colon + progress.last.right + " / " + progress.last.total })
          : null,
        el("p", { class: "practice-actions" }, [start, " ", reset]),
        message,
      ]);
      form.addEventListener("submit", (event) => {
        event.preventDefault();
        const picked = boxes.filter((b) => b.checked).map((b) => b.value);
        progress.tables = picked;
        saveProgress();
        const round = buildRound(picked);
        if (!round.length) {
          message.textContent = FALLBACK.noQuestions;
          return;
        }
        startRound(round);
      });
      reset.addEventListener("click", () => {
        try {
          localStorage.removeItem(storageKey);
        } catch (e) {
          /* nothing stored */
        }
        progress = { version: 1, entries: {}, last: null, tables: null };
        showSetup(false);
        const note = app.querySelector(".practice-message");
        if (note) note.textContent = FALLBACK.cleared;
        const again = app.querySelector(".practice-reset");
        if (again) again.focus();
      });
      app.append(form);
      if (focusStart) start.focus();
    }

    /* A round: up to ROUND questions, weak and unseen entries first. */
    function buildRound(tableIds) {
      const picked = tables.filter((t) => tableIds.includes(t.id));
      const pool = [];
      for (const table of picked) {
        for (const entry of table.entries) {
          if (!entry.say || !entry.say.length || !entry.avoid || !entry.avoid.length) continue;
          const counts = progress.entries[entryKey(table, entry)] || [0, 0];
          const rank = counts[1] > counts[0] ? 0 : counts[0] + counts[1] === 0 ? 1 : 2;
          pool.push({ table, entry, rank, r: Math.random() });
        }
      }
      pool.sort((a, b) => a.rank - b.rank || a.r - b.r);
      return pool.slice(0, ROUND).map(({ table, entry }) => makeQuestion(table, entry));
    }

    function makeQuestion(table, entry) {
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
      take(shuffle(tables.filter((t) => t !== table).flatMap((t) => t.entries.flatMap((e) => e.avoid || []))));
      const options = shuffle([{ text: correct, right: true }, ...wrong.map((text) => ({ text, right: false }))]);
      return { table, entry, options };
    }

    function startRound(round) {
      const state = { round, index: 0, right: 0, missed: [], tables: progress.tables };
      showQuestion(state);
    }

    function showQuestion(state) {
      const q = state.round[state.index];
      app.textContent = "";
      let answered = false;
      const title = heading(q.entry.situation);
      const list = el("ol", { class: "practice-options" });
      const feedback = el("div", { class: "practice-feedback", hidden: true });
      const buttons = q.options.map((option, i) => {
        const button = el("button", {
          type: "button",
          class: "practice-option",
          "aria-keyshortcuts": String(i + 1),
        }, [el("span", { class: "practice-option-key", "aria-hidden": "true", text: String(i + 1) }), el("span", { class: "practice-option-text", text: option.text })]);
        button.addEventListener("click", () => answer(i));
        list.append(el("li", null, [button]));
        return button;
      });

      function answer(i) {
        if (answered) return;
        answered = true;
        const chosen = q.options[i];
        const key = entryKey(q.table, q.entry);
        const counts = progress.entries[key] || [0, 0];
        counts[chosen.right ? 0 : 1]++;
        progress.entries[key] = counts;
        if (chosen.right) state.right++;
        else state.missed.push(q);
        saveProgress();
        q.options.forEach((option, j) => {
          const button = buttons[j];
          button.setAttribute("aria-disabled", "true");
          button.classList.add(option.right ? "is-right" : "is-wrong");
          if (option.right) button.append(el("span", { class: "visually-hidden", text: " " + FALLBACK.rightOption }));
          if (j === i) {
            button.classList.add("is-chosen");
            button.append(el("span", { class: "visually-hidden", text: " " + FALLBACK.yourChoice }));
          }
        });
        const last = state.index + 1 >= state.round.length;
        const next = el("button", { type: "button", class: "button practice-next", text: last ? L.score : L.next });
        next.addEventListener("click", () => {
          state.index++;
          if (state.index < state.round.length) showQuestion(state);
          else showEnd(state);
        });
        feedback.append(
          el("p", { class: "practice-verdict " + (chosen.right ? "is-right" : "is-wrong"), text: chosen.right ? L.right : L.wrong }),
          chosen.right ? null : el("p", { class: "practice-correct" }, [el("span", { class: "label label-say", text: FALLBACK.correctIs }), " ", q.options.find((o) => o.right).text]),
          q.entry.why ? el("p", { class: "why" }, [el("span", { class: "label", text: L.why }), " " + q.entry.why]) : null,
          el("p", { class: "practice-score-line", text: scoreText(state.right, state.index + 1) }),
          el("p", { class: "practice-actions" }, [next]),
        );
        feedback.hidden = false;
        next.focus();
      }

      const section = el("section", { class: "practice-question", "aria-labelledby": "practice-q" }, [
        el("p", { class: "practice-progress" }, [
          el("span", { text: fill(FALLBACK.question, { n: state.index + 1, total: state.round.length }) }),
          el("span", { class: "practice-running", text: scoreText(state.right, state.index) }),
        ]),
        el("p", { class: "practice-situation-label" }, [el("span", { class: "label", text: L.situation }), " ", el("span", { class: "practice-source", text: q.table.title })]),
        title,
        list,
        feedback,
      ]);
      title.id = "practice-q";
      section.addEventListener("keydown", (event) => {
        if (answered || event.ctrlKey || event.metaKey || event.altKey) return;
        const n = parseInt(event.key, 10);
        if (n >= 1 && n <= q.options.length) {
          event.preventDefault();
          answer(n - 1);
        }
      });
      app.append(section);
      title.focus();
    }

    function showEnd(state) {
      app.textContent = "";
      progress.last = { right: state.right, total: state.round.length, at: Date.now() };
      saveProgress();
      const title = heading(scoreText(state.right, state.round.length));
      title.classList.add("practice-final");
      const again = el("button", { type: "button", class: "button", text: L.again });
      const choose = el("button", { type: "button", class: "button-secondary", text: FALLBACK.chooseTablesAgain });
      again.addEventListener("click", () => {
        const round = buildRound(state.tables || tables.map((t) => t.id));
        if (round.length) startRound(round);
        else showSetup(true);
      });
      choose.addEventListener("click", () => showSetup(true));
      const review = state.missed.length
        ? el("div", { class: "practice-review" }, [
            el("h3", { text: FALLBACK.review }),
            el("ul", null, state.missed.map((q) => el("li", null, [
              el("span", { class: "practice-review-situation", text: q.entry.situation }),
              el("span", { class: "practice-review-line", text: q.options.find((o) => o.right).text }),
            ]))),
          ])
        : null;
      app.append(el("section", { class: "practice-end" }, [
        title,
        el("meter", { class: "practice-meter", min: "0", max: String(state.round.length), value: String(state.right), "aria-hidden": "true" }),
        el("p", { class: "practice-actions" }, [again, " ", choose]),
        review,
      ]));
      title.focus();
    }

    page.classList.add("is-ready");
    showSetup(false);
  }

  /* 6. Keyboard: previous / next page ====================================== */

  function setupPager() {
    doc.addEventListener("keydown", (event) => {
      if (event.key !== "ArrowLeft" && event.key !== "ArrowRight") return;
      if (event.defaultPrevented || event.altKey || event.ctrlKey || event.metaKey || event.shiftKey) return;
      const inField = (node) => node && node.nodeType === 1
        && (node.isContentEditable || /^(INPUT|SELECT|TEXTAREA)$/.test(node.tagName));
      if (inField(event.target) || inField(doc.activeElement)) return;
      const link = doc.querySelector(event.key === "ArrowLeft" ? 'a[rel="prev"]' : 'a[rel="next"]');
      if (!link) return;
      event.preventDefault();
      location.href = link.href;
    });
  }

  setupSearch();
  setupCopyButtons();
  setupFinder();
  setupPractice();
  setupPager();
})();
