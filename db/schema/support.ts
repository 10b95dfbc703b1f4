import { index, integer, pgTable, text, timestamp, uuid, uniqueIndex } from "drizzle-orm/pg-core";
import { surveyKind, ticketPriority, ticketStatus } from "./enums";
import { accounts } from "./hierarchy";
import { contacts } from "./people";

export const supportTickets = pgTable(
  "support_tickets",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    accountId: uuid("account_id").notNull().references(() => accounts.id, { onDelete: "cascade" }),
    contactId: uuid("contact_id").references(() => contacts.id, { onDelete: "set null" }),
    externalId: text("external_id"),
    subject: text("subject").notNull(),
    priority: ticketPriority("priority").notNull().default("normal"),
    status: ticketStatus("status").notNull().default("new"),
    openedAt: timestamp("opened_at", { withTimezone: true }).notNull(),
    closedAt: timestamp("closed_at", { withTimezone: true }),
  },
  (t) => [index("support_tickets_account_idx").on(t.accountId, t.status), uniqueIndex("support_tickets_external_id_key").on(t.externalId)],
);

/** NPS (0..10) and CSAT (1..5) answers. */
export const surveyResponses = pgTable(
  "survey_responses",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    accountId: uuid("account_id").notNull().references(() => accounts.id, { onDelete: "cascade" }),
    contactId: uuid("contact_id").references(() => contacts.id, { onDelete: "set null" }),
    kind: surveyKind("kind").notNull(),
    score: integer("score").notNull(),
    comment: text("comment"),
    respondedAt: timestamp("responded_at", { withTimezone: true }).notNull(),
  },
  (t) => [
    index("survey_responses_account_idx").on(t.accountId, t.kind, t.respondedAt.desc()),
    index("survey_responses_contact_idx").on(t.contactId),
  ],
);
