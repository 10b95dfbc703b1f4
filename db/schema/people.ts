import { bigint, boolean, index, integer, jsonb, pgTable, primaryKey, text, timestamp, uuid, uniqueIndex } from "drizzle-orm/pg-core";
import { accounts } from "./hierarchy";
import { users } from "./identity";

/** One person at a customer: an end user of the product or a business contact. One profile each. */
export const contacts = pgTable(
  "contacts",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    externalId: text("external_id"),
    email: text("email"),
    name: text("name").notNull(),
    title: text("title"),
    phone: text("phone"),
    attributes: jsonb("attributes").$type<Record<string, unknown>>().notNull().default({}),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [uniqueIndex("contacts_email_key").on(t.email), uniqueIndex("contacts_external_id_key").on(t.externalId)],
);

/** A contact linked to an account with a role at that account (key contact at one level, not another). */
export const accountContacts = pgTable(
  "account_contacts",
  {
    accountId: uuid("account_id").notNull().references(() => accounts.id, { onDelete: "cascade" }),
    contactId: uuid("contact_id").notNull().references(() => contacts.id, { onDelete: "cascade" }),
    role: text("role").notNull(),
    isKey: boolean("is_key").notNull().default(false),
    linkedAt: timestamp("linked_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.accountId, t.contactId] }), index("account_contacts_contact_idx").on(t.contactId)],
);

/**
 * Admin-defined assignment roles (CSM, AE, SE, Support manager, Executive sponsor...). An
 * assignment names its role by `name` (renames cascade), so reads that filter on 'CSM' stay simple.
 * `grantsPrivileged`: someone assigned with this role reads the account's privileged attributes.
 */
export const assignmentRoles = pgTable(
  "assignment_roles",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    name: text("name").notNull(),
    grantsPrivileged: boolean("grants_privileged").notNull().default(false),
    position: integer("position").notNull().default(0),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [uniqueIndex("assignment_roles_name_key").on(t.name)],
);

/**
 * A team member assigned to an account with a role (CSM, AE, SE...). The accounts where someone is
 * assigned are their working levels; a role that grants it also opens privileged attributes there.
 */
export const assignments = pgTable(
  "assignments",
  {
    accountId: uuid("account_id").notNull().references(() => accounts.id, { onDelete: "cascade" }),
    userId: uuid("user_id").notNull().references(() => users.id, { onDelete: "cascade" }),
    role: text("role")
      .notNull()
      .references(() => assignmentRoles.name, { onUpdate: "cascade" }),
    assignedAt: timestamp("assigned_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.accountId, t.userId, t.role] }), index("assignments_user_idx").on(t.userId)],
);

/**
 * Every assignment with when and by whom it began and ended (open rows: still assigned), so a
 * profile can be shown as it stood on a past date. `assignments` holds only the current ones.
 */
export const assignmentHistory = pgTable(
  "assignment_history",
  {
    id: bigint("id", { mode: "number" }).primaryKey().generatedAlwaysAsIdentity(),
    accountId: uuid("account_id").notNull().references(() => accounts.id, { onDelete: "cascade" }),
    userId: uuid("user_id").notNull().references(() => users.id, { onDelete: "cascade" }),
    role: text("role").notNull(),
    assignedAt: timestamp("assigned_at", { withTimezone: true }).notNull().defaultNow(),
    assignedBy: uuid("assigned_by").references(() => users.id, { onDelete: "set null" }),
    unassignedAt: timestamp("unassigned_at", { withTimezone: true }),
    unassignedBy: uuid("unassigned_by").references(() => users.id, { onDelete: "set null" }),
  },
  (t) => [index("assignment_history_account_idx").on(t.accountId, t.assignedAt), index("assignment_history_user_idx").on(t.userId)],
);
