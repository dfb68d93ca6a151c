// Reply review (答复评价) in a real browser: a handler's bare acknowledgement reaches the
// supervisor's review form with its four scores and its gaps in Chinese; sent back, the
// handler's full reply is scored anew and scores better.
//
//   JIESU_BIN=target/debug/jiesu node --test browser/replies.test.mjs

import { test } from "node:test";
import assert from "node:assert/strict";
import { base, browser, HANDLER_BODY, searchFor, shot, signIn, statusOf, submit } from "./harness.mjs";

async function reply(appealUrl, text) {
  const ha = await signIn("handler");
  await ha.page.goto(appealUrl);
  if ((await ha.page.locator("#form-sign").count()) === 1) await submit(ha.page, "form-sign", "签收");
  await ha.page.getByLabel(/^答复内容/).fill(text);
  await submit(ha.page, "form-reply", "提交答复");
  assert.equal(await statusOf(ha.page), "待审核");
  await ha.context.close();
}

/** The review panel's four scores, as numbers, and its gaps. */
async function panelOf(page) {
  const panel = page.locator("#reply-review");
  await panel.waitFor();
  const scores = {};
  for (const row of await panel.locator(".review-scores > div").all()) {
    scores[(await row.locator("dt").innerText()).trim()] = Number(await row.locator("dd span").innerText());
  }
  const gaps = await panel.locator(".review-gaps li").allInnerTexts();
  return { scores, gaps, text: await panel.innerText() };
}

test("the reviewer sees the reply's scores and gaps before deciding", async () => {
  const title = `桂园小区北门垃圾站恶臭 ${Date.now()}`;
  const citizen = await browser.newContext({ viewport: { width: 390, height: 844 }, isMobile: true, locale: "zh-CN" });
  const cp = await citizen.newPage();
  await cp.goto(base + "/portal");
  await cp.getByLabel("诉求类型").selectOption("投诉");
  await cp.getByLabel("所在区县").selectOption("东城区");
  await cp.getByLabel(/^标题/).fill(title);
  await cp.getByLabel(/^诉求内容/).fill("朝阳街道桂园小区北门的垃圾站每天傍晚才清运，恶臭扑鼻，请求改为上午清运并加盖。");
  await cp.getByLabel("详细地址").fill("东城区朝阳街道桂园小区北门");
  await cp.getByLabel("您的姓名").fill("王女士");
  await cp.getByLabel("联系电话").fill("13900001111");
  await cp.getByRole("button", { name: "提交诉求" }).click();
  const number = (await cp.locator("#number").innerText()).trim();
  await citizen.close();

  const di = await signIn("dispatcher");
  await (await searchFor(di.page, title, number)).click();
  const appealUrl = di.page.url();
  await di.page.getByLabel("主办单位").selectOption({ label: `${HANDLER_BODY}（街道乡镇）` });
  await submit(di.page, "form-dispatch", "派单");
  await di.context.close();

  await reply(appealUrl, "您好，您的来信已收悉，我们高度重视。");

  const su = await signIn("supervisor");
  await su.page.goto(appealUrl);
  const bare = await panelOf(su.page);
  assert.deepEqual(Object.keys(bare.scores), ["针对性", "完整性", "语气规范", "及时性"]);
  assert.equal(bare.scores["完整性"], 0);
  for (const gap of ["仅有套话", "未说明处理结果", "未告知联系方式或后续安排"]) assert.ok(bare.gaps.includes(gap), `${gap} missing in ${bare.gaps}`);
  assert.ok(bare.gaps.some((g) => g.startsWith("未提及诉求地点")), bare.gaps.join("；"));
  await su.page.locator("#form-review").scrollIntoViewIfNeeded();
  await shot(su.page, "review-bare-acknowledgement");
  await su.page.getByLabel("审核意见（退回时必填）").fill("请说明调查核实情况和处理结果。");
  await submit(su.page, "form-review", "退回重办");
  await su.context.close();

  await reply(
    appealUrl,
    "王女士您好！经朝阳街道城管科现场核实，桂园小区北门垃圾站每天17时清运一次，情况属实。根据《生活垃圾管理条例》的规定，" +
      "街道已责令环卫所自下周一起改为每天8时、17时各清运一次，并于月底前完成垃圾站加盖。如有疑问请致电街道城管科，我们将持续跟进。感谢您的监督与支持！",
  );

  const again = await signIn("supervisor");
  await again.page.goto(appealUrl);
  const full = await panelOf(again.page);
  assert.equal(full.scores["完整性"], 100);
  assert.ok(full.scores["针对性"] > bare.scores["针对性"], `${full.scores["针对性"]} vs ${bare.scores["针对性"]}`);
  assert.match(full.text, /未发现缺项/);
  await again.page.locator("#form-review").scrollIntoViewIfNeeded();
  await shot(again.page, "review-full-reply");
  const phone = await browser.newContext({ viewport: { width: 390, height: 844 }, isMobile: true, locale: "zh-CN", storageState: await again.context.storageState() });
  const pp = await phone.newPage();
  await pp.goto(appealUrl);
  await pp.locator("#reply-review").waitFor();
  await shot(pp, "review-phone");
  await phone.close();
  await submit(again.page, "form-review", "审核通过");
  assert.equal(await statusOf(again.page), "待回访");
  await again.context.close();
});
