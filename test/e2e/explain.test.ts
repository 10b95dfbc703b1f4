import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import pg from "pg";
import type { Browser, Page } from "playwright-core";
import { launchBrowser, screenshot, signIn } from "../support/browser";

const baseURL = inject("baseURL");

/** "Explain this number": a rolled-up value opens each child's contribution and its share. */
describe("explain a rolled-up number", () => {
  let browser: Browser;
  let page: Page;
  let emeaId: string;
  let children: number;

  beforeAll(async () => {
    const db = new pg.Client({ connectionString: inject("e2eDatabaseUrl") });
    await db.connect();
    emeaId = (await db.query("select id from accounts where name = 'EMEA'")).rows[0].id;
    children = Number((await db.query("select count(*) from accounts where parent_id = $1 and archived_at is null", [emeaId])).rows[0].count);
    await db.end();
    browser = await launchBrowser();
    page = await browser.newPage();
    await signIn(page, baseURL, "leader@demo.test");
  });
  afterAll(async () => {
    await browser?.close();
  });

  it("opens from the Rolled up widget and shows every child's part of the MRR", async () => {
    await page.goto(`${baseURL}/accounts/${emeaId}`);
    const widgetMrr = (await page.getByTestId("rollup-mrr").textContent())!.trim();
    await page.getByRole("link", { name: "Explain", exact: true }).click();
    await page.waitForURL((u) => u.pathname.endsWith("/explain"));
    await expect(page.getByTestId("explain-total").textContent()).resolves.toBe(widgetMrr);
    const rows = page.getByRole("table").locator("tbody tr");
    expect(await rows.count()).toBe(children);
    const shares = (await rows.locator("td:nth-child(3)").allInnerTexts()).map((t) => Number.parseFloat(t));
    expect(shares).toEqual([...shares].sort((a, b) => b - a));
    expect(shares.reduce((a, b) => a + b, 0)).toBeGreaterThan(99);
    expect(shares.reduce((a, b) => a + b, 0)).toBeLessThan(101);
    await screenshot(page, "explain-mrr");
  });

  it("falls back to MRR on an unknown metric", async () => {
    const res = await page.goto(`${baseURL}/accounts/${emeaId}/explain?metric=%27drop`);
    expect(res?.status()).toBe(200);
    await expect(page.getByRole("heading", { level: 1 }).textContent()).resolves.toBe("MRR of EMEA");
  });
});
