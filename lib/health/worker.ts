import "server-only";
import { sql } from "drizzle-orm";
import type { Database, Executor } from "@/db/client";
import { pgPlainArray as list } from "@/lib/ingest/resolve";
import { rows } from "@/lib/rollups/sql";
import { markAccountsDirty, refreshScores, scoreAccounts, writeScores } from "./engine";
import { loadSchemes } from "./schemes";
import { addDaysTo, mondayOfDay, today } from "./weeks";

/** Accounts per drain: one transaction, a handful of set-based queries per dimension. */
export const DIRTY_BATCH = 500;
/** Account-weeks per recompute step. */
export const RECOMPUTE_STEP = 2000;

/**
 * Once a day every account is marked dirty (days since a touchpoint, days to renewal and the
 * windows of usage move with the calendar, and the first run of a week opens its snapshot).
 * One row decides which instance does it: the update succeeds for exactly one.
 */
async function dailySweep(db: Executor, day: string): Promise<number> {
  const won = await rows<{ id: number }>(
    db,
    sql`insert into health_sweep (id, last_day) values (1, ${day}::date)
        on conflict (id) do update set last_day = excluded.last_day where health_sweep.last_day < excluded.last_day returning id`,
  );
  return won.length ? markAccountsDirty(db, null) : 0;
}

/**
 * One bounded batch of the health queue: claims up to DIRTY_BATCH marks (`for update skip locked`,
 * so instances share the queue), scores those accounts for the current week and writes them in the
 * same transaction as the claim: a crash puts the marks back. Resolves to true when more is waiting.
 */
export async function drainHealthDirty(db: Database, now: Date = new Date(), limit = DIRTY_BATCH): Promise<boolean> {
  try {
    return await drainOnce(db, now, limit);
  } catch (error) {
    // One account's data must not stall the queue: retry one mark at a time, and set aside (log and
    // drop) a single mark that still fails; the daily re-score tries that account again.
    if (limit > 1) {
      console.error("[health] a batch failed; scoring its accounts one at a time", error);
      for (let i = 0; i < limit; i++) if (!(await drainHealthDirty(db, now, 1))) return false;
      return true;
    }
    console.error("[health] could not score an account; its mark is dropped until the daily re-score", error);
    await db.execute(sql`delete from health_dirty where id = (select id from health_dirty order by id limit 1 for update skip locked)`);
    return true;
  }
}

async function drainOnce(db: Database, now: Date, limit: number): Promise<boolean> {
  const day = today(now);
  return db.transaction(async (tx) => {
    await dailySweep(tx, day);
    const claimed = await rows<{ account_id: string }>(
      tx,
      sql`delete from health_dirty where id in (select id from health_dirty order by id limit ${limit} for update skip locked) returning account_id`,
    );
    if (!claimed.length) return false;
    const ids = [...new Set(claimed.map((c) => c.account_id))].sort();
    await refreshScores(tx, ids, day, true);
    return claimed.length === limit;
  });
}

/** Runs the queue until it is empty (tests, the benchmark and the scheme-save path in tests). */
export async function drainAll(db: Database, now: Date = new Date()): Promise<void> {
  while (await drainHealthDirty(db, now)) {
    // keep going
  }
}

export type RecomputeProgress = { id: string; version: number; total: number; done: number; finishedAt: string | null; createdAt: string };

/**
 * One step of the oldest unfinished scheme recompute: the past weeks (1 … weeks−1 back; the current
 * week goes through the queue) of RECOMPUTE_STEP account-weeks, each week scored as of its Sunday
 * with the scheme's current version. The cursor is saved in the same transaction, so any instance
 * continues where another stopped. A recompute of an older version stops when a newer one exists.
 */
export async function runHealthRecompute(db: Database, now: Date = new Date()): Promise<boolean> {
  return db.transaction(async (tx) => {
    const [job] = await rows<{ id: string; scheme_id: string; version: number; weeks: number; cursor_week: number; cursor_account: string | null; account_type_id: string; current_version: number }>(
      tx,
      sql`select j.id, j.scheme_id, j.version, j.weeks, j.cursor_week, j.cursor_account, s.account_type_id, s.version as current_version
          from health_recomputes j join health_schemes s on s.id = j.scheme_id
          where j.finished_at is null order by j.created_at limit 1 for update of j skip locked`,
    );
    if (!job) return false;
    if (Number(job.current_version) !== Number(job.version) || Number(job.cursor_week) >= Number(job.weeks)) {
      await tx.execute(sql`update health_recomputes set finished_at = now(), done = case when ${Number(job.current_version) === Number(job.version)} then total else done end where id = ${job.id}`);
      return true;
    }
    const day = today(now);
    const week = addDaysTo(mondayOfDay(day), -7 * Number(job.cursor_week));
    const asOf = addDaysTo(week, 6);
    const accounts = await rows<{ id: string }>(
      tx,
      sql`select id from accounts where type_id = ${job.account_type_id}::uuid and archived_at is null
          ${job.cursor_account ? sql`and id > ${job.cursor_account}::uuid` : sql``} order by id limit ${RECOMPUTE_STEP}`,
    );
    const ids = accounts.map((a) => a.id);
    if (ids.length) {
      const schemes = await loadSchemes(tx);
      const scores = await scoreAccounts(tx, ids, asOf, { schemes });
      // Only accounts that existed that week (scoreAccounts leaves the others out) are written.
      const existed = await rows<{ id: string }>(tx, sql`select id from accounts where id = any(${list(ids)}::uuid[]) and created_at < ((${asOf}::date + 1)::timestamp at time zone 'UTC')`);
      await writeScores(tx, existed.map((e) => e.id), scores, week, false);
    }
    const lastPage = ids.length < RECOMPUTE_STEP;
    await tx.execute(sql`update health_recomputes set done = least(total, done + ${ids.length}),
        cursor_week = ${lastPage ? Number(job.cursor_week) + 1 : Number(job.cursor_week)},
        cursor_account = ${lastPage ? null : ids[ids.length - 1]}
        where id = ${job.id}`);
    return true;
  });
}

/** The newest recompute of a scheme, for the admin page's progress bar. */
export async function recomputeProgress(db: Executor, schemeId: string): Promise<RecomputeProgress | null> {
  const [job] = await rows<{ id: string; version: number; total: number; done: number; finished_at: string | null; created_at: string }>(
    db,
    sql`select id, version, total, done, finished_at::text, created_at::text from health_recomputes where scheme_id = ${schemeId}::uuid order by created_at desc limit 1`,
  );
  return job ? { id: job.id, version: Number(job.version), total: Number(job.total), done: Number(job.done), finishedAt: job.finished_at, createdAt: job.created_at } : null;
}
