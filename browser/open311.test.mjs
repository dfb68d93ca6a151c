// Messages to citizens (市民通知) for the admin: the demo runs with an SMS gateway that
// cannot be reached, so a new appeal's message waits for its next attempt with the
// gateway's error; the admin sees it (phone masked) and sends it again. Screenshots at
// 1366×900 and 390×844.
//
//   JIESU_BIN=target/debug/jiesu node --test browser/open311.test.mjs

// Read by the demo server the harness starts: a gateway on a port nothing listens on.
process.env.JIESU_NOTIFY = "sms";
process.env.JIESU_NOTIFY_SMS_URL = "http://127.0.0.1:9/sms";

import { test } from "node:test";
import assert from "node:assert/strict";
import { base, signIn, shot } from "./harness.mjs";

test("the admin sees a message the gateway refused and sends it again", async () => {
  const op = await signIn("operator");
  const created = await op.page.request.post(`${base}/api/appeals`, {
    data: {
      type: "求助",
      title: `青禾小区路灯不亮 ${Date.now()}`,
      text: "青禾小区东门路灯坏了三天。",
      citizen: { name: "周先生", phone: "13700004444" },
      place: { district: "示范区", address: "青禾小区东门" },
    },
  });
  assert.equal(created.status(), 201, await created.text());
  await op.context.close();

  const { context, page } = await signIn("admin");
  await page.setViewportSize({ width: 1366, height: 900 });
  // The sending job runs every 2 seconds.
  let row;
  for (let i = 0; i < 20; i++) {
    await page.goto(base + "/admin/notifications");
    row = page.locator("#pending tr", { hasText: "137****4444" });
    if ((await row.count()) > 0 && (await row.innerText()).includes("无法连接短信网关")) break;
    await page.waitForTimeout(500);
  }
  assert.match(await page.locator("h1").innerText(), /市民通知/);
  assert.ok(await page.getByRole("link", { name: "市民通知" }).count() > 0, "in the admin's navigation");
  const text = await row.innerText();
  assert.match(text, /已受理/);
  assert.match(text, /短信/, "the channel shows");
  assert.match(text, /无法连接短信网关/);
  assert.doesNotMatch(await page.content(), /13700004444/);
  await shot(page, "notifications-desktop");
  await Promise.all([page.waitForNavigation(), row.getByRole("button", { name: "重新发送" }).click()]);
  assert.match(await page.content(), /已重新加入发送队列/);

  await page.setViewportSize({ width: 390, height: 844 });
  await page.goto(base + "/admin/notifications");
  await shot(page, "notifications-phone");
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  assert.ok(overflow <= 1, `the page is wider than the phone by ${overflow}px`);
  await context.close();
});
