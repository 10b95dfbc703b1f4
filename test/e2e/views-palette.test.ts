/**
 * Saved views, the command palette, the profile's keyboard layer and the leader's home (issue 18),
 * in Chromium against the production build: the palette jumps to an account from part of its name;
 * j / k walk a filtered list and [ / ] the hierarchy (letters typed in a field do nothing); a view
 * Casey shares with the EMEA team opens for Jonas, a private one is refused to him; the leader's
 * home rolls up the accounts Lee leads. Screenshots at 1280 and 390 px (nothing scrolls sideways).
 */
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import pg from "pg";
import type { Browser, Page } from "playwright-core";
import { launchBrowser, newPage, screenshot, signIn } from "../support/browser";

const baseURL = inject("baseURL");
const RUN = Date.now().toString(36).slice(-5);

async function noSidewaysScroll(page: Page): Promise<void> {
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
}

const accountIdOf = (page: Page) => new URL(page.url()).pathname.split("/")[2];

/** Presses `key` once the profile's keys listen for this account, then waits for `done`. */
async function press(page: Page, key: string, done: () => Promise<boolean>): Promise<void> {
  await page.locator(`[data-testid="profile-keys"][data-ready="${accountIdOf(page)}"]`).waitFor({ timeout: 30_000 });
  await page.keyboard.press(key);
  await expect.poll(done, { timeout: 30_000 }).toBe(true);
}

