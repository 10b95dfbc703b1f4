/**
 * Mentions, follows and notifications in Chromium against the production build (issue 18). The
 * e2e server mails through a real SMTP server on loopback (test/e2e/global-setup.ts keeps each mail
 * in `e2eMailDir`; parsed here with mailparser).
 *
 * - Casey @mentions the leader in a note (the editor offers only colleagues who can see the account
 *   and refuses the viewer, who cannot); the leader's bell shows it, the inbox lists it, and the
 *   mail arrives at the SMTP server.
 * - The leader follows the Americas region "and everything below it"; a band change on a product
 *   below it (emitted here, as the health engine would) reaches the leader's inbox.
 * Screenshots: screenshots/notifications-*.png (the inbox also at 390 px wide).
 */
import path from "node:path";
import { sql } from "drizzle-orm";
import pg from "pg";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { openDatabase, type DatabaseHandle } from "@/db/client";
import { emitEvent } from "@/lib/events/emit";
import { launchBrowser, SCREENSHOT_DIR, screenshot, signIn } from "../support/browser";
import { receivedMail } from "../support/smtp-sink";

const baseURL = inject("baseURL");
const PHONE = { width: 390, height: 844 };

type Named = { id: string; name: string };

describe("mentions, follows and the inbox", () => {
  let browser: Browser;
  let db: pg.Client;
  let handle: DatabaseHandle;
  let casey: Named;
  let leader: Named;
  let viewer: Named;
  let product: Named;
  let americas: Named;
  let americasProduct: Named;

  async function pageAs(email: string, viewport = { width: 1280, height: 800 }): Promise<Page> {
    const context = await browser.newContext({ baseURL, viewport });
    const page = await context.newPage();
    await signIn(page, baseURL, email);
    return page;
  }

  const one = async <T,>(query: string, params: unknown[] = []): Promise<T> => {
    const [row] = (await db.query(query, params)).rows;
    if (!row) throw new Error(`no row: ${query}`);
    return row as T;
  };

  beforeAll(async () => {
    const databaseUrl = inject("e2eDatabaseUrl");
    if (!databaseUrl) throw new Error(`the e2e app server did not start:\n${inject("e2eServerError")}`);
    db = new pg.Client({ connectionString: databaseUrl });
    await db.connect();
    handle = await openDatabase({ driver: "pg", url: databaseUrl, poolSize: 2 });
    casey = await one("select id, name from users where email = 'csm@demo.test'");
    leader = await one("select id, name from users where email = 'leader@demo.test'");
    viewer = await one("select id, name from users where email = 'viewer@demo.test'");
    // An EMEA product Casey works on (the viewer, Americas only, cannot see it).
    product = await one(
      `select a.id, a.name from accounts a join account_types t on t.id = a.type_id join assignments s on s.account_id = a.id and s.user_id = $1
       join account_closure c on c.descendant_id = a.id join accounts r on r.id = c.ancestor_id and r.name = 'EMEA'
       where t.key = 'product' and a.archived_at is null order by a.name limit 1`,
      [casey.id],
    );
    americas = await one("select id, name from accounts where name = 'Americas'");
    americasProduct = await one(
      `select a.id, a.name from accounts a join account_types t on t.id = a.type_id join account_closure c on c.descendant_id = a.id
       where c.ancestor_id = $1 and t.key = 'product' and a.archived_at is null order by a.name limit 1`,
      [americas.id],
    );
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await handle?.close();
    await db?.end();
  });

  it("a mention reaches the colleague's bell, inbox and mailbox; someone who cannot see the account is refused in the editor", async () => {
    const page = await pageAs("csm@demo.test");
    await page.goto(`/accounts/${product.id}`);
    await page.waitForLoadState("networkidle");
    const button = page.getByRole("group", { name: "Actions" }).getByRole("button", { name: "Log touchpoint", exact: true });
    const form = page.locator("#qa-panel-touchpoint");
    // Retry the click until the client has hydrated.
    for (let attempt = 0; attempt < 20 && (await button.getAttribute("aria-expanded")) !== "true"; attempt++) {
      await button.click();
      await page.waitForTimeout(250);
    }
    await form.waitFor({ state: "visible" });
    await form.getByLabel("Type").selectOption("note");
    const subject = `Renewal prep ${Date.now()}`;
    await form.getByLabel("Subject").fill(subject);
    const notes = form.getByRole("textbox", { name: "Notes" });
    // The viewer cannot see this EMEA product: not offered, and the editor says why.
    await notes.pressSequentially(`Quick one @${viewer.name.split(" ")[0]}`);
    await form.getByTestId("mention-refused").waitFor();
    expect(await form.getByTestId("mention-refused").textContent()).toContain("only they can be mentioned here");
    await notes.fill("");
    await notes.pressSequentially(`Can you join the call? @${leader.name.slice(0, 3)}`);
    const option = form.getByRole("option", { name: `@${leader.name}` });
    await option.waitFor();
    await form.screenshot({ path: path.join(SCREENSHOT_DIR, "notifications-mention-editor.png") });
    await notes.press("Enter");
    await expect.poll(() => notes.inputValue()).toBe(`Can you join the call? @${leader.name} `);
    await form.getByRole("button", { name: "Log touchpoint" }).click();
    await form.getByRole("status").filter({ hasText: "Touchpoint logged" }).waitFor({ timeout: 30_000 });
    // Stored as the leader's id, shown as the name.
    const stored = await one<{ body: string }>("select body from touchpoints where subject = $1", [subject]);
    expect(stored.body).toBe(`Can you join the call? <@${leader.id}>`);
    await page.context().close();

    const inbox = await pageAs("leader@demo.test");
    await inbox.goto("/");
    const bell = inbox.getByTestId("notification-bell");
    await expect.poll(async () => (await bell.getAttribute("aria-label")) ?? "").toMatch(/^Notifications, \d+ unread$/);
    expect(Number(await inbox.getByTestId("notification-count").textContent())).toBeGreaterThanOrEqual(1);
    await bell.click();
    await inbox.waitForURL("**/notifications");
    const title = `${casey.name} mentioned you in a note on ${product.name}`;
    const item = inbox.getByTestId("inbox-item").filter({ hasText: title }).first();
    await item.waitFor();
    expect(await item.getAttribute("data-read")).toBe("false");
    expect(await item.textContent()).toContain(`Can you join the call? @${leader.name}`);
    await screenshot(inbox, "notifications-inbox");

    // The loopback SMTP server receives the mail, sent by the server's mail worker.
    const dir = inject("e2eMailDir");
    let mail: Awaited<ReturnType<typeof receivedMail>>[number] | undefined;
    await expect
      .poll(
        async () => {
          mail = (await receivedMail(dir)).find((m) => m.subject === title);
          return Boolean(mail);
        },
        { timeout: 30_000, interval: 500 },
      )
      .toBe(true);
    expect(mail!.to && !Array.isArray(mail!.to) ? mail!.to.text : "").toBe("leader@demo.test");
    expect(mail!.text).toContain(`Can you join the call? @${leader.name}`);
    expect(mail!.text).toContain(`/accounts/${product.id}`);
    await inbox.context().close();
    // Two sign-ins, a profile, a touchpoint and the mail worker's pass: slow on a busy machine.
  }, 150_000);

  it("following a region and everything below it: a band change on a product below reaches the follower", async () => {
    const page = await pageAs("leader@demo.test");
    await page.goto(`/accounts/${americas.id}`);
    await page.waitForLoadState("networkidle");
    const follow = page.getByTestId("follow");
    await follow.getByLabel("and everything below it").check();
    await follow.getByRole("button", { name: "Follow" }).click();
    await follow.getByTestId("follow-state").filter({ hasText: "You follow this account and everything below it." }).waitFor({ timeout: 30_000 });

    // The health engine's event, emitted here in a transaction of its own.
    await handle.db.transaction((tx) =>
      emitEvent(tx, { type: "health.band_changed", accountId: americasProduct.id, actorId: null, data: { from: "good", to: "poor", score: 28, dimensions: ["usage", "support"] } }),
    );
    const rows = await handle.db.execute<{ n: number }>(sql`select count(*)::int as n from notifications where user_id = ${leader.id}::uuid and kind = 'health.band_changed' and account_id = ${americasProduct.id}::uuid`);
    expect(rows.rows[0].n).toBe(1);

    await page.goto("/notifications");
    const item = page.getByTestId("inbox-item").filter({ hasText: `${americasProduct.name}: health fell from Good to Poor` }).first();
    await item.waitFor();
    expect(await item.textContent()).toContain("Score 28. Driven by usage, support.");
    const unreadBefore = Number((await page.getByTestId("notification-count").textContent()) ?? "0");
    await item.getByRole("button", { name: /^Mark read/ }).click();
    await expect.poll(async () => item.getAttribute("data-read")).toBe("true");
    await expect.poll(async () => Number((await page.getByTestId("notification-count").textContent().catch(() => "0")) ?? "0")).toBe(unreadBefore - 1);
    await screenshot(page, "notifications-inbox-after");

    // On a phone: the bell stays in the bar, the inbox fits 390 px.
    const phone = await browser.newContext({ baseURL, viewport: PHONE, screen: PHONE, deviceScaleFactor: 2, isMobile: true, hasTouch: true });
    const small = await phone.newPage();
    await signIn(small, baseURL, "leader@demo.test");
    await small.goto("/notifications");
    await small.getByTestId("inbox-item").first().waitFor();
    expect(await small.getByTestId("notification-bell").isVisible()).toBe(true);
    expect(await small.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(PHONE.width);
    await screenshot(small, "notifications-inbox-phone");
    await small.getByRole("button", { name: "Mark all read" }).click();
    await small.getByTestId("inbox-unread").filter({ hasText: "All read" }).waitFor();
    expect(await small.getByTestId("notification-count").count()).toBe(0);
    await phone.close();
    await page.context().close();
  }, 150_000);
  it("reassigning a task on its page tells the new assignee; a leader's home lists their open tasks and the week's stage moves", async () => {
    const title = `Prepare the QBR deck ${Date.now()}`;
    const task = await one<{ id: string }>("insert into tasks (account_id, title, priority, assignee_id, created_by) values ($1, $2, 'high', $3, $3) returning id", [product.id, title, casey.id]);
    // A stage change of this week on the product (as the lifecycle writers record it).
    const stage = await one<{ lifecycle_id: string; id: string; name: string; from_id: string | null }>(
      `select s.lifecycle_id, s.id, s.name, (select st.stage_id from account_stages st where st.account_id = $1 and st.lifecycle_id = s.lifecycle_id) as from_id
       from lifecycle_stages s where s.archived_at is null and s.id not in (select stage_id from account_stages where account_id = $1) order by s.position desc limit 1`,
      [product.id],
    );
    await db.query("insert into stage_changes (account_id, lifecycle_id, from_stage_id, to_stage_id, changed_by, changed_at) values ($1, $2, $3, $4, $5, now())", [product.id, stage.lifecycle_id, stage.from_id, stage.id, casey.id]);

    const page = await pageAs("csm@demo.test");
    await page.goto(`/accounts/${product.id}/tasks/${task.id}`);
    await page.waitForLoadState("networkidle");
    const form = page.getByRole("form", { name: "Reassign the task" });
    await form.getByLabel("Assignee").selectOption(leader.id);
    await form.getByRole("button", { name: "Reassign" }).click();
    await form.getByRole("status").filter({ hasText: `is now ${leader.name}'s` }).waitFor({ timeout: 30_000 });
    expect((await one<{ assignee_id: string }>("select assignee_id from tasks where id = $1", [task.id])).assignee_id).toBe(leader.id);
    await page.context().close();

    const lee = await pageAs("leader@demo.test");
    await lee.goto("/");
    const home = lee.getByTestId("leader-home");
    await home.waitFor();
    // The leadership view stays, with the leader's own open tasks and the stage move among the movers.
    expect(await home.textContent()).toContain("Biggest movers since last week");
    await home.getByTestId("my-task").filter({ hasText: title }).waitFor();
    const moved = home.getByTestId("stage-mover").filter({ hasText: product.name }).first();
    await moved.waitFor();
    expect(await moved.textContent()).toContain(stage.name);
    await screenshot(lee, "notifications-leader-home");
    await lee.goto("/notifications");
    await lee.getByTestId("inbox-item").filter({ hasText: `${casey.name} assigned you a task on ${product.name}` }).first().waitFor();
    await lee.context().close();
  }, 120_000);
});
