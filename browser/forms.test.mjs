// Forms that keep what was typed: a refused intake or portal form comes back with its text and
// the message beside the field; the portal redirects after a submission (a refresh files
// nothing twice); the intake helper's suggestion is applied in one click; the admin's time
// limits are a table in Chinese; the representative lands on the station's appeals.
// Screenshots at 1366×900 and 390×844.
//
//   JIESU_BIN=target/debug/jiesu node --test browser/forms.test.mjs

import { test } from "node:test";
import assert from "node:assert/strict";
import { base, browser, shot, signIn } from "./harness.mjs";

const DESKTOP = { width: 1366, height: 900 };
const PHONE = { width: 390, height: 844 };

async function phonePage() {
  const context = await browser.newContext({ viewport: PHONE, isMobile: true, locale: "zh-CN" });
  return { context, page: await context.newPage() };
}

async function post(page, button) {
  await Promise.all([page.waitForNavigation(), page.getByRole("button", { name: button }).click()]);
}

test("a refused intake keeps its text and says why beside the field", async () => {
  const op = await signIn("operator");
  await op.page.setViewportSize(DESKTOP);
  await op.page.goto(base + "/appeals/new");
  await op.page.getByLabel(/^标题/).fill("楼上卫生间漏水");
  await op.page.getByLabel(/^诉求内容/).fill("楼上卫生间漏水，我家天花板已经发霉，多次找楼上住户无人开门。");
  await op.page.getByLabel("联系电话").fill("12ab");
  await post(op.page, "提交受理");
  assert.match(await op.page.locator("#phone-error").innerText(), /联系电话：电话号码格式不正确/);
  assert.equal(await op.page.getByLabel(/^标题/).inputValue(), "楼上卫生间漏水");
  assert.match(await op.page.getByLabel(/^诉求内容/).inputValue(), /天花板已经发霉/);
  assert.doesNotMatch(await op.page.content(), /citizen\.phone|未知取值/);
  await shot(op.page, "intake-refused-desktop");
  await op.page.setViewportSize(PHONE);
  await shot(op.page, "intake-refused-phone");
  await op.context.close();
});

test("the intake helper's category is applied in one click", async () => {
  const op = await signIn("operator");
  await op.page.setViewportSize(DESKTOP);
  await op.page.goto(base + "/appeals/new");
  await op.page.getByLabel(/^标题/).fill("工地夜间施工噪音扰民");
  await op.page.getByLabel(/^诉求内容/).fill("小区旁边的工地每天晚上十一点以后还在施工，噪音很大，居民无法休息。");
  await op.page.getByLabel("区县", { exact: true }).selectOption("东城区");
  const apply = op.page.locator("#assist-suggest [data-apply=category]");
  await apply.waitFor({ timeout: 15000 });
  assert.doesNotMatch(await op.page.locator("#assist-suggest").innerText(), /100%/);
  await apply.click();
  assert.notEqual(await op.page.getByLabel("诉求分类").inputValue(), "");
  assert.match(await apply.innerText(), /已采用/);
  await shot(op.page, "intake-helper-desktop");
  await op.page.setViewportSize(PHONE);
  await shot(op.page, "intake-helper-phone");
  await op.context.close();
});

test("the portal keeps a refused form, redirects after submitting, and a refresh files nothing twice", async () => {
  const { context, page } = await phonePage();
  await page.goto(base + "/portal");
  await page.getByLabel("所在区县").selectOption("东城区");
  await page.getByLabel("街道乡镇").selectOption("朝阳街道");
  await page.getByLabel(/^标题/).fill("小区门口井盖松动");
  await page.getByLabel(/^诉求内容/).fill("小区门口人行道的井盖松动，踩上去会翻，晚上很危险。");
  await page.getByLabel("详细地址").fill("翠湖苑东门");
  await page.getByLabel("联系电话").fill("12ab");
  await post(page, "提交诉求");
  assert.match(await page.locator("#p-phone-error").innerText(), /电话号码格式不正确/);
  assert.equal(await page.getByLabel(/^标题/).inputValue(), "小区门口井盖松动");
  assert.equal(await page.getByLabel("所在区县").inputValue(), "东城区");
  await shot(page, "portal-refused-phone");
  await page.getByLabel("联系电话").fill("13812345678");
  await post(page, "提交诉求");
  assert.equal(new URL(page.url()).pathname, "/portal/done");
  const number = (await page.locator("#number").innerText()).trim();
  await page.reload();
  assert.equal((await page.locator("#number").innerText()).trim(), number);
  await shot(page, "portal-done-phone");
  // A wrong query code is said beside the field, at the top of the phone's view.
  await page.goto(base + "/portal");
  await page.getByLabel("受理编号").fill(number);
  await page.getByLabel("查询码").fill("000000");
  await post(page, "查询");
  const error = page.locator("#t-code-error");
  assert.match(await error.innerText(), /受理编号或查询码不正确/);
  const box = await error.boundingBox();
  assert.ok(box && box.y < PHONE.height, `error at y=${box?.y}`);
  await shot(page, "portal-wrong-code-phone");
  await context.close();
});

test("time limits and the calendar are tables in Chinese", async () => {
  const ad = await signIn("admin");
  await ad.page.setViewportSize(DESKTOP);
  await ad.page.goto(base + "/admin/time-limits");
  assert.match(await ad.page.locator("#rules thead").innerText(), /诉求类型[\s\S]*签收[\s\S]*答复/);
  assert.doesNotMatch(await ad.page.content(), /working_days|category_l1/);
  await shot(ad.page, "admin-time-limits-desktop");
  await ad.page.getByLabel("第 1 行答复时限").fill("十天");
  ad.page.once("dialog", (d) => d.accept());
  await post(ad.page, "保存规则");
  assert.match(await ad.page.locator(".row-error-msg").innerText(), /第 1 行：答复/);
  assert.equal(await ad.page.getByLabel("第 1 行答复时限").inputValue(), "十天");
  await shot(ad.page, "admin-time-limits-refused");
  await ad.page.goto(base + "/admin/calendar");
  assert.match(await ad.page.locator("main").innerText(), /调休上班/);
  await shot(ad.page, "admin-calendar-desktop");
  await ad.page.setViewportSize(PHONE);
  await shot(ad.page, "admin-calendar-phone");
  await ad.context.close();
});

test("the representative lands on the station's appeals", async () => {
  const de = await signIn("deputy");
  await de.page.setViewportSize(DESKTOP);
  assert.match(await de.page.locator("h1").innerText(), /代表工作台/);
  await de.page.locator("#q-following").waitFor();
  assert.equal(await de.page.locator("#q-registered").count(), 0);
  await shot(de.page, "representative-home-desktop");
  await de.page.setViewportSize(PHONE);
  await shot(de.page, "representative-home-phone");
  await de.context.close();
});
