import "server-only";
import { sql } from "drizzle-orm";
import { visibleAccount, type Ctx } from "@/lib/dal/viewer";

/*
 * A leader's home: the accounts they lead, rolled up. Every figure is read from the precomputed
 * per-account rollup rows (account_rollups: health mix and MRR of each account's whole subtree), so
 * a leader of the root costs what a leader of one product costs; only renewals and movers read
 * rows below, each bounded (renewals by their date window, movers by two levels under each account).
 */

export type HomeAccount = {
  id: string;
  name: string;
  typeName: string;
  descendants: number;
  arr: number;
  health: { good: number; average: number; poor: number; none: number };
  ownHealth: "good" | "average" | "poor" | null;
};
export type ChildArr = { parentId: string; id: string; name: string; typeName: string; arr: number; ownHealth: HomeAccount["ownHealth"] };
export type Renewal = { contractId: string; contractName: string; accountId: string; accountName: string; endDate: string; arr: number; health: HomeAccount["ownHealth"] };
export type Mover = { id: string; name: string; typeName: string; score: number; previousScore: number; band: "good" | "average" | "poor"; previousBand: "good" | "average" | "poor" };
export type StageMove = { id: string; name: string; typeName: string; lifecycleName: string; fromStage: string | null; toStage: string; changedAt: Date };

const ids = (list: string[]) => sql.join(list.map((id) => sql`${id}::uuid`), sql`, `);

/**
 * The accounts on a leader's home: those they are assigned to (they lead them), visible and not
 * archived, keeping only the top-most where one is below another (so nothing counts twice).
 * Followed accounts (`account_follows`, lib/notifications/follows.ts) count like led ones.
 * With none, the top of the hierarchy the leader can see stands in.
 */
export async function homeAccountIds(ctx: Ctx): Promise<{ ids: string[]; led: boolean }> {
  const { rows } = await ctx.db.execute<{ id: string }>(sql`
    with chosen as (
      select s.account_id as id from assignments s where s.user_id = ${ctx.viewer.userId}::uuid
      union
      select f.account_id from account_follows f where f.user_id = ${ctx.viewer.userId}::uuid
    )
    select a.id from chosen c join accounts a on a.id = c.id
    where a.archived_at is null and ${visibleAccount(ctx.viewer, sql`a.id`, sql`a.type_id`)}
      and not exists (select 1 from account_closure x join chosen o on o.id = x.ancestor_id where x.descendant_id = a.id and x.distance > 0)
    order by a.depth, a.name limit 20`);
  if (rows.length) return { ids: rows.map((r) => r.id), led: true };
  const roots = await ctx.db.execute<{ id: string }>(sql`
    select a.id from accounts a where a.archived_at is null and a.depth = (select min(depth) from accounts b where b.archived_at is null and ${visibleAccount(ctx.viewer, sql`b.id`, sql`b.type_id`)})
      and ${visibleAccount(ctx.viewer, sql`a.id`, sql`a.type_id`)} order by a.name limit 20`);
  return { ids: roots.rows.map((r) => r.id), led: false };
}

const num = (v: unknown) => Number(v ?? 0);

/** Each home account from its rollup row: subtree size, ARR (12 × MRR) and the health mix below it plus its own band. */
export async function homeAccounts(ctx: Ctx, accountIds: string[]): Promise<HomeAccount[]> {
  if (!accountIds.length) return [];
  const { rows } = await ctx.db.execute<Record<string, unknown>>(sql`
    select a.id, a.name, t.name as type_name, coalesce(r.descendants, 0) as descendants, coalesce(r.mrr, 0) as mrr,
      coalesce(r.health_good, 0) as good, coalesce(r.health_average, 0) as average, coalesce(r.health_poor, 0) as poor, r.own_health
    from accounts a join account_types t on t.id = a.type_id left join account_rollups r on r.account_id = a.id
    where a.id in (${ids(accountIds)}) order by a.depth, a.name`);
  return rows.map((r) => {
    const own = r.own_health as HomeAccount["ownHealth"];
    const health = { good: num(r.good) + (own === "good" ? 1 : 0), average: num(r.average) + (own === "average" ? 1 : 0), poor: num(r.poor) + (own === "poor" ? 1 : 0), none: 0 };
    const total = num(r.descendants) + 1;
    health.none = Math.max(0, total - health.good - health.average - health.poor);
    return { id: r.id as string, name: r.name as string, typeName: r.type_name as string, descendants: num(r.descendants), arr: num(r.mrr) * 12, health, ownHealth: own };
  });
}

/** ARR of each home account's visible children, from their rollup rows, largest first. */
export async function arrByChild(ctx: Ctx, accountIds: string[], perParent = 12): Promise<ChildArr[]> {
  if (!accountIds.length) return [];
  const { rows } = await ctx.db.execute<Record<string, unknown>>(sql`
    select * from (
      select a.parent_id, a.id, a.name, t.name as type_name, coalesce(r.mrr, 0) as mrr, r.own_health,
        row_number() over (partition by a.parent_id order by coalesce(r.mrr, 0) desc, a.name) as n
      from accounts a join account_types t on t.id = a.type_id left join account_rollups r on r.account_id = a.id
      where a.parent_id in (${ids(accountIds)}) and a.archived_at is null and ${visibleAccount(ctx.viewer, sql`a.id`, sql`a.type_id`)}
    ) c where n <= ${perParent} order by parent_id, n`);
  return rows.map((r) => ({ parentId: r.parent_id as string, id: r.id as string, name: r.name as string, typeName: r.type_name as string, arr: num(r.mrr) * 12, ownHealth: r.own_health as ChildArr["ownHealth"] }));
}

