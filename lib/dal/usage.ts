import "server-only";
import { cache } from "react";
import { sql, type SQL } from "drizzle-orm";
import { NO_CONTACT, USER_WINDOW_DAYS } from "@/db/schema";
import { slideUserWindows } from "@/lib/rollups/user-windows";
import { utcToday } from "@/lib/rollups/rebuild";
import type { ProfileQuery } from "@/lib/profile/query";
import type { AccountSummary } from "./accounts";
import { nothingBelow, rollupOf } from "./rollups";
import { laggingDb, visibleAccount, type Ctx } from "./viewer";

/**
 * Usage reads. Module and activity totals of any account come from `usage_rollup_daily` (the
 * account and everything below it, per day and activity, precomputed), so a parent costs what a
 * leaf costs. Top end users over the trailing 7, 30 or 90 days come from `usage_user_windows`
 * (precomputed per ancestor) for viewers who see the whole subtree; other windows, and viewers who
 * may open only part of the subtree (end users are people of individual accounts, so they see only
 * those of accounts they may open), join `usage_daily` through `account_closure`, which is one row
 * on a leaf but grows with the subtree on a parent.
 */

/** A window of whole UTC days: `since` inclusive, `until` exclusive (both at midnight UTC). */
export type UsageWindow = { since: Date; until: Date };
export type UsageBucket = "day" | "week";

const DAY = 86_400_000;
/** Longest window a URL may ask for, so a crafted `from` cannot ask for decades of buckets. */
const MAX_WINDOW_DAYS = 3 * 366;

/** The last `days` whole days up to and including today (UTC). */
export function lastDays(days: number, now: Date = new Date()): UsageWindow {
  const until = new Date(floorDay(now).getTime() + DAY);
  return { since: new Date(until.getTime() - Math.max(1, Math.trunc(days)) * DAY), until };
}

/**
 * The window a profile URL asks for: a custom `from`/`to` range when given (clamped to today and
 * to three years), else the last `period` days, or `defaultDays` when the URL names no period.
 */
export function usageWindowFor(
  query: Pick<ProfileQuery, "period" | "from" | "to" | "raw">,
  defaultDays: number,
  now: Date = new Date(),
): UsageWindow & { days: number; custom: boolean } {
  const tomorrow = new Date(floorDay(now).getTime() + DAY);
  if (query.from) {
    let until = query.to ? new Date(Date.parse(`${query.to}T00:00:00Z`) + DAY) : tomorrow;
    if (until > tomorrow) until = tomorrow;
    let since = new Date(`${query.from}T00:00:00Z`);
    if (since >= until) since = new Date(until.getTime() - DAY);
    if (until.getTime() - since.getTime() > MAX_WINDOW_DAYS * DAY) since = new Date(until.getTime() - MAX_WINDOW_DAYS * DAY);
    return { since, until, days: Math.round((until.getTime() - since.getTime()) / DAY), custom: true };
  }
  const days = query.raw.period !== undefined && String(query.period) === query.raw.period ? query.period : defaultDays;
  return { ...lastDays(days, now), days, custom: false };
}

/** Daily points up to about six weeks, weekly (ISO weeks, Monday) beyond. */
export function bucketFor(window: UsageWindow): UsageBucket {
  return window.until.getTime() - window.since.getTime() <= 45 * DAY ? "day" : "week";
}

/** Every bucket start in the window, so days or weeks without events show as zero. */
export function bucketStarts(window: UsageWindow, bucket: UsageBucket): string[] {
  const { first, end } = windowDays(window);
  const points: string[] = [];
  const endTime = Date.parse(`${end}T00:00:00Z`);
  let cursor = Date.parse(`${first}T00:00:00Z`);
  if (bucket === "week") cursor -= ((new Date(cursor).getUTCDay() + 6) % 7) * DAY;
  for (; cursor < endTime; cursor += bucket === "week" ? 7 * DAY : DAY) points.push(isoDay(new Date(cursor)));
  return points;
}

export type UsageRank = { id: string; key: string; name: string; events: number };
export type ActivityRank = UsageRank & { moduleKey: string; moduleName: string };
export type UserRank = { contactId: string; name: string; events: number; lastActive: string };

