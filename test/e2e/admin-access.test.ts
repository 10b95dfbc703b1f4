import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import type { Browser, Page } from "playwright-core";
import { launchBrowser, screenshot, signIn } from "../support/browser";

const baseURL = inject("baseURL");

/** The admin pages for users, teams and scopes, and the audit log, in Chromium. */
describe("admin: users, teams and the audit log", () => {
  let browser: Browser;
  let page: Page;

  beforeAll(async () => {
    browser = await launchBrowser();
    page = await browser.newPage();
    await signIn(page, baseURL, "admin@demo.test");
  });
  afterAll(async () => {
    await browser?.close();
  });

  it("refuses a team whose scope matches no account, with the reason beside the field", async () => {
    await page.goto(`${baseURL}/admin/teams`);
    await expect(page.getByRole("link", { name: "Teams and scopes" }).count()).resolves.toBe(1);
    const form = page.getByRole("form", { name: "New team" });
    await form.getByLabel("Key").fill("typo-team");
    await form.getByLabel("Name").fill("Typo team");
    await form.getByLabel("Attribute filters, one a line").fill("segment = Entreprise");
    await form.getByRole("button", { name: "Create team" }).click();
    await form.getByRole("alert").waitFor();
    expect(await form.getByRole("alert").textContent()).toMatch(/matches no account/);
    expect(await form.getByTestId("field-error").first().textContent()).toMatch(/No account has segment = Entreprise/);
    await screenshot(page, "admin-teams-no-match");
    // The typed values stay; fixing the value creates the team.
    await form.getByLabel("Attribute filters, one a line").fill("segment = Enterprise");
    await form.getByRole("button", { name: "Create team" }).click();
    await page.getByRole("status").filter({ hasText: "Team Typo team created." }).waitFor();
    const row = page.getByTestId("team-row").filter({ hasText: "typo-team" });
    await row.waitFor();
    expect(await row.getByTestId("team-scope").textContent()).toBe("segment = Enterprise");
  });

  it("refuses to remove the last admin's own role with a clear message", async () => {
    await page.goto(`${baseURL}/admin/users`);
    const row = page.getByTestId("user-row").filter({ hasText: "admin@demo.test" });
    await row.locator("summary").click();
    const form = row.getByRole("form", { name: "Edit Ada Admin" });
    await form.getByLabel("Role").selectOption("member");
    await form.getByRole("button", { name: "Save Ada Admin" }).click();
    await form.getByRole("alert").waitFor();
    expect(await form.getByRole("alert").textContent()).toMatch(/You are the last admin/);
    await screenshot(page, "admin-users-last-admin");
    await page.reload();
    expect(await page.getByTestId("admin-count").textContent()).toMatch(/^1 active admin:/);
  });

  it("shows the team's creation in the audit log, filterable by change", async () => {
    await page.goto(`${baseURL}/admin/audit?action=team.create&q=typo-team`);
    const entries = page.getByTestId("audit-entry");
    await entries.first().waitFor();
    expect(await entries.count()).toBe(1);
    expect(await entries.first().textContent()).toMatch(/Ada Admin.*team\.create.*typo-team/s);
    await page.goto(`${baseURL}/admin/audit`);
    await screenshot(page, "admin-audit");
  });
});
