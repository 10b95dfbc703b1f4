import "server-only";
import type { Executor } from "@/db/client";
import { issuePasswordToken, linkBase, setPasswordUrl, type PasswordLinkPurpose } from "@/lib/auth/password-tokens";
import { env } from "@/lib/env";

/**
 * The origin links are made for: PUBLIC_URL or AUTH_URL when set, else the origin the admin is
 * using right now (outside a request, e.g. in tests: http://localhost:3000).
 */
async function currentBase(): Promise<string> {
  let fallback = "http://localhost:3000";
  try {
    const { headers } = await import("next/headers");
    const h = await headers();
    const host = h.get("x-forwarded-host") ?? h.get("host");
    const proto = h.get("x-forwarded-proto") ?? "http";
    if (host) fallback = `${proto.split(",")[0].trim()}://${host}`;
  } catch {
    // not inside a request
  }
  return linkBase(env(), fallback);
}

export type PasswordLink = { url: string; expiresAt: string };

/**
 * A new one-time set-password link for a user, shown to the admin to pass on. Sending it by email
 * is a later issue: this is the seam where a mailer will deliver `url` instead of the admin.
 */
export async function newPasswordLink(db: Executor, userId: string, purpose: PasswordLinkPurpose, createdById: string): Promise<PasswordLink> {
  const { token, expiresAt } = await issuePasswordToken(db, { userId, purpose, createdById });
  return { url: setPasswordUrl(await currentBase(), token), expiresAt: expiresAt.toISOString() };
}
