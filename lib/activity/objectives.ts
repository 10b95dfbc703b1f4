import "server-only";
import { and, eq, ne, sql } from "drizzle-orm";
import { z } from "zod";
import { objectives, successPlans, tasks } from "@/db/schema";
import type { Executor } from "@/db/client";
import { ActionError } from "@/lib/actions/define";
import { actionDefinition } from "@/lib/actions/definition";
import { idField, optionalDayField, optionalIdField, optionalTextField, textField } from "@/lib/actions/fields";
import { may, refusal } from "@/lib/auth/permissions";
import { findAccount, type AccountSummary } from "@/lib/dal/accounts";
import type { Ctx } from "@/lib/dal/viewer";
import { accountForWrite, authorizeQuickAction } from "./permissions";
import { refreshObjectiveProgress } from "./progress";
import { prunedNote, recordTimeline } from "./timeline";

/** The plan select's value that asks for a new plan. */
export const NEW_PLAN = "new";

export const objectiveInput = z.object({
  accountId: idField("Unknown account."),
  /** A plan of the account, "new", or empty (allowed only when the account has no plan). */
  planId: z.preprocess(
    (v) => (v === undefined || v === null ? "" : v),
    z.union([z.literal(""), z.literal(NEW_PLAN), z.guid({ error: "Pick a success plan from the list." })], { error: "Pick a success plan from the list." }),
  ),
  planName: optionalTextField(200),
  title: textField("the objective", 200),
  description: optionalTextField(2000),
  dueDate: optionalDayField,
});

export function defaultPlanName(accountName: string, now = new Date()): string {
  return `${accountName} success plan ${now.getUTCFullYear()}`;
}

type PlanChoice = { id: string; name: string; created: boolean };

/**
 * The plan an objective goes into: the chosen plan of the account, a new one ("new", or when the
 * account has no active plan), or, with `planId` empty and several plans, a refusal (or the newest
 * active plan when `fallbackToNewest`, as a SuccessPlay does).
 */
export async function planForObjective(
  ctx: Ctx,
  account: AccountSummary,
  planId: string,
  planName: string | undefined,
  now: Date,
  options: { fallbackToNewest?: boolean } = {},
): Promise<PlanChoice> {
  const plans = await ctx.db
    .select({ id: successPlans.id, name: successPlans.name })
    .from(successPlans)
    .where(and(eq(successPlans.accountId, account.id), ne(successPlans.status, "archived")))
    .orderBy(sql`${successPlans.createdAt} desc`);
  if (planId && planId !== NEW_PLAN) {
    const chosen = plans.find((p) => p.id === planId);
    if (!chosen) throw new ActionError("Check the highlighted fields.", { planId: ["Pick one of this account's success plans."] });
    return { ...chosen, created: false };
  }
  if (planId !== NEW_PLAN && plans.length && options.fallbackToNewest) return { ...plans[0], created: false };
  if (planId === NEW_PLAN || plans.length === 0) {
    const name = planName ?? defaultPlanName(account.name, now);
    const [created] = await ctx.db
      .insert(successPlans)
      .values({ accountId: account.id, name, status: "active", createdBy: ctx.viewer.userId, createdAt: now })
      .returning({ id: successPlans.id, name: successPlans.name });
    return { ...created, created: true };
  }
  throw new ActionError("Check the highlighted fields.", { planId: ["Pick the success plan this objective belongs to."] });
}

/**
 * Add an objective to a success plan of the account. When the account has no active plan, or
 * "new" is chosen, the plan is created first, in the same transaction.
 */
export const addObjective = actionDefinition({
  name: "addObjective",
  schema: objectiveInput,
  authorize: (ctx, input) => authorizeQuickAction(ctx, input.accountId, "objective"),
  async run(ctx, input) {
    const account = await accountForWrite(ctx, input.accountId);
    const now = new Date();
    const plan = await planForObjective(ctx, account, input.planId, input.planName, now);
    const [objective] = await ctx.db
      .insert(objectives)
      .values({
        planId: plan.id,
        title: input.title,
        description: input.description ?? null,
        progress: 0,
        dueDate: input.dueDate ?? null,
        createdBy: ctx.viewer.userId,
        createdAt: now,
      })
      .returning({ id: objectives.id });
    const timeline = await recordTimeline(ctx.db, [
      {
        accountId: account.id,
        kind: "objective",
        refId: objective.id,
        actorId: ctx.viewer.userId,
        title: `Objective added: ${input.title}`,
        snapshot: {
          title: input.title,
          description: input.description ?? null,
          plan: plan.name,
          planCreated: plan.created,
          progress: 0,
          dueDate: input.dueDate ?? null,
        },
        occurredAt: now,
      },
    ]);
    return { id: objective.id, accountId: account.id, plan, timeline };
  },
  revalidate: (input) => [`/accounts/${input.accountId}`],
  message: (data) =>
    `${data.plan.created ? `Success plan “${data.plan.name}” created with the objective.` : `Objective added to “${data.plan.name}”.`}${prunedNote(data.timeline)}`,
});

