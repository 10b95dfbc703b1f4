import { sql } from "drizzle-orm";
import { bigint, boolean, date, integer, numeric, pgTable, primaryKey, smallint, text, timestamp, uuid, index } from "drizzle-orm/pg-core";
import { healthBand } from "./enums";
import { accounts } from "./hierarchy";
import { usageActivities, usageModules } from "./usage";

/**
 * Precomputed totals of an account *and every account below it*, kept up to date in the same
 * transaction as the change that moves them, so a root profile reads one row like a leaf does.
 * Archived accounts have no row and count nowhere.
 *
 * The `own*` columns hold the account's own contribution (its own contracts, tickets, answers and
 * latest health band): upkeep compares a freshly computed own value with the stored one and adds
 * the difference to every ancestor, and "explain this number" shows it as the account's own line.
 */
export const accountRollups = pgTable("account_rollups", {
  accountId: uuid("account_id").primaryKey().references(() => accounts.id, { onDelete: "cascade" }),
  /** Non-archived accounts strictly below. */
  descendants: integer("descendants").notNull().default(0),
  mrr: numeric("mrr", { precision: 16, scale: 2 }).notNull().default("0"),
  openTickets: integer("open_tickets").notNull().default(0),
  urgentTickets: integer("urgent_tickets").notNull().default(0),
  npsCount: integer("nps_count").notNull().default(0),
  npsPromoters: integer("nps_promoters").notNull().default(0),
  npsDetractors: integer("nps_detractors").notNull().default(0),
  csatCount: integer("csat_count").notNull().default(0),
  csatSum: integer("csat_sum").notNull().default(0),
  /** Health mix of the accounts strictly below, by the band of each one's latest snapshot. */
  healthGood: integer("health_good").notNull().default(0),
  healthAverage: integer("health_average").notNull().default(0),
  healthPoor: integer("health_poor").notNull().default(0),
  ownMrr: numeric("own_mrr", { precision: 16, scale: 2 }).notNull().default("0"),
  ownOpenTickets: integer("own_open_tickets").notNull().default(0),
  ownUrgentTickets: integer("own_urgent_tickets").notNull().default(0),
  ownNpsCount: integer("own_nps_count").notNull().default(0),
  ownNpsPromoters: integer("own_nps_promoters").notNull().default(0),
  ownNpsDetractors: integer("own_nps_detractors").notNull().default(0),
  ownCsatCount: integer("own_csat_count").notNull().default(0),
  ownCsatSum: integer("own_csat_sum").notNull().default(0),
  /** Band of the account's own latest health snapshot (counted in its ancestors' health mix). */
  ownHealth: healthBand("own_health"),
  updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
});

/**
 * Per-day usage of an account and everything below it, by activity (and so by module, which each
 * activity belongs to). Archived accounts count nowhere. A root reads ~30 days × activities rows for
 * its top modules and activities, whatever the size of its subtree.
 */
export const usageRollupDaily = pgTable(
  "usage_rollup_daily",
  {
    accountId: uuid("account_id").notNull().references(() => accounts.id, { onDelete: "cascade" }),
    day: date("day").notNull(),
    activityId: uuid("activity_id").notNull().references(() => usageActivities.id),
    /** The activity's module (no foreign key: the activity's own one decides it). */
    moduleId: uuid("module_id").notNull(),
    events: bigint("events", { mode: "number" }).notNull(),
  },
  // Every read starts from the account (the key's prefix); fillfactor 80 (migration 0006) leaves
  // room for heap-only updates, as every ingested batch adds to these rows.
  (t) => [primaryKey({ columns: [t.accountId, t.day, t.activityId] })],
);

/** The trailing windows (in days, ending today) for which per-user usage is precomputed per ancestor. */
export const USER_WINDOW_DAYS = [7, 30, 90] as const;

/**
 * Events per end user of an account and everything below it, over the last `period_days` days up to
 * and including `usage_window_state.as_of`, for each period of USER_WINDOW_DAYS. Top users of a root
 * are then one index range read instead of a join over its whole subtree. Events are added as they
 * arrive (same transaction); once a day the windows slide (see `slideUserWindows` in
 * lib/rollups/user-windows.ts): the day that left each window is subtracted, rows that reach 0 go.
 * Events with no known end user are not kept here.
 */
export const usageUserWindows = pgTable(
  "usage_user_windows",
  {
    accountId: uuid("account_id").notNull().references(() => accounts.id, { onDelete: "cascade" }),
    periodDays: smallint("period_days").notNull(),
    contactId: uuid("contact_id").notNull(),
    events: bigint("events", { mode: "number" }).notNull(),
    /** The last day in the window with events of this user (exact: a user whose last day leaves the window leaves with it). */
    lastDay: date("last_day").notNull(),
    /**
     * `events` on a logarithmic scale (steps of 10 %), computed by Postgres. The top-users index is
     * on this, not on `events`: most updates (a batch adding a few events to a user) leave it
     * unchanged, so they stay heap-only and write no index entry (fillfactor 80, migration 0007).
     * Readers take the rows of the N highest buckets and order those by `events`.
     */
    bucket: smallint("bucket").generatedAlwaysAs(sql`floor(ln(greatest(events, 1)) / ln(1.1))::smallint`),
  },
  (t) => [
    primaryKey({ columns: [t.accountId, t.periodDays, t.contactId] }),
    index("usage_user_windows_top_idx").on(t.accountId, t.periodDays, t.bucket.desc()),
  ],
);

/** One row: the day the user windows end on. */
export const usageWindowState = pgTable("usage_window_state", {
  id: smallint("id").primaryKey().default(1),
  asOf: date("as_of").notNull(),
});

/**
 * Per-attribute rollups, keyed by the SOURCE attribute key (`attribute_definitions.rollup_source_key`)
 * rather than by the parent's definition, so every account on the way up holds the aggregate of its
 * subtree even when its own type defines no rollup: that is what lets min/max be recomputed for an
 * ancestor from its children's rows alone (O(children) per level) instead of scanning the subtree.
 *
 * `own*` is the account's own raw value of the source key (from a definition with rollup rule "none"
 * on its type; numbers and numeric strings count as numbers, any non-empty value counts as present);
 * the `*Below` columns aggregate those over the accounts strictly below. A row exists only for a
 * non-archived account that has a value itself or below it, and only for keys that some live
 * definition rolls up.
 *
 * A parent's rolled-up attribute (rule sum/avg/min/max/count on its type) is shown as that
 * attribute's value, computed from the parent's one row: sum = sumBelow, avg = sumBelow/numbersBelow,
 * min = minBelow, max = maxBelow, count = countBelow (see `rolledUpValue` in lib/rollups/attributes.ts).
 */
export const attributeRollups = pgTable(
  "attribute_rollups",
  {
    accountId: uuid("account_id").notNull().references(() => accounts.id, { onDelete: "cascade" }),
    sourceKey: text("source_key").notNull(),
    ownPresent: boolean("own_present").notNull().default(false),
    ownNumber: numeric("own_number"),
    countBelow: integer("count_below").notNull().default(0),
    numbersBelow: integer("numbers_below").notNull().default(0),
    sumBelow: numeric("sum_below").notNull().default("0"),
    minBelow: numeric("min_below"),
    maxBelow: numeric("max_below"),
  },
  (t) => [primaryKey({ columns: [t.accountId, t.sourceKey] })],
);
