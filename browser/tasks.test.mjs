// Government tasks (督查督办): the supervision office's board with per-body completion and
// 临期/超期, a task's page where the office sets a milestone and reviews a report, and a
// street office's own list with the report form, and the office's urge in the street
// office's inbox — on a desktop and a phone (390×844).
//
//   JIESU_BIN=target/debug/jiesu node --test browser/tasks.test.mjs

import { test } from "node:test";
import assert from "node:assert/strict";
import { base, browser, shot, signIn, submit, HANDLER_BODY } from "./harness.mjs";

const STREET_TASK = "推进背街小巷路灯全覆盖";

test("the office reads the board, a body reports, the office reviews", async () => {
  const office = await signIn("supervisor");
  let page = office.page;
  await page.getByRole("link", { name: "督查督办" }).click();
  await page.waitForURL(/\/tasks$/);
  assert.match(await page.locator("h1").innerText(), /督查督办看板/);
  assert.match(await page.locator("#task-board").innerText(), new RegExp(HANDLER_BODY));
  assert.match(await page.locator("#task-list").innerText(), /已销号/);
  await shot(page, "board-desktop");

  // A milestone for the street's task; a bad date is refused in Chinese.
  await page.locator("#task-list").getByRole("link", { name: STREET_TASK }).click();
  await page.waitForURL(/\/tasks\/\d+$/);
  const taskUrl = page.url();
  await page.locator("#m-due").fill("2026-12-20");
  await page.locator("#m-expected").fill("完成路灯通电调试");
  await submit(page, "milestone-form");
  assert.match(await page.locator("#milestones").innerText(), /完成路灯通电调试/);

  // The street office reports from its own list.
  const street = await signIn("handler");
  const spage = street.page;
  await spage.getByRole("link", { name: "本单位任务" }).click();
  await spage.waitForURL(/\/tasks\/mine$/);
  await spage.locator("#task-list").getByRole("link", { name: STREET_TASK }).click();
  await spage.locator("#r-text").fill("已安装路灯六十盏");
  await spage.locator("#r-percent").fill("70");
  await spage.locator("#r-attachments").fill("安装照片.jpg");
  await submit(spage, "report-form");
  assert.match(await spage.locator("#reports").innerText(), /已安装路灯六十盏[\s\S]*待审核/);
  await shot(spage, "report-desktop");

  // A send-back without a reason is refused; then the office accepts.
  await page.goto(taskUrl);
  const form = page.locator(".review-form").last();
  await Promise.all([page.waitForNavigation(), form.getByRole("button", { name: "退回" }).click()]);
  assert.match(await page.locator("body").innerText(), /退回须写明理由/);
  await page.goto(taskUrl);
  await Promise.all([
    page.waitForNavigation(),
    page.locator(".review-form").last().getByRole("button", { name: "采纳" }).click(),
  ]);
  assert.match(await page.locator("#reports").innerText(), /已安装路灯六十盏[\s\S]*已采纳/);
  await shot(page, "task-desktop");

  // The office urges the task (督办); the street office finds it in its inbox, tagged 任务,
  // and follows the link to the task.
  await page.locator("#urge-form textarea").fill("请月底前完成剩余路灯安装");
  await submit(page, "urge-form");
  await spage.getByRole("link", { name: /^消息/ }).click();
  await spage.waitForURL(/\/inbox$/);
  const line = spage.locator("#inbox-tasks li", { hasText: "请月底前完成剩余路灯安装" });
  assert.equal(await line.locator(".tag").innerText(), "任务");
  assert.match(await line.innerText(), /督办[\s\S]*推进背街小巷路灯全覆盖/);
  await shot(spage, "inbox-tasks-desktop");
  await line.getByRole("link").click();
  assert.equal(spage.url(), taskUrl);
  await street.context.close();
  await office.context.close();
});

test("the board and a task read on a phone", async () => {
  const context = await browser.newContext({ viewport: { width: 390, height: 844 }, isMobile: true, locale: "zh-CN" });
  const page = await context.newPage();
  await page.goto(base + "/login");
  await page.getByLabel("用户名").fill("leader");
  await page.getByLabel("密码").fill("demo-leader");
  await page.getByRole("button", { name: "登录" }).click();
  await page.waitForURL(base + "/");
  await page.goto(base + "/tasks");
  assert.match(await page.locator("h1").innerText(), /督查督办看板/);
  await shot(page, "board-phone");
  await page.locator("#task-list").getByRole("link", { name: STREET_TASK }).click();
  await page.waitForURL(/\/tasks\/\d+$/);
  assert.equal(await page.locator("#report-form").count(), 0, "a leader does not report");
  await shot(page, "task-phone");
  await context.close();
});
