import Link from "next/link";
import { DownloadCsvLink } from "@/components/download-csv-link";
import { TaskStatusButton } from "@/components/quick-actions/task-status-button";
import type { PortfolioTask } from "@/lib/dal/portfolio";
import { formatDate, isOverdue } from "@/lib/format";

/** The viewer's open tasks (lib/dal/portfolio myOpenTasks), on every home page: a portfolio's and a leader's. */
export function MyOpenTasks({ tasks, mayComplete, className = "" }: { tasks: PortfolioTask[]; mayComplete: boolean; className?: string }) {
  return (
    <section aria-labelledby="my-tasks" className={`rounded-lg border border-slate-200 bg-white ${className}`}>
      <h2 id="my-tasks" className="border-b border-slate-200 px-4 py-3 font-semibold">
        My open tasks <span className="text-sm font-normal text-slate-500">({tasks.length})</span>
      </h2>
      {tasks.length ? <DownloadCsvLink href="/accounts/export/my-tasks" className="mx-4 mt-2 inline-block" /> : null}
      {tasks.length === 0 ? (
        <p className="px-4 py-6 text-sm text-slate-600">No open tasks.</p>
      ) : (
        <ul className="divide-y divide-slate-100">
          {tasks.map((t) => (
            <li key={t.id} className="flex items-start justify-between gap-3 px-4 py-2" data-testid="my-task">
              <div className="min-w-0">
                <p className="text-sm font-medium">
                  <Link href={`/accounts/${t.accountId}/tasks/${t.id}`} className="hover:underline">
                    {t.title}
                  </Link>
                </p>
                <p className="text-xs text-slate-600">
                  <Link href={`/accounts/${t.accountId}`} className="text-brand-700 underline underline-offset-2">
                    {t.accountName}
                  </Link>{" "}
                  · <span className={isOverdue(t.dueDate) ? "font-medium text-red-700" : undefined}>{t.dueDate ? `due ${formatDate(t.dueDate)}` : "no due date"}</span> ·{" "}
                  <span className="capitalize">{t.priority}</span>
                </p>
              </div>
              {mayComplete ? <TaskStatusButton taskId={t.id} title={t.title} status="done" /> : null}
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
