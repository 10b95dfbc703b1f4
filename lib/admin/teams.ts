import "server-only";
import { and, asc, count, desc, eq, inArray, isNull, sql } from "drizzle-orm";
import { z } from "zod";
import { accounts, accountTypes, attributeDefinitions, teamMembers, teamScopes, teams } from "@/db/schema";
import { ActionError } from "@/lib/actions/define";
import { actionDefinition } from "@/lib/actions/definition";
import { idField } from "@/lib/actions/fields";
import { may, requires } from "@/lib/auth/permissions";
import type { Ctx } from "@/lib/dal/viewer";
import { recordAudit } from "./audit";

/** One rule of a team's scope, as the admin pages show and the audit log records it. */
export type ScopeRule = { kind: "all" } | { kind: "subtree"; rootAccountId: string; rootName: string } | { kind: "attribute"; key: string; value: unknown };

export type TeamRow = {
  id: string;
  key: string;
  name: string;
  seesOpportunities: boolean;
  isDefault: boolean;
  members: number;
  scope: ScopeRule[];
};

/** Every team with its scope rules and member count (admins only). */
export async function listTeams(ctx: Ctx): Promise<TeamRow[]> {
  if (!may(ctx.viewer, "teams.manage")) return [];
  const [teamRows, scopeRows, memberRows] = await Promise.all([
    ctx.db.select().from(teams).orderBy(asc(teams.name)),
    ctx.db
      .select({ teamId: teamScopes.teamId, kind: teamScopes.kind, rootAccountId: teamScopes.rootAccountId, rootName: accounts.name, key: teamScopes.attributeKey, value: teamScopes.attributeValue })
      .from(teamScopes)
      .leftJoin(accounts, eq(accounts.id, teamScopes.rootAccountId))
      .orderBy(asc(teamScopes.kind), asc(accounts.name), asc(teamScopes.attributeKey)),
    ctx.db.select({ teamId: teamMembers.teamId, n: count() }).from(teamMembers).groupBy(teamMembers.teamId),
  ]);
  const membersOf = new Map(memberRows.map((r) => [r.teamId, Number(r.n)]));
  return teamRows.map((t) => ({
    id: t.id,
    key: t.key,
    name: t.name,
    seesOpportunities: t.seesOpportunities,
    isDefault: t.isDefault,
    members: membersOf.get(t.id) ?? 0,
    scope: scopeRows
      .filter((s) => s.teamId === t.id)
      .map((s): ScopeRule =>
        s.kind === "all"
          ? { kind: "all" }
          : s.kind === "subtree"
            ? { kind: "subtree", rootAccountId: s.rootAccountId!, rootName: s.rootName ?? "?" }
            : { kind: "attribute", key: s.key ?? "?", value: s.value },
      ),
  }));
}

export type ScopeRootOption = { id: string; name: string; depth: number; typeName: string };

/**
 * Accounts an admin may pick as subtree roots: every live account above the lowest levels (the
 * company, regions, lines of business), in hierarchy order. Product and opportunity accounts are
 * left out of the picker: a team scoped to one product is an assignment, not a team.
 */
export async function scopeRootOptions(ctx: Ctx, maxDepth = 2): Promise<ScopeRootOption[]> {
  if (!may(ctx.viewer, "teams.manage")) return [];
  const rows = await ctx.db
    .select({ id: accounts.id, name: accounts.name, depth: accounts.depth, typeName: accountTypes.name, path: accounts.path })
    .from(accounts)
    .innerJoin(accountTypes, eq(accountTypes.id, accounts.typeId))
    .where(and(isNull(accounts.archivedAt), sql`${accounts.depth} <= ${maxDepth}`, eq(accountTypes.isOpportunity, false)));
  // Hierarchy order: by the names along the path, so children follow their parent.
  const nameOf = new Map(rows.map((r) => [r.id, r.name]));
  const sortKey = (r: (typeof rows)[number]) => [...r.path.filter((id) => id !== r.id).map((id) => nameOf.get(id) ?? ""), r.name].join("\u0000");
  return rows.sort((a, b) => sortKey(a).localeCompare(sortKey(b))).map(({ id, name, depth, typeName }) => ({ id, name, depth, typeName }));
}

/** Attribute keys a scope may filter on: non-privileged ones (a filter would reveal the value). */
export async function scopeAttributeKeys(ctx: Ctx): Promise<{ key: string; label: string; dataType: string; options: string[] }[]> {
  if (!may(ctx.viewer, "teams.manage")) return [];
  const rows = await ctx.db
    .selectDistinctOn([attributeDefinitions.key], {
      key: attributeDefinitions.key,
      label: attributeDefinitions.label,
      dataType: attributeDefinitions.dataType,
      options: attributeDefinitions.options,
    })
    .from(attributeDefinitions)
    .where(
      and(
        isNull(attributeDefinitions.deletedAt),
        eq(attributeDefinitions.privileged, false),
        sql`${attributeDefinitions.dataType} in ('select', 'text', 'boolean', 'number')`,
        sql`not exists (select 1 from attribute_definitions p where p.key = ${attributeDefinitions.key} and p.privileged and p.deleted_at is null)`,
      ),
    )
    .orderBy(asc(attributeDefinitions.key));
  return rows.map((r) => ({ ...r, options: r.options ?? [] }));
}