export type ValueMetrics = {
  /** All events in the window, end users known or not. */
  total: number;
  /**
   * Accounts below this one whose usage is included: 0 on a leaf, and 0 when nothing below had any
   * usage in the window (a product whose only child is an opportunity is reported as its own usage).
   */
  descendants: number;
  topUsers: UserRank[];
  topModules: UsageRank[];
  topActivities: ActivityRank[];
};

/**
 * Top end users, modules and activities of the account (and everything below it) in the window.
 * `asOf` is the day that counts as today (default: now): a window of the last 7, 30 or 90 days ending
 * on it is read from the precomputed user windows, slid to that day first when they are behind.
 */
export async function valueMetrics(ctx: Ctx, account: AccountSummary, window: UsageWindow, limit = 5, asOf: Date = new Date()): Promise<ValueMetrics> {
  const days = windowDays(window);
  const [modules, activities, users, descendants, own] = await Promise.all([
    moduleTotals(ctx, account, days, limit),
    activityTotals(ctx, account, days, limit),
    userTotalsOnce(ctx, account, days.first, days.end, limit, utcToday(asOf)),
    descendantsOf(ctx, account),
    ownTotal(ctx, account, days),
  ]);
  return { total: modules.total, descendants: modules.total > own ? descendants : 0, topUsers: users, topModules: modules.rows, topActivities: activities };
}

/** End users by events in the window, with the last day each was active in it (`asOf`: as in valueMetrics). */
export async function topUsers(ctx: Ctx, account: AccountSummary, window: UsageWindow, limit = 20, asOf: Date = new Date()): Promise<UserRank[]> {
  const days = windowDays(window);
  return userTotalsOnce(ctx, account, days.first, days.end, limit, utcToday(asOf));
}

/** userTotals once per request for the same arguments (value metrics and the leaderboard ask alike). */
const userTotalsOnce = cache((ctx: Ctx, account: AccountSummary, first: string, end: string, limit: number, today: string) =>
  userTotals(ctx, account, { first, end }, limit, today),
);

export type UsageModule = { key: string; name: string };

/** The product's modules, for validating a `module` filter from the URL. */
export async function listUsageModules(ctx: Ctx): Promise<UsageModule[]> {
  const { rows } = await ctx.db.execute<UsageModule>(sql`select key, name from usage_modules where not hidden order by position, name`);
  return rows.map((r) => ({ key: String(r.key), name: String(r.name) }));
}

export type UsageSeries = { key: string; label: string; total: number; values: number[] };
export type UsageSeriesSet = {
  bucket: UsageBucket;
  points: string[];
  total: number;
  descendants: number;
  modules: UsageSeries[];
  /** Activities of `moduleKey` when given, else of every module. */
  activities: UsageSeries[];
  /** The busiest end users of the window, one series each. */
  users: UsageSeries[];
};

export type UsageSeriesOptions = UsageWindow & { bucket?: UsageBucket; moduleKey?: string; maxSeries?: number; maxUsers?: number };

