import "server-only";
import { and, eq, sql, type SQL } from "drizzle-orm";
import type { Executor } from "@/db/client";
import { assignments, teamMembers, teamScopes, teams, users } from "@/db/schema";

import { may, type Role } from "@/lib/auth/permissions";
export type { Role };

/**
 * Who is asking, with everything needed to decide what they may see. Loaded from the database on
 * every request (the JWT only names the user), so a role or team change applies at once.
 */
export type Viewer = {
  userId: string;
  email: string;
  name: string;
  role: Role;
  teamIds: string[];
  /** Roles with "accounts.seeAll" (admins, leadership) and members of a team scoped to everything. */
  seesAll: boolean;
  seesOpportunities: boolean;
  /** Roots of the subtrees the viewer may see: team subtree scopes and their own assignments. */
  scopeRoots: string[];
  /** Team scopes that match accounts by an attribute value. */
  attributeScopes: { key: string; value: unknown }[];
};

/**
 * What every data-access function receives: where to read and who is reading. `readDb`, when set,
 * is where reads that may lag a few seconds go (a streaming replica: getReadDb() in db/index.ts).
 */
export type Ctx = { db: Executor; viewer: Viewer; readDb?: Executor };

/** For the named lagging reads only (lists, search, usage charts): the replica when there is one. */
export function laggingDb(ctx: Ctx): Executor {
  return ctx.readDb ?? ctx.db;
}

export async function loadViewer(db: Executor, userId: string): Promise<Viewer | null> {
  if (!isUuid(userId)) return null;
  const [userRows, scopeRows, assignedRows] = await Promise.all([
    db.select().from(users).where(eq(users.id, userId)).limit(1),
    db
      .select({
        teamId: teams.id,
        seesOpportunities: teams.seesOpportunities,
        kind: teamScopes.kind,
        rootAccountId: teamScopes.rootAccountId,
        attributeKey: teamScopes.attributeKey,
        attributeValue: teamScopes.attributeValue,
      })
      .from(teamMembers)
      .innerJoin(teams, eq(teams.id, teamMembers.teamId))
      .leftJoin(teamScopes, eq(teamScopes.teamId, teams.id))
      .where(eq(teamMembers.userId, userId)),
    db.selectDistinct({ accountId: assignments.accountId }).from(assignments).where(eq(assignments.userId, userId)),
  ]);
  const user = userRows[0];
  if (!user) return null;
  return viewerFrom(user, scopeRows, assignedRows.map((r) => r.accountId));
}

type ViewerUser = { id: string; email: string; name: string; role: Role; disabledAt: Date | string | null };
type ViewerScope = {
  teamId: string;
  seesOpportunities: boolean;
  kind: "all" | "subtree" | "attribute" | null;
  rootAccountId: string | null;
  attributeKey: string | null;
  attributeValue: unknown;
};

/** A viewer from the user's row, team scopes and assigned accounts (null when disabled). */
function viewerFrom(user: ViewerUser, scopeRows: readonly ViewerScope[], assignedAccountIds: readonly string[]): Viewer | null {
  if (user.disabledAt) return null;
  const roleSeesAll = may(user, "accounts.seeAll");
  const roots = new Set<string>(assignedAccountIds);
  const attributeScopes: Viewer["attributeScopes"] = [];
  let scopeAll = false;
  for (const row of scopeRows) {
    if (row.kind === "all") scopeAll = true;
    if (row.kind === "subtree" && row.rootAccountId) roots.add(row.rootAccountId);
    if (row.kind === "attribute" && row.attributeKey) attributeScopes.push({ key: row.attributeKey, value: row.attributeValue });
  }
  return {
    userId: user.id,
    email: user.email,
    name: user.name,
    role: user.role,
    teamIds: [...new Set(scopeRows.map((r) => r.teamId))],
    seesAll: roleSeesAll || scopeAll,
    seesOpportunities: roleSeesAll || scopeRows.some((r) => r.seesOpportunities),
    scopeRoots: [...roots],
    attributeScopes,
  };
}

/**
 * The viewers of several users in ONE query (for checks over a list of people, e.g. who may be
 * picked on an account), built like loadViewer's. Unknown and disabled users are absent.
 */
export async function loadViewers(db: Executor, userIds: readonly string[]): Promise<Map<string, Viewer>> {
  const ids = [...new Set(userIds)].filter(isUuid);
  const found = new Map<string, Viewer>();
  if (!ids.length) return found;
  const result = await db.execute(sql`
    select u.id, u.email, u.name, u.role, u.disabled_at as "disabledAt",
      coalesce((select json_agg(json_build_object('teamId', t.id, 'seesOpportunities', t.sees_opportunities, 'kind', s.kind,
          'rootAccountId', s.root_account_id, 'attributeKey', s.attribute_key, 'attributeValue', s.attribute_value))
        from team_members m join teams t on t.id = m.team_id left join team_scopes s on s.team_id = t.id
        where m.user_id = u.id), '[]'::json) as scopes,
      coalesce((select json_agg(distinct a.account_id) from assignments a where a.user_id = u.id), '[]'::json) as assigned
    from users u where u.id in (${sql.join(ids.map((id) => sql`${id}::uuid`), sql`, `)})`);
  for (const row of (result as unknown as { rows: (ViewerUser & { scopes: ViewerScope[] | string; assigned: string[] | string })[] }).rows) {
    const parse = <T>(v: T | string): T => (typeof v === "string" ? (JSON.parse(v) as T) : v);
    const viewer = viewerFrom(row, parse(row.scopes), parse(row.assigned));
    if (viewer) found.set(viewer.userId, viewer);
  }
  return found;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
export function isUuid(value: unknown): value is string {
  return typeof value === "string" && UUID.test(value);
}

/**
 * The one visibility rule, as a SQL condition on an account id column and its type id column.
 * Every query that returns accounts (or rows that belong to accounts) ands this in.
 */
export function visibleAccount(viewer: Viewer, accountId: SQL | import("drizzle-orm").Column, typeId: SQL | import("drizzle-orm").Column): SQL {
  const opportunityRule = viewer.seesOpportunities
    ? sql`true`
    : sql`not exists (select 1 from account_types vt where vt.id = ${typeId} and vt.is_opportunity)`;
  if (viewer.seesAll) return opportunityRule;
  const reach: SQL[] = [];
  if (viewer.scopeRoots.length) {
    reach.push(sql`exists (select 1 from account_closure vc where vc.descendant_id = ${accountId}
      and vc.ancestor_id in (${sql.join(viewer.scopeRoots.map((r) => sql`${r}::uuid`), sql`, `)}))`);
  }
  for (const scope of viewer.attributeScopes) {
    reach.push(sql`exists (select 1 from attribute_values vv join attribute_definitions vd on vd.id = vv.attribute_id
      where vv.account_id = ${accountId} and vd.key = ${scope.key} and vv.value = ${JSON.stringify(scope.value)}::jsonb)`);
  }
  if (!reach.length) return sql`false`;
  return and(sql`(${sql.join(reach, sql` or `)})`, opportunityRule)!;
}
