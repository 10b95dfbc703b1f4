/**
 * Issue 16 in Chromium as Casey (csm@demo.test) on an assigned product: a stage change from the
 * Status widget (with a note) shows the new stage and the time in it, appears on the timeline and
 * switches the layout chosen by stage on the next request; completing a task linked to an
 * objective moves the Plan tab's progress; the success-unit strip shows the worker's colours, also
 * 390 px wide without sideways scrolling.
 */
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import pg from "pg";
import type { Browser, Locator, Page } from "playwright-core";
import { launchBrowser, newPage, screenshot, signIn } from "../support/browser";

const baseURL = inject("baseURL");
const RUN = Date.now().toString(36).slice(-6);

describe("lifecycles that move and plans that progress", () => {
  let browser: Browser;
  let page: Page;
  let db: pg.Client;
  let productId: string;
  let layoutId: string | null = null;
  let target: { id: string; key: string; name: string };

  const ready = async () => {
    await page.waitForLoadState("networkidle");
    await expect.poll(() => page.locator("[aria-busy=true]").count(), { timeout: 30_000 }).toBe(0);
  };
  const profile = async (query = "") => {
    await page.goto(`${baseURL}/accounts/${productId}${query}`);
    await ready();
  };
  const widget = (id: string): Locator => page.locator(`section[aria-labelledby="w-${id}"]`);
  const tabs = () => page.getByRole("navigation", { name: "Profile tabs" }).getByRole("link").allInnerTexts();

  beforeAll(async () => {
    browser = await launchBrowser();
    page = await newPage(baseURL, browser);
    await signIn(page, baseURL, "csm@demo.test");
    db = new pg.Client({ connectionString: inject("e2eDatabaseUrl") });
    await db.connect();
    const product = await db.query(`
      select x.id, x.type_id from assignments a join accounts x on x.id = a.account_id join account_types t on t.id = x.type_id
      join users u on u.id = a.user_id where u.email = 'csm@demo.test' and t.key = 'product' and x.archived_at is null order by x.name limit 1`);
    productId = product.rows[0].id;
    // A stage the product is not at, and a layout chosen by that stage (its Overview tab says so).
    const stage = await db.query(
      `select s.id, s.key, s.name from lifecycle_stages s join lifecycles l on l.id = s.lifecycle_id where l.key = 'journey' and s.archived_at is null
       and s.id not in (select stage_id from account_stages where account_id = $1) order by s.position desc limit 1`,
      [productId],
    );
    target = stage.rows[0];
    const base = await db.query("select definition from layouts where account_type_id = $1 and status = 'published' order by priority limit 1", [product.rows[0].type_id]);
    const definition = base.rows[0].definition as { tabs: { kind: string; label: string }[] };
    for (const tab of definition.tabs) if (tab.kind === "overview") tab.label = `In ${target.name} ${RUN}`;
    const layout = await db.query(
      `insert into layouts (name, account_type_id, status, priority, criteria, definition) values ($1, $2, 'published', -1000, $3, $4) returning id`,
      [`E2E stage layout ${RUN}`, product.rows[0].type_id, JSON.stringify([{ kind: "stage", lifecycleKey: "journey", stageKey: target.key }]), JSON.stringify(definition)],
    );
    layoutId = layout.rows[0].id;
  });
  afterAll(async () => {
    if (layoutId) await db.query("delete from layouts where id = $1", [layoutId]);
    await db?.end();
    await browser?.close();
  });

  it("moves the stage from the Status widget: new stage and time in it, on the timeline, and the stage's layout on the next request", async () => {
    await profile();
    expect(await tabs()).not.toContain(`In ${target.name} ${RUN}`);
    const status = widget("status");
    const journey = status.getByTestId("lifecycle-journey");
    await journey.getByText("Change stage").click();
    const form = journey.getByRole("form", { name: /Change the .* stage/ });
    await form.getByLabel("New stage").selectOption(target.id);
    await form.getByLabel(/Note/).fill(`Signed the renewal ${RUN}`);
    await form.getByRole("button", { name: "Move" }).click();
    await journey.getByRole("status").filter({ hasText: `Moved to “${target.name}”.` }).waitFor({ timeout: 30_000 });
    await expect.poll(() => journey.getByTestId("stage-journey").innerText()).toBe(target.name);
    expect(await journey.getByTestId("stage-since-journey").innerText()).toMatch(/^less than an hour in stage · since /);
    await journey.getByText(/^Stage history/).click();
    expect(await journey.getByTestId("stage-history-journey").locator("li").first().innerText()).toContain(`Signed the renewal ${RUN}`);
    await status.screenshot({ path: await screenshot(page, "lifecycle-status-widget").then((f) => f.replace(/\.png$/, "-crop.png")) });
    // The next request chooses the layout for the new stage.
    await profile();
    expect(await tabs()).toContain(`In ${target.name} ${RUN}`);
    await profile("?tab=timeline");
    const first = page.getByTestId("timeline-entry").first();
    expect(await first.innerText()).toContain(`→ ${target.name}`);
  });

  it("moves the Plan tab's progress when a linked task is completed", async () => {
    const user = await db.query("select id from users where email = 'csm@demo.test'");
    const plan = await db.query("insert into success_plans (account_id, name, status, created_by) values ($1, $2, 'active', $3) returning id", [productId, `E2E plan ${RUN}`, user.rows[0].id]);
    const objective = await db.query("insert into objectives (plan_id, title, progress) values ($1, $2, 0) returning id", [plan.rows[0].id, `Adopt reports ${RUN}`]);
    for (const title of [`Workshop ${RUN}`, `Guide ${RUN}`]) {
      await db.query("insert into tasks (account_id, title, objective_id, assignee_id, created_by) values ($1, $2, $3, $4, $4)", [productId, title, objective.rows[0].id, user.rows[0].id]);
    }
    await profile("?tab=plan");
    const card = page.getByTestId("objective").filter({ hasText: `Adopt reports ${RUN}` });
    expect(await card.getByTestId("objective-progress").innerText()).toMatch(/^0 % · 0 of 2 tasks done/);
    await page.getByRole("button", { name: `Done: Workshop ${RUN}` }).click();
    await expect.poll(() => card.getByTestId("objective-progress").innerText(), { timeout: 30_000 }).toMatch(/^50 % · 1 of 2 tasks done/);
    await card.screenshot({ path: (await screenshot(page, "lifecycle-plan-tab")).replace(/\.png$/, "-objective.png") });
  });

  it("shows the success-unit strip coloured by the worker, also on a phone", async () => {
    const modules = await db.query(`
      select m.id, m.key from usage_modules m where exists (select 1 from usage_daily d where d.account_id = $1 and d.module_id = m.id) order by m.position limit 3`, [productId]);
    expect(modules.rows.length).toBeGreaterThan(0);
    for (const m of modules.rows) {
      await db.query("insert into success_unit_thresholds (module_id, amber_min, green_min) values ($1, 1, 3) on conflict (module_id) do update set amber_min = 1, green_min = 3", [m.id]);
    }
    await db.query("insert into success_unit_queue (account_id) values ($1) on conflict do nothing", [productId]);
    await expect
      .poll(async () => Number((await db.query("select count(*) from success_units where account_id = $1", [productId])).rows[0].count), { timeout: 30_000 })
      .toBe(modules.rows.length);
    await profile();
    const strip = widget("success-units").getByTestId("success-unit-strip");
    expect(await strip.locator("li").count()).toBe(modules.rows.length);
    for (const li of await strip.locator("li").all()) expect(["red", "amber", "green"]).toContain(await li.getAttribute("data-colour"));
    await widget("success-units").screenshot({ path: (await screenshot(page, "lifecycle-success-units")).replace(/\.png$/, "-widget.png") });
    await page.setViewportSize({ width: 390, height: 900 });
    await profile();
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    await widget("success-units").screenshot({ path: (await screenshot(page, "lifecycle-success-units-390")).replace(/\.png$/, "-widget.png") });
    await widget("status").screenshot({ path: (await screenshot(page, "lifecycle-status-390")).replace(/\.png$/, "-widget.png") });
    await page.setViewportSize({ width: 1280, height: 900 });
  });
});
