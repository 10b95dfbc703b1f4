import { sql } from "drizzle-orm";
import type { Executor } from "@/db/client";
import { rows } from "./sql";

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

/** Shared hierarchy lock plus the account's rollup row lock; false when the account has no row (archived or missing). */
export async function lockForUpkeep(db: Executor, accountId: string): Promise<boolean> {
  const found = await rows(
    db,
    sql`select 1 as one from account_rollups r, (select pg_advisory_xact_lock_shared(${HIERARCHY_LOCK})) l
        where r.account_id = ${accountId} for update of r`,
  );
  return found.length > 0;
}

/** Takes the exclusive hierarchy lock: no upkeep or other structural change runs until commit. */
export async function lockHierarchy(db: Executor): Promise<void> {
  await db.execute(sql`select pg_advisory_xact_lock(${HIERARCHY_LOCK})`);
}

/** The shared hierarchy and window locks usage upkeep needs: take them before inserting the raw events. */
export async function lockForUsage(db: Executor): Promise<void> {
  await db.execute(sql`select pg_advisory_xact_lock_shared(${HIERARCHY_LOCK}), pg_advisory_xact_lock_shared(${WINDOW_LOCK})`);
}
