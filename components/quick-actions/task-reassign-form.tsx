"use client";

import { reassignTaskAction } from "@/app/(app)/accounts/[id]/actions";
import { AssigneeField, FormStatus, SubmitButton, useActionForm } from "@/components/forms";
import type { Colleague } from "@/lib/dal/quick-actions";

/** Hand the task to someone who can see the account (or to nobody); the new assignee is notified. */
export function TaskReassignForm({ taskId, assigneeId, colleagues }: { taskId: string; assigneeId: string | null; colleagues: Colleague[] }) {
  const form = useActionForm(reassignTaskAction);
  const { result } = form;
  return (
    <form key={form.key} ref={form.formRef} action={form.dispatch} className="mt-3 flex flex-wrap items-end gap-2" aria-label="Reassign the task" noValidate>
      <input type="hidden" name="taskId" value={taskId} />
      <FormStatus result={result} />
      <AssigneeField id="reassign-assignee" result={result} colleagues={colleagues} defaultValue={form.value("assigneeId", assigneeId ?? "")} className="min-w-0 flex-1" />
      <SubmitButton pending={form.pending} pendingLabel="Reassigning…">
        Reassign
      </SubmitButton>
    </form>
  );
}
