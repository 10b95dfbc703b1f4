import { sql, type SQL } from "drizzle-orm";
import type { Executor } from "@/db/client";
import { NO_CONTACT, USER_WINDOW_DAYS } from "@/db/schema";
import {
  OPEN_TICKET_STATUSES,
  TRACKED_SOURCE_KEYS,
  ownAttributeValuesSql,
  ownMrrSql,
  rebuildAttributeRollups,
  rebuildUserWindows,
  utcToday,
  WINDOW_PERIODS,
} from "./rebuild";

/*
 * Incremental upkeep of the rollup caches, run in the SAME transaction as the change (every
 * function takes the transaction as `db`), so a change to a leaf is on every ancestor when it commits.
 *
 * The rule for account totals: recompute the changed account's OWN number from its raw rows (a few
 * indexed rows), compare it with the own value stored in its `account_rollups` row, and add the
 * difference to the account and all its ancestors through `account_closure` in one statement. Callers
 * say what changed on which account, never by how much, so a caller cannot get a delta wrong, and
 * calling twice is harmless.
 *
 * Concurrency: each upkeep first takes a shared hierarchy lock (moves take it exclusively, so the
 * ancestor set cannot change underneath) and locks the account's rollup row (so two transactions
 * changing the same account cannot both apply a delta computed from the same old own value).
 * Ancestor rows are updated with `x = x + delta`, which concurrent writers may do in any order.
 */

/** Advisory lock key of the hierarchy: shared by upkeep, exclusive for structural changes. */
export const HIERARCHY_LOCK = 360_361;
/** Advisory lock key of the user windows: shared by ingestion, exclusive while the windows slide. */
export const WINDOW_LOCK = 360_362;

type Row = Record<string, unknown>;

async function rows<T extends Row>(db: Executor, query: SQL): Promise<T[]> {
  const result = await db.execute(query);
  return (result as unknown as { rows: T[] }).rows;
}

/** `array[...]::uuid[]` of the ids (an empty array when none). */
export function uuidArray(ids: readonly string[]): SQL {
  if (!ids.length) return sql`'{}'::uuid[]`;
  return sql`array[${sql.join(
    ids.map((id) => sql`${id}`),
    sql`, `,
  )}]::uuid[]`;
}

/** Shared hierarchy lock plus the account's rollup row lock; false when the account has no row (archived or missing). */
async function lockForUpkeep(db: Executor, accountId: string): Promise<boolean> {
  const found = await rows(
    db,
    sql`select 1 as one from account_rollups r, (select pg_advisory_xact_lock_shared(${HIERARCHY_LOCK})) l
        where r.account_id = ${accountId} for update of r`,
  );
  return found.length > 0;
}

// ---------------------------------------------------------------------------------------------
// Own metrics: MRR, tickets, surveys, health band
// ---------------------------------------------------------------------------------------------

async function applyMrr(db: Executor, accountId: string): Promise<void> {
  const id = sql`${accountId}::uuid`;
  await db.execute(sql`
    with cur as (select own_mrr from account_rollups where account_id = ${id}),
    nxt as (select ${ownMrrSql(id)} as mrr),
    d as (select nxt.mrr, nxt.mrr - cur.own_mrr as delta from cur, nxt where nxt.mrr <> cur.own_mrr)
    update account_rollups r set
      mrr = r.mrr + d.delta,
      own_mrr = case when r.account_id = ${id} then d.mrr else r.own_mrr end,
      updated_at = now()
    from d, account_closure c
    where c.descendant_id = ${id} and r.account_id = c.ancestor_id`);
}

async function applyTickets(db: Executor, accountId: string): Promise<void> {
  const id = sql`${accountId}::uuid`;
  await db.execute(sql`
    with cur as (select own_open_tickets, own_urgent_tickets from account_rollups where account_id = ${id}),
    nxt as (
      select count(*) filter (where status in ${OPEN_TICKET_STATUSES})::int as open,
        count(*) filter (where status in ${OPEN_TICKET_STATUSES} and priority = 'urgent')::int as urgent
      from support_tickets where account_id = ${id}
    ),
    d as (
      select nxt.open, nxt.urgent, nxt.open - cur.own_open_tickets as d_open, nxt.urgent - cur.own_urgent_tickets as d_urgent
      from cur, nxt where (nxt.open, nxt.urgent) <> (cur.own_open_tickets, cur.own_urgent_tickets)
    )
    update account_rollups r set
      open_tickets = r.open_tickets + d.d_open,
      urgent_tickets = r.urgent_tickets + d.d_urgent,
      own_open_tickets = case when r.account_id = ${id} then d.open else r.own_open_tickets end,
      own_urgent_tickets = case when r.account_id = ${id} then d.urgent else r.own_urgent_tickets end,
      updated_at = now()
    from d, account_closure c
    where c.descendant_id = ${id} and r.account_id = c.ancestor_id`);
}

