import Link from "next/link";
import { DownloadCsvLink } from "@/components/download-csv-link";
import { DueDate, PriorityBadge, StatusBadge } from "@/components/widgets/parts/task-bits";
import { ProgressBar } from "@/components/widgets/parts/progress-bar";
import { EmptyState } from "@/components/widgets/widget-card";
import { PRIORITY_ORDER, planOf, type TaskPriority, type TaskView } from "@/lib/dal/activity";
import { formatDate } from "@/lib/format";
import { profileHref } from "@/lib/profile/query";
import type { TabProps } from "./types";
import { ScrollRegion } from "@/components/scroll-region";
import { TaskStatusButton } from "@/components/quick-actions/task-status-button";
import { mayChangeTask } from "@/lib/activity/permissions";
import { may } from "@/lib/auth/permissions";
import type { Viewer } from "@/lib/dal/viewer";
import { LinkTaskSelect, ObjectiveProgressForm, StatusButtons } from "./plan-controls";

const PRIORITY_HEADINGS: Record<TaskPriority, string> = { urgent: "Urgent", high: "High priority", medium: "Medium priority", low: "Low priority" };

const isOpen = (t: TaskView) => t.status === "open" || t.status === "in_progress";

/**
 * Tasks by priority and due date (open ones; done and cancelled ones with `?done=1`) next to the
 * success plans with their objectives, progress, due dates and tasks.
 */
export async function PlanTab({ ctx, account, query }: TabProps) {
  const showDone = query.raw.done === "1";
  const plan = await planOf(ctx, account, { includeDone: showDone });
  const now = new Date();
  const open = plan.tasks.filter(isOpen);
  const closed = plan.tasks.filter((t) => !isOpen(t));
  const groups = PRIORITY_ORDER.map((priority) => ({ priority, tasks: open.filter((t) => t.priority === priority) })).filter((g) => g.tasks.length);
  const toggleHref = profileHref(account.id, query.raw, { done: showDone ? undefined : "1" });
  const canManage = may(ctx.viewer, "plan.manage");
  const linkable = plan.plans.filter((p) => p.status !== "archived").flatMap((p) => p.objectives.filter((o) => !o.archivedAt).map((o) => ({ id: o.id, title: o.title })));
  const rowProps = { now, viewer: ctx.viewer, objectives: canManage ? linkable : null };

  return (
    <div className="grid grid-cols-1 gap-4 lg:grid-cols-[3fr_2fr]">
      <section aria-labelledby="plan-tasks-heading" className="self-start rounded-lg border border-slate-200 bg-white">
        <div className="flex flex-wrap items-baseline justify-between gap-2 border-b border-slate-100 px-4 py-3">
          <div>
            <h2 id="plan-tasks-heading" className="text-base font-semibold text-slate-900">
              Tasks
            </h2>
            <p className="text-xs text-slate-600">
              {plan.openCount} open · {plan.doneCount} done or cancelled
            </p>
          </div>
          <span className="flex flex-wrap gap-3">
            <Link prefetch={false} href={toggleHref} className="text-sm text-brand-700 underline underline-offset-2">
              {showDone ? "Hide done tasks" : `Show done tasks (${plan.doneCount})`}
            </Link>
            {plan.tasks.length ? <DownloadCsvLink href={`/accounts/export/${account.id}/tasks${showDone ? "?done=1" : ""}`} /> : null}
          </span>
        </div>
        {plan.tasks.length === 0 ? (
          <div className="px-4 py-6">
            <EmptyState>{plan.doneCount && !showDone ? "No open tasks. Every task is done." : "No tasks yet."}</EmptyState>
          </div>
        ) : (
          <ScrollRegion label="Tasks">
            <table className="w-full text-sm">
              <caption className="sr-only">Tasks of {account.name}, open first, by priority and due date</caption>
              <thead className="bg-slate-50 text-left text-xs text-slate-600">
                <tr>
                  <th scope="col" className="px-4 py-2 font-medium">Task</th>
                  <th scope="col" className="px-2 py-2 font-medium">Due</th>
                  <th scope="col" className="px-2 py-2 font-medium">Status</th>
                  <th scope="col" className="px-2 py-2 font-medium">Assignee</th>
                  <th scope="col" className="px-4 py-2 font-medium">Objective</th>
                </tr>
              </thead>
              {groups.map((group) => (
                <TaskGroup key={group.priority} heading={PRIORITY_HEADINGS[group.priority]} tasks={group.tasks} {...rowProps} />
              ))}
              {closed.length ? <TaskGroup heading="Done and cancelled" tasks={closed} {...rowProps} /> : null}
            </table>
          </ScrollRegion>
        )}
      </section>

      <section aria-labelledby="plan-plans-heading" className="space-y-4">
        <h2 id="plan-plans-heading" className="text-base font-semibold text-slate-900">
          Success plans
        </h2>
        {plan.plans.length === 0 ? (
          <div className="rounded-lg border border-slate-200 bg-white p-4">
            <EmptyState>No success plans yet.</EmptyState>
          </div>
        ) : (
          plan.plans.map((p) => (
            <article key={p.id} aria-labelledby={`plan-${p.id}`} className="rounded-lg border border-slate-200 bg-white p-4" data-testid="plan">
              <div className="flex flex-wrap items-baseline justify-between gap-2">
                <h3 id={`plan-${p.id}`} className="text-sm font-semibold text-slate-900">
                  {p.name}
                </h3>
                <span className="text-xs text-slate-600">
                  <span className="capitalize" data-testid="plan-status">{p.status}</span>
                  {p.dueDate ? ` · due ${formatDate(p.dueDate)}` : ""}
                </span>
              </div>
              {canManage ? (
                <div className="mt-1">
                  <StatusButtons target="plan" id={p.id} title={p.name} state={p.status} />
                </div>
              ) : null}
              <p className="mt-1 text-xs text-slate-600">Progress: average of its objectives (archived ones left out)</p>
              <ProgressBar value={p.progress} label={`${p.name}: average objective progress`} />
              {p.objectives.length === 0 ? (
                <p className="mt-3 text-sm text-slate-600">No objectives yet.</p>
              ) : (
                <ul className="mt-3 space-y-3">
                  {p.objectives.map((o) => {
                    const objectiveTasks = plan.tasksByObjective[o.id] ?? [];
                    return (
                      <li key={o.id} className={`rounded-md border border-slate-100 p-3 ${o.archivedAt ? "opacity-60" : ""}`} data-testid="objective">
                        <div className="flex flex-wrap items-baseline justify-between gap-2">
                          <h4 className="text-sm font-medium text-slate-900">{o.title}</h4>
                          <span className="text-xs text-slate-600">
                            {o.archivedAt ? `Archived ${formatDate(o.archivedAt)}` : o.completedAt ? `Completed ${formatDate(o.completedAt)}` : <DueDate dueDate={o.dueDate} now={now} />}
                          </span>
                        </div>
                        {canManage ? (
                          <div className="mt-1">
                            <StatusButtons target="objective" id={o.id} title={o.title} state={o.archivedAt ? "archived" : o.completedAt ? "completed" : "active"} />
                          </div>
                        ) : null}
                        {o.description ? <p className="mt-0.5 text-xs text-slate-600">{o.description}</p> : null}
                        <div className="mt-1">
                          <ProgressBar value={o.progress} label={`Objective ${o.title}`} size="sm" />
                        </div>
                        <p className="mt-1 text-xs text-slate-600" data-testid="objective-progress">
                          {o.progress} % ·{" "}
                          {o.tasksTotal ? `${o.tasksDone} of ${o.tasksTotal} task${o.tasksTotal === 1 ? "" : "s"} done` : "no tasks: progress set by hand"}
                        </p>
                        {canManage && !o.tasksTotal && !o.archivedAt ? <ObjectiveProgressForm objectiveId={o.id} title={o.title} progress={o.progress} /> : null}
                        {objectiveTasks.length ? (
                          <ul className="mt-1 space-y-0.5 text-xs">
                            {objectiveTasks.map((t) => (
                              <li key={t.id} className="flex items-center justify-between gap-2">
                                <span className={isOpen(t) ? "text-slate-800" : "text-slate-600 line-through"}>{t.title}</span>
                                <StatusBadge status={t.status} />
                              </li>
                            ))}
                          </ul>
                        ) : null}
                      </li>
                    );
                  })}
                </ul>
              )}
            </article>
          ))
        )}
      </section>
    </div>
  );
}

