"use client";

import { createTaskAction } from "@/app/(app)/accounts/[id]/actions";
import type { Colleague } from "@/lib/dal/quick-actions";
import { AssigneeField, DueDateField, Field, FormStatus, SubmitButton, useActionForm } from "@/components/forms";

const PRIORITIES = [
  ["low", "Low"],
  ["medium", "Medium"],
  ["high", "High"],
  ["urgent", "Urgent"],
] as const;

export function TaskForm({
  accountId,
  colleagues,
  viewerId,
  objectives = [],
}: {
  accountId: string;
  colleagues: Colleague[];
  viewerId: string;
  /** Open objectives of the account's plans: the task may count towards one. */
  objectives?: { id: string; title: string }[];
}) {
  const form = useActionForm(createTaskAction);
  const { result } = form;
  const id = (name: string) => `task-${name}`;
  return (
    <form key={form.key} ref={form.formRef} action={form.dispatch} className="space-y-3" aria-label="Create a task" noValidate>
      <input type="hidden" name="accountId" value={accountId} />
      <FormStatus result={result} />
      <Field id={id("title")} name="title" label="Title" result={result}>
        {(control) => <input {...control} required maxLength={200} defaultValue={form.value("title")} />}
      </Field>
      <div className="grid gap-3 sm:grid-cols-3">
        <DueDateField id={id("due")} result={result} defaultValue={form.value("dueDate")} />
        <AssigneeField id={id("assignee")} result={result} colleagues={colleagues} defaultValue={form.value("assigneeId", viewerId)} />
        <Field id={id("priority")} name="priority" label="Priority" result={result}>
          {(control) => (
            <select {...control} defaultValue={form.value("priority", "medium")}>
              {PRIORITIES.map(([value, label]) => (
                <option key={value} value={value}>
                  {label}
                </option>
              ))}
            </select>
          )}
        </Field>
      </div>
      {objectives.length ? (
        <Field id={id("objective")} name="objectiveId" label={<>Objective <span className="font-normal text-slate-600">(optional)</span></>} result={result}>
          {(control) => (
            <select {...control} defaultValue={form.value("objectiveId")}>
              <option value="">None</option>
              {objectives.map((o) => (
                <option key={o.id} value={o.id}>
                  {o.title}
                </option>
              ))}
            </select>
          )}
        </Field>
      ) : null}
      <Field id={id("description")} name="description" label={<>Description <span className="font-normal text-slate-600">(optional)</span></>} result={result}>
        {(control) => <textarea {...control} rows={2} maxLength={2000} defaultValue={form.value("description")} />}
      </Field>
      <SubmitButton pending={form.pending} pendingLabel="Creating…">
        Create task
      </SubmitButton>
    </form>
  );
}
