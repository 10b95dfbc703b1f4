import "server-only";
import { eq, sql } from "drizzle-orm";
import { accountMerges, accounts, timelineEntries } from "@/db/schema";
import { ActionError, assertMay } from "@/lib/actions/define";
import { recordAudit } from "@/lib/admin/audit";
import { markHealthDirty } from "@/lib/health/dirty";
import { queueSuccessUnits } from "@/lib/success-units/queue";
import { shiftSuccessUnitCounts } from "@/lib/success-units/rollups";
import { findAccount } from "@/lib/dal/accounts";
import { isUuid, type Ctx } from "@/lib/dal/viewer";
import { lockHierarchy } from "@/lib/rollups/locks";
import { rebuildAllRollups } from "@/lib/rollups/rebuild";
import { uuidArray } from "@/lib/rollups/sql";
import { moveAccount } from "./accounts";

/*
 * Merging two duplicate accounts of the same type: everything of the merged-away account moves to
 * the kept one, then the merged-away account is deleted and its id redirects (account_merges).
 * One transaction under the exclusive hierarchy lock: a refusal half-way changes nothing.
 *
 * What happens to each table with an account id (grep db/schema for account_id / accounts.id):
 * - accounts.parent_id (its sub-accounts): re-parented under the kept account with moveAccount,
 *   which keeps account_closure, path/depth and account_moves (and records the move on the child).
 * - moved as they are (plain account_id update): touchpoints (participants follow their
 *   touchpoint), tasks, success_plans (objectives follow their plan), information_requests,
 *   timeline_entries, assets, contracts, sales, invoices, support_tickets, survey_responses,
 *   collection_records, usage_events (no foreign key), attribute_changes, stage_changes and
 *   assignment_history (history rows keep their times).
 * - merged on their unique key, the kept account's row winning: attribute_values (kept's value
 *   wins; the other's only where the kept one has none), health_snapshots (same week: kept's),
 *   account_stages (same lifecycle: kept's stage; the other's stage_changes move anyway).
 * - union on their key: assignments, account_tags, account_group_members, campaign_sends,
 *   account_contacts (a contact on both keeps the kept account's role; key contact if it was
 *   key on either).
 * - summed on their key: usage_daily (same day, activity and end user: events add up).
 * - re-pointed, so nobody's access changes: team_scopes.root_account_id,
 *   api_tokens.root_account_id, and account_merges rows that pointed at the merged-away account.
 * - account_moves.old_parent_id / new_parent_id (history of other accounts, no foreign key):
 *   re-pointed to the kept account; the re-parenting moves the merge makes are dropped again.
 * - deleted with the merged-away account (cascade): its account_closure and account_moves rows
 *   (its own place in the tree, gone with it) and the rollup caches account_rollups,
 *   usage_rollup_daily, usage_user_windows, attribute_rollups.
 * - accounts.external_id: the kept account adopts the other's when it has none (so an integration
 *   sending the old key still lands somewhere).
 * Rollups: both chains of ancestors change (the merged one loses a subtree and its own figures, the
 * kept one gains them, and min/max/averages move), so every rollup is rebuilt from the raw rows at
 * the end, as restoreAccount does: exact, a whole rebuild, acceptable for a rare admin action.
 */

export type MergeResult = { id: string; mergedId: string; mergedName: string; childrenMoved: number; rowsMoved: number };

const MOVED_TABLES = [
  "touchpoints",
  "tasks",
  "success_plans",
  "information_requests",
  "timeline_entries",
  "assets",
  "contracts",
  "sales",
  "invoices",
  "support_tickets",
  "survey_responses",
  "collection_records",
  // Working together (issue 18): comments on the moved tasks, mentions in the moved notes, inbox lines.
  "task_comments",
  "mentions",
  "notifications",
  // Success units' history (issue 16): the colours themselves are recomputed for the kept account.
  "success_unit_changes",
  "usage_events",
  "attribute_changes",
  "stage_changes",
  "assignment_history",
] as const;

function rowCount(result: unknown): number {
  const r = result as { rows?: unknown[]; affectedRows?: number; rowCount?: number };
  return r.affectedRows ?? r.rowCount ?? r.rows?.length ?? 0;
}

