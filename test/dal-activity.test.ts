import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { eq, sql } from "drizzle-orm";
import { users } from "@/db/schema";
import { findAccount, type AccountSummary } from "@/lib/dal/accounts";
import { campaignsSummary, openTasks, planOf, successPlans } from "@/lib/dal/activity";
import { latestTimeline, timelineFilterOptions, timelinePage, type TimelineEntry } from "@/lib/dal/timeline";
import { loadViewer, type Ctx } from "@/lib/dal/viewer";
import { drivers, openSeededDatabase } from "./support/databases";

type Seeded = Awaited<ReturnType<typeof openSeededDatabase>>;

describe.each(drivers)("activity data-access on %s", (driver) => {
  let seeded: Seeded;
  let admin: Ctx;
  let product: AccountSummary;
  let emea: AccountSummary;

  const ctxFor = async (email: string): Promise<Ctx> => {
    const [user] = await seeded.db.select({ id: users.id }).from(users).where(eq(users.email, email));
    const viewer = await loadViewer(seeded.db, user.id);
    if (!viewer) throw new Error(`no viewer ${email}`);
    return { db: seeded.db, viewer };
  };
  const one = async <T extends Record<string, unknown>>(query: ReturnType<typeof sql>): Promise<T> => {
    const { rows } = await seeded.db.execute(query);
    return rows[0] as T;
  };
  const count = async (query: ReturnType<typeof sql>): Promise<number> => Number((await one<{ n: number }>(query)).n);

  beforeAll(async () => {
    seeded = await openSeededDatabase(driver);
    admin = await ctxFor("admin@demo.test");
    product = (await findAccount(admin, seeded.demo.busiestProductId))!;
    emea = (await findAccount(admin, seeded.demo.emeaRegionId))!;
    expect(product.name).toBe(seeded.demo.busiestProductName);
  });
  afterAll(async () => {
    await seeded?.close();
  });

  it("pages the 2,000-entry product: 40 pages of 50, newest first, page 40 holding the oldest", async () => {
    const first = await timelinePage(admin, product, {});
    expect(first).toMatchObject({ total: 2000, pageCount: 40, page: 1, pageSize: 50 });
    expect(first.entries).toHaveLength(50);
    const times = first.entries.map((e) => e.occurredAt.getTime());
    expect([...times].sort((a, b) => b - a)).toEqual(times);
    expect(first.entries.every((e) => e.accountId === product.id && !e.fromDescendant)).toBe(true);

    const newest = await one<{ id: number }>(
      sql`select id from timeline_entries where account_id = ${product.id} order by occurred_at desc, id desc limit 1`,
    );
    expect(first.entries[0].id).toBe(Number(newest.id));

    const last = await timelinePage(admin, product, { page: 40 });
    expect(last.page).toBe(40);
    expect(last.entries).toHaveLength(50);
    const oldest = await one<{ id: number }>(
      sql`select id from timeline_entries where account_id = ${product.id} order by occurred_at asc, id asc limit 1`,
    );
    expect(last.entries[last.entries.length - 1].id).toBe(Number(oldest.id));
    // No overlap between pages and no gap at the boundary.
    const page39 = await timelinePage(admin, product, { page: 39 });
    expect(page39.entries[49].occurredAt.getTime()).toBeGreaterThanOrEqual(last.entries[0].occurredAt.getTime());
    expect(new Set([...page39.entries, ...last.entries].map((e) => e.id)).size).toBe(100);
  });

  it("falls back to defaults for a page past the end, unknown kinds and malformed filters", async () => {
    const past = await timelinePage(admin, product, { page: 41 });
    expect(past.page).toBe(1);
    expect(past.total).toBe(2000);
    const bogus = await timelinePage(admin, product, { kinds: ["bogus", "DROP TABLE"], author: "not-a-uuid", child: "x", from: "2026-13-45" });
    expect(bogus.total).toBe(2000);
    expect(bogus.filters).toEqual({ kinds: [], author: undefined, child: undefined, from: undefined, to: undefined });
    const strangerAuthor = await timelinePage(admin, product, { author: "00000000-0000-4000-8000-000000000000" });
    expect(strangerAuthor.total).toBe(2000);
  });

  it("filters by kind with the same count as a direct COUNT", async () => {
    for (const kind of ["touchpoint", "task", "campaign"] as const) {
      const page = await timelinePage(admin, product, { kinds: [kind] });
      const direct = await count(sql`select count(*)::int as n from timeline_entries where account_id = ${product.id} and kind = ${kind}`);
      expect(direct, kind).toBeGreaterThan(0);
      expect(page.total, kind).toBe(direct);
      expect(page.entries.every((e) => e.kind === kind), kind).toBe(true);
    }
    const both = await timelinePage(admin, product, { kinds: ["task", "campaign"] });
    const direct = await count(
      sql`select count(*)::int as n from timeline_entries where account_id = ${product.id} and kind in ('task', 'campaign')`,
    );
    expect(both.total).toBe(direct);
    expect(new Set(both.entries.map((e) => e.kind))).toEqual(new Set(["task", "campaign"]));
  });

  it("keeps the snapshot of a touchpoint and of a task as created", async () => {
    const touchpoint = (await timelinePage(admin, product, { kinds: ["touchpoint"] })).entries[0];
    expect(touchpoint.snapshot).toMatchObject({ type: expect.any(String), subject: expect.any(String), body: expect.any(String) });
    expect(Array.isArray(touchpoint.snapshot.participants)).toBe(true);
    expect(touchpoint.actorName).toEqual(expect.any(String));
    const task = (await timelinePage(admin, product, { kinds: ["task"] })).entries[0];
    expect(task.snapshot).toMatchObject({ title: expect.any(String), priority: expect.any(String), status: "open" });
  });

  it("filters by author and offers exactly the users who wrote entries", async () => {
    const options = await timelineFilterOptions(admin, product);
    const authors = await seeded.db.execute<{ id: string }>(
      sql`select distinct actor_id as id from timeline_entries where account_id = ${product.id} and actor_id is not null`,
    );
    expect(options.authors.map((a) => a.id).sort()).toEqual(authors.rows.map((r) => r.id).sort());
    expect(options.children).toEqual([]);

    const casey = seeded.demo.userIds["csm@demo.test"];
    const authored = await count(
      sql`select count(*)::int as n from timeline_entries where account_id = ${product.id} and actor_id = ${casey}`,
    );
    const page = await timelinePage(admin, product, { author: casey });
    expect(page.total).toBe(authored);
    expect(page.entries.length).toBeGreaterThan(0);
    expect(page.entries.every((e) => e.actorId === casey && e.actorName === "Casey CSM")).toBe(true);
  });

  it("filters by an inclusive date range", async () => {
    const page = await timelinePage(admin, product, { from: "2026-10-01", to: "2026-10-31" });
    const direct = await count(sql`select count(*)::int as n from timeline_entries where account_id = ${product.id}
      and occurred_at >= '2026-10-01T00:00:00Z' and occurred_at < '2026-11-01T00:00:00Z'`);
    expect(direct).toBeGreaterThan(0);
    expect(page.total).toBe(direct);
    for (const e of page.entries) {
      expect(e.occurredAt.toISOString() >= "2026-10-01" && e.occurredAt.toISOString() < "2026-11-01").toBe(true);
    }
    const swapped = await timelinePage(admin, product, { from: "2026-10-31", to: "2026-10-01" });
    expect(swapped.total).toBe(direct);
  });

  it("shows child touchpoints and tasks on a region, labelled with their account, filterable by child", async () => {
    // The newest touchpoint logged on a product (not the busiest one) somewhere under EMEA.
    const logged = await one<{ id: number; account_id: string; name: string }>(sql`
      select te.id, te.account_id, a.name from timeline_entries te
      join accounts a on a.id = te.account_id join account_types t on t.id = a.type_id
      join account_closure c on c.descendant_id = a.id and c.ancestor_id = ${emea.id} and c.distance > 0
      where te.kind = 'touchpoint' and t.key = 'product' and a.id <> ${product.id}
      order by te.occurred_at desc limit 1`);
    expect(logged).toBeDefined();

    const region = await timelinePage(admin, emea, { kinds: ["touchpoint"] });
    expect(region.total).toBe(2000); // capped: the busiest product alone has more touchpoints than that
    expect(region.entries.every((e) => e.kind === "touchpoint")).toBe(true);
    const fromChildren = region.entries.filter((e) => e.fromDescendant);
    expect(fromChildren.length).toBeGreaterThan(0);
    expect(fromChildren.every((e) => e.accountId !== emea.id && e.accountName.length > 0)).toBe(true);

    const byChild = await timelinePage(admin, emea, { child: logged.account_id });
    expect(byChild.filters.child).toBe(logged.account_id);
    expect(byChild.entries.map((e) => e.id)).toContain(Number(logged.id));
    expect(byChild.entries.every((e) => e.accountId === logged.account_id && e.accountName === logged.name)).toBe(true);
    expect(byChild.entries.every((e) => e.kind === "touchpoint" || e.kind === "task")).toBe(true);
    const direct = await count(sql`select count(*)::int as n from timeline_entries
      where account_id = ${logged.account_id} and kind in ('touchpoint', 'task')`);
    expect(byChild.total).toBe(direct);

    // Only the region's own entries carry kinds other than touchpoints and tasks.
    const changes = await timelinePage(admin, emea, { kinds: ["lifecycle_change"] });
    expect(changes.entries.every((e) => e.accountId === emea.id)).toBe(true);

    const options = await timelineFilterOptions(admin, emea);
    expect(options.children.map((c) => c.id)).toContain(logged.account_id);

    // A child that is not below this account is ignored rather than emptying the stream.
    const stranger = await timelinePage(admin, emea, { child: seeded.demo.americasRegionId });
    expect(stranger.filters.child).toBeUndefined();
    expect(stranger.total).toBe((await timelinePage(admin, emea, {})).total);
  });

  it("never shows the Americas viewer an entry of an EMEA account on the company timeline", async () => {
    const viewer = await ctxFor("viewer@demo.test");
    const company = (await findAccount(admin, seeded.demo.companyId))!;
    const emeaIds = new Set(
      (
        await seeded.db.execute<{ id: string }>(sql`select descendant_id as id from account_closure where ancestor_id = ${emea.id}`)
      ).rows.map((r) => r.id),
    );
    const seen: TimelineEntry[] = [];
    const first = await timelinePage(viewer, company, {});
    expect(first.total).toBeGreaterThan(0);
    for (let page = 1; page <= first.pageCount; page++) seen.push(...(await timelinePage(viewer, company, { page })).entries);
    expect(seen).toHaveLength(first.total);
    expect(seen.filter((e) => emeaIds.has(e.accountId))).toEqual([]);
    expect(seen.some((e) => e.fromDescendant)).toBe(true);

    // The admin does see EMEA activity there.
    const adminSeen = await timelinePage(admin, company, { child: emea.id });
    expect(adminSeen.entries.some((e) => emeaIds.has(e.accountId))).toBe(true);

    // Asking for an EMEA child explicitly is ignored, and the filter choices hold no EMEA account.
    const crafted = await timelinePage(viewer, company, { child: seeded.demo.busiestProductId });
    expect(crafted.filters.child).toBeUndefined();
    expect(crafted.entries.filter((e) => emeaIds.has(e.accountId))).toEqual([]);
    const options = await timelineFilterOptions(viewer, company);
    expect(options.children.length).toBeGreaterThan(0);
    expect(options.children.filter((c) => emeaIds.has(c.id))).toEqual([]);

    const latest = await latestTimeline(viewer, company, 8);
    expect(latest.filter((e) => emeaIds.has(e.accountId))).toEqual([]);
  });

  it("returns the latest entries for the sidebar", async () => {
    const latest = await latestTimeline(admin, product, 8);
    const page = await timelinePage(admin, product, {});
    expect(latest.map((e) => e.id)).toEqual(page.entries.slice(0, 8).map((e) => e.id));
  });

  it("lists open tasks soonest due first, with assignee and the right total", async () => {
    const { tasks, total } = await openTasks(admin, product, 500);
    const direct = await count(
      sql`select count(*)::int as n from tasks where account_id = ${product.id} and status in ('open', 'in_progress')`,
    );
    expect(direct).toBeGreaterThan(0);
    expect(total).toBe(direct);
    expect(tasks).toHaveLength(direct);
    expect(tasks.every((t) => t.status === "open" || t.status === "in_progress")).toBe(true);
    const dues = tasks.map((t) => t.dueDate ?? "9999-12-31");
    expect([...dues].sort()).toEqual(dues);
    expect(tasks.every((t) => t.assigneeName)).toBe(true);
    const limited = await openTasks(admin, product, 3);
    expect(limited.tasks.map((t) => t.id)).toEqual(tasks.slice(0, 3).map((t) => t.id));
    expect(limited.total).toBe(direct);
  });

  it("gives the Plan tab open tasks first, done ones only when asked, and success plans with progress", async () => {
    const open = await planOf(admin, product);
    const all = await planOf(admin, product, { includeDone: true });
    const counts = await one<{ open: number; closed: number }>(sql`select
      count(*) filter (where status in ('open', 'in_progress'))::int as open,
      count(*) filter (where status in ('done', 'cancelled'))::int as closed
      from tasks where account_id = ${product.id}`);
    expect(open.tasks).toHaveLength(Number(counts.open));
    expect(open.openCount).toBe(Number(counts.open));
    expect(open.doneCount).toBe(Number(counts.closed));
    expect(all.tasks).toHaveLength(Number(counts.open) + Number(counts.closed));
    const firstClosed = all.tasks.findIndex((t) => t.status === "done" || t.status === "cancelled");
    expect(all.tasks.slice(firstClosed).every((t) => t.status === "done" || t.status === "cancelled")).toBe(true);

    expect(open.plans.length).toBe(2);
    for (const plan of open.plans) {
      expect(plan.objectives.length).toBeGreaterThanOrEqual(2);
      const average = Math.round(plan.objectives.reduce((s, o) => s + o.progress, 0) / plan.objectives.length);
      expect(plan.progress).toBe(average);
      for (const o of plan.objectives) {
        const direct = await count(sql`select count(*)::int as n from tasks where objective_id = ${o.id} and status <> 'cancelled'`);
        expect(o.tasksTotal).toBe(direct);
        expect((all.tasksByObjective[o.id] ?? []).filter((t) => t.status !== "cancelled")).toHaveLength(direct);
      }
    }
    const widget = await successPlans(admin, product);
    expect(widget.map((p) => p.id).sort()).toEqual(open.plans.filter((p) => p.status !== "archived").map((p) => p.id).sort());
  });

  it("summarises campaigns sent to the account's contacts", async () => {
    const summary = await campaignsSummary(admin, product, 10);
    const direct = await seeded.db.execute<{ name: string; sent: number; opened: number; clicked: number }>(sql`
      select c.name, count(*)::int as sent, count(s.opened_at)::int as opened, count(s.clicked_at)::int as clicked
      from campaign_sends s join campaigns c on c.id = s.campaign_id
      where s.account_id = ${product.id} group by c.id, c.name order by min(s.sent_at) desc`);
    expect(direct.rows.length).toBeGreaterThan(0);
    expect(summary.total).toBe(direct.rows.length);
    expect(summary.campaigns.map((c) => ({ name: c.name, sent: c.sent, opened: c.opened, clicked: c.clicked }))).toEqual(
      direct.rows.map((r) => ({ name: r.name, sent: Number(r.sent), opened: Number(r.opened), clicked: Number(r.clicked) })),
    );
    expect(summary.totals.sent).toBe(direct.rows.reduce((s, r) => s + Number(r.sent), 0));
  });
});
