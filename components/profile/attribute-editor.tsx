"use client";

import { useEffect, useRef, useState, type ReactNode } from "react";
import { useRouter } from "next/navigation";
import { editAttributeAction } from "@/app/(app)/accounts/[id]/actions";
import { described, errorsOf, FieldError, FormStatus, inputClass, useActionForm } from "@/components/forms";
import { attributeInputValue } from "@/lib/attributes/values";

export type EditableValue = {
  id: string;
  key: string;
  label: string;
  dataType: string;
  options: string[] | null;
  value: unknown;
  /** The version loaded with the value (0 when it never had one). */
  version: number;
};

/**
 * One attribute value with edit-in-place: "Edit" opens a typed input carrying the version it
 * loaded; the server refuses the save if someone changed the value since, and says who and to
 * what. "Save mine anyway" then overwrites on purpose with the version now stored.
 */
export function AttributeEditor({ accountId, attribute, children }: { accountId: string; attribute: EditableValue; children: ReactNode }) {
  const [editing, setEditing] = useState(false);
  const editButton = useRef<HTMLButtonElement>(null);
  const wasEditing = useRef(false);
  useEffect(() => {
    if (wasEditing.current && !editing) editButton.current?.focus();
    wasEditing.current = editing;
  }, [editing]);
  return editing ? (
    <EditForm accountId={accountId} attribute={attribute} onDone={() => setEditing(false)} />
  ) : (
    <div className="flex items-start justify-between gap-2">
      <div className="min-w-0">{children}</div>
      <button
        ref={editButton}
        type="button"
        onClick={() => setEditing(true)}
        className="shrink-0 rounded px-1.5 py-0.5 text-xs font-medium text-brand-700 underline underline-offset-2 hover:bg-brand-50"
      >
        Edit<span className="sr-only"> {attribute.label}</span>
      </button>
    </div>
  );
}

function EditForm({ accountId, attribute, onDone }: { accountId: string; attribute: EditableValue; onDone: () => void }) {
  const router = useRouter();
  const form = useActionForm(editAttributeAction);
  const { result } = form;
  // The version this edit started from; it does not follow later refreshes, so a save after
  // someone else's change is detected rather than silently overwriting it.
  const [loadedVersion] = useState(attribute.version);
  const conflictVersion = errorsOf(result, "value:version")?.[0];
  const versionInput = useRef<HTMLInputElement>(null);
  const id = `edit-${attribute.key}`;

  useEffect(() => {
    if (result?.ok) onDone();
  }, [result, onDone]);

  const initial = form.value("value", attributeInputValue(attribute.dataType, attribute.value));
  const aria = described(result, "value", id, `${id}-hint`);
  return (
    <form key={form.key} ref={form.formRef} action={form.dispatch} className="space-y-2" aria-label={`Edit ${attribute.label}`} noValidate data-testid="attribute-editor">
      <input type="hidden" name="accountId" value={accountId} />
      <input type="hidden" name="attributeId" value={attribute.id} />
      <input ref={versionInput} type="hidden" name="version" defaultValue={form.value("version", String(loadedVersion))} />
      <label htmlFor={id} className="sr-only">
        {attribute.label}
      </label>
      <ValueInput id={id} attribute={attribute} initial={initial} aria={aria} />
      <p id={`${id}-hint`} className="text-xs text-slate-600">
        {hint(attribute)}
      </p>
      <FieldError id={id} result={result} field="value" />
      {result && !result.ok && !result.fieldErrors?.value ? <FormStatus result={result} /> : null}
      <div className="flex flex-wrap items-center gap-2">
        <button type="submit" disabled={form.pending} className="rounded-md bg-brand-700 px-3 py-1 text-sm font-medium text-white hover:bg-brand-600 disabled:opacity-60">
          {form.pending ? "Saving…" : "Save"}
        </button>
        {conflictVersion ? (
          <button
            type="submit"
            disabled={form.pending}
            onClick={() => {
              if (versionInput.current) versionInput.current.value = conflictVersion;
            }}
            className="rounded-md border border-amber-600 bg-amber-50 px-3 py-1 text-sm font-medium text-amber-900 hover:bg-amber-100"
          >
            Save mine anyway
          </button>
        ) : null}
        <button
          type="button"
          onClick={() => {
            onDone();
            if (conflictVersion) router.refresh();
          }}
          className="rounded-md px-3 py-1 text-sm text-slate-700 hover:bg-slate-100"
        >
          {conflictVersion ? "Keep their value" : "Cancel"}
        </button>
      </div>
    </form>
  );
}

function hint(attribute: EditableValue): string {
  switch (attribute.dataType) {
    case "currency":
      return "An amount in USD; leave empty to clear.";
    case "number":
      return "A number; leave empty to clear.";
    case "date":
      return "A date; leave empty to clear.";
    case "url":
      return "A web address starting with http:// or https://.";
    case "select":
    case "boolean":
      return "Choose “Not set” to clear.";
    default:
      return "Leave empty to clear.";
  }
}

function ValueInput({ id, attribute, initial, aria }: { id: string; attribute: EditableValue; initial: string; aria: ReturnType<typeof described> }) {
  const common = { id, name: "value", defaultValue: initial, autoFocus: true, className: `${inputClass} mt-0`, ...aria };
  switch (attribute.dataType) {
    case "select": {
      const options = attribute.options ?? [];
      // A stored value no longer among the options stays choosable, so opening the editor changes nothing.
      const all = initial && !options.includes(initial) ? [...options, initial] : options;
      return (
        <select {...common}>
          <option value="">Not set</option>
          {all.map((o) => (
            <option key={o} value={o}>
              {o}
            </option>
          ))}
        </select>
      );
    }
    case "boolean":
      return (
        <select {...common}>
          <option value="">Not set</option>
          <option value="true">Yes</option>
          <option value="false">No</option>
        </select>
      );
    case "date":
      return <input type="date" {...common} />;
    case "url":
      return <input type="url" inputMode="url" placeholder="https://" {...common} />;
    case "number":
    case "currency":
      return <input type="text" inputMode="decimal" autoComplete="off" {...common} />;
    default:
      return <textarea rows={3} maxLength={5000} {...common} />;
  }
}
