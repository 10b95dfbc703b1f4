import "server-only";
import { asc, eq, sql } from "drizzle-orm";
import { z } from "zod";
import { assignmentRoles, assignments } from "@/db/schema";
import { ActionError } from "@/lib/actions/define";
import { actionDefinition } from "@/lib/actions/definition";
import { idField, textField } from "@/lib/actions/fields";
import { recordAudit } from "@/lib/admin/audit";
import { requires } from "@/lib/auth/permissions";
import type { Ctx } from "@/lib/dal/viewer";

/*
 * Assignment roles (CSM, AE, SE, Support manager, Executive sponsor…), defined by admins. Each says
 * whether being assigned with it grants the account's privileged attributes (canSeePrivileged in
 * lib/dal/accounts.ts reads the flag). Assignments name their role by name; a rename cascades.
 */

export type AssignmentRole = { id: string; name: string; grantsPrivileged: boolean; position: number; inUse: number };

/** Every role in display order, with how many current assignments use it. Anyone signed in may read them. */
export async function listAssignmentRoles(ctx: Ctx): Promise<AssignmentRole[]> {
  const rows = await ctx.db
    .select({
      id: assignmentRoles.id,
      name: assignmentRoles.name,
      grantsPrivileged: assignmentRoles.grantsPrivileged,
      position: assignmentRoles.position,
      inUse: sql<number>`(select count(*)::int from assignments a where a.role = ${assignmentRoles.name})`,
    })
    .from(assignmentRoles)
    .orderBy(asc(assignmentRoles.position), asc(assignmentRoles.name));
  return rows.map((r) => ({ ...r, inUse: Number(r.inUse) }));
}

const checkbox = z.preprocess((v) => v === "on" || v === "true" || v === true, z.boolean());

async function nameTaken(ctx: Ctx, name: string, exceptId?: string): Promise<boolean> {
  const { rows } = await ctx.db.execute<{ id: string }>(sql`select id from assignment_roles where lower(name) = lower(${name})`);
  return rows.some((r) => r.id !== exceptId);
}

export const createAssignmentRole = actionDefinition({
  name: "createAssignmentRole",
  schema: z.object({ name: textField("a name", 100), grantsPrivileged: checkbox }),
  authorize: requires("assignmentRoles.manage"),
  async run(ctx, input) {
    if (await nameTaken(ctx, input.name)) throw new ActionError("Check the highlighted fields.", { name: [`A role named “${input.name}” already exists.`] });
    const [{ max }] = await ctx.db.select({ max: sql<number>`coalesce(max(${assignmentRoles.position}), 0)::int` }).from(assignmentRoles);
    const [role] = await ctx.db
      .insert(assignmentRoles)
      .values({ name: input.name, grantsPrivileged: input.grantsPrivileged, position: Number(max) + 1 })
      .returning({ id: assignmentRoles.id, name: assignmentRoles.name });
    await recordAudit(ctx.db, ctx.viewer, { action: "assignmentRole.create", targetType: "assignment_role", targetId: role.id, after: input });
    return role;
  },
  revalidate: () => ["/admin/assignment-roles"],
  message: (data) => `Role “${data.name}” added.`,
});

export const updateAssignmentRole = actionDefinition({
  name: "updateAssignmentRole",
  schema: z.object({ id: idField("Unknown role."), name: textField("a name", 100), grantsPrivileged: checkbox }),
  authorize: requires("assignmentRoles.manage"),
  async run(ctx, input) {
    const [before] = await ctx.db.select().from(assignmentRoles).where(eq(assignmentRoles.id, input.id));
    if (!before) throw new ActionError("That role no longer exists.");
    if (await nameTaken(ctx, input.name, input.id)) throw new ActionError("Check the highlighted fields.", { name: [`A role named “${input.name}” already exists.`] });
    // Assignments follow a rename through the foreign key's ON UPDATE CASCADE.
    await ctx.db.update(assignmentRoles).set({ name: input.name, grantsPrivileged: input.grantsPrivileged }).where(eq(assignmentRoles.id, input.id));
    if (before.name !== input.name) {
      await ctx.db.execute(sql`update assignment_history set role = ${input.name} where role = ${before.name}`);
    }
    await recordAudit(ctx.db, ctx.viewer, {
      action: "assignmentRole.update",
      targetType: "assignment_role",
      targetId: input.id,
      before: { name: before.name, grantsPrivileged: before.grantsPrivileged },
      after: { name: input.name, grantsPrivileged: input.grantsPrivileged },
    });
    return { name: input.name };
  },
  revalidate: () => ["/admin/assignment-roles"],
  message: (data) => `Role “${data.name}” saved.`,
});

export const deleteAssignmentRole = actionDefinition({
  name: "deleteAssignmentRole",
  schema: z.object({ id: idField("Unknown role.") }),
  authorize: requires("assignmentRoles.manage"),
  async run(ctx, input) {
    const [role] = await ctx.db.select().from(assignmentRoles).where(eq(assignmentRoles.id, input.id));
    if (!role) throw new ActionError("That role no longer exists.");
    const [{ n }] = await ctx.db.select({ n: sql<number>`count(*)::int` }).from(assignments).where(eq(assignments.role, role.name));
    if (Number(n) > 0) {
      throw new ActionError(`“${role.name}” is held in ${n} assignment${Number(n) === 1 ? "" : "s"}: unassign ${Number(n) === 1 ? "it" : "them"} first, or rename the role.`);
    }
    await ctx.db.delete(assignmentRoles).where(eq(assignmentRoles.id, input.id));
    await recordAudit(ctx.db, ctx.viewer, { action: "assignmentRole.delete", targetType: "assignment_role", targetId: role.id, before: { name: role.name } });
    return { name: role.name };
  },
  revalidate: () => ["/admin/assignment-roles"],
  message: (data) => `Role “${data.name}” deleted.`,
});
