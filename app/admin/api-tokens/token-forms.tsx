"use client";

import { useActionState } from "react";
import { Field, FieldError, FormStatus, SubmitButton, useActionForm } from "@/components/forms";
import { API_SCOPES } from "@/lib/api/scopes";
import { createApiTokenAction, revokeApiTokenAction, setApiTokenRateLimitAction } from "./actions";

export type SubtreeOption = { id: string; label: string };

export function CreateTokenForm({ subtrees }: { subtrees: SubtreeOption[] }) {
  const form = useActionForm(createApiTokenAction);
  const { result } = form;
  const created = result?.ok ? (result.data as { token: string; name: string }) : null;
  const scopesInvalid = Boolean(!result?.ok && result?.fieldErrors?.scopes?.length);
  return (
    <div className="space-y-4">
      {created ? (
        <div role="status" className="rounded-md border border-green-300 bg-green-50 p-3 text-sm text-green-900">
          <p className="font-medium">{result?.ok ? result.message : null}</p>
          <label htmlFor="new-token-value" className="mt-2 block text-xs font-medium text-green-900">
            Token for “{created.name}”
          </label>
          <input
            id="new-token-value"
            readOnly
            value={created.token}
            onFocus={(e) => e.currentTarget.select()}
            className="mt-1 block w-full rounded-md border border-green-400 bg-white px-3 py-1.5 font-mono text-sm text-slate-900"
          />
          <p className="mt-1 text-xs">
            Send it as <code>Authorization: Bearer …</code>. Only its hash is stored: it cannot be shown again.
          </p>
        </div>
      ) : null}
      <form key={form.key} ref={form.formRef} action={form.dispatch} className="space-y-4" noValidate>
        {form.refused ? <FormStatus result={result} /> : null}
        <div className="grid gap-4 sm:grid-cols-2">
          <Field id="token-name" name="name" label="Name" result={result}>
            {(control) => <input {...control} required maxLength={80} placeholder="Product usage feed" defaultValue={form.value("name")} />}
          </Field>
          <Field id="token-root" name="rootAccountId" label="Limit to a subtree" result={result} hint="A limited token writes only to that account and the accounts below it.">
            {(control) => (
              <select {...control} defaultValue={form.value("rootAccountId")}>
                <option value="">Every account</option>
                {subtrees.map((s) => (
                  <option key={s.id} value={s.id}>
                    {s.label}
                  </option>
                ))}
              </select>
            )}
          </Field>
        </div>
        <fieldset aria-invalid={scopesInvalid || undefined} aria-describedby={scopesInvalid ? "token-scopes-error" : undefined}>
          <legend className="mb-1.5 text-sm font-medium text-slate-800">May read and write</legend>
          <ul className="grid gap-x-6 gap-y-1.5 sm:grid-cols-2">
            {API_SCOPES.map((scope) => (
              <li key={scope.key} className="flex items-start gap-2">
                <input
                  id={`scope-${scope.key}`}
                  type="checkbox"
                  name="scopes"
                  value={scope.key}
                  defaultChecked={form.values("scopes").includes(scope.key)}
                  className="mt-0.5 h-4 w-4 rounded border-slate-400"
                />
                <label htmlFor={`scope-${scope.key}`} className="text-sm text-slate-800">
                  {scope.label} <span className="text-xs text-slate-600">— {scope.hint}</span>
                </label>
              </li>
            ))}
          </ul>
          <FieldError id="token-scopes" result={result} field="scopes" />
        </fieldset>
        <SubmitButton pending={form.pending} pendingLabel="Creating…">
          Create token
        </SubmitButton>
      </form>
    </div>
  );
}

export function RevokeTokenButton({ tokenId, name }: { tokenId: string; name: string }) {
  const [state, action, pending] = useActionState(revokeApiTokenAction, null);
  return (
    <form
      action={action}
      onSubmit={(event) => {
        if (!window.confirm(`Revoke “${name}”? Anything using it stops working at once.`)) event.preventDefault();
      }}
    >
      <input type="hidden" name="tokenId" value={tokenId} />
      <button type="submit" disabled={pending} className="rounded-md border border-red-300 px-2 py-1 text-xs font-medium text-red-800 hover:bg-red-50 disabled:opacity-60">
        {pending ? "Revoking…" : `Revoke`}
        <span className="sr-only"> {name}</span>
      </button>
      {state && !state.ok ? (
        <p role="alert" className="mt-1 text-xs text-red-800">
          {state.error}
        </p>
      ) : null}
    </form>
  );
}

/** The token's requests-a-minute limit (issue 17): a small inline form per token. */
export function RateLimitForm({ tokenId, name, limit }: { tokenId: string; name: string; limit: number }) {
  const [state, action, pending] = useActionState(setApiTokenRateLimitAction, null);
  const error = state && !state.ok ? (state.fieldErrors?.rateLimitPerMinute?.[0] ?? state.error) : null;
  const id = `rate-${tokenId}`;
  return (
    <form action={action} className="flex flex-wrap items-center gap-1.5" noValidate>
      <input type="hidden" name="tokenId" value={tokenId} />
      <label htmlFor={id} className="sr-only">
        Requests a minute for {name}
      </label>
      <input
        id={id}
        name="rateLimitPerMinute"
        inputMode="numeric"
        defaultValue={String(limit)}
        aria-invalid={error ? true : undefined}
        aria-describedby={error ? `${id}-error` : undefined}
        className="w-20 rounded-md border border-slate-300 px-2 py-1 text-xs"
      />
      <span className="text-xs text-slate-600">/ min</span>
      <button type="submit" disabled={pending} className="rounded-md border border-slate-300 px-2 py-1 text-xs font-medium text-slate-800 hover:bg-slate-50 disabled:opacity-60">
        {pending ? "Saving…" : "Save"}
        <span className="sr-only"> the limit of {name}</span>
      </button>
      {error ? (
        <p id={`${id}-error`} role="alert" className="w-full text-xs text-red-800">
          {error}
        </p>
      ) : state?.ok ? (
        <p role="status" className="w-full text-xs text-green-800">
          Saved.
        </p>
      ) : null}
    </form>
  );
}
