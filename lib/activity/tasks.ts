import "server-only";
import { and, eq } from "drizzle-orm";
import { z } from "zod";
import { taskPriority, tasks, users } from "@/db/schema";
import { ActionError } from "@/lib/actions/define";
import { may, refusal } from "@/lib/auth/permissions";
import { findAccount } from "@/lib/dal/accounts";
import type { Ctx } from "@/lib/dal/viewer";
import { actionDefinition } from "@/lib/actions/definition";
import { idField, optionalDayField, optionalIdField, optionalTextField, textField } from "@/lib/actions/fields";
import { namesOf, usersWhoSee } from "./people";
import { accountForWrite, authorizeQuickAction, mayChangeTask } from "./permissions";
import { emitEvent } from "@/lib/events/emit";
import { visibleObjective } from "./objectives";
import { refreshObjectiveProgress } from "./progress";
import { prunedNote, recordTimeline } from "./timeline";
import { notifyTaskAssigned } from "@/lib/notifications/activity";

export const TASK_PRIORITIES = taskPriority.enumValues;
export type TaskPriority = (typeof TASK_PRIORITIES)[number];

export const taskInput = z.object({
  accountId: idField("Unknown account."),
  title: textField("a title", 200),
  description: optionalTextField(2000),
  dueDate: optionalDayField,
  assigneeId: optionalIdField("Pick an assignee from the list."),
  priority: z.enum(TASK_PRIORITIES, { error: "Pick a priority: low, medium, high or urgent." }).default("medium"),
  /** An objective of the account's success plans the task counts towards (optional). */
  objectiveId: optionalIdField("Pick an objective from the list."),
});

/** Create a task on the account, and its timeline entry (the task as created). */
export const createTask = actionDefinition({
  name: "createTask",
  schema: taskInput,
  async authorize(ctx, input) {
    const allowed = await authorizeQuickAction(ctx, input.accountId, "task");
    if (allowed !== true) return allowed;
    if (input.assigneeId) await usersWhoSee(ctx, input.accountId, [input.assigneeId], "assigneeId");
    return true;
  },
  async run(ctx, input) {
    const account = await accountForWrite(ctx, input.accountId);
    const [assignee] = input.assigneeId ? await namesOf(ctx, [input.assigneeId]) : [null];
    const objective = input.objectiveId ? await objectiveOfAccount(ctx, input.objectiveId, account.id) : null;
    const now = new Date();
    const [task] = await ctx.db
      .insert(tasks)
      .values({
        accountId: account.id,
        title: input.title,
        description: input.description ?? null,
        dueDate: input.dueDate ?? null,
        assigneeId: assignee?.id ?? null,
        priority: input.priority,
        objectiveId: objective?.id ?? null,
        createdBy: ctx.viewer.userId,
        createdAt: now,
      })
      .returning({ id: tasks.id });
    if (assignee) await notifyTaskAssigned(ctx, { accountId: account.id, accountName: account.name, taskId: task.id, assigneeId: assignee.id, title: input.title, dueDate: input.dueDate ?? null });
    await refreshObjectiveProgress(ctx.db, [objective?.id]);
    const timeline = await recordTimeline(ctx.db, [
      {
        accountId: account.id,
        kind: "task",
        refId: task.id,
        actorId: ctx.viewer.userId,
        title: `Task created: ${input.title}`,
        snapshot: {
          title: input.title,
          description: input.description ?? null,
          dueDate: input.dueDate ?? null,
          priority: input.priority,
          assignee: assignee?.name ?? null,
          status: "open",
          objective: objective?.title ?? null,
        },
        occurredAt: now,
      },
    ]);
    return { id: task.id, accountId: account.id, timeline };
  },
  revalidate: (input) => [`/accounts/${input.accountId}`, "/"],
  message: (data) => `Task created.${prunedNote(data.timeline)}`,
});

/** An objective of the account (not archived) for a new task, or a field error. */
async function objectiveOfAccount(ctx: Ctx, objectiveId: string, accountId: string) {
  const found = await visibleObjective(ctx, objectiveId);
  if (!found || found.account.id !== accountId || found.objective.archivedAt) {
    throw new ActionError("Check the highlighted fields.", { objectiveId: ["Pick an objective of this account's success plans."] });
  }
  return { id: found.objective.id, title: found.objective.title };
}

