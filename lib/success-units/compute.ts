import "server-only";
import { sql } from "drizzle-orm";
import type { Executor } from "@/db/client";
import { NO_CONTACT, type SuccessUnitColour } from "@/db/schema";
import { addDays, todayIso } from "@/lib/days";
import { pgArray, rows } from "@/lib/ingest/resolve";
import { HIERARCHY_LOCK } from "@/lib/rollups/locks";
import { ADOPTION_WINDOW_DAYS } from "./constants";
import { successUnitCountsSql } from "./rollups";

/**
 * What a success unit measures, said once (the admin page and the widget show this sentence):
 * adoption of a module by an account is the number of distinct known end users (contacts) with at
 * least one event of that module on the account itself over the last 30 days (today included).
 */
export { ADOPTION_WINDOW_DAYS };
export const ADOPTION_DEFINITION =
  "Adoption = distinct known end users (contacts) of the module on the account itself over the last 30 days. Red below the amber threshold, amber from it, green from the green threshold. Only accounts that send usage are rated.";

export type DesiredUnit = { accountId: string; moduleId: string; colour: SuccessUnitColour; activeUsers: number };

export function colourFor(activeUsers: number, amberMin: number, greenMin: number): SuccessUnitColour {
  return activeUsers >= greenMin ? "green" : activeUsers >= amberMin ? "amber" : "red";
}

/**
 * The units the accounts should have now, from usage_daily (its key starts with account and day)
 * and the thresholds: one per thresholded module for each account that has any usage at all.
 */
export async function desiredUnits(db: Executor, accountIds: readonly string[], now = new Date()): Promise<DesiredUnit[]> {
  if (!accountIds.length) return [];
  const from = addDays(todayIso(now), -(ADOPTION_WINDOW_DAYS - 1));
  const result = await rows<{ account_id: string; module_id: string; active_users: number | string; amber_min: number; green_min: number }>(
    db,
    sql`
      with rated as (
        select a.id from unnest(${pgArray([...accountIds])}::uuid[]) as a(id)
        where exists (select 1 from usage_daily d where d.account_id = a.id)
      ),
      users as (
        select d.account_id, d.module_id, count(distinct d.contact_id) as n
        from usage_daily d
        where d.account_id in (select id from rated) and d.day >= ${from}::date and d.contact_id <> ${NO_CONTACT}::uuid
        group by d.account_id, d.module_id
      )
      select r.id as account_id, t.module_id, coalesce(u.n, 0) as active_users, t.amber_min, t.green_min
      from rated r cross join success_unit_thresholds t
      left join users u on u.account_id = r.id and u.module_id = t.module_id`,
  );
  return result.map((r) => {
    const n = Number(r.active_users);
    return { accountId: r.account_id, moduleId: r.module_id, activeUsers: n, colour: colourFor(n, r.amber_min, r.green_min) };
  });
}

type Counts = { red: number; amber: number; green: number };

/**
 * Brings the accounts' stored units to what they should be, in the caller's transaction: changed
 * colours are written with a history row each (a removed unit: to null), and the counts per colour
 * of every account above (and the account itself) move by the difference, so a parent reads one
 * row. Archived accounts are skipped (their units stay as they were, counted nowhere). Accounts are locked in id order, so concurrent runs over overlapping accounts cannot deadlock
 * on the units; rollup rows are updated in id order for the same reason.
 */
