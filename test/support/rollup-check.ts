/**
 * "The maintained rollups equal a brute-force rebuild": snapshots the caches, runs
 * rebuildAllRollups (lib/rollups/rebuild.ts) in a transaction that is rolled back, and compares.
 * Also checks usage_daily against the raw usage events it sums.
 */
import { expect } from "vitest";
import { sql } from "drizzle-orm";
import type { Database, Executor } from "@/db/client";
import { rebuildAllRollups, rebuildUserWindows } from "@/lib/rollups/rebuild";

async function q<T>(db: Executor, query: ReturnType<typeof sql>): Promise<T[]> {
  return ((await db.execute(query)) as unknown as { rows: T[] }).rows;
}

async function caches(db: Executor) {
  const rollups = await q(db, sql`select account_id, descendants, mrr::text, open_tickets, urgent_tickets, nps_count, nps_promoters, nps_detractors,
      csat_count, csat_sum, health_good, health_average, health_poor, own_mrr::text, own_open_tickets, own_urgent_tickets,
      own_nps_count, own_csat_count, own_csat_sum, own_health from account_rollups order by account_id`);
  const usage = await q(db, sql`select account_id, day::text, activity_id, module_id, events::text from usage_rollup_daily where events <> 0 order by 1, 2, 3`);
  const windows = await q(db, sql`select account_id, period_days, contact_id, events::text, last_day::text from usage_user_windows order by 1, 2, 3`);
  const attributes = await q(db, sql`select account_id, source_key, own_present, own_number::float8, count_below, numbers_below,
      sum_below::float8, min_below::float8, max_below::float8 from attribute_rollups order by 1, 2`);
  const daily = await q(db, sql`select account_id, day::text, activity_id, contact_id, events::text from usage_daily order by 1, 2, 3, 4`);
  const fromEvents = await q(db, sql`select account_id, (occurred_at at time zone 'UTC')::date::text as day, activity_id,
      coalesce(contact_id, '00000000-0000-0000-0000-000000000000') as contact_id, sum(count)::text as events
      from usage_events group by 1, 2, 3, 4 order by 1, 2, 3, 4`);
  return { rollups, usage, windows, attributes, daily, fromEvents };
}

export async function expectRollupsMatchRebuild(db: Database): Promise<void> {
  const maintained = await caches(db);
  expect(maintained.daily).toEqual(maintained.fromEvents);
  let rebuilt: Awaited<ReturnType<typeof caches>> | undefined;
  await db
    .transaction(async (tx) => {
      const [state] = await q<{ as_of: string }>(tx, sql`select as_of::text from usage_window_state where id = 1`);
      await rebuildAllRollups(tx);
      // The windows as of the maintained day (the rebuild ends them today, which differs past midnight).
      if (state) await rebuildUserWindows(tx, state.as_of);
      rebuilt = await caches(tx);
      throw new Error("rollback");
    })
    .catch((error: Error) => {
      if (error.message !== "rollback") throw error;
    });
  expect(maintained.rollups).toEqual(rebuilt!.rollups);
  expect(maintained.usage).toEqual(rebuilt!.usage);
  expect(maintained.windows).toEqual(rebuilt!.windows);
  expect(maintained.attributes).toEqual(rebuilt!.attributes);
}

/** Row counts of every table an /api/v1 write touches. */
export async function writeCounts(db: Executor): Promise<Record<string, number | string>> {
  const [row] = await q<Record<string, number | string>>(db, sql`select
    (select count(*)::int from accounts) as accounts, (select count(*)::int from usage_events) as events,
    (select count(*)::int from usage_daily) as daily, (select coalesce(sum(events), 0)::text from usage_rollup_daily) as rolled,
    (select count(*)::int from contacts) as contacts, (select count(*)::int from account_contacts) as links,
    (select count(*)::int from contracts) as contracts, (select count(*)::int from support_tickets) as tickets,
    (select count(*)::int from survey_responses) as surveys, (select count(*)::int from touchpoints) as touchpoints,
    (select count(*)::int from attribute_changes) as changes, (select count(*)::int from api_idempotency_keys) as idempotency_keys,
    (select coalesce(sum(mrr), 0)::text from account_rollups) as mrr`);
  return row;
}
