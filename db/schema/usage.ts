import { bigint, boolean, date, index, integer, pgTable, primaryKey, text, timestamp, uuid, uniqueIndex } from "drizzle-orm/pg-core";
import { accounts } from "./hierarchy";

/** Macro features of our product. */
export const usageModules = pgTable(
  "usage_modules",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    key: text("key").notNull(),
    name: text("name").notNull(),
    /** Hidden modules stay in the data (and keep ingesting) but leave the usage widgets. */
    hidden: boolean("hidden").notNull().default(false),
    position: integer("position").notNull().default(0),
  },
  (t) => [uniqueIndex("usage_modules_key_key").on(t.key)],
);

/** Micro features, each inside one module. */
export const usageActivities = pgTable(
  "usage_activities",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    moduleId: uuid("module_id").notNull().references(() => usageModules.id, { onDelete: "cascade" }),
    key: text("key").notNull(),
    name: text("name").notNull(),
    /** Hidden activities keep ingesting but leave the usage widgets. */
    hidden: boolean("hidden").notNull().default(false),
  },
  (t) => [uniqueIndex("usage_activities_module_key_key").on(t.moduleId, t.key)],
);

/**
 * Names an admin retired by merging an activity into another or moving it to another module: events
 * that still name the old (module key, activity key) count on `activityId`, so a sender need not
 * change and no duplicate activity is created (lib/ingest/usage.ts reads these with the activities).
 */
export const usageActivityAliases = pgTable(
  "usage_activity_aliases",
  {
    moduleKey: text("module_key").notNull(),
    activityKey: text("activity_key").notNull(),
    activityId: uuid("activity_id").notNull().references(() => usageActivities.id, { onDelete: "cascade" }),
  },
  (t) => [primaryKey({ columns: [t.moduleKey, t.activityKey] })],
);

/**
 * The raw stream: who did what, where, when, how many times.
 *
 * No foreign keys: each one checked is a lookup per event row, and with them Postgres spent most
 * of a COPY into this table on the checks (100k rows: 2.5 s with the account and contact keys,
 * 1.2 s without, this machine; all four keys cost ~70 % earlier). What they guarded is kept
 * otherwise: every writer resolves accounts, activities and contacts itself under the shared
 * hierarchy lock (lockForUsage) and adds the event's `usage_daily` row in the same transaction,
 * whose keys refuse an unknown account or activity; deleteAccount deletes the account's events
 * (an account with events used to cascade); contacts are never deleted by the app (one that is
 * deleted by hand leaves its id here, as in usage_daily, and readers join contacts by id).
 */
export const usageEvents = pgTable(
  "usage_events",
  {
    id: bigint("id", { mode: "number" }).primaryKey().generatedAlwaysAsIdentity(),
    accountId: uuid("account_id").notNull(),
    contactId: uuid("contact_id"),
    moduleId: uuid("module_id").notNull(),
    activityId: uuid("activity_id").notNull(),
    occurredAt: timestamp("occurred_at", { withTimezone: true }).notNull(),
    count: integer("count").notNull().default(1),
  },
  (t) => [index("usage_events_account_time_idx").on(t.accountId, t.occurredAt)],
);

/**
 * Per-day aggregate of an account's own events (not its descendants'), by activity and end user.
 * Maintained in the same transaction as the events it sums.
 */
export const usageDaily = pgTable(
  "usage_daily",
  {
    accountId: uuid("account_id").notNull().references(() => accounts.id, { onDelete: "cascade" }),
    day: date("day").notNull(),
    activityId: uuid("activity_id").notNull().references(() => usageActivities.id),
    /** The activity's module (no foreign key: the activity's own one decides it). */
    moduleId: uuid("module_id").notNull(),
    /** The all-zero uuid stands for events with no known end user, so the key stays non-null. */
    contactId: uuid("contact_id").notNull(),
    events: bigint("events", { mode: "number" }).notNull(),
  },
  // No separate (account, day) index: the key starts with those columns. Ingestion updates these
  // rows in place, and fillfactor 80 (migration 0006) leaves room for heap-only updates.
  (t) => [primaryKey({ columns: [t.accountId, t.day, t.activityId, t.contactId] })],
);

export const NO_CONTACT = "00000000-0000-0000-0000-000000000000";

