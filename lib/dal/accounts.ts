import "server-only";
import { cache } from "react";
import { and, asc, count, eq, ilike, inArray, isNotNull, isNull, sql } from "drizzle-orm";
import {
  accounts,
  accountTypes,
  assignmentRoles,
  assignments,
} from "@/db/schema";
import { may } from "@/lib/auth/permissions";
import { isUuid, laggingDb, visibleAccount, type Ctx } from "./viewer";

export type AccountSummary = {
  id: string;
  name: string;
  typeId: string;
  typeKey: string;
  typeName: string;
  isOpportunity: boolean;
  parentId: string | null;
  path: string[];
  depth: number;
};

const accountColumns = {
  id: accounts.id,
  name: accounts.name,
  typeId: accounts.typeId,
  typeKey: accountTypes.key,
  typeName: accountTypes.name,
  isOpportunity: accountTypes.isOpportunity,
  parentId: accounts.parentId,
  path: accounts.path,
  depth: accounts.depth,
};

/**
 * The account if it exists, is not archived and the viewer may see it; otherwise null. Missing and
 * forbidden are deliberately the same answer, so a crafted id reveals nothing.
 */
export const findAccount = cache(async function findAccount(ctx: Ctx, id: unknown): Promise<AccountSummary | null> {
  if (!isUuid(id)) return null;
  const [row] = await ctx.db
    .select(accountColumns)
    .from(accounts)
    .innerJoin(accountTypes, eq(accountTypes.id, accounts.typeId))
    .where(and(eq(accounts.id, id), isNull(accounts.archivedAt), visibleAccount(ctx.viewer, accounts.id, accounts.typeId)))
    .limit(1);
  return row ?? null;
});

export type Crumb = { id: string; name: string; typeName: string } | { id: null; name: null; typeName: string };

/** Ancestors from the ultimate parent down. Ancestors the viewer may not see keep only their type. */
export async function ancestorsOf(ctx: Ctx, account: AccountSummary): Promise<Crumb[]> {
  if (!account.path.length) return [];
  const rows = await ctx.db
    .select({
      id: accounts.id,
      name: accounts.name,
      typeName: accountTypes.name,
      visible: sql<boolean>`${visibleAccount(ctx.viewer, accounts.id, accounts.typeId)}`,
    })
    .from(accounts)
    .innerJoin(accountTypes, eq(accountTypes.id, accounts.typeId))
    .where(inArray(accounts.id, account.path));
  const byId = new Map(rows.map((r) => [r.id, r]));
  return account.path.flatMap((id): Crumb[] => {
    const row = byId.get(id);
    if (!row) return [];
    return row.visible ? [{ id: row.id, name: row.name, typeName: row.typeName }] : [{ id: null, name: null, typeName: row.typeName }];
  });
}

export type ChildPage = { children: AccountSummary[]; total: number };

/** Direct children the viewer may see, by name, optionally filtered by a name search. */
export async function childrenOf(ctx: Ctx, accountId: string, options: { q?: string; limit?: number; offset?: number } = {}): Promise<ChildPage> {
  const where = and(
    eq(accounts.parentId, accountId),
    isNull(accounts.archivedAt),
    visibleAccount(ctx.viewer, accounts.id, accounts.typeId),
    options.q ? ilike(accounts.name, `%${escapeLike(options.q)}%`) : undefined,
  );
  const [children, [{ total }]] = await Promise.all([
    laggingDb(ctx)
      .select(accountColumns)
      .from(accounts)
      .innerJoin(accountTypes, eq(accountTypes.id, accounts.typeId))
      .where(where)
      .orderBy(asc(accountTypes.isOpportunity), asc(accounts.name))
      .limit(options.limit ?? 100)
      .offset(options.offset ?? 0),
    laggingDb(ctx).select({ total: count() }).from(accounts).where(where),
  ]);
  return { children, total };
}

export type AccountSearch = {
  q?: string;
  typeKey?: string;
  health?: "good" | "average" | "poor";
  /** A stage of the customer journey lifecycle, by key. */
  stageKey?: string;
  /** A user assigned as CSM. */
  csmId?: string;
  limit?: number;
  offset?: number;
};

export type AccountSearchRow = AccountSummary & {
  healthBand: "good" | "average" | "poor" | null;
  stageName: string | null;
  csmName: string | null;
};

const latestBand = sql<AccountSearchRow["healthBand"]>`(select h.band from health_snapshots h where h.account_id = ${accounts.id} order by h.week_start desc limit 1)`;