async function applySurveys(db: Executor, accountId: string): Promise<void> {
  const id = sql`${accountId}::uuid`;
  await db.execute(sql`
    with cur as (
      select own_nps_count, own_nps_promoters, own_nps_detractors, own_csat_count, own_csat_sum
      from account_rollups where account_id = ${id}
    ),
    nxt as (
      select count(*) filter (where kind = 'nps')::int as nps_count,
        count(*) filter (where kind = 'nps' and score >= 9)::int as nps_promoters,
        count(*) filter (where kind = 'nps' and score <= 6)::int as nps_detractors,
        count(*) filter (where kind = 'csat')::int as csat_count,
        coalesce(sum(score) filter (where kind = 'csat'), 0)::int as csat_sum
      from survey_responses where account_id = ${id}
    ),
    d as (
      select nxt.*,
        nxt.nps_count - cur.own_nps_count as d_nps_count,
        nxt.nps_promoters - cur.own_nps_promoters as d_nps_promoters,
        nxt.nps_detractors - cur.own_nps_detractors as d_nps_detractors,
        nxt.csat_count - cur.own_csat_count as d_csat_count,
        nxt.csat_sum - cur.own_csat_sum as d_csat_sum
      from cur, nxt
      where (nxt.nps_count, nxt.nps_promoters, nxt.nps_detractors, nxt.csat_count, nxt.csat_sum)
        <> (cur.own_nps_count, cur.own_nps_promoters, cur.own_nps_detractors, cur.own_csat_count, cur.own_csat_sum)
    )
    update account_rollups r set
      nps_count = r.nps_count + d.d_nps_count,
      nps_promoters = r.nps_promoters + d.d_nps_promoters,
      nps_detractors = r.nps_detractors + d.d_nps_detractors,
      csat_count = r.csat_count + d.d_csat_count,
      csat_sum = r.csat_sum + d.d_csat_sum,
      own_nps_count = case when r.account_id = ${id} then d.nps_count else r.own_nps_count end,
      own_nps_promoters = case when r.account_id = ${id} then d.nps_promoters else r.own_nps_promoters end,
      own_nps_detractors = case when r.account_id = ${id} then d.nps_detractors else r.own_nps_detractors end,
      own_csat_count = case when r.account_id = ${id} then d.csat_count else r.own_csat_count end,
      own_csat_sum = case when r.account_id = ${id} then d.csat_sum else r.own_csat_sum end,
      updated_at = now()
    from d, account_closure c
    where c.descendant_id = ${id} and r.account_id = c.ancestor_id`);
}

function bandDelta(band: "good" | "average" | "poor"): SQL {
  return sql`(case when d.new_band = ${band} then 1 else 0 end) - (case when d.old_band = ${band} then 1 else 0 end)`;
}

async function applyHealth(db: Executor, accountId: string): Promise<void> {
  const id = sql`${accountId}::uuid`;
  await db.execute(sql`
    with cur as (select own_health from account_rollups where account_id = ${id}),
    nxt as (select (select h.band from health_snapshots h where h.account_id = ${id} order by h.week_start desc limit 1) as band),
    d as (select cur.own_health as old_band, nxt.band as new_band from cur, nxt where cur.own_health is distinct from nxt.band)
    update account_rollups r set
      own_health = case when r.account_id = ${id} then d.new_band else r.own_health end,
      health_good = r.health_good + case when r.account_id = ${id} then 0 else ${bandDelta("good")} end,
      health_average = r.health_average + case when r.account_id = ${id} then 0 else ${bandDelta("average")} end,
      health_poor = r.health_poor + case when r.account_id = ${id} then 0 else ${bandDelta("poor")} end,
      updated_at = now()
    from d, account_closure c
    where c.descendant_id = ${id} and r.account_id = c.ancestor_id`);
}

