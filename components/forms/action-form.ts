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
