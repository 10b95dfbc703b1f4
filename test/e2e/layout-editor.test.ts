import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import pg from "pg";
import type { Browser, Locator, Page } from "playwright-core";
import { launchBrowser, newPage, screenshot, signIn } from "../support/browser";

const baseURL = inject("baseURL");

/**
 * The layout editor end to end: an admin creates a layout for the EMEA team's region profiles,
 * drags a widget into a zone, reorders it by keyboard, names it in its settings, previews the draft
 * as other people, publishes, and the change shows for the EMEA team only; then rolls back.
 */
describe("layout editor", () => {
  let browser: Browser;
  let admin: Page;
  let db: pg.Client;
  let emeaId: string;
  const layoutName = `EMEA regions ${Date.now().toString(36)}`;

  beforeAll(async () => {
    db = new pg.Client({ connectionString: inject("e2eDatabaseUrl") });
    await db.connect();
    emeaId = (await db.query("select id from accounts where name = 'EMEA'")).rows[0].id;
    browser = await launchBrowser();
    admin = await newPage(baseURL, browser);
    await admin.setViewportSize({ width: 1400, height: 2000 });
    await signIn(admin, baseURL, "admin@demo.test");
  });
  afterAll(async () => {
    await db?.query("delete from layouts where name = $1", [layoutName]);
    await db?.end();
    await browser?.close();
  });

  const draftSaved = async () => {
    await expect.poll(() => admin.getByTestId("draft-status").textContent(), { timeout: 30_000 }).toBe("Draft saved.");
  };
  const mediumWidgets = () => admin.getByTestId("zone-medium").getByTestId("placed-widget");
  const widgetKeys = async (zone: Locator) => zone.evaluateAll((nodes) => nodes.map((n) => n.getAttribute("data-widget")));
  const settled = async (page: Page) => {
    await page.waitForLoadState("networkidle");
    await expect.poll(() => page.locator("[aria-busy=true]").count(), { timeout: 30_000 }).toBe(0);
  };
  const profileHeadings = async (email: string) => {
    const page = await newPage(baseURL, browser);
    await signIn(page, baseURL, email);
    await page.goto(`${baseURL}/accounts/${emeaId}`);
    await settled(page);
    const headings = await page.locator("main h2").allInnerTexts();
    await page.close();
    return headings;
  };

  it("creates a layout, drags a widget in, reorders it by keyboard, previews, publishes for one team and rolls back", async () => {
    await admin.goto(`${baseURL}/admin/layouts`);
    await expect(admin.getByRole("heading", { name: "Layouts", level: 1 }).count()).resolves.toBe(1);
    await admin.getByLabel("Name", { exact: true }).fill(layoutName);
    await admin.getByLabel("Account type").selectOption({ label: "Region" });
    await admin.getByLabel("For team (optional)").selectOption({ label: "EMEA" });
    await admin.getByRole("button", { name: "Create layout" }).click();
    await admin.waitForURL(/\/admin\/layouts\/[0-9a-f-]{36}$/);
    const layoutId = admin.url().split("/").at(-1)!;
    await expect(admin.getByTestId("layout-status").textContent()).resolves.toContain("draft, never published");

    // Drag "Open tasks" from the palette into the main zone (a second copy: it is also in the sidebar).
    const before = await widgetKeys(mediumWidgets());
    const handle = admin.getByTestId("palette-open_tasks").getByLabel("Drag Open tasks");
    await handle.scrollIntoViewIfNeeded();
    const zone = admin.getByTestId("zone-medium");
    const from = (await handle.boundingBox())!;
    const to = (await zone.locator("h4").boundingBox())!;
    await admin.mouse.move(from.x + from.width / 2, from.y + from.height / 2);
    await admin.mouse.down();
    await admin.mouse.move(from.x + 20, from.y + 20, { steps: 5 });
    await admin.mouse.move(to.x + to.width / 2, to.y + to.height / 2, { steps: 20 });
    await admin.mouse.up();
    await draftSaved();
    const afterDrag = await widgetKeys(mediumWidgets());
    expect(afterDrag.length).toBe(before.length + 1);
    const dropped = afterDrag.indexOf("open_tasks");
    expect(dropped).toBeGreaterThanOrEqual(0);
    expect(dropped).toBeLessThan(afterDrag.length - 1);
    await screenshot(admin, "layout-editor-after-drag");

    // Reorder by keyboard: focus its handle, space to pick up, arrow down, space to drop.
    await mediumWidgets().nth(dropped).getByRole("button", { name: "Move Open tasks", exact: true }).focus();
    // dnd-kit measures the zones in animation frames between keys: pace the keys like a person.
    for (const key of ["Space", "ArrowDown", "Space"]) {
      await admin.keyboard.press(key);
      await admin.waitForTimeout(300);
    }
    await expect.poll(async () => (await widgetKeys(mediumWidgets())).indexOf("open_tasks"), { timeout: 10_000 }).toBe(dropped + 1);
    await draftSaved();

    // Name it in its settings (a form generated from the widget's settings schema).
    await mediumWidgets().nth(dropped + 1).getByRole("button", { name: "Settings of Open tasks" }).click();
    const settings = admin.getByRole("form", { name: "Settings of Open tasks" });
    await settings.getByLabel("Title").fill("EMEA follow-ups");
    await settings.getByLabel(/How many rows/).fill("3");
    await settings.getByRole("button", { name: "Apply settings" }).click();
    await draftSaved();
    await expect(admin.getByTestId("layout-problems").count()).resolves.toBe(0);

    // Live preview of the draft as the EMEA CSM, then as a viewer who cannot see EMEA.
    const previewAs = async (email: string) => {
      await admin.locator("#preview select[name=account]").selectOption({ label: "EMEA" });
      const user = (await db.query("select id from users where email = $1", [email])).rows[0].id as string;
      await admin.locator("#preview select[name=as]").selectOption(user);
      await admin.getByRole("button", { name: "Show preview" }).click();
      await admin.waitForURL(/account=/);
      await settled(admin);
    };
    await previewAs("csm@demo.test");
    await expect(admin.getByTestId("preview-as").textContent()).resolves.toContain("Casey CSM");
    await expect(admin.getByTestId("layout-preview").getByRole("heading", { name: "EMEA follow-ups" }).count()).resolves.toBe(1);
    await screenshot(admin, "layout-editor-preview-csm");
    await previewAs("viewer@demo.test");
    await expect(admin.getByTestId("preview-not-found").textContent()).resolves.toContain("Val Viewer may not see this account");
    // The profile as published still lacks it: drafts never reach profiles.
    expect(await profileHeadings("csm@demo.test")).not.toContain("EMEA follow-ups");

    // Publish: the EMEA team sees it, leadership (another team) does not.
    await admin.getByRole("button", { name: "Publish" }).click();
    await expect.poll(() => admin.getByText("Published version 1.").count(), { timeout: 30_000 }).toBe(1);
    expect(await profileHeadings("csm@demo.test")).toContain("EMEA follow-ups");
    expect(await profileHeadings("leader@demo.test")).not.toContain("EMEA follow-ups");

    // Version 2 without it, then roll back to version 1.
    await admin.goto(`${baseURL}/admin/layouts/${layoutId}`);
    await mediumWidgets().filter({ hasText: "EMEA follow-ups" }).getByRole("button", { name: "Remove Open tasks", exact: true }).click();
    await draftSaved();
    await admin.getByRole("button", { name: "Publish" }).click();
    await expect.poll(() => admin.getByText("Published version 2.").count(), { timeout: 30_000 }).toBe(1);
    expect(await profileHeadings("csm@demo.test")).not.toContain("EMEA follow-ups");

    await admin.getByRole("button", { name: "Roll back to version 1" }).click();
    await expect.poll(() => admin.getByText("Rolled back: version 3 is version 1 again.").count(), { timeout: 30_000 }).toBe(1);
    await expect.poll(() => admin.getByTestId("layout-version").count()).toBe(3);
    await expect(admin.getByTestId("layout-version").first().textContent()).resolves.toContain("published by Ada");
    await screenshot(admin, "layout-editor-versions");
    expect(await profileHeadings("csm@demo.test")).toContain("EMEA follow-ups");

    // The list shows it first for regions, for the EMEA team.
    await admin.goto(`${baseURL}/admin/layouts`);
    const row = admin.getByTestId("layout-row").filter({ hasText: layoutName });
    await expect(row.textContent()).resolves.toContain("team EMEA");
    await expect(row.textContent()).resolves.toContain("Published v3");
    await screenshot(admin, "layout-list");
  });
});
