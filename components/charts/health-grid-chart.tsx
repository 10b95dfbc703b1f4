"use client";

import { Bar, BarChart, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";
import { ChartFrame } from "./chart-frame";
import { BAND_COLORS } from "./palette";

export type HealthGridWeek = {
  weekStart: string;
  label: string;
  score: number | null;
  band: "poor" | "average" | "good" | null;
  upsell: boolean;
  upsellLabel: string | null;
  /** How the week was scored: "scheme v3", "external", "from children" (null: not recorded). */
  scoredWith?: string | null;
};

type Cell = HealthGridWeek & { value: 1; index: number };

/**
 * The weekly health grid: one equal box per week coloured by band (grey when no snapshot), with a
 * `$` above weeks that had an upsell. Drawn as a bar chart of equal bars so boxes share the width.
 */
export function HealthGridChart({ weeks, summary }: { weeks: HealthGridWeek[]; summary: string }) {
  const cells: Cell[] = weeks.map((w, index) => ({ ...w, value: 1, index }));
  // A month label under the first week of each month (the first cell only if a month starts there).
  const tickIndexes = new Set(
    cells
      .filter((c, i) => (i === 0 ? Number(c.weekStart.slice(8, 10)) <= 7 : c.weekStart.slice(5, 7) !== cells[i - 1].weekStart.slice(5, 7)))
      .map((c) => c.index),
  );
  return (
    <ChartFrame chart="health-grid" summary={summary} height={64}>
      <ResponsiveContainer width="100%" height="100%">
        <BarChart data={cells} margin={{ top: 12, right: 8, bottom: 0, left: 8 }} barCategoryGap={1} accessibilityLayer={false}>
          <XAxis
            dataKey="index"
            interval={0}
            tickLine={false}
            axisLine={false}
            height={16}
            tick={{ fontSize: 10, fill: "#475569" }}
            tickFormatter={(i: number) => (tickIndexes.has(i) ? monthLabel(cells[i]?.weekStart) : "")}
          />
          <YAxis hide domain={[0, 1]} />
          <Tooltip cursor={false} content={<WeekTooltip />} isAnimationActive={false} />
          <Bar dataKey="value" isAnimationActive={false} shape={WeekBox} />
        </BarChart>
      </ResponsiveContainer>
    </ChartFrame>
  );
}

function WeekBox(props: { x?: number; y?: number; width?: number; height?: number; payload?: Cell }) {
  const { x = 0, y = 0, width = 0, height = 0, payload } = props;
  if (!payload) return <g />;
  const fill = BAND_COLORS[payload.band ?? "none"];
  return (
    <g data-week={payload.weekStart} data-band={payload.band ?? "none"} data-upsell={payload.upsell ? "true" : undefined} data-scored-with={payload.scoredWith ?? undefined}>
      <title>{describe(payload)}</title>
      <rect x={x} y={y} width={Math.max(width, 1)} height={height} rx={1.5} fill={fill} />
      {payload.upsell ? (
        <text x={x + width / 2} y={y - 2} textAnchor="middle" fontSize={10} fontWeight={700} fill="#14532d">
          $
        </text>
      ) : null}
    </g>
  );
}

function WeekTooltip({ active, payload }: { active?: boolean; payload?: { payload?: Cell }[] }) {
  const cell = payload?.[0]?.payload;
  if (!active || !cell) return null;
  return (
    <div className="rounded border border-slate-200 bg-white px-2 py-1 text-xs text-slate-800 shadow">
      <p className="font-medium">Week of {cell.label}</p>
      <p>{cell.band ? `${capitalize(cell.band)} (${Math.round(cell.score ?? 0)})` : "No snapshot"}</p>
      {cell.scoredWith ? <p className="text-slate-600">Scored with {cell.scoredWith}</p> : null}
      {cell.upsell ? <p className="text-green-800">Upsell {cell.upsellLabel ?? ""}</p> : null}
    </div>
  );
}

function describe(cell: Cell): string {
  const health = cell.band ? `${capitalize(cell.band)}, score ${Math.round(cell.score ?? 0)}` : "no snapshot";
  return `Week of ${cell.label}: ${health}${cell.scoredWith ? ` (${cell.scoredWith})` : ""}${cell.upsell ? `; upsell ${cell.upsellLabel ?? ""}` : ""}`;
}

function monthLabel(weekStart: string | undefined): string {
  if (!weekStart) return "";
  const month = new Date(`${weekStart}T00:00:00Z`).toLocaleString("en-US", { month: "short", timeZone: "UTC" });
  return month;
}

function capitalize(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}
