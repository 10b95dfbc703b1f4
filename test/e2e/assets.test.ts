/**
 * Uploading through the Quick Actions form in a real browser: the progress bar, the file in the
 * Assets widget, the Assets tab and the Timeline, the same bytes on download, a refused executable
 * with its message, and a viewer who cannot fetch an EMEA file by its id.
 */
import { mkdir } from "node:fs/promises";
import { randomBytes } from "node:crypto";
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { closeBrowser, launchBrowser, newPage, signIn } from "../support/browser";

const baseURL = inject("baseURL");
const PRODUCT = "Payments Hub — Retail Banking EMEA";
const SHOTS = process.env.SHOT_DIR || "/tmp/shots";

function pdf(title: string, padding: number): Buffer {
  const body = `BT /F1 18 Tf 72 720 Td (${title}) Tj ET\n% ${"0".repeat(padding)}\n`;
  return Buffer.from(
    `%PDF-1.4\n1 0 obj <</Type /Catalog /Pages 2 0 R>> endobj\n2 0 obj <</Type /Pages /Kids [3 0 R] /Count 1>> endobj\n` +
      `3 0 obj <</Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R>> endobj\n` +
      `4 0 obj <</Length ${body.length}>> stream\n${body}endstream endobj\ntrailer <</Root 1 0 R /Size 5>>\n%%EOF\n`,
    "latin1",
  );
}

function windowsExecutable(): Buffer {
  const exe = Buffer.alloc(1024);
  exe.write("MZ", 0, "latin1");
  exe.writeUInt32LE(0x80, 0x3c);
  exe.write("PE\0\0", 0x80, "latin1");
  return exe;
}

async function productId(page: Page): Promise<string> {
  await page.goto(`/accounts?q=${encodeURIComponent(PRODUCT)}`);
  const href = await page.locator("a[href^='/accounts/']").filter({ hasText: PRODUCT }).first().getAttribute("href");
  const id = href?.split("/")[2]?.split("?")[0];
  if (!id) throw new Error(`no link to ${PRODUCT} on the accounts page`);
  return id;
}

/** Opens the Quick Actions "Add asset" panel and returns the upload form in it. */
async function openUploadForm(page: Page) {
  const form = page.getByTestId("asset-form");
  if (!(await form.isVisible())) {
    await page.getByTestId("quick-actions").getByRole("button", { name: "Add asset" }).click();
  }
  await form.waitFor({ state: "visible" });
  return form;
}

