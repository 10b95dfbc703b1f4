import "server-only";
import { sql } from "drizzle-orm";
import type { Database, Executor } from "@/db/client";
import { TIMELINE_LIMIT } from "@/db/schema";
import { emitEvents } from "@/lib/events/emit";
import type { NewDomainEvent } from "@/lib/events/types";
import { pgArray, pgPlainArray as list } from "@/lib/ingest/resolve";
import { rows } from "@/lib/rollups/sql";
import { measureRule } from "./measure";
import { bandOf, overallScore, scoreDimension, type Band } from "./rules";
import { loadSchemes, type LoadedScheme } from "./schemes";
import { markAccountsDirty, markHealthDirty } from "./dirty";
import { addDaysTo, mondayOfDay } from "./weeks";

export type HealthScore = {
  accountId: string;
  score: number;
  band: Band;
  dimensions: Record<string, { score: number; band: Band }>;
  source: "scheme" | "children" | "external";
  schemeVersion: number | null;
  upsell: boolean;
  upsellAmount: number | null;
};

type AccountRow = { id: string; type_id: string; parent_id: string | null; depth: number };

export type ScoreOptions = {
  /** Schemes to use instead of the stored ones (the admin preview). */
  schemes?: Map<string, LoadedScheme>;
  /** Children's scores computed but not stored (a from-scratch check): they win over stored snapshots. */
  overlay?: Map<string, number | null>;
};

const uuids = (ids: readonly string[]) => sql`${list(ids as string[])}::uuid[]`;

/** Live accounts among `ids` that existed by the end of `asOf`, deepest first. */
async function liveAccounts(db: Executor, ids: readonly string[], asOf: string): Promise<AccountRow[]> {
  return rows<AccountRow>(
    db,
    sql`select id, type_id, parent_id, depth from accounts
        where id = any(${uuids(ids)}) and archived_at is null and created_at < ((${asOf}::date + 1)::timestamp at time zone 'UTC')
        order by depth desc, id`,
  );
}

/**
 * Scores of the given accounts as of the end of the day `asOf` (pure: writes nothing). An external
 * score for the week wins; a parent whose scheme scores from children takes the (ARR-weighted or
 * plain) mean of its scored children's snapshots of that week; everyone else is scored by the
 * dimensions of its type's scheme, one set-based query per dimension for the whole set.
 */
export async function scoreAccounts(db: Executor, accountIds: readonly string[], asOf: string, options: ScoreOptions = {}): Promise<Map<string, HealthScore>> {
  const out = new Map<string, HealthScore>();
  const accounts = await liveAccounts(db, accountIds, asOf);
  if (!accounts.length) return out;
  const schemes = options.schemes ?? (await loadSchemes(db));
  const week = mondayOfDay(asOf);
  const ids = accounts.map((a) => a.id);

  // One after another: a transaction is one connection, where parallel queries only queue.
  const external = await rows<{ account_id: string; score: number }>(db, sql`select account_id, score from health_external_scores where account_id = any(${uuids(ids)}) and week_start = ${week}::date`);
  const upsells = await rows<{ account_id: string; n: number; amount: string | null }>(
      db,
      sql`select account_id, count(*)::int as n, sum(amount)::text as amount from health_upsells
          where account_id = any(${uuids(ids)}) and occurred_at >= (${week}::date::timestamp at time zone 'UTC')
            and occurred_at < ((${week}::date + 7)::timestamp at time zone 'UTC') and occurred_at < ((${asOf}::date + 1)::timestamp at time zone 'UTC')
          group by account_id`,
  );
  const upsellOf = new Map(upsells.map((u) => [u.account_id, u]));
  const finish = (accountId: string, partial: Omit<HealthScore, "accountId" | "upsell" | "upsellAmount">) => {
    const u = upsellOf.get(accountId);
    out.set(accountId, { accountId, ...partial, upsell: Boolean(u), upsellAmount: u?.amount != null ? Number(u.amount) : null });
  };
  const externalOf = new Map(external.map((e) => [e.account_id, Number(e.score)]));

  const byType = new Map<string, AccountRow[]>();
  for (const a of accounts) {
    const ext = externalOf.get(a.id);
    if (ext !== undefined) {
      const scheme = schemes.get(a.type_id);
      finish(a.id, { score: ext, band: bandOf(ext, scheme ?? { poorBelow: 40, goodFrom: 70 }), dimensions: {}, source: "external", schemeVersion: null });
      continue;
    }
    if (!schemes.has(a.type_id)) continue;
    const group = byType.get(a.type_id) ?? [];
    group.push(a);
    byType.set(a.type_id, group);
  }

  for (const [typeId, group] of byType) {
    const scheme = schemes.get(typeId)!;
    let own = group;
    if (scheme.parentScoring !== "none") {
      const fromChildren = await childrenScores(db, group.map((a) => a.id), week, scheme, options.overlay);
      own = [];
      for (const a of group) {
        const score = fromChildren.get(a.id);
        if (score === undefined) own.push(a);
        else finish(a.id, { score, band: bandOf(score, scheme), dimensions: {}, source: "children", schemeVersion: scheme.version });
      }
    }
    if (!own.length) continue;
    const ownIds = own.map((a) => a.id);
    const raw: Awaited<ReturnType<typeof measureRule>>[] = [];
    for (const d of scheme.dimensions) raw.push(await measureRule(db, d.rule, ownIds, asOf));
    for (const id of ownIds) {
      const dimensions: HealthScore["dimensions"] = {};
      const parts: { weight: number; score: number | null }[] = [];
      scheme.dimensions.forEach((d, i) => {
        const value = raw[i].get(id);
        if (value === undefined) return parts.push({ weight: d.weight, score: null });
        const scored = scoreDimension(value, d.rule);
        dimensions[d.key] = scored;
        parts.push({ weight: d.weight, score: scored.score });
      });
      const score = overallScore(parts);
      if (score !== null) finish(id, { score, band: bandOf(score, scheme), dimensions, source: "scheme", schemeVersion: scheme.version });
    }
  }
  return out;
}

