// The appeal's whole life across every role in a real browser: a refused sign-in, one appeal
// from the portal to the citizen's tracking page, a handler refused another body's appeal,
// two users acting at once (409), hot issues, the knowledge base and intake assistance.
//
//   JIESU_BIN=target/debug/jiesu node --test browser/lifecycle.test.mjs

import { test } from "node:test";
import assert from "node:assert/strict";
import { base, browser, HANDLER_BODY, searchFor, shot, signIn, statusOf, submit } from "./harness.mjs";

test("signed-out visitors are sent to the sign-in page, which is in Chinese", async () => {
  const context = await browser.newContext({ viewport: { width: 1366, height: 768 } });
  const page = await context.newPage();
  await page.goto(base + "/");
  assert.equal(new URL(page.url()).pathname, "/login");
  assert.equal(await page.getAttribute("html", "lang"), "zh-CN");
  await shot(page, "login");
  await context.close();
});

test("sign-in is refused with a wrong password", async () => {
  const context = await browser.newContext({ viewport: { width: 1366, height: 768 } });
  const page = await context.newPage();
  await page.goto(base + "/login");
  await page.getByLabel("用户名").fill("operator");
  await page.getByLabel("密码").fill("wrong-password");
  await page.getByRole("button", { name: "登录" }).click();
  await page.getByRole("alert").waitFor();
  assert.match(await page.getByRole("alert").innerText(), /用户名或密码错误/);
  assert.equal(new URL(page.url()).pathname, "/login");
  await shot(page, "login-refused");
  await context.close();
});

