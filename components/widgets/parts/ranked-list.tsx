import Link from "next/link";
import { formatNumber } from "@/lib/format";

export type RankedRow = { id: string; name: string; href?: string; value: number; detail?: string; aside?: React.ReactNode };

/** A short ranked list with a bar proportional to the largest value, for "top N" sections. */
export function RankedList({ title, rows, unit, empty }: { title: string; rows: RankedRow[]; unit: string; empty: string }) {
  const max = Math.max(1, ...rows.map((r) => r.value));
  return (
    <div className="min-w-0">
      <h3 className="text-xs font-semibold uppercase tracking-wide text-slate-600">{title}</h3>
      {rows.length ? (
        <ol className="mt-1 space-y-1.5">
          {rows.map((row, i) => (
            <li key={row.id} className="text-sm">
              <div className="flex items-baseline justify-between gap-2">
                <span className="min-w-0 truncate">
                  <span className="mr-1 text-xs tabular-nums text-slate-600">{i + 1}.</span>
                  {row.href ? (
                    <Link prefetch={false} href={row.href} className="text-brand-700 underline underline-offset-2 hover:text-brand-600">
                      {row.name}
                    </Link>
                  ) : (
                    <span className="text-slate-800">{row.name}</span>
                  )}
                  {row.detail ? <span className="ml-1 text-xs text-slate-600">{row.detail}</span> : null}
                </span>
                {row.aside ?? (
                  <span className="shrink-0 text-xs tabular-nums text-slate-700">
                    {formatNumber(row.value)} {unit}
                  </span>
                )}
              </div>
              <div className="mt-0.5 h-1 rounded-full bg-slate-100" aria-hidden="true">
                <div className="h-1 rounded-full bg-brand-500" style={{ width: `${(row.value / max) * 100}%` }} />
              </div>
            </li>
          ))}
        </ol>
      ) : (
        <p className="mt-1 text-sm text-slate-600">{empty}</p>
      )}
    </div>
  );
}
