// Service points (便民点位) in a real browser: the public list and its offline SVG map,
// filters, "离我最近" by the browser's location and by a typed street, a point's page; the
// leader sees points with repeated complaints; the admin's point page. Screenshots at
// 1366×900 and 390×844.
//
//   JIESU_BIN=target/debug/jiesu node --test browser/points.test.mjs

import { test } from "node:test";
import assert from "node:assert/strict";
import { base, browser, shot, signIn } from "./harness.mjs";

async function visitor(viewport, options = {}) {
  const context = await browser.newContext({ viewport, locale: "zh-CN", ...options });
  return { context, page: await context.newPage() };
}

test("the public map shows the points, filters them and finds the nearest", async () => {
  const { context, page } = await visitor(
    { width: 1366, height: 900 },
    { geolocation: { longitude: 112.415, latitude: 37.715 }, permissions: ["geolocation"] },
  );
  await page.goto(base + "/points");
  await assert.doesNotReject(page.locator("#point-map svg").waitFor({ state: "visible" }));
  assert.ok((await page.locator("#point-map .map-area").count()) >= 6, "the districts are drawn");
  assert.ok((await page.locator("#point-map .map-dot").count()) >= 20, "the points are drawn");
  await shot(page, "list-desktop");

  await page.locator("#f-kind").selectOption("公厕");
  await Promise.all([page.waitForNavigation(), page.locator("#points-filter button[type=submit]").click()]);
  const kinds = await page.locator("#point-list .tag").allInnerTexts();
  assert.ok(kinds.length > 0, "some public toilets");
  assert.ok(kinds.every((k) => k.includes("公厕")), kinds.join(","));

  // 离我最近 by the browser's location (the kind filter stays).
  await page.goto(base + "/points");
  await page.locator("#locate-me").waitFor({ state: "visible" });
  await Promise.all([page.waitForNavigation(), page.locator("#locate-me").click()]);
  assert.match(await page.locator("#list-h").innerText(), /最近的点位/);
  const distances = await page.locator(".point-distance").allInnerTexts();
  assert.equal(distances.length, 10);
  assert.equal(await page.locator("#point-map .map-origin").count(), 1);
  await shot(page, "nearest-located");

  // 离我最近 by a typed street.
  await page.locator("#near").fill("文昌街道");
  await Promise.all([page.waitForNavigation(), page.locator("#points-near button[type=submit]").first().click()]);
  assert.match(await page.locator("#list-h").innerText(), /文昌街道/);
  await page.locator("#near").fill("火星街道");
  await Promise.all([page.waitForNavigation(), page.locator("#points-near button[type=submit]").first().click()]);
  assert.match(await page.locator("#points-error").innerText(), /找不到/);

  // A point's page: its checklist and its place on the map.
  await page.goto(base + "/points");
  await Promise.all([page.waitForNavigation(), page.locator("#point-list a.point-name").first().click()]);
  await page.locator("#facilities").waitFor();
  assert.equal(await page.locator("#point-map .map-dot").count(), 1);
  await shot(page, "point-desktop");
  await context.close();
});

test("on a phone the map and the list stack", async () => {
  const { context, page } = await visitor({ width: 390, height: 844 });
  await page.goto(base + "/points");
  const map = await page.locator("#point-map svg").boundingBox();
  assert.ok(map && map.width <= 390 && map.width > 300, JSON.stringify(map));
  await shot(page, "list-phone");
  await context.close();
});

test("the leader sees points with repeated complaints; the admin manages points", async () => {
  const leader = await signIn("leader");
  await leader.page.setViewportSize({ width: 1366, height: 900 });
  const block = leader.page.locator("#complained-points");
  await block.waitFor();
  assert.match(await block.innerText(), /在办诉求 \d+ 件/);
  await Promise.all([leader.page.waitForNavigation(), block.locator("a").first().click()]);
  assert.ok((await leader.page.locator("#point-appeals li").count()) >= 3, "staff see the open appeals");
  await shot(leader.page, "point-staff");
  await leader.context.close();

  const admin = await signIn("admin");
  await admin.page.setViewportSize({ width: 1366, height: 900 });
  await admin.page.goto(base + "/admin/points");
  assert.ok((await admin.page.locator("#kinds tbody tr").count()) >= 5);
  await shot(admin.page, "admin");
  await admin.context.close();
});
