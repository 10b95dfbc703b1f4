import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { MentionText } from "@/components/mentions/mention-text";
import { TaskCommentForm } from "@/components/mentions/task-comment-form";
import { TaskReassignForm } from "@/components/quick-actions/task-reassign-form";
import { mayChangeTask } from "@/lib/activity/permissions";
import { taskThread } from "@/lib/activity/task-comments";
import { may } from "@/lib/auth/permissions";
import { findAccount } from "@/lib/dal/accounts";
import { colleaguesWhoCanSee } from "@/lib/dal/quick-actions";
import { getContext, requireContext } from "@/lib/dal/session";
import { isUuid } from "@/lib/dal/viewer";
import { formatDate, relativeTime } from "@/lib/format";

type Props = { params: Promise<{ id: string; taskId: string }> };

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  const ctx = await getContext();
  const { id } = await params;
  const account = ctx ? await findAccount(ctx, id) : null;
  return { title: account ? `Task · ${account.name}` : "Task not found" };
}

/** One task of an account with its comment thread (comments take @mentions). */
export default async function TaskPage({ params }: Props) {
  const ctx = await requireContext();
  const { id, taskId } = await params;
  const account = await findAccount(ctx, id);
  if (!account || !isUuid(taskId)) notFound();
  const thread = await taskThread(ctx, account, taskId);
  if (!thread) notFound();
  const { task } = thread;
  const canComment = may(ctx.viewer, "task.comment");
  const canReassign = mayChangeTask(ctx.viewer, task);
  const everyone = canComment || canReassign ? await colleaguesWhoCanSee(ctx, account) : [];
  const colleagues = canComment ? everyone.filter((c) => !c.isViewer) : [];
  const now = new Date();
  return (
    <div className="mx-auto max-w-3xl space-y-4">
      <p className="text-sm">
        <Link href={`/accounts/${account.id}`} className="text-brand-700 underline">
          {account.name}
        </Link>
      </p>
      <div className="rounded-lg border border-slate-200 bg-white p-4">
        <h1 className="break-words text-xl font-semibold text-slate-900">{task.title}</h1>
        <p className="mt-1 text-sm text-slate-700">
          {task.status.replace("_", " ")} · {task.priority} priority · {task.assigneeName ?? "Unassigned"}
          {task.dueDate ? ` · due ${formatDate(task.dueDate)}` : ""}
        </p>
        {task.description ? <p className="mt-2 whitespace-pre-wrap break-words text-sm text-slate-800">{task.description}</p> : null}
        {canReassign ? <TaskReassignForm taskId={task.id} assigneeId={task.assigneeId} colleagues={everyone} /> : null}
      </div>
      <section aria-labelledby="comments-heading" className="space-y-3 rounded-lg border border-slate-200 bg-white p-4">
        <h2 id="comments-heading" className="text-base font-semibold text-slate-900">
          Comments ({thread.comments.length})
        </h2>
        {thread.comments.length ? (
          <ul className="divide-y divide-slate-100">
            {thread.comments.map((c) => (
              <li key={c.id} className="py-2" data-testid="task-comment">
                <p className="text-xs text-slate-600">
                  {c.authorName ?? "A former user"} · {relativeTime(c.createdAt, now)}
                </p>
                <p className="mt-0.5 whitespace-pre-wrap break-words text-sm text-slate-900">
                  <MentionText text={c.body} names={thread.names} />
                </p>
              </li>
            ))}
          </ul>
        ) : (
          <p className="text-sm text-slate-600">No comments yet.</p>
        )}
        {canComment ? <TaskCommentForm taskId={task.id} colleagues={colleagues.map((c) => ({ id: c.id, name: c.name }))} /> : null}
      </section>
    </div>
  );
}
