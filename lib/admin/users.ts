import "server-only";
import { and, asc, eq, inArray, isNull, ne, sql } from "drizzle-orm";
import { z } from "zod";
import { teamMembers, teams, users } from "@/db/schema";
import { ActionError } from "@/lib/actions/define";
import { actionDefinition } from "@/lib/actions/definition";
import { idField } from "@/lib/actions/fields";
import { may, requires, rolesWith } from "@/lib/auth/permissions";
import type { Ctx, Role } from "@/lib/dal/viewer";
import { PASSWORD_LINK_HOURS } from "@/lib/auth/password-tokens";
import { recordAudit } from "./audit";
import { newPasswordLink } from "./password-links";

export const ROLES = ["admin", "member", "leadership", "viewer"] as const satisfies readonly Role[];

export const ROLE_DESCRIPTIONS: Record<Role, string> = {
  admin: "Sees and changes everything, including these settings.",
  member: "Works on the accounts in their teams' scopes and their assignments.",
  leadership: "Reads every account; changes only its own tasks and touchpoints.",
  viewer: "Reads the accounts in their teams' scopes; changes nothing.",
};

export type UserRow = {
  id: string;
  email: string;
  name: string;
  role: Role;
  title: string | null;
  disabled: boolean;
  hasPassword: boolean;
  teamIds: string[];
};

/** Every user with their teams (admins only). */
export async function listUsers(ctx: Ctx): Promise<UserRow[]> {
  if (!may(ctx.viewer, "users.manage")) return [];
  const [userRows, memberRows] = await Promise.all([
    ctx.db
      .select({ id: users.id, email: users.email, name: users.name, role: users.role, title: users.title, disabledAt: users.disabledAt, passwordHash: users.passwordHash })
      .from(users)
      .orderBy(asc(users.name)),
    ctx.db.select().from(teamMembers),
  ]);
  return userRows.map((u) => ({
    id: u.id,
    email: u.email,
    name: u.name,
    role: u.role,
    title: u.title,
    disabled: Boolean(u.disabledAt),
    hasPassword: Boolean(u.passwordHash),
    teamIds: memberRows.filter((m) => m.userId === u.id).map((m) => m.teamId),
  }));
}

const teamIdList = z.preprocess(
  (value) => (value === undefined || value === null || value === "" ? [] : Array.isArray(value) ? value : [value]),
  z.array(z.guid("Pick teams from the list.")).max(100, "Pick at most 100 teams."),
);
const checkbox = z.preprocess((value) => value === "on" || value === "true" || value === true, z.boolean());
const role = z.enum(ROLES, { error: "Pick a role from the list." });
const userName = z.string({ error: "Enter a name." }).trim().min(1, "Enter a name.").max(120, "Use at most 120 characters.");

export const createUserInput = z.object({
  email: z.string({ error: "Enter an email address." }).trim().toLowerCase().max(320, "Use at most 320 characters.").pipe(z.email("Enter an email address such as name@example.com.")),
  name: userName,
  role,
  teamIds: teamIdList,
});

export const updateUserInput = z.object({
  userId: idField("Unknown user."),
  name: userName,
  role,
  teamIds: teamIdList,
  disabled: checkbox,
});

async function checkTeams(ctx: Ctx, teamIds: string[]): Promise<{ id: string; key: string }[]> {
  const unique = [...new Set(teamIds)];
  if (!unique.length) return [];
  const found = await ctx.db.select({ id: teams.id, key: teams.key }).from(teams).where(inArray(teams.id, unique));
  if (found.length !== unique.length) throw new ActionError("Check the highlighted fields.", { teamIds: ["One of the picked teams no longer exists. Reload the page."] });
  return found;
}

/**
 * Refuses a change that would leave no active admin (a role that may manage users, so someone can
 * still undo a mistake). The admins' rows are locked first, so two
 * admins demoting each other at the same moment cannot both succeed.
 */
async function keepOneAdmin(ctx: Ctx, userId: string, stillAdmin: boolean): Promise<void> {
  if (stillAdmin) return;
  const admins = await ctx.db
    .select({ id: users.id })
    .from(users)
    .where(and(inArray(users.role, rolesWith("users.manage")), isNull(users.disabledAt)))
    .for("update");
  if (!admins.some((a) => a.id === userId)) return; // not an active admin now: nothing to lose
  if (admins.length > 1) return;
  const self = userId === ctx.viewer.userId;
  throw new ActionError(
    self
      ? "You are the last admin: make someone else an admin before you remove your own admin role. Nothing was changed."
      : "This is the last admin: make someone else an admin first. Nothing was changed.",
    { role: ["At least one active admin must remain."] },
  );
}

/**
 * Invites a user: the user is created without a password, and the admin gets a one-time link to
 * pass on (set-password page). Someone who signs in only through single sign-on can ignore it.
 */
