"use client";

import { assignUserAction, unassignUserAction } from "@/app/(app)/accounts/[id]/actions";
import { described, FieldError, FormStatus, inputClass, labelClass, SubmitButton, useActionForm } from "@/components/forms";

export type Option = { value: string; label: string };

/** Assign a person to the account with a role (the Assignment widget, for those who may). */
export function AssignForm({ accountId, people, roles }: { accountId: string; people: Option[]; roles: Option[] }) {
  const form = useActionForm(assignUserAction);
  const { result } = form;
  const id = (name: string) => `assign-${name}`;
  return (
    <form key={form.key} ref={form.formRef} action={form.dispatch} className="mt-3 space-y-2 border-t border-slate-100 pt-3" aria-label="Assign a person" noValidate>
      <input type="hidden" name="accountId" value={accountId} />
      <FormStatus result={result} />
      <div className="grid gap-2 sm:grid-cols-2">
        <div>
          <label htmlFor={id("userId")} className={labelClass}>
            Person
          </label>
          <select id={id("userId")} name="userId" defaultValue={form.value("userId")} className={inputClass} {...described(result, "userId", id("userId"))}>
            <option value="">Choose…</option>
            {people.map((p) => (
              <option key={p.value} value={p.value}>
                {p.label}
              </option>
            ))}
          </select>
          <FieldError id={id("userId")} result={result} field="userId" />
        </div>
        <div>
          <label htmlFor={id("role")} className={labelClass}>
            Role
          </label>
          <select id={id("role")} name="role" defaultValue={form.value("role")} className={inputClass} {...described(result, "role", id("role"))}>
            <option value="">Choose…</option>
            {roles.map((r) => (
              <option key={r.value} value={r.value}>
                {r.label}
              </option>
            ))}
          </select>
          <FieldError id={id("role")} result={result} field="role" />
        </div>
      </div>
      <SubmitButton pending={form.pending} pendingLabel="Assigning…">
        Assign
      </SubmitButton>
    </form>
  );
}

/** A role someone holds here, with a button that ends that assignment. */
export function UnassignButton({ accountId, userId, userName, role }: { accountId: string; userId: string; userName: string; role: string }) {
  const form = useActionForm(unassignUserAction);
  return (
    <form key={form.key} action={form.dispatch} className="inline-flex items-center gap-1">
      <input type="hidden" name="accountId" value={accountId} />
      <input type="hidden" name="userId" value={userId} />
      <input type="hidden" name="role" value={role} />
      <span className="rounded bg-slate-100 px-1.5 py-0.5 text-xs text-slate-800">
        {role}
        <button
          type="submit"
          disabled={form.pending}
          className="ml-1 rounded px-0.5 text-slate-500 hover:bg-red-100 hover:text-red-800"
          aria-label={`Unassign ${userName} as ${role}`}
          title={`Unassign ${userName} as ${role}`}
        >
          ×
        </button>
      </span>
      {form.result && !form.result.ok ? (
        <span role="alert" className="text-xs text-red-800">
          {form.result.error}
        </span>
      ) : null}
    </form>
  );
}