export async function applySuccessUnits(db: Executor, accountIds: readonly string[], now = new Date()): Promise<{ changed: number }> {
  const ids = [...new Set(accountIds)].sort();
  if (!ids.length) return { changed: 0 };
  // The shared hierarchy lock: no move or archive changes the paths read here until commit.
  await db.execute(sql`select pg_advisory_xact_lock_shared(${HIERARCHY_LOCK})`);
  // Archived accounts are not rated (they count nowhere); a restore queues them again.
  // `for no key update`, not `for update`: it still keeps two runs over the same accounts apart, but
  // not every write that merely references an account (a usage event's foreign key takes a key-share
  // lock, which `for update` waits for): with `for update`, this worker and concurrent usage batches
  // deadlocked (the ingestion bench's batches were answered 503).
  const live = await rows<{ id: string; path: string[] | string }>(
    db,
    sql`select id, path from accounts where id = any(${pgArray(ids)}::uuid[]) and archived_at is null order by id for no key update`,
  );
  const pathOf = new Map(live.map((r) => [r.id, Array.isArray(r.path) ? r.path : r.path.replace(/[{}]/g, "").split(",").filter(Boolean)]));
  const liveIds = [...pathOf.keys()];
  const stored = await rows<{ account_id: string; module_id: string; colour: SuccessUnitColour; active_users: number }>(
    db,
    sql`select account_id, module_id, colour, active_users from success_units where account_id = any(${pgArray(liveIds)}::uuid[])`,
  );
  const desired = await desiredUnits(db, liveIds, now);
  const key = (a: string, m: string) => `${a}|${m}`;
  const before = new Map(stored.map((s) => [key(s.account_id, s.module_id), s]));
  const after = new Map(desired.map((d) => [key(d.accountId, d.moduleId), d]));
  const deltas = new Map<string, Counts>();
  const bump = (accountId: string, colour: SuccessUnitColour | null, by: number) => {
    if (!colour) return;
    for (const id of [...(pathOf.get(accountId) ?? []), accountId]) {
      const c = deltas.get(id) ?? { red: 0, amber: 0, green: 0 };
      c[colour] += by;
      deltas.set(id, c);
    }
  };
  const changes: { accountId: string; moduleId: string; from: SuccessUnitColour | null; to: SuccessUnitColour | null; users: number | null }[] = [];
  const upserts: DesiredUnit[] = [];
  for (const [k, d] of after) {
    const s = before.get(k);
    if (!s || s.colour !== d.colour) {
      changes.push({ accountId: d.accountId, moduleId: d.moduleId, from: s?.colour ?? null, to: d.colour, users: d.activeUsers });
      bump(d.accountId, s?.colour ?? null, -1);
      bump(d.accountId, d.colour, 1);
      upserts.push(d);
    } else if (s.active_users !== d.activeUsers) upserts.push(d);
  }
  const removed = [...before.entries()].filter(([k]) => !after.has(k)).map(([, s]) => s);
  for (const s of removed) {
    changes.push({ accountId: s.account_id, moduleId: s.module_id, from: s.colour, to: null, users: null });
    bump(s.account_id, s.colour, -1);
  }
  const at = now.toISOString();
  if (upserts.length) {
    const changedKeys = new Set(changes.map((c) => key(c.accountId, c.moduleId)));
    await db.execute(sql`
      insert into success_units (account_id, module_id, colour, active_users, since, computed_at)
      select u.account_id, u.module_id, u.colour, u.active_users, ${at}::timestamptz, ${at}::timestamptz
      from unnest(${pgArray(upserts.map((u) => u.accountId))}::uuid[], ${pgArray(upserts.map((u) => u.moduleId))}::uuid[],
        ${pgArray(upserts.map((u) => u.colour))}::text[], ${pgArray(upserts.map((u) => u.activeUsers))}::int[],
        ${pgArray(upserts.map((u) => (changedKeys.has(key(u.accountId, u.moduleId)) ? 1 : 0)))}::int[]) as u(account_id, module_id, colour, active_users, moved)
      on conflict (account_id, module_id) do update set colour = excluded.colour, active_users = excluded.active_users, computed_at = excluded.computed_at,
        since = case when success_units.colour = excluded.colour then success_units.since else excluded.since end`);
  }
  if (removed.length) {
    await db.execute(sql`
      delete from success_units s using unnest(${pgArray(removed.map((r) => r.account_id))}::uuid[], ${pgArray(removed.map((r) => r.module_id))}::uuid[]) as x(account_id, module_id)
      where s.account_id = x.account_id and s.module_id = x.module_id`);
  }
  if (changes.length) {
    await db.execute(sql`
      insert into success_unit_changes (account_id, module_id, from_colour, to_colour, active_users, changed_at)
      select c.account_id, c.module_id, c.from_colour, c.to_colour, c.active_users, ${at}::timestamptz
      from unnest(${pgArray(changes.map((c) => c.accountId))}::uuid[], ${pgArray(changes.map((c) => c.moduleId))}::uuid[],
        ${pgArray(changes.map((c) => c.from))}::text[], ${pgArray(changes.map((c) => c.to))}::text[], ${pgArray(changes.map((c) => c.users))}::int[])
        as c(account_id, module_id, from_colour, to_colour, active_users)`);
  }
  const moved = [...deltas.entries()].filter(([, c]) => c.red || c.amber || c.green).sort(([a], [b]) => a.localeCompare(b));
  if (moved.length) {
    await db.execute(sql`
      insert into success_unit_rollups (account_id, red, amber, green)
      select x.account_id, x.red, x.amber, x.green
      from unnest(${pgArray(moved.map(([id]) => id))}::uuid[], ${pgArray(moved.map(([, c]) => c.red))}::int[],
        ${pgArray(moved.map(([, c]) => c.amber))}::int[], ${pgArray(moved.map(([, c]) => c.green))}::int[]) as x(account_id, red, amber, green)
      order by x.account_id
      on conflict (account_id) do update set red = success_unit_rollups.red + excluded.red,
        amber = success_unit_rollups.amber + excluded.amber, green = success_unit_rollups.green + excluded.green`);
    // A row exists exactly while units sit below (as the rebuild leaves it).
    await db.execute(sql`delete from success_unit_rollups where account_id = any(${pgArray(moved.map(([id]) => id))}::uuid[]) and red = 0 and amber = 0 and green = 0`);
  }
  return { changed: changes.length };
}

/**
 * The counts per colour of every account from scratch (the account and its live subtree, through
 * the closure table; archived accounts count nowhere): for tests checking the kept counts.
 */
export async function rollupsFromScratch(db: Executor): Promise<Map<string, Counts>> {
  const result = await rows<{ account_id: string; red: number | string; amber: number | string; green: number | string }>(db, successUnitCountsSql());
  return new Map(result.map((r) => [r.account_id, { red: Number(r.red), amber: Number(r.amber), green: Number(r.green) }]));
}

/**
 * Rewrites every parent count from the stored units: a repair. Structural changes keep the counts
 * incrementally (lib/success-units/rollups.ts, from lib/hierarchy).
 */
export async function rebuildSuccessUnitRollups(db: Executor): Promise<void> {
  await db.execute(sql`delete from success_unit_rollups`);
  await db.execute(sql`insert into success_unit_rollups (account_id, red, amber, green) ${successUnitCountsSql()} order by 1`);
}
