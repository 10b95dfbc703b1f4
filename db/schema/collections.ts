import { index, jsonb, pgTable, text, timestamp, uuid, uniqueIndex } from "drizzle-orm/pg-core";
import { accounts, accountTypes } from "./hierarchy";

export type CollectionColumn = { key: string; label: string; type: "text" | "number" | "currency" | "date" };

/** Admin-defined lists of related records (e.g. CRM opportunities), shown as a table widget. */
export const collections = pgTable(
  "collections",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    key: text("key").notNull(),
    name: text("name").notNull(),
    accountTypeId: uuid("account_type_id").references(() => accountTypes.id, { onDelete: "cascade" }),
    columns: jsonb("columns").$type<CollectionColumn[]>().notNull(),
  },
  (t) => [uniqueIndex("collections_key_key").on(t.key)],
);

export const collectionRecords = pgTable(
  "collection_records",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    collectionId: uuid("collection_id").notNull().references(() => collections.id, { onDelete: "cascade" }),
    accountId: uuid("account_id").notNull().references(() => accounts.id, { onDelete: "cascade" }),
    values: jsonb("values").$type<Record<string, unknown>>().notNull(),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index("collection_records_account_idx").on(t.collectionId, t.accountId)],
);
