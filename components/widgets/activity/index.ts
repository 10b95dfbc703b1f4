import type { WidgetDefinition } from "../types";
import { CampaignsWidget, campaignsSettings } from "./campaigns";
import { OpenTasksWidget, openTasksSettings } from "./open-tasks";
import { SuccessPlansWidget, successPlansSettings } from "./success-plans";
import { TimelineLatestWidget, timelineLatestSettings } from "./timeline-latest";

export const activityWidgets: WidgetDefinition[] = [
  {
    key: "open_tasks",
    title: "Open tasks",
    description: "Open and in-progress tasks, soonest due first, with overdue ones marked.",
    zones: ["sidebar", "medium"],
    settings: openTasksSettings,
    Component: OpenTasksWidget,
    skeletonRows: 4,
  },
  {
    key: "timeline_latest",
    title: "Timeline",
    description: "The latest entries of the account's timeline.",
    zones: ["sidebar", "medium"],
    settings: timelineLatestSettings,
    Component: TimelineLatestWidget,
    skeletonRows: 6,
  },
  {
    key: "success_plans",
    title: "Success plans",
    description: "Success plans with their objectives and progress.",
    zones: ["sidebar", "medium"],
    settings: successPlansSettings,
    Component: SuccessPlansWidget,
    skeletonRows: 4,
  },
  {
    key: "campaigns",
    title: "Campaigns",
    description: "Campaigns sent to contacts of this account: sent, opened and clicked.",
    zones: ["sidebar", "medium"],
    settings: campaignsSettings,
    Component: CampaignsWidget,
    skeletonRows: 3,
  },
];
