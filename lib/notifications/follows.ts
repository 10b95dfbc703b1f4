import "server-only";
import { and, eq, sql } from "drizzle-orm";
import { z } from "zod";
import type { Executor } from "@/db/client";
import { accountFollows } from "@/db/schema";
import { actionDefinition } from "@/lib/actions/definition";
import { checkboxField, idField } from "@/lib/actions/fields";
import { accountForWrite, authorizeOnAccount } from "@/lib/activity/permissions";
import { requires } from "@/lib/auth/permissions";
import type { Ctx } from "@/lib/dal/viewer";

export type FollowedAccount = { accountId: string; includeBelow: boolean };

/**
 * The accounts a user follows, and whether each follow takes in everything below it (for a
 * leader's home page and saved views). Rows only: callers read accounts through the data layer,
 * which applies the viewer's visibility (a follow outlives a lost scope; nothing leaks from it).
 */
export async function followedAccountIds(db: Executor, userId: string): Promise<FollowedAccount[]> {
  return db
    .select({ accountId: accountFollows.accountId, includeBelow: accountFollows.includeBelow })
    .from(accountFollows)
    .where(eq(accountFollows.userId, userId));
}

/** The viewer's follow of this account, if any (the profile's Follow button). One indexed read. */
export async function followOf(ctx: Ctx, accountId: string): Promise<FollowedAccount | null> {
  const [row] = await ctx.db
    .select({ accountId: accountFollows.accountId, includeBelow: accountFollows.includeBelow })
    .from(accountFollows)
    .where(and(eq(accountFollows.userId, ctx.viewer.userId), eq(accountFollows.accountId, accountId)))
    .limit(1);
  return row ?? null;
}

/**
 * Everyone who hears of a change on `accountId`: followers of the account itself, and followers of
 * an ancestor who took everything below it (one query through the closure table). Visibility is
 * the caller's next check.
 */
export async function followersOf(db: Executor, accountId: string): Promise<string[]> {
  const { rows } = await db.execute<{ user_id: string }>(sql`
    select distinct f.user_id from account_follows f
    join account_closure c on c.ancestor_id = f.account_id
    where c.descendant_id = ${accountId}::uuid and (c.distance = 0 or f.include_below)`);
  return rows.map((r) => r.user_id);
}

export const followInput = z.object({
  accountId: idField("Unknown account."),
  includeBelow: checkboxField,
});

/** Follow an account the viewer can see (again: to change "everything below it"). */
export const followAccount = actionDefinition({
  name: "followAccount",
  schema: followInput,
  authorize: (ctx, input) => authorizeOnAccount(ctx, input.accountId, "notifications.use"),
  async run(ctx, input) {
    const account = await accountForWrite(ctx, input.accountId);
    await ctx.db
      .insert(accountFollows)
      .values({ userId: ctx.viewer.userId, accountId: account.id, includeBelow: input.includeBelow })
      .onConflictDoUpdate({ target: [accountFollows.userId, accountFollows.accountId], set: { includeBelow: input.includeBelow } });
    return { accountId: account.id, name: account.name, includeBelow: input.includeBelow };
  },
  revalidate: (input) => [`/accounts/${input.accountId}`],
  message: (data) => `Following ${data.name}${data.includeBelow ? " and everything below it" : ""}. Changes reach your inbox.`,
});

export const unfollowInput = z.object({ accountId: idField("Unknown account.") });

/** Stop following. Allowed whatever the account's visibility now (it only deletes one's own row); with no row to delete, an account the viewer cannot see is refused like a missing one. */
export const unfollowAccount = actionDefinition({
  name: "unfollowAccount",
  schema: unfollowInput,
  authorize: requires("notifications.use"),
  async run(ctx, input) {
    const deleted = await ctx.db
      .delete(accountFollows)
      .where(and(eq(accountFollows.userId, ctx.viewer.userId), eq(accountFollows.accountId, input.accountId)))
      .returning({ accountId: accountFollows.accountId });
    // Nothing to stop: answer like the account's own actions do (a missing and a hidden account alike).
    if (!deleted.length) await accountForWrite(ctx, input.accountId);
    return { accountId: input.accountId, changed: deleted.length > 0 };
  },
  revalidate: (input) => [`/accounts/${input.accountId}`],
  message: (data) => (data.changed ? "No longer following this account." : "You were not following this account."),
});
