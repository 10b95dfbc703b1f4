import { boolean, date, index, numeric, pgTable, text, timestamp, uuid, uniqueIndex } from "drizzle-orm/pg-core";
import { accounts } from "./hierarchy";

/**
 * Contracts and licences. MRR of an account = sum of `mrr` over active, non-excluded contracts,
 * unless the account's `mrr_override` attribute is set (shown as an override).
 */
export const contracts = pgTable(
  "contracts",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    accountId: uuid("account_id").notNull().references(() => accounts.id, { onDelete: "cascade" }),
    externalId: text("external_id"),
    name: text("name").notNull(),
    kind: text("kind").notNull().default("subscription"),
    value: numeric("value", { precision: 14, scale: 2 }).notNull(),
    mrr: numeric("mrr", { precision: 14, scale: 2 }).notNull(),
    startDate: date("start_date").notNull(),
    endDate: date("end_date"),
    active: boolean("active").notNull().default(true),
    excluded: boolean("excluded").notNull().default(false),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index("contracts_account_idx").on(t.accountId), uniqueIndex("contracts_external_id_key").on(t.externalId)],
);

/** Non-recurring sales (services, one-off fees). */
export const sales = pgTable(
  "sales",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    accountId: uuid("account_id").notNull().references(() => accounts.id, { onDelete: "cascade" }),
    name: text("name").notNull(),
    amount: numeric("amount", { precision: 14, scale: 2 }).notNull(),
    soldOn: date("sold_on").notNull(),
  },
  (t) => [index("sales_account_idx").on(t.accountId)],
);

export const invoices = pgTable(
  "invoices",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    accountId: uuid("account_id").notNull().references(() => accounts.id, { onDelete: "cascade" }),
    contractId: uuid("contract_id").references(() => contracts.id, { onDelete: "set null" }),
    number: text("number").notNull(),
    amount: numeric("amount", { precision: 14, scale: 2 }).notNull(),
    issuedOn: date("issued_on").notNull(),
    dueOn: date("due_on").notNull(),
    paidOn: date("paid_on"),
  },
  (t) => [index("invoices_account_idx").on(t.accountId, t.issuedOn.desc())],
);
