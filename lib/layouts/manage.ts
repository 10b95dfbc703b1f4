import "server-only";
import { and, asc, desc, eq, sql } from "drizzle-orm";
import { accountTypes, layouts, layoutVersions, teams, users, type LayoutCriterion, type LayoutDefinition } from "@/db/schema";
import { ActionError } from "@/lib/actions/define";
import type { Ctx } from "@/lib/dal/viewer";
import { loadLayoutCatalog } from "./catalog";
import { defaultLayoutFor } from "./defaults";
import { criteriaProblems, layoutProblems, type LayoutProblem } from "./validate";

/**
 * Writes behind the layout editor. Every function runs inside the action's transaction (`ctx.db`)
 * and is reached only through admin-only actions (app/admin/layouts/actions.ts).
 *
 * Lifecycle of a layout: created as a `draft` (version 0, applies to nobody); editing writes
 * `draft`; publishing validates the draft, appends a version (who, when) and makes it the
 * `definition` profiles render; rolling back publishes a new version equal to an old one.
 * Targeting (team, criteria, priority) is saved at once, after the same checks.
 */

/** Priority of the built-in defaults: they come last unless an admin moves them. */
export const DEFAULT_PRIORITY = 1000;

export type LayoutListRow = {
  id: string;
  name: string;
  accountTypeId: string;
  accountTypeName: string;
  teamId: string | null;
  teamName: string | null;
  criteria: LayoutCriterion[];
  priority: number;
  status: "draft" | "published";
  version: number;
  hasDraft: boolean;
  updatedAt: Date;
  updatedByName: string | null;
};

export async function listLayouts(ctx: Ctx): Promise<LayoutListRow[]> {
  const rows = await ctx.db
    .select({
      id: layouts.id,
      name: layouts.name,
      accountTypeId: layouts.accountTypeId,
      accountTypeName: accountTypes.name,
      teamId: layouts.teamId,
      teamName: teams.name,
      criteria: layouts.criteria,
      priority: layouts.priority,
      status: layouts.status,
      version: layouts.version,
      hasDraft: sql<boolean>`${layouts.draft} is not null`,
      updatedAt: layouts.updatedAt,
      updatedByName: users.name,
    })
    .from(layouts)
    .innerJoin(accountTypes, eq(accountTypes.id, layouts.accountTypeId))
    .leftJoin(teams, eq(teams.id, layouts.teamId))
    .leftJoin(users, eq(users.id, layouts.updatedBy))
    .orderBy(asc(accountTypes.level), asc(accountTypes.name), asc(layouts.priority), asc(layouts.name));
  return rows;
}

export async function getLayout(ctx: Ctx, id: string) {
  const [row] = await ctx.db.select().from(layouts).where(eq(layouts.id, id)).limit(1);
  return row ?? null;
}

/** A row locked for the rest of the transaction, so two publishes cannot pick the same version. */
async function lockLayout(ctx: Ctx, id: string) {
  const [row] = await ctx.db.select().from(layouts).where(eq(layouts.id, id)).for("update").limit(1);
  if (!row) throw new ActionError("That layout no longer exists.");
  return row;
}

export async function layoutVersionsOf(ctx: Ctx, layoutId: string) {
  return ctx.db
    .select({
      version: layoutVersions.version,
      definition: layoutVersions.definition,
      publishedAt: layoutVersions.publishedAt,
      publishedByName: users.name,
    })
    .from(layoutVersions)
    .leftJoin(users, eq(users.id, layoutVersions.publishedBy))
    .where(eq(layoutVersions.layoutId, layoutId))
    .orderBy(desc(layoutVersions.version));
}

/** The definition being edited: the draft, or the published one when there is no draft. */
export function workingDefinition(row: { draft: LayoutDefinition | null; definition: LayoutDefinition }): LayoutDefinition {
  return row.draft ?? row.definition;
}

async function problemsFor(ctx: Ctx, row: { accountTypeId: string; teamId: string | null; criteria: LayoutCriterion[] }, definition: LayoutDefinition): Promise<LayoutProblem[]> {
  const loaded = await loadLayoutCatalog(ctx.db, row.accountTypeId);
  if (!loaded) return [{ path: "accountTypeId", message: "The account type of this layout no longer exists." }];
  return layoutProblems(definition, row.criteria, loaded.catalog, row.teamId);
}

