import "server-only";
import { sql } from "drizzle-orm";
import type { Database, Executor } from "@/db/client";
import { emitEvents } from "@/lib/events/emit";
import type { NewDomainEvent } from "@/lib/events/types";
import { addDaysTo, today } from "@/lib/health/weeks";
import { pgPlainArray as list } from "@/lib/ingest/resolve";
import { rows } from "@/lib/rollups/sql";

/**
 * When an account's usage "dropped" (issue 18: followers hear of it). Evaluated once a day per
 * account by a background sweep, never on the ingest path (ingestion through the API runs at tens
 * of thousands of events a second and must not pay for this):
 *
 * - recent: the account's own events in the last 7 full days (today excluded, it is still filling);
 * - baseline: the weekly average of the 28 days before those;
 * - a drop starts when the baseline is at least MIN_WEEKLY_BASELINE events (a handful of events is
 *   noise, not a habit) and recent is below DROP_BELOW of it; it ends once recent is back to
 *   RECOVER_AT of the baseline (the gap keeps a value that hovers at the line from ringing daily).
 *
 * Followers hear once per drop: the start writes a `usage_drops` row with the `usage.dropped` event
 * (the notifications fan-out consumes it in the same transaction); the end removes the row.
 */
export const USAGE_DROP = { recentDays: 7, baselineDays: 28, dropBelow: 0.5, recoverAt: 0.75, minWeeklyBaseline: 20 } as const;

/** Accounts per run: one transaction, one aggregate over their usage_daily rows (indexed by account, day). */
export const USAGE_DROP_BATCH = 2000;

export type UsageVerdict = { dropped: boolean; baselineWeekly: number };

/** The rule above for one account, given its events in the recent window and in the baseline window. */
export function usageVerdict(recent: number, prior: number, wasDropped: boolean): UsageVerdict {
  const baselineWeekly = prior / (USAGE_DROP.baselineDays / USAGE_DROP.recentDays);
  if (baselineWeekly < USAGE_DROP.minWeeklyBaseline) return { dropped: false, baselineWeekly };
  const line = wasDropped ? USAGE_DROP.recoverAt : USAGE_DROP.dropBelow;
  return { dropped: recent < baselineWeekly * line, baselineWeekly };
}

/**
 * One bounded step of today's sweep: the next USAGE_DROP_BATCH live accounts (by id, after the saved
 * cursor), evaluated and their drops announced, the cursor saved in the same transaction. The sweep
 * row is claimed `for update skip locked`, so with several instances one walks while the others
 * wait for the next run; a crash rolls the step back and it is done again. Resolves to true when
 * more of today's walk is waiting.
 */
export async function runUsageDropSweep(db: Database, now: Date = new Date(), batch = USAGE_DROP_BATCH): Promise<boolean> {
  return db.transaction(async (tx) => {
    await tx.execute(sql`insert into usage_drop_sweep (id, day, cursor, finished) values (1, ${today(now)}::date, null, false) on conflict (id) do nothing`);
    const [state] = await rows<{ day: string; cursor: string | null; finished: boolean }>(
      tx,
      sql`select day::text as day, cursor, finished from usage_drop_sweep where id = 1 for update skip locked`,
    );
    if (!state) return false;
    // An instance whose clock is behind continues the walk of the day already begun, never an older one.
    const day = state.day > today(now) ? state.day : today(now);
    let cursor = state.cursor;
    if (state.day < day) cursor = null;
    else if (state.finished) return false;
    const accounts = await rows<{ id: string }>(
      tx,
      sql`select id from accounts where archived_at is null ${cursor ? sql`and id > ${cursor}::uuid` : sql``} order by id limit ${batch}`,
    );
    const ids = accounts.map((a) => a.id);
    if (ids.length) await evaluate(tx, ids, day, now);
    const finished = ids.length < batch;
    await tx.execute(sql`update usage_drop_sweep set day = ${day}::date, cursor = ${ids.length ? ids[ids.length - 1] : cursor}::uuid, finished = ${finished} where id = 1`);
    return !finished;
  });
}

/** Evaluates `ids` as of `day` and writes what changed: new drops (with their events) and recoveries. */
async function evaluate(tx: Executor, ids: string[], day: string, now: Date): Promise<void> {
  const recentFrom = addDaysTo(day, -USAGE_DROP.recentDays);
  const priorFrom = addDaysTo(recentFrom, -USAGE_DROP.baselineDays);
  // Only accounts with usage in the windows, or in a drop already, come back.
  const found = await rows<{ id: string; recent: string | number; prior: string | number; was_dropped: boolean }>(
    tx,
    sql`with u as (
          select d.account_id, coalesce(sum(d.events) filter (where d.day >= ${recentFrom}::date), 0) as recent,
            coalesce(sum(d.events) filter (where d.day < ${recentFrom}::date), 0) as prior
          from usage_daily d where d.account_id = any(${list(ids)}::uuid[]) and d.day >= ${priorFrom}::date and d.day < ${day}::date
          group by d.account_id)
        select coalesce(u.account_id, x.account_id) as id, coalesce(u.recent, 0) as recent, coalesce(u.prior, 0) as prior, x.account_id is not null as was_dropped
        from u full join (select account_id from usage_drops where account_id = any(${list(ids)}::uuid[])) x on x.account_id = u.account_id`,
  );
  const started: { id: string; recent: number; baseline: number }[] = [];
  const ended: string[] = [];
  for (const row of found) {
    const recent = Number(row.recent);
    const verdict = usageVerdict(recent, Number(row.prior), row.was_dropped);
    if (verdict.dropped && !row.was_dropped) started.push({ id: row.id, recent, baseline: Math.round(verdict.baselineWeekly) });
    else if (!verdict.dropped && row.was_dropped) ended.push(row.id);
  }
  if (ended.length) await tx.execute(sql`delete from usage_drops where account_id = any(${list(ended)}::uuid[])`);
  if (!started.length) return;
  started.sort((a, b) => a.id.localeCompare(b.id));
  await tx.execute(sql`insert into usage_drops (account_id, dropped_on, recent_events, baseline_weekly)
    select * from unnest(${list(started.map((s) => s.id))}::uuid[], ${list(started.map(() => day))}::date[], ${list(started.map((s) => String(s.recent)))}::bigint[], ${list(started.map((s) => String(s.baseline)))}::bigint[])`);
  await emitEvents(
    tx,
    started.map((s): NewDomainEvent => ({ type: "usage.dropped", accountId: s.id, actorId: null, data: { from: s.baseline, to: s.recent, windowDays: USAGE_DROP.recentDays }, occurredAt: now })),
  );
}

/** The background worker (lib/background/workers.ts): an idle check a minute finds the new day. */
export async function usageDropWorker() {
  const { getDb } = await import("@/db");
  return { name: "usage-drops", idleMs: 60_000, run: async () => runUsageDropSweep(await getDb()) };
}