// ---------------------------------------------------------------------------------------------
// Input
// ---------------------------------------------------------------------------------------------

const idList = (message: string) =>
  z.preprocess((value) => (value === undefined || value === null || value === "" ? [] : Array.isArray(value) ? value : [value]), z.array(z.guid(message)).max(200, "Pick at most 200."));

const checkbox = z.preprocess((value) => value === "on" || value === "true" || value === true, z.boolean());

const scopeFields = {
  everything: checkbox,
  rootIds: idList("Pick accounts from the list."),
  /** One filter a line: `key = value`. */
  filters: z.preprocess((value) => (value === undefined || value === null ? "" : value), z.string().max(4000, "Use at most 4,000 characters.")),
  seesOpportunities: checkbox,
};

const teamName = z.string({ error: "Enter a name." }).trim().min(1, "Enter a name.").max(80, "Use at most 80 characters.");

export const createTeamInput = z.object({
  key: z
    .string({ error: "Enter a key." })
    .trim()
    .toLowerCase()
    .regex(/^[a-z][a-z0-9-]{1,39}$/, "Use 2–40 lowercase letters, digits or dashes, starting with a letter."),
  name: teamName,
  ...scopeFields,
});

export const updateTeamInput = z.object({ teamId: idField("Unknown team."), name: teamName, ...scopeFields });
export const deleteTeamInput = z.object({ teamId: idField("Unknown team.") });

type ScopeInput = { everything: boolean; rootIds: string[]; filters: string };

/** Stored form of a scope rule (what team_scopes holds, minus ids). */
type StoredRule = { kind: "all" | "subtree" | "attribute"; rootAccountId: string | null; attributeKey: string | null; attributeValue: unknown };

/**
 * Checks a scope and turns it into rows: every subtree root must be a live account, every filter
 * a known, non-privileged attribute with a value that at least one live account has. A scope that
 * matches nothing is refused with a field error (nothing is saved): it would hide every account.
 */
async function resolveScope(ctx: Ctx, input: ScopeInput): Promise<StoredRule[]> {
  const rules: StoredRule[] = [];
  if (input.everything) rules.push({ kind: "all", rootAccountId: null, attributeKey: null, attributeValue: null });

  const rootIds = [...new Set(input.rootIds)];
  if (rootIds.length) {
    const found = await ctx.db
      .select({ id: accounts.id })
      .from(accounts)
      .where(and(inArray(accounts.id, rootIds), isNull(accounts.archivedAt)));
    if (found.length !== rootIds.length) {
      throw new ActionError("Check the highlighted fields.", { rootIds: ["One of the picked accounts no longer exists. Reload the page and pick again."] });
    }
    for (const id of rootIds) rules.push({ kind: "subtree", rootAccountId: id, attributeKey: null, attributeValue: null });
  }

  const lines = input.filters
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter(Boolean);
  if (lines.length > 50) throw new ActionError("Check the highlighted fields.", { filters: ["Use at most 50 filters."] });
  const problems: string[] = [];
  for (const line of lines) {
    const match = /^([a-z][a-z0-9_]{0,63})\s*=\s*(.{1,200})$/i.exec(line);
    if (!match) {
      problems.push(`“${line.slice(0, 60)}” is not a filter: write attribute = value, e.g. segment = Enterprise.`);
      continue;
    }
    const key = match[1].toLowerCase();
    const raw = match[2].trim();
    const [definition] = await ctx.db
      .select({ dataType: attributeDefinitions.dataType, privileged: attributeDefinitions.privileged })
      .from(attributeDefinitions)
      .where(and(eq(attributeDefinitions.key, key), isNull(attributeDefinitions.deletedAt)))
      // Privileged on any account type: refused (a filter would reveal who has which value).
      .orderBy(desc(attributeDefinitions.privileged))
      .limit(1);
    if (!definition || definition.privileged) {
      problems.push(`There is no attribute “${key}” a scope can filter on.`);
      continue;
    }
    let value: unknown = raw;
    if (definition.dataType === "number" || definition.dataType === "currency") {
      value = Number(raw);
      if (!Number.isFinite(value)) {
        problems.push(`${key} is a number: “${raw.slice(0, 40)}” is not.`);
        continue;
      }
    } else if (definition.dataType === "boolean") {
      if (!/^(true|false|yes|no)$/i.test(raw)) {
        problems.push(`${key} is yes or no: “${raw.slice(0, 40)}” is neither.`);
        continue;
      }
      value = /^(true|yes)$/i.test(raw);
    }
    const { rows } = await ctx.db.execute<{ n: number }>(sql`
      select count(*)::int as n from attribute_values v
      join attribute_definitions d on d.id = v.attribute_id
      join accounts a on a.id = v.account_id
      where d.key = ${key} and v.value = ${JSON.stringify(value)}::jsonb and a.archived_at is null`);
    if (!Number(rows[0]?.n)) {
      problems.push(`No account has ${key} = ${raw.slice(0, 60)}: this filter matches nothing.`);
      continue;
    }
    rules.push({ kind: "attribute", rootAccountId: null, attributeKey: key, attributeValue: value });
  }
  if (problems.length) throw new ActionError("This scope matches no account as written; nothing was saved.", { filters: problems });
  if (!rules.length) {
    throw new ActionError("A scope must match at least one account; nothing was saved.", {
      scope: ["Pick Everything, at least one part of the hierarchy, or an attribute filter."],
    });
  }
  return rules;
}

