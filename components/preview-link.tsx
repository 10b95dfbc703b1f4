"use client";

import Link from "next/link";
import { useRef, useState } from "react";
import type { AccountPreview } from "@/lib/dal/preview";

const UNIT = { red: "bg-red-600", amber: "bg-amber-400", green: "bg-green-600" } as const;

const BAND = { good: "bg-good", average: "bg-average", poor: "bg-poor" } as const;
const money = new Intl.NumberFormat("en-US", { style: "currency", currency: "USD", maximumFractionDigits: 0 });

/** A link to an account that shows its condensed profile on hover or keyboard focus. */
export function PreviewLink({ id, href, children, className }: { id: string; href?: string; children: React.ReactNode; className?: string }) {
  const [preview, setPreview] = useState<AccountPreview | null>(null);
  const [open, setOpen] = useState(false);
  const timer = useRef<ReturnType<typeof setTimeout> | null>(null);
  const loading = useRef(false);

  function show() {
    timer.current = setTimeout(async () => {
      setOpen(true);
      if (preview || loading.current) return;
      loading.current = true;
      const res = await fetch(`/api/accounts/${id}/preview`).catch(() => null);
      if (res?.ok) setPreview(await res.json());
      loading.current = false;
    }, 250);
  }
  function hide() {
    if (timer.current) clearTimeout(timer.current);
    setOpen(false);
  }

  return (
    <span className="relative inline-block" onMouseEnter={show} onMouseLeave={hide} onFocus={show} onBlur={hide}>
      <Link href={href ?? `/accounts/${id}`} className={className}>
        {children}
      </Link>
      {open ? (
        <span role="tooltip" className="absolute top-full left-0 z-30 mt-1 block w-72 rounded-lg border border-slate-200 bg-white p-3 text-left shadow-lg">
          {preview ? (
            <span className="block space-y-1.5" data-testid="preview-card">
              <span className="block text-xs text-slate-500">{[...preview.path, preview.typeName].join(" › ")}</span>
              <span className="block font-semibold text-slate-900">{preview.name}</span>
              <span className="flex gap-0.5" aria-label={`Health over the last ${preview.recentWeeks.length} weeks`}>
                {preview.recentWeeks.map((band, i) => (
                  <span key={i} className={`h-3 w-3 rounded-sm ${BAND[band]}`} />
                ))}
              </span>
              <span className="block text-xs text-slate-700">
                Health: <b className="capitalize">{preview.healthBand ?? "—"}</b> · Stage: <b>{preview.journeyStage ?? "—"}</b>
              </span>
              <span className="block text-xs text-slate-700">
                MRR {money.format(preview.mrr)} · ARR {money.format(preview.arr)}
                {preview.rolledUp ? " (rolled up)" : ""}
              </span>
              <span className="block text-xs text-slate-700">CSM: {preview.csm ?? "unassigned"}</span>
              {preview.successUnits.length ? (
                <span className="flex flex-wrap gap-x-2 gap-y-0.5 text-xs text-slate-700" aria-label="Success units" data-testid="preview-success-units">
                  {preview.successUnits.map((u) => (
                    <span key={u.module} className="inline-flex items-center gap-1">
                      <span className={`h-2 w-2 rounded-full ${UNIT[u.colour]}`} aria-hidden="true" />
                      {u.module}
                      <span className="sr-only"> {u.colour}</span>
                    </span>
                  ))}
                </span>
              ) : null}
              {preview.rolledUp && preview.successCounts ? (
                <span className="block text-xs text-slate-700" data-testid="preview-success-counts">
                  Success units below: {preview.successCounts.green} green · {preview.successCounts.amber} amber · {preview.successCounts.red} red
                </span>
              ) : null}
            </span>
          ) : (
            <span className="block text-xs text-slate-500">Loading…</span>
          )}
        </span>
      ) : null}
    </span>
  );
}