/** Mean of the children's scores for the week (weighted by their MRR when the scheme says ARR), by parent. */
async function childrenScores(db: Executor, parentIds: string[], week: string, scheme: LoadedScheme, overlay?: Map<string, number | null>): Promise<Map<string, number>> {
  const children = await rows<{ parent_id: string; id: string; mrr: string | null; score: number | null }>(
    db,
    sql`select c.parent_id, c.id, r.mrr::text as mrr, s.score from accounts c
        left join account_rollups r on r.account_id = c.id
        left join health_snapshots s on s.account_id = c.id and s.week_start = ${week}::date
        where c.parent_id = any(${uuids(parentIds)}) and c.archived_at is null`,
  );
  const byParent = new Map<string, { weight: number; score: number }[]>();
  for (const c of children) {
    const score = overlay?.has(c.id) ? overlay.get(c.id) ?? null : c.score === null ? null : Number(c.score);
    if (score === null) continue;
    const list = byParent.get(c.parent_id) ?? [];
    list.push({ weight: scheme.parentScoring === "children_arr" ? Math.max(0, Number(c.mrr ?? 0)) : 1, score });
    byParent.set(c.parent_id, list);
  }
  const out = new Map<string, number>();
  for (const [parent, list] of byParent) {
    const weighted = list.some((c) => c.weight > 0) ? list : list.map((c) => ({ ...c, weight: 1 }));
    const score = overallScore(weighted);
    if (score !== null) out.set(parent, score);
  }
  return out;
}

type Previous = { account_id: string; band: Band; score: number; dimensions: Record<string, { band: Band }> };

/**
 * Writes the week's snapshots of `ids` (deleting the week's snapshot of an account that no longer
 * has a score). `live` (the current week): a band change writes a timeline entry naming the
 * dimensions that moved and a `health.band_changed` event, and the health mix of every ancestor is
 * kept (account_rollups), all set-based. Returns the accounts whose score or band changed.
 */
