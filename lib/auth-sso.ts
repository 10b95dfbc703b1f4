import "server-only";
import { eq, sql } from "drizzle-orm";
import type { Provider } from "next-auth/providers";
import { getDb } from "@/db";
import { ssoDomainRules, teamMembers, teams, users } from "@/db/schema";
import { recordAudit } from "@/lib/admin/audit";
import { env } from "@/lib/env";

/** The provider id: callback URL /api/auth/callback/oidc (register it at the identity provider). */
export const SSO_PROVIDER_ID = "oidc";

/** The single sign-on button's label, or null when single sign-on is not configured. */
export function ssoName(): string | null {
  return env().oidc?.name ?? null;
}

/** The OpenID Connect provider from OIDC_* variables (none when they are unset). */
export function ssoProviders(): Provider[] {
  const oidc = env().oidc;
  if (!oidc) return [];
  return [
    {
      id: SSO_PROVIDER_ID,
      name: oidc.name,
      type: "oidc",
      issuer: oidc.issuer,
      clientId: oidc.clientId,
      clientSecret: oidc.clientSecret,
      checks: ["pkce", "state", "nonce"],
      authorization: { params: { scope: "openid email profile" } },
    },
  ];
}

export type SsoOutcome = { ok: true; userId: string; name: string; email: string } | { ok: false; error: "sso_email" | "sso_disabled" };

/**
 * The user behind a single sign-on: matched by email (case-insensitive). Someone signing in for
 * the first time gets the role and team of the admins' rule for their email's domain
 * (sso_domain_rules, set in /admin/users); without a rule they become a member of the default team
 * (OIDC_DEFAULT_TEAM, else the team marked default, else no team: then they see only what they get
 * assigned). An identity provider that
 * says the email is unverified, or a disabled user, is refused.
 */
export async function resolveSsoUser(profile: { email?: unknown; email_verified?: unknown; name?: unknown; preferred_username?: unknown }): Promise<SsoOutcome> {
  const email = typeof profile.email === "string" ? profile.email.trim().toLowerCase() : "";
  if (!email || email.length > 320 || !email.includes("@") || profile.email_verified === false) return { ok: false, error: "sso_email" };
  const db = await getDb();
  const find = async () =>
    (await db.select({ id: users.id, name: users.name, email: users.email, disabledAt: users.disabledAt }).from(users).where(eq(sql`lower(${users.email})`, email)).limit(1))[0];
  let user = await find();
  if (!user) {
    const name = (typeof profile.name === "string" && profile.name.trim()) || (typeof profile.preferred_username === "string" && profile.preferred_username.trim()) || email.split("@")[0];
    const oidc = env().oidc!;
    await db.transaction(async (tx) => {
      // An admin's rule for the email's domain decides role and team (/admin/users); else member.
      const [rule] = await tx.select().from(ssoDomainRules).where(eq(ssoDomainRules.domain, email.slice(email.lastIndexOf("@") + 1))).limit(1);
      const role = rule?.role ?? "member";
      const [created] = await tx
        .insert(users)
        .values({ email, name: name.slice(0, 120), role, passwordHash: null })
        .onConflictDoNothing()
        .returning({ id: users.id });
      if (!created) return; // signed in twice at once: the other request created the user
      const [team] = rule?.teamId
        ? await tx.select({ id: teams.id, key: teams.key }).from(teams).where(eq(teams.id, rule.teamId)).limit(1)
        : oidc.defaultTeam
          ? await tx.select({ id: teams.id, key: teams.key }).from(teams).where(eq(teams.key, oidc.defaultTeam)).limit(1)
          : await tx.select({ id: teams.id, key: teams.key }).from(teams).where(eq(teams.isDefault, true)).limit(1);
      if (team) await tx.insert(teamMembers).values({ teamId: team.id, userId: created.id });
      else if (oidc.defaultTeam) console.warn(`[sso] OIDC_DEFAULT_TEAM "${oidc.defaultTeam}" is not a team key: ${email} joined no team`);
      await recordAudit(tx, null, {
        action: "user.create",
        targetType: "user",
        targetId: created.id,
        details: { via: "single sign-on", issuer: oidc.issuer, rule: rule?.domain ?? null },
        after: { email, name, role, teams: team ? [team.key] : [] },
      });
    });
    user = await find();
  }
  if (!user || user.disabledAt) return { ok: false, error: "sso_disabled" };
  return { ok: true, userId: user.id, name: user.name, email: user.email };
}

/** What the sign-in page says for an `error` in its query (ours and next-auth's). */
export function signInErrorMessage(code: string | undefined): string | null {
  if (!code) return null;
  switch (code) {
    case "sso_email":
      return "Your identity provider did not give a verified email address, so we cannot match you to a user.";
    case "sso_disabled":
      return "Your user is disabled. Ask an admin to enable it.";
    case "CredentialsSignin":
      return null; // the password form answers for itself
    case "AccessDenied":
      return "Sign-in was refused.";
    default:
      return "Single sign-on did not complete. Try again, or ask an admin to check the configuration.";
  }
}
