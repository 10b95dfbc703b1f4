import {
  type AnyPgColumn,
  boolean,
  index,
  integer,
  pgTable,
  primaryKey,
  text,
  timestamp,
  uuid,
  uniqueIndex,
  bigint,
} from "drizzle-orm/pg-core";
import { users } from "./identity";

/**
 * Admin-defined kinds of account (Region, Line of business, Product...). `isOpportunity` marks the
 * reserved Opportunity type: it is never a parent, has its own layout and a 50 MB asset limit.
 */
export const accountTypes = pgTable(
  "account_types",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    key: text("key").notNull(),
    name: text("name").notNull(),
    pluralName: text("plural_name").notNull(),
    /** Display order and nominal level: 0 is the top of the hierarchy. */
    level: integer("level").notNull().default(0),
    isOpportunity: boolean("is_opportunity").notNull().default(false),
    assetLimitMb: integer("asset_limit_mb").notNull().default(100),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [uniqueIndex("account_types_key_key").on(t.key)],
);

/** Which type may be the parent of which. No row for a type means it can only be a root. */
export const accountTypeParents = pgTable(
  "account_type_parents",
  {
    childTypeId: uuid("child_type_id").notNull().references(() => accountTypes.id, { onDelete: "cascade" }),
    parentTypeId: uuid("parent_type_id").notNull().references(() => accountTypes.id, { onDelete: "cascade" }),
  },
  (t) => [primaryKey({ columns: [t.childTypeId, t.parentTypeId] })],
);

/**
 * A node of the customer hierarchy. The id is stable and used in URLs; renames never break links.
 * `path` caches the ancestor ids from the root down (excluding the account itself) for breadcrumbs;
 * `account_closure` holds every ancestor/descendant pair for subtree reads.
 */
export const accounts = pgTable(
  "accounts",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    externalId: text("external_id"),
    name: text("name").notNull(),
    typeId: uuid("type_id").notNull().references(() => accountTypes.id),
    parentId: uuid("parent_id").references((): AnyPgColumn => accounts.id),
    path: uuid("path").array().notNull().default([]),
    depth: integer("depth").notNull().default(0),
    archivedAt: timestamp("archived_at", { withTimezone: true }),
    archivedBy: uuid("archived_by").references((): AnyPgColumn => users.id, { onDelete: "set null" }),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index("accounts_parent_idx").on(t.parentId),
    index("accounts_type_idx").on(t.typeId),
    index("accounts_name_idx").on(t.name),
    uniqueIndex("accounts_external_id_key").on(t.externalId),
  ],
);

/** Every (ancestor, descendant) pair, including (a, a) at distance 0. */
export const accountClosure = pgTable(
  "account_closure",
  {
    ancestorId: uuid("ancestor_id").notNull().references(() => accounts.id, { onDelete: "cascade" }),
    descendantId: uuid("descendant_id").notNull().references(() => accounts.id, { onDelete: "cascade" }),
    distance: integer("distance").notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.ancestorId, t.descendantId] }),
    index("account_closure_descendant_idx").on(t.descendantId),
  ],
);

/**
 * Accounts merged away (lib/hierarchy/merge.ts): the merged account's id, which no longer exists,
 * points at the account that was kept, so old links (/accounts/<merged id>...) still lead somewhere.
 * No foreign key on the merged id (that account is deleted); the kept one cascades, and a later
 * merge of the kept account re-points these rows.
 */
export const accountMerges = pgTable(
  "account_merges",
  {
    mergedAccountId: uuid("merged_account_id").primaryKey(),
    keptAccountId: uuid("kept_account_id").notNull().references((): AnyPgColumn => accounts.id, { onDelete: "cascade" }),
    mergedName: text("merged_name").notNull(),
    mergedAt: timestamp("merged_at", { withTimezone: true }).notNull().defaultNow(),
    mergedBy: uuid("merged_by").references(() => users.id, { onDelete: "set null" }),
  },
  (t) => [index("account_merges_kept_idx").on(t.keptAccountId)],
);

/** Hierarchy history: every move (and creation under a parent) is kept. */
export const accountMoves = pgTable(
  "account_moves",
  {
    id: bigint("id", { mode: "number" }).primaryKey().generatedAlwaysAsIdentity(),
    accountId: uuid("account_id").notNull().references(() => accounts.id, { onDelete: "cascade" }),
    oldParentId: uuid("old_parent_id"),
    newParentId: uuid("new_parent_id"),
    movedBy: uuid("moved_by").references(() => users.id, { onDelete: "set null" }),
    movedAt: timestamp("moved_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index("account_moves_account_idx").on(t.accountId, t.movedAt)],
);

/** Account groups: admin-named groups an account belongs to, set on its company profile. */
export const accountGroups = pgTable(
  "account_groups",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    name: text("name").notNull(),
  },
  (t) => [uniqueIndex("account_groups_name_key").on(t.name)],
);

export const accountGroupMembers = pgTable(
  "account_group_members",
  {
    groupId: uuid("group_id").notNull().references(() => accountGroups.id, { onDelete: "cascade" }),
    accountId: uuid("account_id").notNull().references(() => accounts.id, { onDelete: "cascade" }),
  },
  (t) => [primaryKey({ columns: [t.groupId, t.accountId] }), index("account_group_members_account_idx").on(t.accountId)],
);

export const tags = pgTable(
  "tags",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    name: text("name").notNull(),
    color: text("color"),
  },
  (t) => [uniqueIndex("tags_name_key").on(t.name)],
);

export const accountTags = pgTable(
  "account_tags",
  {
    accountId: uuid("account_id").notNull().references(() => accounts.id, { onDelete: "cascade" }),
    tagId: uuid("tag_id").notNull().references(() => tags.id, { onDelete: "cascade" }),
    addedBy: uuid("added_by").references(() => users.id, { onDelete: "set null" }),
    addedAt: timestamp("added_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.accountId, t.tagId] }), index("account_tags_tag_idx").on(t.tagId)],
);
