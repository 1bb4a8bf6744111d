/* handbook — the reader side of the default theme: what every page needs.
 *
 * The theme's scripts are classic deferred scripts (no modules: those are blocked on
 * pages opened from file://), no dependencies, no build step. Each has one job:
 *
 *   handbook.js  every page but print.html: the helpers the others share
 *                (`window.handbook`), copy buttons on say lines, left / right for
 *                the previous / next page
 *   search.js    every page but print.html: the search box
 *   finder.js    phrases/index.html only: the phrase finder's filters
 *   practice.js  practice.html only: the drill
 *
 * A script that sets up what is in <main> or the sidebar also does so again on the
 * document's `handbook:content` event (detail.roots: the elements put in place), sent
 * when `handbook serve` patches an edited page in without reloading it; each setup
 * leaves what it has set up already alone.
 *
 * Everything here is an enhancement: each page reads fine without it. No UI string is
 * written here: every word a reader sees comes from what the templates emit (the
 * `#handbook-strings` JSON block and data- attributes), in the handbook's language and
 * with its own wording from handbook.yaml `strings:`. Only relative URLs are used
 * (from <body data-root>), and nothing is fetched.
 */
(function () {
  "use strict";

  const doc = document;
  const body = doc.body;
  const root = body.dataset.root || "";

  /* Strings ================================================================ */

  /** The JSON in the <script type="application/json"> element `id`, or {}. */
  function readJson(id) {
    const node = doc.getElementById(id);
    if (!node) return {};
    try {
      return JSON.parse(node.textContent) || {};
    } catch (_) {
      return {};
    }
  }

  /** A UI string the template put in `source` (an object, or a node's data- attributes)
   * under `name`. A template that leaves one out gets "" and a warning in the console. */
  function uiString(source, name) {
    const values = source && source.nodeType === 1 ? source.dataset : source;
    if (values && typeof values[name] === "string") return values[name];
    if (window.console) console.warn("handbook: the page's template emits no UI string `" + name + "`");
    return "";
  }

  // copyFailed, results, searchFailed, colon (src/render/strings.rs, CLIENT_STRINGS).
  const pageStrings = readJson("handbook-strings");
  const text = (name) => uiString(pageStrings, name);

  /** `template` with each {name} replaced by values[name]. */
  function fill(template, values) {
    return template.replace(/\{(\w+)\}/g, (m, key) => (key in values ? String(values[key]) : m));
  }

  /* Helpers ================================================================ */

  /** A new element: attributes (`text` sets its text, false/null skip one), then children. */
  function el(tag, attrs, children) {
    const node = doc.createElement(tag);
    for (const [key, value] of Object.entries(attrs || {})) {
      if (value === null || value === undefined || value === false) continue;
      if (key === "text") node.textContent = value;
      else if (key === "class") node.className = value;
      else node.setAttribute(key, value === true ? "" : value);
    }
    for (const child of children || []) {
      if (child !== null && child !== undefined) node.append(child);
    }
    return node;
  }

  const HTML_ESCAPES = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" };
  function escapeHtml(value) {
    return String(value).replace(/[&<>"']/g, (c) => HTML_ESCAPES[c]);
  }
  function escapeRegExp(value) {
    return value.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
  }

  /** `value` as HTML, with every match of `pattern` (a global RegExp or null) in <mark>. */
  function highlight(value, pattern) {
    if (!pattern) return escapeHtml(value);
    let out = "";
    let last = 0;
    pattern.lastIndex = 0;
    let m;
    while ((m = pattern.exec(value)) !== null) {
      if (m[0] === "") {
        pattern.lastIndex++;
        continue;
      }
      out += escapeHtml(value.slice(last, m.index)) + "<mark>" + escapeHtml(m[0]) + "</mark>";
      last = m.index + m[0].length;
    }
    return out + escapeHtml(value.slice(last));
  }

  /** A global, case-insensitive RegExp matching any of `words` (longest first), or null. */
  function wordsPattern(words) {
    const list = [...new Set(words.filter((w) => w))].sort((a, b) => b.length - a.length);
    return list.length ? new RegExp(list.map(escapeRegExp).join("|"), "gi") : null;
  }

  const NOT_TYPED_INTO = ["button", "submit", "reset", "checkbox", "radio", "range", "color", "file", "image"];
  /** Whether keys pressed in `target` type text (so page shortcuts must leave them alone). */
  function isEditable(target) {
    if (!target || target.nodeType !== 1) return false;
    if (target.isContentEditable) return true;
    const tag = target.tagName;
    if (tag === "TEXTAREA" || tag === "SELECT") return true;
    if (tag === "INPUT") return !NOT_TYPED_INTO.includes((target.type || "text").toLowerCase());
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

  /* Copy buttons =========================================================== */

  function copyText(value) {
    const fallback = () => {
      const area = el("textarea", { readonly: true, "aria-hidden": "true", class: "copy-buffer" });
      area.value = value;
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
      return navigator.clipboard.writeText(value).catch(fallback);
    }
    return fallback();
  }

  function shorten(value, length) {
    const chars = [...value];
    return chars.length > length ? chars.slice(0, length).join("") + "…" : value;
  }

  /** A copy button for the say line `line`; `labels` are {copy, copied}. */
  function copyButton(line, labels) {
    const button = el("button", {
      type: "button",
      class: "copy-button",
      "aria-label": labels.copy + text("colon") + shorten(line.dataset.line, 24),
      title: labels.copy,
    }, [el("span", { class: "copy-label", text: labels.copy })]);
    let reset = 0;
    const copied = () => {
      button.classList.add("is-copied");
      button.firstChild.textContent = labels.copied;
      announce(labels.copied);
      clearTimeout(reset);
      reset = setTimeout(() => {
        button.classList.remove("is-copied");
        button.firstChild.textContent = labels.copy;
      }, 1500);
    };
    button.addEventListener("click", () => {
      copyText(line.dataset.line).then(copied, () => announce(text("copyFailed")));
    });
    return button;
  }

  function setupCopyButtons() {
    const lines = doc.querySelectorAll("li.say-line[data-line]");
    if (!lines.length) return;
    // The labels are on <body>; the finder's page carries them too.
    const source = body.dataset.copy !== undefined ? body : doc.querySelector("[data-finder]") || body;
    const labels = { copy: uiString(source, "copy"), copied: uiString(source, "copied") };
    for (const line of lines) {
      if (line.querySelector(".copy-button")) continue;
      line.classList.add("has-copy");
      line.prepend(copyButton(line, labels)); // first, so that it floats to the top right of the line
    }
  }

  /* Keyboard: previous / next page ========================================= */

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

  /* The menu drawer on narrow screens ====================================== */

  /* The drawer opens without JavaScript (a checkbox and its labels, see style.css);
   * this makes it behave like a menu button for a keyboard: Enter toggles it as Space
   * does, Escape closes it and returns focus to the button, and focus that moves to
   * the page behind the drawer (Tab past its last link) closes the drawer, so the
   * focused element is never hidden behind it. */
  function setupDrawer() {
    const toggle = doc.getElementById("nav-toggle");
    const sidebar = doc.getElementById("sidebar");
    if (!toggle || !sidebar) return;
    const header = toggle.closest("header");
    const isOpen = () => toggle.checked && getComputedStyle(sidebar).visibility === "visible";
    toggle.addEventListener("keydown", (event) => {
      if (event.key !== "Enter") return;
      event.preventDefault();
      toggle.click();
    });
    doc.addEventListener("keydown", (event) => {
      if (event.key !== "Escape" || !toggle.checked || event.defaultPrevented) return;
      if (event.target.closest && event.target.closest("[data-search]")) return; // search.js closes its results first
      toggle.checked = false;
      toggle.focus();
    });
    doc.addEventListener("focusin", (event) => {
      if (!isOpen()) return;
      const target = event.target;
      if (sidebar.contains(target) || (header && header.contains(target))) return;
      toggle.checked = false;
    });
  }

  /* The other scripts ====================================================== */

  /* A theme's own base.html, finder.html or practice.html written before the script
   * was split names only handbook.js: load the scripts its pages need but do not name,
   * in order, after this one. */
  const PAGE_SCRIPTS = [["[data-search]", "search.js"], ["[data-finder]", "finder.js"], ["[data-practice]", "practice.js"]];
  function loadUnnamedScripts() {
    for (const [selector, file] of PAGE_SCRIPTS) {
      if (!doc.querySelector(selector) || doc.querySelector('script[src$="static/' + file + '"]')) continue;
      const script = el("script", { src: root + "static/" + file });
      script.async = false;
      doc.head.append(script);
    }
  }

  // For search.js, finder.js and practice.js, which run after this script.
  window.handbook = {
    root, readJson, uiString, text, fill, el, highlight, wordsPattern, isEditable, announce, shuffle,
  };

  setupCopyButtons();
  setupPager();
  setupDrawer();
  loadUnnamedScripts();
  // New content put in place without a page load (`handbook serve` patches an
  // edited chapter into the open page): its say lines get their copy buttons.
  doc.addEventListener("handbook:content", setupCopyButtons);
})();
