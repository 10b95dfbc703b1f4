import "server-only";
import type { Ctx } from "@/lib/dal/viewer";
import { accountHref, accountNameOf, notifyIfSeeing } from "./notify";

/*
 * Notices of work handed to someone: a question put to them, the answer to theirs, an account or a
 * task assigned to them. Written in the caller's transaction, only to people who can see the
 * account, never to the person who did it.
 */

export async function notifyRequestSent(ctx: Ctx, r: { accountId: string; accountName: string; toUserId: string; question: string }): Promise<void> {
  await notifyIfSeeing(
    ctx.db,
    { kind: "request", accountId: r.accountId, actorId: ctx.viewer.userId, title: `${ctx.viewer.name} asked you about ${r.accountName}`, body: r.question, href: accountHref(r.accountId) },
    [r.toUserId],
  );
}

export async function notifyRequestAnswered(ctx: Ctx, r: { accountId: string; accountName: string; requesterId: string; question: string; answer: string }): Promise<void> {
  await notifyIfSeeing(
    ctx.db,
    {
      kind: "request_answered",
      accountId: r.accountId,
      actorId: ctx.viewer.userId,
      title: `${ctx.viewer.name} answered your question on ${r.accountName}`,
      body: `${r.question} — ${r.answer}`,
      href: accountHref(r.accountId),
    },
    [r.requesterId],
  );
}

export async function notifyTaskAssigned(ctx: Ctx, t: { accountId: string; accountName: string; taskId: string; assigneeId: string; title: string; dueDate: string | null }): Promise<void> {
  await notifyIfSeeing(
    ctx.db,
    {
      kind: "task_assigned",
      accountId: t.accountId,
      actorId: ctx.viewer.userId,
      title: `${ctx.viewer.name} assigned you a task on ${t.accountName}`,
      body: `${t.title}${t.dueDate ? ` (due ${t.dueDate})` : ""}`,
      href: accountHref(t.accountId, `/tasks/${t.taskId}`),
    },
    [t.assigneeId],
  );
}

export async function notifyAssigned(ctx: Ctx, a: { accountId: string; userId: string; role: string }): Promise<void> {
  const name = await accountNameOf(ctx.db, a.accountId);
  await notifyIfSeeing(
    ctx.db,
    { kind: "assigned", accountId: a.accountId, actorId: ctx.viewer.userId, title: `${ctx.viewer.name} assigned you to ${name} as ${a.role}`, body: "", href: accountHref(a.accountId) },
    [a.userId],
  );
}
