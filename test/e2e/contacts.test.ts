/**
 * Contacts in Chromium: a member (Casey, the demo CSM) adds a contact to an account they are
 * assigned to from the profile's Contacts widget (a refused email first: the message beside the
 * field, the typed values kept), finds it in the widget, opens its page and edits its title.
 * Screenshots: the form, the widget, the contact page.
 */
import pg from "pg";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import type { Browser } from "playwright-core";
import { launchBrowser, newPage, screenshot, signIn } from "../support/browser";

const baseURL = inject("baseURL");
const RUN = Date.now().toString(36).slice(-6);

describe("contacts from the app", () => {
  let browser: Browser;
  let db: pg.Client;
  let product: { id: string; name: string };

  beforeAll(async () => {
    browser = await launchBrowser();
    db = new pg.Client({ connectionString: inject("e2eDatabaseUrl") });
    await db.connect();
    const found = await db.query<{ id: string; name: string }>(
      `select a.id, a.name from assignments s join users u on u.id = s.user_id join accounts a on a.id = s.account_id join account_types t on t.id = a.type_id
       where u.email = 'csm@demo.test' and t.key = 'product' and a.archived_at is null order by a.name limit 1`,
    );
    product = found.rows[0];
  });
  afterAll(async () => {
    await db?.end();
    await browser?.close();
  });

  it("adds a contact from the widget, then edits it on its page; both are on the account's timeline", async () => {
    const page = await newPage(baseURL, browser);
    await signIn(page, baseURL, "csm@demo.test");
    await page.goto(`${baseURL}/accounts/${product.id}`);
    await page.waitForLoadState("networkidle");
    await expect.poll(() => page.locator("[aria-busy=true]").count(), { timeout: 30_000 }).toBe(0);

    const widget = page.locator('section[aria-labelledby="w-contacts"]');
    await widget.getByText("Add contact", { exact: true }).first().click();
    const form = widget.getByRole("form", { name: "Add a contact" });
    const name = `Rosa Contact ${RUN}`;
    await form.getByLabel("Name").fill(name);
    await form.getByLabel("Email").fill("not an email");
    await form.getByLabel("Role on this account").fill("Champion");
    await form.getByLabel("Key contact").check();
    await form.getByRole("button", { name: "Add contact" }).click();
    // Refused: the message beside the email, what was typed still there.
    await form.getByText("Enter a valid email address, e.g. ana@example.com.").waitFor({ timeout: 30_000 });
    await expect(form.getByLabel("Name").inputValue()).resolves.toBe(name);
    await form.getByLabel("Email").fill(`rosa.${RUN}@customer.test`);
    await form.getByLabel("Title").fill("Head of Payments");
    await widget.scrollIntoViewIfNeeded();
    await widget.screenshot({ path: await screenshot(page, "contacts-widget-add-form") });
    await form.getByRole("button", { name: "Add contact" }).click();

    const row = widget.getByTestId("account-contact").filter({ hasText: name });
    await row.waitFor({ timeout: 30_000 });
    await expect(row.getByText("Key contact:").count()).resolves.toBe(1);
    await widget.screenshot({ path: await screenshot(page, "contacts-widget-added") });

    await row.getByRole("link", { name }).click();
    await page.getByRole("heading", { level: 1, name }).waitFor({ timeout: 30_000 });
    await expect(page.getByTestId("contact-role").first().textContent()).resolves.toBe("Champion");
    await page.getByText("Edit details", { exact: true }).click();
    const edit = page.getByRole("form", { name: "Edit contact details" });
    await edit.getByLabel("Title").fill("VP Payments");
    await edit.getByRole("button", { name: "Save details" }).click();
    await page.getByText("VP Payments", { exact: true }).first().waitFor({ timeout: 30_000 });
    await screenshot(page, "contact-page-edited");

    const { rows } = await db.query<{ title: string }>(
      `select e.title from timeline_entries e join contacts c on c.id::text = e.ref_id where e.account_id = $1 and e.kind = 'contact' and c.name = $2 order by e.id`,
      [product.id, name],
    );
    expect(rows.map((r) => r.title)).toEqual([`${name} added as Champion (key contact)`, `${name}'s details changed (title)`]);

    // A duplicate (as an import would leave it), merged into this contact from its page.
    const duplicate = `Rosa C. ${RUN}`;
    const { rows: made } = await db.query<{ id: string }>(`insert into contacts (name, phone) values ($1, '+44 20 7946 0101') returning id`, [duplicate]);
    await db.query(`insert into account_contacts (account_id, contact_id, role) values ($1, $2, 'End user')`, [product.id, made[0].id]);
    await page.getByText("Merge a duplicate into this contact", { exact: true }).click();
    const merge = page.getByRole("form", { name: "Merge a duplicate contact" });
    await merge.getByLabel("Find the duplicate by name or email").fill(`Rosa C. ${RUN}`);
    await merge.getByTestId("duplicate-matches").getByText(duplicate).waitFor({ timeout: 30_000 });
    await merge.getByRole("radio").first().check();
    await screenshot(page, "contact-page-merge");
    await merge.getByRole("button", { name: `Merge into ${name}` }).click();
    await merge.getByText(`${duplicate} merged into ${name}.`).waitFor({ timeout: 30_000 });
    // The duplicate's phone filled the blank; the duplicate is gone.
    await page.getByText("+44 20 7946 0101").first().waitFor({ timeout: 30_000 });
    await expect(db.query(`select 1 from contacts where id = $1`, [made[0].id]).then((r) => r.rowCount)).resolves.toBe(0);
  });
});
