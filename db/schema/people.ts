import { boolean, index, jsonb, pgTable, primaryKey, text, timestamp, uuid, uniqueIndex } from "drizzle-orm/pg-core";
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
 * A team member assigned to an account with a role (CSM, AE, SE...). The accounts where someone is
 * assigned are their working levels; assignment also grants privileged attributes there.
 */
export const assignments = pgTable(
  "assignments",
  {
    accountId: uuid("account_id").notNull().references(() => accounts.id, { onDelete: "cascade" }),
    userId: uuid("user_id").notNull().references(() => users.id, { onDelete: "cascade" }),
    role: text("role").notNull(),
    assignedAt: timestamp("assigned_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.accountId, t.userId, t.role] }), index("assignments_user_idx").on(t.userId)],
);
