import "server-only";
import { and, eq, sql } from "drizzle-orm";
import { accountMoves, accountRollups, accounts, timelineEntries } from "@/db/schema";
import { ActionError, assertMay } from "@/lib/actions/define";
import { findAccount, type AccountSummary } from "@/lib/dal/accounts";
import { isUuid, visibleAccount, type Ctx } from "@/lib/dal/viewer";
import { attributeKeysOf, settleAttributeChain } from "@/lib/rollups/attributes";
import { lockHierarchy } from "@/lib/rollups/locks";
import { uuidArray } from "@/lib/rollups/sql";
import { shiftSubtreeTotals } from "@/lib/rollups/subtree";
import { recordTimeline } from "@/lib/activity/timeline";
import { emitEvent } from "@/lib/events/emit";
import { rebuildAllRollups } from "@/lib/rollups/rebuild";
import { queueSuccessUnits } from "@/lib/success-units/queue";
import { dropSuccessUnitSubtree, restoreSuccessUnitSubtree } from "@/lib/success-units/rollups";
import { assertPlacement, loadAccountType, type ParentCandidate } from "./rules";

/*
 * Structural changes to the hierarchy: create, move, archive, delete. Each one
 * - needs its capability (accounts.create / .edit / .archive / .delete in lib/auth/permissions.ts),
 *   on accounts (and parents) the viewer can see;
 * - checks the placement rules (lib/hierarchy/rules.ts) and refuses cycles with a clear message;
 * - holds the exclusive hierarchy lock, so no upkeep or other change sees a half-moved tree;
 * - keeps, in the same transaction: `account_closure`, `path`/`depth` of every account of the
 *   subtree, `account_moves`, and every rollup (account totals, health mix, usage per day,
 *   attribute rollups, success units' counts per colour) of the old and the new ancestors.
 * Each runs in a savepoint of the caller's transaction (or its own transaction), so a refusal
 * half-way changes nothing even if the caller goes on.
 */

function inTransaction<T>(ctx: Ctx, run: (ctx: Ctx) => Promise<T>): Promise<T> {
  return ctx.db.transaction((tx) => run({ db: tx, viewer: ctx.viewer }));
}

function parentCandidate(account: AccountSummary): ParentCandidate {
  return { id: account.id, name: account.name, typeId: account.typeId, typeName: account.typeName, isOpportunity: account.isOpportunity };
}

export type CreateAccountInput = {
  name: string;
  typeKey?: string | null;
  typeId?: string | null;
  parentId?: string | null;
  externalId?: string | null;
};

/** Creates an account under a parent (or at the top, for root types); returns its id. */
export async function createAccount(ctx: Ctx, input: CreateAccountInput): Promise<{ id: string }> {
  assertMay(ctx, "accounts.create");
  const name = input.name.trim();
  if (!name) throw new ActionError("Give the account a name.", { name: ["Enter a name."] });
  if (name.length > 200) throw new ActionError("That name is too long.", { name: ["Use at most 200 characters."] });
  return inTransaction(ctx, async (tx) => {
    await lockHierarchy(tx.db);
    const type = await loadAccountType(tx.db, { typeId: input.typeId, typeKey: input.typeKey });
    if (!type) throw new ActionError("That account type does not exist.", { typeId: ["Choose an account type."] });
    let parent: AccountSummary | null = null;
    if (input.parentId) {
      parent = await findAccount(tx, input.parentId);
      if (!parent) throw new ActionError("The parent account was not found.", { parentId: ["Choose a parent account."] });
    }
    assertPlacement(type, parent && parentCandidate(parent));
    const externalId = input.externalId?.trim() || null;
    if (externalId) {
      const [taken] = await tx.db.select({ id: accounts.id }).from(accounts).where(eq(accounts.externalId, externalId)).limit(1);
      if (taken) throw new ActionError(`Another account already has the external id ${externalId}.`, { externalId: ["Already in use."] });
    }
    const path = parent ? [...parent.path, parent.id] : [];
    const [created] = await tx.db
      .insert(accounts)
      .values({ name, typeId: type.id, parentId: parent?.id ?? null, externalId, path, depth: path.length })
      .returning({ id: accounts.id });
    const id = created.id;
    await tx.db.execute(sql`
      insert into account_closure (ancestor_id, descendant_id, distance)
      select ${id}::uuid, ${id}::uuid, 0
      union all
      select c.ancestor_id, ${id}::uuid, c.distance + 1 from account_closure c where c.descendant_id = ${parent?.id ?? null}::uuid`);
    await tx.db.insert(accountRollups).values({ accountId: id });
    if (path.length) {
      await tx.db.execute(sql`
        update account_rollups set descendants = descendants + 1, updated_at = now()
        where account_id = any(${uuidArray(path)})`);
      await tx.db.insert(accountMoves).values({ accountId: id, oldParentId: null, newParentId: parent!.id, movedBy: ctx.viewer.userId });
    }
    await emitEvent(tx.db, { type: "account.created", accountId: id, actorId: ctx.viewer.userId, data: { name, typeKey: type.key, parentId: parent?.id ?? null } });
    return { id };
  });
}