const OBJECTIVE_NOT_FOUND = "This objective does not exist or you may not change it.";
const PLAN_NOT_FOUND = "This success plan does not exist or you may not change it.";

/** The objective with its plan and account, when the account is visible to the viewer. */
export async function visibleObjective(ctx: Ctx, objectiveId: string) {
  const [row] = await ctx.db
    .select({
      id: objectives.id,
      title: objectives.title,
      progress: objectives.progress,
      completedAt: objectives.completedAt,
      archivedAt: objectives.archivedAt,
      planId: successPlans.id,
      planName: successPlans.name,
      planStatus: successPlans.status,
      accountId: successPlans.accountId,
    })
    .from(objectives)
    .innerJoin(successPlans, eq(successPlans.id, objectives.planId))
    .where(eq(objectives.id, objectiveId))
    .limit(1);
  if (!row) return null;
  const account = await findAccount(ctx, row.accountId);
  return account ? { objective: row, account } : null;
}

async function visiblePlan(ctx: Ctx, planId: string) {
  const [plan] = await ctx.db.select().from(successPlans).where(eq(successPlans.id, planId)).limit(1);
  if (!plan) return null;
  const account = await findAccount(ctx, plan.accountId);
  return account ? { plan, account } : null;
}

async function authorizePlanChange(ctx: Ctx, find: () => Promise<unknown>, notFound: string): Promise<true | string> {
  if (!may(ctx.viewer, "plan.manage")) return refusal(ctx.viewer, "plan.manage");
  return (await find()) ? true : notFound;
}

async function objectiveTaskCount(db: Executor, objectiveId: string): Promise<number> {
  const { rows } = await db.execute<{ n: number | string }>(sql`select count(*) as n from tasks where objective_id = ${objectiveId}::uuid and status <> 'cancelled'`);
  return Number(rows[0]?.n ?? 0);
}

export const linkTaskInput = z.object({
  taskId: idField("Unknown task."),
  /** Empty: take the task out of its objective. */
  objectiveId: optionalIdField("Pick an objective from the list."),
});

/** Put a task under an objective of the same account (or take it out); both objectives' progress follows. */
export const linkTask = actionDefinition({
  name: "linkTask",
  schema: linkTaskInput,
  async authorize(ctx, input) {
    if (!may(ctx.viewer, "plan.manage")) return refusal(ctx.viewer, "plan.manage");
    const [task] = await ctx.db.select({ accountId: tasks.accountId }).from(tasks).where(eq(tasks.id, input.taskId)).limit(1);
    if (!task || !(await findAccount(ctx, task.accountId))) return "This task does not exist or you may not change it.";
    return true;
  },
  async run(ctx, input) {
    const [task] = await ctx.db
      .select({ id: tasks.id, accountId: tasks.accountId, title: tasks.title, objectiveId: tasks.objectiveId })
      .from(tasks)
      .where(eq(tasks.id, input.taskId))
      .for("update")
      .limit(1);
    if (!task || !(await findAccount(ctx, task.accountId))) throw new ActionError("This task does not exist or you may not change it.");
    let objectiveTitle: string | null = null;
    if (input.objectiveId) {
      const found = await visibleObjective(ctx, input.objectiveId);
      if (!found || found.account.id !== task.accountId) {
        throw new ActionError("Check the highlighted fields.", { objectiveId: ["Pick an objective of this account's success plans."] });
      }
      if (found.objective.archivedAt) throw new ActionError("Check the highlighted fields.", { objectiveId: ["This objective is archived."] });
      objectiveTitle = found.objective.title;
    }
    const to = input.objectiveId ?? null;
    if (task.objectiveId === to) return { accountId: task.accountId, title: task.title, objectiveTitle, changed: false };
    await ctx.db.update(tasks).set({ objectiveId: to }).where(eq(tasks.id, task.id));
    await refreshObjectiveProgress(ctx.db, [task.objectiveId, to]);
    await recordTimeline(ctx.db, [
      {
        accountId: task.accountId,
        kind: "task",
        refId: task.id,
        actorId: ctx.viewer.userId,
        title: objectiveTitle ? `Task linked to objective “${objectiveTitle}”: ${task.title}` : `Task taken out of its objective: ${task.title}`,
        snapshot: { title: task.title, objective: objectiveTitle },
        occurredAt: new Date(),
      },
    ]);
    return { accountId: task.accountId, title: task.title, objectiveTitle, changed: true };
  },
  revalidate: (_input, data) => [`/accounts/${data.accountId}`],
  message: (data) => (!data.changed ? "Nothing changed." : data.objectiveTitle ? `“${data.title}” now counts towards “${data.objectiveTitle}”.` : `“${data.title}” is no longer under an objective.`),
});

export const objectiveProgressInput = z.object({
  objectiveId: idField("Unknown objective."),
  progress: z.coerce.number({ error: "Enter a percentage from 0 to 100." }).int("Enter a whole percentage.").min(0, "Use 0 or more.").max(100, "Use at most 100."),
});

