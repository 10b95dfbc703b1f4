"use client";

import { described, FieldError, FormStatus, hintClass, inputClass, labelClass, SubmitButton, useActionForm } from "@/components/forms";
import { changeOwnPasswordAction } from "./actions";

/** Current password, new password twice; errors beside each field. Passwords are never refilled. */
export function ChangePasswordForm({ email }: { email: string }) {
  const form = useActionForm(changeOwnPasswordAction);
  const { result } = form;
  return (
    <form key={form.key} ref={form.formRef} action={form.dispatch} className="space-y-3" aria-label="Change password">
      <input type="email" name="username" value={email} autoComplete="username" readOnly hidden />
      <FormStatus result={result} />
      <div>
        <label htmlFor="current" className={labelClass}>
          Current password
        </label>
        <input id="current" name="current" type="password" autoComplete="current-password" className={inputClass} {...described(result, "current", "current")} />
        <FieldError id="current" result={result} field="current" />
      </div>
      <div>
        <label htmlFor="password" className={labelClass}>
          New password
        </label>
        <input id="password" name="password" type="password" autoComplete="new-password" className={inputClass} {...described(result, "password", "password", "password-hint")} />
        <p id="password-hint" className={hintClass}>
          At least 10 characters.
        </p>
        <FieldError id="password" result={result} field="password" />
      </div>
      <div>
        <label htmlFor="confirm" className={labelClass}>
          New password again
        </label>
        <input id="confirm" name="confirm" type="password" autoComplete="new-password" className={inputClass} {...described(result, "confirm", "confirm")} />
        <FieldError id="confirm" result={result} field="confirm" />
      </div>
      <SubmitButton pending={form.pending}>Change password</SubmitButton>
    </form>
  );
}
