import "server-only";
import { sql } from "drizzle-orm";
import type { Executor } from "@/db/client";
import { recordTimeline } from "@/lib/activity/timeline";
import { emitEvents } from "@/lib/events/emit";
import type { NewDomainEvent } from "@/lib/events/types";

/** Where a stage change came from, kept on the change and said on the timeline. */
export type StageChangeSource = "app" | "api" | "import";

/** One move, already resolved and checked (the stage is of the lifecycle and not archived). */
export type StageMove = {
  accountId: string;
  lifecycleId: string;
  stageId: string;
  note: string | null;
  at: Date;
};

export type StageMoveResult = { accountId: string; lifecycleId: string; fromStageId: string | null; toStageId: string; changed: boolean; changeId: number | null };

type Names = { lifecycle: string; from: string | null; to: string };

/**
 * Moves accounts to stages, in the caller's transaction: the current stage (account_stages), the
 * history row (stage_changes with who, when, from, to, note and source), a timeline entry and a
 * `stage.changed` event. A move to the stage the account is already at changes nothing. Rows of
 * one account and lifecycle are locked, so two people moving the same account record two changes
 * in order, each from the stage the other left.
 */
export async function moveStages(db: Executor, actor: { userId: string | null; name: string }, moves: StageMove[], source: StageChangeSource): Promise<StageMoveResult[]> {
  const results: StageMoveResult[] = [];
  const events: NewDomainEvent[] = [];
  // A stable order, so concurrent batches lock rows in the same order.
  const ordered = [...moves].sort((a, b) => a.accountId.localeCompare(b.accountId) || a.lifecycleId.localeCompare(b.lifecycleId) || a.at.getTime() - b.at.getTime());
  for (const move of ordered) {
    const { rows: current } = await db.execute<{ stage_id: string }>(sql`
      select stage_id from account_stages where account_id = ${move.accountId}::uuid and lifecycle_id = ${move.lifecycleId}::uuid for update`);
    const fromStageId = current[0]?.stage_id ?? null;
    if (fromStageId === move.stageId) {
      results.push({ accountId: move.accountId, lifecycleId: move.lifecycleId, fromStageId, toStageId: move.stageId, changed: false, changeId: null });
      continue;
    }
    await db.execute(sql`
      insert into account_stages (account_id, lifecycle_id, stage_id, since)
      values (${move.accountId}::uuid, ${move.lifecycleId}::uuid, ${move.stageId}::uuid, ${move.at.toISOString()}::timestamptz)
      on conflict (account_id, lifecycle_id) do update set stage_id = excluded.stage_id, since = excluded.since`);
    const { rows: inserted } = await db.execute<{ id: number | string }>(sql`
      insert into stage_changes (account_id, lifecycle_id, from_stage_id, to_stage_id, changed_by, changed_at, note, source)
      values (${move.accountId}::uuid, ${move.lifecycleId}::uuid, ${fromStageId}::uuid, ${move.stageId}::uuid, ${actor.userId}::uuid,
        ${move.at.toISOString()}::timestamptz, ${move.note}, ${source})
      returning id`);
    const names = await stageNames(db, move.lifecycleId, fromStageId, move.stageId);
    await recordTimeline(db, [
      {
        accountId: move.accountId,
        kind: "lifecycle_change",
        refId: String(inserted[0].id),
        actorId: actor.userId,
        title: `${names.lifecycle}: ${names.from ?? "Not started"} → ${names.to}`,
        snapshot: { lifecycle: names.lifecycle, from: names.from, to: names.to, note: move.note, source, by: actor.name },
        occurredAt: move.at,
      },
    ]);
    events.push({
      type: "stage.changed",
      accountId: move.accountId,
      actorId: actor.userId,
      data: { lifecycleId: move.lifecycleId, fromStageId, toStageId: move.stageId, note: move.note },
      occurredAt: move.at,
    });
    results.push({ accountId: move.accountId, lifecycleId: move.lifecycleId, fromStageId, toStageId: move.stageId, changed: true, changeId: Number(inserted[0].id) });
  }
  await emitEvents(db, events);
  return results;
}

async function stageNames(db: Executor, lifecycleId: string, fromStageId: string | null, toStageId: string): Promise<Names> {
  const { rows } = await db.execute<{ lifecycle: string; from_name: string | null; to_name: string }>(sql`
    select l.name as lifecycle,
      (select name from lifecycle_stages where id = ${fromStageId}::uuid) as from_name,
      (select name from lifecycle_stages where id = ${toStageId}::uuid) as to_name
    from lifecycles l where l.id = ${lifecycleId}::uuid`);
  return { lifecycle: rows[0]?.lifecycle ?? "Lifecycle", from: rows[0]?.from_name ?? null, to: rows[0]?.to_name ?? "" };
}
