import { bigint, index, integer, pgTable, primaryKey, text, timestamp, uuid } from "drizzle-orm/pg-core";
import { accounts } from "./hierarchy";
import { users } from "./identity";
import { usageModules } from "./usage";

/**
 * Success units (traffic lights): per account and usage module, red / amber / green adoption.
 * Adoption = distinct known end users (contacts) with any event of the module on the account itself
 * over the last 30 days (lib/success-units/compute.ts). Admins set the thresholds per module.
 */
export const successUnitThresholds = pgTable("success_unit_thresholds", {
  moduleId: uuid("module_id").primaryKey().references(() => usageModules.id, { onDelete: "cascade" }),
  /** At least this many active users: amber (below: red). */
  amberMin: integer("amber_min").notNull(),
  /** At least this many active users: green. */
  greenMin: integer("green_min").notNull(),
  updatedBy: uuid("updated_by").references(() => users.id, { onDelete: "set null" }),
  updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
});

export const SUCCESS_UNIT_COLOURS = ["red", "amber", "green"] as const;
export type SuccessUnitColour = (typeof SUCCESS_UNIT_COLOURS)[number];

/** The stored colour of each (account, module) with thresholds: what the profile reads. */
export const successUnits = pgTable(
  "success_units",
  {
    accountId: uuid("account_id").notNull().references(() => accounts.id, { onDelete: "cascade" }),
    moduleId: uuid("module_id").notNull().references(() => usageModules.id, { onDelete: "cascade" }),
    colour: text("colour").$type<SuccessUnitColour>().notNull(),
    activeUsers: integer("active_users").notNull(),
    since: timestamp("since", { withTimezone: true }).notNull().defaultNow(),
    computedAt: timestamp("computed_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.accountId, t.moduleId] })],
);

/** Append-only history: every change of an account's colour for a module (first colour: from null). */
export const successUnitChanges = pgTable(
  "success_unit_changes",
  {
    id: bigint("id", { mode: "number" }).primaryKey().generatedAlwaysAsIdentity(),
    accountId: uuid("account_id").notNull().references(() => accounts.id, { onDelete: "cascade" }),
    moduleId: uuid("module_id").notNull().references(() => usageModules.id, { onDelete: "cascade" }),
    fromColour: text("from_colour").$type<SuccessUnitColour>(),
    toColour: text("to_colour").$type<SuccessUnitColour>(),
    activeUsers: integer("active_users"),
    changedAt: timestamp("changed_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index("success_unit_changes_account_idx").on(t.accountId, t.changedAt.desc())],
);

/**
 * Counts per colour over the account and every account below it, kept by the writer of
 * `success_units` (one row per account that has any unit in its subtree), so a root reads one row.
 */
export const successUnitRollups = pgTable("success_unit_rollups", {
  accountId: uuid("account_id").primaryKey().references(() => accounts.id, { onDelete: "cascade" }),
  red: integer("red").notNull().default(0),
  amber: integer("amber").notNull().default(0),
  green: integer("green").notNull().default(0),
});

/** Accounts whose units need recomputing (usage arrived, thresholds changed, the window slid). */
export const successUnitQueue = pgTable("success_unit_queue", {
  accountId: uuid("account_id").primaryKey().references(() => accounts.id, { onDelete: "cascade" }),
  queuedAt: timestamp("queued_at", { withTimezone: true }).notNull().defaultNow(),
});

/** One row: the UTC day of the last full sweep (the 30-day window slides daily). */
export const successUnitState = pgTable("success_unit_state", {
  id: integer("id").primaryKey().default(1),
  sweptOn: text("swept_on"),
});