/** Merges `mergedId` into `keptId` (same type, both visible and live); returns what moved. */
export async function mergeAccounts(ctx: Ctx, keptId: string, mergedId: string): Promise<MergeResult> {
  assertMay(ctx, "accounts.merge");
  if (!isUuid(keptId)) throw new ActionError("That account was not found.");
  if (!isUuid(mergedId)) throw new ActionError("Choose the duplicate account.", { mergedId: ["Choose the duplicate account."] });
  if (keptId === mergedId) throw new ActionError("An account cannot be merged with itself.", { mergedId: ["Choose another account."] });
  return ctx.db.transaction(async (db) => {
    const tx: Ctx = { db, viewer: ctx.viewer };
    await lockHierarchy(db);
    const kept = await findAccount(tx, keptId);
    if (!kept) throw new ActionError("That account was not found.");
    const merged = await findAccount(tx, mergedId);
    if (!merged) throw new ActionError("The duplicate account was not found.", { mergedId: ["Choose the duplicate account."] });
    if (merged.typeId !== kept.typeId) {
      throw new ActionError(`${merged.name} is ${merged.typeName}, not ${kept.typeName}: only accounts of the same type can be merged.`, {
        mergedId: [`Choose another ${kept.typeName}.`],
      });
    }
    if (kept.path.includes(merged.id) || merged.path.includes(kept.id)) {
      throw new ActionError(`${merged.name} and ${kept.name} sit one under the other: only separate accounts can be merged.`, {
        mergedId: ["Choose an account outside this one's chain."],
      });
    }

    // Sub-accounts first (archived ones too: they go with their parent), with closure and paths.
    const children = await db.select({ id: accounts.id, archivedAt: accounts.archivedAt }).from(accounts).where(eq(accounts.parentId, merged.id));
    for (const child of children) {
      if (child.archivedAt) {
        // moveAccount only moves live accounts; an archived child keeps its subtree and changes parent.
        await moveArchivedChild(db, child.id, merged, kept, ctx.viewer.userId);
      } else {
        await moveAccount(tx, child.id, kept.id);
      }
    }

    const from = sql`${merged.id}::uuid`;
    const to = sql`${kept.id}::uuid`;
    // Move history names parents by id: the duplicate was the same customer, so past moves under it
    // read as under the kept account; the moves the merge itself just made (now kept → kept) go
    // (the merge is on the timeline and in the audit log instead).
    await db.execute(sql`update account_moves set old_parent_id = ${to} where old_parent_id = ${from}`);
    await db.execute(sql`update account_moves set new_parent_id = ${to} where new_parent_id = ${from}`);
    await db.execute(sql`delete from account_moves where old_parent_id = ${to} and new_parent_id = ${to}`);
    let rowsMoved = 0;
    for (const table of MOVED_TABLES) {
      rowsMoved += rowCount(await db.execute(sql`update ${sql.identifier(table)} set account_id = ${to} where account_id = ${from}`));
    }
    // Kept's row wins on the key; the other's rows go with the account below.
    await db.execute(sql`
      insert into attribute_values (account_id, attribute_id, value, version, updated_by, updated_at)
      select ${to}, attribute_id, value, version, updated_by, updated_at from attribute_values where account_id = ${from}
      on conflict (account_id, attribute_id) do nothing`);
    await db.execute(sql`
      insert into health_snapshots (account_id, week_start, score, band, dimensions, upsell, upsell_amount, computed_at)
      select ${to}, week_start, score, band, dimensions, upsell, upsell_amount, computed_at from health_snapshots where account_id = ${from}
      on conflict (account_id, week_start) do nothing`);
    await db.execute(sql`
      insert into account_stages (account_id, lifecycle_id, stage_id, since)
      select ${to}, lifecycle_id, stage_id, since from account_stages where account_id = ${from}
      on conflict (account_id, lifecycle_id) do nothing`);
    await db.execute(sql`
      insert into assignments (account_id, user_id, role, assigned_at)
      select ${to}, user_id, role, assigned_at from assignments where account_id = ${from}
      on conflict (account_id, user_id, role) do nothing`);
    await db.execute(sql`
      insert into account_tags (account_id, tag_id, added_by, added_at)
      select ${to}, tag_id, added_by, added_at from account_tags where account_id = ${from}
      on conflict (account_id, tag_id) do nothing`);
    await db.execute(sql`
      insert into account_group_members (group_id, account_id)
      select group_id, ${to} from account_group_members where account_id = ${from}
      on conflict (group_id, account_id) do nothing`);
    await db.execute(sql`
      insert into campaign_sends (campaign_id, contact_id, account_id, sent_at, opened_at, clicked_at)
      select campaign_id, contact_id, ${to}, sent_at, opened_at, clicked_at from campaign_sends where account_id = ${from}
      on conflict (campaign_id, contact_id, account_id) do nothing`);
    await db.execute(sql`
      insert into account_contacts (account_id, contact_id, role, is_key, linked_at)
      select ${to}, contact_id, role, is_key, linked_at from account_contacts where account_id = ${from}
      on conflict (account_id, contact_id) do update set
        is_key = account_contacts.is_key or excluded.is_key,
        linked_at = least(account_contacts.linked_at, excluded.linked_at)`);
    await db.execute(sql`
      insert into usage_daily (account_id, day, activity_id, module_id, contact_id, events)
      select ${to}, day, activity_id, module_id, contact_id, events from usage_daily where account_id = ${from}
      on conflict (account_id, day, activity_id, contact_id) do update set events = usage_daily.events + excluded.events`);
    await db.execute(sql`
      insert into account_follows (user_id, account_id, include_below, created_at)
      select user_id, ${to}, include_below, created_at from account_follows where account_id = ${from}
      on conflict (user_id, account_id) do update set include_below = account_follows.include_below or excluded.include_below`);
    // Queued work for the duplicate becomes the kept account's: its health and success units are
    // re-scored from the merged data. (Its domain events stay as they were: they are history.)
    await db.execute(sql`delete from health_dirty where account_id = ${from}`);
    await markHealthDirty(db, [kept.id]);
    await queueSuccessUnits(db, [kept.id]);
    await db.execute(sql`update team_scopes set root_account_id = ${to} where root_account_id = ${from}`);
    await db.execute(sql`update api_tokens set root_account_id = ${to} where root_account_id = ${from}`);
    await db.execute(sql`update account_merges set kept_account_id = ${to} where kept_account_id = ${from}`);

    const [externals] = await db
      .select({ kept: sql<string | null>`(select external_id from accounts where id = ${to})`, merged: sql<string | null>`(select external_id from accounts where id = ${from})` })
      .from(sql`(select 1) as one`);
    // Its own success units leave its ancestors' counts (its sub-accounts moved above, with theirs);
    // the kept account's colours are recomputed from the merged usage by the worker.
    await shiftSuccessUnitCounts(db, merged.id, merged.path, -1);
    await db.delete(accounts).where(eq(accounts.id, merged.id));
    if (!externals.kept && externals.merged) {
      await db.update(accounts).set({ externalId: externals.merged }).where(eq(accounts.id, kept.id));
    }
    await db.update(accounts).set({ updatedAt: new Date() }).where(eq(accounts.id, kept.id));
    await db.insert(accountMerges).values({ mergedAccountId: merged.id, keptAccountId: kept.id, mergedName: merged.name, mergedBy: ctx.viewer.userId });

    await rebuildAllRollups(db);

    const summary = { mergedId: merged.id, mergedName: merged.name, childrenMoved: children.length, rowsMoved };
    await db.insert(timelineEntries).values({
      accountId: kept.id,
      kind: "hierarchy_change",
      actorId: ctx.viewer.userId,
      title: `Merged ${merged.name} into this account`,
      snapshot: { change: "merged", ...summary },
      occurredAt: new Date(),
    });
    await recordAudit(db, ctx.viewer, { action: "account.merge", targetType: "account", targetId: kept.id, details: { keptName: kept.name, ...summary } });
    return { id: kept.id, ...summary };
  });
}

