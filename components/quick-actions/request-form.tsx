"use client";

import { answerRequestAction, requestInformationAction } from "@/app/(app)/accounts/[id]/actions";
import type { ContactOption } from "@/lib/dal/contacts";
import type { Colleague, OpenRequest } from "@/lib/dal/quick-actions";
import { formatDate, isOverdue } from "@/lib/format";
import { described, DueDateField, FieldError, FormStatus, inputClass, labelClass, SubmitButton, useActionForm } from "@/components/forms";

/** Ask a contact or a colleague; below, the open requests with a way to record each answer. */
export function RequestForm({
  accountId,
  contacts,
  colleagues,
  openRequests,
}: {
  accountId: string;
  contacts: ContactOption[];
  colleagues: Colleague[];
  openRequests: OpenRequest[];
}) {
  const form = useActionForm(requestInformationAction);
  const { result } = form;
  const id = (name: string) => `req-${name}`;
  return (
    <div className="space-y-5">
      <form key={form.key} ref={form.formRef} action={form.dispatch} className="space-y-3" aria-label="Request information" noValidate>
        <input type="hidden" name="accountId" value={accountId} />
        <FormStatus result={result} />
        <div className="grid gap-3 sm:grid-cols-3">
          <div className="sm:col-span-2">
            <label htmlFor={id("to")} className={labelClass}>
              Ask
            </label>
            <select id={id("to")} name="to" defaultValue={form.value("to")} className={inputClass} {...described(result, "to", id("to"))}>
              <option value="">Choose a contact or a colleague…</option>
              {contacts.length ? (
                <optgroup label="Contacts at the customer">
                  {contacts.map((c) => (
                    <option key={c.id} value={`contact:${c.id}`}>{`${c.name} · ${c.role}`}</option>
                  ))}
                </optgroup>
              ) : null}
              <optgroup label="Colleagues">
                {colleagues
                  .filter((u) => !u.isViewer)
                  .map((u) => (
                    <option key={u.id} value={`user:${u.id}`}>{`${u.name}${u.roles.length ? ` · ${u.roles.join(", ")}` : u.title ? ` · ${u.title}` : ""}`}</option>
                  ))}
              </optgroup>
            </select>
            <FieldError id={id("to")} result={result} field="to" />
          </div>
          <DueDateField id={id("due")} result={result} defaultValue={form.value("dueDate")} label="Answer needed by" />
        </div>
        <div>
          <label htmlFor={id("question")} className={labelClass}>
            Question
          </label>
          <textarea id={id("question")} name="question" rows={3} maxLength={2000} required defaultValue={form.value("question")} className={inputClass} {...described(result, "question", id("question"))} />
          <FieldError id={id("question")} result={result} field="question" />
        </div>
        <SubmitButton pending={form.pending} pendingLabel="Sending…">
          Send request
        </SubmitButton>
      </form>
      <section aria-labelledby="open-requests-heading">
        <h3 id="open-requests-heading" className="text-sm font-semibold text-slate-800">
          Open requests ({openRequests.length})
        </h3>
        {openRequests.length === 0 ? (
          <p className="mt-1 text-sm text-slate-600">No open request on this account.</p>
        ) : (
          <ul className="mt-2 divide-y divide-slate-100 rounded-md border border-slate-200">
            {openRequests.map((r) => (
              <li key={r.id} className="p-3" data-testid="open-request">
                <p className="text-sm text-slate-900">“{r.question}”</p>
                <p className="mt-0.5 text-xs text-slate-600">
                  To {r.to ?? "nobody"} · asked by {r.askedBy ?? "unknown"} on {formatDate(r.createdAt)}
                  {r.dueDate ? (
                    <span className={isOverdue(r.dueDate) ? "font-medium text-red-700" : undefined}> · answer needed by {formatDate(r.dueDate)}</span>
                  ) : null}
                </p>
                <AnswerForm requestId={r.id} question={r.question} />
              </li>
            ))}
          </ul>
        )}
      </section>
    </div>
  );
}

function AnswerForm({ requestId, question }: { requestId: string; question: string }) {
  const form = useActionForm(answerRequestAction);
  const { result } = form;
  const id = `answer-${requestId}`;
  return (
    <form key={form.key} ref={form.formRef} action={form.dispatch} className="mt-2 space-y-2" aria-label={`Answer: ${question}`} noValidate>
      <input type="hidden" name="requestId" value={requestId} />
      <FormStatus result={result} />
      <label htmlFor={id} className="sr-only">
        Answer to “{question}”
      </label>
      <div className="flex flex-wrap items-start gap-2">
        <textarea
          id={id}
          name="answer"
          rows={1}
          maxLength={5000}
          placeholder="Their answer…"
          defaultValue={form.value("answer")}
          className={`${inputClass} mt-0 min-w-0 flex-1`}
          {...described(result, "answer", id)}
        />
        <SubmitButton pending={form.pending} pendingLabel="Saving…">
          Mark answered
        </SubmitButton>
      </div>
      <FieldError id={id} result={result} field="answer" />
    </form>
  );
}
