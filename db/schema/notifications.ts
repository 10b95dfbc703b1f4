import { sql } from "drizzle-orm";
import { bigint, boolean, date, index, integer, pgTable, primaryKey, text, timestamp, uuid } from "drizzle-orm/pg-core";
import { accounts } from "./hierarchy";
import { users } from "./identity";
import { tasks } from "./activity";

/**
 * Who follows which account. `includeBelow` follows the whole subtree (a leader following a
 * region): an event on any descendant reaches them, resolved through `account_closure`.
 */
export const accountFollows = pgTable(
  "account_follows",
  {
    userId: uuid("user_id").notNull().references(() => users.id, { onDelete: "cascade" }),
    accountId: uuid("account_id").notNull().references(() => accounts.id, { onDelete: "cascade" }),
    includeBelow: boolean("include_below").notNull().default(false),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.userId, t.accountId] }), index("account_follows_account_idx").on(t.accountId)],
);

/**
 * One line of a user's inbox. The text is written for that recipient when the notification is
 * made (only what they may read); `accountId` is re-checked before it is mailed.
 */
export const notifications = pgTable(
  "notifications",
  {
    id: bigint("id", { mode: "number" }).primaryKey().generatedAlwaysAsIdentity(),
    userId: uuid("user_id").notNull().references(() => users.id, { onDelete: "cascade" }),
    /** mention, request, request_answered, assigned, task_assigned, or a domain event type. */
    kind: text("kind").notNull(),
    accountId: uuid("account_id").references(() => accounts.id, { onDelete: "cascade" }),
    eventId: bigint("event_id", { mode: "number" }),
    actorId: uuid("actor_id").references(() => users.id, { onDelete: "set null" }),
    title: text("title").notNull(),
    body: text("body").notNull().default(""),
    /** Path inside the app, e.g. /accounts/<id>. */
    href: text("href").notNull(),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    readAt: timestamp("read_at", { withTimezone: true }),
  },
  (t) => [
    index("notifications_user_idx").on(t.userId, t.createdAt.desc()),
    // The bell's count: an index of unread rows only.
    index("notifications_unread_idx").on(t.userId).where(sql`${t.readAt} is null`),
  ],
);

/** Each user's mail preference; no row means the defaults (instant mail). */
export const notificationSettings = pgTable("notification_settings", {
  userId: uuid("user_id")
    .primaryKey()
    .references(() => users.id, { onDelete: "cascade" }),
  /** instant | digest | off */
  emailMode: text("email_mode").notNull().default("instant"),
  /** Hour of the day (UTC) the daily digest goes out. */
  digestHour: integer("digest_hour").notNull().default(8),
  /** Notifications up to this moment were covered by a digest. */
  lastDigestAt: timestamp("last_digest_at", { withTimezone: true }),
  updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
});

/**
 * Mail waiting to go out, kept until an SMTP server accepted it (the mail worker retries with
 * backoff). A row names its notifications; the text is rendered, and visibility re-checked, when
 * it is sent. `status`: queued, sent, or withheld (nothing left the recipient may still see).
 */
export const mailOutbox = pgTable(
  "mail_outbox",
  {
    id: bigint("id", { mode: "number" }).primaryKey().generatedAlwaysAsIdentity(),
    userId: uuid("user_id").notNull().references(() => users.id, { onDelete: "cascade" }),
    /** instant | digest */
    kind: text("kind").notNull(),
    notificationIds: bigint("notification_ids", { mode: "number" }).array().notNull(),
    status: text("status").notNull().default("queued"),
    attempts: integer("attempts").notNull().default(0),
    nextAttemptAt: timestamp("next_attempt_at", { withTimezone: true }).notNull().defaultNow(),
    /** A worker holds the row until then (no transaction is kept open while talking SMTP). */
    leaseUntil: timestamp("lease_until", { withTimezone: true }),
    lastError: text("last_error"),
    messageId: text("message_id"),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    sentAt: timestamp("sent_at", { withTimezone: true }),
  },
  (t) => [index("mail_outbox_due_idx").on(t.nextAttemptAt).where(sql`${t.status} = 'queued'`)],
);

/** Comments on a task: a short thread, with @mentions like notes. */
export const taskComments = pgTable(
  "task_comments",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    taskId: uuid("task_id")
      .notNull()
      .references(() => tasks.id, { onDelete: "cascade" }),
    accountId: uuid("account_id").notNull().references(() => accounts.id, { onDelete: "cascade" }),
    authorId: uuid("author_id").references(() => users.id, { onDelete: "set null" }),
    /** Mentions are stored as `<@user-id>` tokens and rendered as names. */
    body: text("body").notNull(),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index("task_comments_task_idx").on(t.taskId, t.createdAt)],
);

/** Who was @mentioned where: the structural record behind `<@user-id>` tokens in a text. */
export const mentions = pgTable(
  "mentions",
  {
    id: bigint("id", { mode: "number" }).primaryKey().generatedAlwaysAsIdentity(),
    accountId: uuid("account_id").notNull().references(() => accounts.id, { onDelete: "cascade" }),
    /** touchpoint | task_comment */
    sourceKind: text("source_kind").notNull(),
    sourceId: uuid("source_id").notNull(),
    userId: uuid("user_id").notNull().references(() => users.id, { onDelete: "cascade" }),
    authorId: uuid("author_id").references(() => users.id, { onDelete: "set null" }),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index("mentions_source_idx").on(t.sourceKind, t.sourceId), index("mentions_user_idx").on(t.userId, t.createdAt.desc())],
);

/**
 * Accounts whose own usage is in a drop right now (lib/notifications/usage-drops.ts): a row is
 * written with the one `usage.dropped` event when the fall is first seen, and removed once usage
 * is back, so followers hear of each fall once, not every day it lasts.
 */
export const usageDrops = pgTable("usage_drops", {
  accountId: uuid("account_id")
    .primaryKey()
    .references(() => accounts.id, { onDelete: "cascade" }),
  droppedOn: date("dropped_on").notNull(),
  /** Events in the 7 days before `droppedOn`, and the weekly average of the 28 days before those. */
  recentEvents: bigint("recent_events", { mode: "number" }).notNull(),
  baselineWeekly: bigint("baseline_weekly", { mode: "number" }).notNull(),
});

/**
 * Where the daily usage-drop sweep stands (one row): the day it evaluates and the last account id
 * done, so each account is evaluated at most once a day and any instance continues the walk.
 */
export const usageDropSweep = pgTable("usage_drop_sweep", {
  id: integer("id").primaryKey().default(1),
  day: date("day").notNull(),
  cursor: uuid("cursor"),
  finished: boolean("finished").notNull().default(false),
});
