// Where staff decide: the dispatcher applies smart dispatch's suggestion in one click, the
// callback records only what the citizen said (nothing preselected, 未接通 counted), and the
// handler's overdue queue holds only what the handler can act on. Screenshots at 1366×900
// and 390×844.

import { test } from "node:test";
import assert from "node:assert/strict";
import { base, HANDLER_BODY, signIn, shot, statusOf, submit } from "./harness.mjs";

const PHONE = { width: 390, height: 844 };
const DESKTOP = { width: 1366, height: 900 };

/** Signs in and sizes the window. */
async function staff(username, viewport = DESKTOP) {
  const u = await signIn(username);
  await u.page.setViewportSize(viewport);
  return u;
}

/** The first appeals in `status` the signed-in user may see. */
async function appealsIn(page, status, limit = 20) {
  const r = await page.request.get(`${base}/api/appeals?status=${status}&limit=${limit}`);
  assert.equal(r.status(), 200);
  return (await r.json()).items;
}

/** Posts one action through the API as the signed-in user. */
async function act(page, id, action) {
  const r = await page.request.post(`${base}/api/appeals/${id}/actions`, { data: action });
  assert.equal(r.status(), 200, `${action.action}: ${await r.text()}`);
}

/** An appeal taken by the API through intake, dispatch, handling and review to 待回访. */
async function appealAwaitingCallback() {
  const op = await staff("operator");
  const created = await op.page.request.post(`${base}/api/appeals`, {
    data: {
      type: "求助",
      title: `朝阳街道翠湖苑楼道灯不亮 ${Date.now()}`,
      text: "翠湖苑3栋楼道灯坏了一周，晚上上下楼很不方便。",
      citizen: { name: "李女士", phone: "13900001111" },
      place: { district: "东城区", address: "翠湖苑3栋" },
    },
  });
  assert.equal(created.status(), 201, await created.text());
  const id = (await created.json()).appeal.id;
  const bodies = await (await op.page.request.get(`${base}/api/bodies`)).json();
  const lead = bodies.find((b) => b.name === HANDLER_BODY).id;
  await op.context.close();
  const steps = [
    ["dispatcher", { action: "dispatch", lead }],
    ["handler", { action: "sign" }],
    ["handler", { action: "contact", note: "已电话联系市民" }],
    ["handler", { action: "reply", text: "经查，翠湖苑3栋楼道灯损坏，物业已于今日更换，感谢您的反映。" }],
    ["supervisor", { action: "review", approve: true }],
  ];
  for (const [who, action] of steps) {
    const u = await staff(who);
    await act(u.page, id, action);
    await u.context.close();
  }
  return id;
}

test("the dispatcher applies the suggestion in one click and it goes to the suggested body", async () => {
  const di = await staff("dispatcher");
  const waiting = await appealsIn(di.page, "registered");
  let target, lead;
  for (const a of waiting) {
    await di.page.goto(`${base}/appeals/${a.id}`);
    if (await di.page.locator("#form-apply").count()) {
      target = a;
      lead = await di.page.locator("#form-apply input[name=lead]").getAttribute("value");
      break;
    }
  }
  assert.ok(target, "some appeal waiting for dispatch has a usable suggestion");

  // The decision comes first and open; the suggestion names category, body and words.
  const first = di.page.locator(".detail-side > section, .detail-side > details").first();
  assert.match(await first.getAttribute("class"), /step/);
  assert.equal(await first.locator("#form-dispatch").count(), 1);
  assert.match(await di.page.locator("#suggest-lead").innerText(), /\S/);
  assert.match(await di.page.locator("#suggestion").innerText(), /置信度/);
  assert.equal(await di.page.locator("#lead").inputValue(), lead, "the editable form starts from the suggestion");
  assert.equal(await di.page.locator("select[multiple]").count(), 0, "no Ctrl-click lists");

  // Typing 环境 narrows the category list to matching entries.
  await di.page.getByLabel("筛选分类").fill("环境");
  const shown = await di.page.locator("#dispatch-category option:not([hidden]):not(:checked)").allInnerTexts();
  assert.ok(shown.length > 0 && shown.every((t) => t.includes("环境")), shown.join("|"));
  await di.page.getByLabel("筛选分类").fill("");
  await shot(di.page, "dispatch-suggestion-desktop");
  await di.page.setViewportSize(PHONE);
  await shot(di.page, "dispatch-suggestion-phone");
  await di.page.setViewportSize(DESKTOP);

  await submit(di.page, "form-apply");
  assert.equal(await statusOf(di.page), "待签收");
  const after = await (await di.page.request.get(`${base}/api/appeals/${target.id}`)).json();
  assert.equal(String(after.appeal.lead_body), lead, "dispatched to the suggested body");
  await di.context.close();
});