function describeRules(rules: StoredRule[]): unknown[] {
  return rules.map((r) => (r.kind === "all" ? "all" : r.kind === "subtree" ? { subtree: r.rootAccountId } : { attribute: r.attributeKey, value: r.attributeValue }));
}

async function currentRules(ctx: Ctx, teamId: string): Promise<StoredRule[]> {
  return ctx.db
    .select({ kind: teamScopes.kind, rootAccountId: teamScopes.rootAccountId, attributeKey: teamScopes.attributeKey, attributeValue: teamScopes.attributeValue })
    .from(teamScopes)
    .where(eq(teamScopes.teamId, teamId));
}

export const createTeam = actionDefinition({
  name: "createTeam",
  schema: createTeamInput,
  authorize: requires("teams.manage"),
  async run(ctx, input) {
    const [existing] = await ctx.db.select({ id: teams.id }).from(teams).where(eq(teams.key, input.key)).limit(1);
    if (existing) throw new ActionError("Check the highlighted fields.", { key: ["A team with this key exists already."] });
    const rules = await resolveScope(ctx, input);
    const [team] = await ctx.db.insert(teams).values({ key: input.key, name: input.name, seesOpportunities: input.seesOpportunities }).returning({ id: teams.id });
    await ctx.db.insert(teamScopes).values(rules.map((r) => ({ ...r, teamId: team.id })));
    await recordAudit(ctx.db, ctx.viewer, {
      action: "team.create",
      targetType: "team",
      targetId: team.id,
      after: { key: input.key, name: input.name, seesOpportunities: input.seesOpportunities, scope: describeRules(rules) },
    });
    return { id: team.id, name: input.name };
  },
  revalidate: () => ["/admin/teams"],
  message: (data) => `Team ${data.name} created.`,
});

export const updateTeam = actionDefinition({
  name: "updateTeam",
  schema: updateTeamInput,
  authorize: requires("teams.manage"),
  async run(ctx, input) {
    const [team] = await ctx.db.select().from(teams).where(eq(teams.id, input.teamId)).for("update").limit(1);
    if (!team) throw new ActionError("This team no longer exists. Reload the page.");
    const before = await currentRules(ctx, team.id);
    const rules = await resolveScope(ctx, input);
    await ctx.db.update(teams).set({ name: input.name, seesOpportunities: input.seesOpportunities }).where(eq(teams.id, team.id));
    await ctx.db.delete(teamScopes).where(eq(teamScopes.teamId, team.id));
    await ctx.db.insert(teamScopes).values(rules.map((r) => ({ ...r, teamId: team.id })));
    await recordAudit(ctx.db, ctx.viewer, {
      action: "team.update",
      targetType: "team",
      targetId: team.id,
      before: { name: team.name, seesOpportunities: team.seesOpportunities, scope: describeRules(before) },
      after: { name: input.name, seesOpportunities: input.seesOpportunities, scope: describeRules(rules) },
    });
    return { id: team.id, name: input.name };
  },
  revalidate: () => ["/admin/teams"],
  message: (data) => `Team ${data.name} saved.`,
});

export const deleteTeam = actionDefinition({
  name: "deleteTeam",
  schema: deleteTeamInput,
  authorize: requires("teams.manage"),
  async run(ctx, input) {
    const [team] = await ctx.db.select().from(teams).where(eq(teams.id, input.teamId)).for("update").limit(1);
    if (!team) throw new ActionError("This team no longer exists. Reload the page.");
    // One after another: a transaction has one connection.
    const members = await ctx.db.select({ userId: teamMembers.userId }).from(teamMembers).where(eq(teamMembers.teamId, team.id));
    const rules = await currentRules(ctx, team.id);
    await ctx.db.delete(teams).where(eq(teams.id, team.id));
    await recordAudit(ctx.db, ctx.viewer, {
      action: "team.delete",
      targetType: "team",
      targetId: team.id,
      before: { key: team.key, name: team.name, seesOpportunities: team.seesOpportunities, scope: describeRules(rules), members: members.map((m) => m.userId) },
    });
    return { id: team.id, name: team.name };
  },
  revalidate: () => ["/admin/teams", "/admin/users"],
  message: (data) => `Team ${data.name} deleted.`,
});
