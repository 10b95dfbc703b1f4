import "server-only";
import { and, asc, eq, inArray, isNull, sql } from "drizzle-orm";
import { accounts, accountTypes, assignments, tasks } from "@/db/schema";
import { visibleAccount, type Ctx } from "./viewer";

export type PortfolioAccount = {
  id: string;
  name: string;
  typeName: string;
  roles: string[];
  healthBand: "poor" | "average" | "good" | null;
  healthScore: number | null;
  journeyStage: string | null;
};

/** The accounts the viewer is assigned to (their working levels), with health and journey stage. */
export async function myAccounts(ctx: Ctx): Promise<PortfolioAccount[]> {
  const rows = await ctx.db
    .select({
      id: accounts.id,
      name: accounts.name,
      typeName: accountTypes.name,
      roles: sql<string[]>`array_agg(distinct ${assignments.role} order by ${assignments.role})`,
      healthBand: sql<PortfolioAccount["healthBand"]>`(select h.band from health_snapshots h where h.account_id = ${accounts.id} order by h.week_start desc limit 1)`,
      healthScore: sql<number | null>`(select h.score from health_snapshots h where h.account_id = ${accounts.id} order by h.week_start desc limit 1)`,
      journeyStage: sql<string | null>`(select s.name from account_stages x join lifecycle_stages s on s.id = x.stage_id
        join lifecycles l on l.id = x.lifecycle_id where x.account_id = ${accounts.id} and l.key = 'journey' limit 1)`,
    })
    .from(assignments)
    .innerJoin(accounts, eq(accounts.id, assignments.accountId))
    .innerJoin(accountTypes, eq(accountTypes.id, accounts.typeId))
    .where(and(eq(assignments.userId, ctx.viewer.userId), isNull(accounts.archivedAt), visibleAccount(ctx.viewer, accounts.id, accounts.typeId)))
    .groupBy(accounts.id, accounts.name, accountTypes.name, accountTypes.level)
    .orderBy(asc(accountTypes.level), asc(accounts.name));
  return rows.map((r) => ({ ...r, healthScore: r.healthScore === null ? null : Number(r.healthScore) }));
}

export type PortfolioTask = {
  id: string;
  title: string;
  dueDate: string | null;
  priority: string;
  status: string;
  accountId: string;
  accountName: string;
};

/** The viewer's open tasks, soonest due first (undated last). */
export async function myOpenTasks(ctx: Ctx, limit = 50): Promise<PortfolioTask[]> {
  return ctx.db
    .select({
      id: tasks.id,
      title: tasks.title,
      dueDate: tasks.dueDate,
      priority: tasks.priority,
      status: tasks.status,
      accountId: accounts.id,
      accountName: accounts.name,
    })
    .from(tasks)
    .innerJoin(accounts, eq(accounts.id, tasks.accountId))
    .where(
      and(
        eq(tasks.assigneeId, ctx.viewer.userId),
        inArray(tasks.status, ["open", "in_progress"]),
        isNull(accounts.archivedAt),
        visibleAccount(ctx.viewer, accounts.id, accounts.typeId),
      ),
    )
    .orderBy(sql`${tasks.dueDate} asc nulls last`, asc(tasks.title))
    .limit(limit);
}
