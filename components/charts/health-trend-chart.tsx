"use client";

import { CartesianGrid, Line, LineChart, ReferenceLine, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";
import { ChartFrame } from "./chart-frame";
import { BAND_COLORS } from "./palette";

export type HealthTrendPoint = { weekStart: string; label: string; score: number | null };

/** The overall health score week by week, with the scheme's poor/good thresholds as guides. */
export function HealthTrendChart({
  points,
  thresholds,
  summary,
}: {
  points: HealthTrendPoint[];
  thresholds: { poorBelow: number; goodFrom: number } | null;
  summary: string;
}) {
  return (
    <ChartFrame chart="health-trend" summary={summary} height={128}>
      <ResponsiveContainer width="100%" height="100%">
        <LineChart data={points} margin={{ top: 6, right: 8, bottom: 0, left: -20 }} accessibilityLayer={false}>
          <CartesianGrid stroke="#e2e8f0" vertical={false} />
          <XAxis dataKey="label" tick={{ fontSize: 10, fill: "#475569" }} tickLine={false} minTickGap={28} />
          <YAxis domain={[0, 100]} ticks={[0, 50, 100]} tick={{ fontSize: 10, fill: "#475569" }} tickLine={false} axisLine={false} />
          {thresholds ? (
            <>
              <ReferenceLine y={thresholds.goodFrom} stroke={BAND_COLORS.good} strokeDasharray="3 3" />
              <ReferenceLine y={thresholds.poorBelow} stroke={BAND_COLORS.poor} strokeDasharray="3 3" />
            </>
          ) : null}
          <Tooltip
            isAnimationActive={false}
            formatter={(value) => [value == null ? "No snapshot" : Math.round(Number(value)), "Score"]}
            labelFormatter={(label) => `Week of ${label}`}
            contentStyle={{ fontSize: 12 }}
          />
          <Line type="monotone" dataKey="score" stroke="#1c4893" strokeWidth={2} dot={false} connectNulls={false} isAnimationActive={false} />
        </LineChart>
      </ResponsiveContainer>
    </ChartFrame>
  );
}
