// Liaison stations (联络站) and meetings (协商会议/月调度): an administrator adds a station;
// a representative records a reception, judges its items (one answered on the spot, one made
// a task in one step) and opens the reception's feedback sheet; the supervision office
// records a meeting whose issues become tasks and gives an answer back — on a desktop
// (1366×900) and a phone (390×844).
//
//   JIESU_BIN=target/debug/jiesu node --test browser/stations.test.mjs

import { test } from "node:test";
import assert from "node:assert/strict";
import { base, browser, shot, submit } from "./harness.mjs";

async function signInOn(username, viewport, isMobile = false) {
  const context = await browser.newContext({ viewport, isMobile, locale: "zh-CN" });
  const page = await context.newPage();
  await page.goto(base + "/login");
  await page.getByLabel("用户名").fill(username);
  await page.getByLabel("密码").fill(`demo-${username}`);
  await page.getByRole("button", { name: "登录" }).click();
  await page.waitForURL(base + "/");
  return { context, page };
}

const DESKTOP = { width: 1366, height: 900 };
const PHONE = { width: 390, height: 844 };
const STATION = "青禾社区人大代表联络站";

test("the administrator adds a station with its representative and opening days", async () => {
  const { context, page } = await signInOn("admin", DESKTOP);
  await page.getByRole("link", { name: "联络站管理" }).click();
  await page.waitForURL(/\/admin\/stations/);
  assert.ok(await page.locator("#admin-stations").getByText(STATION).isVisible());
  const form = page.locator("#station-form");
  await form.getByLabel("名称").fill("示范湖畔联络站");
  await form.getByLabel("区县").fill("示范区");
  await form.getByLabel("地址").fill("湖畔路3号");
  await form.getByLabel("人大代表孙平").check();
  await form.getByLabel("周二").check();
  await submit(page, "station-form", "保存");
  assert.match(await page.locator(".notice").innerText(), /已新增联络站「示范湖畔联络站」/);
  const row = page.locator("#admin-stations tr", { hasText: "示范湖畔联络站" });
  assert.match(await row.innerText(), /人大代表孙平/);
  assert.match(await row.innerText(), /周二/);
  await shot(page, "admin-desktop");

  // The same name again is refused in Chinese.
  await form.getByLabel("名称").fill("示范湖畔联络站");
  await submit(page, "station-form", "保存");
  assert.match(await page.locator("body").innerText(), /已存在/);
  await context.close();
});

test("a representative records a reception, judges its items and prints the sheet", async () => {
  const { context, page } = await signInOn("deputy", DESKTOP);
  await page.getByRole("link", { name: "联络站", exact: true }).click();
  await page.waitForURL(/\/stations$/);
  await page.getByRole("link", { name: STATION }).click();
  await page.waitForURL(/\/stations\/\d+/);
  assert.match(await page.locator("h1").innerText(), new RegExp(STATION));
  await shot(page, "station-desktop");

  if ((await page.locator("#reception").getAttribute("open")) === null) {
    await page.locator("#reception summary").click();
  }
  const form = page.locator("#reception-form");
  await form.locator("#r-title-1").fill("青禾小区电梯频繁停运");
  await form.locator("#r-text-1").fill("青禾小区三号楼电梯一周内停运三次，老人上下楼困难。");
  await form.locator("#r-name-1").fill("陈阿姨");
  await form.locator("#r-phone-1").fill("13700001234");
  await form.locator("#r-address-1").fill("青禾小区三号楼");
  await form.locator("#r-title-2").fill("社区活动室开放时间");
  await form.locator("#r-text-2").fill("想了解社区活动室周末是否开放。");
  // 再加一条 adds a fourth, empty block (the third stays empty and is skipped).
  await form.getByRole("button", { name: "再加一条" }).click();
  assert.equal(await form.locator("fieldset.reception-item").count(), 4);
  assert.equal(await form.locator("#r-title-4").inputValue(), "");
  await form.locator("#r-title-4").fill("河畔路口信号灯时长太短");
  await form.locator("#r-text-4").fill("河畔路口行人信号灯太短，老人过马路来不及。");
  await submit(page, "reception-form", "登记接待");
  assert.match(await page.locator(".notice").innerText(), /已登记接待，3 件群众反映已受理/);

  // 转任务 without a lead body is refused in Chinese.
  const lift = page.locator("tr", { hasText: "青禾小区电梯频繁停运" });
  await lift.locator("select[name=triage]").selectOption("转任务");
  await Promise.all([page.waitForNavigation(), lift.getByRole("button", { name: "交办" }).click()]);
  assert.match(await page.locator("body").innerText(), /转任务须选择牵头单位/);
  await page.goBack();
  await page.reload();

  const room = page.locator("tr", { hasText: "社区活动室开放时间" });
  await room.locator("select[name=triage]").selectOption("当场答复");
  await room.locator("input[name=note]").fill("周末上午九点至十二点开放");
  await Promise.all([page.waitForNavigation(), room.getByRole("button", { name: "交办" }).click()]);
  assert.match(await page.locator(".notice").innerText(), /已当场答复/);

  const lift2 = page.locator("tr", { hasText: "青禾小区电梯频繁停运" });
  await lift2.locator("select[name=triage]").selectOption("转任务");
  await lift2.locator("select[name=body]").selectOption({ index: 1 });
  await lift2.locator("input[name=note]").fill("督促物业和维保单位排查");
  await Promise.all([page.waitForNavigation(), lift2.getByRole("button", { name: "交办" }).click()]);
  assert.match(await page.locator(".notice").innerText(), /已转为任务（编号 \d+）/);
  const done = page.locator("tr", { hasText: "青禾小区电梯频繁停运" });
  assert.match(await done.locator(".outcome").innerText(), /转任务 · 未启动/);
  assert.match(await done.innerText(), /已转任务/);
  assert.match(await done.locator(".outcome a").getAttribute("href"), /^\/tasks\/\d+$/);
  await shot(page, "triaged-desktop");

  await page.locator("#receptions a").first().click();
  await page.waitForURL(/\/receptions\/\d+\/sheet/);
  assert.match(await page.locator("h1").innerText(), /接待反馈单/);
  const sheet = await page.locator("#sheet-items").innerText();
  assert.match(sheet, /社区活动室开放时间/);
  assert.match(sheet, /当场答复/);
  assert.match(sheet, /转任务 · 未启动/);
  assert.match(await page.locator("#sheet-rep").innerText(), /人大代表孙平/);
  await shot(page, "sheet-desktop");
  await context.close();
});

