// Live reload for `handbook serve`: injected into served pages, never built into files.
(() => {
  "use strict";
  const OVERLAY = "handbook-error-overlay";
  let source;

  function showErrors(errors) {
    let box = document.getElementById(OVERLAY);
    if (!box) {
      box = document.createElement("div");
      box.id = OVERLAY;
      box.setAttribute("role", "alert");
      box.style.cssText =
        "position:fixed;inset:0;z-index:2147483647;overflow:auto;padding:24px;" +
        "background:rgba(20,20,20,.92);color:#fff;font:14px/1.6 ui-monospace,Menlo,Consolas,monospace";
      document.body.appendChild(box);
    }
    box.textContent = "";
    const title = document.createElement("h2");
    title.textContent = "handbook: the last edit did not build (the page shows the last good version)";
    title.style.cssText = "margin:0 0 16px;font:bold 16px/1.4 system-ui,sans-serif;color:#ff8a80";
    box.appendChild(title);
    for (const error of errors) {
      const item = document.createElement("pre");
      item.style.cssText = "white-space:pre-wrap;margin:0 0 12px;padding:12px;background:#2b2b2b;border-left:4px solid #ff5252";
      const where = error.file ? `${error.file}${error.line ? `:${error.line}:${error.column}` : ""}: ` : "";
      item.textContent = `${error.severity}: ${where}${error.message}` + (error.help ? `\n  help: ${error.help}` : "");
      box.appendChild(item);
    }
  }

  function hideErrors() {
    const box = document.getElementById(OVERLAY);
    if (box) box.remove();
  }

  function swapStylesheets(paths) {
    const stamp = Date.now();
    for (const link of document.querySelectorAll('link[rel="stylesheet"]')) {
      const url = new URL(link.href, location.href);
      if (paths.some((p) => url.pathname.endsWith("/" + p))) {
        url.searchParams.set("handbook-reload", stamp);
        link.href = url.href;
      }
    }
  }

  function connect() {
    source = new EventSource("/__handbook/events");
    source.addEventListener("reload", () => location.reload());
    source.addEventListener("css", (event) => swapStylesheets(JSON.parse(event.data)));
    source.addEventListener("errors", (event) => showErrors(JSON.parse(event.data)));
    source.addEventListener("ok", hideErrors);
    source.addEventListener("updated", (event) => {
      const paths = JSON.parse(event.data);
      const here = location.pathname.endsWith("/") ? location.pathname + "index.html" : location.pathname;
      if (paths.some((p) => here.endsWith("/" + p))) location.reload();
    });
  }

  connect();
})();
