import { z } from "zod";
import type { WidgetDefinition } from "../types";
import { AboutWidget } from "./about-widget";
import { AssetsWidget } from "./assets-widget";
import { AssignmentWidget } from "./assignment-widget";
import { CollectionWidget } from "./collection-widget";
import { ContactsWidget } from "./contacts-widget";
import { RevenueSummaryWidget } from "./revenue-summary-widget";
import { SupportWidget } from "./support-widget";
import { CsatWidget, NpsWidget } from "./survey-widgets";
import { TagsWidget } from "./tags-widget";

const titled = z.object({ title: z.string().max(80).optional() });
const collectionSettings = z.object({
  collection: z.string().min(1).max(100).default("crm_opportunities"),
  title: z.string().max(80).optional(),
});

export const accountWidgets: WidgetDefinition[] = [
  { key: "about", title: "About", description: "Executive summary, employees, dates, revenue, tags and account groups.", zones: ["medium"], settings: titled, Component: AboutWidget, skeletonRows: 5 },
  { key: "revenue_summary", title: "Revenue", description: "MRR and ARR from active contracts, the override when set; rolled up on parents.", zones: ["medium"], settings: titled, Component: RevenueSummaryWidget },
  { key: "support", title: "Support", description: "Open tickets by priority and status, and the latest ones.", zones: ["medium"], settings: titled, Component: SupportWidget, skeletonRows: 5 },
  { key: "nps", title: "NPS", description: "Net promoter score, responses and latest comments.", zones: ["medium"], settings: titled, Component: NpsWidget, skeletonRows: 4 },
  { key: "csat", title: "CSAT", description: "Average satisfaction (1–5), responses and latest comments.", zones: ["medium"], settings: titled, Component: CsatWidget, skeletonRows: 4 },
  { key: "collection", title: "Collection", description: "A table of an admin-defined collection's records on this account.", zones: ["medium"], settings: collectionSettings, Component: CollectionWidget, skeletonRows: 4 },
  { key: "assignment", title: "Account assignment", description: "Team members assigned here with their roles, and your working levels.", zones: ["sidebar"], settings: titled, Component: AssignmentWidget },
  { key: "contacts", title: "Contacts", description: "Contacts linked to this account with their role and key-contact star.", zones: ["sidebar"], settings: titled, Component: ContactsWidget, skeletonRows: 4 },
  { key: "assets", title: "Assets", description: "The latest files and links.", zones: ["sidebar"], settings: titled, Component: AssetsWidget },
  { key: "tags", title: "Tags", description: "The account's tags.", zones: ["sidebar"], settings: titled, Component: TagsWidget, skeletonRows: 1 },
];