export async function writeScores(db: Executor, ids: readonly string[], scores: Map<string, HealthScore>, week: string, live: boolean, labels?: Map<string, string>): Promise<Set<string>> {
  const changed = new Set<string>();
  if (!ids.length) return changed;
  const previous = live
    ? // Each account's newest snapshot: one backward step of the primary key per account (a
      // `distinct on` over `= any(…)` read every week of 5,000 accounts: ~25 s a chunk on the large set).
      await rows<Previous>(db, sql`select x.account_id, s.band, s.score, s.dimensions from unnest(${uuids(ids)}) as x(account_id)
        cross join lateral (select band, score, dimensions from health_snapshots h where h.account_id = x.account_id order by h.week_start desc limit 1) s`)
    : await rows<Previous>(db, sql`select account_id, band, score, dimensions from health_snapshots where account_id = any(${uuids(ids)}) and week_start = ${week}::date`);
  const prevOf = new Map(previous.map((p) => [p.account_id, p]));
  const scored = [...scores.values()];
  if (scored.length) {
    await db.execute(sql`
      insert into health_snapshots (account_id, week_start, score, band, dimensions, upsell, upsell_amount, source, scheme_version, computed_at)
      select a, ${week}::date, s, b, d, u, ua, src, v, now()
      from unnest(${uuids(scored.map((s) => s.accountId))}, ${list(scored.map((s) => s.score))}::real[], ${list(scored.map((s) => s.band))}::health_band[],
        ${pgArray(scored.map((s) => JSON.stringify(s.dimensions)))}::jsonb[], ${list(scored.map((s) => String(s.upsell)))}::boolean[],
        ${list(scored.map((s) => s.upsellAmount))}::numeric[], ${list(scored.map((s) => s.source))}::text[], ${list(scored.map((s) => s.schemeVersion))}::int[])
        as x(a, s, b, d, u, ua, src, v)
      order by a
      on conflict (account_id, week_start) do update set score = excluded.score, band = excluded.band, dimensions = excluded.dimensions,
        upsell = excluded.upsell, upsell_amount = excluded.upsell_amount, source = excluded.source, scheme_version = excluded.scheme_version,
        computed_at = excluded.computed_at`);
  }
  const unscored = ids.filter((id) => !scores.has(id));
  if (unscored.length) await db.execute(sql`delete from health_snapshots where account_id = any(${uuids(unscored)}) and week_start = ${week}::date`);
  for (const id of ids) {
    const p = prevOf.get(id);
    const s = scores.get(id);
    if (!p !== !s || (p && s && (Number(p.score) !== s.score || p.band !== s.band))) changed.add(id);
  }
  if (!live) return changed;

  // Band changes: a timeline entry and an event each (first scores are not changes).
  const moves = scored.filter((s) => prevOf.has(s.accountId) && prevOf.get(s.accountId)!.band !== s.band);
  if (moves.length) {
    const entries = moves.map((s) => {
      const p = prevOf.get(s.accountId)!;
      const moved = Object.keys(s.dimensions).filter((k) => p.dimensions?.[k]?.band !== s.dimensions[k].band);
      const names = moved.map((k) => labels?.get(k) ?? k);
      return {
        accountId: s.accountId,
        from: p.band,
        moved,
        title: `Health changed from ${p.band} to ${s.band}${names.length ? ` (${names.join(", ")} moved)` : s.source === "scheme" ? "" : ` (${s.source} score)`}`,
        snapshot: { from: p.band, to: s.band, score: s.score, weekStart: week, source: s.source, dimensions: moved.map((k) => ({ key: k, label: labels?.get(k) ?? k, from: p.dimensions?.[k]?.band ?? null, to: s.dimensions[k].band })) },
        to: s.band,
        score: s.score,
      };
    });
    const sorted = moves.map((m) => m.accountId).sort();
    await db.execute(sql`select count(pg_advisory_xact_lock(360362, hashtext(id::text))) from (select unnest(${uuids(sorted)}) as id order by 1) x`);
    await db.execute(sql`
      insert into timeline_entries (account_id, kind, ref_id, actor_id, title, snapshot, occurred_at)
      select a, 'health_change', ${week}, null, t, s, now()
      from unnest(${uuids(entries.map((e) => e.accountId))}, ${pgArray(entries.map((e) => e.title))}::text[], ${pgArray(entries.map((e) => JSON.stringify(e.snapshot)))}::jsonb[]) as x(a, t, s)`);
    await db.execute(sql`
      delete from timeline_entries t using (
        select id from (select id, row_number() over (partition by account_id order by occurred_at desc, id desc) as rn
                        from timeline_entries where account_id = any(${uuids(sorted)})) r where rn > ${TIMELINE_LIMIT}) x
      where t.id = x.id`);
    const events: NewDomainEvent[] = entries.map((e) => ({ type: "health.band_changed", accountId: e.accountId, actorId: null, data: { from: e.from, to: e.to, score: e.score, dimensions: e.moved } }));
    await emitEvents(db, events);
  }
  await refreshHealthMix(db, ids);
  return changed;
}

/** The accounts' own band (their latest snapshot) and their ancestors' health mix, set-based. */
async function refreshHealthMix(db: Executor, ids: readonly string[]): Promise<void> {
  const moved = await rows<{ account_id: string; old: Band | null; new: Band | null }>(
    db,
    sql`with latest as (select x.account_id, s.band from unnest(${uuids(ids)}) as x(account_id)
        cross join lateral (select band from health_snapshots h where h.account_id = x.account_id order by h.week_start desc limit 1) s),
        cur as (select r.account_id, r.own_health as old, l.band as new from account_rollups r left join latest l on l.account_id = r.account_id
                where r.account_id = any(${uuids(ids)}) and r.own_health is distinct from l.band)
        update account_rollups r set own_health = cur.new, updated_at = now() from cur where r.account_id = cur.account_id
        returning cur.account_id, cur.old, cur.new`,
  );
  if (!moved.length) return;
  const d = (band: Band) => sql`sum(coalesce(d.new = ${band}, false)::int - coalesce(d.old = ${band}, false)::int)`;
  await db.execute(sql`
    with d as (select * from unnest(${uuids(moved.map((m) => m.account_id))}, ${list(moved.map((m) => m.old))}::health_band[], ${list(moved.map((m) => m.new))}::health_band[]) as d(account_id, old, new)),
    deltas as (select c.ancestor_id, ${d("good")} as g, ${d("average")} as a, ${d("poor")} as p
               from d join account_closure c on c.descendant_id = d.account_id and c.distance > 0 group by c.ancestor_id)
    update account_rollups r set health_good = r.health_good + deltas.g, health_average = r.health_average + deltas.a,
      health_poor = r.health_poor + deltas.p, updated_at = now()
    from (select * from deltas order by ancestor_id) deltas where r.account_id = deltas.ancestor_id`);
}

