import { bigint, index, pgTable, text, timestamp, uuid } from "drizzle-orm/pg-core";
import { assetKind } from "./enums";
import { accounts } from "./hierarchy";
import { users } from "./identity";

/** An uploaded file (bytes in S3-compatible storage under `storageKey`) or a link. */
export const assets = pgTable(
  "assets",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    accountId: uuid("account_id").notNull().references(() => accounts.id, { onDelete: "cascade" }),
    kind: assetKind("kind").notNull(),
    name: text("name").notNull(),
    url: text("url"),
    storageKey: text("storage_key"),
    contentType: text("content_type"),
    sizeBytes: bigint("size_bytes", { mode: "number" }),
    uploadedBy: uuid("uploaded_by").references(() => users.id, { onDelete: "set null" }),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    deletedAt: timestamp("deleted_at", { withTimezone: true }),
  },
  (t) => [index("assets_account_idx").on(t.accountId, t.createdAt.desc())],
);
