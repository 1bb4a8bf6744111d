// Shared by run.mjs, live.mjs, live-bench.mjs and screenshots.mjs: a static file
// server on 127.0.0.1, the Chromium launch, and `handbook serve` started and stopped.

import { spawn } from "node:child_process";
import http from "node:http";
import net from "node:net";
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

/** A process's standard error, line by line, with waits for a line that matches. */
export class Lines {
  constructor(stream) {
    this.lines = [];
    this.waiters = [];
    let rest = "";
    stream.setEncoding("utf8");
    stream.on("data", (chunk) => {
      const parts = (rest + chunk).split("\n");
      rest = parts.pop();
      for (const line of parts) {
        this.lines.push(line);
        for (const waiter of [...this.waiters]) waiter(line);
      }
    });
  }

  /** The first line from `from` (an index into `lines`) on containing `needle`;
   * rejects after `limit` ms. */
  /** The first line from `from` on that has `needle` (a string, or a RegExp that
   * matches it), waiting up to `limit` ms for it. */
  wait(needle, from, limit) {
    const has = (line) => (typeof needle === "string" ? line.includes(needle) : needle.test(line));
    const seen = this.lines.slice(from).find(has);
    if (seen) return Promise.resolve(seen);
    return new Promise((resolve, reject) => {
      const waiter = (line) => {
        if (!has(line)) return;
        clearTimeout(timer);
        this.waiters = this.waiters.filter((w) => w !== waiter);
        resolve(line);
      };
      const timer = setTimeout(() => {
        this.waiters = this.waiters.filter((w) => w !== waiter);
        reject(new Error(`no line with "${needle}" within ${limit / 1000} s; the last lines:\n${this.lines.slice(-10).join("\n")}`));
      }, limit);
      this.waiters.push(waiter);
    });
  }
}

/** A free port of 127.0.0.1. */
export function freePort() {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

/** What `serve` prints, in either language it speaks (the handbook's, unless
 * `HANDBOOK_LANG` or `--lang` says otherwise). */
export const SAID = {
  serving: "http://127.0.0.1:",
  rebuilt: /rebuilt in|毫秒重建完成/,
  failed: /rebuild failed|重建失败/,
  rebuild: /rebuil|重建/,
  siteWide: /then the search index|随后用/,
};

/** `BINARY serve --root ROOT ARGS…` on a free port, once it says it is serving
 * (within `limit` ms): {url(path), lines (its standard error), stop()}. `env` is
 * added to the process's environment. */
export async function startServe(binary, root, args = [], limit = 60000, env = {}) {
  const port = await freePort();
  const child = spawn(binary, ["serve", "--port", String(port), "--root", root, ...args], {
    stdio: ["ignore", "ignore", "pipe"],
    env: { ...process.env, NO_COLOR: "1", ...env },
  });
  const lines = new Lines(child.stderr);
  const exited = new Promise((resolve) => child.once("exit", resolve));
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) child.kill();
    await Promise.race([exited, new Promise((r) => setTimeout(r, 5000))]);
  };
  try {
    await Promise.race([
      lines.wait(SAID.serving, 0, limit),
      exited.then((code) => { throw new Error(`handbook serve exited (${code}):\n${lines.lines.join("\n")}`); }),
    ]);
  } catch (error) {
    await stop();
    throw error;
  }
  return { port, url: (p = "") => `http://127.0.0.1:${port}/${p}`, lines, stop };
}