function TaskGroup({ heading, tasks, now, viewer, objectives }: { heading: string; tasks: TaskView[]; now: Date; viewer: Viewer; objectives: { id: string; title: string }[] | null }) {
  return (
    <tbody className="divide-y divide-slate-100 border-t border-slate-100">
      <tr>
        <th scope="colgroup" colSpan={5} className="bg-slate-50/60 px-4 py-1.5 text-left text-xs font-semibold text-slate-700">
          {heading} <span className="font-normal text-slate-600">({tasks.length})</span>
        </th>
      </tr>
      {tasks.map((t) => (
        <tr key={t.id} data-testid="plan-task">
          <td className="px-4 py-2 align-top">
            <div className="flex items-start gap-2">
              <span className={isOpen(t) ? "font-medium text-slate-900" : "text-slate-600 line-through"}>{t.title}</span>
              <PriorityBadge priority={t.priority} />
            </div>
            {t.description ? <p className="mt-0.5 text-xs text-slate-600">{t.description}</p> : null}
          </td>
          <td className="px-2 py-2 align-top text-xs whitespace-nowrap text-slate-700">
            <DueDate dueDate={t.dueDate} open={isOpen(t)} now={now} />
          </td>
          <td className="px-2 py-2 align-top">
            <div className="flex flex-col items-start gap-1">
              <StatusBadge status={t.status} />
              {mayChangeTask(viewer, t) ? <TaskStatusButton taskId={t.id} title={t.title} status={isOpen(t) ? "done" : "open"} /> : null}
            </div>
          </td>
          <td className="px-2 py-2 align-top text-xs text-slate-700">{t.assigneeName ?? "Unassigned"}</td>
          <td className="px-4 py-2 align-top text-xs text-slate-700">
            {objectives ? <LinkTaskSelect taskId={t.id} title={t.title} objectiveId={t.objectiveId} objectives={objectives} /> : (t.objectiveTitle ?? "—")}
          </td>
        </tr>
      ))}
    </tbody>
  );
}
