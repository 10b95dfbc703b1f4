/**
 * One-time set-password links (invitations and resets). The link carries a random 256-bit token;
 * the database keeps only its SHA-256, so reading the table opens nothing. A link works once and
 * for PASSWORD_LINK_HOURS; issuing a new one for a user ends their older unused links.
 *
 * No `server-only` here on purpose: `npm run user:create` (scripts/user-create.ts) runs outside
 * Next and uses this module too. It imports nothing that reads secrets or the session.
 */
import { createHash, randomBytes } from "node:crypto";
import bcrypt from "bcryptjs";
import { and, eq, isNull } from "drizzle-orm";
import { z } from "zod";
import type { Executor } from "@/db/client";
import { auditLog, passwordTokens, users } from "@/db/schema";

export const PASSWORD_LINK_HOURS = 72;
export const PASSWORD_MIN_LENGTH = 10;
export const PASSWORD_MAX_LENGTH = 200;

export type PasswordLinkPurpose = "invite" | "reset";

/** The one rule for a new password (the set-password page, the own-password form, the script). */
export const newPasswordField = z
  .string({ error: `Enter a password of at least ${PASSWORD_MIN_LENGTH} characters.` })
  .min(PASSWORD_MIN_LENGTH, `Use at least ${PASSWORD_MIN_LENGTH} characters.`)
  .max(PASSWORD_MAX_LENGTH, `Use at most ${PASSWORD_MAX_LENGTH} characters.`);

/** bcrypt with cost 10, as lib/auth.ts compares against. */
export function hashPassword(password: string): Promise<string> {
  return bcrypt.hash(password, 10);
}

export function hashToken(token: string): string {
  return createHash("sha256").update(token, "utf8").digest("hex");
}

/** Tokens are base64url of 32 random bytes: 43 characters. Anything else is unknown without a query. */
const TOKEN_SHAPE = /^[A-Za-z0-9_-]{43}$/;

/**
 * A new link for `userId`; their older unused links stop working (marked used now). Run it inside
 * the transaction that creates or changes the user.
 */
export async function issuePasswordToken(
  db: Executor,
  options: { userId: string; purpose: PasswordLinkPurpose; createdById: string | null; now?: Date },
): Promise<{ token: string; expiresAt: Date }> {
  const now = options.now ?? new Date();
  const token = randomBytes(32).toString("base64url");
  const expiresAt = new Date(now.getTime() + PASSWORD_LINK_HOURS * 3600_000);
  await db
    .update(passwordTokens)
    .set({ usedAt: now })
    .where(and(eq(passwordTokens.userId, options.userId), isNull(passwordTokens.usedAt)));
  await db.insert(passwordTokens).values({
    userId: options.userId,
    tokenHash: hashToken(token),
    purpose: options.purpose,
    createdById: options.createdById,
    createdAt: now,
    expiresAt,
  });
  return { token, expiresAt };
}

export type PasswordLinkState =
  | { status: "valid"; tokenId: string; userId: string; email: string; name: string; purpose: PasswordLinkPurpose; expiresAt: Date }
  | { status: "used" | "expired" | "unknown" };

/** What a link is worth now. A disabled user's link is "unknown" (it must not say who exists). */
export async function checkPasswordToken(db: Executor, token: string, now = new Date(), lock = false): Promise<PasswordLinkState> {
  if (!TOKEN_SHAPE.test(token)) return { status: "unknown" };
  const query = db
    .select({
      tokenId: passwordTokens.id,
      userId: users.id,
      email: users.email,
      name: users.name,
      purpose: passwordTokens.purpose,
      expiresAt: passwordTokens.expiresAt,
      usedAt: passwordTokens.usedAt,
      disabledAt: users.disabledAt,
    })
    .from(passwordTokens)
    .innerJoin(users, eq(users.id, passwordTokens.userId))
    .where(eq(passwordTokens.tokenHash, hashToken(token)))
    .limit(1);
  const [row] = lock ? await query.for("update", { of: passwordTokens }) : await query;
  if (!row || row.disabledAt) return { status: "unknown" };
  if (row.usedAt) return { status: "used" };
  if (row.expiresAt.getTime() <= now.getTime()) return { status: "expired" };
  return { status: "valid", tokenId: row.tokenId, userId: row.userId, email: row.email, name: row.name, purpose: row.purpose === "reset" ? "reset" : "invite", expiresAt: row.expiresAt };
}

/**
 * Sets the password behind a valid link and spends the link, in one transaction (the token row is
 * locked, so two submits of one link cannot both succeed). Answers the link's state otherwise.
 */
export async function redeemPasswordToken(
  db: Executor,
  token: string,
  password: string,
  now = new Date(),
): Promise<{ status: "done"; userId: string; email: string } | { status: "used" | "expired" | "unknown" }> {
  const passwordHash = await hashPassword(password);
  return db.transaction(async (tx) => {
    const state = await checkPasswordToken(tx, token, now, true);
    if (state.status !== "valid") return { status: state.status };
    await tx.update(users).set({ passwordHash }).where(eq(users.id, state.userId));
    await tx.update(passwordTokens).set({ usedAt: now }).where(eq(passwordTokens.id, state.tokenId));
    // Any other link still open for this user ends too: a password was just chosen.
    await tx
      .update(passwordTokens)
      .set({ usedAt: now })
      .where(and(eq(passwordTokens.userId, state.userId), isNull(passwordTokens.usedAt)));
    await tx.insert(auditLog).values({
      actorId: state.userId,
      action: "user.set_password",
      targetType: "user",
      targetId: state.userId,
      details: { via: state.purpose === "reset" ? "reset link" : "invitation link" },
    });
    return { status: "done", userId: state.userId, email: state.email };
  });
}

/**
 * The base URL links are made with: PUBLIC_URL, else AUTH_URL's origin, else `fallback` (the
 * request's own origin in the app; http://localhost:3000 for the command line).
 */
export function linkBase(source: { PUBLIC_URL?: string; AUTH_URL?: string }, fallback: string): string {
  if (source.PUBLIC_URL) return source.PUBLIC_URL.replace(/\/+$/, "");
  if (source.AUTH_URL) return new URL(source.AUTH_URL).origin;
  return fallback.replace(/\/+$/, "");
}

export function setPasswordUrl(base: string, token: string): string {
  return `${base}/set-password/${token}`;
}

export type SetPasswordState = { link?: "used" | "expired" | "unknown"; error?: string; fieldErrors?: { password?: string[]; confirm?: string[] } };

const setPasswordForm = z
  .object({ token: z.string().max(100), password: newPasswordField, confirm: z.string({ error: "Type the password again." }).max(PASSWORD_MAX_LENGTH) })
  .refine((form) => form.password === form.confirm, { path: ["confirm"], message: "The two passwords differ. Type the same password twice." });

/** The set-password form's fields, or the state that shows what is wrong with them. */
export function parseSetPassword(formData: FormData): { ok: true; token: string; password: string } | { ok: false; state: SetPasswordState } {
  const parsed = setPasswordForm.safeParse({ token: formData.get("token") ?? "", password: formData.get("password") ?? "", confirm: formData.get("confirm") ?? "" });
  if (parsed.success) return { ok: true, token: parsed.data.token, password: parsed.data.password };
  const fieldErrors = z.flattenError(parsed.error).fieldErrors;
  return { ok: false, state: { error: "Check the highlighted fields.", fieldErrors: { password: fieldErrors.password, confirm: fieldErrors.confirm } } };
}
