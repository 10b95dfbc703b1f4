"use client";

import { addTaskCommentAction } from "@/app/(app)/accounts/[id]/actions";
import { described, FieldError, FormStatus, hintClass, labelClass, SubmitButton, useActionForm } from "@/components/forms";
import { MentionEditor, type Mentionable } from "./mention-editor";

export function TaskCommentForm({ taskId, colleagues }: { taskId: string; colleagues: Mentionable[] }) {
  const form = useActionForm(addTaskCommentAction);
  const { result } = form;
  const aria = described(result, "body", "tc-body", "tc-body-hint");
  return (
    <form key={form.key} ref={form.formRef} action={form.dispatch} className="space-y-2" aria-label="Add a comment" noValidate>
      <input type="hidden" name="taskId" value={taskId} />
      <FormStatus result={result} />
      <label htmlFor="tc-body" className={labelClass}>
        Comment
      </label>
      <MentionEditor id="tc-body" name="body" colleagues={colleagues} defaultValue={form.value("body")} rows={3} describedBy={aria["aria-describedby"]} invalid={Boolean(aria["aria-invalid"])} />
      <p id="tc-body-hint" className={hintClass}>
        Type @ to mention a colleague who can see this account; they are notified.
      </p>
      <FieldError id="tc-body" result={result} field="body" />
      <SubmitButton pending={form.pending} pendingLabel="Adding…">
        Add comment
      </SubmitButton>
    </form>
  );
}