describe("saved views, the command palette and the keyboard", () => {
  let browser: Browser;
  let db: pg.Client;
  let casey: Page;
  const one = async <T extends Record<string, unknown>>(q: string, params: unknown[] = []) => (await db.query<T>(q, params)).rows[0];

  beforeAll(async () => {
    db = new pg.Client({ connectionString: inject("e2eDatabaseUrl") });
    await db.connect();
    browser = await launchBrowser();
    casey = await newPage(baseURL, browser);
    await signIn(casey, baseURL, "csm@demo.test");
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
    await db?.end();
  });

  it("jumps to an account by typing part of its name in the palette (Ctrl+K or the header button)", async () => {
    const target = await one<{ id: string; name: string }>(
      `select a.id, a.name from assignments s join accounts a on a.id = s.account_id join account_types t on t.id = a.type_id
       join users u on u.id = s.user_id where u.email = 'csm@demo.test' and t.key = 'product' order by a.name limit 1`,
    );
    await casey.goto("/accounts");
    const input = casey.locator("[cmdk-input]");
    await casey.locator("[data-testid=palette-button][data-ready]").waitFor();
    await casey.keyboard.press("Control+k");
    await input.waitFor({ timeout: 15_000 });
    await input.fill(target.name.slice(3, 17));
    const option = casey.locator("[cmdk-item]", { hasText: target.name }).first();
    await option.waitFor({ timeout: 15_000 });
    await screenshot(casey, "views-palette");
    await option.click();
    await casey.waitForURL(`**/accounts/${target.id}`);
    // The visible button opens it too, with the profile's quick actions and tabs.
    await casey.getByTestId("palette-button").click();
    await input.waitFor();
    await input.fill("timeline");
    await casey.locator("[cmdk-item]", { hasText: "Timeline tab" }).click();
    await casey.waitForURL(/tab=timeline/);
    await casey.getByTestId("palette-button").click();
    await input.fill("log touch");
    await casey.locator("[cmdk-item]", { hasText: "Log touchpoint" }).click();
    await expect.poll(() => casey.locator("#qa-panel-touchpoint").isVisible()).toBe(true);
    // At 390 px.
    await casey.setViewportSize({ width: 390, height: 800 });
    await casey.goto("/accounts");
    await casey.getByTestId("palette-button").click();
    await input.fill(target.name.slice(3, 17));
    await casey.locator("[cmdk-item]", { hasText: target.name }).first().waitFor();
    await screenshot(casey, "views-palette-390");
    await noSidewaysScroll(casey);
    await casey.keyboard.press("Escape");
    await casey.setViewportSize({ width: 1280, height: 800 });
  });

  it("walks a filtered list with j / k and the hierarchy with [ and ], never while typing", async () => {
    await casey.goto("/accounts?type=product&sort=name");
    const links = casey.locator('table a[href*="list="]');
    await links.nth(2).waitFor();
    const hrefs = await links.evaluateAll((as) => as.slice(0, 3).map((a) => (a as HTMLAnchorElement).getAttribute("href")!));
    const ids = hrefs.map((h) => h.split("?")[0].split("/")[2]);
    await casey.goto(hrefs[0]);
    await press(casey, "j", async () => accountIdOf(casey) === ids[1]);
    await press(casey, "j", async () => accountIdOf(casey) === ids[2]);
    await press(casey, "k", async () => accountIdOf(casey) === ids[1]);
    expect(new URL(casey.url()).searchParams.get("list")).toBe("type=product&sort=name");
    // The visible controls lead to the same places.
    expect(await casey.getByTestId("list-next").getAttribute("href")).toContain(ids[2]);
    // Typing j in a field stays put.
    await casey.locator("#global-search").fill("");
    await casey.locator("#global-search").pressSequentially("jj");
    await casey.waitForTimeout(400);
    expect(accountIdOf(casey)).toBe(ids[1]);
    await casey.locator("#global-search").blur();
    // [ up to the parent, ] down to its first sub-account.
    const parent = await one<{ parent_id: string }>("select parent_id from accounts where id = $1", [ids[1]]);
    const firstChild = await one<{ id: string }>(
      `select a.id from accounts a join account_types t on t.id = a.type_id where a.parent_id = $1 and a.archived_at is null order by t.is_opportunity, a.name limit 1`,
      [parent.parent_id],
    );
    await press(casey, "[", async () => accountIdOf(casey) === parent.parent_id);
    await press(casey, "]", async () => accountIdOf(casey) === firstChild.id);
    // g then t opens the Timeline tab; ? shows every shortcut.
    // Wait for the shortcuts of the page "]" opened before the first key of the pair.
    await casey.locator(`[data-testid="profile-keys"][data-ready="${accountIdOf(casey)}"]`).waitFor({ timeout: 30_000 });
    await casey.keyboard.press("g");
    await press(casey, "t", async () => new URL(casey.url()).searchParams.get("tab") === "timeline");
    const help = casey.getByTestId("shortcut-help");
    await press(casey, "?", () => help.isVisible());
    expect(await help.textContent()).toContain("g then u");
    await screenshot(casey, "views-shortcut-help");
    await casey.setViewportSize({ width: 390, height: 800 });
    await screenshot(casey, "views-shortcut-help-390");
    await noSidewaysScroll(casey);
    await casey.keyboard.press("Escape");
    await casey.setViewportSize({ width: 1280, height: 800 });
  }, 120_000);

  it("opens a view Casey shares with the EMEA team for Jonas, and refuses him her private one", async () => {
    await casey.goto("/accounts?health=poor&sort=-mrr&cols=health,mrr,renewal,a.segment");
    const count = await casey.getByTestId("result-count").textContent();
    const form = casey.getByRole("form", { name: "Save this view" });
    await casey.getByText("Save this view", { exact: true }).click();
    await form.getByLabel("Name").fill(`EMEA at risk ${RUN}`);
    await form.getByLabel("Who sees it").selectOption({ label: "Shared with EMEA" });
    await form.getByRole("button", { name: "Save view" }).click();
    await casey.waitForURL(/\/accounts\?view=/, { timeout: 15_000 });
    const viewUrl = casey.url();
    await casey.getByTestId("current-view").waitFor();
    await screenshot(casey, "views-saved-view");
    await casey.setViewportSize({ width: 390, height: 800 });
    await screenshot(casey, "views-saved-view-390");
    await noSidewaysScroll(casey);
    await casey.setViewportSize({ width: 1280, height: 800 });

    const jonas = await newPage(baseURL, browser);
    await signIn(jonas, baseURL, "jonas.becker@demo.test");
    await jonas.goto(viewUrl);
    expect(await jonas.getByTestId("current-view").textContent()).toContain(`EMEA at risk ${RUN}`);
    // Casey sees her view as shared with EMEA when she comes back to it.
    await casey.reload();
    expect(await casey.locator("#view-teamId").inputValue()).not.toBe("");
    expect(await jonas.getByTestId("result-count").textContent()).toBe(count);
    expect(await jonas.locator("thead").textContent()).toContain("MRR");
    const privateView = await one<{ id: string }>(
      `insert into saved_views (owner_id, name, query) select id, $1, 'user=me' from users where email = 'csm@demo.test' returning id`,
      [`Casey private ${RUN}`],
    );
    await jonas.goto(`/accounts?view=${privateView.id}`);
    await jonas.getByTestId("view-unavailable").waitFor();
    expect(await jonas.content()).not.toContain(`Casey private ${RUN}`);
    await jonas.close();
  });

  it("shows a leader the accounts they lead, rolled up", async () => {
    const lee = await newPage(baseURL, browser);
    await signIn(lee, baseURL, "leader@demo.test");
    await lee.goto("/");
    const home = lee.getByTestId("leader-home");
    await home.waitFor();
    const text = await home.textContent();
    expect(text).toContain("ARR");
    expect(text).toContain("Renewals in the next 90 days");
    expect(text).toContain("Biggest movers since last week");
    const company = await one<{ name: string }>("select name from accounts where depth = 0 order by name limit 1");
    expect(text).toContain(company.name);
    await screenshot(lee, "views-leader-home");
    await lee.setViewportSize({ width: 390, height: 800 });
    await screenshot(lee, "views-leader-home-390");
    await noSidewaysScroll(lee);
    await lee.close();
  });
});
