"use client";

import { errorsOf, Field, FieldError, FormStatus, SubmitButton, useActionForm } from "@/components/forms";
import { createAccountTypeAction, setAllowedParentsAction } from "./actions";

export type TypeOption = { id: string; name: string; isOpportunity: boolean };

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
  const form = useActionForm(setAllowedParentsAction);
  const { result } = form;
  const id = `parents-${typeId}`;
  const invalid = Boolean(errorsOf(result, "parentTypeIds")?.length);
  return (
    <form key={form.key} ref={form.formRef} action={form.dispatch} className="space-y-2">
      <input type="hidden" name="typeId" value={typeId} />
      <FormStatus result={result} />
      <fieldset aria-invalid={invalid || undefined}>
        <legend className="mb-1.5 text-sm font-medium text-slate-800">{typeName} accounts may sit under</legend>
        <ParentChoices prefix={id} options={options} selected={form.values("parentTypeIds", selected)} errorId={invalid ? `${id}-error` : undefined} />
        <FieldError id={id} result={result} field="parentTypeIds" />
      </fieldset>
      <p className="text-xs text-slate-600">No box ticked: a top-level type, whose accounts have no parent.</p>
      <SubmitButton pending={form.pending}>Save parents of {typeName}</SubmitButton>
    </form>
  );
}

export function CreateAccountTypeForm({ options }: { options: TypeOption[] }) {
  const form = useActionForm(createAccountTypeAction);
  const { result } = form;
  const id = (name: string) => `new-type-${name}`;
  const parentsInvalid = Boolean(errorsOf(result, "parentTypeIds")?.length);
  // After a refusal the form comes back with the typed values; after a create it is empty again.
  const text = (name: string, label: string, input: React.InputHTMLAttributes<HTMLInputElement> & { hint?: string }) => {
    const { hint, defaultValue, ...rest } = input;
    return (
      <Field id={id(name)} name={name} label={label} result={result} hint={hint}>
        {(control) => <input {...control} {...rest} defaultValue={form.value(name, defaultValue === undefined ? "" : String(defaultValue))} />}
      </Field>
    );
  };
  return (
    <form key={form.key} ref={form.formRef} action={form.dispatch} className="space-y-4" noValidate>
      <FormStatus result={result} />
      <div className="grid gap-4 sm:grid-cols-2">
        {text("name", "Name", { placeholder: "Division", required: true, maxLength: 60 })}
        {text("pluralName", "Plural name", { placeholder: "Divisions", required: true, maxLength: 60 })}
        {text("key", "Key", { placeholder: "division", required: true, hint: "Lowercase letters, digits and underscores; used by imports." })}
        {text("level", "Level", { type: "number", min: 0, max: 20, defaultValue: 1, hint: "0 is the top of the hierarchy." })}
        {text("assetLimitMb", "Asset limit (MB)", { type: "number", min: 1, max: 100, defaultValue: 100 })}
      </div>
      <fieldset aria-invalid={parentsInvalid || undefined}>
        <legend className="mb-1.5 text-sm font-medium text-slate-800">Allowed parents</legend>
        <ParentChoices prefix={id("parent")} options={options} selected={form.values("parentTypeIds")} errorId={parentsInvalid ? `${id("parents")}-error` : undefined} />
        <FieldError id={id("parents")} result={result} field="parentTypeIds" />
      </fieldset>
      <SubmitButton pending={form.pending} pendingLabel="Creating…">
        Create account type
      </SubmitButton>
    </form>
  );
}
