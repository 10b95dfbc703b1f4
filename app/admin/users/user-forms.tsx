"use client";

import { useId, useState } from "react";
import { described, Field, FieldError, FormStatus, hintClass, inputClass, labelClass, SubmitButton, useActionForm } from "@/components/forms";
import { createUserAction, deleteSsoDomainRuleAction, resetPasswordAction, saveSsoDomainRuleAction, updateUserAction } from "./actions";

export type TeamOption = { id: string; name: string };
export type RoleOption = { value: string; label: string; description: string };
export type EditableUser = { id: string; email: string; name: string; role: string; teamIds: string[]; disabled: boolean };

function TeamChoices({ prefix, teams, selected, error }: { prefix: string; teams: TeamOption[]; selected: string[]; error?: string }) {
  if (!teams.length) return <p className={hintClass}>No teams yet: make them in Teams and scopes, then add people to them here.</p>;
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

/**
 * A one-time set-password link for the admin to pass on (mail delivery is a later issue). Shown
 * once: it is not stored, only its hash is.
 */
function PasswordLinkBox({ link, label }: { link: { url: string; expiresAt: string }; label: string }) {
  const id = useId();
  const [copied, setCopied] = useState(false);
  return (
    <div className="rounded-md border border-emerald-200 bg-emerald-50 p-3" data-testid="password-link">
      <label htmlFor={id} className="block text-sm font-medium text-emerald-950">
        {label}
      </label>
      <div className="mt-1 flex gap-2">
        <input id={id} readOnly value={link.url} onFocus={(e) => e.currentTarget.select()} className={`${inputClass} mt-0 font-mono text-xs`} />
        <button
          type="button"
          onClick={() => navigator.clipboard?.writeText(link.url).then(() => setCopied(true), () => setCopied(false))}
          className="shrink-0 rounded-md border border-emerald-300 bg-white px-3 py-1.5 text-sm font-medium text-emerald-950 hover:bg-emerald-100"
        >
          {copied ? "Copied" : "Copy"}
        </button>
      </div>
      <p className="mt-1 text-xs text-emerald-950">
        Works once, until {new Date(link.expiresAt).toLocaleString("en-GB", { dateStyle: "medium", timeStyle: "short" })}. It is shown only now: make a new one if it gets lost.
      </p>
    </div>
  );
}

/** A new set-password link for one user; their older links stop working. */
export function ResetPasswordForm({ user }: { user: { id: string; name: string } }) {
  const form = useActionForm(resetPasswordAction);
  const { result } = form;
  return (
    <form key={form.key} ref={form.formRef} action={form.dispatch} className="space-y-2" aria-label={`Password link for ${user.name}`}>
      <input type="hidden" name="userId" value={user.id} />
      <FormStatus result={result} />
      <button type="submit" disabled={form.pending} className="rounded-md border border-slate-300 bg-white px-3 py-1.5 text-sm font-medium text-slate-900 hover:bg-slate-50 disabled:opacity-60">
        {form.pending ? "Making a link…" : `New set-password link for ${user.name}`}
      </button>
      {result?.ok ? <PasswordLinkBox link={result.data.link} label={`Set-password link for ${result.data.email}`} /> : null}
    </form>
  );
}

export type SsoRuleView = { id: string; domain: string; roleLabel: string; teamName: string | null };

/** Role and team for first-time single sign-on users of one email domain. */
export function SsoDomainRuleForm({ teams, roles }: { teams: TeamOption[]; roles: RoleOption[] }) {
  const form = useActionForm(saveSsoDomainRuleAction);
  const id = useId();
  const { result } = form;
  return (
    <form key={form.key} ref={form.formRef} action={form.dispatch} className="space-y-3" aria-label="Single sign-on domain rule">
      <FormStatus result={result} />
      <div className="grid gap-3 sm:grid-cols-3">
        <div>
          <label htmlFor={`${id}-domain`} className={labelClass}>
            Email domain
          </label>
          <input id={`${id}-domain`} name="domain" placeholder="example.com" defaultValue={form.value("domain")} className={inputClass} {...described(result, "domain", `${id}-domain`)} />
          <FieldError id={`${id}-domain`} result={result} field="domain" />
        </div>
        <div>
          <RoleSelect id={`${id}-role`} roles={roles} value={form.value("role", "member")} result={result} />
        </div>
        <div>
          <label htmlFor={`${id}-team`} className={labelClass}>
            Team
          </label>
          <select id={`${id}-team`} name="teamId" defaultValue={form.value("teamId")} className={inputClass} {...described(result, "teamId", `${id}-team`)}>
            <option value="">The default team</option>
            {teams.map((t) => (
              <option key={t.id} value={t.id}>
                {t.name}
              </option>
            ))}
          </select>
          <FieldError id={`${id}-team`} result={result} field="teamId" />
        </div>
      </div>
      <SubmitButton pending={form.pending}>Save rule</SubmitButton>
    </form>
  );
}

export function DeleteSsoDomainRuleForm({ rule }: { rule: SsoRuleView }) {
  const form = useActionForm(deleteSsoDomainRuleAction);
  return (
    <form action={form.dispatch} className="inline" aria-label={`Remove the rule for ${rule.domain}`}>
      <input type="hidden" name="ruleId" value={rule.id} />
      <button type="submit" disabled={form.pending} className="text-sm text-red-800 underline underline-offset-2 hover:text-red-900">
        Remove
      </button>
      {form.result && !form.result.ok ? <span role="alert" className="ml-2 text-sm text-red-800">{form.result.error}</span> : null}
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
      {result?.ok ? <PasswordLinkBox link={result.data.link} label={`Set-password link for ${result.data.email}`} /> : null}
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
      </div>
      <fieldset>
        <legend className={labelClass}>Teams</legend>
        <div className="mt-1.5">
          <TeamChoices prefix={`${id}-team`} teams={teams} selected={form.values("teamIds")} />
        </div>
        <FieldError id={`${id}-teams`} result={result} field="teamIds" />
      </fieldset>
      <SubmitButton pending={form.pending}>Invite user</SubmitButton>
    </form>
  );
}
