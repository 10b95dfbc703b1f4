import { boolean, date, index, integer, jsonb, numeric, pgTable, primaryKey, real, text, timestamp, uuid, uniqueIndex } from "drizzle-orm/pg-core";
import { healthBand } from "./enums";
import { accounts, accountTypes } from "./hierarchy";

/** A health scheme per account type: weighted dimensions, each with thresholds. */
export const healthSchemes = pgTable(
  "health_schemes",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    accountTypeId: uuid("account_type_id").notNull().references(() => accountTypes.id, { onDelete: "cascade" }),
    name: text("name").notNull(),
    /** Overall score at or above `goodFrom` is good, below `poorBelow` is poor, else average. */
    poorBelow: real("poor_below").notNull().default(40),
    goodFrom: real("good_from").notNull().default(70),
  },
  (t) => [uniqueIndex("health_schemes_type_key").on(t.accountTypeId)],
);

export type HealthRule =
  | { kind: "usage_trend"; windowDays: number }
  | { kind: "touchpoint_recency"; days: number }
  | { kind: "open_tickets"; max: number }
  | { kind: "survey_score"; survey: "nps" | "csat" }
  | { kind: "manual" };

export const healthDimensions = pgTable(
  "health_dimensions",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    schemeId: uuid("scheme_id").notNull().references(() => healthSchemes.id, { onDelete: "cascade" }),
    key: text("key").notNull(),
    label: text("label").notNull(),
    weight: real("weight").notNull().default(1),
    rule: jsonb("rule").$type<HealthRule>().notNull(),
    poorBelow: real("poor_below").notNull().default(40),
    goodFrom: real("good_from").notNull().default(70),
    position: integer("position").notNull().default(0),
  },
  (t) => [uniqueIndex("health_dimensions_scheme_key_key").on(t.schemeId, t.key)],
);

/** One snapshot per account per ISO week (Monday). Never rewritten once the week is over. */
export const healthSnapshots = pgTable(
  "health_snapshots",
  {
    accountId: uuid("account_id").notNull().references(() => accounts.id, { onDelete: "cascade" }),
    weekStart: date("week_start").notNull(),
    score: real("score").notNull(),
    band: healthBand("band").notNull(),
    /** dimension key -> { score, band } */
    dimensions: jsonb("dimensions").$type<Record<string, { score: number; band: "poor" | "average" | "good" }>>().notNull(),
    upsell: boolean("upsell").notNull().default(false),
    upsellAmount: numeric("upsell_amount", { precision: 14, scale: 2 }),
    computedAt: timestamp("computed_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.accountId, t.weekStart] }), index("health_snapshots_week_idx").on(t.weekStart)],
);
