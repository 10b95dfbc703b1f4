"use client";

import { useActionState, useRef } from "react";
import { signInAction, signInWithSsoAction, type SignInState } from "./actions";

export type DemoUser = { email: string; name: string; description: string };

export function LoginForm({ next, demoUsers, ssoName, ssoError }: { next: string; demoUsers: DemoUser[]; ssoName?: string | null; ssoError?: string | null }) {
  const [state, action, pending] = useActionState<SignInState, FormData>(signInAction, {});
  const emailRef = useRef<HTMLInputElement>(null);
  const passwordRef = useRef<HTMLInputElement>(null);

  function signInAs(email: string) {
    if (emailRef.current) emailRef.current.value = email;
    if (passwordRef.current) passwordRef.current.value = "demo";
    emailRef.current?.form?.requestSubmit();
  }

  return (
    <div className="space-y-6">
      <form action={action} className="space-y-4" noValidate>
        <input type="hidden" name="next" value={next} />
        <div>
          <label htmlFor="email" className="block text-sm font-medium text-slate-700">
            Email
          </label>
          <input
            ref={emailRef}
            id="email"
            name="email"
            type="email"
            autoComplete="username"
            defaultValue={state.email}
            required
            aria-describedby={state.error ? "login-error" : undefined}
            className="mt-1 block w-full rounded-md border border-slate-300 px-3 py-2 shadow-sm focus:border-brand-500 focus:ring-2 focus:ring-brand-100 focus:outline-none"
          />
        </div>
        <div>
          <label htmlFor="password" className="block text-sm font-medium text-slate-700">
            Password
          </label>
          <input
            ref={passwordRef}
            id="password"
            name="password"
            type="password"
            autoComplete="current-password"
            required
            aria-describedby={state.error ? "login-error" : undefined}
            className="mt-1 block w-full rounded-md border border-slate-300 px-3 py-2 shadow-sm focus:border-brand-500 focus:ring-2 focus:ring-brand-100 focus:outline-none"
          />
        </div>
        {state.error ? (
          <p id="login-error" role="alert" className="rounded-md bg-red-50 px-3 py-2 text-sm text-red-700">
            {state.error}
          </p>
        ) : null}
        <button
          type="submit"
          disabled={pending}
          className="w-full rounded-md bg-brand-600 px-4 py-2 font-medium text-white hover:bg-brand-700 disabled:opacity-60"
        >
          {pending ? "Signing in…" : "Sign in"}
        </button>
      </form>

      {ssoName ? (
        <form action={signInWithSsoAction} className="space-y-2 border-t border-slate-200 pt-5">
          <input type="hidden" name="next" value={next} />
          {ssoError ? (
            <p id="sso-error" role="alert" className="rounded-md bg-red-50 px-3 py-2 text-sm text-red-700">
              {ssoError}
            </p>
          ) : null}
          <button
            type="submit"
            aria-describedby={ssoError ? "sso-error" : undefined}
            className="w-full rounded-md border border-slate-300 bg-white px-4 py-2 font-medium text-slate-900 hover:bg-slate-50"
          >
            Sign in with {ssoName}
          </button>
        </form>
      ) : null}

      {demoUsers.length ? (
        <section aria-labelledby="demo-users" className="rounded-lg border border-amber-200 bg-amber-50 p-4">
          <h2 id="demo-users" className="text-sm font-semibold text-amber-900">
            Demo sign-in
          </h2>
          <p className="mt-0.5 text-xs text-amber-900">
            Every demo user&apos;s password is <code className="font-semibold">demo</code>. Pick one:
          </p>
          <ul className="mt-3 space-y-2">
            {demoUsers.map((u) => (
              <li key={u.email} className="flex items-center justify-between gap-3">
                <div className="min-w-0">
                  <p className="truncate text-sm font-medium text-slate-900">{u.email}</p>
                  <p className="truncate text-xs text-slate-600">{u.description}</p>
                </div>
                <button
                  type="button"
                  onClick={() => signInAs(u.email)}
                  disabled={pending}
                  aria-label={`Sign in as ${u.email}`}
                  className="shrink-0 rounded-md border border-amber-300 bg-white px-3 py-1 text-sm font-medium text-amber-900 hover:bg-amber-100"
                >
                  Use
                </button>
              </li>
            ))}
          </ul>
        </section>
      ) : null}
    </div>
  );
}
