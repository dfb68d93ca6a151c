// Suggestion campaigns (民生实事意见征集): a citizen finds the open campaign, submits a
// proposal and supports another (a second support is not counted); anyone reads the
// published outcomes of last year's campaign on a phone; the supervision office opens a
// campaign, types in letters, groups them after the close, gives the group to a body,
// answers it (adopted: a task), corrects the answer twice (the task kept, withdrawn, made
// anew; every answer in the record) and publishes — on a desktop (1366×900) and a phone
// (390×844).
//
//   JIESU_BIN=target/debug/jiesu node --test browser/campaigns.test.mjs

import { test } from "node:test";
import assert from "node:assert/strict";
import { base, browser, shot, submit } from "./harness.mjs";

const DESKTOP = { width: 1366, height: 900 };
const PHONE = { width: 390, height: 844 };
const year = new Date().getFullYear();

async function visitor(viewport, isMobile = false) {
  const context = await browser.newContext({ viewport, isMobile, locale: "zh-CN" });
  return { context, page: await context.newPage() };
}

async function signInOn(username, viewport, isMobile = false) {
  const { context, page } = await visitor(viewport, isMobile);
  await page.goto(base + "/login");
  await page.getByLabel("用户名").fill(username);
  await page.getByLabel("密码").fill(`demo-${username}`);
  await page.getByRole("button", { name: "登录" }).click();
  await page.waitForURL(base + "/");
  return { context, page };
}

test("a citizen submits a proposal to the open campaign and supports one once", async () => {
  const { context, page } = await visitor(DESKTOP);
  await page.goto(base + "/campaigns");
  await page.getByRole("link", { name: `${year + 1}年民生实事项目意见征集` }).click();
  await page.waitForURL(/\/campaigns\/\d+$/);
  assert.equal(await page.locator("#c-state").innerText(), "征集中");
  const form = page.locator("#proposal-form");
  await form.getByLabel("建议标题").fill("翠竹巷增设休息座椅");
  await form.getByLabel("建议内容").fill("翠竹巷是老人常走的路，建议沿路增设几处休息座椅。");
  await form.getByLabel("主题").selectOption("公共设施");
  await form.getByLabel("涉及地点").fill("翠竹巷");
  await form.getByLabel("您的姓名").fill("钱女士");
  await form.getByLabel("匿名").check();
  await submit(page, "proposal-form", "提交建议");
  assert.match(await page.locator(".notice").innerText(), /您的建议已提交/);
  const mine = page.locator("#proposal-list li", { hasText: "翠竹巷增设休息座椅" });
  assert.match(await mine.innerText(), /匿名/);
  assert.doesNotMatch(await mine.innerText(), /钱女士/);

  const first = page.locator("#proposal-list li").nth(1);
  const before = Number((await first.locator(".support-count").innerText()).replace(/\D/g, ""));
  await Promise.all([page.waitForNavigation(), first.getByRole("button", { name: "支持" }).click()]);
  assert.match(await page.locator(".notice").innerText(), /已支持该建议/);
  const again = page.locator("#proposal-list li").nth(1);
  assert.equal(Number((await again.locator(".support-count").innerText()).replace(/\D/g, "")), before + 1);
  await Promise.all([page.waitForNavigation(), again.getByRole("button", { name: "支持" }).click()]);
  assert.match(await page.locator(".notice").innerText(), /不重复计数/);
  assert.equal(
    Number((await page.locator("#proposal-list li").nth(1).locator(".support-count").innerText()).replace(/\D/g, "")),
    before + 1,
  );
  await shot(page, "public-desktop");
  await context.close();
});

test("the published outcomes of last year's campaign read on a phone", async () => {
  const { context, page } = await visitor(PHONE, true);
  await page.goto(base + "/campaigns");
  await page.getByRole("link", { name: `${year}年民生实事项目意见征集` }).click();
  await page.waitForURL(/\/campaigns\/\d+$/);
  assert.equal(await page.locator("#c-state").innerText(), "已公布");
  const table = await page.locator("#outcome-list").innerText();
  assert.match(table, /采纳/);
  assert.match(table, /不予采纳/);
  assert.equal(await page.locator("#proposal-form").count(), 0, "no form after the close");
  await shot(page, "outcomes-phone");
  await context.close();
});

