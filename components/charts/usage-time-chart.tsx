"use client";

import { Area, AreaChart, CartesianGrid, Legend, Line, LineChart, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";
import { ChartFrame } from "./chart-frame";
import { SERIES_COLORS } from "./palette";

export type TimeSeries = { key: string; label: string; values: number[] };

/**
 * Events over time, one series per module, activity or end user: stacked areas for parts of a
 * whole, lines for series compared side by side. Series keys become `s0…sN` because recharts
 * reads dots in a data key as a path.
 */
export function UsageTimeChart({
  points,
  pointLabels,
  series,
  kind,
  summary,
  height = 240,
}: {
  points: string[];
  pointLabels: string[];
  series: TimeSeries[];
  kind: "area" | "line";
  summary: string;
  height?: number;
}) {
  const rows = points.map((point, i) => {
    const row: Record<string, string | number> = { point, label: pointLabels[i] ?? point };
    series.forEach((s, j) => (row[`s${j}`] = s.values[i] ?? 0));
    return row;
  });
  const common = {
    data: rows,
    margin: { top: 8, right: 12, bottom: 0, left: 0 },
    accessibilityLayer: false,
  };
  const axes = (
    <>
      <CartesianGrid stroke="#e2e8f0" vertical={false} />
      <XAxis dataKey="label" tick={{ fontSize: 11, fill: "#475569" }} tickLine={false} minTickGap={24} />
      <YAxis tick={{ fontSize: 11, fill: "#475569" }} tickLine={false} axisLine={false} width={48} allowDecimals={false} />
      <Tooltip isAnimationActive={false} contentStyle={{ fontSize: 12 }} />
      <Legend wrapperStyle={{ fontSize: 12 }} />
    </>
  );
  return (
    <ChartFrame chart="usage" summary={summary} height={height}>
      <ResponsiveContainer width="100%" height="100%">
        {kind === "area" ? (
          <AreaChart {...common}>
            {axes}
            {series.map((s, j) => (
              <Area
                key={s.key}
                type="monotone"
                dataKey={`s${j}`}
                name={s.label}
                stackId="events"
                stroke={SERIES_COLORS[j % SERIES_COLORS.length]}
                fill={SERIES_COLORS[j % SERIES_COLORS.length]}
                fillOpacity={0.55}
                isAnimationActive={false}
              />
            ))}
          </AreaChart>
        ) : (
          <LineChart {...common}>
            {axes}
            {series.map((s, j) => (
              <Line
                key={s.key}
                type="monotone"
                dataKey={`s${j}`}
                name={s.label}
                stroke={SERIES_COLORS[j % SERIES_COLORS.length]}
                strokeWidth={2}
                dot={false}
                isAnimationActive={false}
              />
            ))}
          </LineChart>
        )}
      </ResponsiveContainer>
    </ChartFrame>
  );
}
