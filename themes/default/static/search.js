/* search.js — the search box in the header, on every page but print.html (see
 * handbook.js for the theme's scripts).
 *
 * The index is a set of scripts under search/ that call back into
 * `window.handbookSearch`: they load from file:// and any sub-path, and only when the
 * box is first used. Its format is described in src/search/mod.rs. Terms are split the
 * way the indexer splits scripts: runs of CJK ideographs, runs of letters and digits
 * (lower-cased), and everything else as separators. Traditional characters are
 * folded to Simplified first, with the table the index ships (search/fold.js), as the
 * indexer folds the text; results show the text as written.
 */
(function () {
  "use strict";

  const hb = window.handbook;
  // No shared helpers: a theme's own handbook.js replaced the default one and does
  // the searching itself, if anything.
  if (!hb) return;
  const doc = document;
  const root = hb.root;
  const { el, fill, highlight, wordsPattern, isEditable, text, uiString } = hb;

  /* The index ============================================================== */

  const CJK = /[\u3400-\u4DBF\u4E00-\u9FFF\uF900-\uFAFF\u{20000}-\u{2FA1F}]/u;
  const LATIN = /[\p{Alphabetic}\p{N}]/u;
  const MAX_RESULTS = 10; // shown at first, and added by each "more"
  const VERIFY = 30; // candidates whose text is loaded to check for the exact query
  const LOAD_TIMEOUT = 20000;

  const store = {
    meta: null,
    vocabulary: null, // Set of terms
    stop: new Set(), // characters never indexed on their own
    maxCjkLength: 1,
    postingShards: new Map(), // shard -> {term: encoded}
    docShards: new Map(), // shard -> rows
    decoded: new Map(), // term -> [[doc, weight], ...]
    fold: null, // Map: Traditional character -> Simplified
  };

  // The index scripts call these.
  window.handbookSearch = {
    index(meta) {
      store.meta = meta;
      store.vocabulary = new Set(meta.terms);
      store.stop = new Set(meta.stop || "");
      let longest = 1;
      for (const term of meta.terms) {
        const length = [...term].length; // characters, not UTF-16 units
        if (length > longest && CJK.test(term)) longest = length;
      }
      store.maxCjkLength = Math.min(longest, 24);
    },
    postings(n, map) {
      store.postingShards.set(n, map);
    },
    /* `pages` ([url, title], each page once) and rows [page, anchor, heading,
     * text], `anchor` 1 where it is the heading: put back together as
     * [url, title, heading, text]. Without `pages` (an older index) the rows are
     * that already. */
    docs(n, pages, rows) {
      if (!rows) {
        store.docShards.set(n, pages);
        return;
      }
      store.docShards.set(n, rows.map(([page, anchor, heading, text]) => {
        const [url, title] = pages[page];
        const hash = anchor === 1 ? heading : anchor;
        return [hash ? url + "#" + hash : url, title, heading, text];
      }));
    },
    fold(from, to) {
      const targets = [...to];
      store.fold = new Map([...from].map((ch, i) => [ch, targets[i]]));
    },
    // How a query is read (the test that holds src/search/query.rs to this calls it).
    analyse(query) {
      return analyse(query);
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

  /* `handbook serve` wrote a new index (its `handbook:search-index` event): the
   * next query loads it anew (the server sends every file uncached). */
  doc.addEventListener("handbook:search-index", () => {
    store.meta = null;
    store.vocabulary = null;
    store.postingShards.clear();
    store.docShards.clear();
    store.decoded.clear();
    scriptLoads.clear();
    for (const script of doc.querySelectorAll('script[src*="search/"]')) {
      if (script.src.startsWith(new URL(root + "search/", location.href).href)) script.remove();
    }
  });

  function loadIndex() {
    if (store.meta && store.fold) return Promise.resolve(store.meta);
    // An index without a fold table (an older build) still answers, unfolded.
    const fold = loadScript("fold.js").catch(() => {});
    return Promise.all([loadScript("index.js"), fold]).then(() => {
      if (!store.meta) throw new Error("search/index.js did not call handbookSearch.index");
      return store.meta;
    });
  }

  /** `value` with its Traditional characters made Simplified: the same length in
   * UTF-16 units (the table pairs only such characters), so offsets still fit `value`. */
  function foldText(value) {
    const table = store.fold;
    if (!table) return value;
    let out = "";
    for (const ch of value) out += table.get(ch) || ch;
    return out;
  }

  /** `pattern` (of folded words) matched against the folded text, the matches
   * handed back as the text's own characters: for `highlight`. */
  function foldedPattern(pattern) {
    if (!pattern || !store.fold) return pattern;
    let source = null;
    let folded = "";
    return {
      get lastIndex() { return pattern.lastIndex; },
      set lastIndex(value) { pattern.lastIndex = value; },
      exec(value) {
        if (value !== source) {
          source = value;
          folded = foldText(value);
        }
        const m = pattern.exec(folded);
        if (!m) return null;
        const match = [value.slice(m.index, m.index + m[0].length)];
        match.index = m.index;
        return match;
      },
    };
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
   * has stop characters such as 的 on their own); left-out characters are dropped,
   * and those that are not stop characters are pushed onto `missing`. */
  function splitCjk(run, missing) {
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
      else if (!store.stop.has(chars[i])) missing.push(chars[i]);
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
   * must match every slot (one of its terms). Also the query's literal parts, and
   * its characters no term has (then no document has the whole query). */
  function analyse(query) {
    const normalized = foldText(query.toLowerCase().trim().replace(/\s+/g, " "));
    const parts = normalized ? normalized.split(" ") : [];
    const slots = [];
    const seen = new Set();
    const missing = [];
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
        for (const term of splitCjk(run.text, missing)) add([term]);
      }
    }
    return { normalized, parts, slots, missing };
  }

  /* Ranking ================================================================ */

  /** Per slot: doc -> the weight of the slot's best term in it × the slot's idf. */
  function slotScores(slots) {
    const total = store.meta.docs;
    return slots.map((terms) => {
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
  }

  /** {candidates: [{id, score}] best first, partial}: the documents with every
   * slot; when none has every slot or `partial` says none can, all of them
   * (partial), ranked by how many slots they have, then score. */
  function candidatesOf(scoresPerSlot, partial) {
    const slotCount = scoresPerSlot.length;
    const combined = new Map(); // doc -> {score, matched}
    for (const scores of scoresPerSlot) {
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
    let candidates = partial ? [] : [...combined].filter(([, e]) => e.matched === slotCount);
    if (!candidates.length) {
      partial = true;
      candidates = [...combined].map(([id, e]) => [id, { score: e.score * (e.matched / slotCount) ** 2, matched: e.matched }]);
    }
    candidates = candidates.map(([id, e]) => ({ id, score: e.score }));
    candidates.sort((a, b) => b.score - a.score || a.id - b.id);
    return { candidates, partial };
  }

  /** Raises the score of candidates whose text holds the query's parts, and more of
   * those that hold the whole query, word for word; sorts them again. */
  function boostLiteral(candidates, normalized, parts) {
    for (const c of candidates) {
      const row = getDoc(c.id);
      if (!row) continue;
      const haystack = foldText((row[1] + "\n" + row[2] + "\n" + row[3]).toLowerCase());
      let boost = 1;
      for (const part of parts) {
        if (haystack.includes(part)) boost *= 2;
      }
      if (parts.length > 1 && haystack.includes(normalized)) boost *= 1.5;
      c.score *= boost;
    }
    candidates.sort((a, b) => b.score - a.score || a.id - b.id);
  }

  /** What `query` finds: {candidates: [{id, score}] all of them, ranked; partial
   * (none has every word); slots and their scores (which document has which);
   * pattern and words to mark}, loading what it needs. */
  async function runSearch(query) {
    await loadIndex();
    const { normalized, parts, slots, missing } = analyse(query);
    if (!slots.length) return { candidates: [], partial: false, slots, scores: [], pattern: null, words: [] };
    await loadPostings(slots.flat());

    const scores = slotScores(slots);
    const { candidates, partial } = candidatesOf(scores, missing.length > 0);
    // A query that is one vocabulary term is in every candidate's text as it is:
    // checking more candidates than are shown would change nothing.
    const single = slots.length === 1 && slots[0].length === 1 && parts.length === 1 && parts[0] === slots[0][0];
    const verified = candidates.slice(0, single ? MAX_RESULTS : VERIFY);
    await loadDocs(verified.map((c) => c.id));
    boostLiteral(verified, normalized, parts);

    const words = [normalized].concat(parts, slots.flat());
    return {
      candidates: verified.concat(candidates.slice(verified.length)),
      partial,
      slots,
      scores,
      pattern: foldedPattern(wordsPattern(words)),
      words,
    };
  }

  /** Results `from` to `to` of `found` as [{id, row}], their documents loaded. */
  async function resultsOf(found, from, to) {
    const slice = found.candidates.slice(from, to);
    await loadDocs(slice.map((c) => c.id));
    return slice.map((c) => ({ id: c.id, row: getDoc(c.id) })).filter((r) => r.row);
  }

  /** The words of the query document `id` has, for a partial result's label: of each
   * slot it has, the term it has. */
  function matchedWords(found, id) {
    const words = [];
    found.slots.forEach((terms, i) => {
      if (!found.scores[i].has(id)) return;
      const term = terms.find((t) => postingsOf(t).some(([docId]) => docId === id));
      if (term) words.push(term);
    });
    return words;
  }

  /** About 80 characters of `text` around the first place that holds the longest of
   * `words` found in it (the whole query if it is there, else its longest term). */
  function snippet(text, words) {
    const flat = text.replace(/\s+/g, " ").trim();
    const lower = foldText(flat.toLowerCase());
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

  /* The box ================================================================ */
  /* A combobox: the input owns a listbox of result links. `ui` holds its elements
   * and state: the active option, the options shown, the query they answer. */

  function searchBox() {
    const box = doc.querySelector("[data-search]");
    const input = doc.getElementById("search-input");
    const list = doc.getElementById("search-results");
    if (!box || !input || !list) return null;
    input.setAttribute("role", "combobox");
    input.setAttribute("aria-autocomplete", "list");
    input.setAttribute("aria-haspopup", "listbox");
    const status = el("div", { class: "search-status", role: "status", "aria-live": "polite", hidden: true });
    // The list goes into a panel with the counts line above it and "more" below
    // (outside the listbox, which holds only options).
    const panel = el("div", { class: "search-panel" });
    const summary = el("p", { class: "search-summary", "aria-hidden": "true" });
    const more = el("button", { type: "button", class: "button-secondary search-more", "aria-controls": list.id, hidden: true });
    // The arrows move through the list from the box: the list, a scroller Chromium
    // would make a tab stop, is none, so Tab goes from the box to "more".
    list.setAttribute("tabindex", "-1");
    list.replaceWith(panel);
    panel.append(summary, list, more);
    box.append(status);
    return {
      box, input, list, status, summary, more,
      active: -1, options: [], sequence: 0, timer: 0, lastQuery: null, found: null,
    };
  }

  function showStatus(ui, message, visible) {
    ui.status.textContent = message;
    ui.status.hidden = !message;
    ui.status.classList.toggle("visually-hidden", !visible);
  }

  function open(ui) {
    if (ui.options.length) {
      ui.list.hidden = false;
      ui.input.setAttribute("aria-expanded", "true");
    }
  }

  function close(ui) {
    ui.list.hidden = true;
    ui.input.setAttribute("aria-expanded", "false");
    ui.status.hidden = true;
    setActive(ui, -1);
  }

  function setActive(ui, index) {
    if (ui.options[ui.active]) ui.options[ui.active].setAttribute("aria-selected", "false");
    ui.active = index;
    const option = ui.options[index];
    if (option) {
      option.setAttribute("aria-selected", "true");
      ui.input.setAttribute("aria-activedescendant", option.id);
      option.scrollIntoView({ block: "nearest" });
    } else {
      ui.input.removeAttribute("aria-activedescendant");
    }
  }

  function clearResults(ui) {
    ui.list.textContent = "";
    ui.options = [];
    ui.found = null;
    ui.more.hidden = true;
  }

  /** Result `i` as a link: the page, the section's heading and a snippet, matches marked. */
  function resultOption(ui, found, { id, row }, i) {
    const [url, pageTitle, heading, body] = row;
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
    if (body) {
      html += '<span class="search-result-snippet">' + highlight(snippet(body, found.words), found.pattern) + "</span>";
    }
    if (found.partial) {
      const only = fill(text("matchedOnly"), { terms: matchedWords(found, id).join(" / ") });
      html += '<span class="search-result-partial">' + highlight(only, null) + "</span>";
    }
    option.innerHTML = html;
    option.addEventListener("mousemove", () => { if (ui.active !== i) setActive(ui, i); });
    return option;
  }

  /** Adds `results` to the list as options. */
  function appendOptions(ui, results) {
    for (const result of results) {
      const option = resultOption(ui, ui.found, result, ui.options.length);
      ui.list.append(option);
      ui.options.push(option);
    }
  }

  /** The counts line ("showing the first 10 of 38", or "38 results"), the partial
   * notice and the "more" button, for the results shown; the status announces it. */
  function summarize(ui) {
    const total = ui.found.candidates.length;
    const shown = ui.options.length;
    const counts = shown < total ? fill(text("showing"), { shown, n: total }) : fill(text("results"), { n: total });
    ui.summary.textContent = "";
    if (ui.found.partial) ui.summary.append(el("span", { class: "search-summary-partial", text: text("partial") }));
    ui.summary.append(counts);
    ui.more.hidden = shown >= total;
    ui.more.textContent = fill(text("more"), { n: Math.min(MAX_RESULTS, total - shown) });
    showStatus(ui, (ui.found.partial ? text("partial") + " " : "") + counts, false);
  }

  /** "More": the next results, the first of them made active, focus back in the box. */
  async function showMore(ui) {
    const found = ui.found;
    if (!found) return;
    const from = ui.options.length;
    const results = await resultsOf(found, from, from + MAX_RESULTS);
    if (found !== ui.found) return; // another query answered meanwhile
    appendOptions(ui, results);
    summarize(ui);
    ui.input.focus();
    setActive(ui, Math.min(from, ui.options.length - 1));
  }

  function render(ui, found, results) {
    ui.list.textContent = "";
    ui.options = [];
    ui.found = found;
    appendOptions(ui, results);
    ui.active = -1;
    ui.input.removeAttribute("aria-activedescendant");
    if (ui.options.length) {
      summarize(ui);
      open(ui);
    } else {
      ui.more.hidden = true;
      ui.list.hidden = true;
      ui.input.setAttribute("aria-expanded", "false");
      showStatus(ui, uiString(ui.input, "noResults"), true);
    }
  }

  /** Searches for what the box holds, unless its results are shown already. */
  async function update(ui) {
    const query = ui.input.value.trim();
    if (query === ui.lastQuery && (ui.options.length || !ui.status.hidden)) {
      if (ui.options.length) open(ui);
      return;
    }
    ui.lastQuery = query;
    const mine = ++ui.sequence;
    if (!query) {
      clearResults(ui);
      close(ui);
      return;
    }
    const loading = setTimeout(() => {
      if (mine === ui.sequence) showStatus(ui, uiString(ui.input, "loading"), true);
    }, store.meta ? 400 : 0);
    try {
      const found = await runSearch(query);
      const results = await resultsOf(found, 0, MAX_RESULTS);
      clearTimeout(loading);
      if (mine !== ui.sequence) return;
      render(ui, found, results);
      ui.box.dataset.query = query; // the query the shown results answer
    } catch (error) {
      clearTimeout(loading);
      if (mine !== ui.sequence) return;
      ui.lastQuery = null;
      clearResults(ui);
      ui.list.hidden = true;
      showStatus(ui, text("searchFailed"), true);
      ui.box.dataset.query = query;
      if (window.console) console.error(error);
    }
  }

  /** Enter: opens the active result (the first if none is), once the results answer the box. */
  function openChosen(ui) {
    clearTimeout(ui.timer);
    const go = () => {
      const target = ui.options[ui.active >= 0 ? ui.active : 0];
      if (target) location.href = target.href;
    };
    if (ui.input.value.trim() !== ui.lastQuery) update(ui).then(go);
    else go();
  }

  /** Escape: closes the list, or when it is closed already, empties the box. */
  function escape(ui, event) {
    if (!ui.list.hidden || !ui.status.hidden) {
      event.preventDefault();
      close(ui);
    } else if (ui.input.value) {
      event.preventDefault();
      ui.input.value = "";
      ui.lastQuery = null;
      clearResults(ui);
    }
  }

  function onKeydown(ui, event) {
    if (event.isComposing || event.keyCode === 229) return; // an IME is composing
    const count = ui.options.length;
    switch (event.key) {
      case "ArrowDown":
        event.preventDefault();
        if (ui.list.hidden) open(ui);
        if (count) setActive(ui, (ui.active + 1) % count);
        break;
      case "ArrowUp":
        event.preventDefault();
        if (ui.list.hidden) open(ui);
        if (count) setActive(ui, ui.active <= 0 ? count - 1 : ui.active - 1);
        break;
      case "Enter":
        event.preventDefault();
        openChosen(ui);
        break;
      case "Escape":
        escape(ui, event);
        break;
      default:
    }
  }

  function setupSearch() {
    const ui = searchBox();
    if (!ui) return;
    const { box, input } = ui;
    input.addEventListener("focus", () => {
      loadIndex().catch(() => {}); // start early; errors are shown on search
      if (input.value.trim()) update(ui);
    });
    input.addEventListener("input", () => {
      clearTimeout(ui.timer);
      ui.timer = setTimeout(() => update(ui), 120);
    });
    input.addEventListener("keydown", (event) => onKeydown(ui, event));
    ui.more.addEventListener("click", () => {
      showMore(ui).catch((error) => { if (window.console) console.error(error); });
    });
    box.addEventListener("focusout", (event) => {
      if (!box.contains(event.relatedTarget)) close(ui);
    });
    doc.addEventListener("pointerdown", (event) => {
      if (!box.contains(event.target)) close(ui);
    });
    // "/" jumps to the box from anywhere but a text field.
    doc.addEventListener("keydown", (event) => {
      if (event.key !== "/" || event.ctrlKey || event.metaKey || event.altKey || event.defaultPrevented) return;
      if (isEditable(event.target)) return;
      event.preventDefault();
      input.focus();
      input.select();
    });
  }

  setupSearch();
})();
