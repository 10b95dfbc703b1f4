/**
 * Every page fits a phone: Chromium emulating a 390 × 844 touch screen. On each page nothing is wider
 * than the screen (`document.documentElement.scrollWidth <= 390`: wide tables scroll inside their own
 * region, the tab strip scrolls sideways), the top bar folds into a menu with the search box still in
 * the bar, the admin sections fold behind one button and a quick action opens as a sheet.
 * Screenshots: screenshots/phone-*.png.
 */
import path from "node:path";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import pg from "pg";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { launchBrowser, SCREENSHOT_DIR, screenshot, signIn } from "../support/browser";

const baseURL = inject("baseURL");
const PHONE = { width: 390, height: 844 };

async function phonePage(browser: Browser): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext({
    baseURL,
    viewport: PHONE,
    screen: PHONE,
    deviceScaleFactor: 2,
    isMobile: true,
    hasTouch: true,
  });
  return { context, page: await context.newPage() };
}

/** Waits until streamed widgets have arrived and every chart has drawn its SVG (after hydration). */
async function settled(page: Page): Promise<void> {
  await page.waitForLoadState("networkidle");
  await expect.poll(() => page.locator("[aria-busy=true]").count(), { timeout: 30_000 }).toBe(0);
  await page.waitForFunction(() => [...document.querySelectorAll("[data-chart]")].every((chart) => chart.querySelector("svg")), undefined, { timeout: 30_000 });
}

/**
 * The page's width, and the elements that stick out past the screen's right edge without a
 * scrolling ancestor to hold them (named for the failure message).
 */
async function widthOf(page: Page): Promise<{ scrollWidth: number; overflowing: string[] }> {
  return page.evaluate((limit) => {
    const clipped = (el: Element): boolean => {
      for (let up = el.parentElement; up && up !== document.body; up = up.parentElement) {
        const overflow = getComputedStyle(up).overflowX;
        if (overflow !== "visible") return true;
      }
      return false;
    };
    const name = (el: Element) =>
      `${el.tagName.toLowerCase()}${el.id ? `#${el.id}` : ""}${el.getAttribute("class") ? `.${String(el.getAttribute("class")).trim().split(/\s+/).slice(0, 4).join(".")}` : ""}` +
      ` (right edge ${Math.round(el.getBoundingClientRect().right)} px)`;
    const overflowing = [...document.body.querySelectorAll("*")]
      .filter((el) => el.getBoundingClientRect().right > limit + 0.5 && el.getBoundingClientRect().width > 0 && !clipped(el))
      .slice(0, 8)
      .map(name);
    // Nothing unclipped sticks out, yet the page is wider: name what is widest, clipped or not.
    const widest = overflowing.length || document.documentElement.scrollWidth <= limit ? [] : [...document.body.querySelectorAll("*")]
      .filter((el) => el.getBoundingClientRect().right > limit + 0.5)
      .slice(-8)
      .map((el) => `${name(el)} inside ${el.parentElement ? name(el.parentElement) : "?"}`);
    return { scrollWidth: document.documentElement.scrollWidth, overflowing: [...overflowing, ...widest] };
  }, PHONE.width);
}

async function expectFitsPhone(page: Page): Promise<void> {
  const { scrollWidth, overflowing } = await widthOf(page);
  expect(scrollWidth <= PHONE.width ? [] : overflowing, `${page.url()} is ${scrollWidth} px wide`).toEqual([]);
  expect(scrollWidth).toBeLessThanOrEqual(PHONE.width);
}

/** Taps a button until the client has hydrated and the control reports itself expanded. */
async function expand(page: Page, button: ReturnType<Page["getByRole"]>): Promise<void> {
  for (let attempt = 0; attempt < 20 && (await button.getAttribute("aria-expanded")) !== "true"; attempt++) {
    await button.tap();
    await page.waitForTimeout(250);
  }
  expect(await button.getAttribute("aria-expanded")).toBe("true");
}

/** Whether the element is entirely on screen horizontally. */
async function onScreen(locator: ReturnType<Page["locator"]>): Promise<boolean> {
  const box = await locator.boundingBox();
  return !!box && box.width > 0 && box.x >= 0 && box.x + box.width <= PHONE.width + 0.5;
}

