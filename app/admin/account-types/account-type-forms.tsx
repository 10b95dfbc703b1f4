"use client";

import { startTransition, useActionState } from "react";
import type { ActionResult } from "@/lib/actions/define";
import { createAccountTypeAction, setAllowedParentsAction } from "./actions";

export type TypeOption = { id: string; name: string; isOpportunity: boolean };

function FormStatus({ state, id }: { state: ActionResult | null; id: string }) {
  if (!state) return null;
  return state.ok ? (
    <p id={id} role="status" className="text-sm text-green-800">
      {state.message ?? "Saved."}
    </p>
  ) : (
    <p id={id} role="alert" className="rounded-md bg-red-50 px-3 py-2 text-sm text-red-800">
      {state.error}
    </p>
  );
}

function FieldError({ id, errors }: { id: string; errors?: string[] }) {
  if (!errors?.length) return null;
  return (
    <p id={id} className="mt-1 text-sm text-red-800">
      {errors.join(" ")}
    </p>
  );
}

function errorsOf(state: ActionResult | null, field: string): string[] | undefined {
  return state && !state.ok ? state.fieldErrors?.[field] : undefined;
}

/**
 * Checkboxes of the types an account may sit under. Opportunity types are shown but cannot be
 * ticked; the server refuses them anyway.
 */
function ParentChoices({ prefix, options, selected, errorId }: { prefix: string; options: TypeOption[]; selected: string[]; errorId?: string }) {
  return (
    <ul className="flex flex-wrap gap-x-5 gap-y-2">
      {options.map((option) => {
        const id = `${prefix}-${option.id}`;
        return (
          <li key={option.id} className="flex items-center gap-1.5">
            <input
              id={id}
              type="checkbox"
              name="parentTypeIds"
              value={option.id}
              defaultChecked={selected.includes(option.id)}
              disabled={option.isOpportunity}
              aria-describedby={errorId}
              className="h-4 w-4 rounded border-slate-400"
            />
            <label htmlFor={id} className={`text-sm ${option.isOpportunity ? "text-slate-600" : "text-slate-800"}`}>
              {option.name}
              {option.isOpportunity ? <span className="ml-1 text-xs">(never a parent)</span> : null}
            </label>
          </li>
        );
      })}
    </ul>
  );
}

export function AllowedParentsForm({ typeId, typeName, options, selected }: { typeId: string; typeName: string; options: TypeOption[]; selected: string[] }) {
  const [state, action, pending] = useActionState(setAllowedParentsAction, null);
  const errorId = `parents-${typeId}-error`;
  const fieldErrors = errorsOf(state, "parentTypeIds");
  return (
    <form action={action} className="space-y-2">
      <input type="hidden" name="typeId" value={typeId} />
      <fieldset aria-invalid={fieldErrors ? true : undefined}>
        <legend className="mb-1.5 text-sm font-medium text-slate-700">{typeName} accounts may sit under</legend>
        <ParentChoices prefix={`parents-${typeId}`} options={options} selected={selected} errorId={fieldErrors ? errorId : undefined} />
        <FieldError id={errorId} errors={fieldErrors} />
      </fieldset>
      <p className="text-xs text-slate-600">No box ticked: a top-level type, whose accounts have no parent.</p>
      <div className="flex items-center gap-3">
        <button
          type="submit"
          disabled={pending}
          className="rounded-md bg-brand-600 px-3 py-1.5 text-sm font-medium text-white hover:bg-brand-700 disabled:opacity-60"
        >
          {pending ? "Saving…" : `Save parents of ${typeName}`}
        </button>
        <FormStatus state={state} id={`parents-${typeId}-status`} />
      </div>
    </form>
  );
}

const inputClass =
  "mt-1 block w-full rounded-md border border-slate-400 px-3 py-1.5 text-sm focus:border-brand-500 focus:ring-2 focus:ring-brand-100 focus:outline-none aria-[invalid=true]:border-red-700";

function TextField({
  name,
  label,
  state,
  hint,
  ...input
}: { name: string; label: string; state: ActionResult | null; hint?: string } & React.InputHTMLAttributes<HTMLInputElement>) {
  const errors = errorsOf(state, name);
  const id = `new-type-${name}`;
  const described = [hint ? `${id}-hint` : null, errors ? `${id}-error` : null].filter(Boolean).join(" ") || undefined;
  return (
    <div>
      <label htmlFor={id} className="block text-sm font-medium text-slate-700">
        {label}
      </label>
      <input id={id} name={name} aria-invalid={errors ? true : undefined} aria-describedby={described} className={inputClass} {...input} />
      {hint ? (
        <p id={`${id}-hint`} className="mt-1 text-xs text-slate-600">
          {hint}
        </p>
      ) : null}
      <FieldError id={`${id}-error`} errors={errors} />
    </div>
  );
}

export function CreateAccountTypeForm({ options }: { options: TypeOption[] }) {
  const [state, action, pending] = useActionState(createAccountTypeAction, null);
  const parentErrors = errorsOf(state, "parentTypeIds");
  // A successful create clears the form by remounting it; after an error the typed values stay
  // (submitting through onSubmit skips React's automatic reset of a form's action).
  const formKey = state?.ok ? `done-${JSON.stringify(state.data)}` : "form";
  return (
    <form
      key={formKey}
      action={action}
      onSubmit={(event) => {
        event.preventDefault();
        const data = new FormData(event.currentTarget);
        startTransition(() => action(data));
      }}
      className="space-y-4"
      noValidate
    >
      <div className="grid gap-4 sm:grid-cols-2">
        <TextField name="name" label="Name" state={state} placeholder="Division" required maxLength={60} />
        <TextField name="pluralName" label="Plural name" state={state} placeholder="Divisions" required maxLength={60} />
        <TextField name="key" label="Key" state={state} placeholder="division" required hint="Lowercase letters, digits and underscores; used by imports." />
        <TextField name="level" label="Level" state={state} type="number" min={0} max={20} defaultValue={1} hint="0 is the top of the hierarchy." />
        <TextField name="assetLimitMb" label="Asset limit (MB)" state={state} type="number" min={1} max={100} defaultValue={100} />
      </div>
      <fieldset>
        <legend className="mb-1.5 text-sm font-medium text-slate-700">Allowed parents</legend>
        <ParentChoices prefix="new-type-parent" options={options} selected={[]} errorId={parentErrors ? "new-type-parents-error" : undefined} />
        <FieldError id="new-type-parents-error" errors={parentErrors} />
      </fieldset>
      <div className="flex items-center gap-3">
        <button
          type="submit"
          disabled={pending}
          className="rounded-md bg-brand-600 px-3 py-1.5 text-sm font-medium text-white hover:bg-brand-700 disabled:opacity-60"
        >
          {pending ? "Creating…" : "Create account type"}
        </button>
        <FormStatus state={state} id="new-type-status" />
      </div>
    </form>
  );
}
