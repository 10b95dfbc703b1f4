import { ChartFrame } from "./chart-frame";
import { BAND_COLORS } from "./palette";

export type HealthTrendPoint = { weekStart: string; label: string; score: number | null };

const HEIGHT = 128;
const AXIS = 16; // room for the week labels under the plot
const LABELS = 6; // about this many week labels, evenly spread

/**
 * The overall health score week by week (0–100), with the scheme's poor/good thresholds as dashed
 * guides. Server-rendered SVG: the plot stretches with a viewBox (strokes keep their width through
 * `vector-effect`), the labels are HTML positioned in percent; weeks without a score break the line.
 * Each week's score is in a `<title>` on an invisible column, as its tooltip.
 */
export function HealthTrendChart({
  points,
  thresholds,
  summary,
}: {
  points: HealthTrendPoint[];
  thresholds: { poorBelow: number; goodFrom: number } | null;
  summary: string;
}) {
  const n = points.length;
  const x = (i: number) => (n <= 1 ? 50 : (i / (n - 1)) * 100);
  const y = (score: number) => 100 - Math.max(0, Math.min(100, score));
  // One path with a move-to after every gap, like recharts' connectNulls={false}.
  let d = "";
  let pen = false;
  points.forEach((p, i) => {
    if (p.score == null) {
      pen = false;
      return;
    }
    d += `${pen ? "L" : "M"}${x(i).toFixed(2)} ${y(p.score).toFixed(2)} `;
    pen = true;
  });
  const every = Math.max(1, Math.ceil(n / LABELS));
  const labelled = points.flatMap((p, i) => (i % every === 0 ? [{ i, label: p.label }] : []));
  const line = { vectorEffect: "non-scaling-stroke" } as const;

  return (
    <ChartFrame chart="health-trend" summary={summary} height={HEIGHT}>
      <div className="flex h-full gap-1 text-[10px] text-slate-600">
        <div className="relative w-6 shrink-0" style={{ height: HEIGHT - AXIS }}>
          {[100, 50, 0].map((v) => (
            <span key={v} className="absolute right-0 -translate-y-1/2 leading-none" style={{ top: `${100 - v}%` }}>
              {v}
            </span>
          ))}
        </div>
        <div className="relative min-w-0 flex-1 pr-2">
          <svg width="100%" height={HEIGHT - AXIS} viewBox="0 0 100 100" preserveAspectRatio="none" className="block overflow-visible" focusable="false">
            {[0, 50, 100].map((v) => (
              <line key={v} x1={0} x2={100} y1={y(v)} y2={y(v)} stroke="#e2e8f0" strokeWidth={1} style={line} />
            ))}
            {thresholds ? (
              <>
                <line x1={0} x2={100} y1={y(thresholds.goodFrom)} y2={y(thresholds.goodFrom)} stroke={BAND_COLORS.good} strokeDasharray="3 3" style={line} />
                <line x1={0} x2={100} y1={y(thresholds.poorBelow)} y2={y(thresholds.poorBelow)} stroke={BAND_COLORS.poor} strokeDasharray="3 3" style={line} />
              </>
            ) : null}
            <path d={d} fill="none" stroke="#1c4893" strokeWidth={2} strokeLinejoin="round" style={line} />
            {points.map((p, i) => (
              <rect key={p.weekStart} x={x(i) - 50 / Math.max(1, n)} y={0} width={100 / Math.max(1, n)} height={100} fill="transparent">
                <title>{`Week of ${p.label}: ${p.score == null ? "no snapshot" : `score ${Math.round(p.score)}`}`}</title>
              </rect>
            ))}
          </svg>
          <div className="relative" style={{ height: AXIS }}>
            {labelled.map(({ i, label }) => (
              <span key={i} className="absolute top-1 -translate-x-1/2 whitespace-nowrap leading-none" style={{ left: `${x(i)}%` }}>
                {label}
              </span>
            ))}
          </div>
        </div>
      </div>
    </ChartFrame>
  );
}
