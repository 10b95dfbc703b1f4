import "server-only";
import { and, asc, eq, inArray, sql } from "drizzle-orm";
import { layouts, teams, type LayoutCriterion, type LayoutDefinition } from "@/db/schema";
import type { AccountSummary } from "@/lib/dal/accounts";
import type { Ctx } from "@/lib/dal/viewer";
import { describeCriterion } from "./describe";

export type ChosenLayout = {
  id: string;
  name: string;
  version: number;
  definition: LayoutDefinition;
  /** Why this layout applies, for the "why this layout" note admins see. */
  reason: string;
  /** Layouts tried first that did not match, and why not (first match wins). */
  skipped: { id: string; name: string; why: string }[];
};

/**
 * Picks the layout for an account as seen by a viewer: published layouts of the account's type, in
 * ascending priority; a layout for a team applies only to that team's members; every criterion must
 * match; first match wins.
 */
export async function chooseLayout(ctx: Ctx, account: AccountSummary): Promise<ChosenLayout | null> {
  const candidates = await ctx.db
    .select()
    .from(layouts)
    .where(and(eq(layouts.accountTypeId, account.typeId), eq(layouts.status, "published")))
    .orderBy(asc(layouts.priority), asc(layouts.name));
  const facts = await accountFacts(ctx, account, candidates.flatMap((c) => c.criteria));
  const teamNames = await teamNamesOf(ctx, candidates);
  const skipped: ChosenLayout["skipped"] = [];
  for (const layout of candidates) {
    if (layout.teamId && !ctx.viewer.teamIds.includes(layout.teamId)) {
      skipped.push({ id: layout.id, name: layout.name, why: `for team ${teamNames.get(layout.teamId) ?? "(deleted)"} only` });
      continue;
    }
    const failed = layout.criteria.find((c) => !matches(c, facts, ctx.viewer.teamIds));
    if (failed) {
      skipped.push({ id: layout.id, name: layout.name, why: `needs ${describeCriterion(failed, teamNames)}` });
      continue;
    }
    const why = [
      `account type ${account.typeName}`,
      layout.teamId ? `team ${teamNames.get(layout.teamId) ?? ""}`.trim() : null,
      ...layout.criteria.map((c) => describeCriterion(c, teamNames)),
    ].filter(Boolean);
    return {
      id: layout.id,
      name: layout.name,
      version: layout.version,
      definition: layout.definition,
      reason: `Matches ${why.join(", ")}`,
      skipped,
    };
  }
  return null;
}

async function teamNamesOf(ctx: Ctx, candidates: { teamId: string | null; criteria: LayoutCriterion[] }[]): Promise<Map<string, string>> {
  const ids = new Set<string>();
  for (const c of candidates) {
    if (c.teamId) ids.add(c.teamId);
    for (const criterion of c.criteria) if (criterion.kind === "team") ids.add(criterion.teamId);
  }
  if (!ids.size) return new Map();
  const rows = await ctx.db.select({ id: teams.id, name: teams.name }).from(teams).where(inArray(teams.id, [...ids]));
  return new Map(rows.map((r) => [r.id, r.name]));
}

type Facts = { stages: Map<string, string>; attributes: Map<string, unknown> };

async function accountFacts(ctx: Ctx, account: AccountSummary, criteria: LayoutCriterion[]): Promise<Facts> {
  const facts: Facts = { stages: new Map(), attributes: new Map() };
  if (criteria.some((c) => c.kind === "stage")) {
    const rows = await ctx.db.execute<{ lifecycle: string; stage: string }>(sql`
      select l.key as lifecycle, s.key as stage from account_stages x
      join lifecycles l on l.id = x.lifecycle_id join lifecycle_stages s on s.id = x.stage_id
      where x.account_id = ${account.id}`);
    for (const r of rows.rows) facts.stages.set(r.lifecycle, r.stage);
  }
  if (criteria.some((c) => c.kind === "attribute")) {
    const rows = await ctx.db.execute<{ key: string; value: unknown }>(sql`
      select d.key, v.value from attribute_values v join attribute_definitions d on d.id = v.attribute_id
      where v.account_id = ${account.id}`);
    for (const r of rows.rows) facts.attributes.set(r.key, r.value);
  }
  return facts;
}

function matches(c: LayoutCriterion, facts: Facts, teamIds: string[]): boolean {
  switch (c.kind) {
    case "stage":
      return facts.stages.get(c.lifecycleKey) === c.stageKey;
    case "attribute":
      return JSON.stringify(facts.attributes.get(c.attributeKey)) === JSON.stringify(c.equals);
    case "team":
      return teamIds.includes(c.teamId);
  }
}
