"use client";

import dynamic from "next/dynamic";
import type { ComponentProps } from "react";
import type { UsageTimeChart as Chart } from "./usage-time-chart";

/**
 * The usage chart behind `next/dynamic`: recharts (the largest script of the profile, ~100 KiB
 * compressed) then travels in its own chunk, fetched only by a page that draws a usage chart (the
 * usage tab), not by every tab of the profile that merely could.
 */
const UsageTimeChartChunk = dynamic(() => import("./usage-time-chart").then((m) => m.UsageTimeChart), {
  loading: () => <div className="h-60 w-full" />,
});

export function UsageTimeChart(props: ComponentProps<typeof Chart>) {
  return <UsageTimeChartChunk {...props} />;
}
