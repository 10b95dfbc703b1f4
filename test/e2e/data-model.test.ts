import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import type { Browser, Page } from "playwright-core";
import { launchBrowser, screenshot, signIn } from "../support/browser";

const baseURL = inject("baseURL");

/** The data model admin pages (issue 15) in Chromium: an attribute and a lifecycle made through the UI. */
describe("admin: the data model", () => {
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

  it("lists every admin page on /admin, reached from the app header", async () => {
    await page.goto(`${baseURL}/accounts`);
    await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Admin", exact: true }).click();
    await page.waitForURL(`${baseURL}/admin`);
    for (const name of ["Account types", "Attributes", "Lifecycles", "Usage", "Layouts", "Users", "Audit log"]) {
      expect(await page.getByRole("main").getByRole("link", { name: new RegExp(`^${name}`) }).count()).toBe(1);
    }
    await screenshot(page, "admin-index");
  });

  it("creates an attribute: an error beside the field keeps what was typed, then it is created", async () => {
    await page.goto(`${baseURL}/admin/attributes`);
    await page.getByRole("link", { name: "Product", exact: true }).click();
    const form = page.getByTestId("form-new-attribute");
    await form.getByLabel("Key", { exact: true }).fill("renewal_risk");
    await form.getByLabel("Label").fill("Renewal risk");
    await form.getByLabel("Data type").selectOption("select");
    await form.getByRole("button", { name: "Create attribute" }).click();
    await form.getByRole("alert").waitFor();
    expect(await form.getByTestId("field-error").first().textContent()).toMatch(/options/);
    expect(await form.getByLabel("Key", { exact: true }).inputValue()).toBe("renewal_risk");
    await screenshot(page, "admin-attributes-error");
    await form.getByLabel("Options (select and multi-select)").fill("Low\nMedium\nHigh");
    await form.getByRole("button", { name: "Create attribute" }).click();
    await page.getByRole("status").filter({ hasText: "Attribute “Renewal risk” created." }).waitFor();
    await page.getByTestId("attribute-renewal_risk").waitFor();
    await screenshot(page, "admin-attributes");
  });

  it("creates a lifecycle and adds a stage", async () => {
    await page.goto(`${baseURL}/admin/lifecycles`);
    const form = page.getByTestId("form-new-lifecycle");
    await form.getByLabel("Name").fill("Renewal process");
    await form.getByLabel("Key").fill("renewal_process");
    await form.getByRole("button", { name: "Create lifecycle" }).click();
    const section = page.getByTestId("lifecycle-renewal_process");
    await section.waitFor();
    await section.getByLabel("New stage").fill("Ninety days out");
    await section.getByLabel("Key").fill("d90");
    await section.getByRole("button", { name: "Add stage" }).click();
    await section.getByTestId("stage-renewal_process-d90").waitFor();
    await screenshot(page, "admin-lifecycles");
  });

  it("shows usage modules and activities", async () => {
    await page.goto(`${baseURL}/admin/usage`);
    await page.getByRole("heading", { name: "Usage modules and activities" }).waitFor();
    expect(await page.locator("[data-testid^=activity-]").count()).toBeGreaterThan(0);
    await screenshot(page, "admin-usage");
    await page.goto(`${baseURL}/admin/account-types`);
    await screenshot(page, "admin-account-types");
  });
});