/** Set an objective's progress by hand: only when it has no tasks (otherwise its tasks decide). */
export const setObjectiveProgress = actionDefinition({
  name: "setObjectiveProgress",
  schema: objectiveProgressInput,
  authorize: (ctx, input) => authorizePlanChange(ctx, () => visibleObjective(ctx, input.objectiveId), OBJECTIVE_NOT_FOUND),
  async run(ctx, input) {
    const found = await visibleObjective(ctx, input.objectiveId);
    if (!found) throw new ActionError(OBJECTIVE_NOT_FOUND);
    await ctx.db.execute(sql`select id from objectives where id = ${input.objectiveId}::uuid for update`);
    if ((await objectiveTaskCount(ctx.db, input.objectiveId)) > 0) {
      throw new ActionError("Check the highlighted fields.", { progress: ["This objective has tasks: its progress is the share of them done."] });
    }
    await ctx.db.update(objectives).set({ progress: input.progress }).where(eq(objectives.id, input.objectiveId));
    await recordTimeline(ctx.db, [
      {
        accountId: found.account.id,
        kind: "objective",
        refId: input.objectiveId,
        actorId: ctx.viewer.userId,
        title: `Objective progress set to ${input.progress} %: ${found.objective.title}`,
        snapshot: { title: found.objective.title, plan: found.objective.planName, from: found.objective.progress, progress: input.progress },
        occurredAt: new Date(),
      },
    ]);
    return { accountId: found.account.id, title: found.objective.title, progress: input.progress };
  },
  revalidate: (_input, data) => [`/accounts/${data.accountId}`],
  message: (data) => `“${data.title}” is at ${data.progress} %.`,
});

export const objectiveStatusInput = z.object({
  objectiveId: idField("Unknown objective."),
  status: z.enum(["completed", "archived", "active"], { error: "Choose complete, archive or reopen." }),
});

/** Complete, archive or reopen an objective (completing does not touch its tasks or its progress). */
export const setObjectiveStatus = actionDefinition({
  name: "setObjectiveStatus",
  schema: objectiveStatusInput,
  authorize: (ctx, input) => authorizePlanChange(ctx, () => visibleObjective(ctx, input.objectiveId), OBJECTIVE_NOT_FOUND),
  async run(ctx, input) {
    const found = await visibleObjective(ctx, input.objectiveId);
    if (!found) throw new ActionError(OBJECTIVE_NOT_FOUND);
    const now = new Date();
    const values =
      input.status === "completed" ? { completedAt: now, archivedAt: null } : input.status === "archived" ? { archivedAt: now } : { completedAt: null, archivedAt: null };
    await ctx.db.update(objectives).set(values).where(eq(objectives.id, input.objectiveId));
    const verb = input.status === "completed" ? "completed" : input.status === "archived" ? "archived" : "reopened";
    await recordTimeline(ctx.db, [
      {
        accountId: found.account.id,
        kind: "objective",
        refId: input.objectiveId,
        actorId: ctx.viewer.userId,
        title: `Objective ${verb}: ${found.objective.title}`,
        snapshot: { title: found.objective.title, plan: found.objective.planName, progress: found.objective.progress, status: input.status },
        occurredAt: now,
      },
    ]);
    return { accountId: found.account.id, title: found.objective.title, verb };
  },
  revalidate: (_input, data) => [`/accounts/${data.accountId}`],
  message: (data) => `Objective ${data.verb}: “${data.title}”.`,
});

export const planStatusInput = z.object({
  planId: idField("Unknown success plan."),
  status: z.enum(["completed", "archived", "active"], { error: "Choose complete, archive or reopen." }),
});

/** Complete, archive or reopen a success plan; archived plans leave the sidebar widget. */
export const setPlanStatus = actionDefinition({
  name: "setPlanStatus",
  schema: planStatusInput,
  authorize: (ctx, input) => authorizePlanChange(ctx, () => visiblePlan(ctx, input.planId), PLAN_NOT_FOUND),
  async run(ctx, input) {
    const found = await visiblePlan(ctx, input.planId);
    if (!found) throw new ActionError(PLAN_NOT_FOUND);
    const now = new Date();
    await ctx.db
      .update(successPlans)
      .set({ status: input.status, closedAt: input.status === "active" ? null : now })
      .where(and(eq(successPlans.id, input.planId), ne(successPlans.status, input.status)));
    const verb = input.status === "completed" ? "completed" : input.status === "archived" ? "archived" : "reopened";
    await recordTimeline(ctx.db, [
      {
        accountId: found.account.id,
        kind: "objective",
        refId: input.planId,
        actorId: ctx.viewer.userId,
        title: `Success plan ${verb}: ${found.plan.name}`,
        snapshot: { plan: found.plan.name, from: found.plan.status, status: input.status },
        occurredAt: now,
      },
    ]);
    return { accountId: found.account.id, name: found.plan.name, verb };
  },
  revalidate: (_input, data) => [`/accounts/${data.accountId}`],
  message: (data) => `Success plan ${data.verb}: “${data.name}”.`,
});
