import "server-only";
import { sql } from "drizzle-orm";
import type { Database } from "@/db/client";
import { todayIso } from "@/lib/days";
import { rows } from "@/lib/ingest/resolve";
import { applySuccessUnits } from "./compute";
import { queueAllSuccessUnits } from "./queue";

/** Accounts per run: one transaction of bounded size. */
export const SUCCESS_UNIT_BATCH = 500;

/**
 * One bounded batch: once a day (UTC) every rated account is queued (the 30-day window slides);
 * then up to SUCCESS_UNIT_BATCH queued accounts are claimed (`for update skip locked`, so several
 * instances share the queue), recomputed and their parents' counts moved, in one transaction.
 * Resolves to true when more accounts are waiting.
 */
export async function runSuccessUnits(db: Database, now = new Date()): Promise<boolean> {
  return db.transaction(async (tx) => {
    const today = todayIso(now);
    const swept = await rows<{ swept_on: string | null }>(tx, sql`
      insert into success_unit_state (id, swept_on) values (1, ${today})
      on conflict (id) do update set swept_on = excluded.swept_on where success_unit_state.swept_on is distinct from excluded.swept_on
      returning swept_on`);
    if (swept.length) await queueAllSuccessUnits(tx);
    const claimed = await rows<{ account_id: string }>(tx, sql`
      delete from success_unit_queue where account_id in (
        select account_id from success_unit_queue order by queued_at, account_id limit ${SUCCESS_UNIT_BATCH} for update skip locked)
      returning account_id`);
    if (!claimed.length) return false;
    await applySuccessUnits(tx, claimed.map((c) => c.account_id), now);
    const more = await rows<{ n: number }>(tx, sql`select 1 as n from success_unit_queue limit 1`);
    return more.length > 0;
  });
}
