import { index, integer, jsonb, pgTable, primaryKey, text, timestamp, uuid, uniqueIndex } from "drizzle-orm/pg-core";
import { accounts } from "./hierarchy";
import { users } from "./identity";

/**
 * API tokens for /api/v1, created by admins. Only the sha256 of the token is stored (the token is
 * shown once, when created); `prefix` is its first characters, to tell tokens apart in the list.
 * `scopes` names what the token may write (see lib/api/scopes.ts); `rootAccountId`, when set,
 * limits it to that account's subtree. A revoked token is kept (with who revoked it) for the record.
 */
export const apiTokens = pgTable(
  "api_tokens",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    name: text("name").notNull(),
    prefix: text("prefix").notNull(),
    tokenHash: text("token_hash").notNull(),
    scopes: text("scopes").array().notNull(),
    rootAccountId: uuid("root_account_id").references(() => accounts.id, { onDelete: "cascade" }),
    createdBy: uuid("created_by").references(() => users.id, { onDelete: "set null" }),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    lastUsedAt: timestamp("last_used_at", { withTimezone: true }),
    revokedAt: timestamp("revoked_at", { withTimezone: true }),
    revokedBy: uuid("revoked_by").references(() => users.id, { onDelete: "set null" }),
    /** Requests a minute this token may make (lib/api/rate-limit.ts); set on the admin tokens page. */
    rateLimitPerMinute: integer("rate_limit_per_minute").notNull().default(600),
  },
  (t) => [uniqueIndex("api_tokens_token_hash_key").on(t.tokenHash)],
);

/**
 * Idempotency keys of /api/v1 writes, per token: the request's hash and the response given, so a
 * replay gets the same answer and writes nothing twice. Stored in the same transaction as the write
 * (a failed request leaves no key behind).
 */
export const apiIdempotencyKeys = pgTable(
  "api_idempotency_keys",
  {
    tokenId: uuid("token_id").notNull().references(() => apiTokens.id, { onDelete: "cascade" }),
    key: text("key").notNull(),
    route: text("route").notNull(),
    requestHash: text("request_hash").notNull(),
    status: integer("status").notNull(),
    response: jsonb("response").notNull(),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.tokenId, t.key] }), index("api_idempotency_keys_created_idx").on(t.createdAt)],
);

/**
 * Requests per token per minute (fixed one-minute windows): the rate limit of /api/v1 and the
 * "recent use" of the admin tokens page. One upsert per request, shared by every app instance.
 * Rows older than a day are deleted (lib/api/rate-limit.ts).
 */
export const apiTokenMinutes = pgTable(
  "api_token_minutes",
  {
    tokenId: uuid("token_id").notNull().references(() => apiTokens.id, { onDelete: "cascade" }),
    minute: timestamp("minute", { withTimezone: true }).notNull(),
    requests: integer("requests").notNull().default(0),
    /** Answers of 429 in that minute. */
    refused: integer("refused").notNull().default(0),
  },
  (t) => [primaryKey({ columns: [t.tokenId, t.minute] }), index("api_token_minutes_minute_idx").on(t.minute)],
);