describe("asset uploads in the browser", () => {
  let page: Page;
  let accountId: string;
  const name = `Renewal terms ${randomBytes(3).toString("hex")}.pdf`;
  const bytes = pdf("Renewal terms", 3 * 1024 * 1024);
  let assetHref = "";

  beforeAll(async () => {
    await mkdir(SHOTS, { recursive: true });
    await launchBrowser();
    page = await newPage(baseURL);
    page.setDefaultTimeout(60_000);
    await signIn(page, baseURL, "csm@demo.test");
    accountId = await productId(page);
  });
  afterAll(async () => {
    await closeBrowser();
  });

  it("uploads a PDF with a progress bar, then lists it in the widget, the Assets tab and the Timeline", async () => {
    await page.goto(`/accounts/${accountId}`);
    const form = await openUploadForm(page);
    await form.getByLabel("File").setInputFiles({ name, mimeType: "application/pdf", buffer: bytes });
    // Slow the upload down (≈ 1.5 MB/s) so the bar is seen moving.
    const cdp = await page.context().newCDPSession(page);
    await cdp.send("Network.enable");
    await cdp.send("Network.emulateNetworkConditions", { offline: false, latency: 20, downloadThroughput: -1, uploadThroughput: 1.5 * 1024 * 1024 });
    await form.getByRole("button", { name: "Upload" }).click();
    const bar = form.getByRole("progressbar", { name: "Upload progress" });
    await bar.waitFor({ state: "visible", timeout: 10_000 });
    await page.screenshot({ path: `${SHOTS}/assets-progress.png` });
    const seen = new Set<number>();
    while (await bar.isVisible()) {
      const now = Number(await bar.getAttribute("aria-valuenow").catch(() => null));
      if (Number.isFinite(now)) seen.add(now);
      await page.waitForTimeout(100);
    }
    await cdp.send("Network.emulateNetworkConditions", { offline: false, latency: 0, downloadThroughput: -1, uploadThroughput: -1 });
    expect(seen.size).toBeGreaterThan(1); // it moved
    await expect.poll(() => form.getByTestId("asset-upload-success").textContent()).toContain(name);

    // The widget refreshes without a reload.
    const widgetItem = page.getByTestId("asset").filter({ hasText: name });
    await widgetItem.waitFor();
    expect(await widgetItem.textContent()).toContain("Casey CSM");
    assetHref = (await widgetItem.getByRole("link", { name }).getAttribute("href")) ?? "";
    expect(assetHref).toMatch(/^\/api\/assets\/[0-9a-f-]{36}\/download$/);
    await page.screenshot({ path: `${SHOTS}/assets-widget.png`, fullPage: true });

    await page.goto(`/accounts/${accountId}?tab=assets`);
    const row = page.getByTestId("asset-row").filter({ hasText: name });
    await row.waitFor();
    expect(await row.textContent()).toContain("3.0 MB");
    await page.screenshot({ path: `${SHOTS}/assets-tab.png`, fullPage: true });

    await page.goto(`/accounts/${accountId}?tab=timeline&kinds=asset`);
    const entry = page.locator("[data-testid=timeline-entry][data-kind=asset]").filter({ hasText: name }).first();
    await entry.waitFor();
    expect(await entry.textContent()).toContain("Casey CSM");
  });

  it("downloads the same bytes as an attachment", async () => {
    expect(assetHref).not.toBe("");
    const response = await page.request.get(assetHref);
    expect(response.status()).toBe(200);
    expect(response.headers()["content-type"]).toBe("application/pdf");
    expect(response.headers()["x-content-type-options"]).toBe("nosniff");
    expect(response.headers()["content-disposition"]).toMatch(/^attachment; filename="Renewal terms [0-9a-f]{6}\.pdf"/);
    expect((await response.body()).equals(bytes)).toBe(true);
  });

  it("refuses an .exe, and an executable renamed .pdf, with the message on the form", async () => {
    await page.goto(`/accounts/${accountId}`);
    const form = await openUploadForm(page);
    await form.getByLabel("File").setInputFiles({ name: "setup.exe", mimeType: "application/x-msdownload", buffer: windowsExecutable() });
    await form.getByRole("button", { name: "Upload" }).click();
    await expect.poll(() => form.getByTestId("field-error").textContent()).toContain("“setup.exe” was refused: executable files and scripts");

    // The server sniffs the bytes: the same program named invoice.pdf is refused too.
    await form.getByLabel("File").setInputFiles({ name: "invoice.pdf", mimeType: "application/pdf", buffer: windowsExecutable() });
    await form.getByRole("button", { name: "Upload" }).click();
    const alert = form.getByTestId("asset-upload-error");
    await alert.waitFor();
    expect(await alert.textContent()).toMatch(/invoice\.pdf.*refused.*executable program/);
    await page.screenshot({ path: `${SHOTS}/assets-refused.png` });
    const assets = await page.request.get(`/api/accounts/${accountId}/assets`);
    const listed = (await assets.json()) as { assets: { name: string }[] };
    expect(listed.assets.some((a) => a.name === "invoice.pdf" || a.name === "setup.exe")).toBe(false);
  });

  it("does not let an Americas viewer download the EMEA file by its id", async () => {
    expect(assetHref).not.toBe("");
    const viewer = await newPage(baseURL);
    try {
      await signIn(viewer, baseURL, "viewer@demo.test");
      const response = await viewer.request.get(assetHref);
      expect(response.status()).toBe(404);
      expect(await response.json()).toEqual({ error: "Asset not found" });
      // Nor can they upload to, or list, the account.
      expect((await viewer.request.get(`/api/accounts/${accountId}/assets`)).status()).toBe(404);
    } finally {
      await viewer.close();
    }
  });
});
