import "server-only";
import { createHash, randomBytes } from "node:crypto";
import { and, desc, eq, isNull, sql } from "drizzle-orm";
import { z } from "zod";
import type { Executor } from "@/db/client";
import { accounts, apiTokens, users } from "@/db/schema";
import { ActionError, assertMay } from "@/lib/actions/define";
import { actionDefinition } from "@/lib/actions/definition";
import { idField } from "@/lib/actions/fields";
import { may, requires } from "@/lib/auth/permissions";
import { findAccount } from "@/lib/dal/accounts";
import type { Ctx, Viewer } from "@/lib/dal/viewer";
import { MAX_RATE_LIMIT } from "./rate-limit";
import { API_SCOPE_KEYS, isApiScope, type ApiScope } from "./scopes";

/*
 * API tokens: 32 random bytes (base64url) behind a `c360_` prefix. Only the sha256 is stored: a
 * token with that much entropy needs no slow hash, and a leaked table reveals no usable token. The
 * token acts for the admin who created it, limited to its scopes and, when set, to one subtree;
 * it stops working when revoked or when its creator is no longer an active admin.
 */

const TOKEN_PREFIX = "c360_";

export function hashToken(token: string): string {
  return createHash("sha256").update(token, "utf8").digest("hex");
}

function newToken(): string {
  return TOKEN_PREFIX + randomBytes(32).toString("base64url");
}

export type CreatedToken = { id: string; name: string; token: string };

export async function createApiToken(ctx: Ctx, input: { name: string; scopes: string[]; rootAccountId?: string | null }): Promise<CreatedToken> {
  assertMay(ctx, "apiTokens.manage");
  const scopes = [...new Set(input.scopes)].filter(isApiScope);
  if (!scopes.length) throw new ActionError("Check the highlighted fields.", { scopes: ["Tick at least one thing the token may read or write."] });
  let rootAccountId: string | null = null;
  if (input.rootAccountId) {
    const root = await findAccount(ctx, input.rootAccountId);
    if (!root) throw new ActionError("Check the highlighted fields.", { rootAccountId: ["That account was not found."] });
    rootAccountId = root.id;
  }
  const token = newToken();
  const [row] = await ctx.db
    .insert(apiTokens)
    .values({ name: input.name, prefix: token.slice(0, TOKEN_PREFIX.length + 6), tokenHash: hashToken(token), scopes, rootAccountId, createdBy: ctx.viewer.userId })
    .returning({ id: apiTokens.id, name: apiTokens.name });
  return { id: row.id, name: row.name, token };
}

export async function revokeApiToken(ctx: Ctx, id: string): Promise<{ id: string; name: string }> {
  assertMay(ctx, "apiTokens.manage");
  const [row] = await ctx.db
    .update(apiTokens)
    .set({ revokedAt: new Date(), revokedBy: ctx.viewer.userId })
    .where(and(eq(apiTokens.id, id), isNull(apiTokens.revokedAt)))
    .returning({ id: apiTokens.id, name: apiTokens.name });
  if (!row) throw new ActionError("That token was not found or is already revoked.");
  return row;
}

export async function setApiTokenRateLimit(ctx: Ctx, id: string, perMinute: number): Promise<{ id: string; name: string; rateLimitPerMinute: number }> {
  assertMay(ctx, "apiTokens.manage");
  const [row] = await ctx.db
    .update(apiTokens)
    .set({ rateLimitPerMinute: perMinute })
    .where(and(eq(apiTokens.id, id), isNull(apiTokens.revokedAt)))
    .returning({ id: apiTokens.id, name: apiTokens.name, rateLimitPerMinute: apiTokens.rateLimitPerMinute });
  if (!row) throw new ActionError("That token was not found or is revoked.");
  return row;
}

export type ApiTokenSummary = {
  id: string;
  name: string;
  prefix: string;
  scopes: string[];
  rootAccountId: string | null;
  rootAccountName: string | null;
  createdByName: string | null;
  createdAt: Date;
  lastUsedAt: Date | null;
  revokedAt: Date | null;
  rateLimitPerMinute: number;
};

export async function listApiTokens(ctx: Ctx): Promise<ApiTokenSummary[]> {
  assertMay(ctx, "apiTokens.manage");
  return ctx.db
    .select({
      id: apiTokens.id,
      name: apiTokens.name,
      prefix: apiTokens.prefix,
      scopes: apiTokens.scopes,
      rootAccountId: apiTokens.rootAccountId,
      rootAccountName: accounts.name,
      createdByName: users.name,
      createdAt: apiTokens.createdAt,
      lastUsedAt: apiTokens.lastUsedAt,
      revokedAt: apiTokens.revokedAt,
      rateLimitPerMinute: apiTokens.rateLimitPerMinute,
    })
    .from(apiTokens)
    .leftJoin(accounts, eq(accounts.id, apiTokens.rootAccountId))
    .leftJoin(users, eq(users.id, apiTokens.createdBy))
    .orderBy(sql`${apiTokens.revokedAt} is not null`, desc(apiTokens.createdAt));
}

