"use client";

import { createTaskAction } from "@/app/(app)/accounts/[id]/actions";
import type { Colleague } from "@/lib/dal/quick-actions";
import { described, FieldError, FormStatus, hintClass, inputClass, labelClass, SubmitButton, useActionForm } from "./form-bits";

const PRIORITIES = [
  ["low", "Low"],
  ["medium", "Medium"],
  ["high", "High"],
  ["urgent", "Urgent"],
] as const;

export function TaskForm({ accountId, colleagues, viewerId }: { accountId: string; colleagues: Colleague[]; viewerId: string }) {
  const form = useActionForm(createTaskAction);
  const { result } = form;
  const id = (name: string) => `task-${name}`;
  return (
    <form key={form.key} ref={form.formRef} action={form.dispatch} className="space-y-3" aria-label="Create a task" noValidate>
      <input type="hidden" name="accountId" value={accountId} />
      <FormStatus result={result} />
      <div>
        <label htmlFor={id("title")} className={labelClass}>
          Title
        </label>
        <input id={id("title")} name="title" required maxLength={200} defaultValue={form.value("title")} className={inputClass} {...described(result, "title", id("title"))} />
        <FieldError id={id("title")} result={result} field="title" />
      </div>
      <div className="grid gap-3 sm:grid-cols-3">
        <div>
          <label htmlFor={id("due")} className={labelClass}>
            Due date
          </label>
          <input id={id("due")} name="dueDate" type="date" defaultValue={form.value("dueDate")} className={inputClass} {...described(result, "dueDate", id("due"), id("due-hint"))} />
          <p id={id("due-hint")} className={hintClass}>
            Optional.
          </p>
          <FieldError id={id("due")} result={result} field="dueDate" />
        </div>
        <div>
          <label htmlFor={id("assignee")} className={labelClass}>
            Assignee
          </label>
          <select id={id("assignee")} name="assigneeId" defaultValue={form.value("assigneeId", viewerId)} className={inputClass} {...described(result, "assigneeId", id("assignee"))}>
            <option value="">Unassigned</option>
            {colleagues.map((u) => (
              <option key={u.id} value={u.id}>
                {`${u.isViewer ? `${u.name} (you)` : u.name}${u.roles.length ? ` · ${u.roles.join(", ")}` : ""}`}
              </option>
            ))}
          </select>
          <FieldError id={id("assignee")} result={result} field="assigneeId" />
        </div>
        <div>
          <label htmlFor={id("priority")} className={labelClass}>
            Priority
          </label>
          <select id={id("priority")} name="priority" defaultValue={form.value("priority", "medium")} className={inputClass} {...described(result, "priority", id("priority"))}>
            {PRIORITIES.map(([value, label]) => (
              <option key={value} value={value}>
                {label}
              </option>
            ))}
          </select>
          <FieldError id={id("priority")} result={result} field="priority" />
        </div>
      </div>
      <div>
        <label htmlFor={id("description")} className={labelClass}>
          Description <span className="font-normal text-slate-600">(optional)</span>
        </label>
        <textarea id={id("description")} name="description" rows={2} maxLength={2000} defaultValue={form.value("description")} className={inputClass} {...described(result, "description", id("description"))} />
        <FieldError id={id("description")} result={result} field="description" />
      </div>
      <SubmitButton pending={form.pending} pendingLabel="Creating…">
        Create task
      </SubmitButton>
    </form>
  );
}
