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
        <Link href={explainHref(explain.accountId, explain.metric)} className="underline decoration-dotted underline-offset-2 hover:decoration-solid" title="Explain this number: each sub-account's part">
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

const relative = new Intl.RelativeTimeFormat("en", { numeric: "auto" });

/** "3 days ago" style text for recent dates, relative to `now`. */
export function timeAgo(at: Date | string, now = new Date()): string {
  const date = at instanceof Date ? at : new Date(at);
  const days = Math.round((date.getTime() - now.getTime()) / 86_400_000);
  if (Math.abs(days) < 1) return "today";
  if (Math.abs(days) < 60) return relative.format(days, "day");
  const months = Math.round(days / 30);
  if (Math.abs(months) < 24) return relative.format(months, "month");
  return relative.format(Math.round(days / 365), "year");
}

const UNITS = ["B", "KB", "MB", "GB"] as const;

/** A byte count as 1.2 MB; "—" when unknown (links have no size). */
export function formatBytes(bytes: number | null | undefined): string {
  if (bytes === null || bytes === undefined || !Number.isFinite(bytes)) return "—";
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < UNITS.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${unit === 0 ? formatNumber(value) : value.toFixed(value < 10 ? 1 : 0)} ${UNITS[unit]}`;
}