test("a callback has nothing preselected, is refused without an answer, and 未接通 is counted", async () => {
  const id = await appealAwaitingCallback();
  const su = await staff("supervisor");
  await su.page.goto(`${base}/appeals/${id}`);
  const form = su.page.locator("#form-callback");
  assert.equal(await form.locator("input[type=radio]:checked").count(), 0, "nothing chosen for the citizen");

  // The browser will not send it without an answer; the server refuses it too, keeping the note.
  assert.equal(await form.evaluate((f) => f.checkValidity()), false);
  await su.page.getByLabel("回访记录").fill("市民说要再观察几天");
  await form.evaluate((f) => { f.noValidate = true; });
  await submit(su.page, "form-callback", "记录回访结果");
  assert.match(await su.page.locator("#solved-error").innerText(), /请选择市民反映的问题是否已解决/);
  assert.equal(await su.page.getByLabel("回访记录").inputValue(), "市民说要再观察几天");
  assert.equal(await statusOf(su.page), "待回访");
  await shot(su.page, "callback-refused-desktop");

  // Two calls nobody answered: recorded, counted and shown.
  for (let i = 0; i < 2; i++) {
    await su.page.getByLabel("未接通情况").fill("无人接听");
    await submit(su.page, "form-callback_unreached", "记录未接通");
    assert.match(await su.page.getByRole("status").innerText(), /已回访未接通/);
  }
  assert.match(await su.page.locator("#callback-attempts").innerText(), /已尝试 2 次/);
  assert.match(await su.page.locator(".timeline").innerText(), /回访未接通/);
  assert.equal(await statusOf(su.page), "待回访");
  await shot(su.page, "callback-unreached-desktop");
  await su.page.setViewportSize(PHONE);
  await shot(su.page, "callback-unreached-phone");
  await su.context.close();
});

test("the handler's overdue queue holds only appeals to sign or handle; lists sort by deadline", async () => {
  const ha = await staff("handler");
  const queue = ha.page.locator("#q-overdue");
  assert.equal(await queue.count(), 1);
  const states = await queue.locator("tbody .badge").allInnerTexts();
  for (const s of states) assert.ok(["待签收", "办理中"].includes(s), `not the handler's to act on: ${s}`);
  // Sort links head every appeal table (the queue's when it has rows, the list's always).
  const table = states.length > 0 ? queue : ha.page.locator("body");
  if (states.length === 0) await ha.page.goto(`${base}/appeals`);
  assert.ok(await table.locator("th a.sort").count() >= 2, "sort links in the header");
  if (states.length === 0) await ha.page.goto(`${base}/`);
  await shot(ha.page, "home-handler-desktop");
  await ha.page.setViewportSize(PHONE);
  await shot(ha.page, "home-handler-phone");
  await ha.context.close();

  const su = await staff("supervisor");
  await su.page.goto(base + "/appeals?deadline=overdue");
  await su.page.getByRole("link", { name: "时限", exact: true }).click();
  await su.page.waitForURL(/sort=deadline/);
  assert.equal(await su.page.locator("th[aria-sort]").count(), 1);
  assert.equal(await su.page.getByLabel("排序").inputValue(), "deadline");
  await shot(su.page, "list-overdue-by-deadline");
  await su.context.close();
});
