// Government tasks (督查督办), continued: the office imports a document's text at
// /tasks/import, maps the body names jiesu does not know, edits and discards drafts and
// publishes; urges (督办) a task, which the lead body reads among its reminders; the board
// filters by status and shows the leader's view by document — on a desktop and a phone.
//
//   JIESU_BIN=$CARGO_TARGET_DIR/debug/jiesu node --test browser/tasks_import.test.mjs

import { test } from "node:test";
import assert from "node:assert/strict";
import { base, browser, shot, signIn, submit, HANDLER_BODY } from "./harness.mjs";

const DOCUMENT = "关于提升示范区背街小巷便民设施的工作方案";
// Invented text: two measures with bodies, one of whose co-bodies and one lead jiesu does
// not know, and a third measure that names no body.
const TEXT = `${DOCUMENT}

一、总体要求
坚持以人民为中心，补齐便民设施短板。

二、重点任务
（一）增设社区便民座椅。在背街小巷增设休息座椅二百处。牵头单位：${HANDLER_BODY}；责任单位：示范区园林绿化服务中心。2026年12月底前完成。
（二）改造小巷排水设施。疏通并改造排水管网十公里。牵头单位：示范区排水管理所。2026年11月底前完成。
（三）开展便民设施巡查。每月对新增设施巡查一次，发现损坏及时修复。2026年12月底前完成。
`;

test("the office imports a document, maps its bodies, edits, discards and publishes", async () => {
  const office = await signIn("supervisor");
  const page = office.page;
  await page.goto(base + "/tasks");
  await Promise.all([page.waitForURL(/\/tasks\/import/), page.locator("#to-import").click()]);
  await page.locator("#i-document").fill(DOCUMENT);
  await page.locator("#i-year").fill("2026");
  await page.locator("#i-text").fill(TEXT);
  await submit(page, "import-form");
  assert.match(await page.locator(".notice, [role=status]").first().innerText(), /已导入 3 项任务草稿/);
  const drafts = page.locator("#draft-list");
  assert.match(await drafts.innerText(), /增设社区便民座椅[\s\S]*改造小巷排水设施[\s\S]*开展便民设施巡查/);
  const unknown = await page.locator("#unknown-names").innerText();
  assert.match(unknown, /示范区园林绿化服务中心/);
  assert.match(unknown, /示范区排水管理所/);
  await shot(page, "import-desktop");

  // Publishing with an unmapped name is refused, naming it; the drafts stay.
  await submit(page, "publish-form", "发布勾选的任务");
  assert.match(await page.locator("body").innerText(), /不是系统中的单位/);
  await page.goto(base + "/tasks/import?document=" + encodeURIComponent(DOCUMENT));

  // Edit a draft's title.
  await Promise.all([
    page.waitForURL(/\/tasks\/drafts\/\d+$/),
    page.locator("#draft-list tr", { hasText: "改造小巷排水设施" }).getByRole("link", { name: "修改" }).click(),
  ]);
  await page.locator("#e-title").fill("改造背街小巷排水设施");
  await submit(page, "draft-form");
  assert.match(await page.locator("#draft-list").innerText(), /改造背街小巷排水设施/);

  // Discard the measure without a body (after confirming).
  page.once("dialog", (d) => d.accept());
  await Promise.all([
    page.waitForNavigation(),
    page.locator("#draft-list tr", { hasText: "开展便民设施巡查" }).getByRole("button", { name: "删除" }).click(),
  ]);
  assert.match(await page.locator("body").innerText(), /草稿已删除/);
  assert.doesNotMatch(await page.locator("#draft-list").innerText(), /开展便民设施巡查/);

  // Map one unknown name to a known body, leave the other out, and publish.
  await page.getByLabel("示范区排水管理所 对应单位").selectOption({ label: HANDLER_BODY });
  await page.getByLabel("示范区园林绿化服务中心 对应单位").selectOption({ label: "不计入" });
  await submit(page, "publish-form", "发布勾选的任务");
  assert.match(await page.locator("body").innerText(), /已发布 2 项任务/);
  assert.equal(await page.locator("#draft-list").count(), 0, "no drafts of this document left");

  // The leader's view counts the document; the status filter lists its new tasks.
  await page.goto(base + "/tasks");
  assert.match(await page.locator("#document-board").innerText(), new RegExp(DOCUMENT));
  await page.locator("#t-document").fill(DOCUMENT);
  await page.locator("#t-status").selectOption({ label: "未启动" });
  await submit(page, "task-filter");
  // The seats are due at the year's end; the drainage was due by the end of November.
  let listed = await page.locator("#task-list").innerText();
  assert.match(listed, /增设社区便民座椅[\s\S]*未启动/);
  assert.doesNotMatch(listed, /改造背街小巷排水设施/);
  await page.locator("#t-status").selectOption({ label: "逾期" });
  await submit(page, "task-filter");
  listed = await page.locator("#task-list").innerText();
  assert.match(listed, /改造背街小巷排水设施[\s\S]*逾期/);
  assert.doesNotMatch(listed, /增设社区便民座椅/);
  await shot(page, "board-filtered-desktop");
  await office.context.close();
});

test("the office urges a task and the lead body reads it among its reminders", async () => {
  const office = await signIn("supervisor");
  const page = office.page;
  await page.goto(base + "/tasks?document=" + encodeURIComponent(DOCUMENT));
  await Promise.all([page.waitForURL(/\/tasks\/\d+$/), page.getByRole("link", { name: "增设社区便民座椅" }).click()]);
  await page.locator("#u-note").fill("请本周内报送座椅选址方案");
  await submit(page, "urge-form");
  assert.match(await page.locator("#task-urges").innerText(), /督办：请本周内报送座椅选址方案/);
  await shot(page, "urged-desktop");
  await office.context.close();

  const street = await signIn("handler");
  const spage = street.page;
  await spage.getByRole("link", { name: /本单位任务/ }).click();
  await spage.waitForURL(/\/tasks\/mine$/);
  assert.match(await spage.locator("#task-reminders").innerText(), /督办[\s\S]*增设社区便民座椅[\s\S]*请本周内报送座椅选址方案/);
  await shot(spage, "reminders-desktop");
  await street.context.close();
});

test("the import page and the reminders read on a phone", async () => {
  const context = await browser.newContext({ viewport: { width: 390, height: 844 }, isMobile: true, locale: "zh-CN" });
  const page = await context.newPage();
  await page.goto(base + "/login");
  await page.getByLabel("用户名").fill("supervisor");
  await page.getByLabel("密码").fill("demo-supervisor");
  await page.getByRole("button", { name: "登录" }).click();
  await page.waitForURL(base + "/");
  await page.goto(base + "/tasks/import");
  assert.match(await page.locator("h1").innerText(), /文件导入与任务发布/);
  await shot(page, "import-phone");
  await page.goto(base + "/tasks");
  assert.match(await page.locator("#task-reminders").innerText(), /督办/);
  await shot(page, "board-phone");
  await context.close();
});