export type TokenCaller = { tokenId: string; name: string; scopes: ApiScope[]; viewer: Viewer; rateLimitPerMinute: number };
export type TokenCheck = { ok: true; caller: TokenCaller } | { ok: false; status: 401; error: string };

/**
 * The caller behind an `Authorization: Bearer …` header. The viewer it acts as is its creator's,
 * narrowed to the token's subtree (and never wider than an admin's view).
 */
export async function authenticateToken(db: Executor, header: string | null): Promise<TokenCheck> {
  const match = header?.match(/^Bearer\s+(\S+)\s*$/i);
  if (!match) return { ok: false, status: 401, error: "Send an API token: Authorization: Bearer <token>." };
  const [row] = await db
    .select({
      id: apiTokens.id,
      name: apiTokens.name,
      scopes: apiTokens.scopes,
      rootAccountId: apiTokens.rootAccountId,
      revokedAt: apiTokens.revokedAt,
      rateLimitPerMinute: apiTokens.rateLimitPerMinute,
      userId: users.id,
      email: users.email,
      role: users.role,
      disabledAt: users.disabledAt,
    })
    .from(apiTokens)
    .leftJoin(users, eq(users.id, apiTokens.createdBy))
    .where(eq(apiTokens.tokenHash, hashToken(match[1])))
    .limit(1);
  if (!row) return { ok: false, status: 401, error: "That API token is not valid." };
  if (row.revokedAt) return { ok: false, status: 401, error: "That API token was revoked." };
  if (!row.userId || !row.role || !may({ role: row.role }, "apiTokens.manage") || row.disabledAt) {
    return { ok: false, status: 401, error: "That API token's creator is no longer an active admin: ask an admin for a new token." };
  }
  // Cheap "last used": at most one write a minute per token, outside the request's transaction.
  await db
    .update(apiTokens)
    .set({ lastUsedAt: new Date() })
    .where(and(eq(apiTokens.id, row.id), sql`(${apiTokens.lastUsedAt} is null or ${apiTokens.lastUsedAt} < now() - interval '1 minute')`));
  const viewer: Viewer = {
    userId: row.userId,
    email: row.email ?? "",
    name: `API token “${row.name}”`,
    role: "admin",
    teamIds: [],
    seesAll: !row.rootAccountId,
    seesOpportunities: true,
    scopeRoots: row.rootAccountId ? [row.rootAccountId] : [],
    attributeScopes: [],
  };
  return { ok: true, caller: { tokenId: row.id, name: row.name, scopes: row.scopes.filter(isApiScope), viewer, rateLimitPerMinute: row.rateLimitPerMinute } };
}

/** Checkbox groups arrive as nothing, one string or several: always an array. */
const scopesField = z.preprocess(
  (value) => (value === undefined || value === null || value === "" ? [] : Array.isArray(value) ? value : [value]),
  z.array(z.enum(API_SCOPE_KEYS, { error: "Pick scopes from the list." })).min(1, "Tick at least one thing the token may read or write."),
);

/** The admin page's forms (app/admin/api-tokens/actions.ts). */
export const apiTokenActions = {
  create: actionDefinition({
    name: "createApiToken",
    schema: z.object({
      name: z.string().trim().min(1, "Name the token after what will use it, e.g. “Product usage feed”.").max(80, "Use at most 80 characters."),
      scopes: scopesField,
      rootAccountId: z.union([z.literal(""), idField("Pick an account from the list.")]).optional(),
    }),
    authorize: requires("apiTokens.manage"),
    run: (ctx, input) => createApiToken(ctx, { name: input.name, scopes: input.scopes, rootAccountId: input.rootAccountId || null }),
    revalidate: () => ["/admin/api-tokens"],
    message: (data) => `Token “${data.name}” created. Copy it now: it is shown only once.`,
  }),
  revoke: actionDefinition({
    name: "revokeApiToken",
    schema: z.object({ tokenId: idField("Unknown token.") }),
    authorize: requires("apiTokens.manage"),
    run: (ctx, input) => revokeApiToken(ctx, input.tokenId),
    revalidate: () => ["/admin/api-tokens"],
    message: (data) => `Token “${data.name}” revoked: requests with it now get 401.`,
  }),
  // Rate limits (issue 17).
  setRateLimit: actionDefinition({
    name: "setApiTokenRateLimit",
    schema: z.object({
      tokenId: idField("Unknown token."),
      rateLimitPerMinute: z.coerce
        .number({ error: "Enter a whole number of requests a minute." })
        .int("Enter a whole number of requests a minute.")
        .min(1, "Allow at least 1 request a minute (revoke the token to stop it).")
        .max(MAX_RATE_LIMIT, `Use at most ${MAX_RATE_LIMIT.toLocaleString("en")} requests a minute.`),
    }),
    authorize: requires("apiTokens.manage"),
    run: (ctx, input) => setApiTokenRateLimit(ctx, input.tokenId, input.rateLimitPerMinute),
    revalidate: () => ["/admin/api-tokens"],
    message: (data) => `Token “${data.name}” may now make ${data.rateLimitPerMinute.toLocaleString("en")} requests a minute.`,
  }),
};