export type MetricGroup = "mrr" | "tickets" | "surveys" | "health";
const ALL_GROUPS: MetricGroup[] = ["mrr", "tickets", "surveys", "health"];

/**
 * Recomputes the account's own numbers for the given groups and carries any difference up to every
 * ancestor. Does nothing for an archived (or unknown) account: it counts nowhere.
 */
export async function refreshOwnMetrics(db: Executor, accountId: string, groups: readonly MetricGroup[] = ALL_GROUPS): Promise<void> {
  if (!(await lockForUpkeep(db, accountId))) return;
  for (const group of groups) {
    if (group === "mrr") await applyMrr(db, accountId);
    else if (group === "tickets") await applyTickets(db, accountId);
    else if (group === "surveys") await applySurveys(db, accountId);
    else await applyHealth(db, accountId);
  }
}

/** After a contract of the account was added, changed (mrr, active, excluded) or removed. */
export function afterContractsChanged(db: Executor, accountId: string): Promise<void> {
  return refreshOwnMetrics(db, accountId, ["mrr"]);
}

/** After a support ticket of the account was added, changed (status, priority) or removed. */
export function afterTicketsChanged(db: Executor, accountId: string): Promise<void> {
  return refreshOwnMetrics(db, accountId, ["tickets"]);
}

/** After NPS or CSAT responses of the account were added, changed or removed. */
export function afterSurveyResponsesChanged(db: Executor, accountId: string): Promise<void> {
  return refreshOwnMetrics(db, accountId, ["surveys"]);
}

/** After a health snapshot of the account was written (its latest band may have changed). */
export function afterHealthSnapshot(db: Executor, accountId: string): Promise<void> {
  return refreshOwnMetrics(db, accountId, ["health"]);
}

/**
 * After attribute values of the account changed (give the changed keys, or omit them to check every
 * tracked key): keeps `mrr_override` in the MRR rollup and every tracked source key in
 * `attribute_rollups`.
 */
export async function afterAttributeValuesChanged(db: Executor, accountId: string, keys?: readonly string[]): Promise<void> {
  if (!(await lockForUpkeep(db, accountId))) return;
  if (!keys || keys.includes("mrr_override")) await applyMrr(db, accountId);
  const tracked = await trackedSourceKeys(db, keys);
  if (!tracked.length) return;
  const [account] = await rows<{ path: string[] }>(db, sql`select path from accounts where id = ${accountId}`);
  for (const key of tracked) await applyAttribute(db, accountId, account.path, key);
}

/** Tracked source keys, optionally only those among `keys`. */
async function trackedSourceKeys(db: Executor, keys?: readonly string[]): Promise<string[]> {
  if (keys && !keys.length) return [];
  const found = await rows<{ key: string }>(
    db,
    sql`select k.key from ${TRACKED_SOURCE_KEYS} as k(key) ${keys ? sql`where k.key in ${[...keys]}` : sql``}`,
  );
  return found.map((r) => r.key);
}

// ---------------------------------------------------------------------------------------------
// Attribute rollups
// ---------------------------------------------------------------------------------------------

/**
 * Carries a change of the account's own value of `key` up the tree: sums and counts by delta on
 * every strict ancestor (one statement), then min/max bottom-up from the parent, each level from
 * its children's rows only, stopping at the first level whose min/max did not move.
 */
