import "server-only";
import { and, eq, inArray, isNull, sql } from "drizzle-orm";
import { accountContacts, contacts, users } from "@/db/schema";
import { ActionError } from "@/lib/actions/define";
import { isUuid, loadViewers, visibleAccount, type Ctx } from "@/lib/dal/viewer";

export type Person = { id: string; name: string };

/**
 * Call from `authorize`, outside the transaction (loadViewer runs its queries in parallel, which a
 * transaction's single connection must not). The users, each of whom must exist, be active and be able to see the account — decided by the
 * one visibility rule (visibleAccount with each user's own viewer, as findAccount applies it), not
 * by a copy of it. Two queries whatever the number of users: their viewers, then one check for all.
 * Otherwise a field error on `field` naming what is wrong.
 */
export async function usersWhoSee(ctx: Ctx, accountId: string, userIds: readonly string[], field: string): Promise<Person[]> {
  const unique = [...new Set(userIds)];
  const viewers = await loadViewers(ctx.db, unique);
  const seeing = new Set<string>();
  if (viewers.size && isUuid(accountId)) {
    const checks = [...viewers.values()].map(
      (viewer) => sql`select ${viewer.userId}::uuid as user_id where exists (select 1 from accounts a
        where a.id = ${accountId}::uuid and a.archived_at is null and ${visibleAccount(viewer, sql`a.id`, sql`a.type_id`)})`,
    );
    const result = await ctx.db.execute(sql.join(checks, sql` union all `));
    for (const row of (result as unknown as { rows: { user_id: string }[] }).rows) seeing.add(row.user_id);
  }
  const checked = unique.map((id) => {
    const viewer = viewers.get(id);
    if (!viewer) return { id, problem: "unknown" as const };
    return seeing.has(id) ? { id, person: { id, name: viewer.name } } : { id, problem: "blind" as const, name: viewer.name };
  });
  const messages: string[] = [];
  for (const c of checked) {
    if ("problem" in c && c.problem === "unknown") messages.push("That person is not an active user.");
    else if ("problem" in c && c.problem === "blind") messages.push(`${c.name} cannot see this account, so they cannot be picked here.`);
  }
  if (messages.length) throw new ActionError("Check the highlighted fields.", { [field]: [...new Set(messages)] });
  return checked.flatMap((c) => ("person" in c && c.person ? [c.person] : []));
}

/** Contacts linked to the account; any other id is a field error on `field`. */
export async function contactsOf(ctx: Ctx, accountId: string, contactIds: readonly string[], field: string): Promise<Person[]> {
  const unique = [...new Set(contactIds)];
  if (!unique.length) return [];
  const rows = await ctx.db
    .select({ id: contacts.id, name: contacts.name })
    .from(accountContacts)
    .innerJoin(contacts, eq(contacts.id, accountContacts.contactId))
    .where(and(eq(accountContacts.accountId, accountId), inArray(accountContacts.contactId, unique)));
  if (rows.length !== unique.length) {
    throw new ActionError("Check the highlighted fields.", { [field]: ["Pick contacts of this account only."] });
  }
  const byId = new Map(rows.map((r) => [r.id, r]));
  return unique.map((id) => byId.get(id)!);
}

/** Names of users already checked by `usersWhoSee`, for snapshots (one query, in the transaction). */
export async function namesOf(ctx: Ctx, userIds: readonly string[]): Promise<Person[]> {
  const unique = [...new Set(userIds)];
  if (!unique.length) return [];
  const rows = await ctx.db.select({ id: users.id, name: users.name }).from(users).where(and(inArray(users.id, unique), isNull(users.disabledAt)));
  const byId = new Map(rows.map((r) => [r.id, r]));
  if (byId.size !== unique.length) throw new ActionError("Someone you picked was just disabled. Reload and try again.");
  return unique.map((id) => byId.get(id)!);
}
