// Shared by run.mjs and screenshots.mjs: a static file server on 127.0.0.1 and the
// Chromium launch.

import http from "node:http";
import fs from "node:fs";
import path from "node:path";

export const SUB_PATH = "/deep/sub/path/";

const TYPES = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".json": "application/json; charset=utf-8",
  ".csv": "text/csv; charset=utf-8",
  ".png": "image/png",
  ".jpg": "image/jpeg",
  ".jpeg": "image/jpeg",
  ".gif": "image/gif",
  ".svg": "image/svg+xml",
  ".webp": "image/webp",
  ".ico": "image/x-icon",
  ".txt": "text/plain; charset=utf-8",
};

/** Serves `dir` at `/` and again under SUB_PATH, on a free port of 127.0.0.1; and
 * each folder of `mounts` ({"/prefix/": folder}) under its prefix, on the same origin. */
export function serve(dir, mounts = {}) {
  const server = http.createServer((req, res) => {
    let pathname;
    try {
      pathname = decodeURIComponent(new URL(req.url, "http://127.0.0.1").pathname);
    } catch {
      res.writeHead(400).end("bad request");
      return;
    }
    let root = path.resolve(dir);
    const mount = Object.keys(mounts).find((prefix) => pathname.startsWith(prefix));
    if (mount) {
      root = path.resolve(mounts[mount]);
      pathname = "/" + pathname.slice(mount.length);
    }
    if (pathname.startsWith(SUB_PATH)) pathname = "/" + pathname.slice(SUB_PATH.length);
    let file = path.join(root, pathname);
    if (file !== root && !file.startsWith(root + path.sep)) {
      res.writeHead(403).end("forbidden");
      return;
    }
    fs.stat(file, (err, stat) => {
      if (!err && stat.isDirectory()) {
        file = path.join(file, "index.html");
      }
      fs.readFile(file, (readErr, bytes) => {
        if (readErr) {
          res.writeHead(404, { "content-type": "text/plain" }).end("not found");
          return;
        }
        res.writeHead(200, {
          "content-type": TYPES[path.extname(file).toLowerCase()] || "application/octet-stream",
          "cache-control": "no-store",
        });
        res.end(bytes);
      });
    });
  });
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address();
      resolve({
        server,
        origin: `http://127.0.0.1:${port}`,
        url: (p = "") => `http://127.0.0.1:${port}/${p}`,
        subUrl: (p = "") => `http://127.0.0.1:${port}${SUB_PATH}${p}`,
        close: () => new Promise((done) => server.close(() => done())),
      });
    });
  });
}

export const CHROMIUM_ARGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
  "--no-first-run",
];

export function chromiumPath() {
  return process.env.CHROMIUM || "/usr/bin/chromium";
}

export async function launch() {
  const executablePath = chromiumPath();
  if (!fs.existsSync(executablePath)) {
    throw new Error(`no Chromium at ${executablePath} (set CHROMIUM to override)`);
  }
  const { chromium } = await import("playwright-core");
  return chromium.launch({ executablePath, args: CHROMIUM_ARGS, headless: true, timeout: 60000 });
}

/** Every .html file under `dir`, as `/`-separated relative paths. */
export function htmlFiles(dir) {
  const out = [];
  const walk = (rel) => {
    for (const entry of fs.readdirSync(path.join(dir, rel), { withFileTypes: true })) {
      const child = rel ? `${rel}/${entry.name}` : entry.name;
      if (entry.isDirectory()) walk(child);
      else if (entry.name.endsWith(".html")) out.push(child);
    }
  };
  walk("");
  return out.sort();
}