test("one appeal's whole life, from the portal to the citizen's tracking page", async () => {
  const title = `朝阳街道翠湖苑路灯不亮 ${Date.now()}`;
  // The citizen submits on the portal.
  const citizen = await browser.newContext({ viewport: { width: 390, height: 844 }, isMobile: true, locale: "zh-CN" });
  const cp = await citizen.newPage();
  await cp.goto(base + "/portal");
  await shot(cp, "portal-phone");
  await cp.getByLabel("诉求类型").selectOption("求助");
  await cp.getByLabel("所在区县").selectOption("东城区");
  await cp.getByLabel(/^标题/).fill(title);
  await cp.getByLabel(/^诉求内容/).fill("翠湖苑小区3号楼前的路灯已经连续一周不亮，晚上出行很不安全，请尽快维修。");
  await cp.getByLabel("详细地址").fill("东城区朝阳街道翠湖苑3号楼");
  await cp.getByLabel("您的姓名").fill("张女士");
  await cp.getByLabel("联系电话").fill("13812345678");
  await cp.getByRole("button", { name: "提交诉求" }).click();
  await cp.locator("#number").waitFor();
  const number = (await cp.locator("#number").innerText()).trim();
  const code = (await cp.locator("#code").innerText()).trim();
  assert.match(number, /^\d{13}$/);
  assert.match(code, /^\d{6}$/);
  await shot(cp, "portal-submitted");

  // The operator finds it among the appeals waiting for dispatch.
  const op = await signIn("operator");
  await shot(op.page, "home-operator");
  await op.page.goto(base + "/appeals/new");
  await shot(op.page, "intake-form");
  const found = await searchFor(op.page, title, number);
  await shot(op.page, "list-search");
  await found.click();
  assert.equal(await statusOf(op.page), "待派单");
  const appealUrl = op.page.url();
  await shot(op.page, "appeal-registered");
  await op.context.close();

  // The dispatcher dispatches it to the handler's street office.
  const di = await signIn("dispatcher");
  await shot(di.page, "home-dispatcher");
  await di.page.goto(appealUrl);
  await di.page.getByLabel("主办单位").selectOption({ label: `${HANDLER_BODY}（街道乡镇）` });
  await di.page.getByLabel("派单说明").fill("请街道协调物业尽快维修路灯。");
  await submit(di.page, "form-dispatch", "派单");
  assert.equal(await statusOf(di.page), "待签收");
  assert.match(await di.page.getByRole("status").innerText(), /已派单/);
  await shot(di.page, "appeal-dispatched");
  await di.context.close();

  // The handler sees the new dispatch in the inbox, signs, contacts the citizen and replies.
  const ha = await signIn("handler");
  await shot(ha.page, "home-handler");
  assert.ok((await ha.page.locator("#inbox-link .unread").count()) === 1, "the header shows unread notices");
  await ha.page.locator("#inbox-link").click();
  await ha.page.locator("#inbox").waitFor();
  assert.match(await ha.page.locator("#inbox").innerText(), new RegExp(`新派单：${number}`));
  await shot(ha.page, "inbox-handler");
  await ha.page.goto(appealUrl);
  assert.match(await ha.page.locator("#deadline").innerText(), /签收时限：(正常|临期|超期)/);
  assert.match(await ha.page.locator("#due").innerText(), /^截止 \d+月\d+日 \d{2}:\d{2}$/);
  await submit(ha.page, "form-sign", "签收");
  assert.equal(await statusOf(ha.page), "办理中");
  await ha.page.getByLabel("联系情况").fill("已电话联系张女士，约定次日上门查看。");
  await submit(ha.page, "form-contact", "记录首次联系");
  assert.match(await ha.page.getByRole("status").innerText(), /已首次联系/);
  await ha.page.getByLabel(/^答复内容/).fill("经查，路灯线路老化导致不亮。街道已联系物业于次日更换线路，路灯已恢复照明。联系人：王工，电话 0351-1234567。");
  await shot(ha.page, "appeal-handling");
  await submit(ha.page, "form-reply", "提交答复");
  assert.equal(await statusOf(ha.page), "待审核");
  await ha.context.close();

  // The supervisor approves the reply and records the callback.
  const su = await signIn("supervisor");
  for (const queue of ["q-overdue", "q-warning", "q-replied", "q-callback"]) assert.equal(await su.page.locator(`#${queue}`).count(), 1, queue);
  await shot(su.page, "home-supervisor");
  await su.page.goto(base + "/appeals?deadline=overdue");
  await shot(su.page, "list-overdue");
  await su.page.goto(appealUrl);
  await shot(su.page, "appeal-review");
  await submit(su.page, "form-review", "审核通过");
  assert.equal(await statusOf(su.page), "待回访");
  await su.page.getByLabel("已解决").check();
  await su.page.getByLabel("满意", { exact: true }).check();
  await su.page.getByLabel("回访记录").fill("市民表示路灯已修好，很满意。");
  await shot(su.page, "appeal-callback");
  await submit(su.page, "form-callback", "记录回访结果");
  assert.equal(await statusOf(su.page), "已办结");
  const timeline = await su.page.locator(".timeline").innerText();
  for (const step of ["受理", "派单", "签收", "首次联系", "答复", "审核通过", "回访"]) assert.ok(timeline.includes(step), `timeline lacks ${step}`);
  await shot(su.page, "appeal-closed");
  await su.context.close();

  // The citizen tracks it, sees it closed with the reply, and rates the result.
  await cp.goto(base + "/portal");
  await cp.getByLabel("受理编号").fill(number);
  await cp.getByLabel("查询码").fill(code);
  await cp.getByRole("button", { name: "查询" }).click();
  await cp.locator("#status").waitFor();
  assert.equal(await statusOf(cp), "已办结");
  assert.match(await cp.locator("#reply").innerText(), /路灯已恢复照明/);
  await shot(cp, "portal-tracked-closed");
  await cp.getByLabel("满意", { exact: true }).check();
  await cp.getByLabel("意见建议（选填）").fill("维修很及时，谢谢！");
  await Promise.all([cp.waitForNavigation(), cp.getByRole("button", { name: "提交评价" }).click()]);
  assert.match(await cp.locator("#rating").innerText(), /^满意$/);
  assert.match(await cp.getByRole("status").innerText(), /感谢您的评价/);
  assert.equal(await cp.locator("#rate-form").count(), 0, "a rated appeal cannot be rated again");
  await shot(cp, "portal-rated");
  // A wrong code gets the same refusal as an unknown number.
  await cp.goto(`${base}/portal/track?number=${number}&code=000000`);
  assert.match(await cp.getByRole("alert").innerText(), /受理编号或查询码不正确/);
  await citizen.close();

  // The leader's dashboard and the admin pages render.
  const le = await signIn("leader");
  assert.ok(await le.page.locator("svg.chart").count() >= 3);
  assert.equal(await le.page.locator("#q-flagged").count(), 1);
  await shot(le.page, "home-leader-dashboard");
  await le.context.close();
  const ad = await signIn("admin");
  await shot(ad.page, "home-admin");
  for (const [url, name] of [["/admin/bodies", "admin-bodies"], ["/admin/users", "admin-users"], ["/admin/categories", "admin-categories"], ["/admin/time-limits", "admin-time-limits"], ["/admin/calendar", "admin-calendar"]]) {
    await ad.page.goto(base + url);
    await shot(ad.page, name);
  }
  // A rule with a zero limit is refused in Chinese, beside its row.
  await ad.page.goto(base + "/admin/time-limits");
  await ad.page.getByLabel("第 1 行签收时限").fill("0个工作日");
  ad.page.once("dialog", (d) => d.accept());
  await Promise.all([ad.page.waitForNavigation(), ad.page.getByRole("button", { name: "保存规则" }).click()]);
  assert.match(await ad.page.locator(".row-error-msg").innerText(), /第 1 行：签收：时限不能为 0/);
  await shot(ad.page, "admin-time-limits-refused");
  await ad.page.goto(base + "/no-such-page");
  assert.match(await ad.page.locator("h1").innerText(), /页面不存在/);
  await shot(ad.page, "error-404");
  await ad.context.close();
});

