import { sql, type SQL } from "drizzle-orm";
import type { Executor } from "@/db/client";
import { NO_CONTACT, USER_WINDOW_DAYS } from "@/db/schema";
import { effectiveMrrSql } from "./mrr";
import { attributeNumberSql, attributePresentSql } from "./sql";

/**
 * Full recomputation of the hierarchy caches from `accounts.parent_id`: the closure table and each
 * account's `path`/`depth`. Used by seeding, imports and consistency checks; everyday writes keep
 * the caches incrementally (lib/hierarchy).
 */
export async function rebuildClosure(db: Executor): Promise<void> {
  await db.execute(sql`delete from account_closure`);
  await db.execute(sql`
    insert into account_closure (ancestor_id, descendant_id, distance)
    with recursive walk as (
      select id as ancestor_id, id as descendant_id, 0 as distance from accounts
      union all
      select walk.ancestor_id, a.id, walk.distance + 1
      from walk join accounts a on a.parent_id = walk.descendant_id
    )
    select ancestor_id, descendant_id, distance from walk`);
  await db.execute(sql`
    update accounts a set
      path = coalesce(p.path, '{}'),
      depth = coalesce(p.depth, 0)
    from (
      select a2.id,
        array_agg(c.ancestor_id order by c.distance desc) filter (where c.distance > 0) as path,
        max(c.distance) as depth
      from accounts a2 join account_closure c on c.descendant_id = a2.id
      group by a2.id
    ) p
    where p.id = a.id`);
}

/*
 * The definitions of an account's OWN numbers, shared by the full rebuild below and by the
 * incremental upkeep (lib/rollups/own-figures.ts, attributes.ts), so both always agree on what counts.
 */

/** Ticket statuses that count as open (and, with priority urgent, as urgent). */
export const OPEN_TICKET_STATUSES = sql`('new', 'open', 'pending')`;

/** Source keys some live attribute definition rolls up (rule other than "none"). */
export const TRACKED_SOURCE_KEYS = sql`(select distinct d.rollup_source_key from attribute_definitions d
  where d.rollup_rule <> 'none' and d.rollup_source_key is not null and d.deleted_at is null)`;

/**
 * Raw values feeding attribute rollups: for each non-archived account, the value of the live
 * definition of its own type whose key is a tracked source key and whose rule is "none" (a rolled-up
 * attribute never feeds another rollup: every rollup reads raw values, so there are no rule chains).
 */
export function ownAttributeValuesSql(filter: SQL = sql`true`): SQL {
  return sql`(
    select v.account_id, d.key as source_key,
      ${attributePresentSql(sql`v.value`)} as present,
      ${attributeNumberSql(sql`v.value`)} as num
    from attribute_values v
    join attribute_definitions d on d.id = v.attribute_id
    join accounts a on a.id = v.account_id and a.type_id = d.account_type_id and a.archived_at is null
    where d.rollup_rule = 'none' and d.deleted_at is null and d.key in ${TRACKED_SOURCE_KEYS} and (${filter})
  )`;
}

/**
 * Recomputes every account's rollup rows from raw data. The effective MRR of one account follows
 * the rule of lib/rollups/mrr.ts; a rollup sums it over the account and everything below it.
 * Health mix counts accounts below by the band
 * of their latest snapshot. Archived accounts count nowhere (and have no rows). Also fills each
 * row's own columns and rebuilds usage and attribute rollups.
 */
export async function rebuildAllRollups(db: Executor): Promise<void> {
  await db.execute(sql`delete from account_rollups`);
  // Each account's own numbers are computed once (materialized), then summed over the closure:
  // without the fence the planner may evaluate the per-account subqueries once per closure row.
  await db.execute(sql`
    with own as materialized (
      select a.id as account_id,
        ${effectiveMrrSql(sql`a.id`)} as mrr,
        coalesce(t.open_tickets, 0) as open_tickets, coalesce(t.urgent_tickets, 0) as urgent_tickets,
        coalesce(s.nps_count, 0) as nps_count, coalesce(s.nps_promoters, 0) as nps_promoters,
        coalesce(s.nps_detractors, 0) as nps_detractors, coalesce(s.csat_count, 0) as csat_count,
        coalesce(s.csat_sum, 0) as csat_sum, h.band
      from accounts a
      left join (
        select account_id,
          count(*) filter (where status in ${OPEN_TICKET_STATUSES}) as open_tickets,
          count(*) filter (where status in ${OPEN_TICKET_STATUSES} and priority = 'urgent') as urgent_tickets
        from support_tickets group by account_id
      ) t on t.account_id = a.id
      left join (
        select account_id,
          count(*) filter (where kind = 'nps') as nps_count,
          count(*) filter (where kind = 'nps' and score >= 9) as nps_promoters,
          count(*) filter (where kind = 'nps' and score <= 6) as nps_detractors,
          count(*) filter (where kind = 'csat') as csat_count,
          coalesce(sum(score) filter (where kind = 'csat'), 0) as csat_sum
        from survey_responses group by account_id
      ) s on s.account_id = a.id
      left join (
        select distinct on (account_id) account_id, band
        from health_snapshots order by account_id, week_start desc
      ) h on h.account_id = a.id
      where a.archived_at is null
    )
    insert into account_rollups (account_id, descendants, mrr, open_tickets, urgent_tickets,
      nps_count, nps_promoters, nps_detractors, csat_count, csat_sum,
      health_good, health_average, health_poor,
      own_mrr, own_open_tickets, own_urgent_tickets, own_nps_count, own_nps_promoters, own_nps_detractors,
      own_csat_count, own_csat_sum, own_health)
    select c.ancestor_id,
      count(*) filter (where c.distance > 0),
      sum(o.mrr), sum(o.open_tickets), sum(o.urgent_tickets),
      sum(o.nps_count), sum(o.nps_promoters), sum(o.nps_detractors), sum(o.csat_count), sum(o.csat_sum),
      count(*) filter (where c.distance > 0 and o.band = 'good'),
      count(*) filter (where c.distance > 0 and o.band = 'average'),
      count(*) filter (where c.distance > 0 and o.band = 'poor'),
      coalesce(sum(o.mrr) filter (where c.distance = 0), 0),
      coalesce(sum(o.open_tickets) filter (where c.distance = 0), 0),
      coalesce(sum(o.urgent_tickets) filter (where c.distance = 0), 0),
      coalesce(sum(o.nps_count) filter (where c.distance = 0), 0),
      coalesce(sum(o.nps_promoters) filter (where c.distance = 0), 0),
      coalesce(sum(o.nps_detractors) filter (where c.distance = 0), 0),
      coalesce(sum(o.csat_count) filter (where c.distance = 0), 0),
      coalesce(sum(o.csat_sum) filter (where c.distance = 0), 0),
      (max(o.band::text) filter (where c.distance = 0))::health_band
    from account_closure c
    join own o on o.account_id = c.descendant_id
    group by c.ancestor_id`);
  await db.execute(sql`delete from usage_rollup_daily`);
  // Per account, day and activity first (end users folded), then over the closure; inserted in key
  // order, which keeps the primary-key index build sequential.
  await db.execute(sql`
    with own as materialized (
      select u.account_id, u.day, u.activity_id, u.module_id, sum(u.events) as events
      from usage_daily u
      join accounts d on d.id = u.account_id and d.archived_at is null
      group by u.account_id, u.day, u.activity_id, u.module_id
    )
    insert into usage_rollup_daily (account_id, day, activity_id, module_id, events)
    select c.ancestor_id, o.day, o.activity_id, o.module_id, sum(o.events)
    from own o join account_closure c on c.descendant_id = o.account_id
    group by c.ancestor_id, o.day, o.activity_id, o.module_id
    order by 1, 2, 3`);
  await rebuildUserWindows(db);
  await rebuildAttributeRollups(db);
}

