// The admin's dispatch models page (派单模型): the operating curve and its table, the live
// figures, turning automatic dispatch (自动派单) on with a target precision (a wrong one is
// refused in Chinese, the form kept as typed); the routing table page (派单规则), a refused
// table kept likewise; and a dispatcher taking an automatically dispatched appeal back
// (收回人工派单). Desktop (1366×900) and phone (390×844).
//
//   JIESU_BIN=target/debug/jiesu node --test browser/models.test.mjs

import { test } from "node:test";
import assert from "node:assert/strict";
import { base, browser, shot, signIn, statusOf, submit } from "./harness.mjs";

async function on(viewport, username, isMobile = false) {
  const context = await browser.newContext({ viewport, isMobile, locale: "zh-CN" });
  const page = await context.newPage();
  await page.goto(base + "/login");
  await page.getByLabel("用户名").fill(username);
  await page.getByLabel("密码").fill(`demo-${username}`);
  await page.getByRole("button", { name: "登录" }).click();
  await page.waitForURL(base + "/");
  return { context, page };
}

test("the admin reads the operating curve and turns automatic dispatch on", async () => {
  const { context, page } = await on({ width: 1366, height: 900 }, "admin");
  await page.getByRole("link", { name: "派单模型" }).first().click();
  await page.waitForURL(/\/admin\/models$/);
  assert.match(await page.locator("h1").innerText(), /派单模型/);
  assert.ok((await page.locator("#operating-curve svg polyline").count()) >= 1, "the curve is drawn");
  assert.equal(await page.locator("#target-table tbody tr").count(), 5);
  assert.ok(await page.locator("#model-table").getByText("当前启用").isVisible());
  assert.match(await page.locator("#live-figures").innerText(), /自动派单/);

  // A target precision out of bounds is refused in Chinese above the form, the page shown
  // again with what was typed; the admin corrects it there.
  await page.locator("#auto-precision").fill("100");
  await page.locator("#auto-enabled").check();
  const channel = page.locator("#auto-form input[name=channel]").first();
  await channel.check();
  await submit(page, "auto-form");
  assert.match(await page.locator("h1").innerText(), /派单模型/);
  assert.match(await page.locator("#auto-error").innerText(), /目标准确率须在/);
  assert.equal(await page.locator("#auto-precision").inputValue(), "100");
  assert.ok(await page.locator("#auto-enabled").isChecked());
  assert.ok(await channel.isChecked());
  await channel.uncheck();
  await page.locator("#auto-precision").fill("50");
  await submit(page, "auto-form");
  assert.match(await page.locator("body").innerText(), /已开启自动派单，目标准确率 50\.0%/);
  assert.ok(await page.locator("#auto-enabled").isChecked());
  assert.match(await page.locator("#auto-threshold").innerText(), /^[01]\.\d{4}$/);
  await shot(page, "models-desktop");
  await context.close();
});

test("the admin edits the routing table and a duplicate rule is refused", async () => {
  const { context, page } = await on({ width: 1366, height: 900 }, "admin");
  await page.goto(base + "/admin/routing");
  assert.match(await page.locator("h1").innerText(), /派单规则/);
  const rows = page.locator("#routing-table tbody tr");
  const n = await rows.count();
  const blank = rows.nth(n - 3);
  const category = await blank.locator("select[name=category] option").nth(1).getAttribute("value");
  await blank.locator("select[name=category]").selectOption(category);
  await blank.locator("input[name=area]").fill("示例新区");
  await blank.locator("select[name=body]").selectOption({ index: 1 });
  await submit(page, "routing-form");
  assert.match(await page.locator("body").innerText(), /已保存 \d+ 条派单规则/);
  await shot(page, "routing-desktop");

  // The same condition twice.
  const again = page.locator("#routing-table tbody tr");
  const m = await again.count();
  const extra = again.nth(m - 3);
  await extra.locator("select[name=category]").selectOption(category);
  await extra.locator("input[name=area]").fill("示例新区");
  await extra.locator("select[name=body]").selectOption({ index: 2 });
  await submit(page, "routing-form");
  assert.match(await page.locator("h1").innerText(), /派单规则/);
  assert.match(await page.locator("#routing-error").innerText(), /条件重复/);
  // The table comes back as typed: the refused rule is still there, with blank rows after it.
  const kept = page.locator("#routing-table tbody tr").filter({
    has: page.locator('input[name=area][value="示例新区"]'),
  });
  assert.equal(await kept.count(), 2);
  assert.equal(await kept.nth(1).locator("select[name=category]").inputValue(), category);
  assert.equal(await page.locator("#routing-table tbody tr").count(), m + 1);
  await context.close();
});

test("a dispatcher takes an automatically dispatched appeal back", async () => {
  const op = await signIn("operator");
  // Appeals like those the model learned from: at a 50 % target some go on their own.
  const known = await (await op.page.request.get(`${base}/api/appeals?status=closed&limit=30`)).json();
  let dispatched;
  for (const a of known.items) {
    const r = await op.page.request.post(`${base}/api/appeals`, {
      data: { type: "投诉", title: a.title, text: a.text, place: a.place },
    });
    assert.equal(r.status(), 201);
    const created = (await r.json()).appeal;
    if (created.auto_dispatched) {
      dispatched = created;
      break;
    }
  }
  await op.context.close();
  assert.ok(dispatched, "an appeal was dispatched on its own");

  const { context, page } = await on({ width: 1366, height: 900 }, "dispatcher");
  await page.goto(`${base}/appeals/${dispatched.id}`);
  assert.equal(await statusOf(page), "待签收");
  assert.match(await page.locator("body").innerText(), /自动派单/);
  await page.locator("#recall-reason").fill("分类需要人工确认");
  page.once("dialog", (d) => d.accept());
  await submit(page, "form-recall");
  assert.equal(await statusOf(page), "待派单");
  assert.match(await page.locator("body").innerText(), /收回理由：分类需要人工确认/);
  await shot(page, "recalled-desktop");
  await context.close();

  const admin = await on({ width: 1366, height: 900 }, "admin");
  await admin.page.goto(base + "/admin/models");
  assert.equal(await admin.page.locator("#fig-recalled").innerText(), "1");
  await admin.context.close();
});

test("the models and routing pages read on a phone", async () => {
  const { context, page } = await on({ width: 390, height: 844 }, "admin", true);
  await page.goto(base + "/admin/models");
  assert.match(await page.locator("h1").innerText(), /派单模型/);
  await shot(page, "models-phone");
  await page.goto(base + "/admin/routing");
  assert.match(await page.locator("h1").innerText(), /派单规则/);
  await shot(page, "routing-phone");
  await context.close();
});
