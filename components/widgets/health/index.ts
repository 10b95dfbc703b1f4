import type { WidgetDefinition } from "../types";
import { healthWidget } from "./health-widget";
import { leaderboardsWidget } from "./leaderboards-widget";
import { valueMetricsWidget } from "./value-metrics-widget";

export const healthWidgets: WidgetDefinition[] = [healthWidget, valueMetricsWidget, leaderboardsWidget];