export type MoveResult = { id: string; oldParentId: string | null; newParentId: string | null; accountsMoved: number };

/**
 * Moves the account and everything below it under `newParentId` (null: to the top, for root types).
 * The old ancestors lose the subtree's totals and the new ones gain them; ancestors both chains
 * share keep theirs.
 */
export async function moveAccount(ctx: Ctx, accountId: string, newParentId: string | null): Promise<MoveResult> {
  assertMay(ctx, "accounts.edit");
  return inTransaction(ctx, async (tx) => {
    await lockHierarchy(tx.db);
    const account = await findAccount(tx, accountId);
    if (!account) throw new ActionError("That account was not found.");
    let parent: AccountSummary | null = null;
    if (newParentId) {
      parent = await findAccount(tx, newParentId);
      if (!parent) throw new ActionError("The new parent account was not found.", { parentId: ["Choose a parent account."] });
      if (parent.id === account.id) {
        throw new ActionError(`${account.name} cannot be moved under itself.`, { parentId: ["Choose another parent."] });
      }
      if (parent.path.includes(account.id)) {
        throw new ActionError(`${parent.name} is one of ${account.name}'s own sub-accounts: an account cannot move under its own sub-account.`, {
          parentId: ["Choose a parent outside this account's subtree."],
        });
      }
    }
    if ((parent?.id ?? null) === account.parentId) {
      throw new ActionError(parent ? `${account.name} already sits under ${parent.name}.` : `${account.name} is already a top-level account.`, {
        parentId: ["Choose a different parent."],
      });
    }
    const type = await loadAccountType(tx.db, { typeId: account.typeId });
    if (!type) throw new Error(`account ${account.id} has no type`);
    assertPlacement(type, parent && parentCandidate(parent));

    const oldChain = account.path;
    const newChain = parent ? [...parent.path, parent.id] : [];
    const shared = new Set(oldChain.filter((id) => newChain.includes(id)));
    const keys = await attributeKeysOf(tx.db, account.id);

    await shiftSubtreeTotals(tx.db, account.id, oldChain.filter((id) => !shared.has(id)), -1);

    // The subtree's links to its old ancestors go; links to the new parent's ancestors come.
    await tx.db.execute(sql`
      delete from account_closure
      where ancestor_id = any(${uuidArray(oldChain)})
        and descendant_id in (select descendant_id from account_closure where ancestor_id = ${account.id})`);
    if (parent) {
      await tx.db.execute(sql`
        insert into account_closure (ancestor_id, descendant_id, distance)
        select up.ancestor_id, down.descendant_id, up.distance + down.distance + 1
        from account_closure up cross join account_closure down
        where up.descendant_id = ${parent.id} and down.ancestor_id = ${account.id}`);
    }
    const moved = await tx.db.execute(sql`
      update accounts a set
        path = ${uuidArray(newChain)} || a.path[(${oldChain.length + 1}::int):],
        depth = a.depth - ${oldChain.length}::int + ${newChain.length}::int,
        parent_id = case when a.id = ${account.id} then ${parent?.id ?? null}::uuid else a.parent_id end,
        updated_at = case when a.id = ${account.id} then now() else a.updated_at end
      where a.id in (select descendant_id from account_closure where ancestor_id = ${account.id})
      returning a.id`);

    await shiftSubtreeTotals(tx.db, account.id, newChain.filter((id) => !shared.has(id)), 1);
    await settleAttributeChain(tx.db, oldChain, keys);
    await settleAttributeChain(tx.db, newChain, keys);

    await tx.db.insert(accountMoves).values({ accountId: account.id, oldParentId: account.parentId, newParentId: parent?.id ?? null, movedBy: ctx.viewer.userId });
    const [oldParent] = account.parentId
      ? await tx.db.select({ name: accounts.name }).from(accounts).where(eq(accounts.id, account.parentId))
      : [];
    await tx.db.insert(timelineEntries).values({
      accountId: account.id,
      kind: "hierarchy_change",
      actorId: ctx.viewer.userId,
      title: parent ? `Moved under ${parent.name}` : "Moved to the top of the hierarchy",
      snapshot: { oldParentId: account.parentId, oldParentName: oldParent?.name ?? null, newParentId: parent?.id ?? null, newParentName: parent?.name ?? null },
      occurredAt: new Date(),
    });
    const movedRows = (moved as unknown as { rows: unknown[] }).rows;
    await emitEvent(tx.db, { type: "account.moved", accountId: account.id, actorId: ctx.viewer.userId, data: { fromParentId: account.parentId, toParentId: parent?.id ?? null } });
    return { id: account.id, oldParentId: account.parentId, newParentId: parent?.id ?? null, accountsMoved: movedRows.length };
  });
}

