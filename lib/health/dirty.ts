import "server-only";
import { sql } from "drizzle-orm";
import type { Executor } from "@/db/client";
import { pgPlainArray as list } from "@/lib/ingest/resolve";
import { rows } from "@/lib/rollups/sql";

/** Off only in bench/health.ts, to time the same writes without health upkeep in one run. */
export const healthUpkeep = { enabled: true };

/**
 * Marks accounts for a health recompute, in the caller's transaction: ONE insert, no lookups and no
 * conflict check, so a write (a 10,000-event usage batch included) never waits on the worker.
 */
export async function markHealthDirty(db: Executor, accountIds: Iterable<string>): Promise<void> {
  if (!healthUpkeep.enabled) return;
  const ids = [...new Set(accountIds)];
  if (!ids.length) return;
  await db.execute(sql`insert into health_dirty (account_id) select unnest(${sql`${list(ids)}::uuid[]`})`);
}

/** Every live account of a type (a scheme change) or of all types (the daily re-score). */
export async function markAccountsDirty(db: Executor, accountTypeId: string | null): Promise<number> {
  const result = await rows<{ n: number }>(
    db,
    sql`with ins as (insert into health_dirty (account_id) select id from accounts where archived_at is null
          ${accountTypeId ? sql`and type_id = ${accountTypeId}::uuid` : sql``} order by id returning 1) select count(*)::int as n from ins`,
  );
  return Number(result[0]?.n ?? 0);
}

