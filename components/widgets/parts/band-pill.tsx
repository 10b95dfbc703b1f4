import type { HealthBand } from "@/lib/dal/health";

const STYLES: Record<HealthBand, string> = {
  good: "bg-green-100 text-green-800",
  average: "bg-amber-100 text-amber-900",
  poor: "bg-red-100 text-red-800",
};

/** A health band as a coloured pill with its word (never colour alone), optionally with the score. */
export function BandPill({ band, score }: { band: HealthBand | null; score?: number | null }) {
  if (!band) return <span className="text-xs text-slate-600">No data</span>;
  return (
    <span className={`inline-flex items-center gap-1 rounded-full px-2 py-0.5 text-xs font-medium ${STYLES[band]}`}>
      <span className="capitalize">{band}</span>
      {score != null ? <span className="tabular-nums">{Math.round(score)}</span> : null}
    </span>
  );
}