async function applyAttribute(db: Executor, accountId: string, path: readonly string[], key: string): Promise<void> {
  const id = sql`${accountId}::uuid`;
  const [change] = await rows<{ changed: number; number_changed: boolean }>(
    db,
    sql`
    with nxt as (
      select coalesce(bool_or(o.present), false) as present, max(o.num) as num
      from ${ownAttributeValuesSql(sql`v.account_id = ${id} and d.key = ${key}`)} o
    ),
    cur as (
      select coalesce(bool_or(own_present), false) as present, max(own_number) as num
      from attribute_rollups where account_id = ${id} and source_key = ${key}
    ),
    d as (
      select nxt.present, nxt.num,
        nxt.present::int - cur.present::int as d_count,
        (nxt.num is not null)::int - (cur.num is not null)::int as d_numbers,
        coalesce(nxt.num, 0) - coalesce(cur.num, 0) as d_sum,
        nxt.num is distinct from cur.num as number_changed
      from nxt, cur
      where (nxt.present, nxt.num) is distinct from (cur.present, cur.num)
    ),
    own_row as (
      insert into attribute_rollups (account_id, source_key, own_present, own_number)
      select ${id}, ${key}, d.present, d.num from d
      on conflict (account_id, source_key) do update set own_present = excluded.own_present, own_number = excluded.own_number
      returning 1
    ),
    ancestor_rows as (
      insert into attribute_rollups (account_id, source_key, count_below, numbers_below, sum_below)
      select c.ancestor_id, ${key}, d.d_count, d.d_numbers, d.d_sum
      from d, account_closure c where c.descendant_id = ${id} and c.distance > 0
      on conflict (account_id, source_key) do update set
        count_below = attribute_rollups.count_below + excluded.count_below,
        numbers_below = attribute_rollups.numbers_below + excluded.numbers_below,
        sum_below = attribute_rollups.sum_below + excluded.sum_below
      returning 1
    )
    select count(*)::int as changed, coalesce(bool_or(d.number_changed), false) as number_changed from d`,
  );
  if (!change?.changed) return;
  if (change.number_changed) await walkMinMax(db, path, key);
  await dropEmptyAttributeRows(db, [accountId, ...path], key);
}

/**
 * Recomputes min/max below for `key` on the ancestors in `path` (root first, so walked from the
 * end), each from its children's own values and subtree min/max: O(children) per level.
 */
async function walkMinMax(db: Executor, path: readonly string[], key: string): Promise<void> {
  for (let i = path.length - 1; i >= 0; i--) {
    const parent = sql`${path[i]}::uuid`;
    const updated = await rows(
      db,
      sql`
      update attribute_rollups p set min_below = s.mn, max_below = s.mx
      from (
        select min(least(r.own_number, r.min_below)) as mn, max(greatest(r.own_number, r.max_below)) as mx
        from accounts c join attribute_rollups r on r.account_id = c.id and r.source_key = ${key}
        where c.parent_id = ${parent} and c.archived_at is null
      ) s
      where p.account_id = ${parent} and p.source_key = ${key}
        and (p.min_below is distinct from s.mn or p.max_below is distinct from s.mx)
      returning 1 as one`,
    );
    if (!updated.length) return;
  }
}

async function dropEmptyAttributeRows(db: Executor, accountIds: readonly string[], key?: string): Promise<void> {
  if (!accountIds.length) return;
  await db.execute(sql`
    delete from attribute_rollups
    where account_id = any(${uuidArray(accountIds)}) ${key === undefined ? sql`` : sql`and source_key = ${key}`}
      and not own_present and count_below = 0`);
}

/**
 * After an admin added, changed or deleted attribute definitions: rebuilds the rollups of source
 * keys that became tracked (a one-off subtree pass over that key's values) and drops keys no longer
 * rolled up. Cheap when nothing changed.
 */
export async function afterRollupDefinitionsChanged(db: Executor): Promise<void> {
  const [state] = await rows<{ missing: string[] | null; stale: number }>(
    db,
    sql`select
      (select array_agg(k.key) from ${TRACKED_SOURCE_KEYS} as k(key)
        where not exists (select 1 from attribute_rollups r where r.source_key = k.key)) as missing,
      (select count(*)::int from attribute_rollups r where r.source_key not in ${TRACKED_SOURCE_KEYS}) as stale`,
  );
  const missing = state?.missing ?? [];
  if (missing.length) await rebuildAttributeRollups(db, missing);
  else if (state?.stale) await db.execute(sql`delete from attribute_rollups where source_key not in ${TRACKED_SOURCE_KEYS}`);
}

/** How a parent's rolled-up attribute reads its value from its one `attribute_rollups` row. */
export type RollupRule = "none" | "sum" | "avg" | "min" | "max" | "count";
export type AttributeRollupRow = {
  countBelow: number;
  numbersBelow: number;
  sumBelow: string | number;
  minBelow: string | number | null;
  maxBelow: string | number | null;
};

