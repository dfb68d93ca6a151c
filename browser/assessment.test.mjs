// The leader's assessment (考核): the ranking per tier with each rate's interval, a body's
// drill-down to the cases that cost it points, and the printable monthly report, on a
// desktop (1366×900) and a phone (390×844).
//
//   JIESU_BIN=target/debug/jiesu node --test browser/assessment.test.mjs

import { test } from "node:test";
import assert from "node:assert/strict";
import { base, browser, shot } from "./harness.mjs";

async function leaderOn(viewport, isMobile = false) {
  const context = await browser.newContext({ viewport, isMobile, locale: "zh-CN" });
  const page = await context.newPage();
  await page.goto(base + "/login");
  await page.getByLabel("用户名").fill("leader");
  await page.getByLabel("密码").fill("demo-leader");
  await page.getByRole("button", { name: "登录" }).click();
  await page.waitForURL(base + "/");
  return { context, page };
}

test("the leader ranks the bodies per tier and opens a body's costly cases", async () => {
  const { context, page } = await leaderOn({ width: 1366, height: 900 });
  await page.getByRole("link", { name: "考核排名" }).click();
  await page.waitForURL(/\/assessment/);
  assert.match(await page.locator("h1").innerText(), /考核排名 · \d{4}年\d{1,2}月/);
  for (const tier of ["市直部门", "区县", "街道乡镇", "企业"]) {
    assert.ok(await page.getByRole("heading", { name: tier, exact: true }).isVisible(), tier);
  }
  await shot(page, "ranking-desktop");

  // A bad period is refused in Chinese.
  await page.goto(base + "/assessment?period=2026-13");
  assert.match(await page.locator("body").innerText(), /考核周期「2026-13」格式不正确/);

  // The first body of a tier opens its drill-down.
  await page.goto(base + "/assessment");
  const first = page.locator("table.ranking tbody a").first();
  const name = await first.innerText();
  await first.click();
  await page.waitForURL(/\/assessment\/bodies\/\d+/);
  assert.match(await page.locator("h1").innerText(), new RegExp(name));
  assert.ok(await page.getByRole("heading", { name: /扣分案件/ }).isVisible());
  await shot(page, "body-desktop");

  await page.goto(base + "/assessment/report");
  assert.match(await page.locator("h1").innerText(), /诉求办理情况月报/);
  await shot(page, "report-desktop");
  await context.close();
});

test("the ranking reads on a phone", async () => {
  const { context, page } = await leaderOn({ width: 390, height: 844 }, true);
  await page.goto(base + "/assessment");
  assert.match(await page.locator("h1").innerText(), /考核排名/);
  await shot(page, "ranking-phone");
  await context.close();
});
