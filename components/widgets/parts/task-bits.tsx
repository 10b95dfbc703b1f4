import type { TaskPriority, TaskStatus } from "@/lib/dal/activity";
import { formatDate, isOverdue } from "@/lib/format";

const PRIORITY_STYLES: Record<TaskPriority, string> = {
  urgent: "bg-red-100 text-red-800",
  high: "bg-amber-100 text-amber-900",
  medium: "bg-slate-100 text-slate-700",
  low: "bg-slate-50 text-slate-600 ring-1 ring-slate-200",
};

export function PriorityBadge({ priority }: { priority: TaskPriority }) {
  return (
    <span className={`inline-flex rounded px-1.5 py-0.5 text-[11px] font-medium capitalize ${PRIORITY_STYLES[priority] ?? PRIORITY_STYLES.medium}`}>
      {priority}
      <span className="sr-only"> priority</span>
    </span>
  );
}

const STATUS_LABELS: Record<TaskStatus, string> = {
  open: "Open",
  in_progress: "In progress",
  done: "Done",
  cancelled: "Cancelled",
};

const STATUS_STYLES: Record<TaskStatus, string> = {
  open: "bg-white text-slate-700 ring-1 ring-slate-300",
  in_progress: "bg-brand-50 text-brand-700 ring-1 ring-brand-100",
  done: "bg-green-50 text-green-800 ring-1 ring-green-200",
  cancelled: "bg-slate-100 text-slate-600",
};

export function StatusBadge({ status }: { status: TaskStatus }) {
  return <span className={`inline-flex rounded px-1.5 py-0.5 text-[11px] font-medium ${STATUS_STYLES[status]}`}>{STATUS_LABELS[status] ?? status}</span>;
}

export function statusLabel(status: TaskStatus): string {
  return STATUS_LABELS[status] ?? status;
}

/** A due date, marked when it has passed and the task is still open. */
export function DueDate({ dueDate, open = true, now }: { dueDate: string | null; open?: boolean; now?: Date }) {
  if (!dueDate) return <span className="text-slate-500">No due date</span>;
  const overdue = open && isOverdue(dueDate, now);
  return overdue ? (
    <span className="font-medium text-red-700">
      Overdue · {formatDate(dueDate)}
    </span>
  ) : (
    <span>Due {formatDate(dueDate)}</span>
  );
}
