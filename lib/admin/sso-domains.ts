import "server-only";
import { asc, eq } from "drizzle-orm";
import { z } from "zod";
import { ssoDomainRules, teams } from "@/db/schema";
import { ActionError } from "@/lib/actions/define";
import { actionDefinition } from "@/lib/actions/definition";
import { idField } from "@/lib/actions/fields";
import { may, requires, type Role } from "@/lib/auth/permissions";
import type { Ctx } from "@/lib/dal/viewer";
import { recordAudit } from "./audit";

export type SsoDomainRule = { id: string; domain: string; role: Role; teamId: string | null; teamName: string | null };

/**
 * Where first-time single sign-on users land, by their email's domain (lib/auth-sso.ts reads it
 * when it creates the user). Admins only; everyone else gets nothing.
 */
export async function listSsoDomainRules(ctx: Ctx): Promise<SsoDomainRule[]> {
  if (!may(ctx.viewer, "users.manage")) return [];
  return ctx.db
    .select({ id: ssoDomainRules.id, domain: ssoDomainRules.domain, role: ssoDomainRules.role, teamId: ssoDomainRules.teamId, teamName: teams.name })
    .from(ssoDomainRules)
    .leftJoin(teams, eq(teams.id, ssoDomainRules.teamId))
    .orderBy(asc(ssoDomainRules.domain));
}

const DOMAIN = /^(?=.{3,253}$)([a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/;

export const saveSsoDomainRuleInput = z.object({
  domain: z
    .string({ error: "Enter a domain such as example.com." })
    .trim()
    .toLowerCase()
    .transform((d) => d.replace(/^@/, ""))
    .pipe(z.string().regex(DOMAIN, "Enter a domain such as example.com (without @ or https://).")),
  role: z.enum(["admin", "member", "leadership", "viewer"], { error: "Pick a role from the list." }),
  teamId: z.preprocess((v) => (v === "" || v === undefined || v === null ? null : v), z.guid("Pick a team from the list.").nullable()),
});

/** Adds the rule for a domain, or replaces the one that exists. */
export const saveSsoDomainRule = actionDefinition({
  name: "saveSsoDomainRule",
  schema: saveSsoDomainRuleInput,
  authorize: requires("users.manage"),
  async run(ctx, input) {
    if (input.teamId) {
      const [team] = await ctx.db.select({ id: teams.id }).from(teams).where(eq(teams.id, input.teamId)).limit(1);
      if (!team) throw new ActionError("Check the highlighted fields.", { teamId: ["This team no longer exists. Reload the page."] });
    }
    const [before] = await ctx.db.select().from(ssoDomainRules).where(eq(ssoDomainRules.domain, input.domain)).for("update").limit(1);
    const [rule] = await ctx.db
      .insert(ssoDomainRules)
      .values({ domain: input.domain, role: input.role, teamId: input.teamId })
      .onConflictDoUpdate({ target: ssoDomainRules.domain, set: { role: input.role, teamId: input.teamId } })
      .returning({ id: ssoDomainRules.id });
    await recordAudit(ctx.db, ctx.viewer, {
      action: "sso_domain.save",
      targetType: "sso_domain_rule",
      targetId: rule.id,
      before: before ? { domain: before.domain, role: before.role, teamId: before.teamId } : undefined,
      after: { domain: input.domain, role: input.role, teamId: input.teamId },
    });
    return { id: rule.id, domain: input.domain };
  },
  revalidate: () => ["/admin/users"],
  message: (data) => `New single sign-on users from ${data.domain} get this role and team.`,
});

export const deleteSsoDomainRule = actionDefinition({
  name: "deleteSsoDomainRule",
  schema: z.object({ ruleId: idField("Unknown rule.") }),
  authorize: requires("users.manage"),
  async run(ctx, input) {
    const [rule] = await ctx.db.delete(ssoDomainRules).where(eq(ssoDomainRules.id, input.ruleId)).returning();
    if (!rule) throw new ActionError("This rule no longer exists. Reload the page.");
    await recordAudit(ctx.db, ctx.viewer, { action: "sso_domain.delete", targetType: "sso_domain_rule", targetId: rule.id, before: { domain: rule.domain, role: rule.role, teamId: rule.teamId } });
    return { domain: rule.domain };
  },
  revalidate: () => ["/admin/users"],
  message: (data) => `Removed the rule for ${data.domain}.`,
});
