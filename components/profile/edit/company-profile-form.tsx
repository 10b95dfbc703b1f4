"use client";

import { useRef } from "react";
import { saveCompanyProfileAction } from "@/app/(app)/accounts/[id]/actions";
import { described, errorsOf, FieldError, FormStatus, hintClass, inputClass, labelClass, SubmitButton, useActionForm } from "@/components/forms";

export type ProfileField = {
  key: string;
  label: string;
  dataType: string;
  /** The value as the input shows it, when the page loaded. */
  initial: string;
  version: number;
  editable: boolean;
  /** Shown under the field (e.g. the computed MRR beside its override). */
  note?: string;
};

const fieldName = (key: string) => `value.${key}`;

/**
 * The company profile form (the account's own facts: executive summary, MRR override, employees,
 * dates and revenue figures). Each attribute carries the version it loaded; only the fields
 * the person changed are saved, each through the attribute-edit path (history, timeline,
 * conflicts). A conflict names the other person's value; "Save mine anyway" overwrites on purpose.
 */
export function CompanyProfileForm({
  accountId,
  fields,
  groups,
  memberOf,
}: {
  accountId: string;
  fields: ProfileField[];
  groups: { id: string; name: string }[];
  memberOf: string[];
}) {
  const form = useActionForm(saveCompanyProfileAction);
  const { result } = form;
  const versionInputs = useRef(new Map<string, HTMLInputElement>());
  const conflicts = fields.flatMap((f) => {
    const version = errorsOf(result, `${fieldName(f.key)}:version`)?.[0];
    return version ? [{ key: f.key, version }] : [];
  });
  const id = (key: string) => `cp-${key}`;
  return (
    <form key={form.key} ref={form.formRef} action={form.dispatch} className="space-y-5" aria-label="Company profile" noValidate>
      <input type="hidden" name="accountId" value={accountId} />
      <input type="hidden" name="groupsShown" value="1" />
      <FormStatus result={result} />
      {fields.map((f) => (
        <div key={f.key}>
          <input type="hidden" name={`initial.${f.key}`} value={f.initial} />
          <input
            type="hidden"
            name={`version.${f.key}`}
            defaultValue={form.value(`version.${f.key}`, String(f.version))}
            ref={(el) => {
              if (el) versionInputs.current.set(f.key, el);
            }}
          />
          <label htmlFor={id(f.key)} className={labelClass}>
            {f.label}
          </label>
          <FieldInput field={f} id={id(f.key)} initial={form.value(fieldName(f.key), f.initial)} aria={described(result, fieldName(f.key), id(f.key), f.note ? `${id(f.key)}-note` : undefined)} />
          {f.note ? (
            <p id={`${id(f.key)}-note`} className={hintClass} data-testid={`note-${f.key}`}>
              {f.note}
            </p>
          ) : null}
          <FieldError id={id(f.key)} result={result} field={fieldName(f.key)} />
        </div>
      ))}
      <fieldset aria-describedby={errorsOf(result, "groupIds") ? "cp-groups-error" : "cp-groups-hint"}>
        <legend className={labelClass}>Account groups</legend>
        <p id="cp-groups-hint" className={hintClass}>
          The groups this account belongs to.
        </p>
        {groups.length === 0 ? (
          <p className={hintClass}>No account group exists yet.</p>
        ) : (
          <ul className="mt-1 flex flex-wrap gap-x-5 gap-y-2">
            {groups.map((g) => (
              <li key={g.id} className="flex items-center gap-1.5">
                <input
                  id={`cp-group-${g.id}`}
                  type="checkbox"
                  name="groupIds"
                  value={g.id}
                  defaultChecked={form.values("groupIds", memberOf).includes(g.id)}
                  className="h-4 w-4 rounded border-slate-400"
                />
                <label htmlFor={`cp-group-${g.id}`} className="text-sm text-slate-800">
                  {g.name}
                </label>
              </li>
            ))}
          </ul>
        )}
        <FieldError id="cp-groups" result={result} field="groupIds" />
      </fieldset>
      <div className="flex flex-wrap items-center gap-2">
        <SubmitButton pending={form.pending}>Save</SubmitButton>
        {conflicts.length ? (
          <button
            type="submit"
            disabled={form.pending}
            onClick={() => {
              for (const c of conflicts) {
                const input = versionInputs.current.get(c.key);
                if (input) input.value = c.version;
              }
            }}
            className="rounded-md border border-amber-600 bg-amber-50 px-3.5 py-1.5 text-sm font-medium text-amber-900 hover:bg-amber-100"
          >
            Save mine anyway
          </button>
        ) : null}
      </div>
    </form>
  );
}

function FieldInput({ field, id, initial, aria }: { field: ProfileField; id: string; initial: string; aria: ReturnType<typeof described> }) {
  const common = { id, name: fieldName(field.key), defaultValue: initial, disabled: !field.editable, className: inputClass, ...aria };
  switch (field.dataType) {
    case "date":
      return <input type="date" {...common} />;
    case "number":
    case "currency":
      return <input type="text" inputMode="decimal" autoComplete="off" {...common} />;
    case "url":
      return <input type="url" {...common} />;
    default:
      return <textarea rows={field.key === "executive_summary" ? 5 : 2} maxLength={5000} {...common} />;
  }
}
