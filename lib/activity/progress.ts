import "server-only";
import { sql } from "drizzle-orm";
import type { Executor } from "@/db/client";
import { pgArray } from "@/lib/ingest/resolve";

/**
 * An objective's progress: the share of its tasks that are done (cancelled ones do not count), or,
 * when it has no tasks, the value set by hand (left as it is). Called in the transaction of every
 * task write that can change it, so the stored figure never lags the tasks.
 *
 * The objective rows are locked first and recomputed in a second statement: under READ COMMITTED
 * that statement's snapshot is taken after the lock is granted, so it sees a concurrent task
 * write that held the lock and committed (one UPDATE with a subquery would not).
 */
export async function refreshObjectiveProgress(db: Executor, objectiveIds: readonly (string | null | undefined)[]): Promise<void> {
  const ids = [...new Set(objectiveIds.filter((id): id is string => Boolean(id)))].sort();
  if (!ids.length) return;
  await db.execute(sql`select id from objectives where id = any(${pgArray(ids)}::uuid[]) order by id for update`);
  await db.execute(sql`
    update objectives o set progress = c.progress
    from (
      select t.objective_id, round(100.0 * count(*) filter (where t.status = 'done') / count(*))::int as progress
      from tasks t where t.objective_id = any(${pgArray(ids)}::uuid[]) and t.status <> 'cancelled'
      group by t.objective_id
    ) c
    where o.id = c.objective_id and o.progress <> c.progress`);
}