/**
 * The value a parent shows for a rolled-up attribute: the rollup over every account strictly below
 * it (the parent's own stored value of that attribute, if any, is ignored: a rolled-up attribute is
 * computed, never typed in). null when nothing below has a value.
 */
export function rolledUpValue(rule: RollupRule, row: AttributeRollupRow | null | undefined): number | null {
  if (!row || rule === "none") return null;
  switch (rule) {
    case "sum":
      return row.numbersBelow ? Number(row.sumBelow) : null;
    case "avg":
      return row.numbersBelow ? Number(row.sumBelow) / row.numbersBelow : null;
    case "min":
      return row.minBelow === null ? null : Number(row.minBelow);
    case "max":
      return row.maxBelow === null ? null : Number(row.maxBelow);
    case "count":
      return row.countBelow;
  }
}

// ---------------------------------------------------------------------------------------------
// Usage events
// ---------------------------------------------------------------------------------------------

export type UsageEventInput = {
  accountId: string;
  activityId: string;
  occurredAt: Date | string;
  contactId?: string | null;
  count?: number;
};

export type IngestResult = { inserted: number; duplicate: boolean };

/**
 * Writes a batch of usage events and, in the same statement, adds them to `usage_daily` (the
 * account's own per-day aggregate, by activity and end user) and to `usage_rollup_daily` of the
 * account and every ancestor (per day and module). The module comes from the activity; days are UTC.
 * Events of archived accounts are stored but counted nowhere. With an idempotency key, a replayed
 * batch writes nothing.
 */
export async function ingestUsageEvents(
  db: Executor,
  events: readonly UsageEventInput[],
  options: { idempotencyKey?: string } = {},
): Promise<IngestResult> {
  if (options.idempotencyKey) {
    const claimed = await rows(
      db,
      sql`insert into usage_ingest_batches (idempotency_key, events) values (${options.idempotencyKey}, ${events.length})
          on conflict (idempotency_key) do nothing returning 1 as one`,
    );
    if (!claimed.length) return { inserted: 0, duplicate: true };
  }
  if (!events.length) return { inserted: 0, duplicate: false };
  const payload = JSON.stringify(
    events.map((e) => ({
      account_id: e.accountId,
      activity_id: e.activityId,
      contact_id: e.contactId ?? null,
      occurred_at: e.occurredAt instanceof Date ? e.occurredAt.toISOString() : e.occurredAt,
      count: e.count ?? 1,
    })),
  );
  await db.execute(sql`select pg_advisory_xact_lock_shared(${HIERARCHY_LOCK}), pg_advisory_xact_lock_shared(${WINDOW_LOCK})`);
  const [result] = await rows<{ inserted: number }>(
    db,
    sql`
    with input as (
      select x.account_id, x.activity_id, x.contact_id, x.occurred_at, x.count, act.module_id
      from jsonb_to_recordset(${payload}::jsonb)
        as x(account_id uuid, activity_id uuid, contact_id uuid, occurred_at timestamptz, count int)
      join usage_activities act on act.id = x.activity_id
    ),
    inserted as (
      insert into usage_events (account_id, contact_id, module_id, activity_id, occurred_at, count)
      select account_id, contact_id, module_id, activity_id, occurred_at, count from input
      returning account_id, contact_id, module_id, activity_id, occurred_at, count
    ),
    per_day as (
      select account_id, (occurred_at at time zone 'UTC')::date as day, activity_id, module_id,
        coalesce(contact_id, ${NO_CONTACT}::uuid) as contact_id, sum(count)::bigint as events
      from inserted group by 1, 2, 3, 4, 5
    ),
    daily as (
      insert into usage_daily (account_id, day, activity_id, module_id, contact_id, events)
      select account_id, day, activity_id, module_id, contact_id, events from per_day
      on conflict (account_id, day, activity_id, contact_id) do update set events = usage_daily.events + excluded.events
      returning 1
    ),
    rolled as (
      insert into usage_rollup_daily (account_id, day, activity_id, module_id, events)
      select c.ancestor_id, p.day, p.activity_id, p.module_id, sum(p.events)
      from per_day p
      join accounts a on a.id = p.account_id and a.archived_at is null
      join account_closure c on c.descendant_id = p.account_id
      group by c.ancestor_id, p.day, p.activity_id, p.module_id
      on conflict (account_id, day, activity_id) do update set events = usage_rollup_daily.events + excluded.events
      returning 1
    ),
    -- Days after as_of are left to slideUserWindows, which adds them when the windows reach them.
    windowed as (
      insert into usage_user_windows (account_id, period_days, contact_id, events, last_day)
      select c.ancestor_id, w.days, p.contact_id, sum(p.events), max(p.day)
      from per_day p
      join accounts a on a.id = p.account_id and a.archived_at is null
      join usage_window_state st on st.id = 1
      join ${WINDOW_PERIODS} on p.day > st.as_of - w.days and p.day <= st.as_of
      join account_closure c on c.descendant_id = p.account_id
      where p.contact_id <> ${NO_CONTACT}::uuid
      group by c.ancestor_id, w.days, p.contact_id
      on conflict (account_id, period_days, contact_id) do update set
        events = usage_user_windows.events + excluded.events,
        last_day = greatest(usage_user_windows.last_day, excluded.last_day)
      returning 1
    )
    select count(*)::int as inserted from inserted`,
  );
  const inserted = result?.inserted ?? 0;
  // An unknown activity would silently drop its events: fail the whole batch instead.
  if (inserted !== events.length) throw new Error(`usage batch: ${events.length - inserted} events name an unknown activity`);
  return { inserted, duplicate: false };
}

