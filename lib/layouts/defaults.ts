import { eq } from "drizzle-orm";
import type { Executor } from "@/db/client";
import { accountTypes, layouts, layoutVersions, type LayoutDefinition, type LayoutWidget } from "@/db/schema";

const w = (widget: string, settings?: Record<string, unknown>): LayoutWidget => ({
  id: widget,
  widget,
  ...(settings ? { settings } : {}),
});

const overviewSidebar = [
  w("open_tasks"),
  w("timeline_latest"),
  w("assignment"),
  w("contacts"),
  w("assets"),
  w("tags"),
  w("campaigns"),
  w("success_plans"),
];

const standardTabs = (medium: LayoutWidget[]): LayoutDefinition => ({
  tabs: [
    { key: "overview", label: "Overview", kind: "overview", zones: { header: [w("header")], medium, sidebar: overviewSidebar } },
    { key: "timeline", label: "Timeline", kind: "timeline" },
    { key: "plan", label: "Plan", kind: "plan" },
    { key: "usage", label: "Usage", kind: "usage" },
    { key: "assets", label: "Assets", kind: "assets" },
    { key: "revenue", label: "Revenue", kind: "revenue" },
  ],
});

/** The layout each account type gets out of the box. Admins change them in the layout editor. */
export function defaultLayoutFor(type: { key: string; isOpportunity: boolean; level: number }): LayoutDefinition {
  if (type.isOpportunity) {
    return {
      tabs: [
        {
          key: "overview",
          label: "Overview",
          kind: "overview",
          zones: {
            header: [w("header")],
            medium: [w("status"), w("about"), w("health"), w("collection", { collection: "crm_opportunities" })],
            sidebar: [w("open_tasks"), w("timeline_latest"), w("assignment"), w("contacts"), w("assets"), w("tags")],
          },
        },
        { key: "timeline", label: "Timeline", kind: "timeline" },
        { key: "plan", label: "Plan", kind: "plan" },
        { key: "assets", label: "Assets", kind: "assets" },
      ],
    };
  }
  const isLeafish = type.key === "product";
  return standardTabs([
    w("status"),
    w("success_units"),
    w("health"),
    ...(isLeafish ? [] : [w("rollup_summary")]),
    w("hierarchy"),
    w("opportunities"),
    w("value_metrics", { periodDays: 30 }),
    w("revenue_summary"),
    w("support"),
    w("nps"),
    w("csat"),
    w("leaderboards"),
    w("about"),
    w("collection", { collection: "crm_opportunities" }),
  ]);
}

/** Inserts a published default layout (version 1) for every account type that has none. */
export async function seedDefaultLayouts(db: Executor): Promise<void> {
  const types = await db.select().from(accountTypes);
  for (const type of types) {
    const existing = await db.select({ id: layouts.id }).from(layouts).where(eq(layouts.accountTypeId, type.id)).limit(1);
    if (existing.length) continue;
    const definition = defaultLayoutFor(type);
    const [layout] = await db
      .insert(layouts)
      .values({ name: `${type.name} default`, accountTypeId: type.id, priority: 1000, definition, version: 1 })
      .returning({ id: layouts.id });
    await db.insert(layoutVersions).values({ layoutId: layout.id, version: 1, definition });
  }
}
