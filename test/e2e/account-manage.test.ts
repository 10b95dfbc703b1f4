/**
 * Account management in Chromium, as the admin: the move picker offers only the parents the rules
 * allow (never the current parent, an opportunity or the account's own subtree) and names the rule;
 * a move goes through and the profile's breadcrumb follows. Screenshot: the move picker.
 * Merge: two products made for the test under lines of business of different regions merge into one;
 * the merged id's links redirect to the kept profile. Archive asks for a tick, and the archived
 * profile's banner restores. Screenshot: the merge form.
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

  it("merges a duplicate product, redirects its links, archives with a tick and restores from the banner", async () => {
    const { rows: lobs } = await db.query<{ id: string }>(
      `select distinct on (l.parent_id) l.id from accounts l join account_types t on t.id = l.type_id
       where t.key = 'line_of_business' and l.archived_at is null order by l.parent_id, l.name limit 2`,
    );
    expect(lobs).toHaveLength(2);
    const page = await newPage(baseURL, browser);
    await signIn(page, baseURL, "admin@demo.test");
    const made: string[] = [];
    for (const [i, lob] of lobs.entries()) {
      const name = `E2E Duplicate ${i === 0 ? "Kept" : "Gone"} ${Date.now()}`;
      await page.goto(`${baseURL}/accounts/${lob.id}/manage`);
      const form = page.getByRole("form", { name: "Add a sub-account" });
      await form.getByLabel("Type").selectOption({ label: "Product" });
      await form.getByLabel("Name").fill(name);
      await form.getByRole("button", { name: "Create sub-account" }).click();
      await form.getByRole("status").filter({ hasText: "created" }).waitFor({ timeout: 30_000 });
      const { rows } = await db.query<{ id: string }>(`select id from accounts where name = $1`, [name]);
      made.push(rows[0].id);
    }
    const [kept, gone] = made;
    await page.goto(`${baseURL}/accounts/${kept}/manage`);
    const merge = page.getByRole("form", { name: "Merge" });
    await merge.getByLabel(/Duplicate to merge into/).selectOption(gone);
    await screenshot(page, "account-merge-form");
    // Without the tick: a field error, nothing merged.
    await merge.getByRole("button", { name: "Merge" }).click();
    await merge.getByText("Tick the box to confirm the merge.").first().waitFor({ timeout: 30_000 });
    expect((await db.query(`select 1 from accounts where id = $1`, [gone])).rowCount).toBe(1);
    await merge.getByLabel(/Yes, move everything/).check();
    await merge.getByRole("button", { name: "Merge" }).click();
    await merge.getByRole("status").filter({ hasText: "Merged" }).waitFor({ timeout: 60_000 });
    expect((await db.query(`select 1 from accounts where id = $1`, [gone])).rowCount).toBe(0);
    expect((await db.query(`select kept_account_id from account_merges where merged_account_id = $1`, [gone])).rows[0].kept_account_id).toBe(kept);
    // The merged id's profile and sub-paths lead to the kept one.
    await page.goto(`${baseURL}/accounts/${gone}/explain?metric=mrr`);
    expect(new URL(page.url()).pathname).toBe(`/accounts/${kept}/explain`);
    expect(new URL(page.url()).searchParams.get("metric")).toBe("mrr");
    await page.goto(`${baseURL}/accounts/${gone}`);
    expect(new URL(page.url()).pathname).toBe(`/accounts/${kept}`);

    // Archive needs the tick; the archived banner offers Restore.
    await page.goto(`${baseURL}/accounts/${kept}/manage`);
    await expect(page.getByTestId("archive-summary").textContent()).resolves.not.toContain(" 0 direct");
    const archive = page.getByRole("form", { name: "Archive" });
    await archive.getByRole("button", { name: "Archive" }).click();
    await archive.getByText("Tick the box to confirm.").first().waitFor({ timeout: 30_000 });
    await archive.getByLabel(/Yes, archive/).check();
    await archive.getByRole("button", { name: "Archive" }).click();
    await page.getByTestId("archived-account").waitFor({ timeout: 60_000 });
    await page.getByRole("form", { name: "Restore" }).getByRole("button", { name: "Restore" }).click();
    await page.getByTestId("archived-account").waitFor({ state: "detached", timeout: 60_000 });
    expect((await db.query(`select archived_at from accounts where id = $1`, [kept])).rows[0].archived_at).toBeNull();
  }, 240_000);
});
