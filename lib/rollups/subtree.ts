import { sql } from "drizzle-orm";
import type { Executor } from "@/db/client";
import { uuidArray } from "./sql";
import { shiftSuccessUnitCounts } from "@/lib/success-units/rollups";
import { shrinkUserWindows } from "./user-windows";

/*
 * Structural changes (used by lib/hierarchy; the caller holds the exclusive hierarchy lock, see
 * lockHierarchy in lib/rollups/locks.ts).
 */

/**
 * Adds (sign 1) or removes (sign -1) the whole subtree of `rootId` — its rolled-up totals, its
 * accounts in the health mix and descendants count, its usage per day, its attribute sums and
 * counts, and its success units' counts per colour — to or from each of `ancestorIds`. Min/max are not touched: walk them afterwards.
 */
export async function shiftSubtreeTotals(db: Executor, rootId: string, ancestorIds: readonly string[], sign: 1 | -1): Promise<void> {
  if (!ancestorIds.length) return;
  await shiftSuccessUnitCounts(db, rootId, ancestorIds, sign);
  const root = sql`${rootId}::uuid`;
  const targets = uuidArray(ancestorIds);
  const s = sql.raw(sign === 1 ? "+" : "-");
  await db.execute(sql`
    update account_rollups r set
      descendants = r.descendants ${s} (s.descendants + 1),
      mrr = r.mrr ${s} s.mrr,
      open_tickets = r.open_tickets ${s} s.open_tickets,
      urgent_tickets = r.urgent_tickets ${s} s.urgent_tickets,
      nps_count = r.nps_count ${s} s.nps_count,
      nps_promoters = r.nps_promoters ${s} s.nps_promoters,
      nps_detractors = r.nps_detractors ${s} s.nps_detractors,
      csat_count = r.csat_count ${s} s.csat_count,
      csat_sum = r.csat_sum ${s} s.csat_sum,
      health_good = r.health_good ${s} (s.health_good + (case when s.own_health = 'good' then 1 else 0 end)),
      health_average = r.health_average ${s} (s.health_average + (case when s.own_health = 'average' then 1 else 0 end)),
      health_poor = r.health_poor ${s} (s.health_poor + (case when s.own_health = 'poor' then 1 else 0 end)),
      updated_at = now()
    from account_rollups s
    where s.account_id = ${root} and r.account_id = any(${targets})`);

  if (sign === 1) {
    await db.execute(sql`
      insert into usage_rollup_daily (account_id, day, activity_id, module_id, events)
      select t.id, s.day, s.activity_id, s.module_id, s.events
      from usage_rollup_daily s cross join unnest(${targets}) as t(id)
      where s.account_id = ${root}
      on conflict (account_id, day, activity_id) do update set events = usage_rollup_daily.events + excluded.events`);
    // last_day may only move forward here; it stays exact (a max over the union).
    await db.execute(sql`
      insert into usage_user_windows (account_id, period_days, contact_id, events, last_day)
      select t.id, s.period_days, s.contact_id, s.events, s.last_day
      from usage_user_windows s cross join unnest(${targets}) as t(id)
      where s.account_id = ${root}
      on conflict (account_id, period_days, contact_id) do update set
        events = usage_user_windows.events + excluded.events,
        last_day = greatest(usage_user_windows.last_day, excluded.last_day)`);
    await db.execute(sql`
      insert into attribute_rollups (account_id, source_key, count_below, numbers_below, sum_below)
      select t.id, s.source_key, s.own_present::int + s.count_below,
        (s.own_number is not null)::int + s.numbers_below, coalesce(s.own_number, 0) + s.sum_below
      from attribute_rollups s cross join unnest(${targets}) as t(id)
      where s.account_id = ${root}
      on conflict (account_id, source_key) do update set
        count_below = attribute_rollups.count_below + excluded.count_below,
        numbers_below = attribute_rollups.numbers_below + excluded.numbers_below,
        sum_below = attribute_rollups.sum_below + excluded.sum_below`);
  } else {
    await db.execute(sql`
      update usage_rollup_daily u set events = u.events - s.events
      from usage_rollup_daily s
      where s.account_id = ${root} and u.account_id = any(${targets}) and u.day = s.day and u.activity_id = s.activity_id`);
    await db.execute(sql`
      delete from usage_rollup_daily u using usage_rollup_daily s
      where s.account_id = ${root} and u.account_id = any(${targets}) and u.day = s.day and u.activity_id = s.activity_id
        and u.events = 0`);
    await shrinkUserWindows(
      db,
      sql`select t.id as account_id, s.period_days, s.contact_id, s.events, s.last_day
        from usage_user_windows s cross join unnest(${targets}) as t(id) where s.account_id = ${root}`,
      // The closure still places the subtree under the targets: leave it out of the re-read.
      root,
    );
    await db.execute(sql`
      update attribute_rollups a set
        count_below = a.count_below - (s.own_present::int + s.count_below),
        numbers_below = a.numbers_below - ((s.own_number is not null)::int + s.numbers_below),
        sum_below = a.sum_below - (coalesce(s.own_number, 0) + s.sum_below)
      from attribute_rollups s
      where s.account_id = ${root} and a.account_id = any(${targets}) and a.source_key = s.source_key`);
  }
}
