import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { eq, sql } from "drizzle-orm";
import { users } from "@/db/schema";
import { findAccount, type AccountSummary } from "@/lib/dal/accounts";
import { healthHistory, healthOf, summarizeWeeks } from "@/lib/dal/health";
import { bucketStarts, childLeaderboard, lastDays, topUsers, usageSeries, usageWindowFor, valueMetrics } from "@/lib/dal/usage";
import { loadViewer, type Ctx } from "@/lib/dal/viewer";
import { parseProfileQuery } from "@/lib/profile/query";
import { rebuildUserWindows, utcToday } from "@/lib/rollups/rebuild";
import { demoNow, drivers, openSeededDatabase } from "./support/databases";

type Seeded = Awaited<ReturnType<typeof openSeededDatabase>>;

describe.each(drivers)("health and usage data on %s", (driver) => {
  let seeded: Seeded;
  let admin: Ctx;
  const ctxFor = async (email: string): Promise<Ctx> => {
    const [user] = await seeded.db.select({ id: users.id }).from(users).where(eq(users.email, email));
    const viewer = await loadViewer(seeded.db, user.id);
    if (!viewer) throw new Error(`no viewer ${email}`);
    return { db: seeded.db, viewer };
  };
  const account = async (id: string): Promise<AccountSummary> => {
    const found = await findAccount(admin, id);
    if (!found) throw new Error(`no account ${id}`);
    return found;
  };
  const rows = async <T>(query: ReturnType<typeof sql>): Promise<T[]> => (await seeded.db.execute(query)).rows as T[];

  beforeAll(async () => {
    seeded = await openSeededDatabase(driver);
    admin = await ctxFor("admin@demo.test");
  });
  afterAll(async () => {
    await seeded?.close();
  });

  it("gives the busiest product a snapshot in each of the last 52 weeks and its scheme's dimensions", async () => {
    const product = await account(seeded.demo.busiestProductId);
    const weeks = await healthHistory(admin, product, 52, demoNow());
    expect(weeks).toHaveLength(52);
    expect(weeks.filter((w) => w.band !== null)).toHaveLength(52);
    // Consecutive Mondays ending with the week of "now" (the demo clock is a Monday).
    expect(weeks[51].weekStart).toBe(demoNow().toISOString().slice(0, 10));
    for (let i = 1; i < weeks.length; i++) {
      expect(Date.parse(weeks[i].weekStart) - Date.parse(weeks[i - 1].weekStart)).toBe(7 * 86_400_000);
    }
    const [{ n }] = await rows<{ n: number }>(sql`select count(*)::int as n from health_snapshots
      where account_id = ${product.id}::uuid and week_start > ${weeks[0].weekStart}::date - 7 and week_start <= ${weeks[51].weekStart}::date`);
    expect(Number(n)).toBe(52);

    const health = await healthOf(admin, product);
    expect(health.latest).not.toBeNull();
    expect(health.latest!.weekStart).toBe(weeks[51].weekStart);
    expect(health.latest!.score).toBeCloseTo(weeks[51].score!, 5);
    expect(health.latest!.band).toBe(weeks[51].band);
    const labels = await rows<{ label: string }>(sql`select d.label from health_dimensions d
      join health_schemes s on s.id = d.scheme_id where s.account_type_id = ${product.typeId}::uuid order by d.position`);
    expect(labels.length).toBeGreaterThan(0);
    expect(health.dimensions.map((d) => d.label)).toEqual(labels.map((l) => l.label));
    expect(health.dimensions.every((d) => d.band !== null && d.score !== null)).toBe(true);
    // Nothing scored below a product (at most an opportunity): no health mix.
    expect(health.mix).toBeNull();
  });

  it("reports the upsell weeks with their amounts", async () => {
    const product = await account(seeded.demo.busiestProductId);
    const weeks = await healthHistory(admin, product, 52, demoNow());
    const upsells = weeks.filter((w) => w.upsell);
    const expected = await rows<{ week: string; amount: string | null }>(sql`select week_start::text as week, upsell_amount::text as amount
      from health_snapshots where account_id = ${product.id}::uuid and upsell
        and week_start >= ${weeks[0].weekStart}::date and week_start <= ${weeks[51].weekStart}::date order by week_start`);
    expect(expected.length).toBeGreaterThan(0);
    expect(upsells.map((w) => w.weekStart)).toEqual(expected.map((e) => e.week));
    expect(upsells.map((w) => w.upsellAmount)).toEqual(expected.map((e) => (e.amount == null ? null : Number(e.amount))));
    const summary = summarizeWeeks(weeks);
    expect(summary.upsells).toBe(expected.length);
    expect(summary.good + summary.average + summary.poor + summary.missing).toBe(52);
  });

  it("gives a parent the health mix of the accounts below it, rolled up", async () => {
    const company = await account(seeded.demo.companyId);
    const health = await healthOf(admin, company);
    expect(health.mix).not.toBeNull();
    const [expected] = await rows<{ good: number; average: number; poor: number; below: number }>(sql`
      with latest as (select distinct on (account_id) account_id, band from health_snapshots order by account_id, week_start desc)
      select count(*) filter (where l.band = 'good')::int as good, count(*) filter (where l.band = 'average')::int as average,
        count(*) filter (where l.band = 'poor')::int as poor, count(*)::int as below
      from account_closure c join accounts a on a.id = c.descendant_id and a.archived_at is null
      left join latest l on l.account_id = c.descendant_id
      where c.ancestor_id = ${company.id}::uuid and c.distance > 0`);
    expect(health.mix).toEqual({ good: expected.good, average: expected.average, poor: expected.poor, descendants: expected.below });
    expect(expected.good + expected.average + expected.poor).toBeGreaterThan(0);
  });

  it("computes the busiest product's value metrics exactly like a sum over the raw events", async () => {
    const product = await account(seeded.demo.busiestProductId);
    const window = lastDays(30, demoNow());
    const metrics = await valueMetrics(admin, product, window, 1000);
    const range = sql`e.occurred_at >= ${window.since.toISOString()}::timestamptz and e.occurred_at < ${window.until.toISOString()}::timestamptz`;
    const [{ total }] = await rows<{ total: string }>(
      sql`select coalesce(sum(e.count), 0)::text as total from usage_events e where e.account_id = ${product.id}::uuid and ${range}`,
    );
    expect(Number(total)).toBeGreaterThan(0);
    expect(metrics.total).toBe(Number(total));
    // Its only account below is an opportunity, which has no usage: the figures are its own.
    const [{ below, belowEvents }] = await rows<{ below: number; belowEvents: string }>(
      sql`select count(distinct c.descendant_id)::int as below, coalesce(sum(e.count), 0)::text as "belowEvents"
        from account_closure c left join usage_events e on e.account_id = c.descendant_id and ${range}
        where c.ancestor_id = ${product.id}::uuid and c.distance > 0`,
    );
    expect(Number(below)).toBeGreaterThan(0);
    expect(Number(belowEvents)).toBe(0);
    expect(metrics.descendants).toBe(0);

    const byModule = await rows<{ key: string; events: string }>(sql`select m.key, sum(e.count)::text as events
      from usage_events e join usage_modules m on m.id = e.module_id where e.account_id = ${product.id}::uuid and ${range} group by m.key`);
    expect(Object.fromEntries(metrics.topModules.map((m) => [m.key, m.events]))).toEqual(
      Object.fromEntries(byModule.map((m) => [m.key, Number(m.events)])),
    );
    const byActivity = await rows<{ id: string; events: string }>(sql`select e.activity_id::text as id, sum(e.count)::text as events
      from usage_events e where e.account_id = ${product.id}::uuid and ${range} group by e.activity_id`);
    expect(Object.fromEntries(metrics.topActivities.map((a) => [a.id, a.events]))).toEqual(
      Object.fromEntries(byActivity.map((a) => [a.id, Number(a.events)])),
    );
    const byUser = await rows<{ id: string; events: string; last: string }>(sql`select e.contact_id::text as id, sum(e.count)::text as events,
        max((e.occurred_at at time zone 'UTC')::date)::text as last
      from usage_events e where e.account_id = ${product.id}::uuid and e.contact_id is not null and ${range} group by e.contact_id`);
    expect(byUser.length).toBeGreaterThan(0);
    expect(Object.fromEntries(metrics.topUsers.map((u) => [u.contactId, [u.events, u.lastActive]]))).toEqual(
      Object.fromEntries(byUser.map((u) => [u.id, [Number(u.events), u.last]])),
    );
    // Ranked: most events first, and the default cut keeps the head of the same ranking.
    const events = metrics.topUsers.map((u) => u.events);
    expect(events).toEqual([...events].sort((a, b) => b - a));
    const top5 = await valueMetrics(admin, product, window);
    expect(top5.topUsers).toEqual(metrics.topUsers.slice(0, 5));

    // The usage tab's series add up to the same totals, day by day.
    const series = await usageSeries(admin, product, { ...window, bucket: "day" });
    expect(series.points).toHaveLength(30);
    expect(series.total).toBe(Number(total));
    for (const module of series.modules) {
      expect(module.values.reduce((a, b) => a + b, 0)).toBe(module.total);
      expect(module.total).toBe(Number(byModule.find((m) => m.key === module.key)!.events));
    }
  });

  it("rolls a region's module totals up from every account below it", async () => {
    const region = await account(seeded.demo.emeaRegionId);
    const window = lastDays(90, demoNow());
    const metrics = await valueMetrics(admin, region, window, 1000);
    const expected = await rows<{ key: string; events: string }>(sql`select m.key, sum(e.count)::text as events
      from account_closure c
      join usage_events e on e.account_id = c.descendant_id
      join usage_modules m on m.id = e.module_id
      where c.ancestor_id = ${region.id}::uuid
        and e.occurred_at >= ${window.since.toISOString()}::timestamptz and e.occurred_at < ${window.until.toISOString()}::timestamptz
      group by m.key`);
    expect(expected.length).toBeGreaterThan(0);
    expect(Object.fromEntries(metrics.topModules.map((m) => [m.key, m.events]))).toEqual(
      Object.fromEntries(expected.map((m) => [m.key, Number(m.events)])),
    );
    expect(metrics.descendants).toBeGreaterThan(0);
    // Breakdowns by user/activity (joined through the closure) agree with the rolled-up total.
    const activityTotal = (await valueMetrics(admin, region, window, 100_000)).topActivities.reduce((a, b) => a + b.events, 0);
    expect(activityTotal).toBe(metrics.total);

    // Weekly series of the region sum to the same module totals.
    const series = await usageSeries(admin, region, { ...window, bucket: "week" });
    expect(Object.fromEntries(series.modules.map((m) => [m.key, m.total]))).toEqual(
      Object.fromEntries(expected.map((m) => [m.key, Number(m.events)])),
    );
    expect(series.points.every((p) => new Date(`${p}T00:00:00Z`).getUTCDay() === 1)).toBe(true);
  });

  // Rebuilding the user windows of the whole demo tree first takes a while on PGlite: a longer timeout.
  it("reads a parent's top end users over the trailing 7/30/90 days from the precomputed windows, equal to the raw events", async () => {
    const company = await account(seeded.demo.companyId);
    // The demo data ends on demoNow(), so "today" is that day, not the clock's (windows ending on the
    // clock's day are empty or partly empty, and would compare nothing with nothing). The seed built
    // the windows on the clock's day: rebuild them 3 days before the data's today, so the first read
    // also slides them forward to it.
    const asOf = demoNow();
    const threeDaysBefore = utcToday(new Date(asOf.getTime() - 3 * 86_400_000));
    await rebuildUserWindows(seeded.db, threeDaysBefore);
    const topUsersOf = async (ctx: Ctx, root: AccountSummary, days: number, scope?: string) => {
      const window = lastDays(days, asOf);
      const brute = await rows<{ id: string; events: string; last: string }>(sql`
        select e.contact_id::text as id, sum(e.count)::text as events, max((e.occurred_at at time zone 'UTC')::date)::text as last
        from account_closure c join usage_events e on e.account_id = c.descendant_id
        where c.ancestor_id = ${root.id}::uuid and e.contact_id is not null
          and ${scope ? sql`c.descendant_id in (select descendant_id from account_closure where ancestor_id = ${scope}::uuid)` : sql`true`}
          and e.occurred_at >= ${window.since.toISOString()}::timestamptz and e.occurred_at < ${window.until.toISOString()}::timestamptz
        group by e.contact_id`);
      const metrics = await valueMetrics(ctx, root, window, 100_000, asOf);
      return { brute, metrics };
    };
    for (const days of [7, 30, 90]) {
      const { brute, metrics } = await topUsersOf(admin, company, days);
      expect(Object.fromEntries(metrics.topUsers.map((u) => [u.contactId, [u.events, u.lastActive]])), `${days} days`).toEqual(
        Object.fromEntries(brute.map((u) => [u.id, [Number(u.events), u.last]])),
      );
      expect(brute.length, `${days} days`).toBeGreaterThan(0);
    }
    // The windows end on the data's today: as_of moved there from three days before on the first read.
    const [state] = await rows<{ as_of: string }>(sql`select as_of::text from usage_window_state`);
    expect(state.as_of).toBe(utcToday(asOf));

    // A viewer scoped to the Americas sees on the company only end users of accounts they may open.
    const viewer = await ctxFor("viewer@demo.test");
    const { brute, metrics } = await topUsersOf(viewer, company, 30, seeded.demo.americasRegionId);
    expect(metrics.topUsers.length).toBeGreaterThan(0);
    expect(Object.fromEntries(metrics.topUsers.map((u) => [u.contactId, u.events]))).toEqual(Object.fromEntries(brute.map((u) => [u.id, Number(u.events)])));
  }, 120_000);

  it("keeps a viewer's leaderboard of the company to the sub-accounts they may see", async () => {
    const company = await account(seeded.demo.companyId);
    const window = lastDays(30, demoNow());
    const everyone = await childLeaderboard(admin, company, window);
    expect(everyone.byUsage.map((c) => c.name).sort()).toEqual(["APAC", "Americas", "EMEA"]);
    expect(everyone.children).toBe(3);
    const usage = everyone.byUsage.map((c) => c.events);
    expect(usage).toEqual([...usage].sort((a, b) => b - a));
    expect(usage.every((n) => n > 0)).toBe(true);

    const viewer = await ctxFor("viewer@demo.test");
    const scoped = await childLeaderboard(viewer, company, window);
    const names = [...scoped.byUsage, ...scoped.byHealth].map((c) => c.name);
    expect(names).not.toContain("EMEA");
    expect(names).not.toContain("APAC");
    expect(names).toContain("Americas");
    expect(scoped.children).toBe(1);
    expect(scoped.byUsage.find((c) => c.id === seeded.demo.americasRegionId)?.events).toBe(
      everyone.byUsage.find((c) => c.id === seeded.demo.americasRegionId)?.events,
    );
  });

  it("gives a leaf no sub-account leaderboard but a top-users one", async () => {
    const product = await account(seeded.demo.busiestProductId);
    const window = lastDays(30, demoNow());
    const board = await childLeaderboard(admin, product, window);
    expect(board.children).toBe(0);
    const users = await topUsers(admin, product, window, 5);
    expect(users.length).toBeGreaterThan(0);
    expect(users[0].name).toBeTruthy();
  });
});

