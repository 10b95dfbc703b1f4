import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import pg from "pg";
import type { Browser, Page } from "playwright-core";
import { launchBrowser, signIn } from "../support/browser";

const baseURL = inject("baseURL");

/** The profile renders from the stored layout row: change the row and the same account changes. */
describe("layout-driven profile", () => {
  let browser: Browser;
  let page: Page;
  let db: pg.Client;
  let regionTypeId: string;
  let original: unknown;
  let emeaId: string;

  beforeAll(async () => {
    db = new pg.Client({ connectionString: inject("e2eDatabaseUrl") });
    await db.connect();
    const type = await db.query("select id from account_types where key = 'region'");
    regionTypeId = type.rows[0].id;
    const layout = await db.query("select definition from layouts where account_type_id = $1 order by priority limit 1", [regionTypeId]);
    original = layout.rows[0].definition;
    emeaId = (await db.query("select id from accounts where name = 'EMEA'")).rows[0].id;
    browser = await launchBrowser();
    page = await browser.newPage();
    await signIn(page, baseURL, "admin@demo.test");
  });
  afterAll(async () => {
    if (original) await db.query("update layouts set definition = $1 where account_type_id = $2", [JSON.stringify(original), regionTypeId]);
    await db?.end();
    await browser?.close();
  });

  // Widgets stream in behind Suspense: read the headings once the response is complete.
  const headings = async () => {
    await page.waitForLoadState("networkidle");
    await expect.poll(() => page.locator("[aria-busy=true]").count(), { timeout: 30_000 }).toBe(0);
    return page.locator("main h2").allInnerTexts();
  };

  it("shows other widgets and tabs after the layout row changes", async () => {
    await page.goto(`${baseURL}/accounts/${emeaId}`);
    const before = await headings();
    expect(before).toContain("Rolled up");
    expect(before).toContain("Health");
    expect(await page.getByRole("navigation", { name: "Profile tabs" }).getByRole("link").allInnerTexts()).toContain("Usage");

    const definition = {
      tabs: [
        {
          key: "overview",
          label: "Summary",
          kind: "overview",
          zones: { header: [], medium: [{ id: "nps", widget: "nps" }, { id: "gone", widget: "no_such_widget" }], sidebar: [{ id: "contacts", widget: "contacts" }] },
        },
        { key: "docs", label: "Runbook", kind: "embed", url: "https://example.com/runbook" },
      ],
    };
    await db.query("update layouts set definition = $1 where account_type_id = $2", [JSON.stringify(definition), regionTypeId]);
    await page.goto(`${baseURL}/accounts/${emeaId}`);
    const after = await headings();
    expect(after).toContain("NPS");
    expect(after).toContain("Contacts");
    expect(after).not.toContain("Rolled up");
    expect(after).not.toContain("Health");
    const tabs = await page.getByRole("navigation", { name: "Profile tabs" }).getByRole("link").allInnerTexts();
    expect(tabs).toEqual(["Summary", "Runbook"]);
    // A widget the registry does not know is skipped, with a notice for admins.
    await expect(page.getByText("widget “no_such_widget” no longer exists").count()).resolves.toBe(1);
    // An unknown tab in the URL falls back to the first tab instead of failing.
    const res = await page.goto(`${baseURL}/accounts/${emeaId}?tab=usage`);
    expect(res?.status()).toBe(200);
    expect(await headings()).toContain("NPS");
  });
});
