import { sql } from "drizzle-orm";
import type { Executor } from "@/db/client";
import { lockForUpkeep } from "./locks";
import { applyMrr } from "./own-figures";
import { ownAttributeValuesSql, rebuildAttributeRollups, TRACKED_SOURCE_KEYS } from "./rebuild";
import { rows, uuidArray } from "./sql";

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
