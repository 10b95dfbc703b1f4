import { sql } from "drizzle-orm";
import { bigint, date, index, integer, jsonb, pgTable, primaryKey, text, timestamp, uuid } from "drizzle-orm/pg-core";
import { planStatus, requestStatus, taskPriority, taskStatus, timelineKind, touchpointType } from "./enums";
import { accounts } from "./hierarchy";
import { users } from "./identity";
import { contacts } from "./people";

/** A logged interaction with the customer. */
export const touchpoints = pgTable(
  "touchpoints",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    accountId: uuid("account_id").notNull().references(() => accounts.id, { onDelete: "cascade" }),
    type: touchpointType("type").notNull(),
    subject: text("subject").notNull(),
    body: text("body").notNull().default(""),
    occurredAt: timestamp("occurred_at", { withTimezone: true }).notNull(),
    authorId: uuid("author_id").references(() => users.id, { onDelete: "set null" }),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index("touchpoints_account_idx").on(t.accountId, t.occurredAt.desc())],
);

/** Participants of a touchpoint: contacts of the customer and/or our team members. */
export const touchpointParticipants = pgTable(
  "touchpoint_participants",
  {
    id: bigint("id", { mode: "number" }).primaryKey().generatedAlwaysAsIdentity(),
    touchpointId: uuid("touchpoint_id").notNull().references(() => touchpoints.id, { onDelete: "cascade" }),
    contactId: uuid("contact_id").references(() => contacts.id, { onDelete: "cascade" }),
    userId: uuid("user_id").references(() => users.id, { onDelete: "cascade" }),
  },
  (t) => [index("touchpoint_participants_tp_idx").on(t.touchpointId), index("touchpoint_participants_contact_idx").on(t.contactId)],
);

/** Success plans hold objectives; objectives hold tasks. */
export const successPlans = pgTable(
  "success_plans",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    accountId: uuid("account_id").notNull().references(() => accounts.id, { onDelete: "cascade" }),
    name: text("name").notNull(),
    status: planStatus("status").notNull().default("active"),
    dueDate: date("due_date"),
    createdBy: uuid("created_by").references(() => users.id, { onDelete: "set null" }),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    /** When the plan was last completed or archived (null while active). */
    closedAt: timestamp("closed_at", { withTimezone: true }),
  },
  (t) => [index("success_plans_account_idx").on(t.accountId)],
);

export const objectives = pgTable(
  "objectives",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    planId: uuid("plan_id").notNull().references(() => successPlans.id, { onDelete: "cascade" }),
    title: text("title").notNull(),
    description: text("description"),
    /** 0..100 */
    progress: integer("progress").notNull().default(0),
    dueDate: date("due_date"),
    createdBy: uuid("created_by").references(() => users.id, { onDelete: "set null" }),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    completedAt: timestamp("completed_at", { withTimezone: true }),
    /** An archived objective leaves the plan's progress and the Plan tab's active list. */
    archivedAt: timestamp("archived_at", { withTimezone: true }),
  },
  (t) => [index("objectives_plan_idx").on(t.planId)],
);

/** SuccessPlays: admin-defined playbooks that create a set of tasks relative to the day applied. */
export const playbooks = pgTable("playbooks", {
  id: uuid("id").primaryKey().defaultRandom(),
  name: text("name").notNull(),
  description: text("description"),
  createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
});

export const playbookSteps = pgTable(
  "playbook_steps",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    playbookId: uuid("playbook_id").notNull().references(() => playbooks.id, { onDelete: "cascade" }),
    title: text("title").notNull(),
    offsetDays: integer("offset_days").notNull().default(0),
    priority: taskPriority("priority").notNull().default("medium"),
    position: integer("position").notNull().default(0),
  },
  (t) => [index("playbook_steps_playbook_idx").on(t.playbookId)],
);

