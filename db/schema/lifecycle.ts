import { bigint, index, integer, pgTable, primaryKey, text, timestamp, uuid, uniqueIndex } from "drizzle-orm/pg-core";
import { accounts } from "./hierarchy";
import { users } from "./identity";

/** An admin-defined sequence of stages: the customer journey, onboarding... */
export const lifecycles = pgTable(
  "lifecycles",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    key: text("key").notNull(),
    name: text("name").notNull(),
    position: integer("position").notNull().default(0),
  },
  (t) => [uniqueIndex("lifecycles_key_key").on(t.key)],
);

export const lifecycleStages = pgTable(
  "lifecycle_stages",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    lifecycleId: uuid("lifecycle_id").notNull().references(() => lifecycles.id, { onDelete: "cascade" }),
    key: text("key").notNull(),
    name: text("name").notNull(),
    position: integer("position").notNull().default(0),
    /** An archived stage is offered no more; accounts at it keep it (and the Status widget says so). */
    archivedAt: timestamp("archived_at", { withTimezone: true }),
  },
  (t) => [uniqueIndex("lifecycle_stages_lifecycle_key_key").on(t.lifecycleId, t.key)],
);

/** The stage an account is at in each lifecycle (one row per account and lifecycle). */
export const accountStages = pgTable(
  "account_stages",
  {
    accountId: uuid("account_id").notNull().references(() => accounts.id, { onDelete: "cascade" }),
    lifecycleId: uuid("lifecycle_id").notNull().references(() => lifecycles.id, { onDelete: "cascade" }),
    stageId: uuid("stage_id").notNull().references(() => lifecycleStages.id, { onDelete: "cascade" }),
    since: timestamp("since", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.accountId, t.lifecycleId] }), index("account_stages_stage_idx").on(t.stageId)],
);

/** Append-only history of stage changes. */
export const stageChanges = pgTable(
  "stage_changes",
  {
    id: bigint("id", { mode: "number" }).primaryKey().generatedAlwaysAsIdentity(),
    accountId: uuid("account_id").notNull().references(() => accounts.id, { onDelete: "cascade" }),
    lifecycleId: uuid("lifecycle_id").notNull().references(() => lifecycles.id, { onDelete: "cascade" }),
    fromStageId: uuid("from_stage_id").references(() => lifecycleStages.id, { onDelete: "set null" }),
    toStageId: uuid("to_stage_id").notNull().references(() => lifecycleStages.id, { onDelete: "cascade" }),
    changedBy: uuid("changed_by").references(() => users.id, { onDelete: "set null" }),
    changedAt: timestamp("changed_at", { withTimezone: true }).notNull().defaultNow(),
    /** Why it moved, in the changer's words (optional). */
    note: text("note"),
    /** Where the change came from: the app, the API or a CSV import. */
    source: text("source").notNull().default("app"),
  },
  // changed_at (issue 18, notify2): a leader's home reads the week's stage changes under its accounts.
  (t) => [index("stage_changes_account_idx").on(t.accountId, t.changedAt.desc()), index("stage_changes_changed_at_idx").on(t.changedAt)],
);