/** Events over time by module, by activity and by end user, in daily or weekly buckets. */
export async function usageSeries(ctx: Ctx, account: AccountSummary, options: UsageSeriesOptions): Promise<UsageSeriesSet> {
  const bucket = options.bucket ?? bucketFor(options);
  const days = windowDays(options);
  const points = bucketStarts(options, bucket);
  const maxSeries = options.maxSeries ?? 8;
  const maxUsers = options.maxUsers ?? 5;
  const moduleFilter = options.moduleKey ? sql`and m.key = ${options.moduleKey}` : sql``;
  type Point = { bucket: string; key: string; label: string; events: number };
  const [modules, activities, users, descendants] = await Promise.all([
    laggingDb(ctx).execute<Point>(sql`
      select ${bucketExpr(sql`r.day`, bucket)} as bucket, m.key as key, m.name as label, sum(r.events)::float8 as events
      from usage_rollup_daily r join usage_modules m on m.id = r.module_id and not m.hidden
      where r.account_id = ${account.id}::uuid and r.day >= ${days.first}::date and r.day < ${days.end}::date
      group by 1, m.key, m.name`),
    laggingDb(ctx).execute<Point>(sql`
      select ${bucketExpr(sql`r.day`, bucket)} as bucket, a.id::text as key,
        ${options.moduleKey ? sql`a.name` : sql`a.name || ' (' || m.name || ')'`} as label, sum(r.events)::float8 as events
      from usage_rollup_daily r
      join usage_activities a on a.id = r.activity_id and not a.hidden
      join usage_modules m on m.id = r.module_id and not m.hidden
      where r.account_id = ${account.id}::uuid and r.day >= ${days.first}::date and r.day < ${days.end}::date ${moduleFilter}
      group by 1, a.id, a.name, m.name`),
    laggingDb(ctx).execute<Point>(sql`
      with busiest as (
        select u.contact_id, sum(u.events) as events
        ${subtreeUsage(ctx, account, days)}
        join contacts ct on ct.id = u.contact_id
        where u.contact_id <> ${NO_CONTACT}::uuid
        group by u.contact_id order by events desc, u.contact_id limit ${maxUsers}
      )
      select ${bucketExpr(sql`u.day`, bucket)} as bucket, ct.id::text as key, ct.name as label, sum(u.events)::float8 as events
      ${subtreeUsage(ctx, account, days)}
      join busiest b on b.contact_id = u.contact_id
      join contacts ct on ct.id = u.contact_id
      group by 1, ct.id, ct.name`),
    descendantsOf(ctx, account),
  ]);
  const moduleSeries = toSeries(modules.rows, points, Number.MAX_SAFE_INTEGER);
  return {
    bucket,
    points,
    total: moduleSeries.reduce((sum, s) => sum + s.total, 0),
    descendants,
    modules: moduleSeries,
    activities: toSeries(activities.rows, points, maxSeries),
    users: toSeries(users.rows, points, maxUsers),
  };
}

export type ChildRank = {
  id: string;
  name: string;
  typeName: string;
  events: number;
  score: number | null;
  band: "poor" | "average" | "good" | null;
};

export type ChildLeaderboard = { children: number; byUsage: ChildRank[]; byHealth: ChildRank[] };

/**
 * The account's direct sub-accounts the viewer may see (opportunities left out: they are deals, not
 * customers), ranked by rolled-up usage in the window and by their latest health score.
 */
export async function childLeaderboard(ctx: Ctx, account: AccountSummary, window: UsageWindow = lastDays(30), limit = 10): Promise<ChildLeaderboard> {
  if (await nothingBelow(ctx, account)) return { children: 0, byUsage: [], byHealth: [] };
  const days = windowDays(window);
  const ranked = (order: SQL) =>
    laggingDb(ctx).execute<ChildRank & { total: number }>(sql`
      select a.id::text as id, a.name, t.name as "typeName",
        coalesce((select sum(r.events) from usage_rollup_daily r
          where r.account_id = a.id and r.day >= ${days.first}::date and r.day < ${days.end}::date), 0)::float8 as events,
        h.score::float8 as score, h.band::text as band,
        count(*) over ()::int as total
      from accounts a
      join account_types t on t.id = a.type_id and not t.is_opportunity
      left join lateral (
        select s.score, s.band from health_snapshots s where s.account_id = a.id order by s.week_start desc limit 1
      ) h on true
      where a.parent_id = ${account.id}::uuid and a.archived_at is null
        and ${visibleAccount(ctx.viewer, sql`a.id`, sql`a.type_id`)}
      order by ${order}, a.name, a.id
      limit ${limit}`);
  // No visible children (every leaf): the second ranking would only confirm it.
  const byUsage = await ranked(sql`events desc`);
  const byHealth = byUsage.rows.length ? await ranked(sql`h.score desc nulls last`) : byUsage;
  const clean = (rows: (ChildRank & { total: number })[]): ChildRank[] =>
    rows.map((r) => ({
      id: r.id,
      name: r.name,
      typeName: r.typeName,
      events: Number(r.events),
      score: r.score == null ? null : Number(r.score),
      band: r.band ?? null,
    }));
  return { children: Number(byUsage.rows[0]?.total ?? 0), byUsage: clean(byUsage.rows), byHealth: clean(byHealth.rows) };
}

type Days = { first: string; end: string };

