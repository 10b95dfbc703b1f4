"use client";

import { useActionState, useEffect, useRef } from "react";
import type { ActionResult } from "@/lib/actions/define";

export type ServerAction<T> = (previous: ActionResult<T> | null, formData: FormData) => Promise<ActionResult<T>>;

/** What the person typed, by field name (repeated names, such as checkbox groups, as arrays). */
export type Submitted = Record<string, string | string[]>;

type FormState<T> = { result: ActionResult<T> | null; values: Submitted | null; seq: number };

function collect(formData: FormData): Submitted {
  const out: Submitted = {};
  for (const [key, value] of formData.entries()) {
    if (key.startsWith("$ACTION") || typeof value !== "string") continue;
    const previous = out[key];
    out[key] = previous === undefined ? value : Array.isArray(previous) ? [...previous, value] : [previous, value];
  }
  return out;
}

/**
 * A server action as a form's state: the typed result, and after a refusal the values that were
 * submitted, so the form shows them again (React resets a form after its action runs). `key`
 * changes with every answer: give it to the form so it remounts with those values as defaults.
 */
export function useActionForm<T>(action: ServerAction<T>) {
  const [state, dispatch, pending] = useActionState<FormState<T>, FormData>(
    async (previous, formData) => {
      const result = await action(previous.result, formData);
      return { result, values: result.ok ? null : collect(formData), seq: previous.seq + 1 };
    },
    { result: null, values: null, seq: 0 },
  );
  const formRef = useRef<HTMLFormElement>(null);
  // After a refusal, move focus to the first field in error (or the message) so it is announced.
  useEffect(() => {
    if (!state.result || state.result.ok) return;
    const form = formRef.current;
    const target = form?.querySelector<HTMLElement>('[aria-invalid="true"]') ?? form?.querySelector<HTMLElement>('[role="alert"]');
    target?.focus();
  }, [state.seq, state.result]);
  const value = (name: string, fallback = ""): string => {
    const v = state.values?.[name];
    return v === undefined ? fallback : Array.isArray(v) ? (v[0] ?? fallback) : v;
  };
  const values = (name: string, fallback: string[] = []): string[] => {
    if (!state.values) return fallback;
    const v = state.values[name];
    return v === undefined ? [] : Array.isArray(v) ? v : [v];
  };
  return { result: state.result, key: state.seq, dispatch, pending, formRef, value, values, refused: Boolean(state.result && !state.result.ok) };
}

export function errorsOf(result: ActionResult<unknown> | null, field: string): string[] | undefined {
  return result && !result.ok ? result.fieldErrors?.[field] : undefined;
}

/** Props that tie a control to its hint and error: aria-invalid and aria-describedby. */
export function described(result: ActionResult<unknown> | null, field: string, id: string, hintId?: string) {
  const invalid = Boolean(errorsOf(result, field)?.length);
  const ids = [hintId, invalid ? `${id}-error` : undefined].filter(Boolean).join(" ");
  return { "aria-invalid": invalid || undefined, "aria-describedby": ids || undefined } as const;
}

export function FieldError({ id, result, field }: { id: string; result: ActionResult<unknown> | null; field: string }) {
  const errors = errorsOf(result, field);
  if (!errors?.length) return null;
  return (
    <p id={`${id}-error`} className="mt-1 text-sm text-red-800" data-testid="field-error">
      {errors.join(" ")}
    </p>
  );
}

/** The outcome of the last submit: a status after success, an alert after a refusal. */
export function FormStatus({ result }: { result: ActionResult<unknown> | null }) {
  if (!result) return null;
  return result.ok ? (
    <p role="status" className="rounded-md bg-green-50 px-3 py-2 text-sm text-green-900" data-testid="form-success">
      {result.message ?? "Saved."}
    </p>
  ) : (
    <p role="alert" tabIndex={-1} className="rounded-md bg-red-50 px-3 py-2 text-sm text-red-800" data-testid="form-error">
      {result.error}
    </p>
  );
}

export const inputClass =
  "mt-1 block w-full rounded-md border border-slate-300 bg-white px-2.5 py-1.5 text-sm text-slate-900 aria-[invalid=true]:border-red-600 focus:border-brand-500 focus:outline-none focus:ring-2 focus:ring-brand-100";
export const labelClass = "block text-sm font-medium text-slate-800";
export const hintClass = "mt-1 text-xs text-slate-600";

export function SubmitButton({ pending, children, pendingLabel }: { pending: boolean; children: React.ReactNode; pendingLabel?: string }) {
  return (
    <button
      type="submit"
      disabled={pending}
      aria-disabled={pending}
      className="rounded-md bg-brand-700 px-3.5 py-1.5 text-sm font-medium text-white hover:bg-brand-600 disabled:opacity-60"
    >
      {pending ? (pendingLabel ?? "Saving…") : children}
    </button>
  );
}
