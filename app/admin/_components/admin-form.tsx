"use client";

import { described, FieldError, FormStatus, hintClass, inputClass, labelClass, SubmitButton, useActionForm, type ServerAction } from "@/components/forms";

export type AdminField =
  | { kind: "text" | "number"; name: string; label: string; value?: string; hint?: string; placeholder?: string; wide?: boolean }
  | { kind: "textarea"; name: string; label: string; value?: string; hint?: string; placeholder?: string; wide?: boolean }
  | { kind: "select"; name: string; label: string; value?: string; hint?: string; options: { value: string; label: string }[]; wide?: boolean }
  | { kind: "checkbox"; name: string; label: string; checked?: boolean; hint?: string; wide?: boolean };

/**
 * One admin form: its fields with their errors beside them, the typed values kept after a refusal
 * (the form remounts with them as defaults), and the outcome below. `hidden` carries ids.
 */
export function AdminForm<T>({
  action,
  id,
  fields,
  hidden = {},
  submit,
  compact = false,
  confirm,
}: {
  action: ServerAction<T>;
  /** Unique on the page: prefixes the controls' ids. */
  id: string;
  fields: AdminField[];
  hidden?: Record<string, string>;
  submit: string;
  compact?: boolean;
  /** A question asked before submitting (destructive actions). */
  confirm?: string;
}) {
  const form = useActionForm(action);
  return (
    <form
      key={form.key}
      ref={form.formRef}
      action={form.dispatch}
      onSubmit={confirm ? (e) => { if (!window.confirm(confirm)) e.preventDefault(); } : undefined}
      className={compact ? "flex flex-wrap items-end gap-3" : "space-y-3"}
      data-testid={`form-${id}`}
    >
      {Object.entries(hidden).map(([name, value]) => (
        <input key={name} type="hidden" name={name} value={value} />
      ))}
      <div className={compact ? "contents" : "grid gap-3 sm:grid-cols-2"}>
        {fields.map((field) => {
          const fid = `${id}-${field.name}`;
          const hintId = field.hint ? `${fid}-hint` : undefined;
          const aria = described(form.result, field.name, fid, hintId);
          const hint = field.hint ? (
            <p id={hintId} className={hintClass}>
              {field.hint}
            </p>
          ) : null;
          const span = field.wide && !compact ? "sm:col-span-2" : "";
          if (field.kind === "checkbox") {
            const kept = form.refused ? form.values(field.name).length > 0 : Boolean(field.checked);
            return (
              <div key={field.name} className={`${span} ${compact ? "pb-1.5" : ""}`}>
                <label htmlFor={fid} className="flex items-center gap-2 text-sm text-slate-800">
                  <input id={fid} type="checkbox" name={field.name} defaultChecked={kept} className="h-4 w-4 rounded border-slate-400" {...aria} />
                  {field.label}
                </label>
                {hint}
                <FieldError id={fid} result={form.result} field={field.name} />
              </div>
            );
          }
          const value = form.value(field.name, field.kind === "select" ? (field.value ?? "") : (field.value ?? ""));
          return (
            <div key={field.name} className={`${span} ${compact ? "min-w-40" : ""}`}>
              <label htmlFor={fid} className={labelClass}>
                {field.label}
              </label>
              {field.kind === "select" ? (
                <select id={fid} name={field.name} defaultValue={value} className={inputClass} {...aria}>
                  {field.options.map((o) => (
                    <option key={o.value} value={o.value}>
                      {o.label}
                    </option>
                  ))}
                </select>
              ) : field.kind === "textarea" ? (
                <textarea id={fid} name={field.name} defaultValue={value} rows={3} placeholder={field.placeholder} className={inputClass} {...aria} />
              ) : (
                <input id={fid} name={field.name} type={field.kind === "number" ? "text" : "text"} inputMode={field.kind === "number" ? "numeric" : undefined} defaultValue={value} placeholder={field.placeholder} className={inputClass} {...aria} />
              )}
              {hint}
              <FieldError id={fid} result={form.result} field={field.name} />
            </div>
          );
        })}
      </div>
      <div className="flex flex-wrap items-center gap-3">
        <SubmitButton pending={form.pending}>{submit}</SubmitButton>
        <FormStatus result={form.result} />
      </div>
    </form>
  );
}
