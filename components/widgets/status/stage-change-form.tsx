"use client";

import { changeStageAction } from "@/app/(app)/accounts/[id]/actions";
import { Field, FormStatus, SubmitButton, useActionForm } from "@/components/forms";

/**
 * "Change stage" under a lifecycle of the Status widget: the stages offered (archived ones are not),
 * and an optional note kept with the change. The widget re-renders from the server afterwards.
 */
export function StageChangeForm({
  accountId,
  lifecycleId,
  lifecycleKey,
  lifecycleName,
  currentKey,
  stages,
}: {
  accountId: string;
  lifecycleId: string;
  lifecycleKey: string;
  lifecycleName: string;
  currentKey: string | null;
  stages: { id: string; key: string; name: string }[];
}) {
  const form = useActionForm(changeStageAction);
  const { result } = form;
  const id = (name: string) => `stage-${lifecycleKey}-${name}`;
  const current = stages.find((s) => s.key === currentKey);
  const firstOther = stages.find((s) => s.key !== currentKey);
  return (
    <details className="mt-2 text-sm" open={form.refused || undefined}>
      <summary className="cursor-pointer text-xs font-medium text-brand-700">Change stage</summary>
      <form key={form.key} ref={form.formRef} action={form.dispatch} className="mt-2 space-y-2" aria-label={`Change the ${lifecycleName} stage`} noValidate>
        <input type="hidden" name="accountId" value={accountId} />
        <input type="hidden" name="lifecycleId" value={lifecycleId} />
        <FormStatus result={result} />
        <Field id={id("stage")} name="stageId" label="New stage" result={result}>
          {(control) => (
            <select {...control} defaultValue={form.value("stageId", firstOther?.id ?? current?.id ?? "")}>
              {stages.map((s) => (
                <option key={s.id} value={s.id}>
                  {s.name}
                  {s.key === currentKey ? " (current)" : ""}
                </option>
              ))}
            </select>
          )}
        </Field>
        <Field id={id("note")} name="note" label={<>Note <span className="font-normal text-slate-600">(optional)</span></>} result={result}>
          {(control) => <textarea {...control} rows={2} maxLength={2000} defaultValue={form.value("note")} />}
        </Field>
        <SubmitButton pending={form.pending} pendingLabel="Moving…">
          Move
        </SubmitButton>
      </form>
    </details>
  );
}