/** Re-parents an archived sub-account (and its archived subtree) under `kept`: closure, paths, move history. */
async function moveArchivedChild(
  db: Ctx["db"],
  childId: string,
  merged: { id: string; path: string[] },
  kept: { id: string; path: string[] },
  movedBy: string,
): Promise<void> {
  const oldChain = [...merged.path, merged.id];
  const newChain = [...kept.path, kept.id];
  await db.execute(sql`
    delete from account_closure
    where ancestor_id in (select ancestor_id from account_closure where descendant_id = ${childId} and distance > 0)
      and descendant_id in (select descendant_id from account_closure where ancestor_id = ${childId})`);
  await db.execute(sql`
    insert into account_closure (ancestor_id, descendant_id, distance)
    select up.ancestor_id, down.descendant_id, up.distance + down.distance + 1
    from account_closure up cross join account_closure down
    where up.descendant_id = ${kept.id} and down.ancestor_id = ${childId}`);
  await db.execute(sql`
    update accounts a set
      path = ${uuidArray(newChain)} || a.path[(${oldChain.length + 1}::int):],
      depth = a.depth - ${oldChain.length}::int + ${newChain.length}::int,
      parent_id = case when a.id = ${childId} then ${kept.id}::uuid else a.parent_id end
    where a.id in (select descendant_id from account_closure where ancestor_id = ${childId})`);
  await db.execute(sql`insert into account_moves (account_id, old_parent_id, new_parent_id, moved_by) values (${childId}, ${merged.id}, ${kept.id}, ${movedBy})`);
}

/** Where a merged-away account's links should now lead: the kept account's id, or null. */
export async function mergedInto(db: Ctx["db"], id: unknown): Promise<string | null> {
  if (!isUuid(id)) return null;
  const [row] = await db.select({ keptId: accountMerges.keptAccountId }).from(accountMerges).where(eq(accountMerges.mergedAccountId, id)).limit(1);
  return row?.keptId ?? null;
}