/** Account search with the filters of the accounts page; every result is visible to the viewer. */
export async function searchAccounts(ctx: Ctx, search: AccountSearch): Promise<{ accounts: AccountSearchRow[]; total: number }> {
  const where = and(
    isNull(accounts.archivedAt),
    visibleAccount(ctx.viewer, accounts.id, accounts.typeId),
    search.q ? ilike(accounts.name, `%${escapeLike(search.q)}%`) : undefined,
    search.typeKey ? eq(accountTypes.key, search.typeKey) : undefined,
    search.health ? sql`${latestBand} = ${search.health}` : undefined,
    search.stageKey
      ? sql`exists (select 1 from account_stages x join lifecycle_stages s on s.id = x.stage_id join lifecycles l on l.id = x.lifecycle_id
          where x.account_id = ${accounts.id} and l.key = 'journey' and s.key = ${search.stageKey})`
      : undefined,
    search.csmId && isUuid(search.csmId)
      ? sql`exists (select 1 from assignments a where a.account_id = ${accounts.id} and a.role = 'CSM' and a.user_id = ${search.csmId})`
      : undefined,
  );
  const [rows, [{ total }]] = await Promise.all([
    laggingDb(ctx)
      .select({
        ...accountColumns,
        healthBand: latestBand,
        stageName: sql<string | null>`(select s.name from account_stages x join lifecycle_stages s on s.id = x.stage_id
          join lifecycles l on l.id = x.lifecycle_id where x.account_id = ${accounts.id} and l.key = 'journey')`,
        csmName: sql<string | null>`(select u.name from assignments a join users u on u.id = a.user_id
          where a.account_id = ${accounts.id} and a.role = 'CSM' order by u.name limit 1)`,
      })
      .from(accounts)
      .innerJoin(accountTypes, eq(accountTypes.id, accounts.typeId))
      .where(where)
      // id last: a total order, so the CSV export's consecutive pages neither repeat nor skip a row.
      .orderBy(asc(accounts.depth), asc(accounts.name), asc(accounts.id))
      .limit(search.limit ?? 50)
      .offset(search.offset ?? 0),
    laggingDb(ctx)
      .select({ total: count() })
      .from(accounts)
      .innerJoin(accountTypes, eq(accountTypes.id, accounts.typeId))
      .where(where),
  ]);
  return { accounts: rows, total };
}

/** Values for the search filters: journey stages and the users who are CSM somewhere visible. */
export async function searchFilterOptions(ctx: Ctx) {
  const [stages, csms] = await Promise.all([
    ctx.db.execute<{ key: string; name: string }>(sql`
      select s.key, s.name from lifecycle_stages s join lifecycles l on l.id = s.lifecycle_id
      where l.key = 'journey' order by s.position`),
    ctx.db.execute<{ id: string; name: string }>(sql`
      select distinct u.id, u.name from assignments a join users u on u.id = a.user_id
      join accounts ac on ac.id = a.account_id
      where a.role = 'CSM' and ${visibleAccount(ctx.viewer, sql`ac.id`, sql`ac.type_id`)}
      order by u.name`),
  ]);
  return { stages: stages.rows, csms: csms.rows };
}

export async function listAccountTypes(ctx: Ctx) {
  return ctx.db.select().from(accountTypes).orderBy(asc(accountTypes.level), asc(accountTypes.name));
}

/**
 * Privileged attributes are for roles that read them everywhere (admins) and for users assigned to
 * this very account with a role that grants them (assignment_roles.grants_privileged).
 */
export const canSeePrivileged = cache(async function canSeePrivileged(ctx: Ctx, accountId: string): Promise<boolean> {
  if (may(ctx.viewer, "privileged.readAll")) return true;
  const [row] = await ctx.db
    .select({ one: sql`1` })
    .from(assignments)
    .innerJoin(assignmentRoles, eq(assignmentRoles.name, assignments.role))
    .where(and(eq(assignments.accountId, accountId), eq(assignments.userId, ctx.viewer.userId), eq(assignmentRoles.grantsPrivileged, true)))
    .limit(1);
  return Boolean(row);
});

export function isEmptyValue(value: unknown): boolean {
  return value === null || value === undefined || value === "" || (Array.isArray(value) && value.length === 0);
}

function escapeLike(q: string): string {
  return q.replace(/[\\%_]/g, (c) => `\\${c}`);
}

export type ArchivedAccount = { id: string; name: string; typeName: string; archivedAt: Date; archivedByName: string | null };

/** An archived account the viewer may see (its profile says so, with who and when); else null. */
export async function findArchivedAccount(ctx: Ctx, id: unknown): Promise<ArchivedAccount | null> {
  if (!isUuid(id)) return null;
  const [row] = await ctx.db
    .select({
      id: accounts.id,
      name: accounts.name,
      typeName: accountTypes.name,
      archivedAt: accounts.archivedAt,
      archivedByName: sql<string | null>`(select u.name from users u where u.id = ${accounts.archivedBy})`,
    })
    .from(accounts)
    .innerJoin(accountTypes, eq(accountTypes.id, accounts.typeId))
    .where(and(eq(accounts.id, id), isNotNull(accounts.archivedAt), visibleAccount(ctx.viewer, accounts.id, accounts.typeId)))
    .limit(1);
  return row && row.archivedAt ? { ...row, archivedAt: row.archivedAt } : null;
}