export const createUser = actionDefinition({
  name: "createUser",
  schema: createUserInput,
  authorize: requires("users.manage"),
  async run(ctx, input) {
    const [existing] = await ctx.db.select({ id: users.id }).from(users).where(eq(sql`lower(${users.email})`, input.email)).limit(1);
    if (existing) throw new ActionError("Check the highlighted fields.", { email: ["A user with this email exists already."] });
    const picked = await checkTeams(ctx, input.teamIds);
    const [user] = await ctx.db.insert(users).values({ email: input.email, name: input.name, role: input.role, passwordHash: null }).returning({ id: users.id });
    if (picked.length) await ctx.db.insert(teamMembers).values(picked.map((t) => ({ teamId: t.id, userId: user.id })));
    const link = await newPasswordLink(ctx.db, user.id, "invite", ctx.viewer.userId);
    await recordAudit(ctx.db, ctx.viewer, {
      action: "user.create",
      targetType: "user",
      targetId: user.id,
      after: { email: input.email, name: input.name, role: input.role, teams: picked.map((t) => t.key).sort(), password: "invitation link" },
    });
    return { id: user.id, name: input.name, email: input.email, link };
  },
  revalidate: () => ["/admin/users"],
  message: (data) => `${data.name} is invited. Send them this link to set their password (it works once, for ${PASSWORD_LINK_HOURS} hours):`,
});

/**
 * A new set-password link for an existing user (forgotten password, lost invitation). Their older
 * links stop working; the current password keeps working until the new one is set (to lock someone
 * out at once, disable the user).
 */
export const resetPassword = actionDefinition({
  name: "resetPassword",
  schema: z.object({ userId: idField("Unknown user.") }),
  authorize: requires("users.manage"),
  async run(ctx, input) {
    const [user] = await ctx.db.select({ id: users.id, name: users.name, email: users.email, disabledAt: users.disabledAt }).from(users).where(eq(users.id, input.userId)).limit(1);
    if (!user) throw new ActionError("This user no longer exists. Reload the page.");
    if (user.disabledAt) throw new ActionError(`${user.name} is disabled: enable them first, then make a link.`);
    const link = await newPasswordLink(ctx.db, user.id, "reset", ctx.viewer.userId);
    await recordAudit(ctx.db, ctx.viewer, { action: "user.password_link", targetType: "user", targetId: user.id, details: { email: user.email } });
    return { id: user.id, name: user.name, email: user.email, link };
  },
  revalidate: () => ["/admin/users"],
  message: (data) => `Send ${data.name} this link to choose a new password (it works once, for ${PASSWORD_LINK_HOURS} hours; older links no longer work):`,
});

export const updateUser = actionDefinition({
  name: "updateUser",
  schema: updateUserInput,
  authorize: requires("users.manage"),
  async run(ctx, input) {
    const [user] = await ctx.db.select().from(users).where(eq(users.id, input.userId)).for("update").limit(1);
    if (!user) throw new ActionError("This user no longer exists. Reload the page.");
    if (input.disabled && user.id === ctx.viewer.userId) {
      throw new ActionError("You cannot disable your own account. Nothing was changed.", { disabled: ["Ask another admin to do it."] });
    }
    await keepOneAdmin(ctx, user.id, may(input, "users.manage") && !input.disabled);
    const picked = await checkTeams(ctx, input.teamIds);
    const beforeTeams = await ctx.db
      .select({ key: teams.key })
      .from(teamMembers)
      .innerJoin(teams, eq(teams.id, teamMembers.teamId))
      .where(eq(teamMembers.userId, user.id));
    const disabledAt = input.disabled ? (user.disabledAt ?? new Date()) : null;
    await ctx.db.update(users).set({ name: input.name, role: input.role, disabledAt }).where(eq(users.id, user.id));
    await ctx.db.delete(teamMembers).where(eq(teamMembers.userId, user.id));
    if (picked.length) await ctx.db.insert(teamMembers).values(picked.map((t) => ({ teamId: t.id, userId: user.id })));
    const before = { name: user.name, role: user.role, disabled: Boolean(user.disabledAt), teams: beforeTeams.map((t) => t.key).sort() };
    const after = { name: input.name, role: input.role, disabled: input.disabled, teams: picked.map((t) => t.key).sort() };
    if (JSON.stringify(before) !== JSON.stringify(after)) {
      await recordAudit(ctx.db, ctx.viewer, { action: "user.update", targetType: "user", targetId: user.id, before, after, details: { email: user.email } });
    }
    return { id: user.id, name: input.name };
  },
  revalidate: () => ["/admin/users"],
  message: (data) => `${data.name} saved.`,
});

/** Another active admin exists besides `userId` (for tests and the page's hint). */
export async function otherActiveAdmins(ctx: Ctx, userId: string): Promise<number> {
  const rows = await ctx.db
    .select({ id: users.id })
    .from(users)
    .where(and(inArray(users.role, rolesWith("users.manage")), isNull(users.disabledAt), ne(users.id, userId)));
  return rows.length;
}
