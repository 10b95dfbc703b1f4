import { sql } from "drizzle-orm";
import type { Executor } from "@/db/client";
import { rows } from "./sql";

/** Parallel Postgres array literals (see pgArray in lib/ingest/resolve.ts), one element per row. */
type Columns<K extends string> = Record<K, string>;

/**
 * Usage summed by the caller, ONE row per key of each table it adds to:
 * - `daily`: an account's own events per (account, UTC day, activity, end user), for usage_daily
 *   (contact NO_CONTACT for events with no known end user);
 * - `rolled`: per (account or any of its ancestors, day, activity), for usage_rollup_daily;
 * - `windows`: per (account or ancestor, period, end user), only days inside the period's window
 *   (as_of − period, as_of] as read by usageWindowAsOf, for usage_user_windows, with the latest day.
 * The caller fans out to ancestors itself (accounts.path, fixed while it holds lockForUsage), so
 * Postgres only upserts: joining the batch to the closure and sorting the fanned-out rows in SQL
 * was most of the database time of a 10,000-event batch.
 */
export type UsageAggregates = {
  daily: Columns<"accountIds" | "days" | "activityIds" | "moduleIds" | "contactIds" | "events">;
  rolled: Columns<"accountIds" | "days" | "activityIds" | "moduleIds" | "events">;
  windows: Columns<"accountIds" | "periods" | "contactIds" | "events" | "lastDays">;
};

/** The day the user windows end on; read after lockForUsage (a slide cannot move it until commit). */
export async function usageWindowAsOf(db: Executor): Promise<string | null> {
  const [state] = await rows<{ as_of: string }>(db, sql`select as_of::text as as_of from usage_window_state where id = 1`);
  return state?.as_of ?? null;
}

/**
 * Adds pre-aggregated usage (see UsageAggregates) in the caller's transaction: the upkeep for raw
 * events the caller inserted itself (the bulk ingestion path of /api/v1). The caller takes
 * lockForUsage (lib/rollups/locks.ts) first and leaves archived accounts out. Three statements,
 * own rows before ancestors' rows, each in key order: a batch never holds an ancestor row while
 * waiting for another batch's own rows.
 */
export async function addUsageAggregates(db: Executor, usage: UsageAggregates): Promise<void> {
  const { daily, rolled, windows } = usage;
  await db.execute(sql`
    insert into usage_daily (account_id, day, activity_id, module_id, contact_id, events)
    select * from unnest(${daily.accountIds}::uuid[], ${daily.days}::date[], ${daily.activityIds}::uuid[],
      ${daily.moduleIds}::uuid[], ${daily.contactIds}::uuid[], ${daily.events}::bigint[])
      as p(account_id, day, activity_id, module_id, contact_id, events)
    order by account_id, day, activity_id, contact_id
    on conflict (account_id, day, activity_id, contact_id) do update set events = usage_daily.events + excluded.events`);
  await db.execute(sql`
    insert into usage_rollup_daily (account_id, day, activity_id, module_id, events)
    select * from unnest(${rolled.accountIds}::uuid[], ${rolled.days}::date[], ${rolled.activityIds}::uuid[],
      ${rolled.moduleIds}::uuid[], ${rolled.events}::bigint[])
      as p(account_id, day, activity_id, module_id, events)
    order by account_id, day, activity_id
    on conflict (account_id, day, activity_id) do update set events = usage_rollup_daily.events + excluded.events`);
  if (windows.accountIds === "{}") return;
  await db.execute(sql`
    insert into usage_user_windows (account_id, period_days, contact_id, events, last_day)
    select * from unnest(${windows.accountIds}::uuid[], ${windows.periods}::smallint[], ${windows.contactIds}::uuid[],
      ${windows.events}::bigint[], ${windows.lastDays}::date[])
      as p(account_id, period_days, contact_id, events, last_day)
    order by account_id, period_days, contact_id
    on conflict (account_id, period_days, contact_id) do update set
      events = usage_user_windows.events + excluded.events,
      last_day = greatest(usage_user_windows.last_day, excluded.last_day)`);
}
