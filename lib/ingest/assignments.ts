import "server-only";
import { sql } from "drizzle-orm";
import { removeAssignment, writeAssignment, type AssignmentSource } from "@/lib/assignments/assign";
import { may } from "@/lib/auth/permissions";
import type { Ctx } from "@/lib/dal/viewer";
import { IngestError } from "./errors";
import { accountsByExternalId, IssueList, pgArray, rows, unknownAccount } from "./resolve";
import type { AssignmentItem } from "./schemas";

export type AssignmentIngestResult = { assigned: number; unassigned: number; unchanged: number };

/**
 * Assigns or unassigns users by account external id, user email and role name (the API and the CSV
 * import). Every reference is checked first, so an unknown account, user or role refuses the whole
 * request with every problem listed; then each change goes through the same writer as the app.
 */
export async function ingestAssignments(ctx: Ctx, items: readonly AssignmentItem[], base: (string | number)[] = ["assignments"], source: AssignmentSource = "api"): Promise<AssignmentIngestResult> {
  if (!may(ctx.viewer, "assignments.manage")) throw new IngestError(403, "The token's creator may not change assignments.");
  const issues = new IssueList();
  const accounts = await accountsByExternalId(ctx, items.map((i) => i.accountExternalId));
  const emails = [...new Set(items.map((i) => i.userEmail.toLowerCase()))];
  const people = new Map(
    (await rows<{ email: string; id: string; name: string }>(
      ctx.db,
      sql`select lower(email) as email, id, name from users where lower(email) = any(${pgArray(emails)}::text[]) and disabled_at is null`,
    )).map((u) => [u.email, u]),
  );
  const roles = new Map(
    (await rows<{ name: string }>(ctx.db, sql`select name from assignment_roles`)).map((r) => [r.name.toLowerCase(), r.name]),
  );
  items.forEach((item, i) => {
    if (!accounts.has(item.accountExternalId)) issues.add([...base, i, "accountExternalId"], unknownAccount(item.accountExternalId));
    if (!people.has(item.userEmail.toLowerCase())) issues.add([...base, i, "userEmail"], `No active user has the email ${item.userEmail}.`);
    if (!roles.has(item.role.toLowerCase())) issues.add([...base, i, "role"], `There is no assignment role “${item.role}” (see Admin › Assignment roles).`);
  });
  issues.throwIfAny();

  const result: AssignmentIngestResult = { assigned: 0, unassigned: 0, unchanged: 0 };
  for (const item of items) {
    const accountId = accounts.get(item.accountExternalId)!.id;
    const person = people.get(item.userEmail.toLowerCase())!;
    const change = { accountId, userId: person.id, role: roles.get(item.role.toLowerCase())! };
    if (item.action === "unassign") {
      const held = await rows<{ one: number }>(
        ctx.db,
        sql`select 1 as one from assignments where account_id = ${change.accountId} and user_id = ${change.userId} and role = ${change.role}`,
      );
      if (!held.length) result.unchanged++;
      else {
        await removeAssignment(ctx, change, source);
        result.unassigned++;
      }
    } else if (await writeAssignment(ctx, change, person, source)) result.assigned++;
    else result.unchanged++;
  }
  return result;
}
