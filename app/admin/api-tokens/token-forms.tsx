"use client";

import { startTransition, useActionState } from "react";
import type { ActionResult } from "@/lib/actions/define";
import { API_SCOPES } from "@/lib/api/scopes";
import { createApiTokenAction, revokeApiTokenAction } from "./actions";

export type SubtreeOption = { id: string; label: string };

function errorsOf(state: ActionResult | null, field: string): string[] | undefined {
  return state && !state.ok ? state.fieldErrors?.[field] : undefined;
}

function FieldError({ id, errors }: { id: string; errors?: string[] }) {
  if (!errors?.length) return null;
  return (
    <p id={id} className="mt-1 text-sm text-red-800">
      {errors.join(" ")}
    </p>
  );
}

const inputClass =
  "mt-1 block w-full rounded-md border border-slate-400 px-3 py-1.5 text-sm focus:border-brand-500 focus:ring-2 focus:ring-brand-100 focus:outline-none aria-[invalid=true]:border-red-700";

export function CreateTokenForm({ subtrees }: { subtrees: SubtreeOption[] }) {
  const [state, action, pending] = useActionState(createApiTokenAction, null);
  const nameErrors = errorsOf(state, "name");
  const scopeErrors = errorsOf(state, "scopes");
  const rootErrors = errorsOf(state, "rootAccountId");
  const created = state?.ok ? (state.data as { token: string; name: string }) : null;
  return (
    <div className="space-y-4">
      {created ? (
        <div role="status" className="rounded-md border border-green-300 bg-green-50 p-3 text-sm text-green-900">
          <p className="font-medium">{state?.ok ? state.message : null}</p>
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
      <form
        key={created ? created.token : "form"}
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
          <div>
            <label htmlFor="token-name" className="block text-sm font-medium text-slate-700">
              Name
            </label>
            <input
              id="token-name"
              name="name"
              required
              maxLength={80}
              placeholder="Product usage feed"
              aria-invalid={nameErrors ? true : undefined}
              aria-describedby={nameErrors ? "token-name-error" : undefined}
              className={inputClass}
            />
            <FieldError id="token-name-error" errors={nameErrors} />
          </div>
          <div>
            <label htmlFor="token-root" className="block text-sm font-medium text-slate-700">
              Limit to a subtree
            </label>
            <select
              id="token-root"
              name="rootAccountId"
              defaultValue=""
              aria-invalid={rootErrors ? true : undefined}
              aria-describedby={rootErrors ? "token-root-error" : "token-root-hint"}
              className={inputClass}
            >
              <option value="">Every account</option>
              {subtrees.map((s) => (
                <option key={s.id} value={s.id}>
                  {s.label}
                </option>
              ))}
            </select>
            <p id="token-root-hint" className="mt-1 text-xs text-slate-600">
              A limited token writes only to that account and the accounts below it.
            </p>
            <FieldError id="token-root-error" errors={rootErrors} />
          </div>
        </div>
        <fieldset aria-invalid={scopeErrors ? true : undefined} aria-describedby={scopeErrors ? "token-scopes-error" : undefined}>
          <legend className="mb-1.5 text-sm font-medium text-slate-700">May write</legend>
          <ul className="grid gap-x-6 gap-y-1.5 sm:grid-cols-2">
            {API_SCOPES.map((scope) => (
              <li key={scope.key} className="flex items-start gap-2">
                <input id={`scope-${scope.key}`} type="checkbox" name="scopes" value={scope.key} className="mt-0.5 h-4 w-4 rounded border-slate-400" />
                <label htmlFor={`scope-${scope.key}`} className="text-sm text-slate-800">
                  {scope.label} <span className="text-xs text-slate-600">— {scope.hint}</span>
                </label>
              </li>
            ))}
          </ul>
          <FieldError id="token-scopes-error" errors={scopeErrors} />
        </fieldset>
        <div className="flex items-center gap-3">
          <button type="submit" disabled={pending} className="rounded-md bg-brand-600 px-3 py-1.5 text-sm font-medium text-white hover:bg-brand-700 disabled:opacity-60">
            {pending ? "Creating…" : "Create token"}
          </button>
          {state && !state.ok ? (
            <p role="alert" className="rounded-md bg-red-50 px-3 py-2 text-sm text-red-800">
              {state.error}
            </p>
          ) : null}
        </div>
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
