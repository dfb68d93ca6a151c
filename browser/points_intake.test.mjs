// An appeal names a service point (便民点位) at intake, and the citizen leaves a mail address:
// the operator picks the point on the intake form (by kind, or narrowed by a typed name),
// the appeal page links it and the point's page lists the appeal for staff; the portal
// takes the point and the mail address too; a bad mail address comes back beside its field. Screenshots at 1366×900 and 390×844.
//
//   JIESU_BIN=target/debug/jiesu node --test browser/points_intake.test.mjs

import { test } from "node:test";
import assert from "node:assert/strict";
import { base, browser, shot, signIn } from "./harness.mjs";

const DESKTOP = { width: 1366, height: 900 };
const PHONE = { width: 390, height: 844 };

async function post(page, button) {
  await Promise.all([page.waitForNavigation(), page.getByRole("button", { name: button }).click()]);
}

/** Chooses the first point of the select `id` and gives back its id and its name. */
async function pickPoint(page, id) {
  const option = page.locator(`#${id} optgroup option`).first();
  const value = await option.getAttribute("value");
  const label = await option.innerText();
  await page.locator(`#${id}`).selectOption(value);
  return { value, name: label.replace(/（.*$/, "") };
}

test("the operator names a point and a mail address; the point's page lists the appeal", async () => {
  const op = await signIn("operator");
  await op.page.setViewportSize(DESKTOP);
  await op.page.goto(base + "/appeals/new");
  assert.ok((await op.page.locator("#point optgroup").count()) >= 3, "points are grouped by kind");
  await op.page.getByLabel(/^标题/).fill("驿站饮水机没有热水");
  await op.page.getByLabel(/^诉求内容/).fill("驿站里的饮水机一直不出热水，环卫工人冬天喝不上热水。");
  await op.page.getByLabel("联系电话").fill("13600001234");
  await op.page.getByLabel("电子邮箱").fill("not-a-mail");
  // Typing a name narrows the list to the points that have it.
  const first = await op.page.locator("#point optgroup option").first().innerText();
  const word = first.slice(0, 4);
  await op.page.locator("#point-filter").fill(word);
  const shown = await op.page.locator("#point").evaluate((s) =>
    [...s.querySelectorAll("optgroup option")].filter((o) => !o.hidden).map((o) => o.textContent));
  assert.ok(shown.length > 0 && shown.every((t) => t.includes(word)), shown.join(","));
  const point = await pickPoint(op.page, "point");
  await op.page.locator("#intake-form").evaluate((f) => f.setAttribute("novalidate", ""));
  await post(op.page, "提交受理");
  assert.match(await op.page.locator("#email-error").innerText(), /电子邮箱：电子邮箱格式不正确/);
  assert.equal(await op.page.locator("#point").inputValue(), point.value, "the chosen point is kept");
  await shot(op.page, "intake-refused-desktop");

  await op.page.getByLabel("电子邮箱").fill("wang.citizen@example.cn");
  await post(op.page, "提交受理");
  const link = op.page.locator("#appeal-point a");
  assert.equal(await link.innerText(), point.name);
  assert.equal(await op.page.locator("#citizen-email").innerText(), "wang.citizen@example.cn");
  await shot(op.page, "appeal-desktop");
  await op.page.setViewportSize(PHONE);
  await shot(op.page, "appeal-phone");
  await op.page.setViewportSize(DESKTOP);

  await Promise.all([op.page.waitForNavigation(), link.click()]);
  assert.match(await op.page.locator("#point-appeals").innerText(), /驿站饮水机没有热水/);
  await shot(op.page, "point-desktop");
  await op.context.close();
});

test("a citizen names a point and a mail address on the portal", async () => {
  const context = await browser.newContext({ viewport: PHONE, isMobile: true, locale: "zh-CN" });
  const page = await context.newPage();
  await page.goto(base + "/portal");
  await page.getByLabel("所在区县").selectOption("东城区");
  await page.getByLabel(/^标题/).fill("公厕洗手池堵塞");
  await page.getByLabel(/^诉求内容/).fill("公厕的洗手池堵塞好几天了，水漫到地面上。");
  await page.getByLabel("联系电话").fill("13600005678");
  await page.getByLabel("电子邮箱").fill("li.citizen@example.cn");
  await pickPoint(page, "p-point");
  await shot(page, "portal-phone");
  await post(page, "提交诉求");
  assert.match(page.url(), /\/portal\/done/);
  await context.close();
});
