"use client";

import { useEffect, useState } from "react";
import { addObjectiveAction } from "@/app/(app)/accounts/[id]/actions";
import type { PlanOption } from "@/lib/dal/quick-actions";
import { described, DueDateField, Field, FieldError, FormStatus, inputClass, labelClass, SubmitButton, useActionForm } from "@/components/forms";

const NEW_PLAN = "new";

export function ObjectiveForm({ accountId, plans, defaultPlanName }: { accountId: string; plans: PlanOption[]; defaultPlanName: string }) {
  const form = useActionForm(addObjectiveAction);
  const { result } = form;
  const id = (name: string) => `obj-${name}`;
  const initialPlan = form.value("planId", plans[0]?.id ?? NEW_PLAN);
  const [plan, setPlan] = useState(initialPlan);
  // The form remounts after each answer (see useActionForm): follow its select's new default.
  useEffect(() => setPlan(initialPlan), [form.key, initialPlan]);
  const creating = plans.length === 0 || plan === NEW_PLAN;
  return (
    <form key={form.key} ref={form.formRef} action={form.dispatch} className="space-y-3" aria-label="Add an objective" noValidate>
      <input type="hidden" name="accountId" value={accountId} />
      <FormStatus result={result} />
      {plans.length ? (
        <div>
          <label htmlFor={id("plan")} className={labelClass}>
            Success plan
          </label>
          <select id={id("plan")} name="planId" defaultValue={initialPlan} onChange={(e) => setPlan(e.currentTarget.value)} className={inputClass} {...described(result, "planId", id("plan"))}>
            {plans.map((p) => (
              <option key={p.id} value={p.id}>
                {p.status === "completed" ? `${p.name} (completed)` : p.name}
              </option>
            ))}
            <option value={NEW_PLAN}>A new success plan…</option>
          </select>
          <FieldError id={id("plan")} result={result} field="planId" />
        </div>
      ) : (
        <>
          <input type="hidden" name="planId" value={NEW_PLAN} />
          <p className="rounded-md bg-brand-50 px-3 py-2 text-sm text-brand-700">This account has no success plan yet: one is created with this objective.</p>
        </>
      )}
      {creating ? (
        <div>
          <label htmlFor={id("plan-name")} className={labelClass}>
            New plan name
          </label>
          <input id={id("plan-name")} name="planName" maxLength={200} defaultValue={form.value("planName", defaultPlanName)} className={inputClass} {...described(result, "planName", id("plan-name"))} />
          <FieldError id={id("plan-name")} result={result} field="planName" />
        </div>
      ) : null}
      <Field id={id("title")} name="title" label="Objective" result={result}>
        {(control) => <input {...control} required maxLength={200} defaultValue={form.value("title")} />}
      </Field>
      <div className="grid gap-3 sm:grid-cols-3">
        <Field id={id("description")} name="description" label={<>How success is measured <span className="font-normal text-slate-600">(optional)</span></>} result={result} className="sm:col-span-2">
          {(control) => <input {...control} maxLength={2000} defaultValue={form.value("description")} />}
        </Field>
        <DueDateField id={id("due")} result={result} defaultValue={form.value("dueDate")} />
      </div>
      <SubmitButton pending={form.pending} pendingLabel="Adding…">
        Add objective
      </SubmitButton>
    </form>
  );
}