describe("on a phone (390 × 844)", () => {
  let browser: Browser;
  let member: Page;
  let admin: Page;
  let productId: string;
  let emeaId: string;

  beforeAll(async () => {
    const db = new pg.Client({ connectionString: inject("e2eDatabaseUrl") });
    await db.connect();
    emeaId = (await db.query("select id from accounts where name = 'EMEA'")).rows[0].id;
    await db.end();
    browser = await launchBrowser();
    member = (await phonePage(browser)).page;
    admin = (await phonePage(browser)).page;
  });
  afterAll(async () => {
    await browser?.close();
  });

  it("signs in", async () => {
    await member.goto("/login");
    await expectFitsPhone(member);
    await screenshot(member, "phone-sign-in");
    await signIn(member, baseURL, "csm@demo.test");
    expect(new URL(member.url()).pathname).toBe("/");
  });

  it("shows My portfolio with the search box in the bar and the rest behind the menu", async () => {
    await member.goto("/");
    await settled(member);
    await expectFitsPhone(member);
    // Search is in the bar itself; the links, the name and Sign out wait behind the menu button.
    expect(await onScreen(member.getByRole("searchbox", { name: "Search accounts" }))).toBe(true);
    await expect(member.getByRole("button", { name: "Sign out" }).isVisible()).resolves.toBe(false);
    await screenshot(member, "phone-portfolio");

    await expand(member, member.getByRole("button", { name: "Menu" }));
    const menu = member.getByRole("navigation", { name: "Main" });
    for (const link of ["My portfolio", "Accounts"]) expect(await onScreen(menu.getByRole("link", { name: link, exact: true }))).toBe(true);
    expect(await onScreen(menu.getByText("Casey", { exact: false }).first())).toBe(true);
    expect(await onScreen(menu.getByRole("button", { name: "Sign out" }))).toBe(true);
    await expectFitsPhone(member);
    await screenshot(member, "phone-menu");
    // Escape closes it again.
    await member.keyboard.press("Escape");
    await expect(member.getByRole("button", { name: "Sign out" }).isVisible()).resolves.toBe(false);

    const product = member.locator("section[aria-labelledby=my-accounts] tbody tr", { hasText: "Product" }).first().getByRole("link");
    productId = (await product.getAttribute("href"))!.split("?")[0].split("/").pop()!;
  });

  it("searches accounts from the bar; the results scroll inside their own region", async () => {
    await member.getByRole("searchbox", { name: "Search accounts" }).fill("a");
    await member.getByRole("searchbox", { name: "Search accounts" }).press("Enter");
    await member.waitForURL((u) => u.pathname === "/accounts");
    await settled(member);
    expect(await member.getByTestId("result-count").textContent()).toMatch(/^\d+ accounts? matching “a”/);
    await expectFitsPhone(member);
    const results = member.getByRole("region", { name: "Accounts found" });
    expect(await onScreen(results)).toBe(true);
    await screenshot(member, "phone-search");
  });

  it("shows every tab of a product profile in one scrolling strip", async () => {
    await member.goto(`/accounts/${productId}`);
    await settled(member);
    const strip = member.getByRole("navigation", { name: "Profile tabs" });
    const tabs = await strip.getByRole("link").evaluateAll((links) => links.map((a) => ({ label: a.textContent!.trim(), href: a.getAttribute("href")! })));
    expect(tabs.length).toBeGreaterThan(3);
    // One row: every tab at the same height, however many there are.
    const tops = new Set(await strip.getByRole("link").evaluateAll((links) => links.map((a) => Math.round(a.getBoundingClientRect().top))));
    expect(tops.size).toBe(1);
    for (const tab of tabs) {
      await member.goto(tab.href);
      await settled(member);
      await expectFitsPhone(member);
      // The current tab is scrolled into view within the strip.
      expect(await onScreen(strip.locator("[aria-current=page]")), `tab ${tab.label} in view`).toBe(true);
      await screenshot(member, `phone-profile-${tab.label.toLowerCase()}`);
    }
  });

  it("opens a quick action as a sheet over the bottom of the screen", async () => {
    await member.goto(`/accounts/${productId}`);
    await settled(member);
    await expand(member, member.getByRole("group", { name: "Actions" }).getByRole("button", { name: "Log touchpoint", exact: true }));
    const sheet = member.locator("#qa-panel-touchpoint");
    await sheet.waitFor({ state: "visible" });
    const box = (await sheet.boundingBox())!;
    expect(box.x).toBe(0);
    expect(box.width).toBe(PHONE.width);
    expect(Math.round(box.y + box.height)).toBe(PHONE.height);
    expect(box.y).toBeGreaterThan(0);
    await expect(sheet.getByLabel("Subject").isVisible()).resolves.toBe(true);
    await expectFitsPhone(member);
    // The screen as the user sees it (a full-page shot would stretch the fixed sheet's backdrop).
    await member.screenshot({ path: path.join(SCREENSHOT_DIR, "phone-quick-action-sheet.png") });
    // A tap on the dimmed page closes it.
    await member.getByTestId("quick-actions-backdrop").tap({ position: { x: 20, y: 20 } });
    await sheet.waitFor({ state: "hidden" });
  });

  it("explains a rolled-up number", async () => {
    await signIn(admin, baseURL, "admin@demo.test");
    await admin.goto(`/accounts/${emeaId}/explain`);
    await settled(admin);
    await expect(admin.getByRole("heading", { level: 1 }).textContent()).resolves.toBe("MRR of EMEA");
    expect(await admin.getByRole("table").locator("tbody tr").count()).toBeGreaterThan(0);
    await expectFitsPhone(admin);
    await screenshot(admin, "phone-explain");
  });

  it("folds the admin sections behind one button", async () => {
    await admin.goto("/admin/account-types");
    await settled(admin);
    await expectFitsPhone(admin);
    const sections = admin.getByRole("navigation", { name: "Admin sections" });
    await expect(sections.getByRole("link", { name: "Users" }).isVisible()).resolves.toBe(false);
    await screenshot(admin, "phone-admin-account-types");
    await expand(admin, sections.getByRole("button", { name: "Settings" }));
    expect(await onScreen(sections.getByRole("link", { name: "Users" }))).toBe(true);
    await expectFitsPhone(admin);
    await screenshot(admin, "phone-admin-sections");
    await sections.getByRole("link", { name: "Users" }).tap();
    await admin.waitForURL((u) => u.pathname === "/admin/users");
    // Navigating folds the sections away again.
    await expect.poll(() => sections.getByRole("link", { name: "Users" }).isVisible(), { timeout: 10_000 }).toBe(false);
    await expectFitsPhone(admin);
  });
});
