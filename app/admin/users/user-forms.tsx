"use client";

import { useId } from "react";
import { described, Field, FieldError, FormStatus, hintClass, inputClass, labelClass, SubmitButton, useActionForm } from "@/components/forms";
import { createUserAction, updateUserAction } from "./actions";

export type TeamOption = { id: string; name: string };
export type RoleOption = { value: string; label: string; description: string };
export type EditableUser = { id: string; email: string; name: string; role: string; teamIds: string[]; disabled: boolean };

function TeamChoices({ prefix, teams, selected, error }: { prefix: string; teams: TeamOption[]; selected: string[]; error?: string }) {
  return (
    <ul className="flex flex-wrap gap-x-4 gap-y-1.5">
      {teams.map((team) => (
        <li key={team.id} className="flex items-center gap-1.5">
          <input id={`${prefix}-${team.id}`} type="checkbox" name="teamIds" value={team.id} defaultChecked={selected.includes(team.id)} aria-describedby={error} className="h-4 w-4 rounded border-slate-400" />
          <label htmlFor={`${prefix}-${team.id}`} className="text-sm text-slate-800">
            {team.name}
          </label>
        </li>
      ))}
    </ul>
  );
}

function RoleSelect({ id, roles, value, result }: { id: string; roles: RoleOption[]; value: string; result: Parameters<typeof described>[0] }) {
  return (
    <>
      <label htmlFor={id} className={labelClass}>
        Role
      </label>
      <select id={id} name="role" defaultValue={value} className={inputClass} {...described(result, "role", id)}>
        {roles.map((r) => (
          <option key={r.value} value={r.value}>
            {r.label}: {r.description}
          </option>
        ))}
      </select>
      <FieldError id={id} result={result} field="role" />
    </>
  );
}

/** One user's role, teams and status; the server refuses to remove the last admin. */
export function EditUserForm({ user, teams, roles }: { user: EditableUser; teams: TeamOption[]; roles: RoleOption[] }) {
  const form = useActionForm(updateUserAction);
  const id = useId();
  const { result } = form;
  return (
    <form key={form.key} ref={form.formRef} action={form.dispatch} className="space-y-3" aria-label={`Edit ${user.name}`}>
      <input type="hidden" name="userId" value={user.id} />
      <FormStatus result={result} />
      <div className="grid gap-3 sm:grid-cols-2">
        <Field id={`${id}-name`} name="name" label="Name" result={result}>
          {(control) => <input {...control} defaultValue={form.value("name", user.name)} />}
        </Field>
        <div>
          <RoleSelect id={`${id}-role`} roles={roles} value={form.value("role", user.role)} result={result} />
        </div>
      </div>
      <fieldset>
        <legend className={labelClass}>Teams</legend>
        <p className={hintClass}>A user sees the accounts of all their teams&apos; scopes plus the accounts they are assigned to.</p>
        <div className="mt-1.5">
          <TeamChoices prefix={`${id}-team`} teams={teams} selected={form.values("teamIds", user.teamIds)} />
        </div>
        <FieldError id={`${id}-teams`} result={result} field="teamIds" />
      </fieldset>
      <div className="flex items-center gap-2">
        <input id={`${id}-disabled`} type="checkbox" name="disabled" defaultChecked={form.values("disabled", user.disabled ? ["on"] : []).length > 0} className="h-4 w-4 rounded border-slate-400" {...described(result, "disabled", `${id}-disabled`)} />
        <label htmlFor={`${id}-disabled`} className="text-sm text-slate-800">
          Disabled (cannot sign in)
        </label>
      </div>
      <FieldError id={`${id}-disabled`} result={result} field="disabled" />
      <SubmitButton pending={form.pending}>Save {user.name}</SubmitButton>
    </form>
  );
}

export function CreateUserForm({ teams, roles }: { teams: TeamOption[]; roles: RoleOption[] }) {
  const form = useActionForm(createUserAction);
  const id = useId();
  const { result } = form;
  return (
    <form key={form.key} ref={form.formRef} action={form.dispatch} className="space-y-3" aria-label="New user">
      <FormStatus result={result} />
      <div className="grid gap-3 sm:grid-cols-2">
        <Field id={`${id}-email`} name="email" label="Email" result={result}>
          {(control) => <input {...control} type="email" defaultValue={form.value("email")} />}
        </Field>
        <Field id={`${id}-name`} name="name" label="Name" result={result}>
          {(control) => <input {...control} defaultValue={form.value("name")} />}
        </Field>
        <div>
          <RoleSelect id={`${id}-role`} roles={roles} value={form.value("role", "member")} result={result} />
        </div>
        <Field id={`${id}-password`} name="password" label="Password" result={result} hint="At least 10 characters. Leave empty for someone who signs in only with single sign-on.">
          {(control) => <input {...control} type="password" autoComplete="new-password" />}
        </Field>
      </div>
      <fieldset>
        <legend className={labelClass}>Teams</legend>
        <div className="mt-1.5">
          <TeamChoices prefix={`${id}-team`} teams={teams} selected={form.values("teamIds")} />
        </div>
        <FieldError id={`${id}-teams`} result={result} field="teamIds" />
      </fieldset>
      <SubmitButton pending={form.pending}>Add user</SubmitButton>
    </form>
  );
}