export const taskStatusInput = z.object({
  taskId: idField("Unknown task."),
  status: z.enum(["done", "open"], { error: "Choose done or open." }),
});

export const TASK_NOT_FOUND = "This task does not exist or you may not change it.";

/** The task and its account, when the account is visible to the viewer. */
export async function visibleTask(ctx: Ctx, taskId: string) {
  const [task] = await ctx.db
    .select({
      id: tasks.id,
      accountId: tasks.accountId,
      title: tasks.title,
      status: tasks.status,
      dueDate: tasks.dueDate,
      priority: tasks.priority,
      assigneeId: tasks.assigneeId,
      createdBy: tasks.createdBy,
      assigneeName: users.name,
      objectiveId: tasks.objectiveId,
    })
    .from(tasks)
    .leftJoin(users, eq(users.id, tasks.assigneeId))
    .where(eq(tasks.id, taskId))
    .limit(1);
  if (!task) return null;
  const account = await findAccount(ctx, task.accountId);
  return account ? { task, account } : null;
}

/** "task.work" on any task of a visible account; "task.workOwn" on one's own tasks only. */
export async function authorizeTaskChange(ctx: Ctx, taskId: string): Promise<true | string> {
  const found = await visibleTask(ctx, taskId);
  if (!found) return TASK_NOT_FOUND;
  if (mayChangeTask(ctx.viewer, found.task)) return true;
  if (!may(ctx.viewer, "task.workOwn")) return refusal(ctx.viewer, "task.work");
  return "Leadership can complete or reopen only its own tasks.";
}

/**
 * Mark a task done or reopen it, with a timeline entry saying so. Done and cancelled tasks reopen
 * as open; a task already in the requested state is left alone.
 */
export const setTaskStatus = actionDefinition({
  name: "setTaskStatus",
  schema: taskStatusInput,
  authorize: (ctx, input) => authorizeTaskChange(ctx, input.taskId),
  async run(ctx, input) {
    const found = await visibleTask(ctx, input.taskId);
    if (!found) throw new ActionError(TASK_NOT_FOUND);
    const { task, account } = found;
    const isDone = task.status === "done";
    if ((input.status === "done") === isDone && task.status !== "cancelled") {
      return { id: task.id, accountId: account.id, status: task.status, title: task.title, changed: false };
    }
    const now = new Date();
    const status = input.status === "done" ? "done" : "open";
    // Compare-and-set on the status read above, so two people clicking at once record one change.
    const updated = await ctx.db
      .update(tasks)
      .set({ status, completedAt: status === "done" ? now : null })
      .where(and(eq(tasks.id, task.id), eq(tasks.status, task.status)))
      .returning({ id: tasks.id });
    if (!updated.length) throw new ActionError("Someone changed this task at the same moment. Reload and try again.");
    await refreshObjectiveProgress(ctx.db, [task.objectiveId]);
    if (status === "done") {
      await emitEvent(ctx.db, { type: "task.completed", accountId: account.id, actorId: ctx.viewer.userId, data: { taskId: task.id, title: task.title }, occurredAt: now });
    }
    await recordTimeline(ctx.db, [
      {
        accountId: account.id,
        kind: "task",
        refId: task.id,
        actorId: ctx.viewer.userId,
        title: `${status === "done" ? "Task completed" : "Task reopened"}: ${task.title}`,
        snapshot: { title: task.title, dueDate: task.dueDate, priority: task.priority, assignee: task.assigneeName, status },
        occurredAt: now,
      },
    ]);
    return { id: task.id, accountId: account.id, status, title: task.title, changed: true };
  },
  revalidate: (_input, data) => [`/accounts/${data.accountId}`, "/"],
  message: (data) =>
    !data.changed ? `“${data.title}” was already ${data.status === "done" ? "done" : "open"}.` : data.status === "done" ? `Done: “${data.title}”.` : `Reopened: “${data.title}”.`,
});