test("the supervision office records a meeting whose issues become tasks", async () => {
  const { context, page } = await signInOn("supervisor", DESKTOP);
  await page.goto(base + "/meetings");
  assert.ok(await page.locator("#meeting-table").getByText(/月调度会/).isVisible());
  const form = page.locator("#meeting-form");
  await form.getByLabel("会议名称").fill("青禾片区协商会");
  await form.getByLabel("参会人员").fill("人大代表孙平\n居民代表");
  await form.getByLabel("会议纪要").fill("围绕片区停车难、绿化维护两项议题协商。");
  await form.locator("#m-issue-1").fill("增设青禾片区夜间停车位");
  await form.locator("#m-by-1").fill("居民代表");
  await form.locator("#m-lead-1").fill("市住房和城乡建设局");
  await form.locator("#m-issue-2").fill("补植青禾路行道树");
  await form.locator("#m-lead-2").fill("示范园林绿化所");
  await submit(page, "meeting-form", "保存会议并转任务");
  await page.waitForURL(/\/meetings\/\d+/);
  assert.match(await page.locator(".notice").innerText(), /2 个议题已转为任务/);
  const rows = page.locator("#issue-table tbody tr");
  assert.equal(await rows.count(), 2);
  assert.match(await rows.first().innerText(), /未启动/);
  // A lead body jiesu does not know leaves its issue's task a draft until it is mapped.
  assert.match(await page.locator(".notice").innerText(), /示范园林绿化所（待指定后发布）/);
  assert.match(await rows.nth(1).innerText(), /草稿/);
  await rows.first().locator("input[name=feedback]").fill("已协调新增夜间停车位40个");
  await Promise.all([page.waitForNavigation(), rows.first().getByRole("button", { name: "反馈" }).click()]);
  assert.match(await page.locator("#issue-table").innerText(), /已协调新增夜间停车位40个/);
  await shot(page, "meeting-desktop");
  await context.close();
});

test("the station and a meeting read on a phone", async () => {
  const { context, page } = await signInOn("deputy", PHONE, true);
  await page.goto(base + "/stations");
  await page.getByRole("link", { name: STATION }).click();
  await page.waitForURL(/\/stations\/\d+/);
  assert.ok(await page.locator("#review").isVisible());
  await shot(page, "station-phone");
  await page.goto(base + "/meetings");
  await page.locator("#meeting-table a").first().click();
  await page.waitForURL(/\/meetings\/\d+/);
  assert.ok(await page.locator("#issue-table").isVisible());
  assert.match(await page.locator("#issue-table a[href^='/tasks/']").first().getAttribute("href"), /^\/tasks\/\d+$/);
  await shot(page, "meeting-phone");
  await context.close();
});