function refuse(problems: LayoutProblem[], what: string): never {
  throw new ActionError(`${what}: ${problems.length === 1 ? "1 problem needs" : `${problems.length} problems need`} fixing. Nothing was published.`, {
    layout: problems.map((p) => p.message),
  });
}

/** Priority that puts a new layout after the type's other specific layouts but before its defaults. */
async function nextPriority(ctx: Ctx, accountTypeId: string): Promise<number> {
  const [row] = await ctx.db
    .select({ max: sql<number | null>`max(${layouts.priority})` })
    .from(layouts)
    .where(and(eq(layouts.accountTypeId, accountTypeId), sql`${layouts.priority} < ${DEFAULT_PRIORITY}`));
  return Math.min((Number(row?.max ?? 0) || 0) + 10, DEFAULT_PRIORITY - 1);
}

export async function createLayout(ctx: Ctx, input: { name: string; accountTypeId: string; teamId: string | null }): Promise<{ id: string }> {
  const [type] = await ctx.db.select().from(accountTypes).where(eq(accountTypes.id, input.accountTypeId)).limit(1);
  if (!type) throw new ActionError("Pick an account type.", { accountTypeId: ["That account type no longer exists."] });
  if (input.teamId) {
    const [team] = await ctx.db.select({ id: teams.id }).from(teams).where(eq(teams.id, input.teamId)).limit(1);
    if (!team) throw new ActionError("Pick a team.", { teamId: ["That team no longer exists."] });
  }
  // A new layout starts from what the type's accounts see today: its published default.
  const [current] = await ctx.db
    .select({ definition: layouts.definition })
    .from(layouts)
    .where(and(eq(layouts.accountTypeId, type.id), eq(layouts.status, "published")))
    .orderBy(desc(layouts.priority))
    .limit(1);
  const definition = current?.definition ?? defaultLayoutFor(type);
  const [row] = await ctx.db
    .insert(layouts)
    .values({
      name: input.name,
      accountTypeId: type.id,
      teamId: input.teamId,
      priority: await nextPriority(ctx, type.id),
      status: "draft",
      version: 0,
      definition,
      draft: definition,
      updatedBy: ctx.viewer.userId,
    })
    .returning({ id: layouts.id });
  return row;
}

export async function duplicateLayout(ctx: Ctx, id: string): Promise<{ id: string; name: string }> {
  const source = await getLayout(ctx, id);
  if (!source) throw new ActionError("That layout no longer exists.");
  const name = `Copy of ${source.name}`.slice(0, 80);
  const working = workingDefinition(source);
  const [row] = await ctx.db
    .insert(layouts)
    .values({
      name,
      accountTypeId: source.accountTypeId,
      teamId: source.teamId,
      criteria: source.criteria,
      priority: await nextPriority(ctx, source.accountTypeId),
      status: "draft",
      version: 0,
      definition: working,
      draft: working,
      updatedBy: ctx.viewer.userId,
    })
    .returning({ id: layouts.id });
  return { id: row.id, name };
}

export async function deleteLayout(ctx: Ctx, id: string): Promise<{ name: string }> {
  const [row] = await ctx.db.delete(layouts).where(eq(layouts.id, id)).returning({ name: layouts.name });
  if (!row) throw new ActionError("That layout no longer exists.");
  return row;
}

export async function saveTargeting(
  ctx: Ctx,
  input: { id: string; name: string; teamId: string | null; priority: number; criteria: LayoutCriterion[] },
): Promise<{ id: string }> {
  const row = await lockLayout(ctx, input.id);
  const loaded = await loadLayoutCatalog(ctx.db, row.accountTypeId);
  if (!loaded) throw new ActionError("The account type of this layout no longer exists.");
  const problems = criteriaProblems(input.criteria, loaded.catalog, input.teamId);
  if (problems.length) {
    throw new ActionError("Check the conditions: nothing was saved.", {
      criteria: problems.filter((p) => p.path.startsWith("criteria")).map((p) => p.message),
      teamId: problems.filter((p) => p.path === "teamId").map((p) => p.message),
    });
  }
  await ctx.db
    .update(layouts)
    .set({ name: input.name, teamId: input.teamId, priority: input.priority, criteria: input.criteria, updatedBy: ctx.viewer.userId, updatedAt: new Date() })
    .where(eq(layouts.id, row.id));
  return { id: row.id };
}