const MAX_WINDOW_DAYS = Math.max(...USER_WINDOW_DAYS);

/** Today's date in UTC as `YYYY-MM-DD`: the day the user windows end on. */
export function utcToday(now: Date = new Date()): string {
  return now.toISOString().slice(0, 10);
}

/** The periods of USER_WINDOW_DAYS as a `(values …) as w(days)` relation. */
export const WINDOW_PERIODS = sql`(values ${sql.raw(USER_WINDOW_DAYS.map((d) => `(${d})`).join(", "))}) as w(days)`;

/**
 * Recomputes `usage_user_windows` from `usage_daily`, ending on `asOf` (default: today, UTC), and
 * records that day in `usage_window_state`.
 */
export async function rebuildUserWindows(db: Executor, asOf: string = utcToday()): Promise<void> {
  await db.execute(sql`delete from usage_user_windows`);
  await db.execute(sql`
    insert into usage_window_state (id, as_of) values (1, ${asOf}::date)
    on conflict (id) do update set as_of = excluded.as_of`);
  await db.execute(sql`
    with own as materialized (
      select u.account_id, u.contact_id, u.day, sum(u.events) as events
      from usage_daily u
      join accounts d on d.id = u.account_id and d.archived_at is null
      where u.contact_id <> ${NO_CONTACT}::uuid
        and u.day > ${asOf}::date - ${MAX_WINDOW_DAYS}::int and u.day <= ${asOf}::date
      group by u.account_id, u.contact_id, u.day
    )
    insert into usage_user_windows (account_id, period_days, contact_id, events, last_day)
    select c.ancestor_id, w.days, o.contact_id, sum(o.events), max(o.day)
    from ${WINDOW_PERIODS}
    join own o on o.day > ${asOf}::date - w.days
    join account_closure c on c.descendant_id = o.account_id
    group by c.ancestor_id, w.days, o.contact_id`);
}

/**
 * Recomputes `attribute_rollups` for the given source keys (default: every tracked key), dropping
 * rows of keys no live definition rolls up any more. Run it after an admin adds or changes a
 * rollup definition (see `afterRollupDefinitionsChanged` in attributes.ts).
 */
export async function rebuildAttributeRollups(db: Executor, keys?: string[]): Promise<void> {
  if (keys && !keys.length) return;
  const keyFilter = keys ? sql`source_key in ${keys}` : sql`true`;
  await db.execute(sql`delete from attribute_rollups where ${keyFilter} or source_key not in ${TRACKED_SOURCE_KEYS}`);
  await db.execute(sql`
    insert into attribute_rollups (account_id, source_key, own_present, own_number,
      count_below, numbers_below, sum_below, min_below, max_below)
    select c.ancestor_id, o.source_key,
      coalesce(bool_or(o.present) filter (where c.distance = 0), false),
      max(o.num) filter (where c.distance = 0),
      count(*) filter (where c.distance > 0),
      count(o.num) filter (where c.distance > 0),
      coalesce(sum(o.num) filter (where c.distance > 0), 0),
      min(o.num) filter (where c.distance > 0),
      max(o.num) filter (where c.distance > 0)
    from ${ownAttributeValuesSql(keys ? sql`d.key in ${keys}` : sql`true`)} o
    join account_closure c on c.descendant_id = o.account_id
    join accounts anc on anc.id = c.ancestor_id and anc.archived_at is null
    where o.present
    group by c.ancestor_id, o.source_key`);
}
