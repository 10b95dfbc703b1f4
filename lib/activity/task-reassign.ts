import "server-only";
import { and, eq, isNull } from "drizzle-orm";
import { z } from "zod";
import { tasks } from "@/db/schema";
import { ActionError } from "@/lib/actions/define";
import { actionDefinition } from "@/lib/actions/definition";
import { idField, optionalIdField } from "@/lib/actions/fields";
import { notifyTaskAssigned } from "@/lib/notifications/activity";
import { namesOf, usersWhoSee } from "./people";
import { authorizeTaskChange, TASK_NOT_FOUND, visibleTask } from "./tasks";
import { recordTimeline } from "./timeline";

export const reassignTaskInput = z.object({
  taskId: idField("Unknown task."),
  /** Blank leaves the task with nobody. */
  assigneeId: optionalIdField("Pick an assignee from the list."),
});

/**
 * Hand a task to someone else (or to nobody), in the app and through the API's task PATCH. Who may
 * is who may change the task (authorizeTaskChange); the new assignee must see the account. The new
 * assignee is told (inbox, and mail per their setting) unless they reassigned it to themselves.
 */
export const reassignTask = actionDefinition({
  name: "reassignTask",
  schema: reassignTaskInput,
  async authorize(ctx, input) {
    const allowed = await authorizeTaskChange(ctx, input.taskId);
    if (allowed !== true) return allowed;
    if (input.assigneeId) {
      const found = await visibleTask(ctx, input.taskId);
      if (found) await usersWhoSee(ctx, found.account.id, [input.assigneeId], "assigneeId");
    }
    return true;
  },
  async run(ctx, input) {
    const found = await visibleTask(ctx, input.taskId);
    if (!found) throw new ActionError(TASK_NOT_FOUND);
    const { task, account } = found;
    const [assignee] = input.assigneeId ? await namesOf(ctx, [input.assigneeId]) : [null];
    if ((assignee?.id ?? null) === task.assigneeId) {
      return { id: task.id, accountId: account.id, title: task.title, assignee: assignee?.name ?? null, changed: false };
    }
    // Compare-and-set on the assignee read above, so two people reassigning at once record one change.
    const updated = await ctx.db
      .update(tasks)
      .set({ assigneeId: assignee?.id ?? null })
      .where(and(eq(tasks.id, task.id), task.assigneeId ? eq(tasks.assigneeId, task.assigneeId) : isNull(tasks.assigneeId)))
      .returning({ id: tasks.id });
    if (!updated.length) throw new ActionError("Someone changed this task at the same moment. Reload and try again.");
    if (assignee) {
      await notifyTaskAssigned(ctx, { accountId: account.id, accountName: account.name, taskId: task.id, assigneeId: assignee.id, title: task.title, dueDate: task.dueDate });
    }
    await recordTimeline(ctx.db, [
      {
        accountId: account.id,
        kind: "task",
        refId: task.id,
        actorId: ctx.viewer.userId,
        title: `Task reassigned: ${task.title}`,
        snapshot: { title: task.title, dueDate: task.dueDate, priority: task.priority, assignee: assignee?.name ?? null, previousAssignee: task.assigneeName, status: task.status },
        occurredAt: new Date(),
      },
    ]);
    return { id: task.id, accountId: account.id, title: task.title, assignee: assignee?.name ?? null, changed: true };
  },
  revalidate: (_input, data) => [`/accounts/${data.accountId}`, `/accounts/${data.accountId}/tasks/${data.id}`, "/"],
  message: (data) => (!data.changed ? "Nothing changed." : data.assignee ? `“${data.title}” is now ${data.assignee}'s.` : `“${data.title}” is now unassigned.`),
});
