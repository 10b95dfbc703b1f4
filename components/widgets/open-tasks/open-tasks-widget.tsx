import Link from "next/link";
import { TaskStatusButton } from "@/components/quick-actions/task-status-button";
import { mayChangeTask } from "@/lib/activity/permissions";
import { openTasks, recentlyDoneTasks } from "@/lib/dal/activity";
import { profileHref } from "@/lib/profile/query";
import type { WidgetSettings } from "@/lib/widgets/catalog";
import type { WidgetProps } from "../types";
import { EmptyState, WidgetCard } from "../widget-card";
import { DueDate, PriorityBadge, StatusBadge } from "../parts/task-bits";

/**
 * Sidebar: the account's open and in-progress tasks, soonest due first, overdue ones marked. Those
 * who may (admins and members; leadership its own tasks) complete a task here, and reopen one done in
 * the last week.
 */
export async function OpenTasksWidget({ ctx, account, settings }: WidgetProps<WidgetSettings<"open_tasks">>) {
  const [{ tasks, total }, done] = await Promise.all([openTasks(ctx, account, settings.limit), recentlyDoneTasks(ctx, account, { days: 7, limit: 5 })]);
  const planHref = profileHref(account.id, {}, { tab: "plan" });
  const title = settings.title ?? "Open tasks";
  const canChange = (task: { assigneeId: string | null; createdBy: string | null }) => mayChangeTask(ctx.viewer, task);
  const reopenable = done.filter(canChange);
  return (
    <WidgetCard
      title={title}
      id="open-tasks"
      action={
        <Link prefetch={false} href={planHref} className="text-xs text-brand-700 underline-offset-2 hover:underline">
          Plan
        </Link>
      }
    >
      {tasks.length === 0 ? (
        <EmptyState>No open tasks.</EmptyState>
      ) : (
        <>
          <ul className="divide-y divide-slate-100" aria-label={`${total} open tasks`}>
            {tasks.map((task) => (
              <li key={task.id} className="py-2 text-sm" data-testid="open-task">
                <div className="flex items-start justify-between gap-2">
                  <Link prefetch={false} href={`/accounts/${account.id}/tasks/${task.id}`} className="font-medium text-slate-900 underline-offset-2 hover:underline">
                    {task.title}
                  </Link>
                  <span className="flex shrink-0 items-start gap-1.5">
                    <PriorityBadge priority={task.priority} />
                    {canChange(task) ? <TaskStatusButton taskId={task.id} title={task.title} status="done" /> : null}
                  </span>
                </div>
                <p className="mt-0.5 flex flex-wrap items-center gap-x-2 gap-y-1 text-xs text-slate-600">
                  <DueDate dueDate={task.dueDate} />
                  <span aria-hidden="true">·</span>
                  <span>{task.assigneeName ?? "Unassigned"}</span>
                  {task.status === "in_progress" ? <StatusBadge status={task.status} /> : null}
                </p>
              </li>
            ))}
          </ul>
          {total > tasks.length ? (
            <p className="mt-2 text-xs">
              <Link prefetch={false} href={planHref} className="text-brand-700 underline underline-offset-2">
                {total - tasks.length} more on the Plan tab
              </Link>
            </p>
          ) : null}
        </>
      )}
      {reopenable.length ? (
        <details className="mt-2 border-t border-slate-100 pt-2">
          <summary className="cursor-pointer text-xs font-medium text-brand-700">Done this week ({reopenable.length})</summary>
          <ul className="mt-1 divide-y divide-slate-100" aria-label="Tasks done this week">
            {reopenable.map((task) => (
              <li key={task.id} className="flex items-start justify-between gap-2 py-1.5 text-sm" data-testid="done-task">
                <span className="text-slate-600 line-through decoration-slate-400">{task.title}</span>
                <TaskStatusButton taskId={task.id} title={task.title} status="open" />
              </li>
            ))}
          </ul>
        </details>
      ) : null}
    </WidgetCard>
  );
}
