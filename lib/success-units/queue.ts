import "server-only";
import { sql } from "drizzle-orm";
import type { Executor } from "@/db/client";
import { pgArray } from "@/lib/ingest/resolve";

/**
 * Success units are recomputed by a background worker (lib/success-units/worker.ts), not in the
 * usage write: a 10,000-event batch only adds its accounts to this queue (one statement), so
 * ingestion does not slow, and colours follow within seconds.
 */
export async function queueSuccessUnits(db: Executor, accountIds: Iterable<string>): Promise<void> {
  const ids = [...new Set(accountIds)];
  if (!ids.length) return;
  await db.execute(sql`
    insert into success_unit_queue (account_id)
    select id from unnest(${pgArray(ids)}::uuid[]) as a(id) order by id
    on conflict (account_id) do nothing`);
}

/** Every account that sends usage (thresholds changed, or the window slid a day). */
export async function queueAllSuccessUnits(db: Executor): Promise<void> {
  await db.execute(sql`
    insert into success_unit_queue (account_id)
    select a.id from accounts a where exists (select 1 from usage_daily d where d.account_id = a.id)
      or exists (select 1 from success_units s where s.account_id = a.id)
    on conflict (account_id) do nothing`);
}