/** The window as whole UTC days: `first` inclusive, `end` exclusive; a partial last day counts. */
export function windowDays(window: UsageWindow): Days {
  const first = floorDay(window.since);
  const untilDay = floorDay(window.until);
  let end = untilDay.getTime() === window.until.getTime() ? untilDay : new Date(untilDay.getTime() + DAY);
  if (end <= first) end = new Date(first.getTime() + DAY);
  return { first: isoDay(first), end: isoDay(end) };
}

/**
 * `from … join usage_daily u` over the account and its descendants the viewer may see. Rolled-up
 * module totals include every descendant; breakdowns that name people and features of individual
 * accounts keep to the visible ones.
 */
function subtreeUsage(ctx: Ctx, account: AccountSummary, days: Days): SQL {
  // Conditions sit in the inner joins' ON clauses so callers can add joins and a WHERE after this.
  return sql`from account_closure c
    join accounts d on d.id = c.descendant_id and c.ancestor_id = ${account.id}::uuid
      and ${visibleAccount(ctx.viewer, sql`d.id`, sql`d.type_id`)}
    join usage_daily u on u.account_id = c.descendant_id
      and u.day >= ${days.first}::date and u.day < ${days.end}::date`;
}

async function moduleTotals(ctx: Ctx, account: AccountSummary, days: Days, limit: number): Promise<{ rows: UsageRank[]; total: number }> {
  const { rows } = await ctx.db.execute<UsageRank & { total: number }>(sql`
    select m.id::text as id, m.key, m.name, sum(r.events)::float8 as events, sum(sum(r.events)) over ()::float8 as total
    from usage_rollup_daily r join usage_modules m on m.id = r.module_id and not m.hidden
    where r.account_id = ${account.id}::uuid and r.day >= ${days.first}::date and r.day < ${days.end}::date
    group by m.id, m.key, m.name
    order by events desc, m.name`);
  return {
    rows: rows.slice(0, limit).map((r) => ({ id: r.id, key: r.key, name: r.name, events: Number(r.events) })),
    total: Number(rows[0]?.total ?? 0),
  };
}

async function activityTotals(ctx: Ctx, account: AccountSummary, days: Days, limit: number): Promise<ActivityRank[]> {
  // Totals by feature name no individual account: like module totals, they include the whole subtree.
  const { rows } = await ctx.db.execute<ActivityRank>(sql`
    select a.id::text as id, a.key, a.name, m.key as "moduleKey", m.name as "moduleName", sum(r.events)::float8 as events
    from usage_rollup_daily r
    join usage_activities a on a.id = r.activity_id and not a.hidden
    join usage_modules m on m.id = r.module_id and not m.hidden
    where r.account_id = ${account.id}::uuid and r.day >= ${days.first}::date and r.day < ${days.end}::date
    group by a.id, a.key, a.name, m.key, m.name
    order by events desc, a.name
    limit ${limit}`);
  return rows.map((r) => ({ ...r, events: Number(r.events) }));
}

async function userTotals(ctx: Ctx, account: AccountSummary, days: Days, limit: number, today: string): Promise<UserRank[]> {
  const period = trailingPeriod(days, today);
  if (period && ctx.viewer.seesAll) {
    const fromWindows = await windowUserTotals(ctx, account, period, limit, today);
    if (fromWindows) return fromWindows;
  }
  const { rows } = await ctx.db.execute<UserRank>(sql`
    select ct.id::text as "contactId", ct.name, sum(u.events)::float8 as events, max(u.day)::text as "lastActive"
    ${subtreeUsage(ctx, account, days)}
    join contacts ct on ct.id = u.contact_id
    where u.contact_id <> ${NO_CONTACT}::uuid
    group by ct.id, ct.name
    order by events desc, ct.name
    limit ${limit}`);
  return rows.map((r) => ({ ...r, events: Number(r.events) }));
}

/** The period of USER_WINDOW_DAYS when the window is exactly the last N days up to `today`. */
function trailingPeriod(days: Days, today: string): number | null {
  const end = new Date(Date.parse(`${today}T00:00:00Z`) + DAY).toISOString().slice(0, 10);
  if (days.end !== end) return null;
  const length = Math.round((Date.parse(`${days.end}T00:00:00Z`) - Date.parse(`${days.first}T00:00:00Z`)) / DAY);
  return (USER_WINDOW_DAYS as readonly number[]).includes(length) ? length : null;
}

