import "server-only";
import { cache } from "react";
import { and, asc, desc, eq, isNull, sql } from "drizzle-orm";
import { accountRollups, accounts, accountTypes } from "@/db/schema";
import type { AccountSummary } from "./accounts";
import { visibleAccount, type Ctx } from "./viewer";

export type Rollup = typeof accountRollups.$inferSelect;

/** The precomputed totals of the account and everything below it: one indexed row for any level. */
export const rollupOf = cache(async function rollupOf(ctx: Ctx, account: AccountSummary): Promise<Rollup | null> {
  const [row] = await ctx.db.select().from(accountRollups).where(eq(accountRollups.accountId, account.id)).limit(1);
  return row ?? null;
});

/**
 * True when the account's rollup row says nothing lives below it (every leaf), so child queries can
 * be skipped. False when there is no rollup row: then the caller asks the tables themselves.
 */
export async function nothingBelow(ctx: Ctx, account: AccountSummary): Promise<boolean> {
  return (await rollupOf(ctx, account))?.descendants === 0;
}

export type ChildContribution = {
  id: string;
  name: string;
  typeName: string;
  isOpportunity: boolean;
  descendants: number;
  mrr: number;
  openTickets: number;
  healthBand: "good" | "average" | "poor" | null;
};

/** Direct children the viewer may see, each with its own rolled-up totals, largest MRR first. */
export async function childContributions(ctx: Ctx, account: AccountSummary, limit = 200): Promise<ChildContribution[]> {
  if (await nothingBelow(ctx, account)) return [];
  const rows = await ctx.db
    .select({
      id: accounts.id,
      name: accounts.name,
      typeName: accountTypes.name,
      isOpportunity: accountTypes.isOpportunity,
      descendants: sql<number>`coalesce(${accountRollups.descendants}, 0)`,
      mrr: sql<string>`coalesce(${accountRollups.mrr}, 0)`,
      openTickets: sql<number>`coalesce(${accountRollups.openTickets}, 0)`,
      healthBand: sql<ChildContribution["healthBand"]>`(select h.band from health_snapshots h where h.account_id = ${accounts.id} order by h.week_start desc limit 1)`,
    })
    .from(accounts)
    .innerJoin(accountTypes, eq(accountTypes.id, accounts.typeId))
    .leftJoin(accountRollups, eq(accountRollups.accountId, accounts.id))
    .where(and(eq(accounts.parentId, account.id), isNull(accounts.archivedAt), visibleAccount(ctx.viewer, accounts.id, accounts.typeId)))
    .orderBy(asc(accountTypes.isOpportunity), desc(sql`coalesce(${accountRollups.mrr}, 0)`), asc(accounts.name))
    .limit(limit);
  return rows.map((r) => ({ ...r, mrr: Number(r.mrr), descendants: Number(r.descendants), openTickets: Number(r.openTickets) }));
}

export type OpportunityRow = { id: string; name: string; parentId: string | null; parentName: string | null; stage: string | null; amount: unknown; createdAt: Date };

/**
 * Opportunities anywhere below the account that the viewer may see (none for teams not allowed).
 *
 * Driven from the opportunity accounts (by type, through `accounts_type_idx`), each checked against
 * the closure's primary key, rather than from the account's whole subtree: on a root that was a join
 * over 100,000 closure rows to find a handful of opportunities. The opportunity type ids are read
 * first and bound as values, so the planner sees how many accounts have them (its statistics) and
 * may still start from the closure when the subtree is the smaller side (a product with a few deals).
 */
export async function opportunitiesUnder(ctx: Ctx, account: AccountSummary, limit = 20): Promise<OpportunityRow[]> {
  if (!ctx.viewer.seesOpportunities) return [];
  // Nothing below (every leaf): the rollup row, read once per request anyway, says so.
  if (await nothingBelow(ctx, account)) return [];
  const types = await ctx.db.select({ id: accountTypes.id }).from(accountTypes).where(eq(accountTypes.isOpportunity, true));
  if (!types.length) return [];
  const typeIds = sql.join(
    types.map((t) => sql`${t.id}::uuid`),
    sql`, `,
  );
  const result = await ctx.db.execute<{ id: string; name: string; parent_id: string | null; parent_name: string | null; stage: string | null; amount: unknown; created_at: string }>(sql`
    select o.id, o.name, o.parent_id, p.name as parent_name, o.created_at,
      coalesce(
        (select v.value #>> '{}' from attribute_values v join attribute_definitions d on d.id = v.attribute_id
          where v.account_id = o.id and d.key = 'deal_stage'),
        (select s.name from account_stages x join lifecycle_stages s on s.id = x.stage_id where x.account_id = o.id limit 1)) as stage,
      (select v.value from attribute_values v join attribute_definitions d on d.id = v.attribute_id
        where v.account_id = o.id and d.key in ('amount', 'arr') limit 1) as amount
    from accounts o
    left join accounts p on p.id = o.parent_id
    where o.type_id in (${typeIds}) and o.archived_at is null
      and exists (select 1 from account_closure c where c.ancestor_id = ${account.id} and c.descendant_id = o.id and c.distance > 0)
      and ${visibleAccount(ctx.viewer, sql`o.id`, sql`o.type_id`)}
    order by o.created_at desc
    limit ${limit}`);
  return result.rows.map((r) => ({
    id: r.id,
    name: r.name,
    parentId: r.parent_id,
    parentName: r.parent_name,
    stage: r.stage,
    amount: r.amount,
    createdAt: new Date(r.created_at),
  }));
}

export type ParentRollup = Rollup;

/**
 * The account's rollup row when it is a parent: it has accounts below it other than opportunities
 * (a product with only opportunities under it keeps its own numbers). Null for leaves.
 */
export const parentRollupOf = cache(async function parentRollupOf(ctx: Ctx, account: AccountSummary): Promise<ParentRollup | null> {
  const [row] = await ctx.db
    .select()
    .from(accountRollups)
    .where(
      and(
        eq(accountRollups.accountId, account.id),
        sql`${accountRollups.descendants} > 0`,
        sql`exists (select 1 from accounts pc join account_types pt on pt.id = pc.type_id
          where pc.parent_id = ${account.id} and pc.archived_at is null and not pt.is_opportunity)`,
      ),
    )
    .limit(1);
  return row ?? null;
});
