import { sql } from "drizzle-orm";
import type { Database } from "@/db/client";
import { TIMELINE_LIMIT } from "@/db/schema";
import { refreshScores } from "@/lib/health/engine";
import { mondayOfDay, today } from "@/lib/health/weeks";
import { rows } from "@/lib/rollups/sql";

/**
 * The demo's current week, scored by the health engine itself (lib/health/engine.ts) with the
 * seeded schemes, so that the first re-score after seeding changes nothing: the generated history
 * (past weeks) stays as the story was written, the current week becomes what the engine computes
 * from the seeded usage, tickets, touchpoints and surveys as of `now`.
 *
 * Written as a past week is (no band-change timeline entries or events, no health-mix upkeep: the
 * seed's rollup rebuild runs after this). The seeded "Health changed" entries of this week are then
 * brought in line with the written bands: an entry whose change the engine confirms is reworded to
 * its band, one it does not confirm goes, and a change the engine finds gets one (oldest entries
 * beyond TIMELINE_LIMIT pruned, as every timeline write does).
 *
 * Runs from seedAll (db/seed/all.ts) before the rollups are built; the seed CLI runs outside Next,
 * so it lets `server-only` resolve first (db/seed/allow-server-only.ts).
 */
export async function scoreDemoCurrentWeek(db: Database, now: Date): Promise<{ accounts: number; timelineChanged: number }> {
  const day = today(now);
  const week = mondayOfDay(day);
  const at = new Date(now.getTime() - 60 * 60 * 1000).toISOString();
  return db.transaction(async (tx) => {
    const ids = (await rows<{ id: string }>(tx, sql`select id from accounts where archived_at is null order by id`)).map((r) => r.id);
    const { accounts } = await refreshScores(tx, ids, day, false);
    // Each account's band this week and the week before (the seeded history).
    const bands = sql`(
      select a.id as account_id, cur.band as cur_band, cur.score as cur_score, prev.band as prev_band
      from accounts a
      left join health_snapshots cur on cur.account_id = a.id and cur.week_start = ${week}::date
      left join lateral (select p.band from health_snapshots p where p.account_id = a.id and p.week_start < ${week}::date
                         order by p.week_start desc limit 1) prev on true
      where a.archived_at is null)`;
    const thisWeek = sql`t.kind = 'health_change' and t.snapshot->>'weekStart' = ${week}`;
    const reworded = await rows<{ id: number }>(tx, sql`
      update timeline_entries t set title = 'Health changed from ' || b.prev_band || ' to ' || b.cur_band,
        snapshot = t.snapshot || jsonb_build_object('from', b.prev_band, 'to', b.cur_band, 'score', b.cur_score)
      from ${bands} b
      where t.account_id = b.account_id and ${thisWeek} and b.cur_band is distinct from b.prev_band and b.cur_band is not null and b.prev_band is not null
        and (t.snapshot->>'to' is distinct from b.cur_band::text or t.snapshot->>'from' is distinct from b.prev_band::text)
      returning t.id`);
    const dropped = await rows<{ id: number }>(tx, sql`
      delete from timeline_entries t using ${bands} b
      where t.account_id = b.account_id and ${thisWeek} and (b.cur_band is not distinct from b.prev_band or b.cur_band is null or b.prev_band is null)
      returning t.id`);
    const added = await rows<{ account_id: string }>(tx, sql`
      insert into timeline_entries (account_id, kind, ref_id, actor_id, title, snapshot, occurred_at)
      select b.account_id, 'health_change', null, null, 'Health changed from ' || b.prev_band || ' to ' || b.cur_band,
        jsonb_build_object('from', b.prev_band, 'to', b.cur_band, 'score', b.cur_score, 'weekStart', ${week}::text), ${at}::timestamptz
      from ${bands} b
      where b.cur_band <> b.prev_band
        and not exists (select 1 from timeline_entries t where t.account_id = b.account_id and ${thisWeek})
      returning account_id`);
    if (added.length) {
      await tx.execute(sql`
        delete from timeline_entries t using (
          select id from (select id, row_number() over (partition by account_id order by occurred_at desc, id desc) as rn
                          from timeline_entries where account_id = any(${`{${added.map((a) => a.account_id).join(",")}}`}::uuid[])) r
          where rn > ${TIMELINE_LIMIT}) x
        where t.id = x.id`);
    }
    return { accounts, timelineChanged: reworded.length + dropped.length + added.length };
  });
}