/** The shared hierarchy and window locks usage upkeep needs: take them before inserting the raw events. */
export async function lockForUsage(db: Executor): Promise<void> {
  await db.execute(sql`select pg_advisory_xact_lock_shared(${HIERARCHY_LOCK}), pg_advisory_xact_lock_shared(${WINDOW_LOCK})`);
}

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
 * lockForUsage first and leaves archived accounts out, as ingestUsageEvents does. Three statements,
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

// ---------------------------------------------------------------------------------------------
// Structural changes (used by lib/hierarchy; the caller holds the exclusive hierarchy lock)
// ---------------------------------------------------------------------------------------------

/** Takes the exclusive hierarchy lock: no upkeep or other structural change runs until commit. */
export async function lockHierarchy(db: Executor): Promise<void> {
  await db.execute(sql`select pg_advisory_xact_lock(${HIERARCHY_LOCK})`);
}

/**
 * Adds (sign 1) or removes (sign -1) the whole subtree of `rootId` — its rolled-up totals, its
 * accounts in the health mix and descendants count, its usage per day, and its attribute sums and
 * counts — to or from each of `ancestorIds`. Min/max are not touched: walk them afterwards.
 */
export async function shiftSubtreeTotals(db: Executor, rootId: string, ancestorIds: readonly string[], sign: 1 | -1): Promise<void> {
  if (!ancestorIds.length) return;
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

/**
 * Subtracts `removed` (rows of account_id, period_days, contact_id, events, last_day) from the user
 * windows. A row that reaches 0 goes. When the removed part held the row's last day, the user also
 * has events elsewhere below the account (a contact linked to several accounts) and the last day is
 * re-read from usage_daily for those rows alone, leaving out the subtree of `leaving` (a subtree on
 * its way out, which the closure still places below).
 */
async function shrinkUserWindows(db: Executor, removed: SQL, leaving?: SQL): Promise<void> {
  await db.execute(sql`
    with r as (${removed})
    update usage_user_windows u set events = u.events - r.events
    from r
    where u.account_id = r.account_id and u.period_days = r.period_days and u.contact_id = r.contact_id`);
  // Separate statements: within one, a DELETE cannot see the rows an UPDATE of the same statement changed.
  await db.execute(sql`
    with r as (${removed})
    delete from usage_user_windows u using r
    where u.account_id = r.account_id and u.period_days = r.period_days and u.contact_id = r.contact_id and u.events <= 0`);
  // Only rows still present count.
  await db.execute(sql`
    with r as (${removed}),
    stale as (
      select u.account_id, u.period_days, u.contact_id
      from usage_user_windows u join r
        on u.account_id = r.account_id and u.period_days = r.period_days and u.contact_id = r.contact_id
      where r.last_day >= u.last_day
    ),
    fresh as (
      select x.account_id, x.period_days, x.contact_id, max(d.day) as last_day
      from stale x
      join usage_window_state st on st.id = 1
      join account_closure c on c.ancestor_id = x.account_id
      join accounts a on a.id = c.descendant_id and a.archived_at is null
        ${leaving ? sql`and not exists (select 1 from account_closure lc where lc.ancestor_id = ${leaving} and lc.descendant_id = a.id)` : sql``}
      join usage_daily d on d.account_id = c.descendant_id and d.contact_id = x.contact_id
        and d.day > st.as_of - x.period_days::int and d.day <= st.as_of
      group by x.account_id, x.period_days, x.contact_id
    )
    update usage_user_windows u set last_day = f.last_day
    from fresh f
    where u.account_id = f.account_id and u.period_days = f.period_days and u.contact_id = f.contact_id`);
}

/**
 * Slides the user windows to end on `today` (UTC, default now): subtracts the days that left each
 * window, adds the days in (as_of, today] (events that arrived for days after as_of were left out
 * when they were ingested), and records the new as_of. Runs in its own transaction under the
 * exclusive window lock, so no ingestion sees a half-slid state; a long gap rebuilds instead.
 * Cheap: it reads the usage_daily rows of the days that moved (a day is ~0.1% of a year's rows).
 * Readers call it when they find as_of behind today; calling it twice the same day does nothing.
 */
export async function slideUserWindows(db: Executor, today: string = utcToday()): Promise<"current" | "slid" | "rebuilt"> {
  return db.transaction(async (tx) => {
    await tx.execute(sql`select pg_advisory_xact_lock(${WINDOW_LOCK})`);
    const [state] = await rows<{ as_of: string; gap: number }>(
      tx,
      sql`select as_of::text as as_of, (${today}::date - as_of)::int as gap from usage_window_state where id = 1`,
    );
    if (state && state.gap <= 0) return "current";
    if (!state || state.gap >= MAX_WINDOW) {
      await rebuildUserWindows(tx, today);
      return "rebuilt";
    }
    const asOf = state.as_of;
    await shrinkUserWindows(
      tx,
      sql`select c.ancestor_id as account_id, w.days as period_days, u.contact_id, sum(u.events) as events, max(u.day) as last_day
        from ${WINDOW_PERIODS}
        join usage_daily u on u.day > ${asOf}::date - w.days and u.day <= ${today}::date - w.days
          and u.contact_id <> ${NO_CONTACT}::uuid
        join accounts a on a.id = u.account_id and a.archived_at is null
        join account_closure c on c.descendant_id = u.account_id
        group by c.ancestor_id, w.days, u.contact_id`,
    );
    await tx.execute(sql`
      insert into usage_user_windows (account_id, period_days, contact_id, events, last_day)
      select c.ancestor_id, w.days, u.contact_id, sum(u.events), max(u.day)
      from ${WINDOW_PERIODS}
      join usage_daily u on u.day > ${asOf}::date and u.day <= ${today}::date and u.day > ${today}::date - w.days
        and u.contact_id <> ${NO_CONTACT}::uuid
      join accounts a on a.id = u.account_id and a.archived_at is null
      join account_closure c on c.descendant_id = u.account_id
      group by c.ancestor_id, w.days, u.contact_id
      on conflict (account_id, period_days, contact_id) do update set
        events = usage_user_windows.events + excluded.events,
        last_day = greatest(usage_user_windows.last_day, excluded.last_day)`);
    await tx.execute(sql`update usage_window_state set as_of = ${today}::date where id = 1`);
    return "slid";
  });
}

const MAX_WINDOW = Math.max(...USER_WINDOW_DAYS);

/** Source keys with a row on the account (the keys its subtree contributes to). */
export async function attributeKeysOf(db: Executor, accountId: string): Promise<string[]> {
  const found = await rows<{ source_key: string }>(db, sql`select source_key from attribute_rollups where account_id = ${accountId}`);
  return found.map((r) => r.source_key);
}

/**
 * After a subtree joined or left below the chain `path` (root first, ending at the new or old
 * parent): recomputes min/max for each key bottom-up and drops rows left empty.
 */
export async function settleAttributeChain(db: Executor, path: readonly string[], keys: readonly string[]): Promise<void> {
  if (!path.length || !keys.length) return;
  for (const key of keys) await walkMinMax(db, path, key);
  await dropEmptyAttributeRows(db, path);
}
