import { ChartFrame } from "./chart-frame";
import { markup } from "./markup";
import { BAND_COLORS } from "./palette";

export type HealthTrendPoint = { weekStart: string; label: string; score: number | null };

const HEIGHT = 128;
const AXIS = 16; // room for the week labels under the plot
const LABELS = 6; // about this many week labels, evenly spread

/**
 * The overall health score week by week (0–100), with the scheme's poor/good thresholds as dashed
 * guides. Server-rendered SVG: the plot stretches with a viewBox (strokes keep their width through
 * `vector-effect`), the labels are HTML positioned in percent; weeks without a score break the line.
 * Each week's score is in a `<title>` on an invisible column, as its tooltip. One markup string
 * (./markup.ts): React neither sends its ~120 elements twice nor hydrates them.
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

  const line = markup`vector-effect="non-scaling-stroke"`;
  const guide = (v: number, stroke: string, dash = "") =>
    markup`<line x1="0" x2="100" y1="${y(v)}" y2="${y(v)}" stroke="${stroke}" stroke-width="1"${dash ? markup` stroke-dasharray="${dash}"` : ""} ${line}></line>`;
  const columns = points.map(
    (p, i) =>
      markup`<rect x="${x(i) - 50 / Math.max(1, n)}" y="0" width="${100 / Math.max(1, n)}" height="100" fill="transparent"><title>Week of ${p.label}: ${p.score == null ? "no snapshot" : `score ${Math.round(p.score)}`}</title></rect>`,
  );
  const drawing = markup`<div class="flex h-full gap-1 text-[10px] text-slate-600"><div class="relative w-6 shrink-0" style="height:${HEIGHT - AXIS}px">${[100, 50, 0].map(
    (v) => markup`<span class="absolute right-0 -translate-y-1/2 leading-none" style="top:${100 - v}%">${v}</span>`,
  )}</div><div class="relative min-w-0 flex-1 pr-2"><svg width="100%" height="${HEIGHT - AXIS}" viewBox="0 0 100 100" preserveAspectRatio="none" class="block overflow-visible" focusable="false">${[0, 50, 100].map((v) => guide(v, "#e2e8f0"))}${
    thresholds ? [guide(thresholds.goodFrom, BAND_COLORS.good, "3 3"), guide(thresholds.poorBelow, BAND_COLORS.poor, "3 3")] : ""
  }<path d="${d}" fill="none" stroke="#1c4893" stroke-width="2" stroke-linejoin="round" ${line}></path>${columns}</svg><div class="relative" style="height:${AXIS}px">${labelled.map(
    // On a phone every other date, so the dates do not run into each other.
    ({ i, label }, k) => markup`<span class="absolute top-1 -translate-x-1/2 whitespace-nowrap leading-none${k % 2 ? " max-sm:hidden" : ""}" style="left:${x(i)}%">${label}</span>`,
  )}</div></div></div>`;

  return (
    <ChartFrame chart="health-trend" summary={summary} height={HEIGHT}>
      <div className="h-full" dangerouslySetInnerHTML={drawing} />
    </ChartFrame>
  );
}
