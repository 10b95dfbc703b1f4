import type { ActionResult } from "@/lib/actions/define";

export function errorsOf(result: ActionResult<unknown> | null, field: string): string[] | undefined {
  return result && !result.ok ? result.fieldErrors?.[field] : undefined;
}

/** Props that tie a control to its hint and error: aria-invalid and aria-describedby. */
export function described(result: ActionResult<unknown> | null, field: string, id: string, hintId?: string) {
  const invalid = Boolean(errorsOf(result, field)?.length);
  const ids = [hintId, invalid ? `${id}-error` : undefined].filter(Boolean).join(" ");
  return { "aria-invalid": invalid || undefined, "aria-describedby": ids || undefined } as const;
}

/** The field's errors under it, as `${id}-error`: the id `described` puts in the control's aria-describedby. */
export function FieldError({ id, result, field }: { id: string; result: ActionResult<unknown> | null; field: string }) {
  const errors = errorsOf(result, field);
  if (!errors?.length) return null;
  return (
    <p id={`${id}-error`} className="mt-1 text-sm text-red-800" data-testid="field-error">
      {errors.join(" ")}
    </p>
  );
}
