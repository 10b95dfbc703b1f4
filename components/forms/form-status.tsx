import type { ActionResult } from "@/lib/actions/define";

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
