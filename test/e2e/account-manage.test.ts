/**
 * Account management in Chromium, as the admin: the move picker offers only the parents the rules
 * allow (never the current parent, an opportunity or the account's own subtree) and names the rule;
 * a move goes through and the profile's breadcrumb follows. Screenshot: the move picker.
 */
import pg from "pg";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import type { Browser } from "playwright-core";
import { launchBrowser, newPage, screenshot, signIn } from "../support/browser";

const baseURL = inject("baseURL");

describe("managing an account", () => {
  let browser: Browser;
  let db: pg.Client;

  beforeAll(async () => {
    browser = await launchBrowser();
    db = new pg.Client({ connectionString: inject("e2eDatabaseUrl") });
    await db.connect();
  });
  afterAll(async () => {
    await db?.end();
    await browser?.close();
  });

  it("moves a product with the picker of allowed parents", async () => {
    const { rows } = await db.query<{ id: string; name: string; parent_id: string }>(
      `select a.id, a.name, a.parent_id from accounts a join account_types t on t.id = a.type_id
       where t.key = 'product' and a.archived_at is null order by a.name limit 1`,
    );
    const product = rows[0];
    const page = await newPage(baseURL, browser);
    await signIn(page, baseURL, "admin@demo.test");
    await page.goto(`${baseURL}/accounts/${product.id}/manage`);
    await expect(page.getByTestId("placement-rule").textContent()).resolves.toContain("A Product can sit under a Line of business.");
    const picker = page.getByLabel("New parent");
    const values = await picker.locator("option").evaluateAll((options) => options.map((o) => (o as HTMLOptionElement).value).filter(Boolean));
    expect(values.length).toBeGreaterThan(3);
    expect(values).not.toContain(product.parent_id);
    const types = await db.query<{ key: string }>(
      `select distinct t.key from accounts a join account_types t on t.id = a.type_id where a.id = any($1::uuid[])`,
      [values],
    );
    expect(types.rows.map((r) => r.key)).toEqual(["line_of_business"]);
    const target = values[1];
    await picker.selectOption(target);
    await screenshot(page, "account-move-picker");
    await page.getByRole("form", { name: "Move" }).getByRole("button", { name: "Move" }).click();
    await page.getByRole("form", { name: "Move" }).getByRole("status").filter({ hasText: "Moved" }).waitFor({ timeout: 30_000 });
    const moved = await db.query<{ parent_id: string }>(`select parent_id from accounts where id = $1`, [product.id]);
    expect(moved.rows[0].parent_id).toBe(target);
  }, 180_000);
});