/**
 * Archives the account and every account below it: they keep their data and links but count
 * nowhere (their rollup rows go, and the ancestors lose their totals), exactly as the full rebuild
 * treats archived accounts.
 */
export async function archiveAccount(ctx: Ctx, accountId: string): Promise<{ id: string; archived: number }> {
  assertMay(ctx, "accounts.archive");
  return inTransaction(ctx, async (tx) => {
    await lockHierarchy(tx.db);
    const account = await findAccount(tx, accountId);
    if (!account) throw new ActionError("That account was not found, or it is already archived.");
    const keys = await attributeKeysOf(tx.db, account.id);
    await shiftSubtreeTotals(tx.db, account.id, account.path, -1);
    const subtree = sql`(select descendant_id from account_closure where ancestor_id = ${account.id})`;
    await tx.db.execute(sql`delete from account_rollups where account_id in ${subtree}`);
    await tx.db.execute(sql`delete from usage_rollup_daily where account_id in ${subtree}`);
    await tx.db.execute(sql`delete from usage_user_windows where account_id in ${subtree}`);
    await tx.db.execute(sql`delete from attribute_rollups where account_id in ${subtree}`);
    await dropSuccessUnitSubtree(tx.db, account.id);
    const archived = await tx.db.execute(sql`
      update accounts set archived_at = now(), archived_by = ${ctx.viewer.userId}, updated_at = now()
      where id in ${subtree} and archived_at is null returning id`);
    await settleAttributeChain(tx.db, account.path, keys);
    const count = (archived as unknown as { rows: unknown[] }).rows.length;
    await recordTimeline(tx.db, [
      {
        accountId: account.id,
        kind: "hierarchy_change",
        refId: null,
        actorId: ctx.viewer.userId,
        title: count > 1 ? `Archived with ${count - 1} sub-account${count === 2 ? "" : "s"}` : "Archived",
        snapshot: { change: "archived", accounts: count },
        occurredAt: new Date(),
      },
    ]);
    await emitEvent(tx.db, { type: "account.archived", accountId: account.id, actorId: ctx.viewer.userId, data: {} });
    return { id: account.id, archived: count };
  });
}

/**
 * Restores an archived account and the sub-accounts archived with it (same instant). Its parent
 * must be live. The subtree's rollup rows were dropped at archive time, so every rollup is rebuilt
 * from the raw rows (exact; a whole rebuild, seconds on 100,000 accounts, acceptable for a rare
 * admin-level action: a subtree-only rebuild would make it as cheap as a move).
 */
