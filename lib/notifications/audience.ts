import "server-only";
import { sql } from "drizzle-orm";
import type { Executor } from "@/db/client";
import { may } from "@/lib/auth/permissions";
import { isUuid, loadViewers, visibleAccount, type Viewer } from "@/lib/dal/viewer";

/**
 * Who among `userIds` may hear about `accountId` right now: active users whose own viewer passes the
 * one visibility rule (visibleAccount, exactly as findAccount applies it) on a live account. Two
 * queries whatever the number of people: their viewers, then one check for all of them.
 */
export async function usersSeeingAccount(db: Executor, accountId: string, userIds: readonly string[]): Promise<Map<string, Viewer>> {
  const seeing = new Map<string, Viewer>();
  if (!userIds.length || !isUuid(accountId)) return seeing;
  const viewers = await loadViewers(db, userIds);
  if (!viewers.size) return seeing;
  const checks = [...viewers.values()].map(
    (viewer) => sql`select ${viewer.userId}::uuid as user_id where exists (select 1 from accounts a
      where a.id = ${accountId}::uuid and a.archived_at is null and ${visibleAccount(viewer, sql`a.id`, sql`a.type_id`)})`,
  );
  const result = await db.execute(sql.join(checks, sql` union all `));
  for (const row of (result as unknown as { rows: { user_id: string }[] }).rows) seeing.set(row.user_id, viewers.get(row.user_id)!);
  return seeing;
}

/**
 * Of `viewers`, those who may read the account's privileged attributes (the rule of
 * canSeePrivileged in lib/dal/accounts.ts, for many people at once): their role reads them
 * everywhere, or they are assigned here with a role that grants them.
 */
export async function privilegedReaders(db: Executor, accountId: string, viewers: readonly Viewer[]): Promise<Set<string>> {
  const readers = new Set(viewers.filter((v) => may(v, "privileged.readAll")).map((v) => v.userId));
  const others = viewers.filter((v) => !readers.has(v.userId)).map((v) => v.userId);
  if (!others.length) return readers;
  const { rows } = await db.execute<{ user_id: string }>(sql`
    select distinct a.user_id from assignments a join assignment_roles r on r.name = a.role
    where a.account_id = ${accountId}::uuid and r.grants_privileged
      and a.user_id in (${sql.join(others.map((id) => sql`${id}::uuid`), sql`, `)})`);
  for (const r of rows) readers.add(r.user_id);
  return readers;
}
