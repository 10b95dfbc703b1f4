"use client";

import { useId } from "react";
import { described, FieldError, FormStatus, hintClass, inputClass, labelClass, SubmitButton, useActionForm } from "@/components/forms";
import { createTeamAction, deleteTeamAction, updateTeamAction } from "./actions";

export type RootOption = { id: string; name: string; depth: number; typeName: string };
export type EditableTeam = { id: string; name: string; seesOpportunities: boolean; everything: boolean; rootIds: string[]; filters: string };

type Form = ReturnType<typeof useActionForm<{ id: string; name: string }>>;

/** Subtrees, attribute filters, Everything, and whether the team sees opportunities. */
function ScopeFields({ id, form, roots, attributeHint, team }: { id: string; form: Form; roots: RootOption[]; attributeHint: string; team?: EditableTeam }) {
  const { result } = form;
  const rootIds = form.values("rootIds", team?.rootIds ?? []);
  return (
    <fieldset className="space-y-3" aria-describedby={result && !result.ok && result.fieldErrors?.scope ? `${id}-scope-error` : undefined}>
      <legend className={labelClass}>Scope: the accounts this team sees</legend>
      <FieldError id={`${id}-scope`} result={result} field="scope" />
      <div className="flex items-center gap-2">
        <input id={`${id}-everything`} type="checkbox" name="everything" defaultChecked={form.values("everything", team?.everything ? ["on"] : []).length > 0} className="h-4 w-4 rounded border-slate-400" />
        <label htmlFor={`${id}-everything`} className="text-sm text-slate-800">
          Everything
        </label>
      </div>
      <div>
        <p className="text-sm text-slate-800" id={`${id}-roots-label`}>
          Parts of the hierarchy (each with everything below it)
        </p>
        <ul className="mt-1 max-h-56 overflow-y-auto rounded-md border border-slate-200 bg-white p-2" aria-labelledby={`${id}-roots-label`} aria-describedby={result && !result.ok && result.fieldErrors?.rootIds ? `${id}-roots-error` : undefined}>
          {roots.map((root) => (
            <li key={root.id} className="flex items-center gap-1.5 py-0.5" style={{ paddingLeft: `${root.depth * 1.25}rem` }}>
              <input id={`${id}-root-${root.id}`} type="checkbox" name="rootIds" value={root.id} defaultChecked={rootIds.includes(root.id)} className="h-4 w-4 rounded border-slate-400" />
              <label htmlFor={`${id}-root-${root.id}`} className="text-sm text-slate-800">
                {root.name} <span className="text-xs text-slate-600">{root.typeName}</span>
              </label>
            </li>
          ))}
        </ul>
        <FieldError id={`${id}-roots`} result={result} field="rootIds" />
      </div>
      <div>
        <label htmlFor={`${id}-filters`} className="text-sm text-slate-800">
          Attribute filters, one a line
        </label>
        <textarea id={`${id}-filters`} name="filters" rows={3} defaultValue={form.value("filters", team?.filters ?? "")} placeholder="segment = Enterprise" className={`${inputClass} font-mono`} {...described(result, "filters", `${id}-filters`, `${id}-filters-hint`)} />
        <p id={`${id}-filters-hint`} className={hintClass}>
          attribute = value; an account matching any filter is in scope. Attributes: {attributeHint}.
        </p>
        <FieldError id={`${id}-filters`} result={result} field="filters" />
      </div>
      <div className="flex items-center gap-2">
        <input id={`${id}-opps`} type="checkbox" name="seesOpportunities" defaultChecked={form.values("seesOpportunities", team?.seesOpportunities ? ["on"] : []).length > 0} className="h-4 w-4 rounded border-slate-400" />
        <label htmlFor={`${id}-opps`} className="text-sm text-slate-800">
          Sees opportunities in its scope
        </label>
      </div>
    </fieldset>
  );
}

export function EditTeamForm({ team, roots, attributeHint }: { team: EditableTeam; roots: RootOption[]; attributeHint: string }) {
  const form = useActionForm(updateTeamAction);
  const remove = useActionForm(deleteTeamAction);
  const id = useId();
  return (
    <div className="space-y-3">
      <form key={form.key} ref={form.formRef} action={form.dispatch} className="space-y-3" aria-label={`Edit team ${team.name}`}>
        <input type="hidden" name="teamId" value={team.id} />
        <FormStatus result={form.result} />
        <div>
          <label htmlFor={`${id}-name`} className={labelClass}>
            Name
          </label>
          <input id={`${id}-name`} name="name" defaultValue={form.value("name", team.name)} className={inputClass} {...described(form.result, "name", `${id}-name`)} />
          <FieldError id={`${id}-name`} result={form.result} field="name" />
        </div>
        <ScopeFields id={id} form={form} roots={roots} attributeHint={attributeHint} team={team} />
        <SubmitButton pending={form.pending}>Save team {team.name}</SubmitButton>
      </form>
      <form action={remove.dispatch} className="border-t border-slate-200 pt-3">
        <input type="hidden" name="teamId" value={team.id} />
        <FormStatus result={remove.result} />
        <button type="submit" disabled={remove.pending} className="rounded-md border border-red-300 px-3 py-1 text-sm font-medium text-red-800 hover:bg-red-50">
          Delete team {team.name}
        </button>
        <span className="ml-2 text-xs text-slate-600">Its members keep their other teams and assignments.</span>
      </form>
    </div>
  );
}

export function CreateTeamForm({ roots, attributeHint }: { roots: RootOption[]; attributeHint: string }) {
  const form = useActionForm(createTeamAction);
  const id = useId();
  return (
    <form key={form.key} ref={form.formRef} action={form.dispatch} className="space-y-3" aria-label="New team">
      <FormStatus result={form.result} />
      <div className="grid gap-3 sm:grid-cols-2">
        <div>
          <label htmlFor={`${id}-key`} className={labelClass}>
            Key
          </label>
          <input id={`${id}-key`} name="key" defaultValue={form.value("key")} className={`${inputClass} font-mono`} {...described(form.result, "key", `${id}-key`, `${id}-key-hint`)} />
          <p id={`${id}-key-hint`} className={hintClass}>
            Lowercase letters, digits and dashes, e.g. emea-enterprise (used by single sign-on&apos;s default team).
          </p>
          <FieldError id={`${id}-key`} result={form.result} field="key" />
        </div>
        <div>
          <label htmlFor={`${id}-name`} className={labelClass}>
            Name
          </label>
          <input id={`${id}-name`} name="name" defaultValue={form.value("name")} className={inputClass} {...described(form.result, "name", `${id}-name`)} />
          <FieldError id={`${id}-name`} result={form.result} field="name" />
        </div>
      </div>
      <ScopeFields id={id} form={form} roots={roots} attributeHint={attributeHint} />
      <SubmitButton pending={form.pending}>Create team</SubmitButton>
    </form>
  );
}
