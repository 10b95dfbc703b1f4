import type { ReactNode } from "react";
import type { ActionResult } from "@/lib/actions/define";
import { described, FieldError } from "./field-error";

export const inputClass =
  "mt-1 block w-full rounded-md border border-slate-300 bg-white px-2.5 py-1.5 text-sm text-slate-900 aria-[invalid=true]:border-red-600 focus:border-brand-500 focus:outline-none focus:ring-2 focus:ring-brand-100";
export const labelClass = "block text-sm font-medium text-slate-800";
export const hintClass = "mt-1 text-xs text-slate-600";

/** What a field hands its control: id, name, the input style and the aria links to hint and error. */
export type ControlProps = {
  id: string;
  name: string;
  className: string;
  "aria-invalid"?: true;
  "aria-describedby"?: string;
};

/**
 * One labelled form field: label, the control (given by `children` from ControlProps), an optional
 * hint, and the field's errors from the action's result, tied to the control by aria-describedby.
 */
export function Field({
  id,
  name,
  label,
  result,
  hint,
  className,
  children,
}: {
  id: string;
  /** The form field's name, which is also the key of its errors in the result. */
  name: string;
  label: ReactNode;
  result: ActionResult<unknown> | null;
  hint?: ReactNode;
  className?: string;
  children: (control: ControlProps) => ReactNode;
}) {
  const hintId = hint ? `${id}-hint` : undefined;
  return (
    <div className={className}>
      <label htmlFor={id} className={labelClass}>
        {label}
      </label>
      {children({ id, name, className: inputClass, ...described(result, name, id, hintId) })}
      {hint ? (
        <p id={hintId} className={hintClass}>
          {hint}
        </p>
      ) : null}
      <FieldError id={id} result={result} field={name} />
    </div>
  );
}
