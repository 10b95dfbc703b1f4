import Link from "next/link";
import { formatNumber } from "@/lib/format";

/**
 * The small note that marks a number as rolled up from the accounts below; with `explain` (the
 * account and a metric of lib/rollups/explain.ts) it links to the page showing each child's part.
 */
export function RolledUpNote({ descendants, explain }: { descendants: number; explain?: { accountId: string; metric: string } }) {
  const text = `rolled up from ${formatNumber(descendants)} ${descendants === 1 ? "account" : "accounts"}`;
  return (
    <span className="rounded bg-brand-50 px-1.5 py-0.5 text-xs font-medium text-brand-700" data-testid="rolled-up-note">
      {explain ? (
        <Link prefetch={false} href={explainHref(explain.accountId, explain.metric)} className="underline decoration-dotted underline-offset-2 hover:decoration-solid" title="Explain this number: each sub-account's part">
          {text}
        </Link>
      ) : (
        text
      )}
    </span>
  );
}

/** The "explain this number" page of a rolled-up metric. */
export function explainHref(accountId: string, metric: string): string {
  return `/accounts/${accountId}/explain?metric=${encodeURIComponent(metric)}`;
}

/** A labelled figure in a widget's summary row. */
export function Figure({ label, value, hint, testId }: { label: string; value: React.ReactNode; hint?: React.ReactNode; testId?: string }) {
  return (
    <div>
      <dt className="text-xs text-slate-600">{label}</dt>
      <dd className="text-lg font-semibold text-slate-900 tabular-nums" data-testid={testId}>
        {value}
      </dd>
      {hint ? <dd className="text-xs text-slate-600">{hint}</dd> : null}
    </div>
  );
}
