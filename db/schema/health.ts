import { bigint, boolean, date, index, integer, jsonb, numeric, pgTable, primaryKey, real, text, timestamp, uuid, uniqueIndex } from "drizzle-orm/pg-core";
import { healthBand } from "./enums";
import { accounts, accountTypes } from "./hierarchy";
import { users } from "./identity";

/**
 * The rule of one health dimension: which figure of the account it reads, and the raw values at
 * which the dimension turns poor and good (`poor` above `good` means lower is better, e.g. days
 * since the last touchpoint). Validated by `healthRuleSchema` (lib/health/rules.ts).
 */
export type HealthRule =
  | { kind: "usage"; measure: "events" | "active_users"; days: number; basis: "absolute" | "per_seat" | "trend"; seatsAttribute?: string; poor: number; good: number }
  | { kind: "adoption"; days: number; poor: number; good: number }
  | { kind: "engagement"; measure: "days_since" | "per_quarter"; touchpointTypes: readonly string[]; poor: number; good: number }
  | { kind: "support"; measure: "open" | "urgent" | "per_period"; days: number; poor: number; good: number }
  | { kind: "sentiment"; survey: "nps" | "csat"; measure: "latest" | "average"; days: number; poor: number; good: number }
  | { kind: "renewal"; poor: number; good: number }
  | { kind: "attribute"; key: string; measure: "number" | "days_since" | "days_until"; poor: number; good: number };

/** How a parent's own score is made: from its own dimensions, or from its direct children's scores. */
export type ParentScoring = "none" | "children_equal" | "children_arr";

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
    /** The current version (health_scheme_versions keeps every one). */
    version: integer("version").notNull().default(1),
    parentScoring: text("parent_scoring").$type<ParentScoring>().notNull().default("none"),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [uniqueIndex("health_schemes_type_key").on(t.accountTypeId)],
);

export const healthDimensions = pgTable(
  "health_dimensions",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    schemeId: uuid("scheme_id").notNull().references(() => healthSchemes.id, { onDelete: "cascade" }),
    key: text("key").notNull(),
    label: text("label").notNull(),
    weight: real("weight").notNull().default(1),
    rule: jsonb("rule").$type<HealthRule>().notNull(),
    /** Score bands of the dimension (its rule maps raw values onto 0–100 so that these hold). */
    poorBelow: real("poor_below").notNull().default(40),
    goodFrom: real("good_from").notNull().default(70),
    position: integer("position").notNull().default(0),
  },
  (t) => [uniqueIndex("health_dimensions_scheme_key_key").on(t.schemeId, t.key)],
);

/** The scheme as it stood at each version (dimensions, weights, rules, bands), with who and when. */
export type HealthSchemeDefinition = {
  poorBelow: number;
  goodFrom: number;
  parentScoring: ParentScoring;
  dimensions: { key: string; label: string; weight: number; rule: HealthRule }[];
};

export const healthSchemeVersions = pgTable(
  "health_scheme_versions",
  {
    schemeId: uuid("scheme_id").notNull().references(() => healthSchemes.id, { onDelete: "cascade" }),
    version: integer("version").notNull(),
    definition: jsonb("definition").$type<HealthSchemeDefinition>().notNull(),
    createdBy: uuid("created_by").references(() => users.id, { onDelete: "set null" }),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.schemeId, t.version] })],
);

/** One snapshot per account per ISO week (Monday). The current week is updated until it closes. */
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
    /** scheme: its dimensions; children: from the children's scores; external: sent through the API. */
    source: text("source").$type<"scheme" | "children" | "external">().notNull().default("scheme"),
    /** The scheme version the week was scored with (null for external scores and seeded history). */
    schemeVersion: integer("scheme_version"),
    computedAt: timestamp("computed_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.accountId, t.weekStart] }), index("health_snapshots_week_idx").on(t.weekStart)],
);

/**
 * Accounts whose inputs changed since their score was last computed: filled set-based in the
 * write's own transaction (one insert, no conflict check, so a write never waits on the worker),
 * drained by the health worker with `for update skip locked` (lib/health/worker.ts).
 */
export const healthDirty = pgTable("health_dirty", {
  id: bigint("id", { mode: "number" }).primaryKey().generatedAlwaysAsIdentity(),
  accountId: uuid("account_id").notNull(),
  markedAt: timestamp("marked_at", { withTimezone: true }).notNull().defaultNow(),
});

/** Scores sent by teams that score elsewhere (POST /api/v1/health-scores): they win over the scheme for their week. */
export const healthExternalScores = pgTable(
  "health_external_scores",
  {
    accountId: uuid("account_id").notNull().references(() => accounts.id, { onDelete: "cascade" }),
    weekStart: date("week_start").notNull(),
    score: real("score").notNull(),
    receivedAt: timestamp("received_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.accountId, t.weekStart] })],
);

/** Upsell markers: a contract whose value rose, or one sent through the API. Kept with their time. */
export const healthUpsells = pgTable(
  "health_upsells",
  {
    id: bigint("id", { mode: "number" }).primaryKey().generatedAlwaysAsIdentity(),
    accountId: uuid("account_id").notNull().references(() => accounts.id, { onDelete: "cascade" }),
    occurredAt: timestamp("occurred_at", { withTimezone: true }).notNull(),
    amount: numeric("amount", { precision: 14, scale: 2 }),
    source: text("source").$type<"contract" | "api">().notNull(),
    contractId: uuid("contract_id"),
  },
  (t) => [index("health_upsells_account_idx").on(t.accountId, t.occurredAt)],
);

/** A background recompute of the last weeks after a scheme change, with its progress. */
export const healthRecomputes = pgTable("health_recomputes", {
  id: uuid("id").primaryKey().defaultRandom(),
  schemeId: uuid("scheme_id").notNull().references(() => healthSchemes.id, { onDelete: "cascade" }),
  version: integer("version").notNull(),
  weeks: integer("weeks").notNull(),
  /** Work units: accounts × weeks. */
  total: integer("total").notNull(),
  done: integer("done").notNull().default(0),
  /** The next (week offset, account id) to do; the cursor lets any instance pick up where one left off. */
  cursorWeek: integer("cursor_week").notNull().default(1),
  cursorAccount: uuid("cursor_account"),
  createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  finishedAt: timestamp("finished_at", { withTimezone: true }),
});

/** One row: the last day every account was marked for its daily re-score (time moves scores too). */
export const healthSweep = pgTable("health_sweep", {
  id: integer("id").primaryKey(),
  lastDay: date("last_day").notNull(),
});
