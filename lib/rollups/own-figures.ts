import { sql, type SQL } from "drizzle-orm";
import type { Executor } from "@/db/client";
import { lockForUpkeep } from "./locks";
import { effectiveMrrSql } from "./mrr";
import { OPEN_TICKET_STATUSES } from "./rebuild";

/*
 * The account's own figures (MRR, open and urgent tickets, survey counts, health band), kept on
 * its `account_rollups` row and summed into every ancestor's: see the rule in lib/rollups/locks.ts.
 */

/** Recomputes the own MRR (after lockForUpkeep) and carries the difference up. */
export async function applyMrr(db: Executor, accountId: string): Promise<void> {
  const id = sql`${accountId}::uuid`;
  await db.execute(sql`
    with cur as (select own_mrr from account_rollups where account_id = ${id}),
    nxt as (select ${effectiveMrrSql(id)} as mrr),
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
