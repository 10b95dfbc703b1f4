import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import type { Browser, Page } from "playwright-core";
import { launchBrowser, screenshot, signIn } from "../support/browser";

const baseURL = inject("baseURL");
/** The demo's busiest product and its champion, the power user who tops its usage in any window. */
const BUSIEST_PRODUCT = "Payments Hub — Retail Banking EMEA";
const POWER_USER = "Elif Iyer";

describe("health and usage on the account profile", () => {
  let browser: Browser;
  let page: Page;
  let productPath: string;
  let emeaPath: string;

  const accountPath = async (name: string): Promise<string> => {
    await page.goto(`${baseURL}/accounts?q=${encodeURIComponent(name)}`);
    const href = await page.getByRole("link", { name, exact: true }).first().getAttribute("href");
    // Each row's link carries the list (`?list=…`, for j / k on the profile): the path alone.
    expect(href).toMatch(/^\/accounts\/[0-9a-f-]{36}(\?|$)/);
    return href!.slice(0, "/accounts/".length + 36);
  };

  beforeAll(async () => {
    browser = await launchBrowser();
    const context = await browser.newContext({ baseURL, viewport: { width: 1280, height: 900 } });
    page = await context.newPage();
    await signIn(page, baseURL, "admin@demo.test");
    productPath = await accountPath(BUSIEST_PRODUCT);
    emeaPath = await accountPath("EMEA");
  });
  afterAll(async () => {
    await browser?.close();
  });

  it("draws the busiest product's health: score, dimensions, a 52-week grid with upsells and the trend", async () => {
    await page.goto(`${baseURL}${productPath}`);
    const widget = page.locator("section", { has: page.getByRole("heading", { name: "Health", exact: true }) });
    const grid = widget.locator('[data-chart="health-grid"]');
    await grid.locator("svg").first().waitFor({ state: "visible", timeout: 30_000 });
    await expect(grid.locator("[data-week]").count()).resolves.toBe(52);
    // Every week of the busiest product has a snapshot, and some carry an upsell marker.
    await expect(grid.locator('[data-week][data-band="none"]').count()).resolves.toBe(0);
    const upsells = await grid.locator("[data-week][data-upsell]").count();
    expect(upsells).toBeGreaterThan(0);
    const label = await grid.getByRole("img").getAttribute("aria-label");
    expect(label).toMatch(/^52 weeks: \d+ good, \d+ average, \d+ poor; \d+ upsells?/);
    expect(label).toContain(`${upsells} upsell`);
    await expect(grid.locator("[data-upsell] title").first().textContent()).resolves.toMatch(/Week of .*upsell \$[\d,]+/);
    await widget.locator('[data-chart="health-trend"] svg').first().waitFor({ state: "visible" });
    const text = await widget.innerText();
    expect(text).toContain("Overall");
    for (const dimension of ["Usage", "Engagement", "Support", "Sentiment"]) expect(text).toContain(dimension);
    // The accessible alternative lists all 52 weeks.
    await expect(widget.locator("table.sr-only tbody tr").count()).resolves.toBe(52);
    await widget.scrollIntoViewIfNeeded();
    await screenshot(page, "health-widget-product");
  });

  it("shows the usage tab with the module chart and the top users", async () => {
    await page.goto(`${baseURL}${productPath}?tab=usage`);
    const modules = page.locator("section", { has: page.getByRole("heading", { name: "Events by module", exact: true }) });
    await modules.locator('[data-chart="usage"] svg').first().waitFor({ state: "visible", timeout: 30_000 });
    await expect(modules.locator(".recharts-area").count()).resolves.toBeGreaterThan(1);
    const topUsers = page.locator("section", { has: page.getByRole("heading", { name: "Top users", exact: true }) }).getByRole("table");
    await expect(topUsers.getByRole("link", { name: POWER_USER, exact: true }).count()).resolves.toBe(1);
    const firstRow = topUsers.locator("tbody tr").first();
    await expect(firstRow.innerText()).resolves.toContain(POWER_USER);
    await expect(page.getByRole("link", { name: "90 days" }).getAttribute("aria-current")).resolves.toBe("true");
    await screenshot(page, "usage-tab-product");
  });

  it("filters activities by module and keeps a custom range in the URL, falling back on bad input", async () => {
    await page.goto(`${baseURL}${productPath}?tab=usage&period=30`);
    const activity = page.getByRole("navigation", { name: "Filter activities by module" });
    const moduleLink = activity.getByRole("link").nth(1);
    const moduleName = (await moduleLink.innerText()).trim();
    await moduleLink.click();
    await page.waitForURL((u) => u.searchParams.has("module"));
    expect(new URL(page.url()).searchParams.get("period")).toBe("30");
    await expect(page.getByRole("heading", { name: `Events by activity in ${moduleName}` }).count()).resolves.toBe(1);

    await page.getByLabel("From", { exact: true }).fill("2025-01-01");
    await page.getByLabel("To", { exact: true }).fill("2025-01-31");
    await page.getByRole("button", { name: "Apply range" }).click();
    await page.waitForURL((u) => u.searchParams.get("from") === "2025-01-01");
    expect(new URL(page.url()).searchParams.get("tab")).toBe("usage");
    await expect(page.getByText("1 Jan 2025 – 31 Jan 2025").count()).resolves.toBeGreaterThan(0);

    const response = await page.goto(`${baseURL}${productPath}?tab=usage&module=nope&from=2025-13-45&period=99999`);
    expect(response?.status()).toBe(200);
    await expect(page.getByRole("heading", { name: "Events by activity", exact: true }).count()).resolves.toBe(1);
    await expect(page.getByRole("link", { name: "90 days" }).getAttribute("aria-current")).resolves.toBe("true");
  });

  it("rolls usage and health up on a region", async () => {
    await page.goto(`${baseURL}${emeaPath}?tab=usage`);
    const modules = page.locator("section", { has: page.getByRole("heading", { name: "Events by module", exact: true }) });
    await modules.locator('[data-chart="usage"] svg').first().waitFor({ state: "visible", timeout: 30_000 });
    await expect(page.getByText(/Rolled up from \d+ accounts below EMEA/).count()).resolves.toBe(1);
    await screenshot(page, "usage-tab-region");

    await page.goto(`${baseURL}${emeaPath}`);
    const health = page.locator("section", { has: page.getByRole("heading", { name: "Health", exact: true }) });
    await health.locator('[data-chart="health-grid"] svg').first().waitFor({ state: "visible", timeout: 30_000 });
    await expect(health.getByText(/Rolled up from the latest weekly snapshots of \d+ accounts below/).count()).resolves.toBe(1);
    const board = page.locator("section", { has: page.getByRole("heading", { name: "Leaderboards", exact: true }) });
    await expect.poll(() => board.getByRole("link").count(), { timeout: 30_000 }).toBeGreaterThan(1);
  });
});