/**
 * Moves a layout one place earlier or later among its account type's layouts (first match wins,
 * so earlier means "tried first"), renumbering the type's priorities 10, 20, 30...
 */
export async function moveLayout(ctx: Ctx, id: string, direction: "up" | "down"): Promise<{ moved: boolean }> {
  const row = await getLayout(ctx, id);
  if (!row) throw new ActionError("That layout no longer exists.");
  const siblings = await ctx.db
    .select({ id: layouts.id })
    .from(layouts)
    .where(eq(layouts.accountTypeId, row.accountTypeId))
    .orderBy(asc(layouts.priority), asc(layouts.name))
    .for("update");
  const from = siblings.findIndex((s) => s.id === id);
  const to = direction === "up" ? from - 1 : from + 1;
  if (to < 0 || to >= siblings.length) return { moved: false };
  [siblings[from], siblings[to]] = [siblings[to], siblings[from]];
  for (const [i, s] of siblings.entries()) {
    await ctx.db.update(layouts).set({ priority: (i + 1) * 10 }).where(eq(layouts.id, s.id));
  }
  return { moved: true };
}

/** Saves the draft (shape already checked by the action) and returns what would block publishing. */
export async function saveDraft(ctx: Ctx, id: string, definition: LayoutDefinition): Promise<{ problems: LayoutProblem[] }> {
  const row = await lockLayout(ctx, id);
  await ctx.db.update(layouts).set({ draft: definition, updatedBy: ctx.viewer.userId, updatedAt: new Date() }).where(eq(layouts.id, row.id));
  return { problems: await problemsFor(ctx, row, definition) };
}

export async function discardDraft(ctx: Ctx, id: string): Promise<{ id: string }> {
  const row = await lockLayout(ctx, id);
  if (row.status === "draft") throw new ActionError("This layout was never published: there is nothing to go back to. Delete it instead.");
  await ctx.db.update(layouts).set({ draft: null, updatedAt: new Date() }).where(eq(layouts.id, row.id));
  return { id: row.id };
}

async function publishDefinition(ctx: Ctx, row: Awaited<ReturnType<typeof lockLayout>>, definition: LayoutDefinition): Promise<{ version: number }> {
  const [latest] = await ctx.db
    .select({ max: sql<number | null>`max(${layoutVersions.version})` })
    .from(layoutVersions)
    .where(eq(layoutVersions.layoutId, row.id));
  const version = Math.max(Number(latest?.max ?? 0) || 0, row.version) + 1;
  const now = new Date();
  await ctx.db.insert(layoutVersions).values({ layoutId: row.id, version, definition, publishedBy: ctx.viewer.userId, publishedAt: now });
  await ctx.db
    .update(layouts)
    .set({ definition, draft: null, status: "published", version, updatedBy: ctx.viewer.userId, updatedAt: now })
    .where(eq(layouts.id, row.id));
  return { version };
}

/** Publishes the draft as a new version, or refuses with every problem and publishes nothing. */
export async function publishLayout(ctx: Ctx, id: string): Promise<{ version: number }> {
  const row = await lockLayout(ctx, id);
  if (!row.draft && row.status === "published") throw new ActionError("There are no unpublished changes.");
  const definition = workingDefinition(row);
  const problems = await problemsFor(ctx, row, definition);
  if (problems.length) refuse(problems, "This layout cannot be published");
  return publishDefinition(ctx, row, definition);
}

/** Publishes a new version equal to an old one (the draft, if any, is dropped). */
export async function rollbackLayout(ctx: Ctx, id: string, toVersion: number): Promise<{ version: number; from: number }> {
  const row = await lockLayout(ctx, id);
  const [old] = await ctx.db
    .select({ definition: layoutVersions.definition })
    .from(layoutVersions)
    .where(and(eq(layoutVersions.layoutId, row.id), eq(layoutVersions.version, toVersion)))
    .limit(1);
  if (!old) throw new ActionError(`There is no version ${toVersion} of this layout.`);
  const problems = await problemsFor(ctx, row, old.definition);
  if (problems.length) refuse(problems, `Version ${toVersion} cannot be published again`);
  const { version } = await publishDefinition(ctx, row, old.definition);
  return { version, from: toVersion };
}