/** A planned piece of work on an account. */
export const tasks = pgTable(
  "tasks",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    accountId: uuid("account_id").notNull().references(() => accounts.id, { onDelete: "cascade" }),
    title: text("title").notNull(),
    description: text("description"),
    dueDate: date("due_date"),
    assigneeId: uuid("assignee_id").references(() => users.id, { onDelete: "set null" }),
    priority: taskPriority("priority").notNull().default("medium"),
    status: taskStatus("status").notNull().default("open"),
    objectiveId: uuid("objective_id").references(() => objectives.id, { onDelete: "set null" }),
    playbookId: uuid("playbook_id").references(() => playbooks.id, { onDelete: "set null" }),
    createdBy: uuid("created_by").references(() => users.id, { onDelete: "set null" }),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    completedAt: timestamp("completed_at", { withTimezone: true }),
  },
  (t) => [
    index("tasks_account_status_idx").on(t.accountId, t.status, t.dueDate),
    index("tasks_objective_idx").on(t.objectiveId),
    index("tasks_assignee_status_idx").on(t.assigneeId, t.status, t.dueDate),
  ],
);

export const campaigns = pgTable("campaigns", {
  id: uuid("id").primaryKey().defaultRandom(),
  name: text("name").notNull(),
  channel: text("channel").notNull().default("email"),
  sentAt: timestamp("sent_at", { withTimezone: true }).notNull(),
});

/** One campaign message to one contact at one account. */
export const campaignSends = pgTable(
  "campaign_sends",
  {
    campaignId: uuid("campaign_id").notNull().references(() => campaigns.id, { onDelete: "cascade" }),
    contactId: uuid("contact_id").notNull().references(() => contacts.id, { onDelete: "cascade" }),
    accountId: uuid("account_id").notNull().references(() => accounts.id, { onDelete: "cascade" }),
    sentAt: timestamp("sent_at", { withTimezone: true }).notNull(),
    openedAt: timestamp("opened_at", { withTimezone: true }),
    clickedAt: timestamp("clicked_at", { withTimezone: true }),
  },
  (t) => [primaryKey({ columns: [t.campaignId, t.contactId, t.accountId] }), index("campaign_sends_account_idx").on(t.accountId)],
);

/** A question to a contact or a colleague, tracked until answered. */
export const informationRequests = pgTable(
  "information_requests",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    accountId: uuid("account_id").notNull().references(() => accounts.id, { onDelete: "cascade" }),
    requestedBy: uuid("requested_by").references(() => users.id, { onDelete: "set null" }),
    toContactId: uuid("to_contact_id").references(() => contacts.id, { onDelete: "set null" }),
    toUserId: uuid("to_user_id").references(() => users.id, { onDelete: "set null" }),
    question: text("question").notNull(),
    answer: text("answer"),
    status: requestStatus("status").notNull().default("open"),
    dueDate: date("due_date"),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    answeredAt: timestamp("answered_at", { withTimezone: true }),
  },
  (t) => [index("information_requests_account_idx").on(t.accountId, t.status)],
);

/**
 * The account's history as one stream. Each entry keeps a snapshot of the record as it was when the
 * entry was written (touchpoints and tasks appear as created), so it never changes afterwards.
 */
export const timelineEntries = pgTable(
  "timeline_entries",
  {
    id: bigint("id", { mode: "number" }).primaryKey().generatedAlwaysAsIdentity(),
    accountId: uuid("account_id").notNull().references(() => accounts.id, { onDelete: "cascade" }),
    kind: timelineKind("kind").notNull(),
    refId: text("ref_id"),
    actorId: uuid("actor_id").references(() => users.id, { onDelete: "set null" }),
    title: text("title").notNull(),
    snapshot: jsonb("snapshot").$type<Record<string, unknown>>().notNull().default({}),
    occurredAt: timestamp("occurred_at", { withTimezone: true }).notNull(),
  },
  (t) => [
    index("timeline_entries_account_time_idx").on(t.accountId, t.occurredAt.desc()),
    index("timeline_entries_account_kind_idx").on(t.accountId, t.kind, t.occurredAt.desc()),
    // Child activity on a parent (touchpoints and tasks of descendants, newest first) walks this
    // index and stops at the first visible descendant rows instead of sorting the whole subtree.
    index("timeline_entries_recent_activity_idx")
      .on(t.occurredAt.desc().nullsFirst(), t.id.desc().nullsFirst())
      .where(sql`${t.kind} in ('touchpoint', 'task')`),
  ],
);

/** The timeline keeps up to this many entries per account; older ones are pruned on write. */
export const TIMELINE_LIMIT = 2000;