/**
 * Scores and writes the accounts for the week of `asOf`, deepest first (a parent scored from its
 * children reads their fresh snapshots), and marks the parents of changed accounts dirty when their
 * scheme scores from children. Returns how many accounts changed.
 */
export async function refreshScores(db: Executor, accountIds: readonly string[], asOf: string, live = true): Promise<{ accounts: number; changed: number }> {
  const accounts = await liveAccounts(db, accountIds, asOf);
  const liveIds = new Set(accounts.map((a) => a.id));
  // Accounts archived (or not yet created) lose their week's snapshot in the live week.
  const gone = accountIds.filter((id) => !liveIds.has(id));
  if (live && gone.length) {
    await db.execute(sql`delete from health_snapshots where account_id = any(${uuids(gone)}) and week_start = ${mondayOfDay(asOf)}::date`);
  }
  const schemes = await loadSchemes(db);
  const labels = new Map<string, string>();
  for (const s of schemes.values()) for (const d of s.dimensions) labels.set(d.key, d.label);
  const week = mondayOfDay(asOf);
  let changed = 0;
  const changedIds: string[] = [];
  const depths = [...new Set(accounts.map((a) => a.depth))].sort((a, b) => b - a);
  for (const depth of depths) {
    const level = accounts.filter((a) => a.depth === depth).map((a) => a.id);
    const scores = await scoreAccounts(db, level, asOf, { schemes });
    const moved = await writeScores(db, level, scores, week, live, labels);
    changed += moved.size;
    changedIds.push(...moved);
  }
  if (live && changedIds.length && [...schemes.values()].some((s) => s.parentScoring !== "none")) {
    const childScored = [...schemes.values()].filter((s) => s.parentScoring !== "none").map((s) => s.accountTypeId);
    await db.execute(sql`
      insert into health_dirty (account_id)
      select distinct p.id from accounts c join accounts p on p.id = c.parent_id
      where c.id = any(${uuids(changedIds)}) and p.type_id = any(${uuids(childScored)}) and p.archived_at is null and not (p.id = any(${uuids(accounts.map((a) => a.id))}))`);
  }
  return { accounts: accounts.length, changed };
}

/**
 * From scratch, without writing: every live account's score as of `asOf`, deepest first, children's
 * fresh scores feeding parents that score from children. The property test compares it with what
 * the engine keeps current; chunks keep each query's id list bounded.
 */
export async function scoreEverything(db: Executor, asOf: string, chunk = 5000): Promise<Map<string, HealthScore>> {
  const all = await rows<{ id: string; depth: number }>(db, sql`select id, depth from accounts where archived_at is null order by depth desc, id`);
  const schemes = await loadSchemes(db);
  const overlay = new Map<string, number | null>();
  const out = new Map<string, HealthScore>();
  const depths = [...new Set(all.map((a) => a.depth))];
  for (const depth of depths) {
    const level = all.filter((a) => a.depth === depth).map((a) => a.id);
    for (let i = 0; i < level.length; i += chunk) {
      const part = level.slice(i, i + chunk);
      const scores = await scoreAccounts(db, part, asOf, { schemes, overlay });
      for (const id of part) overlay.set(id, scores.get(id)?.score ?? null);
      for (const [id, s] of scores) out.set(id, s);
    }
  }
  return out;
}

/**
 * Every live account (or the first `limit`, deepest first) recomputed for the week of `asOf` and
 * written, one transaction per chunk (the benchmark's "from scratch", and a manual repair).
 */
export async function recomputeEverything(db: Database, asOf: string, options: { chunk?: number; limit?: number } = {}): Promise<{ accounts: number; changed: number }> {
  const chunk = options.chunk ?? 5000;
  const all = await rows<{ id: string }>(db, sql`select id from accounts where archived_at is null order by depth desc, id ${options.limit ? sql`limit ${options.limit}` : sql``}`);
  let accounts = 0;
  let changed = 0;
  for (let i = 0; i < all.length; i += chunk) {
    const r = await db.transaction((tx) => refreshScores(tx, all.slice(i, i + chunk).map((a) => a.id), asOf, true));
    accounts += r.accounts;
    changed += r.changed;
  }
  return { accounts, changed };
}

export { addDaysTo, markAccountsDirty, markHealthDirty };
