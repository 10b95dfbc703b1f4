import { bigint, index, jsonb, pgTable, text, timestamp, uuid } from "drizzle-orm/pg-core";

/**
 * Domain events: one row per thing that happened to an account that someone may want to hear about
 * (webhooks, notifications, follows). Written in the same transaction as the change itself by
 * `emitEvents` (lib/events/emit.ts), which also hands the events to every consumer in that
 * transaction, so a consumer's rows (webhook deliveries, notifications) exist exactly when the
 * change does. Append-only; no foreign keys, so an event outlives the account it names.
 */
export const domainEvents = pgTable(
  "domain_events",
  {
    id: bigint("id", { mode: "number" }).primaryKey().generatedAlwaysAsIdentity(),
    type: text("type").notNull(),
    accountId: uuid("account_id"),
    actorId: uuid("actor_id"),
    data: jsonb("data").$type<Record<string, unknown>>().notNull().default({}),
    occurredAt: timestamp("occurred_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index("domain_events_account_idx").on(t.accountId, t.occurredAt.desc()), index("domain_events_type_idx").on(t.type, t.occurredAt.desc())],
);
