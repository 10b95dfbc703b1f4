import "server-only";
import { and, eq, isNull, sql } from "drizzle-orm";
import { assignmentHistory, assignmentRoles, assignments, users } from "@/db/schema";
import { ActionError } from "@/lib/actions/define";
import { recordTimeline } from "@/lib/activity/timeline";
import { recordAudit } from "@/lib/admin/audit";
import type { Ctx } from "@/lib/dal/viewer";
import { notifyAssigned } from "@/lib/notifications/activity";

/*
 * Assigning people to accounts: the one writer behind the profile's Assignment widget, the bulk
 * bar of the accounts list, POST /api/v1/assignments and the CSV import. Each change, in the
 * caller's transaction: the current row in `assignments`, its line in `assignment_history` (opened
 * or closed, with who and when), a timeline entry on the account and an audit row. The account's
 * visibility is the caller's check (findAccount, or the ingest resolver); the person must be an
 * active user and the role an admin-defined assignment role.
 * Working levels, My portfolio and privileged reads follow at once: loadViewer reads assignments
 * on every request.
 */

export type AssignmentChange = { accountId: string; userId: string; role: string };
export type AssignmentSource = "app" | "api" | "import";

type Person = { id: string; name: string };

/** The active user, or null. */
export async function activeUser(ctx: Ctx, userId: string): Promise<Person | null> {
  const [row] = await ctx.db
    .select({ id: users.id, name: users.name })
    .from(users)
    .where(and(eq(users.id, userId), isNull(users.disabledAt)))
    .limit(1);
  return row ?? null;
}

/** The role's exact name (matched without regard to case), or null when no such role exists. */
export async function resolveRoleName(ctx: Ctx, name: string): Promise<string | null> {
  const [row] = await ctx.db
    .select({ name: assignmentRoles.name })
    .from(assignmentRoles)
    .where(sql`lower(${assignmentRoles.name}) = lower(${name.trim()})`)
    .limit(1);
  return row?.name ?? null;
}

async function accountName(ctx: Ctx, accountId: string): Promise<string> {
  const { rows } = await ctx.db.execute<{ name: string }>(sql`select name from accounts where id = ${accountId}`);
  return rows[0]?.name ?? "";
}

/**
 * Assigns `person` to the account with `role` (already checked: visible account, active user,
 * existing role). Returns false when they already held that role there (nothing is written).
 */
export async function writeAssignment(ctx: Ctx, change: AssignmentChange, person: Person, source: AssignmentSource): Promise<boolean> {
  const now = new Date();
  const inserted = await ctx.db
    .insert(assignments)
    .values({ accountId: change.accountId, userId: change.userId, role: change.role, assignedAt: now })
    .onConflictDoNothing()
    .returning({ userId: assignments.userId });
  if (!inserted.length) return false;
  await ctx.db.insert(assignmentHistory).values({
    accountId: change.accountId,
    userId: change.userId,
    role: change.role,
    assignedAt: now,
    assignedBy: ctx.viewer.userId,
  });
  await recordTimeline(ctx.db, [
    {
      accountId: change.accountId,
      kind: "assignment",
      refId: change.userId,
      actorId: ctx.viewer.userId,
      title: `${person.name} assigned as ${change.role}`,
      snapshot: { change: "assigned", userId: person.id, userName: person.name, role: change.role, source },
      occurredAt: now,
    },
  ]);
  await recordAudit(ctx.db, ctx.viewer, {
    action: "assignment.add",
    targetType: "account",
    targetId: change.accountId,
    details: { accountName: await accountName(ctx, change.accountId), userId: person.id, userName: person.name, role: change.role, source },
  });
  await notifyAssigned(ctx, { accountId: change.accountId, userId: person.id, role: change.role });
  return true;
}

/** Ends the assignment (checked: visible account). Refused when there is no such assignment. */
export async function removeAssignment(ctx: Ctx, change: AssignmentChange, source: AssignmentSource): Promise<void> {
  const deleted = await ctx.db
    .delete(assignments)
    .where(and(eq(assignments.accountId, change.accountId), eq(assignments.userId, change.userId), eq(assignments.role, change.role)))
    .returning({ userId: assignments.userId });
  if (!deleted.length) throw new ActionError("That person no longer holds this role here: the page was out of date. Reload it.");
  const now = new Date();
  await ctx.db
    .update(assignmentHistory)
    .set({ unassignedAt: now, unassignedBy: ctx.viewer.userId })
    .where(
      and(
        eq(assignmentHistory.accountId, change.accountId),
        eq(assignmentHistory.userId, change.userId),
        eq(assignmentHistory.role, change.role),
        isNull(assignmentHistory.unassignedAt),
      ),
    );
  const [person] = await ctx.db.select({ name: users.name }).from(users).where(eq(users.id, change.userId));
  const name = person?.name ?? "A former user";
  await recordTimeline(ctx.db, [
    {
      accountId: change.accountId,
      kind: "assignment",
      refId: change.userId,
      actorId: ctx.viewer.userId,
      title: `${name} unassigned as ${change.role}`,
      snapshot: { change: "unassigned", userId: change.userId, userName: name, role: change.role, source },
      occurredAt: now,
    },
  ]);
  await recordAudit(ctx.db, ctx.viewer, {
    action: "assignment.remove",
    targetType: "account",
    targetId: change.accountId,
    details: { accountName: await accountName(ctx, change.accountId), userId: change.userId, userName: name, role: change.role, source },
  });
}

export type AssignmentAt = { userId: string; userName: string; role: string; assignedAt: Date; unassignedAt: Date | null };

/** Who was assigned to the account at `at` (from the history), for showing a profile as it stood then. */
export async function assignmentsAt(ctx: Ctx, accountId: string, at: Date): Promise<AssignmentAt[]> {
  const { rows } = await ctx.db.execute<{ user_id: string; name: string; role: string; assigned_at: string | Date; unassigned_at: string | Date | null }>(sql`
    select h.user_id, u.name, h.role, h.assigned_at, h.unassigned_at
    from assignment_history h join users u on u.id = h.user_id
    where h.account_id = ${accountId} and h.assigned_at <= ${at.toISOString()}::timestamptz
      and (h.unassigned_at is null or h.unassigned_at > ${at.toISOString()}::timestamptz)
    order by u.name, h.role`);
  return rows.map((r) => ({
    userId: r.user_id,
    userName: r.name,
    role: r.role,
    assignedAt: new Date(r.assigned_at),
    unassignedAt: r.unassigned_at === null ? null : new Date(r.unassigned_at),
  }));
}
