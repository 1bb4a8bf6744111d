/* "Updated since you last read": marks the links (sidebar, index) to pages whose
   text changed since this reader last opened them, and pages that are new, and lists
   them at the top of the index. The build writes each page's hash to `updates.js`
   (window.handbookUpdates); what the reader read is kept in localStorage under the
   handbook's own key. The first visit marks nothing: it records everything as read.
   The marks' words come from this script's data- attributes (the templates'). */
(function () {
  "use strict";
  var data = window.handbookUpdates;
  var script = document.currentScript;
  if (!data || !data.pages || !script) return;
  var pages = data.pages;
  var storageKey = "handbook-read:" + data.site;
  var root = new URL("../", script.src).href;
  var own = function (object, key) {
    return Object.prototype.hasOwnProperty.call(object, key);
  };

  function loadRead() {
    try {
      var read = JSON.parse(localStorage.getItem(storageKey));
      return read && typeof read === "object" ? read : null;
    } catch (e) {
      return null;
    }
  }

  function saveRead(read) {
    try {
      localStorage.setItem(storageKey, JSON.stringify(read));
    } catch (e) {
      /* storage full or refused: the marks just do not persist */
    }
  }

  /* A link's page as updates.js names it (its path from the site root), or null. */
  function pageOf(href) {
    var url = new URL(href, location.href);
    url.hash = "";
    url.search = "";
    if (url.href.indexOf(root) !== 0) return null;
    var path = url.href.slice(root.length);
    try {
      path = decodeURIComponent(path);
    } catch (e) {
      /* leave it encoded */
    }
    return own(pages, path) ? path : null;
  }

  /* Records this page as read; on the first visit, every page. */
  function recordVisit() {
    var read = loadRead();
    if (!read) {
      read = {};
      Object.keys(pages).forEach(function (page) {
        read[page] = pages[page];
      });
    }
    var here = pageOf(location.href);
    if (here) read[here] = pages[here];
    saveRead(read);
    return read;
  }

  function stateOf(page, read) {
    if (!own(read, page)) return "new";
    return read[page] === pages[page] ? null : "updated";
  }

  /* A part's link leads to its first page: marked "updated" when one of its pages
   * is, else "new" when one is new. */
  function partStateOf(first, read) {
    var part = (data.parts || []).filter(function (p) {
      return p[0] === first;
    })[0];
    var states = (part || []).map(function (page) {
      return stateOf(page, read);
    });
    if (states.indexOf("updated") >= 0) return "updated";
    return states.indexOf("new") >= 0 ? "new" : null;
  }

  /* The mark, after a space so that the link's name reads "Returns Updated". */
  function markOf(state) {
    var wrap = document.createElement("span");
    wrap.className = "update-mark-wrap";
    var mark = document.createElement("span");
    mark.className = "update-mark update-mark-" + state;
    mark.textContent = script.getAttribute("data-" + state) || state;
    wrap.append(" ", mark);
    return wrap;
  }

  /* The index's list at the top: the marked pages in reading order. */
  function listOnIndex(marked) {
    var list = document.getElementById("updates-list");
    if (!list) return;
    var ul = list.querySelector("ul");
    ul.textContent = "";
    marked.forEach(function (link) {
      var li = document.createElement("li");
      li.appendChild(link.cloneNode(true));
      ul.appendChild(li);
    });
    list.hidden = marked.length === 0;
  }

  function mark() {
    var read = recordVisit();
    document.querySelectorAll(".update-mark-wrap").forEach(function (old) {
      old.remove();
    });
    var seen = {};
    var marked = [];
    document.querySelectorAll(".sidebar a, .toc a").forEach(function (link) {
      var page = pageOf(link.href);
      var part = link.matches(".sidebar-sections > li > a");
      var state = page && (part ? partStateOf : stateOf)(page, read);
      if (!state) return;
      link.appendChild(markOf(state));
      if (link.closest(".toc") && !seen[page]) {
        seen[page] = true;
        marked.push(link);
      }
    });
    listOnIndex(marked);
  }

  mark();
  /* The sidebar or the index's list put in place anew (`handbook serve` patching
   * an edited page in): mark its links again. */
  document.addEventListener("handbook:content", function (event) {
    var roots = (event.detail && event.detail.roots) || [];
    var touched = roots.some(function (node) {
      return node.closest && (node.closest(".sidebar, .toc") || node.querySelector(".sidebar a, .toc a"));
    });
    if (touched) mark();
  });
  /* Back to a page kept in the back/forward cache: what was read since counts. */
  window.addEventListener("pageshow", function (event) {
    if (event.persisted) mark();
  });
})();
