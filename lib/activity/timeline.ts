import "server-only";
import { sql } from "drizzle-orm";
import type { Executor } from "@/db/client";
import { TIMELINE_LIMIT, timelineEntries, type timelineKind } from "@/db/schema";

export type TimelineKind = (typeof timelineKind.enumValues)[number];

export type NewTimelineEntry = {
  accountId: string;
  kind: TimelineKind;
  /** Id of the record the entry is about (touchpoint, task, attribute...). */
  refId: string | null;
  actorId: string | null;
  title: string;
  /** The record as it is now: the entry never changes afterwards. */
  snapshot: Record<string, unknown>;
  occurredAt: Date;
};

/** Advisory lock class of timeline writes (the second key is the account's hash). */
const TIMELINE_LOCK_CLASS = 360_362;

export type TimelineWrite = {
  ids: number[];
  /** Entries deleted to keep the account at TIMELINE_LIMIT. */
  pruned: number;
  /** False when one of the new entries was itself older than the newest TIMELINE_LIMIT. */
  allKept: boolean;
};

/**
 * Writes entries for ONE account and prunes its timeline to the newest TIMELINE_LIMIT, in the
 * caller's transaction. Timeline writes of an account are serialised by an advisory lock, so two
 * concurrent writers cannot both prune against a count that misses the other's entry.
 */
export async function recordTimeline(db: Executor, entries: NewTimelineEntry[]): Promise<TimelineWrite> {
  if (!entries.length) return { ids: [], pruned: 0, allKept: true };
  const accountId = entries[0].accountId;
  if (entries.some((e) => e.accountId !== accountId)) throw new Error("recordTimeline: entries of one account at a time");
  await db.execute(sql`select pg_advisory_xact_lock(${TIMELINE_LOCK_CLASS}, hashtext(${accountId}))`);
  const inserted = await db.insert(timelineEntries).values(entries).returning({ id: timelineEntries.id });
  const ids = inserted.map((r) => Number(r.id));
  const pruned = await pruneTimeline(db, accountId);
  return { ids, pruned: pruned.length, allKept: !ids.some((id) => pruned.includes(id)) };
}

/** Deletes the account's entries beyond the newest TIMELINE_LIMIT; returns the deleted ids. */
export async function pruneTimeline(db: Executor, accountId: string, limit = TIMELINE_LIMIT): Promise<number[]> {
  const result = await db.execute<{ id: number | string }>(sql`
    delete from timeline_entries where id in (
      select id from timeline_entries where account_id = ${accountId}::uuid
      order by occurred_at desc, id desc offset ${limit}
    ) returning id`);
  return result.rows.map((r) => Number(r.id));
}

/** "Touchpoint" → shown after a save when the new entry fell off the end of a full timeline. */
export function prunedNote(write: TimelineWrite): string {
  return write.allKept ? "" : ` It is older than the ${TIMELINE_LIMIT.toLocaleString("en-US")} newest entries the timeline keeps, so it does not appear there.`;
}
