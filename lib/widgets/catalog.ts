import { z } from "zod";
import type { LayoutZone } from "@/db/schema";

/**
 * What a layout knows of a widget: its key, where it may go and the settings it takes. The layout
 * rules and the editor read this; components/widgets/registry.ts pairs each key with its component.
 */
export type WidgetMeta<S = any> = {
  key: string;
  title: string;
  description: string;
  zones: LayoutZone[];
  settings: z.ZodType<S>;
  /** Rough height of the skeleton shown while it streams in. */
  skeletonRows?: number;
};

const titled = z.object({ title: z.string().max(80).optional() });
const title = z.string().max(80).optional();

/** Every widget a layout may name, in the palette's order. */
export const WIDGET_CATALOG = {
  header: {
    key: "header",
    title: "Profile header",
    description: "Key Info, Recent changes (old and new values over a period) and All attributes with search and history.",
    zones: ["header"],
    settings: z.object({
      title: z.string().max(80).optional().meta({ title: "Title of the Key Info view" }),
      attributes: z
        .array(z.string().max(100))
        .max(40, "At most 40 key-info attributes.")
        .default([])
        .meta({ input: "attributes", title: "Key info attributes", description: "In this order; none picked: the account type's key-info attributes." }),
    }),
    skeletonRows: 3,
  },
  health: {
    key: "health",
    title: "Health",
    description: "Overall and per-dimension health, the weekly grid of the last 52 weeks with upsells, the score trend and, on parents, the health mix below.",
    zones: ["medium"],
    settings: z.object({ title, weeks: z.coerce.number().int().min(4).max(104).default(52) }),
    skeletonRows: 8,
  },
  value_metrics: {
    key: "value_metrics",
    title: "Value metrics",
    description: "Top users, modules and activities over a period (rolled up on parents).",
    zones: ["medium"],
    settings: z.object({ title, periodDays: z.coerce.number().int().min(1).max(365).default(30) }),
    skeletonRows: 9,
  },
  leaderboards: {
    key: "leaderboards",
    title: "Leaderboards",
    description: "Sub-accounts ranked by usage and by health; on a leaf, its top users.",
    zones: ["medium"],
    settings: z.object({ title, limit: z.coerce.number().int().min(3).max(20).default(5), days: z.coerce.number().int().min(7).max(365).default(30) }),
    skeletonRows: 6,
  },
  status: { key: "status", title: "Status", description: "Current stage in every lifecycle, and since when.", zones: ["medium", "sidebar"], settings: titled },
  hierarchy: {
    key: "hierarchy",
    title: "Sub-accounts and parents",
    description: "Accounts directly below, with health and MRR.",
    zones: ["medium", "sidebar"],
    settings: titled,
    skeletonRows: 5,
  },
  opportunities: {
    key: "opportunities",
    title: "Opportunities",
    description: "Opportunities below this account (teams allowed to see them only).",
    zones: ["medium", "sidebar"],
    settings: titled,
  },
  rollup_summary: {
    key: "rollup_summary",
    title: "Rolled up",
    description: "Totals of every account below: MRR, ARR, tickets, NPS, health mix.",
    zones: ["medium"],
    settings: titled,
  },
  about: {
    key: "about",
    title: "About",
    description: "Executive summary, employees, dates, revenue, tags and account groups.",
    zones: ["medium"],
    settings: titled,
    skeletonRows: 5,
  },
  revenue_summary: {
    key: "revenue_summary",
    title: "Revenue",
    description: "MRR and ARR from active contracts, the override when set; rolled up on parents.",
    zones: ["medium"],
    settings: titled,
  },
  support: {
    key: "support",
    title: "Support",
    description: "Open tickets by priority and status, and the latest ones.",
    zones: ["medium"],
    settings: titled,
    skeletonRows: 5,
  },
  nps: { key: "nps", title: "NPS", description: "Net promoter score, responses and latest comments.", zones: ["medium"], settings: titled, skeletonRows: 4 },
  csat: { key: "csat", title: "CSAT", description: "Average satisfaction (1–5), responses and latest comments.", zones: ["medium"], settings: titled, skeletonRows: 4 },
  collection: {
    key: "collection",
    title: "Collection",
    description: "A table of an admin-defined collection's records on this account.",
    zones: ["medium"],
    settings: z.object({ collection: z.string().min(1).max(100).default("crm_opportunities"), title }),
    skeletonRows: 4,
  },
  assignment: {
    key: "assignment",
    title: "Account assignment",
    description: "Team members assigned here with their roles, and your working levels.",
    zones: ["sidebar"],
    settings: titled,
  },
  contacts: {
    key: "contacts",
    title: "Contacts",
    description: "Contacts linked to this account with their role and key-contact star.",
    zones: ["sidebar"],
    settings: titled,
    skeletonRows: 4,
  },
  assets: { key: "assets", title: "Assets", description: "The latest files and links.", zones: ["sidebar"], settings: titled },
  tags: { key: "tags", title: "Tags", description: "The account's tags.", zones: ["sidebar"], settings: titled, skeletonRows: 1 },
  open_tasks: {
    key: "open_tasks",
    title: "Open tasks",
    description: "Open and in-progress tasks, soonest due first, with overdue ones marked.",
    zones: ["sidebar", "medium"],
    settings: z.object({ title, limit: z.coerce.number().int().min(1).max(20).default(5) }),
    skeletonRows: 4,
  },
  timeline_latest: {
    key: "timeline_latest",
    title: "Timeline",
    description: "The latest entries of the account's timeline.",
    zones: ["sidebar", "medium"],
    settings: z.object({ title, limit: z.coerce.number().int().min(1).max(20).default(8) }),
    skeletonRows: 6,
  },
  success_plans: {
    key: "success_plans",
    title: "Success plans",
    description: "Success plans with their objectives and progress.",
    zones: ["sidebar", "medium"],
    settings: z.object({ title, showObjectives: z.boolean().default(true) }),
    skeletonRows: 4,
  },
  campaigns: {
    key: "campaigns",
    title: "Campaigns",
    description: "Campaigns sent to contacts of this account: sent, opened and clicked.",
    zones: ["sidebar", "medium"],
    settings: z.object({ title, limit: z.coerce.number().int().min(1).max(20).default(5) }),
    skeletonRows: 3,
  },
  // Success units (issue 16, lifecycle helper)
  success_units: {
    key: "success_units",
    title: "Success units",
    description: "Traffic lights: red, amber or green adoption per usage module (admin thresholds), and the counts per colour below a parent.",
    zones: ["medium", "sidebar"],
    settings: titled,
    skeletonRows: 2,
  },
} satisfies { [K in string]: WidgetMeta & { key: K } };

export type WidgetKey = keyof typeof WIDGET_CATALOG;

/** The settings a widget receives: its schema's output (defaults filled in). */
export type WidgetSettings<K extends WidgetKey> = z.output<(typeof WIDGET_CATALOG)[K]["settings"]>;

export const WIDGETS: readonly WidgetMeta[] = Object.values(WIDGET_CATALOG);

const byKey = new Map<string, WidgetMeta>(WIDGETS.map((w) => [w.key, w]));

export function widgetMeta(key: string): WidgetMeta | undefined {
  return byKey.get(key);
}
