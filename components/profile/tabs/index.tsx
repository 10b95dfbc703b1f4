import type { LayoutTab } from "@/db/schema";
import { Contained } from "../contained";
import { AssetsTab } from "./assets-tab";
import { EmbedTab } from "./embed-tab";
import { PlanTab } from "./plan-tab";
import { RevenueTab } from "./revenue-tab";
import { TimelineTab } from "./timeline-tab";
import type { TabProps } from "./types";
import { UsageTab } from "./usage-tab";

const TABS: Record<Exclude<LayoutTab["kind"], "overview">, (props: TabProps) => React.ReactNode | Promise<React.ReactNode>> = {
  timeline: TimelineTab,
  plan: PlanTab,
  usage: UsageTab,
  assets: AssetsTab,
  revenue: RevenueTab,
  embed: ({ tab }) => <EmbedTab tab={tab} />,
};

/** The chosen tab; a tab that fails shows its notice under the tab bar and the rest of the profile stays. */
export function ProfileTab(props: TabProps) {
  if (props.tab.kind === "overview") return null;
  const Tab = TABS[props.tab.kind];
  if (!Tab) return null;
  return <Contained part={`The ${props.tab.label} tab`} render={Tab} props={props} accountId={props.account.id} framed />;
}
