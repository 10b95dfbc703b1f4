import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import type { Browser, Page } from "playwright-core";
import pg from "pg";
import { launchBrowser, newPage, screenshot, signIn } from "../support/browser";

const baseURL = inject("baseURL");
const BUSIEST = "Payments Hub — Retail Banking EMEA";

describe("profile header, account facts and contact profile", () => {
  let browser: Browser;
  let page: Page;
  let busiestPath: string;

  async function accountPaths(q: string): Promise<{ name: string; path: string }[]> {
    await page.goto(`/accounts?q=${encodeURIComponent(q)}`);
    return page
      .locator("main a[href^='/accounts/']")
      // The path alone: each row's link also carries the list (`?list=…`, for j / k on the profile).
      .evaluateAll((links) => links.map((a) => ({ name: (a.textContent ?? "").trim(), path: (a.getAttribute("href") ?? "").split("?")[0] })));
  }

  const header = () => page.locator("section[aria-labelledby='w-profile-header']");

  beforeAll(async () => {
    browser = await launchBrowser();
    page = await newPage(baseURL, browser);
    await signIn(page, baseURL, "admin@demo.test");
    const found = (await accountPaths(BUSIEST)).find((a) => a.name === BUSIEST);
    expect(found, `${BUSIEST} is in the account search`).toBeDefined();
    busiestPath = found!.path;
  });
  afterAll(async () => {
    await browser?.close();
  });

  it("shows Key Info values, leaving out attributes without one", async () => {
    await page.goto(busiestPath);
    const keyInfo = header().getByTestId("key-info");
    await keyInfo.waitFor();
    const text = await keyInfo.innerText();
    expect(text).toContain("Segment");
    expect(text).toContain("Enterprise");
    expect(text).toMatch(/Seats\s+[\d,]+/);
    // MRR override has no value on this product, so it is not on Key Info (and is not key info anyway).
    expect(text).not.toContain("MRR override");
    await screenshot(page, "profile-header-key-info");
  });

  it("lists recent changes with old and new values for the chosen period", async () => {
    await page.goto(busiestPath);
    await header().getByRole("link", { name: "Recent changes" }).click();
    await page.waitForURL((u) => u.searchParams.get("view") === "recent");
    await header().getByRole("link", { name: "7 days", exact: true }).click();
    await page.waitForURL((u) => u.searchParams.get("period") === "7");
    const seatsChanges = header().getByTestId("attribute-change").filter({ has: page.getByRole("cell", { name: "Seats", exact: true }) });
    const seats = seatsChanges.first();
    await seats.waitFor();
    const cells = (await seats.locator("td").allInnerTexts()).map((t) => t.replace(/\b(from|to)\b|→/g, "").trim());
    const [, oldValue, newValue, who] = cells;
    expect(oldValue).toMatch(/^[\d,]+$/);
    expect(newValue).toMatch(/^[\d,]+$/);
    expect(oldValue).not.toBe(newValue);
    expect(who.length).toBeGreaterThan(0);
    expect(await header().innerText()).toMatch(/\d+ changes? in the last 7 days/);

    // A custom range through the labelled date inputs keeps the view.
    await header().getByLabel("From").fill("2000-01-01");
    await header().getByRole("button", { name: "Apply range" }).click();
    await page.waitForURL((u) => u.searchParams.get("from") === "2000-01-01" && u.searchParams.get("view") === "recent");
    expect(await header().getByTestId("attribute-change").count()).toBeGreaterThan(await seatsChanges.count());
    await screenshot(page, "profile-header-recent-changes");
  });

  it("lists every attribute, narrows them by search and shows one attribute's history", async () => {
    await page.goto(busiestPath);
    await header().getByRole("link", { name: "All", exact: true }).click();
    await page.waitForURL((u) => u.searchParams.get("view") === "all");
    const rows = header().getByTestId("attribute-row");
    await rows.first().waitFor();
    const before = await rows.count();
    expect(before).toBeGreaterThan(5);

    await header().getByLabel("Search attributes").fill("seat");
    await header().getByRole("button", { name: "Search", exact: true }).click();
    await page.waitForURL((u) => u.searchParams.get("q") === "seat" && u.searchParams.get("view") === "all");
    const after = await rows.count();
    expect(after).toBeGreaterThan(0);
    expect(after).toBeLessThan(before);
    expect(await rows.first().innerText()).toContain("Seats");

    await header().getByRole("link", { name: "History of Seats" }).click();
    await page.waitForURL((u) => u.searchParams.get("attribute") === "seats");
    const history = header().getByTestId("attribute-history");
    await history.waitFor();
    const entries = history.getByTestId("attribute-change");
    expect(await entries.count()).toBeGreaterThanOrEqual(2);
    expect(await history.innerText()).toContain("Import");
    await screenshot(page, "profile-header-history");
  });

  it("shows the MRR override as such, with the computed value beside it", async () => {
    // The demo set overrides the MRR of one EMEA Fraud Shield product.
    const candidates = (await accountPaths("Fraud Shield")).filter((a) => a.name.startsWith("Fraud Shield —") && a.name.endsWith("EMEA"));
    expect(candidates.length).toBeGreaterThan(0);
    let shown = false;
    for (const candidate of candidates) {
      await page.goto(candidate.path);
      const revenue = page.locator("section[aria-labelledby='w-revenue-summary']");
      await revenue.waitFor();
      if ((await revenue.getByTestId("mrr-override").count()) === 0) continue;
      shown = true;
      expect(await revenue.getByTestId("mrr-override").innerText()).toBe("Override");
      expect(await revenue.getByTestId("mrr-computed").innerText()).toMatch(/^computed: \$[\d,]+$/);
      const override = await revenue.getByTestId("revenue-mrr").innerText();
      expect(override).toMatch(/\$[\d,]+/);
      expect(override.match(/\$[\d,]+/)![0]).not.toBe((await revenue.getByTestId("mrr-computed").innerText()).replace("computed: ", ""));
      await screenshot(page, "revenue-summary-override");
      break;
    }
    expect(shown, "one EMEA Fraud Shield product shows an MRR override").toBe(true);
  });

  it("opens a contact linked at several levels, with a different role at each", async () => {
    await page.goto(busiestPath);
    const contact = page.getByTestId("account-contact").filter({ hasText: "Chief Digital Officer" }).first();
    await contact.waitFor();
    await contact.getByRole("link").click();
    await page.waitForURL((u) => u.pathname.startsWith("/contacts/"));
    const rows = page.getByTestId("contact-account");
    await rows.first().waitFor();
    expect(await rows.count()).toBeGreaterThanOrEqual(2);
    const texts = await rows.allInnerTexts();
    const region = texts.find((t) => t.includes("Region"));
    const product = texts.find((t) => t.includes(BUSIEST));
    expect(region).toBeDefined();
    expect(product).toBeDefined();
    const roles = new Set(await page.getByTestId("contact-role").allInnerTexts());
    expect(roles.size).toBeGreaterThanOrEqual(2);
    expect(product).toContain("Decision maker");
    expect(region).toContain("Champion");
    await screenshot(page, "contact-profile");

    // The Americas-only viewer gets the same answer as for a contact that does not exist.
    const contactPath = new URL(page.url()).pathname;
    const other = await newPage(baseURL, browser);
    await signIn(other, baseURL, "viewer@demo.test");
    const response = await other.goto(contactPath);
    expect(response?.status()).toBe(404);
    expect(await other.getByRole("heading", { level: 1 }).innerText()).toBe("Contact not found");
    await other.close();
  });

  /**
   * A real failure, not a mock: the table a part reads is renamed away for the length of one request,
   * so that part's query fails in the production build exactly as a broken database read would.
   */
  async function withTableAway<T>(table: string, fn: () => Promise<T>): Promise<T> {
    const db = new pg.Client({ connectionString: inject("e2eDatabaseUrl") });
    await db.connect();
    try {
      await db.query(`alter table ${table} rename to ${table}_away`);
      try {
        return await fn();
      } finally {
        await db.query(`alter table ${table}_away rename to ${table}`);
      }
    } finally {
      await db.end();
    }
  }

  async function expectProfileStands(): Promise<void> {
    // The page was not replaced by the segment's or the app's error page: banner, tabs and quick actions are there.
    expect(await page.getByRole("heading", { level: 1 }).innerText()).toBe(BUSIEST);
    await expect(page.getByRole("navigation", { name: "Profile tabs" }).count()).resolves.toBe(1);
    await expect(page.getByText("This profile could not be loaded").count()).resolves.toBe(0);
    await expect(page.getByText("Something went wrong").count()).resolves.toBe(0);
  }

  it("shows a notice inside the header when one of its views fails, and the rest of the profile renders", async () => {
    const path = `${busiestPath}?view=recent&period=30`;
    await withTableAway("attribute_changes", async () => {
      const response = await page.goto(path);
      expect(response?.status()).toBe(200);
      const notice = header().getByTestId("part-failed");
      await notice.waitFor();
      expect(await notice.innerText()).toBe("Recent changes could not be loaded. Reload the page to try again.");
      // The header keeps its title and view links; the other widgets of the overview still render.
      await expect(header().getByRole("link", { name: "Key Info" }).count()).resolves.toBe(1);
      const others = page.locator("section.widget:not([aria-labelledby='w-profile-header'])");
      expect(await others.count()).toBeGreaterThan(2);
      await page.getByTestId("timeline-entry").first().waitFor();
      await expectProfileStands();
      await screenshot(page, "profile-header-view-failed");
    });
    // With the table back, the same address shows the changes again.
    await page.goto(path);
    await header().getByTestId("attribute-change").first().waitFor();
  });

  it("shows a notice in place of a tab that fails, under the tab bar, and the rest of the profile renders", async () => {
    await withTableAway("assets", async () => {
      const response = await page.goto(`${busiestPath}?tab=assets`);
      expect(response?.status()).toBe(200);
      const notice = page.getByTestId("part-failed");
      await notice.waitFor();
      expect(await notice.innerText()).toBe("The Assets tab could not be loaded. Reload the page to try again.");
      await expectProfileStands();
      await expect(page.getByRole("link", { name: "Assets", exact: true }).getAttribute("aria-current")).resolves.toBe("page");
    });
    await page.goto(`${busiestPath}?tab=assets`);
    await expect(page.getByTestId("part-failed").count()).resolves.toBe(0);
  });
});
