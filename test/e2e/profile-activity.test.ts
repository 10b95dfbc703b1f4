import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import type { Browser, Page } from "playwright-core";
import { launchBrowser, newPage, screenshot, signIn } from "../support/browser";

const baseURL = inject("baseURL");
const BUSIEST = "Payments Hub — Retail Banking EMEA";
/** Titles the demo set gives the tasks under success-plan objectives. */
const OBJECTIVE_TASK_TITLES = [
  "Agree success criteria",
  "Collect baseline numbers",
  "Workshop with the operations team",
  "Review progress with the sponsor",
  "Enable the integration in production",
  "Send a progress summary",
];

describe("activity on the account profile", () => {
  let browser: Browser;
  let page: Page;
  let productId: string;

  async function accountId(name: string): Promise<string> {
    await page.goto(`${baseURL}/accounts?q=${encodeURIComponent(name)}`);
    const href = await page.getByRole("link", { name, exact: true }).first().getAttribute("href");
    return href!.split("?")[0].split("/").pop()!;
  }

  beforeAll(async () => {
    browser = await launchBrowser();
    page = await newPage(baseURL, browser);
    await signIn(page, baseURL, "csm@demo.test");
    productId = await accountId(BUSIEST);
  });
  afterAll(async () => {
    await browser?.close();
  });

  it("pages the 2,000-entry product's timeline and filters it by kind through the form", async () => {
    await page.goto(`${baseURL}/accounts/${productId}?tab=timeline`);
    const pager = page.getByTestId("timeline-page").first();
    expect((await pager.textContent())?.trim()).toBe("Page 1 of 40");
    await expect(page.getByTestId("timeline-entry").count()).resolves.toBe(50);
    await screenshot(page, "timeline-product");

    await page.getByRole("checkbox", { name: "Touchpoint", exact: true }).check();
    await page.getByRole("button", { name: "Apply filters" }).click();
    await page.waitForURL((url) => url.searchParams.get("kind") === "touchpoint");
    expect(new URL(page.url()).searchParams.get("tab")).toBe("timeline");
    // The filtered stream is shorter: wait for the new page to render before reading it.
    await page.getByText(/matching entries/).waitFor();
    expect((await pager.textContent())?.trim()).toMatch(/^Page 1 of \d+$/);
    await page.getByRole("checkbox", { name: "Touchpoint", exact: true }).waitFor();
    await expect(page.getByRole("checkbox", { name: "Touchpoint", exact: true }).isChecked()).resolves.toBe(true);
    const kinds = await page.getByTestId("timeline-entry").evaluateAll((items) => items.map((i) => i.getAttribute("data-kind")));
    expect(kinds.length).toBe(50);
    expect(new Set(kinds)).toEqual(new Set(["touchpoint"]));

    // The next page keeps the filter in the URL.
    await page.getByRole("link", { name: "Older →" }).first().click();
    await page.waitForURL((url) => url.searchParams.get("page") === "2");
    expect(new URL(page.url()).searchParams.get("kind")).toBe("touchpoint");
    expect((await page.getByTestId("timeline-page").first().textContent())?.trim()).toMatch(/^Page 2 of \d+$/);
  });

  it("shows child activity on the region, labelled with the product it came from", async () => {
    const emeaId = await accountId("EMEA");
    await page.goto(`${baseURL}/accounts/${emeaId}?tab=timeline&kind=touchpoint`);
    const labels = await page.getByTestId("timeline-entry").getByRole("link").allTextContents();
    expect(labels.length).toBeGreaterThan(0);
    expect(labels).toContain(BUSIEST);
    await screenshot(page, "timeline-region");
  });

  it("lists the demo tasks and success plans on the Plan tab", async () => {
    await page.goto(`${baseURL}/accounts/${productId}?tab=plan&done=1`);
    const titles = await page.getByTestId("plan-task").locator("td:first-child > div > span:first-child").allTextContents();
    expect(titles.length).toBeGreaterThan(5);
    expect(titles.some((t) => OBJECTIVE_TASK_TITLES.includes(t))).toBe(true);
    await expect(page.getByRole("heading", { name: /Payments Hub success plan \d{4}/ }).count()).resolves.toBe(1);
    await page.getByRole("link", { name: "Hide done tasks" }).click();
    await page.waitForURL((url) => !url.searchParams.has("done"));
    // The status badge (the cell also holds the Done / Reopen button).
    const statuses = await page.getByTestId("plan-task").locator("td:nth-child(3) > div > span:first-child").allTextContents();
    expect(statuses.length).toBeGreaterThan(0);
    expect(statuses.every((s) => s === "Open" || s === "In progress")).toBe(true);
    await screenshot(page, "plan-product");
  });

  it("shows open tasks and a success plan progress bar in the Overview sidebar", async () => {
    await page.goto(`${baseURL}/accounts/${productId}`);
    const sidebar = page.getByRole("complementary", { name: "Sidebar" });
    const openTasks = sidebar.getByRole("region", { name: "Open tasks" });
    await openTasks.getByTestId("open-task").first().waitFor();
    expect(await openTasks.getByTestId("open-task").count()).toBeGreaterThan(0);
    const plans = sidebar.getByRole("region", { name: "Success plans" });
    const bar = plans.getByRole("progressbar", { name: /Payments Hub success plan \d{4}: average objective progress/ });
    const value = Number(await bar.getAttribute("aria-valuenow"));
    expect(value).toBeGreaterThanOrEqual(0);
    expect(value).toBeLessThanOrEqual(100);
    await expect(sidebar.getByRole("link", { name: "View timeline" }).getAttribute("href")).resolves.toContain("tab=timeline");
  });
});
