/**
 * Health schemes in admin, end to end: an admin raises the Line of business scheme's bands, sees the
 * preview (old and new band side by side on 20 accounts), saves; the health worker of the running
 * server re-scores the type within seconds, and the account's band, the current week of its grid
 * (scored with the new version) and its timeline change. The thresholds are put back at the end.
 */
import { afterAll, beforeAll, describe, expect, inject, it, vi } from "vitest";
import type { Browser, Locator, Page } from "playwright-core";
import { launchBrowser, screenshot, signIn } from "../support/browser";

const baseURL = inject("baseURL");
// Preview, save, the worker re-scoring the type and the profile: under a loaded machine, more than a minute.
vi.setConfig({ testTimeout: 180_000 });
const TYPE = "Line of business";

describe("health schemes in admin", () => {
  let browser: Browser;
  let page: Page;

  beforeAll(async () => {
    browser = await launchBrowser();
    const context = await browser.newContext({ baseURL, viewport: { width: 1280, height: 900 } });
    page = await context.newPage();
    await signIn(page, baseURL, "admin@demo.test");
  });
  afterAll(async () => {
    await browser?.close();
  });

  const scheme = (): Locator => page.getByTestId(`scheme-${TYPE}`);
  const setBands = async (poorBelow: string, goodFrom: string) => {
    await scheme().getByLabel("Poor below").fill(poorBelow);
    await scheme().getByLabel("Good from").fill(goodFrom);
  };

  it("previews and saves a threshold; the account's band, grid week and timeline follow", async () => {
    await page.goto("/admin/health");
    const section = scheme();
    await expect(section.getByRole("heading", { name: new RegExp(`^${TYPE}`) }).count()).resolves.toBe(1);
    const version = Number((await section.getByRole("heading").first().innerText()).match(/version (\d+)/)?.[1] ?? "0");
    expect(version).toBeGreaterThan(0);

    // Bad input: a clear message beside the field, nothing saved.
    await setBands("80", "60");
    await section.getByRole("button", { name: "Save as a new version" }).click();
    await expect(section.getByTestId("field-error").first().textContent()).resolves.toMatch(/lower than/);

    // Every account scoring below 99 turns poor: the preview says which ones move.
    await setBands("98", "99");
    await section.getByRole("button", { name: "Preview on 20 accounts" }).click();
    const preview = section.getByTestId("health-preview");
    await preview.waitFor({ state: "visible", timeout: 30_000 });
    const rows = preview.getByTestId("preview-row");
    expect(await rows.count()).toBe(20);
    const moving = preview.locator('[data-testid="preview-row"][data-after="poor"]:not([data-before="poor"]):not([data-before="none"])').first();
    const name = (await moving.locator("th").innerText()).trim();
    const before = await moving.getAttribute("data-before");
    expect(["good", "average"]).toContain(before);
    await screenshot(page, "admin-health-preview");

    await section.getByRole("button", { name: "Save as a new version" }).click();
    await expect(section.getByTestId("form-success").textContent()).resolves.toMatch(new RegExp(`Saved version ${version + 1} of the ${TYPE} scheme`));
    await page.reload();
    await expect(scheme().getByRole("heading").first().innerText()).resolves.toContain(`version ${version + 1}`);
    await expect(scheme().getByRole("progressbar").count()).resolves.toBe(1);
    await screenshot(page, "admin-health-saved");

    // The account's profile, once the worker has re-scored it.
    await page.goto(`/accounts?q=${encodeURIComponent(name)}`);
    const href = await page.getByRole("link", { name, exact: true }).first().getAttribute("href");
    // Each row's link carries the list (`?list=…`, for j / k on the profile).
    expect(href).toMatch(/^\/accounts\/[0-9a-f-]{36}(\?|$)/);
    const profile = href!.split("?")[0];
    const widget = page.locator("section", { has: page.getByRole("heading", { name: "Health", exact: true }) });
    const deadline = Date.now() + 45_000;
    let overall = "";
    for (;;) {
      await page.goto(profile);
      overall = await widget.locator("p", { hasText: "Overall" }).first().locator("xpath=following-sibling::p[1]").innerText();
      if (/poor/i.test(overall) || Date.now() > deadline) break;
      await page.waitForTimeout(1000);
    }
    expect(overall).toMatch(/poor/i);
    await expect(widget.getByTestId("health-scheme-version").innerText()).resolves.toContain(`scheme v${version + 1}`);
    const grid = widget.locator('[data-chart="health-grid"]');
    await grid.locator("svg").first().waitFor({ state: "visible", timeout: 30_000 });
    const thisWeek = grid.locator("[data-week]").last();
    await expect(thisWeek.getAttribute("data-band")).resolves.toBe("poor");
    await expect(thisWeek.getAttribute("data-scored-with")).resolves.toBe(`scheme v${version + 1}`);
    await widget.scrollIntoViewIfNeeded();
    await screenshot(page, "health-widget-after-scheme-change");

    await page.goto(`${profile}?tab=timeline`);
    await page.getByText(new RegExp(`Health changed from ${before} to poor`)).first().waitFor({ state: "visible", timeout: 30_000 });

    // Put the bands back (a third version), so other tests see the usual mix.
    await page.goto("/admin/health");
    await setBands("40", "70");
    await scheme().getByRole("button", { name: "Save as a new version" }).click();
    await expect(scheme().getByTestId("form-success").textContent()).resolves.toMatch(/Saved version/);
  });
});
