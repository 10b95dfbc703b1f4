"use client";

import { linkTaskAction, setObjectiveProgressAction, setObjectiveStatusAction, setPlanStatusAction } from "@/app/(app)/accounts/[id]/actions";
import { useActionForm, type ServerAction } from "@/components/forms";

/*
 * The Plan tab's controls: complete, archive or reopen a plan or an objective; set an objective's
 * progress by hand (when it has no tasks); put a task under an objective. Each is a small form whose
 * refusal shows beside it; the tab re-renders from the server after a change.
 */

const buttonClass = "rounded border border-slate-300 bg-white px-1.5 py-0.5 text-[11px] font-medium text-slate-700 hover:bg-slate-50 disabled:opacity-60";

function Refusal({ result }: { result: { ok: boolean; error?: string } | null }) {
  return result && !result.ok ? (
    <span role="alert" className="text-[11px] text-red-800">
      {result.error}
    </span>
  ) : null;
}

type StatusTarget = "plan" | "objective";
const LABELS = { completed: "Complete", archived: "Archive", active: "Reopen" } as const;

function StatusButton<T>({ action, target, id, title, status }: { action: ServerAction<T>; target: StatusTarget; id: string; title: string; status: keyof typeof LABELS }) {
  const form = useActionForm(action);
  return (
    <form action={form.dispatch} className="inline-flex items-center gap-1">
      <input type="hidden" name={target === "plan" ? "planId" : "objectiveId"} value={id} />
      <input type="hidden" name="status" value={status} />
      <button type="submit" disabled={form.pending} className={buttonClass} aria-label={`${LABELS[status]} ${target === "plan" ? "success plan" : "objective"}: ${title}`}>
        {form.pending ? "…" : LABELS[status]}
      </button>
      <Refusal result={form.result} />
    </form>
  );
}

/** The status changes open to a plan or an objective in its current state. */
export function StatusButtons({ target, id, title, state }: { target: StatusTarget; id: string; title: string; state: "active" | "completed" | "archived" }) {
  const action = target === "plan" ? setPlanStatusAction : setObjectiveStatusAction;
  const next: (keyof typeof LABELS)[] = state === "active" ? ["completed", "archived"] : ["active"];
  return (
    <span className="inline-flex flex-wrap gap-1">
      {next.map((status) => (
        <StatusButton key={status} action={action as ServerAction<unknown>} target={target} id={id} title={title} status={status} />
      ))}
    </span>
  );
}

/** Progress by hand, for an objective without tasks. */
export function ObjectiveProgressForm({ objectiveId, title, progress }: { objectiveId: string; title: string; progress: number }) {
  const form = useActionForm(setObjectiveProgressAction);
  return (
    <form key={form.key} action={form.dispatch} className="mt-1 flex flex-wrap items-center gap-1 text-xs">
      <input type="hidden" name="objectiveId" value={objectiveId} />
      <label htmlFor={`progress-${objectiveId}`} className="text-slate-700">
        Progress by hand (%)
      </label>
      <input
        id={`progress-${objectiveId}`}
        name="progress"
        type="number"
        min={0}
        max={100}
        step={1}
        defaultValue={form.value("progress", String(progress))}
        className="w-16 rounded border border-slate-300 px-1 py-0.5"
        aria-label={`Progress of ${title} (%)`}
      />
      <button type="submit" disabled={form.pending} className={buttonClass}>
        {form.pending ? "…" : "Set"}
      </button>
      <Refusal result={form.result} />
    </form>
  );
}

/** A task's objective: choose one of the account's objectives, or none. Submits on change. */
export function LinkTaskSelect({ taskId, title, objectiveId, objectives }: { taskId: string; title: string; objectiveId: string | null; objectives: { id: string; title: string }[] }) {
  const form = useActionForm(linkTaskAction);
  return (
    <form key={form.key} action={form.dispatch} className="flex flex-col gap-0.5">
      <input type="hidden" name="taskId" value={taskId} />
      <select
        name="objectiveId"
        defaultValue={objectiveId ?? ""}
        disabled={form.pending}
        aria-label={`Objective of ${title}`}
        className="max-w-40 rounded border border-slate-300 bg-white px-1 py-0.5 text-xs"
        onChange={(e) => e.currentTarget.form?.requestSubmit()}
      >
        <option value="">—</option>
        {objectives.map((o) => (
          <option key={o.id} value={o.id}>
            {o.title}
          </option>
        ))}
      </select>
      <Refusal result={form.result} />
    </form>
  );
}