/**
 * Top end users from the precomputed windows, after sliding them to today when the first reader of
 * the day finds them behind (see slideUserWindows). Null when they cannot be brought up to date.
 */
async function windowUserTotals(ctx: Ctx, account: AccountSummary, period: number, limit: number, today: string): Promise<UserRank[] | null> {
  for (let attempt = 0; attempt < 2; attempt++) {
    // usage_user_windows_top_idx orders rows by `bucket` (events on a log scale, monotone in
    // events): the N-th row in bucket order gives the lowest bucket the top N can be in, and only
    // the rows of that bucket and above are ordered by events (ties included: equal events share
    // a bucket). Both steps are index range reads.
    const { rows } = await ctx.db.execute<UserRank & { asOf: string }>(sql`
      with st as (select as_of::text as "asOf" from usage_window_state where id = 1),
      cut as (
        select w.bucket from usage_user_windows w join contacts ct on ct.id = w.contact_id
        where w.account_id = ${account.id}::uuid and w.period_days = ${period}
        order by w.bucket desc nulls last
        offset ${Math.max(0, limit - 1)} limit 1
      )
      select st."asOf", r.* from st left join lateral (
        select ct.id::text as "contactId", ct.name, w.events::float8 as events, w.last_day::text as "lastActive"
        from usage_user_windows w join contacts ct on ct.id = w.contact_id
        where w.account_id = ${account.id}::uuid and w.period_days = ${period}
          and w.bucket >= coalesce((select bucket from cut), -32768)
        order by w.events desc, ct.name
        limit ${limit}
      ) r on true`);
    if (rows[0]?.asOf === today) {
      return rows.filter((r) => r.contactId).map((r) => ({ contactId: r.contactId, name: r.name, events: Number(r.events), lastActive: r.lastActive }));
    }
    if (attempt === 0) await slideUserWindows(ctx.db, today);
  }
  return null;
}

/** The account's own events in the window (its usage_daily rows: one account, a few hundred rows at most). */
async function ownTotal(ctx: Ctx, account: AccountSummary, days: Days): Promise<number> {
  const { rows } = await ctx.db.execute<{ events: number }>(sql`
    select coalesce(sum(events), 0)::float8 as events from usage_daily
    where account_id = ${account.id}::uuid and day >= ${days.first}::date and day < ${days.end}::date`);
  return Number(rows[0]?.events ?? 0);
}

async function descendantsOf(ctx: Ctx, account: AccountSummary): Promise<number> {
  return Number((await rollupOf(ctx, account))?.descendants ?? 0);
}

function bucketExpr(day: SQL, bucket: UsageBucket): SQL {
  // Date minus integer stays a date, so no time zone can shift the week start.
  return bucket === "week" ? sql`(${day} - (extract(isodow from ${day})::int - 1))::text` : sql`${day}::text`;
}

/** Rows of (bucket, key, events) as one dense series per key; beyond `max` keys the rest is "Other". */
function toSeries(rows: { bucket: string; key: string; label: string; events: number }[], points: string[], max: number): UsageSeries[] {
  const index = new Map(points.map((p, i) => [p, i]));
  const byKey = new Map<string, UsageSeries>();
  for (const row of rows) {
    const i = index.get(String(row.bucket));
    if (i === undefined) continue;
    let series = byKey.get(row.key);
    if (!series) {
      series = { key: row.key, label: row.label, total: 0, values: points.map(() => 0) };
      byKey.set(row.key, series);
    }
    series.values[i] += Number(row.events);
    series.total += Number(row.events);
  }
  const sorted = [...byKey.values()].sort((a, b) => b.total - a.total || a.label.localeCompare(b.label));
  if (sorted.length <= max) return sorted;
  const kept = sorted.slice(0, max - 1);
  const other: UsageSeries = { key: "__other", label: "Other", total: 0, values: points.map(() => 0) };
  for (const series of sorted.slice(max - 1)) {
    other.total += series.total;
    series.values.forEach((v, i) => (other.values[i] += v));
  }
  return [...kept, other];
}

function floorDay(date: Date): Date {
  return new Date(Date.UTC(date.getUTCFullYear(), date.getUTCMonth(), date.getUTCDate()));
}

function isoDay(date: Date): string {
  return date.toISOString().slice(0, 10);
}
