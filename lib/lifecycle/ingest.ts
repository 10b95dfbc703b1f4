import "server-only";
import { sql } from "drizzle-orm";
import type { Ctx } from "@/lib/dal/viewer";
import { accountsByExternalId, IssueList, pgArray, rows, unknownAccount } from "@/lib/ingest/resolve";
import { moveStages, type StageChangeSource } from "./move";
import type { StageChangeItem } from "./schemas";

/**
 * Stage changes from the API and CSV import, all or nothing: accounts by external id (among those
 * the caller may see), lifecycles and stages by key; an archived stage is refused. Several changes
 * of one account and lifecycle are applied in time order.
 */
export async function ingestStageChanges(
  ctx: Ctx,
  items: readonly StageChangeItem[],
  base: (string | number)[] = ["changes"],
  source: StageChangeSource = "api",
): Promise<{ changed: number; unchanged: number }> {
  const issues = new IssueList();
  const accounts = await accountsByExternalId(ctx, items.map((i) => i.accountExternalId));
  const stages = await rows<{ lifecycle_key: string; lifecycle_id: string; stage_key: string; stage_id: string; archived: boolean }>(
    ctx.db,
    sql`select l.key as lifecycle_key, l.id as lifecycle_id, s.key as stage_key, s.id as stage_id, s.archived_at is not null as archived
        from lifecycles l join lifecycle_stages s on s.lifecycle_id = l.id
        where l.key = any(${pgArray([...new Set(items.map((i) => i.lifecycle))])}::text[])`,
  );
  const byKey = new Map(stages.map((s) => [`${s.lifecycle_key}\u0000${s.stage_key}`, s]));
  const lifecycles = new Set(stages.map((s) => s.lifecycle_key));
  const now = new Date();
  const moves = items.flatMap((item, i) => {
    const account = accounts.get(item.accountExternalId);
    if (!account) issues.add([...base, i, "accountExternalId"], unknownAccount(item.accountExternalId));
    const stage = byKey.get(`${item.lifecycle}\u0000${item.stage}`);
    if (!lifecycles.has(item.lifecycle)) issues.add([...base, i, "lifecycle"], `There is no lifecycle “${item.lifecycle}”.`);
    else if (!stage) issues.add([...base, i, "stage"], `The lifecycle “${item.lifecycle}” has no stage “${item.stage}”.`);
    else if (stage.archived) issues.add([...base, i, "stage"], `The stage “${item.stage}” is archived and cannot be chosen.`);
    const at = item.changedAt ? new Date(item.changedAt) : now;
    if (at.getTime() > now.getTime() + 60_000) issues.add([...base, i, "changedAt"], "A stage change cannot be in the future.");
    if (!account || !stage) return [];
    return [{ accountId: account.id, lifecycleId: stage.lifecycle_id, stageId: stage.stage_id, note: item.note?.trim() || null, at }];
  });
  issues.throwIfAny();
  // History stays in order: a change dated before the account's current stage began is refused.
  const since = await rows<{ account_id: string; lifecycle_id: string; since: string | Date }>(
    ctx.db,
    sql`select account_id, lifecycle_id, since from account_stages where account_id = any(${pgArray([...new Set(moves.map((m) => m.accountId))])}::uuid[])`,
  );
  const sinceOf = new Map(since.map((r) => [`${r.account_id}\u0000${r.lifecycle_id}`, new Date(r.since).getTime()]));
  moves.forEach((m, i) => {
    const current = sinceOf.get(`${m.accountId}\u0000${m.lifecycleId}`);
    if (current !== undefined && m.at.getTime() < current) issues.add([...base, i, "changedAt"], "This is earlier than the account's current stage began; send changes in time order.");
  });
  issues.throwIfAny();
  const results = await moveStages(ctx.db, { userId: ctx.viewer.userId, name: ctx.viewer.name }, moves, source);
  const changed = results.filter((r) => r.changed).length;
  return { changed, unchanged: results.length - changed };
}
