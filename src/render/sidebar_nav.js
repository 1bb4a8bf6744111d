/* The sidebar's list for the pages of one part, made by `handbook build`. The page's
 * <script src> in its <nav id="sidebar"> runs this while the page is parsed: the list
 * goes in right before that <script>, its links led from the page's root
 * (data-root), the page's own link (data-page) marked aria-current="page". */
(function (html) {
  "use strict";
  var script = document.currentScript;
  if (!script || !script.parentNode) return;
  var root = script.getAttribute("data-root") || "";
  if (!/^(\.\.\/)*$/.test(root)) root = "";
  script.insertAdjacentHTML("beforebegin", root ? html.replace(/ href="/g, ' href="' + root) : html);
  var page = script.getAttribute("data-page");
  var list = script.previousElementSibling;
  if (!page || !list) return;
  var links = list.getElementsByTagName("a");
  for (var i = 0; i < links.length; i++) {
    if (links[i].getAttribute("href") === root + page) {
      links[i].setAttribute("aria-current", "page");
      return;
    }
  }
})(
