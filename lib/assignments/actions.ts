import "server-only";
import { z } from "zod";
import { ActionError } from "@/lib/actions/define";
import { actionDefinition } from "@/lib/actions/definition";
import { idField, idListField, textField } from "@/lib/actions/fields";
import { NOT_FOUND_MESSAGE } from "@/lib/activity/permissions";
import { may, refusal } from "@/lib/auth/permissions";
import { findAccount } from "@/lib/dal/accounts";
import type { Ctx } from "@/lib/dal/viewer";
import { activeUser, removeAssignment, resolveRoleName, writeAssignment } from "./assign";

/** Most accounts one bulk assignment takes (a page of the accounts list is 50). */
export const BULK_ASSIGN_LIMIT = 500;

const assignmentInput = z.object({
  accountId: idField("Unknown account."),
  userId: idField("Choose a person."),
  role: textField("a role", 100),
});

/** May change assignments, and every account is visible (missing and forbidden answer alike). */
async function authorizeOn(ctx: Ctx, accountIds: string[]): Promise<true | string> {
  if (!may(ctx.viewer, "assignments.manage")) return refusal(ctx.viewer, "assignments.manage");
  for (const id of accountIds) if (!(await findAccount(ctx, id))) return NOT_FOUND_MESSAGE;
  return true;
}

async function personAndRole(ctx: Ctx, input: { userId: string; role: string }) {
  const [person, role] = await Promise.all([activeUser(ctx, input.userId), resolveRoleName(ctx, input.role)]);
  if (!person) throw new ActionError("Check the highlighted fields.", { userId: ["Choose an active user."] });
  if (!role) throw new ActionError("Check the highlighted fields.", { role: [`There is no assignment role “${input.role}”.`] });
  return { person, role };
}

/** Assign one person to the account with a role (the profile's Assignment widget). */
export const assignUser = actionDefinition({
  name: "assignUser",
  schema: assignmentInput,
  authorize: (ctx, input) => authorizeOn(ctx, [input.accountId]),
  async run(ctx, input) {
    if (!(await findAccount(ctx, input.accountId))) throw new ActionError(NOT_FOUND_MESSAGE);
    const { person, role } = await personAndRole(ctx, input);
    const added = await writeAssignment(ctx, { accountId: input.accountId, userId: person.id, role }, person, "app");
    if (!added) throw new ActionError(`${person.name} is already assigned here as ${role}.`, { userId: [`Already ${role} here.`] });
    return { accountId: input.accountId, userName: person.name, role };
  },
  revalidate: (input) => [`/accounts/${input.accountId}`, "/"],
  message: (data) => `${data.userName} assigned as ${data.role}.`,
});

/** End one assignment. */
export const unassignUser = actionDefinition({
  name: "unassignUser",
  schema: assignmentInput,
  authorize: (ctx, input) => authorizeOn(ctx, [input.accountId]),
  async run(ctx, input) {
    if (!(await findAccount(ctx, input.accountId))) throw new ActionError(NOT_FOUND_MESSAGE);
    await removeAssignment(ctx, { accountId: input.accountId, userId: input.userId, role: input.role }, "app");
    return { accountId: input.accountId, role: input.role };
  },
  revalidate: (input) => [`/accounts/${input.accountId}`, "/"],
  message: (data) => `Unassigned from ${data.role}.`,
});

/** Assign one person with one role to every selected account of the accounts list. */
export const bulkAssign = actionDefinition({
  name: "bulkAssign",
  schema: z.object({
    accountIds: idListField("Unknown account.", BULK_ASSIGN_LIMIT).refine((ids) => ids.length > 0, "Select at least one account."),
    userId: idField("Choose a person."),
    role: textField("a role", 100),
  }),
  authorize: (ctx, input) => authorizeOn(ctx, [...new Set(input.accountIds)]),
  async run(ctx, input) {
    const { person, role } = await personAndRole(ctx, input);
    let assigned = 0;
    for (const accountId of new Set(input.accountIds)) {
      if (!(await findAccount(ctx, accountId))) throw new ActionError(NOT_FOUND_MESSAGE);
      if (await writeAssignment(ctx, { accountId, userId: person.id, role }, person, "app")) assigned++;
    }
    return { assigned, selected: new Set(input.accountIds).size, userName: person.name, role };
  },
  revalidate: () => ["/accounts", "/"],
  message: (data) =>
    `${data.userName} assigned as ${data.role} to ${data.assigned} account${data.assigned === 1 ? "" : "s"}` +
    (data.assigned < data.selected ? ` (${data.selected - data.assigned} already had them).` : "."),
});
