import "server-only";
import { and, asc, eq, isNull, ne, or, sql } from "drizzle-orm";
import { accounts, accountTypes, assignments, users } from "@/db/schema";
import type { AccountSummary } from "./accounts";
import { visibleAccount, type Ctx } from "./viewer";

export type AssignedMember = { userId: string; name: string; email: string; title: string | null; roles: string[]; isViewer: boolean };

/** Team members assigned to the account, each with their roles here; the viewer's own row marked. */
export async function assignedMembers(ctx: Ctx, account: AccountSummary): Promise<AssignedMember[]> {
  const rows = await ctx.db
    .select({
      userId: users.id,
      name: users.name,
      email: users.email,
      title: users.title,
      roles: sql<string[]>`array_agg(${assignments.role} order by ${assignments.role})`,
    })
    .from(assignments)
    .innerJoin(users, eq(users.id, assignments.userId))
    .where(and(eq(assignments.accountId, account.id), isNull(users.disabledAt)))
    .groupBy(users.id, users.name, users.email, users.title)
    .orderBy(asc(users.name));
  return rows.map((r) => ({ ...r, roles: normaliseArray(r.roles), isViewer: r.userId === ctx.viewer.userId }));
}

export type WorkingLevel = { accountId: string; accountName: string; typeName: string; roles: string[]; relation: "above" | "below" };

/**
 * The viewer's other working levels around this account: accounts above it (its ancestry) or below it
 * (its subtree) where the viewer is assigned, visible to them, nearest first.
 */
export async function viewerWorkingLevels(ctx: Ctx, account: AccountSummary, limit = 20): Promise<WorkingLevel[]> {
  const ancestors = account.path.length
    ? sql`${assignments.accountId} in (${sql.join(account.path.map((id) => sql`${id}::uuid`), sql`, `)})`
    : sql`false`;
  const below = sql`exists (select 1 from account_closure wc where wc.ancestor_id = ${account.id}
    and wc.descendant_id = ${assignments.accountId} and wc.distance > 0)`;
  const rows = await ctx.db
    .select({
      accountId: accounts.id,
      accountName: accounts.name,
      typeName: accountTypes.name,
      depth: accounts.depth,
      roles: sql<string[]>`array_agg(${assignments.role} order by ${assignments.role})`,
    })
    .from(assignments)
    .innerJoin(accounts, eq(accounts.id, assignments.accountId))
    .innerJoin(accountTypes, eq(accountTypes.id, accounts.typeId))
    .where(
      and(
        eq(assignments.userId, ctx.viewer.userId),
        ne(assignments.accountId, account.id),
        isNull(accounts.archivedAt),
        or(ancestors, below),
        visibleAccount(ctx.viewer, accounts.id, accounts.typeId),
      ),
    )
    .groupBy(accounts.id, accounts.name, accountTypes.name, accounts.depth)
    .orderBy(sql`abs(${accounts.depth} - ${account.depth})`, asc(accounts.name))
    .limit(limit);
  return rows.map((r) => ({
    accountId: r.accountId,
    accountName: r.accountName,
    typeName: r.typeName,
    roles: normaliseArray(r.roles),
    relation: r.depth < account.depth ? "above" : "below",
  }));
}

/** PGlite and node-postgres both parse text[]; guard against a driver handing back the literal. */
function normaliseArray(value: string[] | string): string[] {
  if (Array.isArray(value)) return value;
  return value.replace(/^\{|\}$/g, "").split(",").filter(Boolean).map((s) => s.replace(/^"|"$/g, ""));
}

export type AssignableUser = { id: string; name: string; title: string | null };

/** Active users who can be assigned to an account, by name. */
export async function assignableUsers(ctx: Ctx): Promise<AssignableUser[]> {
  return ctx.db
    .select({ id: users.id, name: users.name, title: users.title })
    .from(users)
    .where(isNull(users.disabledAt))
    .orderBy(asc(users.name));
}