/** Active contracts ending in the next `days` days anywhere under the home accounts, with the account's health. */
export async function upcomingRenewals(ctx: Ctx, accountIds: string[], days = 90, limit = 25): Promise<Renewal[]> {
  if (!accountIds.length) return [];
  const { rows } = await ctx.db.execute<Record<string, unknown>>(sql`
    select c.id as contract_id, c.name as contract_name, a.id as account_id, a.name as account_name, c.end_date::text as end_date, c.mrr, r.own_health
    from contracts c join accounts a on a.id = c.account_id left join account_rollups r on r.account_id = a.id
    where c.active and not c.excluded and c.end_date >= current_date and c.end_date <= current_date + ${days}::int
      and a.archived_at is null and ${visibleAccount(ctx.viewer, sql`a.id`, sql`a.type_id`)}
      and exists (select 1 from account_closure x where x.descendant_id = a.id and x.ancestor_id in (${ids(accountIds)}))
    order by c.end_date, a.name limit ${limit}`);
  return rows.map((r) => ({
    contractId: r.contract_id as string,
    contractName: r.contract_name as string,
    accountId: r.account_id as string,
    accountName: r.account_name as string,
    endDate: r.end_date as string,
    arr: num(r.mrr) * 12,
    health: r.own_health as Renewal["health"],
  }));
}

/** The home accounts and the two levels under them: the units a leader steers (movers look at these). */
const unitsUnder = (accountIds: string[]) => sql`
      select a.id from accounts a where a.id in (${ids(accountIds)})
      union all select c.id from accounts c where c.parent_id in (${ids(accountIds)})
      union all select g.id from accounts c join accounts g on g.parent_id = c.id where c.parent_id in (${ids(accountIds)})`;

/**
 * The biggest health moves since last week among the home accounts and the two levels under them
 * (the units a leader steers): this week's snapshot against the one before, largest change first.
 */
export async function biggestMovers(ctx: Ctx, accountIds: string[], limit = 8): Promise<Mover[]> {
  if (!accountIds.length) return [];
  const { rows } = await ctx.db.execute<Record<string, unknown>>(sql`
    with units as (${unitsUnder(accountIds)}), wk as (select max(week_start) as w from health_snapshots)
    select a.id, a.name, t.name as type_name, h.score, h.band, p.score as previous_score, p.band as previous_band
    from units u join accounts a on a.id = u.id join account_types t on t.id = a.type_id
    join health_snapshots h on h.account_id = a.id and h.week_start = (select w from wk)
    join health_snapshots p on p.account_id = a.id and p.week_start = (select w from wk) - 7
    where a.archived_at is null
      and ${visibleAccount(ctx.viewer, sql`a.id`, sql`a.type_id`)} and (h.score <> p.score or h.band <> p.band)
    order by (h.band <> p.band) desc, abs(h.score - p.score) desc, a.name limit ${limit}`);
  return rows.map((r) => ({
    id: r.id as string,
    name: r.name as string,
    typeName: r.type_name as string,
    score: num(r.score),
    previousScore: num(r.previous_score),
    band: r.band as Mover["band"],
    previousBand: r.previous_band as Mover["band"],
  }));
}

/**
 * The other kind of mover: lifecycle stage changes of the last 7 days anywhere under the home
 * accounts (stages move on products and customers, below the units health movers look at). Read
 * from `stage_changes` through its changed_at index, so the week's changes bound the work, not the
 * subtree. Several moves in one lifecycle within the week count as one, from the first stage left
 * to the last one reached; a round trip back to where it started is not a move. Newest first.
 */
export async function stageMoves(ctx: Ctx, accountIds: string[], limit = 8, now: Date = new Date()): Promise<StageMove[]> {
  if (!accountIds.length) return [];
  const since = new Date(now.getTime() - 7 * 86_400_000).toISOString();
  const { rows } = await ctx.db.execute<Record<string, unknown>>(sql`
    with moved as (
      select s.account_id, s.lifecycle_id,
        (array_agg(s.from_stage_id order by s.changed_at, s.id))[1] as from_id,
        (array_agg(s.to_stage_id order by s.changed_at desc, s.id desc))[1] as to_id,
        max(s.changed_at) as changed_at
      from stage_changes s
      where s.changed_at >= ${since}::timestamptz
        and exists (select 1 from account_closure x where x.descendant_id = s.account_id and x.ancestor_id in (${ids(accountIds)}))
      group by s.account_id, s.lifecycle_id)
    select a.id, a.name, t.name as type_name, l.name as lifecycle_name, f.name as from_stage, s.name as to_stage, m.changed_at
    from moved m join accounts a on a.id = m.account_id join account_types t on t.id = a.type_id
    join lifecycles l on l.id = m.lifecycle_id join lifecycle_stages s on s.id = m.to_id left join lifecycle_stages f on f.id = m.from_id
    where m.from_id is distinct from m.to_id and a.archived_at is null and ${visibleAccount(ctx.viewer, sql`a.id`, sql`a.type_id`)}
    order by m.changed_at desc, a.name limit ${limit}`);
  return rows.map((r) => ({
    id: r.id as string,
    name: r.name as string,
    typeName: r.type_name as string,
    lifecycleName: r.lifecycle_name as string,
    fromStage: (r.from_stage as string | null) ?? null,
    toStage: r.to_stage as string,
    changedAt: new Date(r.changed_at as string),
  }));
}