test("the office opens a campaign, types in letters, groups, assigns, answers and publishes", async () => {
  const { context, page } = await signInOn("supervisor", DESKTOP);
  await page.getByRole("link", { name: "意见征集" }).click();
  await page.waitForURL(/\/admin\/campaigns$/);
  const form = page.locator("#campaign-form");
  await form.locator("#c-title").fill("滨江片区微更新意见征集");
  await form.getByLabel("开始日期").fill("2025-03-01");
  await form.getByLabel("截止日期").fill("2025-03-31");
  await form.getByLabel("网页").uncheck();
  await form.getByLabel("信件").check();
  await form.getByLabel("答复单位（每行一个）").fill("示范市园林局");
  await submit(page, "campaign-form", "创建征集活动");
  await page.waitForURL(/\/admin\/campaigns\/\d+/);
  assert.equal(await page.locator("#c-state").innerText(), "已截止");

  // Letters that arrived by post are typed in after the close.
  for (const [title, name] of [["滨江公园增设公厕", "赵先生"], ["滨江公园公厕太少", "孙女士"]]) {
    const entry = page.locator("#entry-form");
    await entry.getByLabel("建议标题").fill(title);
    await entry.getByLabel("建议内容").fill(`${title}，周末排队很久。`);
    await entry.getByLabel("涉及地点").fill("滨江公园");
    await entry.getByLabel("来信人", { exact: true }).fill(name);
    await submit(page, "entry-form", "录入");
    assert.match(await page.locator(".notice").innerText(), /已录入信件建议/);
  }
  await Promise.all([page.waitForNavigation(), page.locator("#group-btn").click()]);
  assert.match(await page.locator(".notice").innerText(), /2 条建议已汇总为 1 组/);
  const row = page.locator("#group-table tbody tr").first();
  await row.locator("select").selectOption({ index: 1 });
  await Promise.all([page.waitForNavigation(), row.getByRole("button", { name: "交办" }).click()]);
  assert.match(await page.locator(".notice").innerText(), /已交办/);
  await shot(page, "office-desktop");

  await page.locator("#group-table tbody tr").first().getByRole("link").click();
  await page.waitForURL(/\/admin\/campaign-groups\/\d+/);
  assert.equal(await page.locator("#g-people").innerText(), "2");
  const answer = page.locator("#answer-form");
  await answer.getByLabel("办理结果").selectOption("不予采纳");
  await answer.getByLabel(/答复意见/).fill(" ");
  await submit(page, "answer-form", "提交答复");
  assert.match(await page.locator("body").innerText(), /理由|不能为空/);
  await page.goBack();
  await page.reload();
  await page.locator("#answer-form").getByLabel("办理结果").selectOption("采纳");
  await page.locator("#answer-form").getByLabel(/答复意见/).fill("明年在滨江公园南门新建公厕一座。");
  await submit(page, "answer-form", "提交答复");
  assert.match(await page.locator(".notice").innerText(), /已转为任务/);
  assert.equal(await page.locator("#g-outcome").innerText(), "采纳");
  const firstTask = await page.locator("#g-task").innerText();

  // 更正答复 before publication: 部分采纳 keeps the task; 不予采纳 withdraws it; adopting
  // again makes a new one. Every answer stays in the record.
  const correct = async (outcome, reply) => {
    const form = page.locator("#correct-form");
    await form.getByLabel("办理结果").selectOption(outcome);
    await form.getByLabel(/更正后的答复意见/).fill(reply);
    await submit(page, "correct-form", "提交更正");
  };
  await correct("部分采纳", "明年先在滨江公园南门设移动公厕。");
  assert.match(await page.locator(".notice").innerText(), /已更正为「部分采纳」/);
  assert.equal(await page.locator("#g-task").innerText(), firstTask);
  await correct("不予采纳", "选址与滨江绿地保护规划冲突。");
  assert.match(await page.locator(".notice").innerText(), /不再有在办任务/);
  assert.equal(await page.locator("#g-task").count(), 0);
  await correct("采纳", "经协调，明年在滨江公园东门新建公厕一座。");
  assert.notEqual(await page.locator("#g-task").innerText(), firstTask);
  const history = page.locator("#answer-history tbody tr");
  assert.equal(await history.count(), 4);
  assert.equal(await page.locator("#answer-history tbody tr.replaced").count(), 3);
  assert.match(await history.nth(2).innerText(), /不予采纳[\s\S]*绿地保护/);
  await shot(page, "group-corrected");
  const groupUrl = page.url();
  await page.locator(".crumb a").click();
  await page.waitForURL(/\/admin\/campaigns\/\d+/);
  await Promise.all([page.waitForNavigation(), page.locator("#publish-btn").click()]);
  assert.match(await page.locator(".notice").innerText(), /已向社会公布/);
  assert.equal(await page.locator("#c-state").innerText(), "已公布");
  const download = page.waitForEvent("download");
  await page.locator("#export-link").click();
  assert.match((await download).suggestedFilename(), /^campaign-\d+\.xlsx$/);
  await page.goto(groupUrl);
  assert.equal(await page.locator("#correct-form").count(), 0, "no correction once published");
  assert.equal(await page.locator("#answer-history tbody tr").count(), 4);
  await context.close();

  const phone = await signInOn("supervisor", PHONE, true);
  await phone.page.goto(base + "/admin/campaigns");
  await phone.page.getByRole("link", { name: "滨江片区微更新意见征集" }).click();
  await phone.page.waitForURL(/\/admin\/campaigns\/\d+/);
  await shot(phone.page, "office-phone");
  await phone.context.close();
});
