import "server-only";
import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { sql } from "drizzle-orm";
import { from as copyFrom } from "pg-copy-streams";
import { transactionPgClient } from "@/db/client";
import { NO_CONTACT } from "@/db/schema";
import type { Ctx } from "@/lib/dal/viewer";
import { addUsageAggregates, lockForUsage } from "@/lib/rollups/maintain";
import { accountsByExternalId, contactsByExternalId, IssueList, pgArray, rows, unknownAccount, unknownContact } from "./resolve";
import type { UsageEventItem } from "./schemas";

export type UsageIngestResult = { inserted: number; aggregates: number };

type Activity = { id: string; moduleId: string };

/**
 * Writes a batch of usage events in the caller's transaction, built for throughput:
 * - accounts, contacts and activities are resolved with one query each (not per event);
 * - events are summed here per (account, UTC day, activity, end user), so the rollup upkeep
 *   (addUsageAggregates) touches one row per aggregate, not per event;
 * - the raw events go in with COPY on Postgres (inside the caller's transaction), and on PGlite with
 *   ONE `insert … select from unnest(arrays)` statement whose array parameters are Postgres array
 *   literals (one parameter per column, whatever the batch size).
 * Any unknown account, activity or contact refuses the whole batch with the events' field paths.
 */
export async function ingestUsage(ctx: Ctx, events: readonly UsageEventItem[], base: (string | number)[] = ["events"]): Promise<UsageIngestResult> {
  if (!events.length) return { inserted: 0, aggregates: 0 };
  // Before resolving ids: an account cannot be moved, archived or deleted between here and commit.
  await lockForUsage(ctx.db);
  const accountIds = new Set<string>();
  const contactIds = new Set<string>();
  for (const e of events) {
    accountIds.add(e.accountExternalId);
    if (e.userExternalId) contactIds.add(e.userExternalId);
  }
  const [accounts, contacts, activityRows] = [
    await accountsByExternalId(ctx, accountIds),
    await contactsByExternalId(ctx.db, contactIds),
    await rows<{ module_key: string; activity_key: string; id: string; module_id: string }>(
      ctx.db,
      sql`select m.key as module_key, a.key as activity_key, a.id, a.module_id from usage_activities a join usage_modules m on m.id = a.module_id`,
    ),
  ];
  const activities = new Map<string, Activity>(activityRows.map((r) => [`${r.module_key}\u0000${r.activity_key}`, { id: r.id, moduleId: r.module_id }]));

  const n = events.length;
  const evAccount = new Array<string>(n);
  const evContact = new Array<string | null>(n);
  const evModule = new Array<string>(n);
  const evActivity = new Array<string>(n);
  const evAt = new Array<string>(n);
  const evCount = new Array<number>(n);
  const sums = new Map<string, number>();
  const issues = new IssueList();
  for (let i = 0; i < n && !issues.full; i++) {
    const e = events[i];
    const account = accounts.get(e.accountExternalId);
    if (!account) issues.add([...base, i, "accountExternalId"], unknownAccount(e.accountExternalId));
    const activity = activities.get(`${e.module}\u0000${e.activity}`);
    if (!activity) issues.add([...base, i, "activity"], `There is no activity “${e.activity}” in a module “${e.module}”.`);
    let contact: string | null = null;
    if (e.userExternalId) {
      contact = contacts.get(e.userExternalId) ?? null;
      if (!contact) issues.add([...base, i, "userExternalId"], unknownContact(e.userExternalId));
    }
    if (!account || !activity || (e.userExternalId && !contact)) continue;
    const at = new Date(e.occurredAt);
    const iso = at.toISOString();
    const count = e.count ?? 1;
    evAccount[i] = account.id;
    evContact[i] = contact;
    evModule[i] = activity.moduleId;
    evActivity[i] = activity.id;
    evAt[i] = iso;
    evCount[i] = count;
    const key = `${account.id}|${iso.slice(0, 10)}|${activity.id}|${activity.moduleId}|${contact ?? NO_CONTACT}`;
    sums.set(key, (sums.get(key) ?? 0) + count);
  }
  issues.throwIfAny();

  const copyClient = transactionPgClient(ctx.db);
  if (copyClient) {
    // Postgres: COPY, about twice as fast for the database as the same rows through unnest().
    let data = "";
    for (let i = 0; i < n; i++) {
      data += `${evAccount[i]}\t${evContact[i] ?? "\\N"}\t${evModule[i]}\t${evActivity[i]}\t${evAt[i]}\t${evCount[i]}\n`;
    }
    await pipeline(
      Readable.from([data]),
      copyClient.query(copyFrom("copy usage_events (account_id, contact_id, module_id, activity_id, occurred_at, count) from stdin")),
    );
  } else {
    await ctx.db.execute(sql`
      insert into usage_events (account_id, contact_id, module_id, activity_id, occurred_at, count)
      select * from unnest(${pgArray(evAccount)}::uuid[], ${pgArray(evContact)}::uuid[], ${pgArray(evModule)}::uuid[],
        ${pgArray(evActivity)}::uuid[], ${pgArray(evAt)}::timestamptz[], ${pgArray(evCount)}::int[])`);
  }

  const agg = { accountIds: [] as string[], days: [] as string[], activityIds: [] as string[], moduleIds: [] as string[], contactIds: [] as string[], events: [] as number[] };
  for (const [key, total] of sums) {
    const [accountId, day, activityId, moduleId, contactId] = key.split("|");
    agg.accountIds.push(accountId);
    agg.days.push(day);
    agg.activityIds.push(activityId);
    agg.moduleIds.push(moduleId);
    agg.contactIds.push(contactId);
    agg.events.push(total);
  }
  await addUsageAggregates(ctx.db, {
    accountIds: pgArray(agg.accountIds),
    days: pgArray(agg.days),
    activityIds: pgArray(agg.activityIds),
    moduleIds: pgArray(agg.moduleIds),
    contactIds: pgArray(agg.contactIds),
    events: pgArray(agg.events),
  });
  return { inserted: n, aggregates: sums.size };
}
