import { boolean, index, integer, pgTable, primaryKey, text, timestamp, uuid, uniqueIndex, jsonb, bigint, varchar } from "drizzle-orm/pg-core";
import { userRole, scopeKind } from "./enums";
import { accounts } from "./hierarchy";

/** A person at our company who signs in: CSM, AE, admin, leadership. */
export const users = pgTable(
  "users",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    email: text("email").notNull(),
    name: text("name").notNull(),
    passwordHash: text("password_hash"),
    role: userRole("role").notNull().default("member"),
    title: text("title"),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    disabledAt: timestamp("disabled_at", { withTimezone: true }),
  },
  (t) => [uniqueIndex("users_email_key").on(t.email)],
);

/** Teams group users; a team's scopes decide which accounts its members may see. */
export const teams = pgTable(
  "teams",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    key: text("key").notNull(),
    name: text("name").notNull(),
    seesOpportunities: boolean("sees_opportunities").notNull().default(false),
    isDefault: boolean("is_default").notNull().default(false),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [uniqueIndex("teams_key_key").on(t.key)],
);

export const teamMembers = pgTable(
  "team_members",
  {
    teamId: uuid("team_id").notNull().references(() => teams.id, { onDelete: "cascade" }),
    userId: uuid("user_id").notNull().references(() => users.id, { onDelete: "cascade" }),
  },
  (t) => [primaryKey({ columns: [t.teamId, t.userId] }), index("team_members_user_idx").on(t.userId)],
);

/**
 * One rule of a team's visibility scope. A team sees the union of its rules:
 * everything, a subtree (root account and all below), or accounts whose attribute equals a value.
 */
export const teamScopes = pgTable(
  "team_scopes",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    teamId: uuid("team_id").notNull().references(() => teams.id, { onDelete: "cascade" }),
    kind: scopeKind("kind").notNull(),
    rootAccountId: uuid("root_account_id").references(() => accounts.id, { onDelete: "cascade" }),
    attributeKey: text("attribute_key"),
    attributeValue: jsonb("attribute_value"),
  },
  (t) => [index("team_scopes_team_idx").on(t.teamId)],
);

/** Admin and permission changes, readable by admins. Append-only. */
export const auditLog = pgTable(
  "audit_log",
  {
    id: bigint("id", { mode: "number" }).primaryKey().generatedAlwaysAsIdentity(),
    actorId: uuid("actor_id").references(() => users.id, { onDelete: "set null" }),
    action: text("action").notNull(),
    targetType: text("target_type").notNull(),
    targetId: text("target_id"),
    details: jsonb("details"),
    at: timestamp("at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index("audit_log_at_idx").on(t.at.desc())],
);

/**
 * Sign-in throttling counters (rate-limiter-flexible's RateLimiterPostgres layout), shared by every
 * instance on one Postgres. `expire` is epoch milliseconds. Not used on PGlite (one process: memory).
 */
export const authThrottle = pgTable("auth_throttle", {
  key: varchar("key", { length: 255 }).primaryKey(),
  points: integer("points").notNull().default(0),
  expire: bigint("expire", { mode: "number" }),
});

/**
 * One-time links to set a password: an invitation (the user has none yet) or a reset by an admin.
 * Only a SHA-256 hash of the token is stored, so a leaked table opens nothing. A link works once,
 * until `expiresAt`; issuing a new link for a user ends their older unused ones (`usedAt` set).
 */
export const passwordTokens = pgTable(
  "password_tokens",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    userId: uuid("user_id").notNull().references(() => users.id, { onDelete: "cascade" }),
    tokenHash: text("token_hash").notNull(),
    /** "invite" (first password) or "reset" (replaces the password). */
    purpose: text("purpose").notNull(),
    createdById: uuid("created_by_id").references(() => users.id, { onDelete: "set null" }),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    expiresAt: timestamp("expires_at", { withTimezone: true }).notNull(),
    usedAt: timestamp("used_at", { withTimezone: true }),
  },
  (t) => [uniqueIndex("password_tokens_hash_key").on(t.tokenHash), index("password_tokens_user_idx").on(t.userId)],
);

/**
 * Where a first-time single sign-on user lands: the role and team for their email's domain
 * (admins set these in /admin/users). A domain without a rule: role member, the default team.
 */
export const ssoDomainRules = pgTable(
  "sso_domain_rules",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    /** Lower-case, without "@": "example.com". */
    domain: text("domain").notNull(),
    role: userRole("role").notNull().default("member"),
    teamId: uuid("team_id").references(() => teams.id, { onDelete: "set null" }),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [uniqueIndex("sso_domain_rules_domain_key").on(t.domain)],
);
