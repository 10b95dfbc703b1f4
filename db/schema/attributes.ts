import {
  bigint,
  boolean,
  index,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  text,
  timestamp,
  uuid,
  uniqueIndex,
} from "drizzle-orm/pg-core";
import { attributeDataType, rollupRule } from "./enums";
import { accounts, accountTypes } from "./hierarchy";
import { users } from "./identity";

/** Field groups of an account type: featured groups show first, the rest under "show full list". */
export const fieldGroups = pgTable(
  "field_groups",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    accountTypeId: uuid("account_type_id").notNull().references(() => accountTypes.id, { onDelete: "cascade" }),
    name: text("name").notNull(),
    featured: boolean("featured").notNull().default(false),
    position: integer("position").notNull().default(0),
  },
  (t) => [uniqueIndex("field_groups_type_name_key").on(t.accountTypeId, t.name)],
);

/**
 * An admin-defined attribute of one account type. `rollupRule` says how the values of descendants of
 * other types are combined onto this type's accounts (see rollups).
 */
export const attributeDefinitions = pgTable(
  "attribute_definitions",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    accountTypeId: uuid("account_type_id").notNull().references(() => accountTypes.id, { onDelete: "cascade" }),
    key: text("key").notNull(),
    label: text("label").notNull(),
    dataType: attributeDataType("data_type").notNull(),
    groupId: uuid("group_id").references(() => fieldGroups.id, { onDelete: "set null" }),
    keyInfo: boolean("key_info").notNull().default(false),
    privileged: boolean("privileged").notNull().default(false),
    rollupRule: rollupRule("rollup_rule").notNull().default("none"),
    /** For rolled-up attributes: the key of the attribute summed/averaged on descendant accounts. */
    rollupSourceKey: text("rollup_source_key"),
    options: jsonb("options").$type<string[]>(),
    position: integer("position").notNull().default(0),
    deletedAt: timestamp("deleted_at", { withTimezone: true }),
  },
  (t) => [uniqueIndex("attribute_definitions_type_key_key").on(t.accountTypeId, t.key)],
);

/** Current value of an attribute on an account. `version` drives optimistic concurrency on edits. */
export const attributeValues = pgTable(
  "attribute_values",
  {
    accountId: uuid("account_id").notNull().references(() => accounts.id, { onDelete: "cascade" }),
    attributeId: uuid("attribute_id").notNull().references(() => attributeDefinitions.id, { onDelete: "cascade" }),
    value: jsonb("value"),
    version: integer("version").notNull().default(1),
    updatedBy: uuid("updated_by").references(() => users.id, { onDelete: "set null" }),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.accountId, t.attributeId] }), index("attribute_values_attribute_idx").on(t.attributeId)],
);

/** Append-only history of every attribute change: who, when, old value, new value. */
export const attributeChanges = pgTable(
  "attribute_changes",
  {
    id: bigint("id", { mode: "number" }).primaryKey().generatedAlwaysAsIdentity(),
    accountId: uuid("account_id").notNull().references(() => accounts.id, { onDelete: "cascade" }),
    attributeId: uuid("attribute_id").notNull().references(() => attributeDefinitions.id, { onDelete: "cascade" }),
    oldValue: jsonb("old_value"),
    newValue: jsonb("new_value"),
    changedBy: uuid("changed_by").references(() => users.id, { onDelete: "set null" }),
    changedAt: timestamp("changed_at", { withTimezone: true }).notNull().defaultNow(),
    source: text("source").notNull().default("app"),
  },
  (t) => [
    index("attribute_changes_account_idx").on(t.accountId, t.changedAt.desc()),
    index("attribute_changes_attribute_idx").on(t.accountId, t.attributeId, t.changedAt.desc()),
  ],
);
