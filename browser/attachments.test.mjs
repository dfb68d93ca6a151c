// Attachments (附件) in a real browser: a citizen uploads a photo and a PDF with a portal
// appeal and sees the thumbnail on the tracking page; staff see it on the appeal page; the
// handler replies with a photo; another body's handler is refused the file URL.
//
//   JIESU_BIN=target/debug/jiesu node --test browser/attachments.test.mjs

import { test } from "node:test";
import assert from "node:assert/strict";
import zlib from "node:zlib";
import { base, browser, HANDLER_BODY, searchFor, shot, signIn, statusOf, submit } from "./harness.mjs";

const DESKTOP = { width: 1366, height: 900 };
const PHONE = { width: 390, height: 844 };

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});

function crc32(bytes) {
  let c = 0xffffffff;
  for (const b of bytes) c = CRC_TABLE[(c ^ b) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

/** A PNG photo stand-in of `width`×`height`: sky over a grey road with a dark hole. */
function photo(width, height) {
  const rows = [];
  for (let y = 0; y < height; y++) {
    const row = Buffer.alloc(1 + width * 3);
    for (let x = 0; x < width; x++) {
      const hole = (x - width / 2) ** 2 + ((y - height * 0.7) * 2) ** 2 < (width / 6) ** 2;
      const [r, g, b] = y < height / 3 ? [120, 170, 230] : hole ? [30, 30, 30] : [140, 140, 135];
      row.set([r, g, b], 1 + x * 3);
    }
    rows.push(row);
  }
  const chunk = (type, data) => {
    const body = Buffer.concat([Buffer.from(type, "ascii"), data]);
    const out = Buffer.alloc(8 + data.length + 4);
    out.writeUInt32BE(data.length, 0);
    body.copy(out, 4);
    out.writeUInt32BE(crc32(body), 8 + data.length);
    return out;
  };
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header.set([8, 2, 0, 0, 0], 8);
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk("IHDR", header),
    chunk("IDAT", zlib.deflateSync(Buffer.concat(rows))),
    chunk("IEND", Buffer.alloc(0)),
  ]);
}

const PDF = Buffer.from("%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n");

test("a photo goes with a portal appeal and a reply, and only those who may see the appeal get it", async () => {
  const title = `东城区翠湖苑井盖缺失 ${Date.now()}`;
  // The citizen submits with a photo and a PDF on a phone.
  const citizen = await browser.newContext({ viewport: PHONE, isMobile: true, locale: "zh-CN" });
  const cp = await citizen.newPage();
  await cp.goto(base + "/portal");
  await cp.getByLabel("所在区县").selectOption("东城区");
  await cp.getByLabel(/^标题/).fill(title);
  await cp.getByLabel(/^诉求内容/).fill("翠湖苑小区东门外人行道上的井盖缺失，晚上很危险，请尽快补装。");
  await cp.getByLabel("详细地址").fill("东城区朝阳街道翠湖苑东门");
  await cp.getByLabel("联系电话").fill("13812345679");
  await cp.getByLabel(/现场照片或证明材料/).setInputFiles([
    { name: "现场照片.png", mimeType: "image/png", buffer: photo(640, 480) },
    { name: "情况说明.pdf", mimeType: "application/pdf", buffer: PDF },
  ]);
  await shot(cp, "portal-with-files-phone");
  await cp.getByRole("button", { name: "提交诉求" }).click();
  await cp.locator("#number").waitFor();
  const number = (await cp.locator("#number").innerText()).trim();
  const code = (await cp.locator("#code").innerText()).trim();

  // The tracking page shows the photo's thumbnail and the PDF's name, with the code only.
  await cp.goto(`${base}/portal/track?number=${number}&code=${code}`);
  const thumb = cp.locator("#attachments img");
  await thumb.waitFor();
  assert.ok(await thumb.evaluate((img) => img.complete && img.naturalWidth > 0), "the thumbnail loads");
  assert.match(await cp.locator("#attachments").innerText(), /情况说明\.pdf/);
  await shot(cp, "track-with-files-phone");
  await citizen.close();

  // The dispatcher sees the files and dispatches to the handler's street office.
  const di = await signIn("dispatcher");
  await di.page.setViewportSize(DESKTOP);
  await (await searchFor(di.page, title, number)).click();
  const appealUrl = di.page.url();
  assert.equal(await di.page.locator("#attachments li").count(), 2);
  await di.page.getByLabel("主办单位").selectOption({ label: `${HANDLER_BODY}（街道乡镇）` });
  await submit(di.page, "form-dispatch", "派单");
  assert.equal(await statusOf(di.page), "待签收");
  await shot(di.page, "appeal-with-files-desktop");
  await di.context.close();

  // The handler signs and replies with a photo of the work done.
  const ha = await signIn("handler");
  await ha.page.setViewportSize(DESKTOP);
  await ha.page.goto(appealUrl);
  await submit(ha.page, "form-sign", "签收");
  await ha.page.getByLabel(/^答复内容/).fill("经查，井盖被施工车辆压坏移位。街道已协调产权单位于当日补装新井盖。联系人：李工。");
  await ha.page.locator("#form-reply").getByLabel(/现场照片或证明材料/).setInputFiles([
    { name: "补装后.png", mimeType: "image/png", buffer: photo(480, 640) },
  ]);
  await submit(ha.page, "form-reply", "提交答复");
  assert.equal(await statusOf(ha.page), "待审核");
  const files = ha.page.locator("#attachments li");
  assert.equal(await files.count(), 3);
  assert.match(await files.nth(2).innerText(), /补装后\.png[\s\S]*答复材料/);
  for (const img of await ha.page.locator("#attachments img").all()) {
    assert.ok(await img.evaluate((i) => i.complete && i.naturalWidth > 0), "every thumbnail loads");
  }
  await ha.page.locator("#attachments").scrollIntoViewIfNeeded();
  await shot(ha.page, "appeal-reply-files-desktop");
  await ha.page.setViewportSize(PHONE);
  await shot(ha.page, "appeal-reply-files-phone");
  const fileUrl = await files.first().locator("a").getAttribute("href");
  const thumbUrl = await files.first().locator("img").getAttribute("src");
  const download = await ha.page.request.get(base + fileUrl);
  assert.equal(download.status(), 200);
  assert.equal(download.headers()["content-type"], "image/png");
  await ha.context.close();

  // Another street office's handler is refused the appeal and its files.
  const admin = await signIn("admin");
  const bodies = await (await admin.page.request.get(base + "/api/bodies")).json();
  const other = bodies.find((b) => b.name !== HANDLER_BODY && b.name.endsWith("街道办事处"));
  assert.ok(other, "another street office exists");
  const created = await admin.page.request.post(base + "/api/users", {
    data: { username: "handler_other", display_name: "其他街道承办人", role: "handler", body: other.id, password: "west-street-2026" },
  });
  assert.equal(created.status(), 201, await created.text());
  await admin.context.close();
  const stranger = await signIn("handler_other", "west-street-2026");
  for (const url of [fileUrl, thumbUrl]) {
    const refused = await stranger.page.request.get(base + url);
    assert.equal(refused.status(), 404, url);
  }
  await stranger.page.setViewportSize(DESKTOP);
  const page = await stranger.page.goto(base + fileUrl);
  assert.equal(page.status(), 404);
  await shot(stranger.page, "file-refused-other-body");
  await stranger.context.close();
});
