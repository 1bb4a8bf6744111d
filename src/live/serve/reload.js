// Live updates for `handbook serve`: injected into served pages (before their own
// scripts), never built into files. See src/live/serve/mod.rs for the events.
//
// An edit of a chapter is patched into the open page instead of reloading it: the
// page's new version (sent with the event, or fetched) is compared with the page as
// the server first sent it (a copy kept below, taken before the theme's scripts add
// copy buttons and marks);
// only the elements that differ are replaced, inside <main> and the sidebar, with
// the title. Scroll position, focus and an open search box stay. Anything else
// differing (the header, the head's styles and scripts, the page's kind) reloads.
// The theme's scripts set up the new elements on the `handbook:content` event.
//
// The sidebar's list is not in the page's HTML: a script of its part (`nav/….js`,
// `<script src data-root>` in <nav id="sidebar">) puts it in while the page is
// parsed. The copy leaves that list out, as the server sent the page without it;
// when the script changes (a title in the part) or the page names another one, the
// script is loaded again and its new list takes the old one's place.
(() => {
  "use strict";
  const doc = document;
  const EVENTS = "/__handbook/events";
  // Pages bigger than this (print.html of a large handbook) are reloaded, not patched:
  // keeping a copy of them would cost every page view more than it saves.
  const MAX_ELEMENTS = 60000;
  // Where a patch may replace elements: what a chapter's text shows. Pages run by a
  // script of their own (the finder, the drill) reload instead.
  const PATCHABLE = "main, #sidebar";
  // The sidebar's script, and the list it put in before itself.
  const NAV_SCRIPT = "#sidebar > script[data-root]";
  const NAV_LIST = "ul.sidebar-sections";
  const APPS = "[data-finder], [data-practice]";

  /* The page as the server sent it ======================================== */

  // `base` is a detached copy of <body> as first parsed; `live` maps each of its
  // elements to the element of the page it was copied from.
  let base = null;
  let headSignature = "";
  const live = new WeakMap();

  function pair(copy, original) {
    live.set(copy, original);
    const copies = copy.children;
    const originals = original.children;
    for (let i = 0; i < copies.length; i++) pair(copies[i], originals[i]);
  }

  /** What of <head> must stay the same for a patch: all but the title and description. */
  function signatureOf(head) {
    let text = "";
    for (const node of head.children) {
      if (node.tagName === "TITLE" || (node.tagName === "META" && node.getAttribute("name") === "description")) continue;
      text += node.outerHTML + "\n";
    }
    return text;
  }

  function keepCopy() {
    if (!doc.body || doc.getElementsByTagName("*").length > MAX_ELEMENTS) return;
    base = doc.body.cloneNode(true);
    pair(base, doc.body);
    for (const script of base.querySelectorAll(NAV_SCRIPT)) {
      const list = script.previousElementSibling;
      if (list && list.matches(NAV_LIST)) list.remove();
    }
    headSignature = signatureOf(doc.head);
  }

  /** A URL's path (`pathname`) under the site root, as the events name files. */
  function sitePath(pathname) {
    let path = pathname;
    try {
      path = decodeURIComponent(path);
    } catch (_) {
      /* keep it encoded */
    }
    return path.replace(/^\/+/, "");
  }

  /** This page's path under the site root, as the events name pages. */
  function pagePath() {
    const path = location.pathname;
    return sitePath(path.endsWith("/") ? path + "index.html" : path);
  }

  /* Patching ============================================================== */

  function sameAttributes(a, b) {
    if (a.attributes.length !== b.attributes.length) return false;
    for (const attr of a.attributes) {
      if (b.getAttribute(attr.name) !== attr.value) return false;
    }
    return true;
  }

  /** Whether `b`'s children can be compared one by one with `a`'s: same element,
   * same attributes, the same number of children, each of the same kind, and only
   * elements among those that differ. */
  function comparable(a, b) {
    if (a.tagName !== b.tagName || !sameAttributes(a, b)) return false;
    const ac = a.childNodes;
    const bc = b.childNodes;
    if (ac.length !== bc.length) return false;
    for (let i = 0; i < ac.length; i++) {
      const x = ac[i];
      const y = bc[i];
      if (x.nodeType !== y.nodeType) return false;
      if (x.nodeType === 1) {
        if (x.tagName !== y.tagName) return false;
      } else if (!x.isEqualNode(y)) {
        return false;
      }
    }
    return true;
  }

  /** The smallest elements of `a` (the copy) that must be replaced to make it `b`. */
  function changes(a, b, out) {
    if (!comparable(a, b)) {
      out.push([a, b]);
      return out;
    }
    const ac = a.children;
    const bc = b.children;
    for (let i = 0; i < ac.length; i++) {
      if (!ac[i].isEqualNode(bc[i])) changes(ac[i], bc[i], out);
    }
    return out;
  }

  /** The element-child indices from `root` down to `node`, or null. */
  function pathFrom(root, node) {
    const path = [];
    while (node && node !== root) {
      const parent = node.parentElement;
      if (!parent) return null;
      path.unshift(Array.prototype.indexOf.call(parent.children, node));
      node = parent;
    }
    return node === root ? path : null;
  }

  function follow(root, path) {
    let node = root;
    for (const i of path) {
      node = node && node.children[i];
    }
    return node || null;
  }

  /** Makes the page `next` (a parsed document) by replacing what differs; false when
   * it cannot (nothing is changed then: the caller reloads). */
  function patch(next) {
    if (!base || doc.querySelector(APPS) || !next.body) return false;
    if (signatureOf(next.head) !== headSignature) return false;
    if (base.tagName !== next.body.tagName || !sameAttributes(base, next.body)) return false;
    const found = base.isEqualNode(next.body) ? [] : changes(base, next.body, []);
    const swaps = [];
    for (const [copy, fresh] of found) {
      const target = live.get(copy);
      if (copy === base || !target || !target.isConnected || !target.closest(PATCHABLE)) return false;
      swaps.push({ copy, fresh, target });
    }
    const x = window.scrollX;
    const y = window.scrollY;
    const focused = doc.activeElement;
    let refocus = null;
    const roots = [];
    for (const swap of swaps) {
      const element = doc.importNode(swap.fresh, true);
      if (focused && swap.target.contains(focused)) refocus = { root: element, path: pathFrom(swap.target, focused) };
      swap.target.replaceWith(element);
      // The copy takes the new version, paired with what is now on the page.
      const copy = swap.fresh.cloneNode(true);
      swap.copy.replaceWith(copy);
      pair(copy, element);
      roots.push(element);
    }
    if (roots.some((root) => root.matches("#sidebar, " + NAV_SCRIPT) || root.querySelector("#sidebar"))) {
      // A script put in by a patch does not run: the sidebar's is loaded anew.
      reloadSidebar();
    }
    if (next.title !== doc.title) doc.title = next.title;
    const description = next.head.querySelector('meta[name="description"]');
    const current = doc.head.querySelector('meta[name="description"]');
    if (description && current) current.setAttribute("content", description.getAttribute("content") || "");
    // The theme's scripts set up what is new (copy buttons, marks) ...
    doc.dispatchEvent(new CustomEvent("handbook:content", { detail: { roots } }));
    // ... before focus goes back to where it was (the same place in the new version).
    if (refocus && refocus.path) {
      const again = follow(refocus.root, refocus.path);
      if (again && again.focus) again.focus({ preventScroll: true });
    }
    if (window.scrollX !== x || window.scrollY !== y) window.scrollTo(x, y);
    return true;
  }

  /* The sidebar's list ==================================================== */

  /** The path of the page's sidebar script under the site root, or null. */
  function sidebarScript() {
    const script = doc.querySelector(NAV_SCRIPT);
    if (!script) return null;
    return sitePath(new URL(script.getAttribute("src"), location.href).pathname);
  }

  function usesSidebarScript(paths) {
    const script = sidebarScript();
    return script !== null && paths.some((p) => p === script);
  }

  let sidebarLoads = 0;

  /** Loads the sidebar's script again (a new copy of the <script>, which runs): its
   * list goes in before it, then the old list goes, in one task, so the sidebar is
   * never shown empty. Focus inside the old list goes to the same place in the new. */
  function reloadSidebar() {
    const old = doc.querySelector(NAV_SCRIPT);
    if (!old) return;
    const stale = [...old.parentNode.children].filter((node) => node.matches(NAV_LIST));
    const fresh = doc.createElement("script");
    for (const attr of old.attributes) fresh.setAttribute(attr.name, attr.value);
    const url = new URL(old.getAttribute("src"), location.href);
    url.searchParams.set("handbook-reload", `${Date.now()}-${++sidebarLoads}`);
    fresh.src = url.href;
    fresh.addEventListener("load", () => {
      const list = fresh.previousElementSibling;
      if (!fresh.isConnected || !list || !list.matches(NAV_LIST) || stale.includes(list)) return;
      const focused = doc.activeElement;
      const from = stale.find((node) => node.contains(focused));
      const path = from ? pathFrom(from, focused) : null;
      for (const node of stale) node.remove();
      doc.dispatchEvent(new CustomEvent("handbook:content", { detail: { roots: [list] } }));
      const again = path && follow(list, path);
      if (again && again.focus) again.focus({ preventScroll: true });
      mark("handbook:sidebar");
      doc.documentElement.dataset.handbookSidebar = String(sidebarLoads);
    });
    old.replaceWith(fresh);
    // The copy's script now stands for the one on the page.
    const copy = base && base.querySelector(NAV_SCRIPT);
    if (copy) live.set(copy, fresh);
  }

  /* Fetching ============================================================== */

  let busy = false;
  let again = false;
  // The sidebar's script changed too: loaded again once the page is patched.
  let sidebarDue = false;

  /** Fetches this page again and patches it in; reloads when it cannot. `html` is
   * the page's new version when the event brought it; `sidebar`, whether the
   * sidebar's script changed as well. Saves that come while a fetch
   * is out are taken in one more fetch after it. */
  async function refresh(html, sidebar) {
    if (sidebar) sidebarDue = true;
    if (busy) {
      again = true;
      return;
    }
    busy = true;
    try {
      do {
        again = false;
        let text = html;
        html = undefined;
        if (typeof text !== "string") {
          const response = await fetch(location.pathname + location.search, { cache: "no-store" });
          if (!response.ok) {
            location.reload();
            return;
          }
          text = await response.text();
        }
        mark("handbook:fetched");
        const next = new DOMParser().parseFromString(text, "text/html");
        if (!patch(next)) {
          location.reload();
          return;
        }
        mark("handbook:patched");
        if (sidebarDue) {
          sidebarDue = false;
          reloadSidebar();
        }
        doc.documentElement.dataset.handbookPatched = String(Number(doc.documentElement.dataset.handbookPatched || 0) + 1);
      } while (again);
    } catch (error) {
      if (window.console) console.error("handbook: live update failed, reloading", error);
      location.reload();
    } finally {
      busy = false;
    }
  }

  /** A performance mark, for the save-to-visible benchmark (tests/browser/live-bench.mjs). */
  function mark(name) {
    if (window.performance && performance.mark) performance.mark(name);
  }

  function isHere(paths) {
    const here = pagePath();
    return paths.some((p) => p === here);
  }

  function swapStylesheets(paths) {
    const stamp = Date.now();
    for (const link of doc.querySelectorAll('link[rel="stylesheet"]')) {
      const url = new URL(link.href, location.href);
      if (paths.some((p) => url.pathname.endsWith("/" + p))) {
        url.searchParams.set("handbook-reload", stamp);
        link.href = url.href;
      }
    }
  }

  /* The error overlay ===================================================== */

  const OVERLAY = "handbook-error-overlay";
  const BADGE = "handbook-error-badge";
  const COLLAPSED_KEY = "handbook-overlay-collapsed";
  const WORDS = {
    en: {
      title: "The last edit did not build",
      intro: "The page shows the last good version. Fix the file and save: this goes away by itself.",
      collapse: "Collapse",
      collapseHint: "Collapse (Esc)",
      badge: (count) => `Show errors (${count})`,
      error: "error",
      warning: "warning",
      help: "help",
      note: "note",
      open: "Open in the editor",
      count: (errors, warnings) => [
        errors ? `${errors} error${errors === 1 ? "" : "s"}` : "",
        warnings ? `${warnings} warning${warnings === 1 ? "" : "s"}` : "",
      ].filter(Boolean).join(", "),
      list: "Problems",
    },
    zh: {
      title: "最近一次修改未能生成",
      intro: "页面显示的是上一次成功生成的版本。改正文件并保存后，这里会自动消失。",
      collapse: "收起",
      collapseHint: "收起（Esc）",
      badge: (count) => `展开错误（${count}）`,
      error: "错误",
      warning: "警告",
      help: "帮助",
      note: "注",
      open: "在编辑器中打开",
      count: (errors, warnings) => [
        errors ? `${errors} 个错误` : "",
        warnings ? `${warnings} 个警告` : "",
      ].filter(Boolean).join("，"),
      list: "问题",
    },
  };

  const STYLE = `
#${OVERLAY}{position:fixed;inset:0;width:auto;height:auto;max-width:none;max-height:none;margin:0;border:0;padding:24px;box-sizing:border-box;overflow:auto;z-index:2147483647;
  background:#1b1b1b;color:#f2f2f2;font:14px/1.6 system-ui,-apple-system,"PingFang SC","Microsoft YaHei","Noto Sans CJK SC",sans-serif}
#${OVERLAY}::backdrop{background:rgba(0,0,0,.6)}
#${OVERLAY}:focus{outline:none}
#${OVERLAY} .hb-head{display:flex;gap:16px;align-items:flex-start;justify-content:space-between;max-width:1100px;margin:0 auto 12px}
#${OVERLAY} h2{margin:0;font-size:18px;line-height:1.4;color:#ffb4ab}
#${OVERLAY} .hb-intro{margin:4px 0 0;color:#d6d6d6}
#${OVERLAY} ol{list-style:none;margin:0 auto;padding:0;max-width:1100px}
#${OVERLAY} li{margin:0 0 14px;padding:12px 14px;background:#2a2a2a;border-left:4px solid #ff6e61;border-radius:4px}
#${OVERLAY} li.hb-warning{border-left-color:#ffd166}
#${OVERLAY} .hb-severity{font-weight:bold;color:#ffb4ab}
#${OVERLAY} li.hb-warning .hb-severity{color:#ffd98a}
#${OVERLAY} .hb-where{color:#9fd3ff;font-family:ui-monospace,Menlo,Consolas,"Noto Sans Mono CJK SC",monospace}
#${OVERLAY} a.hb-where{text-decoration:underline}
#${OVERLAY} a.hb-where:focus-visible,#${OVERLAY} button:focus-visible,#${BADGE}:focus-visible{outline:3px solid #ffd166;outline-offset:2px}
#${OVERLAY} .hb-message{margin:0}
#${OVERLAY} pre{margin:8px 0 0;padding:8px 10px;background:#111;color:#f2f2f2;overflow-x:auto;white-space:pre-wrap;word-break:break-all;
  font:13px/1.5 ui-monospace,Menlo,Consolas,"Noto Sans Mono CJK SC",monospace}
#${OVERLAY} .hb-gutter{color:#b3b3b3;user-select:none}
#${OVERLAY} mark{background:none;color:#ffb4ab;text-decoration:underline wavy #ff6e61}
#${OVERLAY} .hb-caret{color:#ff6e61;font-weight:bold}
#${OVERLAY} .hb-pad{visibility:hidden}
#${OVERLAY} .hb-help,#${OVERLAY} .hb-note{margin:6px 0 0;color:#d6d6d6}
#${OVERLAY} button,#${BADGE}{font:inherit;font-size:14px;cursor:pointer;border-radius:4px}
#${OVERLAY} button{flex:none;padding:6px 14px;background:#f2f2f2;color:#1b1b1b;border:1px solid #f2f2f2}
#${BADGE}{position:fixed;right:16px;bottom:16px;z-index:2147483647;padding:8px 14px;border:2px solid #fff;
  background:#b3261e;color:#fff;font:bold 14px/1.4 system-ui,-apple-system,"PingFang SC","Microsoft YaHei","Noto Sans CJK SC",sans-serif;box-shadow:0 2px 8px rgba(0,0,0,.35)}`;

  let shown = null; // the failed build on screen: {lang, build, errors}
  let returnFocus = null;

  function el(tag, attrs, children) {
    const node = doc.createElement(tag);
    for (const [key, value] of Object.entries(attrs || {})) {
      if (value === null || value === undefined || value === false) continue;
      if (key === "text") node.textContent = value;
      else if (key === "class") node.className = value;
      else node.setAttribute(key, value === true ? "" : String(value));
    }
    for (const child of children || []) {
      if (child !== null && child !== undefined) node.append(child);
    }
    return node;
  }

  function ensureStyle() {
    if (doc.getElementById("handbook-overlay-style")) return;
    doc.head.append(el("style", { id: "handbook-overlay-style", text: STYLE }));
  }

  function where(file, line, column, editor, words) {
    const text = file + (line ? `:${line}:${column}` : "");
    if (!editor) return el("span", { class: "hb-where", text });
    return el("a", { class: "hb-where", href: editor, title: words.open, "data-editor": "" }, [text]);
  }

  /** The source line, the problem marked in it, and the caret line under it, which
   * lays out the same text before the caret (hidden) so that the carets line up
   * whatever the font does with Chinese characters. */
  function sourceBlock(error) {
    const chars = [...error.source];
    const start = Math.min(error.caret_start || 0, chars.length);
    const width = Math.max(1, error.caret_width || 1);
    const before = chars.slice(0, start).join("");
    const marked = chars.slice(start, start + width).join("");
    const after = chars.slice(start + width).join("");
    const gutter = String(error.line || "");
    const pad = " ".repeat(gutter.length);
    const carets = "^".repeat(Math.max(1, [...marked].length));
    return el("pre", { class: "hb-source" }, [
      el("span", { class: "hb-gutter", "aria-hidden": "true", text: `${gutter} | ` }),
      before,
      marked ? el("mark", { text: marked }) : null,
      after,
      "\n",
      el("span", { "aria-hidden": "true" }, [
        el("span", { class: "hb-gutter", text: `${pad} | ` }),
        el("span", { class: "hb-pad", text: before }),
        el("span", { class: "hb-caret", text: carets }),
      ]),
    ]);
  }

  function errorItem(error, words) {
    const warning = error.severity === "warning";
    const head = el("p", { class: "hb-message" }, [
      el("span", { class: "hb-severity", text: warning ? words.warning : words.error }),
      ": ",
      error.file ? where(error.file, error.line, error.column, error.editor, words) : null,
      error.file ? ": " : null,
      error.message,
    ]);
    const note = error.note;
    return el("li", { class: warning ? "hb-warning" : "hb-error" }, [
      head,
      error.source !== null && error.source !== undefined ? sourceBlock(error) : null,
      note ? el("p", { class: "hb-note" }, [
        `${words.note}: ${note.label}: `,
        where(note.file, note.line, note.column, note.editor, words),
      ]) : null,
      error.help ? el("p", { class: "hb-help", text: `${words.help}: ${error.help}` }) : null,
    ]);
  }

  /** Takes the overlay (or its button) away; focus that was in it goes back to
   * where it was before the overlay took it. */
  function removeOverlay() {
    const inside = doc.activeElement && doc.activeElement.closest("#" + OVERLAY + ", [data-handbook-badge]");
    removeOverlayOnly();
    if (inside && returnFocus && returnFocus.isConnected && returnFocus.focus) {
      returnFocus.focus({ preventScroll: true });
    }
    returnFocus = null;
  }

  function collapsedBuild() {
    try {
      return sessionStorage.getItem(COLLAPSED_KEY);
    } catch (_) {
      return null;
    }
  }

  function rememberCollapsed(build) {
    try {
      if (build === null) sessionStorage.removeItem(COLLAPSED_KEY);
      else sessionStorage.setItem(COLLAPSED_KEY, String(build));
    } catch (_) {
      /* private mode: the overlay comes back expanded on the next page */
    }
  }

  function counts(errors) {
    const warnings = errors.filter((e) => e.severity === "warning").length;
    return { errors: errors.length - warnings, warnings };
  }

  /** The full overlay: a modal dialog over the last good page. */
  function expand(failed) {
    const words = WORDS[failed.lang] || WORDS.en;
    removeOverlayOnly();
    ensureStyle();
    const { errors, warnings } = counts(failed.errors);
    const collapse = el("button", { type: "button", class: "hb-collapse", title: words.collapseHint, text: words.collapse });
    const box = el("dialog", {
      id: OVERLAY,
      role: "alertdialog",
      "aria-modal": "true",
      "aria-labelledby": "handbook-overlay-title",
      "aria-describedby": "handbook-overlay-intro",
      lang: failed.lang === "zh" ? "zh-CN" : "en",
      tabindex: "-1",
    }, [
      el("div", { class: "hb-head" }, [
        el("div", {}, [
          el("h2", { id: "handbook-overlay-title", text: `${words.title} (${words.count(errors, warnings)})` }),
          el("p", { id: "handbook-overlay-intro", class: "hb-intro", text: words.intro }),
        ]),
        collapse,
      ]),
      el("ol", { "aria-label": words.list }, failed.errors.map((error) => errorItem(error, words))),
    ]);
    collapse.addEventListener("click", () => collapseOverlay(true));
    box.addEventListener("cancel", (event) => {
      event.preventDefault();
      collapseOverlay(true);
    });
    doc.body.append(box);
    const active = doc.activeElement;
    if (active && active !== doc.body && !active.closest("#" + OVERLAY + ", [data-handbook-badge]")) returnFocus = active;
    if (box.showModal) box.showModal();
    else box.setAttribute("open", "");
    box.focus({ preventScroll: true });
  }

  function removeOverlayOnly() {
    const box = doc.getElementById(OVERLAY);
    if (box) {
      if (box.open && box.close) box.close();
      box.remove();
    }
    const badge = doc.querySelector("[data-handbook-badge]");
    if (badge) badge.remove();
  }

  /** The overlay folded into a button in the corner; it opens the overlay again. */
  function collapseOverlay(byReader) {
    if (!shown) return;
    const words = WORDS[shown.lang] || WORDS.en;
    const hadFocus = doc.getElementById(OVERLAY) && doc.getElementById(OVERLAY).contains(doc.activeElement);
    removeOverlayOnly();
    ensureStyle();
    const { errors, warnings } = counts(shown.errors);
    const label = words.badge(words.count(errors, warnings));
    const button = el("button", { type: "button", id: BADGE, "aria-haspopup": "dialog", text: label });
    button.addEventListener("click", () => {
      rememberCollapsed(null);
      expand(shown);
    });
    // A landmark of its own, so that everything on the page stays in one.
    const wrap = el("aside", { "data-handbook-badge": "", "aria-label": words.title, lang: shown.lang === "zh" ? "zh-CN" : "en" }, [button]);
    doc.body.append(wrap);
    if (byReader) {
      rememberCollapsed(shown.build);
      if (hadFocus) {
        if (returnFocus && returnFocus.isConnected) returnFocus.focus({ preventScroll: true });
        else button.focus({ preventScroll: true });
      }
    }
  }

  function showErrors(failed) {
    shown = failed;
    if (collapsedBuild() === String(failed.build)) collapseOverlay(false);
    else expand(failed);
  }

  function hideErrors() {
    if (!shown) return;
    shown = null;
    rememberCollapsed(null);
    removeOverlay();
  }

  /* Events ================================================================ */

  function connect() {
    // Naming its page, the tab gets the page's new version with the event.
    const source = new EventSource(`${EVENTS}?page=${encodeURIComponent(pagePath())}`);
    // For tests: the tab hears the server.
    source.addEventListener("hello", () => {
      doc.documentElement.dataset.handbookLive = "connected";
    });
    source.addEventListener("reload", () => location.reload());
    source.addEventListener("css", (event) => {
      hideErrors();
      swapStylesheets(JSON.parse(event.data));
    });
    source.addEventListener("change", (event) => {
      hideErrors();
      const change = JSON.parse(event.data);
      mark("handbook:event");
      const pages = change.pages || [];
      const sidebar = usesSidebarScript(pages);
      if (isHere(change.removed || [])) location.reload();
      else if (isHere(pages)) refresh(change.html, sidebar);
      else if (sidebar) reloadSidebar();
    });
    source.addEventListener("updated", (event) => {
      const paths = JSON.parse(event.data);
      // The search box loads the new index with its next query.
      if (paths.some((p) => p.startsWith("search/"))) {
        doc.dispatchEvent(new CustomEvent("handbook:search-index"));
        mark("handbook:search-index");
      }
      if (isHere(paths)) refresh();
    });
    source.addEventListener("errors", (event) => showErrors(JSON.parse(event.data)));
  }

  keepCopy();
  connect();
})();
