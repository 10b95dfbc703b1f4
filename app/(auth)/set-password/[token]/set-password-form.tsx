"use client";

import { useActionState } from "react";
import type { SetPasswordState } from "@/lib/auth/password-tokens";
import { setPasswordAction } from "./actions";

const inputClass =
  "mt-1 block w-full rounded-md border border-slate-300 px-3 py-2 shadow-sm focus:border-brand-500 focus:ring-2 focus:ring-brand-100 focus:outline-none aria-[invalid=true]:border-red-600";

const LINK_MESSAGES = {
  used: "This link has just been used, or replaced by a newer one. Ask an admin for a new link if you did not set your password.",
  expired: "This link has expired meanwhile. Ask an admin for a new one.",
  unknown: "This link no longer works. Ask an admin for a new one.",
} as const;

function FieldErrors({ id, errors }: { id: string; errors?: string[] }) {
  if (!errors?.length) return null;
  return (
    <p id={id} className="mt-1 text-sm text-red-800" data-testid="field-error">
      {errors.join(" ")}
    </p>
  );
}

export function SetPasswordForm({ token, email }: { token: string; email: string }) {
  const [state, action, pending] = useActionState<SetPasswordState, FormData>(setPasswordAction, {});
  const problem = state.link ? LINK_MESSAGES[state.link] : state.error;
  const passwordError = state.fieldErrors?.password;
  const confirmError = state.fieldErrors?.confirm;
  return (
    <form action={action} className="space-y-4" noValidate aria-label="Set password">
      <input type="hidden" name="token" value={token} />
      {/* For password managers: which account this password belongs to. */}
      <input type="email" name="username" value={email} autoComplete="username" readOnly hidden />
      {problem ? (
        <p role="alert" className="rounded-md bg-red-50 px-3 py-2 text-sm text-red-800">
          {problem}
        </p>
      ) : null}
      <div>
        <label htmlFor="password" className="block text-sm font-medium text-slate-700">
          New password
        </label>
        <input
          id="password"
          name="password"
          type="password"
          autoComplete="new-password"
          required
          aria-invalid={passwordError ? true : undefined}
          aria-describedby={["password-hint", passwordError ? "password-error" : ""].filter(Boolean).join(" ")}
          className={inputClass}
        />
        <p id="password-hint" className="mt-1 text-xs text-slate-600">
          At least 10 characters. A few unrelated words make a good one.
        </p>
        <FieldErrors id="password-error" errors={passwordError} />
      </div>
      <div>
        <label htmlFor="confirm" className="block text-sm font-medium text-slate-700">
          Type it again
        </label>
        <input
          id="confirm"
          name="confirm"
          type="password"
          autoComplete="new-password"
          required
          aria-invalid={confirmError ? true : undefined}
          aria-describedby={confirmError ? "confirm-error" : undefined}
          className={inputClass}
        />
        <FieldErrors id="confirm-error" errors={confirmError} />
      </div>
      <button type="submit" disabled={pending} className="w-full rounded-md bg-brand-600 px-4 py-2 font-medium text-white hover:bg-brand-700 disabled:opacity-60">
        {pending ? "Saving…" : "Set password"}
      </button>
    </form>
  );
}