describe("usage windows from the URL", () => {
  const now = new Date("2026-11-16T09:00:00Z");
  const windowOf = (params: Record<string, string>, days = 90) => usageWindowFor(parseProfileQuery(params), days, now);

  it("defaults to the tab's period and honours a valid period", () => {
    expect(windowOf({})).toMatchObject({ days: 90, custom: false, since: new Date("2026-08-19T00:00:00Z"), until: new Date("2026-11-17T00:00:00Z") });
    expect(windowOf({ period: "7" }).days).toBe(7);
    expect(windowOf({ period: "12345" }).days).toBe(90);
    expect(windowOf({ period: "abc" }, 30).days).toBe(30);
  });

  it("accepts a custom range, clamps it and never throws on bad dates", () => {
    expect(windowOf({ from: "2026-10-01", to: "2026-10-31" })).toMatchObject({ days: 31, custom: true });
    expect(windowOf({ from: "2026-10-31", to: "2026-10-01" }).days).toBe(31);
    expect(windowOf({ from: "1900-01-01" }).days).toBe(3 * 366);
    expect(windowOf({ from: "2030-01-01" })).toMatchObject({ days: 1, until: new Date("2026-11-17T00:00:00Z") });
    expect(windowOf({ from: "2026-02-30", to: "nope" })).toMatchObject({ days: 90, custom: false });
  });

  it("lists every day or Monday of the window", () => {
    const week = lastDays(7, now);
    expect(bucketStarts(week, "day")).toEqual(["2026-11-10", "2026-11-11", "2026-11-12", "2026-11-13", "2026-11-14", "2026-11-15", "2026-11-16"]);
    expect(bucketStarts(week, "week")).toEqual(["2026-11-09", "2026-11-16"]);
  });
});
