import { sql } from "drizzle-orm";
import type { Executor } from "@/db/client";
import { uuidArray } from "@/lib/rollups/sql";

/*
 * The kept counts per colour (success_unit_rollups) through structural changes of the hierarchy,
 * in the change's own transaction (the caller holds the exclusive hierarchy lock, see
 * lib/rollups/locks.ts). Like every other rollup, archived accounts count nowhere: an archived
 * subtree leaves its ancestors' counts and loses its own rows, and the worker does not rate it
 * (lib/success-units/compute.ts) until it is restored.
 */

const UNIT_COUNTS = sql`count(*) filter (where u.colour = 'red') as red, count(*) filter (where u.colour = 'amber') as amber,
  count(*) filter (where u.colour = 'green') as green`;

/**
 * Adds (sign 1) or removes (sign -1) the counts of the subtree of `rootId` (its own kept row) to or
 * from each of `ancestorIds`; rows left at zero go, so an account has a row exactly when units sit
 * in its live subtree (as the full rebuild leaves it). Called from shiftSubtreeTotals, so move,
 * archive and delete keep these counts with every other rollup.
 */
export async function shiftSuccessUnitCounts(db: Executor, rootId: string, ancestorIds: readonly string[], sign: 1 | -1): Promise<void> {
  if (!ancestorIds.length) return;
  const targets = uuidArray(ancestorIds);
  await db.execute(sql`
    insert into success_unit_rollups (account_id, red, amber, green)
    select t.id, ${sign}::int * s.red, ${sign}::int * s.amber, ${sign}::int * s.green
    from success_unit_rollups s cross join unnest(${targets}) as t(id)
    where s.account_id = ${rootId}::uuid and s.red + s.amber + s.green > 0
    order by t.id
    on conflict (account_id) do update set red = success_unit_rollups.red + excluded.red,
      amber = success_unit_rollups.amber + excluded.amber, green = success_unit_rollups.green + excluded.green`);
  if (sign === -1) {
    await db.execute(sql`delete from success_unit_rollups where account_id = any(${targets}) and red = 0 and amber = 0 and green = 0`);
  }
}

/** Drops the kept rows of the subtree of `rootId` (it is being archived: it counts nowhere). */
export async function dropSuccessUnitSubtree(db: Executor, rootId: string): Promise<void> {
  await db.execute(sql`delete from success_unit_rollups where account_id in (select descendant_id from account_closure where ancestor_id = ${rootId}::uuid)`);
}

/**
 * After a restore: the subtree's own rows from its stored units (live accounts only, a subtree-sized
 * count through the closure), then the subtree is added to the ancestors above it.
 */
export async function restoreSuccessUnitSubtree(db: Executor, rootId: string, ancestorIds: readonly string[]): Promise<void> {
  const subtree = sql`(select descendant_id from account_closure where ancestor_id = ${rootId}::uuid)`;
  await db.execute(sql`delete from success_unit_rollups where account_id in ${subtree}`);
  await db.execute(sql`
    insert into success_unit_rollups (account_id, red, amber, green)
    select c.ancestor_id, ${UNIT_COUNTS}
    from success_units u
    join accounts d on d.id = u.account_id and d.archived_at is null
    join account_closure c on c.descendant_id = u.account_id
    where u.account_id in ${subtree} and c.ancestor_id in ${subtree}
    group by c.ancestor_id
    order by c.ancestor_id`);
  await shiftSuccessUnitCounts(db, rootId, ancestorIds, 1);
}

/** Every live account's counts from scratch (its live subtree's stored units), as the kept rows should be. */
export function successUnitCountsSql() {
  return sql`
    select c.ancestor_id as account_id, ${UNIT_COUNTS}
    from success_units u
    join accounts d on d.id = u.account_id and d.archived_at is null
    join account_closure c on c.descendant_id = u.account_id
    group by c.ancestor_id`;
}