test("a handler cannot open another body's appeal", async () => {
  const ha = await signIn("handler");
  const me = await (await ha.page.request.get(base + "/api/me")).json();
  const list = await (await ha.page.request.get(base + "/api/appeals?status=handling,dispatched,replied,closed&limit=200")).json();
  assert.ok(list.items.every((a) => a.lead_body === me.body || (a.co_bodies ?? []).includes(me.body)));
  // Find another body's appeal as the dispatcher (who sees all).
  const di = await signIn("dispatcher");
  const all = await (await di.page.request.get(base + "/api/appeals?status=handling&limit=100")).json();
  const other = all.items.find((a) => a.lead_body !== me.body && !(a.co_bodies ?? []).includes(me.body));
  assert.ok(other, "the demo data has an appeal of another body");
  await di.context.close();
  const response = await ha.page.goto(`${base}/appeals/${other.id}`);
  assert.equal(response.status(), 403);
  assert.match(await ha.page.locator("h1").innerText(), /无权访问/);
  await shot(ha.page, "error-403-other-body");
  await ha.context.close();
});

test("two users acting on the same appeal at once: the second gets the 409 page", async () => {
  const one = await signIn("dispatcher");
  const two = await signIn("admin");
  const waiting = await (await one.page.request.get(base + "/api/appeals?status=registered&limit=5")).json();
  const target = waiting.items[0];
  assert.ok(target, "an appeal waits for dispatch");
  for (const u of [one, two]) {
    await u.page.goto(`${base}/appeals/${target.id}`);
    await u.page.getByLabel("主办单位").selectOption({ label: `${HANDLER_BODY}（街道乡镇）` });
  }
  await submit(one.page, "form-dispatch", "派单");
  assert.equal(await statusOf(one.page), "待签收");
  const [response] = await Promise.all([
    two.page.waitForResponse((r) => r.url().endsWith(`/appeals/${target.id}/act`)),
    two.page.locator("#form-dispatch").getByRole("button", { name: "派单" }).click(),
  ]);
  assert.equal(response.status(), 409);
  await two.page.waitForLoadState("load");
  assert.match(await two.page.locator("h1").innerText(), /此诉求已被他人处理，请刷新/);
  await shot(two.page, "error-409-conflict");
  await one.context.close();
  await two.context.close();
});

test("hot issues for the leader, the knowledge base and intake assistance for the operator", async () => {
  const le = await signIn("leader");
  await le.page.getByRole("navigation", { name: "主导航" }).getByRole("link", { name: "热点问题" }).click();
  await le.page.waitForURL(base + "/hot");
  assert.match(await le.page.locator("h1").innerText(), /热点问题/);
  await le.page.getByLabel("统计周期").selectOption("90");
  await Promise.all([le.page.waitForNavigation(), le.page.getByRole("button", { name: "查看" }).click()]);
  assert.ok(le.page.url().endsWith("/hot?days=90"));
  const first = le.page.locator(".hot-members summary").first();
  if (await first.count()) {
    await first.focus();
    await le.page.keyboard.press("Enter");
    assert.ok(await le.page.locator(".hot-members[open] a").count() >= 1, "a group opens to its appeals");
    const parts = le.page.locator(".hot-parts").first();
    assert.match(await parts.innerText(), /诉求人数[\s\S]*公众关注[\s\S]*时间集中度[\s\S]*增长势头/, "each group explains its heat");
  }
  await shot(le.page, "hot-issues-leader");
  await le.context.close();

  const op = await signIn("operator");
  const refused = await op.page.goto(base + "/hot");
  assert.equal(refused.status(), 403);
  await op.page.goto(base + "/knowledge");
  await op.page.getByLabel("关键词").fill("办理");
  await Promise.all([op.page.waitForNavigation(), op.page.getByRole("button", { name: "搜索" }).click()]);
  assert.match(await op.page.locator("h1").innerText(), /知识库/);
  await shot(op.page, "knowledge-search-operator");
  // Typing in the intake form brings suggestions and duplicate candidates.
  await op.page.goto(base + "/appeals/new");
  await op.page.getByLabel("标题").fill("小区门口路灯不亮");
  await op.page.getByLabel("诉求内容").fill("小区门口的路灯坏了一周，晚上出行不便");
  await op.page.waitForFunction(() => !document.getElementById("assist-suggest").innerText.includes("填写标题或内容后显示"), null, { timeout: 10000 });
  await op.page.waitForFunction(() => !document.getElementById("assist-similar").innerText.includes("填写标题或内容后显示"), null, { timeout: 10000 });
  await shot(op.page, "intake-assistance");
  await op.context.close();
});
