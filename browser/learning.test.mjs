// Smart dispatch's learning loop (派单模型学习) in a real browser: the admin sees the
// labelled examples per source, retrains now and reads the comparison with the active
// model, pins a version (the next retrain is then kept, not activated) and unpins it.
// Screenshots at 1366×900 and 390×844.
//
//   JIESU_BIN=target/debug/jiesu node --test browser/learning.test.mjs

import { test } from "node:test";
import assert from "node:assert/strict";
import { base, browser, shot } from "./harness.mjs";

async function admin(viewport) {
  const context = await browser.newContext({ viewport, locale: "zh-CN" });
  const page = await context.newPage();
  await page.goto(base + "/login");
  await page.getByLabel("用户名").fill("admin");
  await page.getByLabel("密码").fill("demo-admin");
  await page.getByRole("button", { name: "登录" }).click();
  await page.waitForURL(base + "/");
  return { context, page };
}

test("the admin retrains, pins and unpins the dispatch model", { timeout: 600_000 }, async () => {
  const { context, page } = await admin({ width: 1366, height: 900 });
  // A retrain trains a model: slow in a debug build on a busy machine.
  page.setDefaultTimeout(300_000);
  await page.goto(base + "/admin/models/learning");
  const sources = await page.locator("#sources .stat-l").allInnerTexts();
  assert.deepEqual(
    sources.map((s) => s.replace(/（.*/, "")),
    ["派单纠正", "有效退单", "退单改派"],
  );
  assert.match(await page.locator("#active").innerText(), /版本 \d+/);

  await Promise.all([page.waitForNavigation(), page.locator("#retrain").click()]);
  assert.match(await page.locator(".notice, [role=status]").first().innerText(), /候选模型版本 \d+/);
  const first = page.locator("#runs tbody tr").first();
  assert.match(await first.innerText(), /页面/);
  assert.match(await first.innerText(), /[01]\.\d{4}/);
  await shot(page, "retrained-desktop");

  // Pin the oldest version: it becomes active and the next retrain does not replace it.
  const oldest = page.locator("#versions tbody tr").last();
  const version = (await oldest.locator("td").first().innerText()).trim();
  await Promise.all([page.waitForNavigation(), oldest.getByRole("button", { name: "锁定此版本" }).click()]);
  assert.match(await page.locator("#pinned").innerText(), new RegExp(`已锁定版本 ${version}`));
  assert.match(await page.locator("#active").innerText(), new RegExp(`版本 ${version}`));
  await Promise.all([page.waitForNavigation(), page.locator("#retrain").click()]);
  assert.match(await page.locator("#runs tbody tr").first().innerText(), /已锁定模型/);
  assert.match(await page.locator("#active").innerText(), new RegExp(`版本 ${version}`));

  await Promise.all([page.waitForNavigation(), page.locator("#unpin").click()]);
  assert.equal(await page.locator("#pinned").count(), 0);
  await shot(page, "unpinned-desktop");
  await context.close();

  const phone = await admin({ width: 390, height: 844 });
  await phone.page.goto(base + "/admin/models/learning");
  await phone.page.locator("#runs").waitFor();
  await shot(phone.page, "phone");
  await phone.context.close();
});
