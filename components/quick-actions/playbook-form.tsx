"use client";

import { applyPlaybookAction } from "@/app/(app)/accounts/[id]/actions";
import type { PlaybookOption } from "@/lib/dal/quick-actions";
import { FieldError, FormStatus, hintClass, labelClass, SubmitButton, useActionForm } from "@/components/forms";

function dayLabel(offset: number): string {
  if (offset === 0) return "today";
  return offset === 1 ? "tomorrow" : `in ${offset} days`;
}

/** Pick a SuccessPlay; its steps (shown) become tasks assigned to the viewer. */
export function PlaybookForm({ accountId, playbooks }: { accountId: string; playbooks: PlaybookOption[] }) {
  const form = useActionForm(applyPlaybookAction);
  const { result } = form;
  const invalid = Boolean(result && !result.ok && result.fieldErrors?.playbookId);
  if (!playbooks.length) return <p className="text-sm text-slate-600">No SuccessPlay has been defined yet. Admins define them.</p>;
  return (
    <form key={form.key} ref={form.formRef} action={form.dispatch} className="space-y-3" aria-label="Apply a SuccessPlay" noValidate>
      <input type="hidden" name="accountId" value={accountId} />
      <FormStatus result={result} />
      <fieldset aria-describedby={`play-hint${invalid ? " play-error" : ""}`} aria-invalid={invalid || undefined}>
        <legend className={labelClass}>SuccessPlay</legend>
        <p id="play-hint" className={hintClass}>
          Its steps become tasks assigned to you, due relative to today.
        </p>
        <ul className="mt-2 space-y-2">
          {playbooks.map((p, i) => (
            <li key={p.id} className="rounded-md border border-slate-200 p-2.5">
              <div className="flex items-start gap-2">
                <input
                  id={`play-${p.id}`}
                  type="radio"
                  name="playbookId"
                  value={p.id}
                  defaultChecked={form.value("playbookId", i === 0 ? p.id : "") === p.id}
                  className="mt-1 h-4 w-4 border-slate-400"
                  aria-describedby={`play-${p.id}-steps`}
                />
                <div>
                  <label htmlFor={`play-${p.id}`} className="text-sm font-medium text-slate-900">
                    {p.name}
                  </label>
                  {p.description ? <p className="text-xs text-slate-600">{p.description}</p> : null}
                  <ol id={`play-${p.id}-steps`} className="mt-1 list-decimal space-y-0.5 pl-5 text-xs text-slate-700">
                    {p.steps.map((s, n) => (
                      <li key={n}>
                        {s.title} <span className="text-slate-600">· due {dayLabel(s.offsetDays)} · {s.priority}</span>
                      </li>
                    ))}
                  </ol>
                </div>
              </div>
            </li>
          ))}
        </ul>
        <FieldError id="play" result={result} field="playbookId" />
      </fieldset>
      <SubmitButton pending={form.pending} pendingLabel="Applying…">
        Apply SuccessPlay
      </SubmitButton>
    </form>
  );
}
