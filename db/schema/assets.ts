import { bigint, index, integer, pgTable, text, timestamp, uuid } from "drizzle-orm/pg-core";
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

/**
 * An object written (or being written) to storage that no asset row owns yet. Recorded in its own
 * committed statement before the first byte goes to storage; the asset row's insert deletes it in
 * the same transaction. Whatever is left (the upload failed and storage could not remove the
 * object then, the process died mid-upload, the client went away) is removed by the
 * "upload-cleanup" worker (lib/assets/upload-intents.ts), which deletes the object and then the row.
 */
export const uploadIntents = pgTable(
  "upload_intents",
  {
    storageKey: text("storage_key").primaryKey(),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    /** When the cleanup may take it: a few minutes out while the upload runs (renewed), now once it failed. */
    dueAt: timestamp("due_at", { withTimezone: true }).notNull(),
    /** Set once the object is given up: from then on the upload can no longer become an asset. */
    abandonedAt: timestamp("abandoned_at", { withTimezone: true }),
    attempts: integer("attempts").notNull().default(0),
    lastError: text("last_error"),
  },
  (t) => [index("upload_intents_due_idx").on(t.dueAt)],
);
