import "server-only";
import { sql } from "drizzle-orm";
import type { AccountSummary } from "./accounts";
import type { Ctx } from "./viewer";

export type StageHistoryEntry = {
  id: number;
  fromName: string | null;
  toName: string;
  changedAt: string;
  by: string | null;
  note: string | null;
  source: string;
};

export type LifecycleStatus = {
  lifecycleId: string;
  lifecycleKey: string;
  lifecycleName: string;
  stageKey: string | null;
  stageName: string | null;
  /** The account's stage was archived by an admin: it keeps it, shown as archived. */
  stageArchived: boolean;
  since: string | null;
  /** Stages offered (not archived), plus the account's own when archived. */
  stages: { id: string; key: string; name: string; archived: boolean }[];
  position: number | null;
  /** Earlier moves, newest first (the current stage's own move included). */
  history: StageHistoryEntry[];
};

/** How many past moves per lifecycle the Status widget shows. */
export const STAGE_HISTORY_LIMIT = 10;

/**
 * Every lifecycle with the account's current stage (if any) and since when, and its latest moves.
 * Two indexed queries: the lifecycles with their stages, and the account's newest stage changes.
 */
export async function lifecycleStatus(ctx: Ctx, account: AccountSummary, options: { history?: boolean } = {}): Promise<LifecycleStatus[]> {
  const withHistory = options.history ?? true;
  const [current, changes] = await Promise.all([
    ctx.db.execute<{
      lifecycle_id: string;
      lifecycle_key: string;
      lifecycle_name: string;
      stage_key: string | null;
      stage_name: string | null;
      stage_archived: boolean | null;
      since: string | Date | null;
      stages: { id: string; key: string; name: string; archived: boolean }[] | string;
    }>(sql`
      select l.id as lifecycle_id, l.key as lifecycle_key, l.name as lifecycle_name, s.key as stage_key, s.name as stage_name,
        s.archived_at is not null as stage_archived, x.since,
        (select coalesce(json_agg(json_build_object('id', st.id, 'key', st.key, 'name', st.name, 'archived', st.archived_at is not null) order by st.position), '[]'::json)
           from lifecycle_stages st where st.lifecycle_id = l.id and (st.archived_at is null or st.id = x.stage_id)) as stages
      from lifecycles l
      left join account_stages x on x.lifecycle_id = l.id and x.account_id = ${account.id}
      left join lifecycle_stages s on s.id = x.stage_id
      order by l.position, l.name`),
    withHistory ? ctx.db.execute<{
      id: number | string;
      lifecycle_id: string;
      from_name: string | null;
      to_name: string;
      changed_at: string | Date;
      by_name: string | null;
      note: string | null;
      source: string;
    }>(sql`
      select c.id, c.lifecycle_id, f.name as from_name, t.name as to_name, c.changed_at, u.name as by_name, c.note, c.source
      from stage_changes c
      join lifecycle_stages t on t.id = c.to_stage_id
      left join lifecycle_stages f on f.id = c.from_stage_id
      left join users u on u.id = c.changed_by
      where c.account_id = ${account.id}
      order by c.changed_at desc, c.id desc
      limit 100`) : { rows: [] },
  ]);
  const history = new Map<string, StageHistoryEntry[]>();
  for (const r of changes.rows) {
    const list = history.get(r.lifecycle_id) ?? [];
    if (list.length < STAGE_HISTORY_LIMIT) {
      list.push({ id: Number(r.id), fromName: r.from_name, toName: r.to_name, changedAt: new Date(r.changed_at).toISOString(), by: r.by_name, note: r.note, source: r.source });
    }
    history.set(r.lifecycle_id, list);
  }
  return current.rows.map((r) => {
    const stages = typeof r.stages === "string" ? JSON.parse(r.stages) : r.stages;
    const position = r.stage_key ? stages.findIndex((s: { key: string }) => s.key === r.stage_key) : -1;
    return {
      lifecycleId: r.lifecycle_id,
      lifecycleKey: r.lifecycle_key,
      lifecycleName: r.lifecycle_name,
      stageKey: r.stage_key,
      stageName: r.stage_name,
      stageArchived: Boolean(r.stage_archived),
      since: r.since ? new Date(r.since).toISOString() : null,
      stages,
      position: position >= 0 ? position : null,
      history: history.get(r.lifecycle_id) ?? [],
    };
  });
}
