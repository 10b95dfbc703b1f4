import { WIDGETS as CATALOG, type WidgetKey, type WidgetSettings } from "@/lib/widgets/catalog";
import { AboutWidget } from "./about/about-widget";
import { AssetsWidget } from "./assets/assets-widget";
import { AssignmentWidget } from "./assignment/assignment-widget";
import { CampaignsWidget } from "./campaigns/campaigns-widget";
import { CollectionWidget } from "./collection/collection-widget";
import { ContactsWidget } from "./contacts/contacts-widget";
import { CsatWidget } from "./csat/csat-widget";
import { HeaderWidget } from "./header/header-widget";
import { HealthWidget } from "./health/health-widget";
import { HierarchyWidget } from "./hierarchy/hierarchy-widget";
import { LeaderboardsWidget } from "./leaderboards/leaderboards-widget";
import { NpsWidget } from "./nps/nps-widget";
import { OpenTasksWidget } from "./open-tasks/open-tasks-widget";
import { OpportunitiesWidget } from "./opportunities/opportunities-widget";
import { RevenueSummaryWidget } from "./revenue-summary/revenue-summary-widget";
import { RollupSummaryWidget } from "./rollup-summary/rollup-summary-widget";
import { StatusWidget } from "./status/status-widget";
import { SuccessPlansWidget } from "./success-plans/success-plans-widget";
import { SupportWidget } from "./support/support-widget";
import { TagsWidget } from "./tags/tags-widget";
import { TimelineLatestWidget } from "./timeline-latest/timeline-latest-widget";
import { ValueMetricsWidget } from "./value-metrics/value-metrics-widget";
import { SuccessUnitsWidget } from "./success-units/success-units-widget";
import type { WidgetComponent, WidgetDefinition } from "./types";

/**
 * The one place that maps a widget's key to its component; its key, zones and settings are in
 * lib/widgets/catalog.ts. A catalog entry without a component here does not type-check.
 */
const COMPONENTS: { [K in WidgetKey]: WidgetComponent<WidgetSettings<K>> } = {
  header: HeaderWidget,
  health: HealthWidget,
  value_metrics: ValueMetricsWidget,
  leaderboards: LeaderboardsWidget,
  status: StatusWidget,
  hierarchy: HierarchyWidget,
  opportunities: OpportunitiesWidget,
  rollup_summary: RollupSummaryWidget,
  about: AboutWidget,
  revenue_summary: RevenueSummaryWidget,
  support: SupportWidget,
  nps: NpsWidget,
  csat: CsatWidget,
  collection: CollectionWidget,
  assignment: AssignmentWidget,
  contacts: ContactsWidget,
  assets: AssetsWidget,
  tags: TagsWidget,
  open_tasks: OpenTasksWidget,
  timeline_latest: TimelineLatestWidget,
  success_plans: SuccessPlansWidget,
  campaigns: CampaignsWidget,
  success_units: SuccessUnitsWidget,
};

/** Every widget a layout may name, with its component, in the catalog's order. */
export const WIDGETS: readonly WidgetDefinition[] = CATALOG.map((meta) => ({ ...meta, Component: COMPONENTS[meta.key as WidgetKey] }));

const byKey = new Map(WIDGETS.map((w) => [w.key, w]));

export function getWidget(key: string): WidgetDefinition | undefined {
  return byKey.get(key);
}
