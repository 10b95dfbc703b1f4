import "server-only";
import { and, asc, eq, inArray } from "drizzle-orm";
import { z } from "zod";
import { taskComments, tasks, users } from "@/db/schema";
import { ActionError } from "@/lib/actions/define";
import { actionDefinition } from "@/lib/actions/definition";
import { idField, textField } from "@/lib/actions/fields";
import { may, refusal } from "@/lib/auth/permissions";
import { findAccount, type AccountSummary } from "@/lib/dal/accounts";
import type { Ctx } from "@/lib/dal/viewer";
import { checkMentions, recordMentions } from "@/lib/mentions/record";
import { mentionedUserIds } from "@/lib/mentions/tokens";

export const TASK_COMMENT_MAX = 4000;

export type TaskThread = {
  task: { id: string; title: string; description: string | null; status: string; priority: string; dueDate: string | null; assigneeId: string | null; assigneeName: string | null; createdBy: string | null };
  comments: { id: string; authorName: string | null; body: string; createdAt: Date }[];
  /** Names of everyone mentioned in the thread, to render `<@id>` tokens. */
  names: Map<string, string>;
};

/** A task of a visible account, with its comment thread, oldest first (null when missing or forbidden). */
export async function taskThread(ctx: Ctx, account: AccountSummary, taskId: string): Promise<TaskThread | null> {
  const [task] = await ctx.db
    .select({ id: tasks.id, title: tasks.title, description: tasks.description, status: tasks.status, priority: tasks.priority, dueDate: tasks.dueDate, assigneeId: tasks.assigneeId, assigneeName: users.name, createdBy: tasks.createdBy })
    .from(tasks)
    .leftJoin(users, eq(users.id, tasks.assigneeId))
    .where(and(eq(tasks.id, taskId), eq(tasks.accountId, account.id)))
    .limit(1);
  if (!task) return null;
  const comments = await ctx.db
    .select({ id: taskComments.id, authorName: users.name, body: taskComments.body, createdAt: taskComments.createdAt })
    .from(taskComments)
    .leftJoin(users, eq(users.id, taskComments.authorId))
    .where(eq(taskComments.taskId, task.id))
    .orderBy(asc(taskComments.createdAt))
    .limit(500);
  const ids = [...new Set(comments.flatMap((c) => mentionedUserIds(c.body)))];
  const named = ids.length ? await ctx.db.select({ id: users.id, name: users.name }).from(users).where(inArray(users.id, ids)) : [];
  return { task, comments, names: new Map(named.map((n) => [n.id.toLowerCase(), n.name])) };
}

export const taskCommentInput = z.object({
  taskId: idField("Unknown task."),
  body: textField("a comment", TASK_COMMENT_MAX),
});

const NOT_FOUND = "This task does not exist or you may not comment on it.";

async function taskAndAccount(ctx: Ctx, taskId: string) {
  const [task] = await ctx.db.select({ id: tasks.id, accountId: tasks.accountId, title: tasks.title }).from(tasks).where(eq(tasks.id, taskId)).limit(1);
  if (!task) return null;
  const account = await findAccount(ctx, task.accountId);
  return account ? { task, account } : null;
}

/** Comment on a task (with @mentions of colleagues who can see the account; each is notified). */
export const addTaskComment = actionDefinition({
  name: "addTaskComment",
  schema: taskCommentInput,
  async authorize(ctx, input) {
    if (!may(ctx.viewer, "task.comment")) return refusal(ctx.viewer, "task.comment");
    const found = await taskAndAccount(ctx, input.taskId);
    if (!found) return NOT_FOUND;
    await checkMentions(ctx, found.account.id, input.body, "body");
    return true;
  },
  async run(ctx, input) {
    const found = await taskAndAccount(ctx, input.taskId);
    if (!found) throw new ActionError(NOT_FOUND);
    const { task, account } = found;
    const [comment] = await ctx.db
      .insert(taskComments)
      .values({ taskId: task.id, accountId: account.id, authorId: ctx.viewer.userId, body: input.body })
      .returning({ id: taskComments.id });
    const href = `/accounts/${account.id}/tasks/${task.id}`;
    await recordMentions(ctx, { accountId: account.id, kind: "task_comment", id: comment.id, text: input.body, what: `a comment on “${task.title}”`, href });
    return { id: comment.id, accountId: account.id, taskId: task.id };
  },
  revalidate: (_input, data) => [`/accounts/${data.accountId}/tasks/${data.taskId}`],
  message: () => "Comment added.",
});
