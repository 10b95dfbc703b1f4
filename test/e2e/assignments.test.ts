/**
 * Assignments in Chromium: the admin assigns a new team member to a product from the profile's
 * Assignment widget, then to 3 more accounts at once from the accounts list's bulk bar; the new
 * member signs in and finds all 4 in My portfolio (loadViewer reads assignments on every request,
 * so nothing else is needed). Screenshots: the widget, the bulk bar.
 */
import bcrypt from "bcryptjs";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import type { Browser, Page } from "playwright-core";
import { launchBrowser, newPage, screenshot, signIn } from "../support/browser";

const baseURL = inject("baseURL");
const RUN = Date.now().toString(36).slice(-6);

describe("assigning people to accounts", () => {
  let browser: Browser;
  let db: pg.Client;
  let newcomer: { id: string; email: string; name: string };
  let product: { id: string; name: string };

  beforeAll(async () => {
    browser = await launchBrowser();
    db = new pg.Client({ connectionString: inject("e2eDatabaseUrl") });
    await db.connect();
    // A member with no team and no assignment: sees nothing until assigned.
    const email = `newcomer.${RUN}@demo.test`;
    const name = `Nia Newcomer ${RUN}`;
    const { rows } = await db.query<{ id: string }>(
      `insert into users (email, name, role, title, password_hash) values ($1, $2, 'member', 'Customer Success Manager', $3) returning id`,
      [email, name, await bcrypt.hash("demo", 4)],
    );
    newcomer = { id: rows[0].id, email, name };
    const found = await db.query<{ id: string; name: string }>(
      `select a.id, a.name from accounts a join account_types t on t.id = a.type_id where t.key = 'product' and a.archived_at is null order by a.name desc limit 1`,
    );
    product = found.rows[0];
  });
  afterAll(async () => {
    await db?.end();
    await browser?.close();
  });

  async function profile(page: Page, id: string) {
    await page.goto(`${baseURL}/accounts/${id}`);
    await page.waitForLoadState("networkidle");
    await expect.poll(() => page.locator("[aria-busy=true]").count(), { timeout: 30_000 }).toBe(0);
  }

  it("assigns from the widget and in bulk from the list; the member then sees all four in My portfolio", async () => {
    const admin = await newPage(baseURL, browser);
    await signIn(admin, baseURL, "admin@demo.test");

    // 1. The Assignment widget.
    await profile(admin, product.id);
    const widget = admin.locator('section[aria-labelledby="w-assignment"]');
    const form = widget.getByRole("form", { name: "Assign a person" });
    await form.getByLabel("Person").selectOption(newcomer.id);
    await form.getByLabel("Role").selectOption("CSM");
    await screenshot(admin, "assignment-widget-form");
    await form.getByRole("button", { name: "Assign" }).click();
    await widget.getByTestId("assigned-member").filter({ hasText: newcomer.name }).waitFor({ timeout: 30_000 });
    await expect(widget.getByRole("button", { name: `Unassign ${newcomer.name} as CSM` }).count()).resolves.toBe(1);
    await widget.scrollIntoViewIfNeeded();
    await widget.screenshot({ path: await screenshot(admin, "assignment-widget") });

    // 2. The bulk bar: the first three other products of the list.
    await admin.goto(`${baseURL}/accounts?type=product`);
    const bar = admin.getByTestId("bulk-bar");
    await bar.waitFor();
    const rows = admin.locator("tbody tr").filter({ hasNot: admin.getByText(product.name, { exact: true }) });
    const names: string[] = [];
    for (let i = 0; i < 3; i++) {
      const row = rows.nth(i);
      names.push((await row.getByRole("link").first().textContent())!.trim());
      const box = row.getByRole("checkbox");
      // Retry until hydrated: the count in the bar follows the checkboxes.
      await expect.poll(async () => {
        if (!(await box.isChecked())) await box.check();
        return bar.getByTestId("bulk-selected").textContent();
      }, { timeout: 15_000 }).toBe(`${i + 1} selected`);
    }
    await bar.getByLabel("Assign", { exact: true }).selectOption(newcomer.id);
    await bar.getByLabel("as", { exact: true }).selectOption("AE");
    await screenshot(admin, "assignment-bulk-bar");
    await bar.getByRole("button", { name: "Assign to selected" }).click();
    await bar.getByRole("status").filter({ hasText: `${newcomer.name} assigned as AE to 3 accounts.` }).waitFor({ timeout: 30_000 });
    await expect(bar.getByTestId("bulk-selected").textContent()).resolves.toBe("0 selected");

    const history = await db.query<{ n: number }>(`select count(*)::int as n from assignment_history where user_id = $1 and unassigned_at is null`, [newcomer.id]);
    expect(history.rows[0].n).toBe(4);

    // 3. The newcomer's portfolio.
    const member = await newPage(baseURL, browser);
    await signIn(member, baseURL, newcomer.email);
    await member.goto(`${baseURL}/`);
    const portfolio = member.locator("section[aria-labelledby=my-accounts]");
    await portfolio.waitFor();
    const listed = await portfolio.locator("tbody tr").allTextContents();
    for (const name of [product.name, ...names]) expect(listed.some((row) => row.includes(name)), `${name} in My portfolio`).toBe(true);
    expect(listed).toHaveLength(4);
    await screenshot(member, "assignment-portfolio");
  }, 240_000);
});
