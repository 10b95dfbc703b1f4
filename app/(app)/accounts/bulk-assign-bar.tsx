"use client";

import { useEffect, useState } from "react";
import { described, FieldError, FormStatus, inputClass, labelClass, SubmitButton, useActionForm } from "@/components/forms";
import { bulkAssignAction } from "./actions";

/** Also named in page.tsx (a client module exports only components to the server). */
const BULK_FORM_ID = "bulk-assign";
type Option = { value: string; label: string };

function rowBoxes(): HTMLInputElement[] {
  return [...document.querySelectorAll<HTMLInputElement>(`input[type=checkbox][form="${BULK_FORM_ID}"][name="accountIds"]`)];
}

/**
 * The accounts list's bulk bar: the rows' checkboxes belong to this form (their `form` attribute),
 * so the selection is submitted with the person and the role. Shown to those who may assign.
 */
export function BulkAssignBar({ people, roles }: { people: Option[]; roles: Option[] }) {
  const form = useActionForm(bulkAssignAction);
  const { result } = form;
  const [selected, setSelected] = useState(0);
  useEffect(() => {
    const count = () => setSelected(rowBoxes().filter((b) => b.checked).length);
    document.addEventListener("change", count);
    count();
    return () => document.removeEventListener("change", count);
  }, []);
  useEffect(() => {
    if (result?.ok) {
      for (const box of rowBoxes()) box.checked = false;
      const all = document.getElementById("select-all-accounts") as HTMLInputElement | null;
      if (all) all.checked = false;
      setSelected(0);
    }
  }, [result]);
  const id = (name: string) => `bulk-${name}`;
  return (
    <form
      id={BULK_FORM_ID}
      key={form.key}
      ref={form.formRef}
      action={form.dispatch}
      aria-label="Assign selected accounts"
      className="space-y-2 border-b border-slate-200 bg-slate-50 px-4 py-3"
      data-testid="bulk-bar"
      noValidate
    >
      <FormStatus result={result} />
      <FieldError id={id("accountIds")} result={result} field="accountIds" />
      <div className="flex flex-wrap items-end gap-3">
        <p className="py-1.5 text-sm font-medium text-slate-800" aria-live="polite" data-testid="bulk-selected">
          {selected} selected
        </p>
        <div>
          <label htmlFor={id("userId")} className={labelClass}>
            Assign
          </label>
          <select id={id("userId")} name="userId" defaultValue={form.value("userId")} className={inputClass} {...described(result, "userId", id("userId"))}>
            <option value="">Choose a person…</option>
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
            as
          </label>
          <select id={id("role")} name="role" defaultValue={form.value("role")} className={inputClass} {...described(result, "role", id("role"))}>
            <option value="">Choose a role…</option>
            {roles.map((r) => (
              <option key={r.value} value={r.value}>
                {r.label}
              </option>
            ))}
          </select>
          <FieldError id={id("role")} result={result} field="role" />
        </div>
        <SubmitButton pending={form.pending} pendingLabel="Assigning…">
          Assign to selected
        </SubmitButton>
      </div>
    </form>
  );
}

/** The header checkbox: selects or clears every row of this page. */
export function SelectAllAccounts() {
  return (
    <input
      id="select-all-accounts"
      type="checkbox"
      aria-label="Select every account on this page"
      className="size-4"
      onChange={(event) => {
        for (const box of rowBoxes()) box.checked = event.currentTarget.checked;
      }}
    />
  );
}