export async function restoreAccount(ctx: Ctx, accountId: string): Promise<{ id: string; restored: number }> {
  assertMay(ctx, "accounts.archive");
  return inTransaction(ctx, async (tx) => {
    await lockHierarchy(tx.db);
    if (!isUuid(accountId)) throw new ActionError("That account was not found.");
    const [account] = await tx.db
      .select({ id: accounts.id, name: accounts.name, parentId: accounts.parentId, path: accounts.path, archivedAt: accounts.archivedAt })
      .from(accounts)
      .where(and(eq(accounts.id, accountId), visibleAccount(tx.viewer, accounts.id, accounts.typeId)))
      .limit(1);
    if (!account) throw new ActionError("That account was not found.");
    if (!account.archivedAt) throw new ActionError(`${account.name} is not archived.`);
    if (account.parentId) {
      const [parent] = await tx.db.select({ name: accounts.name, archivedAt: accounts.archivedAt }).from(accounts).where(eq(accounts.id, account.parentId));
      if (parent?.archivedAt) throw new ActionError(`${account.name} sits under ${parent.name}, which is archived too: restore ${parent.name} first.`);
    }
    const restored = await tx.db.execute(sql`
      update accounts set archived_at = null, archived_by = null, updated_at = now()
      where id in (select descendant_id from account_closure where ancestor_id = ${account.id})
        -- compared in SQL: a JS Date would drop Postgres's microseconds and match nothing
        and archived_at = (select r.archived_at from accounts r where r.id = ${account.id})
      returning id`);
    await rebuildAllRollups(tx.db);
    // Success units: the subtree's counts back on its ancestors (incrementally), and its colours,
    // not rated while archived, recomputed by the worker within seconds.
    await restoreSuccessUnitSubtree(tx.db, account.id, account.path);
    const restoredIds = (restored as unknown as { rows: { id: string }[] }).rows.map((r) => r.id);
    await queueSuccessUnits(tx.db, restoredIds);
    const count = restoredIds.length;
    await recordTimeline(tx.db, [
      {
        accountId: account.id,
        kind: "hierarchy_change",
        refId: null,
        actorId: ctx.viewer.userId,
        title: count > 1 ? `Restored with ${count - 1} sub-account${count === 2 ? "" : "s"}` : "Restored from the archive",
        snapshot: { change: "restored", accounts: count },
        occurredAt: new Date(),
      },
    ]);
    return { id: account.id, restored: count };
  });
}

/** Renames a visible account (its id, and so every link, stays). */
export async function renameAccount(ctx: Ctx, accountId: string, name: string): Promise<{ id: string; name: string }> {
  assertMay(ctx, "accounts.edit");
  const trimmed = name.trim();
  if (!trimmed) throw new ActionError("Give the account a name.", { name: ["Enter a name."] });
  const account = await findAccount(ctx, accountId);
  if (!account) throw new ActionError("That account was not found.");
  if (account.name === trimmed) return { id: account.id, name: trimmed };
  await ctx.db.update(accounts).set({ name: trimmed, updatedAt: new Date() }).where(eq(accounts.id, account.id));
  await recordTimeline(ctx.db, [
    {
      accountId: account.id,
      kind: "hierarchy_change",
      refId: null,
      actorId: ctx.viewer.userId,
      title: `Renamed from ${account.name} to ${trimmed}`,
      snapshot: { change: "renamed", from: account.name, to: trimmed },
      occurredAt: new Date(),
    },
  ]);
  await emitEvent(ctx.db, { type: "account.updated", accountId: account.id, actorId: ctx.viewer.userId, data: { changed: ["name"] } });
  return { id: account.id, name: trimmed };
}

/**
 * Deletes an account for good, with its own data (contracts, tickets, usage, timeline...). Refused
 * while it has sub-accounts, archived or not: move or delete those first.
 */
export async function deleteAccount(ctx: Ctx, accountId: string): Promise<{ id: string }> {
  assertMay(ctx, "accounts.delete");
  return inTransaction(ctx, async (tx) => {
    await lockHierarchy(tx.db);
    if (!isUuid(accountId)) throw new ActionError("That account was not found.");
    // Archived accounts can be deleted too, so this reads past findAccount (which hides them).
    const [account] = await tx.db
      .select({ id: accounts.id, name: accounts.name, path: accounts.path, archivedAt: accounts.archivedAt })
      .from(accounts)
      .where(and(eq(accounts.id, accountId), visibleAccount(tx.viewer, accounts.id, accounts.typeId)))
      .limit(1);
    if (!account) throw new ActionError("That account was not found.");
    const [{ children }] = await tx.db.select({ children: sql<number>`count(*)::int` }).from(accounts).where(eq(accounts.parentId, account.id));
    if (children > 0) {
      throw new ActionError(
        `${account.name} has ${children} sub-account${children === 1 ? "" : "s"}: move or delete ${children === 1 ? "it" : "them"} first.`,
      );
    }
    const keys = account.archivedAt ? [] : await attributeKeysOf(tx.db, account.id);
    if (!account.archivedAt) await shiftSubtreeTotals(tx.db, account.id, account.path, -1);
    // usage_events has no foreign key (see db/schema/usage.ts): its rows go explicitly.
    await tx.db.execute(sql`delete from usage_events where account_id = ${account.id}`);
    await tx.db.delete(accounts).where(eq(accounts.id, account.id));
    await settleAttributeChain(tx.db, account.path, keys);
    return { id: account.id };
  });
}
