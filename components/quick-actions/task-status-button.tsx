"use client";

import { setTaskStatusAction } from "@/app/(app)/accounts/[id]/actions";
import { useActionForm } from "@/components/forms";

/**
 * A one-button form that marks a task done (or reopens it). The list it sits in re-renders from
 * the server afterwards; a refusal is shown beside the button.
 */
export function TaskStatusButton({ taskId, title, status }: { taskId: string; title: string; status: "done" | "open" }) {
  const form = useActionForm(setTaskStatusAction);
  const error = form.result && !form.result.ok ? form.result.error : null;
  const label = status === "done" ? "Done" : "Reopen";
  return (
    <form action={form.dispatch} className="inline-flex flex-col items-end" data-testid="task-status-form">
      <input type="hidden" name="taskId" value={taskId} />
      <input type="hidden" name="status" value={status} />
      <button
        type="submit"
        disabled={form.pending}
        aria-label={`${label}: ${title}`}
        className={
          status === "done"
            ? "rounded border border-green-700 bg-white px-1.5 py-0.5 text-[11px] font-medium text-green-800 hover:bg-green-50 disabled:opacity-60"
            : "rounded border border-slate-400 bg-white px-1.5 py-0.5 text-[11px] font-medium text-slate-700 hover:bg-slate-50 disabled:opacity-60"
        }
      >
        {form.pending ? "…" : label}
      </button>
      {error ? (
        <span role="alert" className="mt-0.5 text-[11px] text-red-800">
          {error}
        </span>
      ) : null}
    </form>
  );
}
