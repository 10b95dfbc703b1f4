"use client";

import { useRouter } from "next/navigation";
import { useEffect } from "react";
import type { RecomputeProgress } from "@/lib/health/worker";

/** Progress of the background recompute of past weeks; refreshes the page until it is done. */
export function RecomputeBar({ progress }: { progress: RecomputeProgress }) {
  const router = useRouter();
  const finished = Boolean(progress.finishedAt);
  useEffect(() => {
    if (finished) return;
    const timer = setInterval(() => router.refresh(), 2000);
    return () => clearInterval(timer);
  }, [finished, router]);
  const percent = progress.total > 0 ? Math.min(100, Math.round((progress.done / progress.total) * 100)) : 100;
  return (
    <div className="mt-3 max-w-md">
      <p className="text-xs text-slate-700" id={`recompute-${progress.id}`}>
        {finished ? `Past weeks recomputed with version ${progress.version}.` : `Recomputing the past weeks with version ${progress.version}: ${percent} %`}
      </p>
      <div
        role="progressbar"
        aria-labelledby={`recompute-${progress.id}`}
        aria-valuemin={0}
        aria-valuemax={100}
        aria-valuenow={finished ? 100 : percent}
        className="mt-1 h-2 w-full overflow-hidden rounded-full bg-slate-100"
        data-testid="recompute-progress"
      >
        <span className="block h-full bg-brand-600" style={{ width: `${finished ? 100 : percent}%` }} />
      </div>
    </div>
  );
}
