import { integer, index, jsonb, pgTable, text, timestamp, uuid, uniqueIndex } from "drizzle-orm/pg-core";
import { layoutStatus } from "./enums";
import { accountTypes } from "./hierarchy";
import { teams, users } from "./identity";

export type LayoutZone = "header" | "medium" | "sidebar";
export type LayoutWidget = { id: string; widget: string; settings?: Record<string, unknown> };
export type LayoutTab = {
  key: string;
  label: string;
  /** Built-in tabs render their page; `embed` tabs show an admin-given link. */
  kind: "overview" | "timeline" | "plan" | "usage" | "assets" | "revenue" | "embed";
  url?: string;
  zones?: Partial<Record<LayoutZone, LayoutWidget[]>>;
};
/** A field group of the account type's attributes (by key): featured groups show first, the rest under "show full list". */
export type LayoutFieldGroup = { name: string; featured: boolean; attributes: string[] };
/** `fieldGroups` unset: the account type's own field groups. */
export type LayoutDefinition = { tabs: LayoutTab[]; fieldGroups?: LayoutFieldGroup[] };
export type LayoutCriterion =
  | { kind: "stage"; lifecycleKey: string; stageKey: string }
  | { kind: "attribute"; attributeKey: string; equals: unknown }
  | { kind: "team"; teamId: string };

/**
 * A profile layout for one account type, optionally for one team and/or chosen by criteria.
 * Candidates are tried by ascending `priority`; first match wins. `definition` is the published
 * layout; `draft` the one being edited.
 */
export const layouts = pgTable(
  "layouts",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    name: text("name").notNull(),
    accountTypeId: uuid("account_type_id").notNull().references(() => accountTypes.id, { onDelete: "cascade" }),
    teamId: uuid("team_id").references(() => teams.id, { onDelete: "cascade" }),
    criteria: jsonb("criteria").$type<LayoutCriterion[]>().notNull().default([]),
    priority: integer("priority").notNull().default(100),
    status: layoutStatus("status").notNull().default("published"),
    definition: jsonb("definition").$type<LayoutDefinition>().notNull(),
    draft: jsonb("draft").$type<LayoutDefinition>(),
    version: integer("version").notNull().default(1),
    updatedBy: uuid("updated_by").references(() => users.id, { onDelete: "set null" }),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index("layouts_type_idx").on(t.accountTypeId, t.priority)],
);

/** Every publish of a layout, for history and rollback. */
export const layoutVersions = pgTable(
  "layout_versions",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    layoutId: uuid("layout_id").notNull().references(() => layouts.id, { onDelete: "cascade" }),
    version: integer("version").notNull(),
    definition: jsonb("definition").$type<LayoutDefinition>().notNull(),
    publishedBy: uuid("published_by").references(() => users.id, { onDelete: "set null" }),
    publishedAt: timestamp("published_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [uniqueIndex("layout_versions_layout_version_key").on(t.layoutId, t.version)],
);
