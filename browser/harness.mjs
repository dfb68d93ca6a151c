// The harness the browser tests share: starts `jiesu demo` on a free port with a fresh data
// directory before a test file's tests, launches Debian's chromium through playwright-core,
// and offers sign-in, screenshots and form submission. Each `*.test.mjs` file imports it.
//
// The binary is JIESU_BIN (default: target/debug/jiesu). Screenshots go to
// target/screenshots/, named after the test file and a running number.

import { before, after } from "node:test";
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { mkdtempSync, mkdirSync, rmSync, existsSync } from "node:fs";
import { tmpdir } from "node:os";
import net from "node:net";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { chromium } from "playwright-core";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const binary = path.resolve(process.env.JIESU_BIN ?? path.join(root, "target/debug/jiesu"));
const suite = path.basename(process.argv[1] ?? "browser", ".test.mjs");
const shots = path.join(root, "target/screenshots");
const chromiumPath = process.env.CHROMIUM ?? "/usr/bin/chromium";
export const HANDLER_BODY = "东城区朝阳街道办事处";

let server, dataDir;
/** The demo server's address and the browser, set before the tests run. */
export let base, browser;
let shotNo = 0;

function freePort() {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once("error", reject);
    s.listen(0, "127.0.0.1", () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });
}

async function waitHealthy(url, ms) {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    try {
      const r = await fetch(url + "/healthz");
      if (r.ok) return;
    } catch {}
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error("jiesu did not become healthy in time");
}

/** Saves a full-page screenshot as target/screenshots/NN-name.png. */
export async function shot(page, name) {
  shotNo += 1;
  const file = path.join(shots, `${suite}-${String(shotNo).padStart(2, "0")}-${name}.png`);
  await page.screenshot({ path: file, fullPage: true });
}

export async function signIn(username, password = `demo-${username}`) {
  const context = await browser.newContext({ viewport: { width: 1366, height: 768 }, locale: "zh-CN" });
  const page = await context.newPage();
  await page.goto(base + "/login");
  await page.getByLabel("用户名").fill(username);
  await page.getByLabel("密码").fill(password);
  await page.getByRole("button", { name: "登录" }).click();
  await page.waitForURL(base + "/");
  return { context, page };
}

/**
 * Searches the appeal list for `words` until the appeal numbered `number` shows and returns
 * its link. The search index takes new appeals in batches (about a second, longer on a
 * loaded machine), so the list is reloaded as a user would press refresh.
 */
export async function searchFor(page, words, number) {
  const link = page.getByRole("link", { name: number });
  const end = Date.now() + 30_000;
  await page.goto(`${base}/appeals?q=${encodeURIComponent(words)}`);
  while ((await link.count()) === 0 && Date.now() < end) {
    await new Promise((r) => setTimeout(r, 500));
    await page.reload();
  }
  return link;
}

/** The status badge's text on an appeal or tracking page. */
export const statusOf = (page) => page.locator("#status").innerText();

/** Submits an action form and waits for the page it leads to. */
export async function submit(page, formId, buttonName) {
  const form = page.locator(`#${formId}`);
  const button = buttonName ? form.getByRole("button", { name: buttonName }) : form.locator("button[type=submit]").first();
  await Promise.all([page.waitForNavigation(), button.click()]);
}

before(async () => {
  assert.ok(existsSync(binary), `jiesu binary not found at ${binary} (cargo build -p jiesu)`);
  assert.ok(existsSync(chromiumPath), `chromium not found at ${chromiumPath}`);
  mkdirSync(shots, { recursive: true });
  dataDir = mkdtempSync(path.join(tmpdir(), "jiesu-e2e-"));
  const port = await freePort();
  server = spawn(binary, ["demo", "--data-dir", dataDir, "--listen", `127.0.0.1:${port}`, "--appeals", "300"], {
    stdio: ["ignore", "pipe", "pipe"],
    env: { ...process.env, RUST_LOG: process.env.RUST_LOG ?? "warn" },
  });
  let out = "";
  server.stdout.on("data", (d) => (out += d));
  server.stderr.on("data", (d) => process.env.JIESU_LOG && process.stderr.write(d));
  base = `http://127.0.0.1:${port}`;
  await waitHealthy(base, 120_000);
  assert.match(out, /login: handler handler demo-handler/);
  browser = await chromium.launch({
    executablePath: chromiumPath,
    args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--no-first-run"],
  });
});

after(async () => {
  await browser?.close();
  server?.kill("SIGTERM");
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
});

