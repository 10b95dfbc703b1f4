const STYLES = {
  good: "bg-green-100 text-green-800",
  average: "bg-amber-100 text-amber-800",
  poor: "bg-red-100 text-red-800",
} as const;

export function HealthBadge({ band, score }: { band: "good" | "average" | "poor" | null; score?: number | null }) {
  if (!band) return <span className="text-xs text-slate-500">No health yet</span>;
  return (
    <span className={`inline-flex items-center gap-1 rounded-full px-2 py-0.5 text-xs font-medium ${STYLES[band]}`}>
      <span className="capitalize">{band}</span>
      {score != null ? <span>{Math.round(score)}</span> : null}
    </span>
  );
}
