// Returns and co-bodies in a real browser: the dispatcher judges a body's return from the
// returns queue (rejects one back to the body, approves another and re-dispatches it), and a
// co-body gives its opinion (协办意见), which the lead's page then shows. Screenshots at
// 1366×900 and 390×844.
//
//   JIESU_BIN=target/debug/jiesu node --test browser/returns.test.mjs

import { test } from "node:test";
import assert from "node:assert/strict";
import { base, browser, HANDLER_BODY, shot, signIn, statusOf, submit } from "./harness.mjs";

/** Opens the first appeal waiting for dispatch; returns its URL. */
async function firstRegistered(page) {
  await page.goto(base + "/appeals?status=registered");
  const link = page.locator('table.list a[href^="/appeals/"]').first();
  const url = base + (await link.getAttribute("href"));
  await page.goto(url);
  assert.equal(await statusOf(page), "待派单");
  return url;
}

/** The value of the first body option that is not the handler's own. */
async function anotherBody(page, selectId) {
  const options = await page.locator(`#${selectId} option`).evaluateAll((os) =>
    os.map((o) => ({ value: o.value, label: o.textContent })),
  );
  const other = options.find((o) => o.value && !o.label.startsWith(HANDLER_BODY));
  assert.ok(other, "another body to dispatch to");
  return other;
}

async function dispatch(page, url, lead, co = []) {
  await page.goto(url);
  await page.locator("#lead").selectOption(lead);
  for (const body of co) await page.locator("#co-list label", { hasText: body }).locator("input").check();
  await submit(page, "form-dispatch", "派单");
  assert.equal(await statusOf(page), "待签收");
}

async function phone(url, username, name) {
  const { context, page } = await signIn(username);
  await page.setViewportSize({ width: 390, height: 844 });
  await page.goto(url);
  await shot(page, name);
  await context.close();
}

test("the dispatcher rejects one return and approves another with a re-dispatch", async () => {
  const di = await signIn("dispatcher");
  await di.page.setViewportSize({ width: 1366, height: 900 });
  const first = await firstRegistered(di.page);
  const lead = { label: `${HANDLER_BODY}（街道乡镇）` };
  await dispatch(di.page, first, lead);
  await di.page.goto(base + "/appeals?status=registered");
  const secondHref = await di.page.locator('table.list a[href^="/appeals/"]').first().getAttribute("href");
  const second = base + secondHref;
  await dispatch(di.page, second, lead);

  // The handler returns both.
  const ha = await signIn("handler");
  for (const url of [first, second]) {
    await ha.page.goto(url);
    await submit(ha.page, "form-sign", "签收");
    await ha.page.locator("details:has(#form-return) > summary").click();
    await ha.page.getByLabel("退单理由").fill("该点位属相邻街道辖区，不属于本街道职责。");
    ha.page.once("dialog", (d) => d.accept());
    await submit(ha.page, "form-return", "退单");
    assert.equal(await statusOf(ha.page), "退单待审");
  }
  await ha.context.close();

  // The returns queue on the dispatcher's home lists them with their reason.
  await di.page.goto(base + "/");
  const queue = di.page.locator("#q-returned");
  assert.match(await queue.innerText(), /不属于本街道职责/);
  await shot(di.page, "home-returns-queue");

  // Rejected: back to the handler's body, counted as an invalid return.
  await di.page.goto(first);
  assert.match(await di.page.locator("#return-pending").innerText(), /退单待审：.*不属于本街道职责/);
  await shot(di.page, "judge-form");
  await di.page.getByLabel("审核意见").fill("经核实，该路段属朝阳街道管辖，请继续办理。");
  await submit(di.page, "form-judge_return", "驳回退单");
  assert.equal(await statusOf(di.page), "办理中", "back to the same body as it was");
  assert.match(await di.page.locator(".timeline").innerText(), /退单审核/);

  // Approved without choosing a body: a clear Chinese error, still waiting for judgement.
  await di.page.goto(second);
  await di.page.getByLabel("审核意见").fill("确属相邻街道辖区。");
  await submit(di.page, "form-judge_return", "批准并改派");
  assert.ok((await di.page.locator(".form-error", { hasText: "请选择承办单位" }).count()) > 0, "the refusal beside the form");
  await shot(di.page, "approve-without-body");
  await di.page.goto(second);
  assert.equal(await statusOf(di.page), "退单待审");
  const other = await anotherBody(di.page, "judge-lead");
  await di.page.getByLabel("审核意见").fill("确属相邻街道辖区，改派。");
  await di.page.locator("#judge-lead").selectOption(other.value);
  await submit(di.page, "form-judge_return", "批准并改派");
  assert.equal(await statusOf(di.page), "待签收", "re-dispatched in the same step");
  const facts = await di.page.locator(".facts").innerText();
  assert.ok(facts.includes(other.label.replace(/（.*$/, "")), facts);
  await shot(di.page, "approved-redispatched");
  await di.context.close();
  await phone(first, "dispatcher", "rejected-phone");
});

test("a co-body gives its opinion and the lead's page shows it", async () => {
  const di = await signIn("dispatcher");
  const url = await firstRegistered(di.page);
  const other = await anotherBody(di.page, "lead");
  await di.page.locator("#lead").selectOption(other.value);
  await di.page.locator("#co-list label", { hasText: HANDLER_BODY }).locator("input").check();
  await submit(di.page, "form-dispatch", "派单");
  assert.match(await di.page.locator("#co-opinions").innerText(), /未提交/);
  assert.match(await di.page.locator("#co-deadline").innerText(), /协办时限：(正常|临期|超期)/);
  await di.context.close();

  // The handler's body is a co-body: it sees the appeal and answers its part.
  const ha = await signIn("handler");
  await ha.page.setViewportSize({ width: 1366, height: 900 });
  await ha.page.goto(url);
  assert.equal(await ha.page.locator("#form-sign").count(), 0, "only the lead signs");
  await shot(ha.page, "co-body-form");
  await ha.page.locator("#co-text").fill("   ");
  await submit(ha.page, "form-co_opinion", "提交协办意见");
  assert.ok((await ha.page.locator(".form-error", { hasText: "不能为空" }).count()) > 0, "the refusal beside the form");
  await ha.page.goto(url);
  await ha.page.locator("#co-text").fill("本街道将配合开展夜间巡查，劝离占道摊贩，并在路口设置提示牌。");
  await submit(ha.page, "form-co_opinion", "提交协办意见");
  assert.match(await ha.page.getByRole("status").innerText(), /已协办意见/);
  const opinions = await ha.page.locator("#co-opinions").innerText();
  assert.match(opinions, /配合开展夜间巡查/);
  assert.equal(await ha.page.locator("#co-deadline").count(), 0, "every opinion is in");
  await shot(ha.page, "co-opinion-given");
  await ha.context.close();
  await phone(url, "handler", "co-opinion-phone");
  await phone(url, "supervisor", "co-opinion-supervisor-phone");
});
