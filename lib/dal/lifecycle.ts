import "server-only";
import { sql } from "drizzle-orm";
import type { AccountSummary } from "./accounts";
import type { Ctx } from "./viewer";

export type LifecycleStatus = {
  lifecycleKey: string;
  lifecycleName: string;
  stageKey: string | null;
  stageName: string | null;
  /** The account's stage was archived by an admin: it keeps it, shown as archived. */
  stageArchived: boolean;
  since: string | null;
  stages: { key: string; name: string }[];
  position: number | null;
};

/** Every lifecycle with the account's current stage (if any) and since when; archived stages only when it is the account's. */
export async function lifecycleStatus(ctx: Ctx, account: AccountSummary): Promise<LifecycleStatus[]> {
  const result = await ctx.db.execute<{
    lifecycle_key: string;
    lifecycle_name: string;
    stage_key: string | null;
    stage_name: string | null;
    stage_archived: boolean | null;
    since: string | Date | null;
    stages: { key: string; name: string }[];
  }>(sql`
    select l.key as lifecycle_key, l.name as lifecycle_name, s.key as stage_key, s.name as stage_name, s.archived_at is not null as stage_archived, x.since,
      (select coalesce(json_agg(json_build_object('key', st.key, 'name', st.name) order by st.position), '[]'::json)
         from lifecycle_stages st where st.lifecycle_id = l.id and (st.archived_at is null or st.id = x.stage_id)) as stages
    from lifecycles l
    left join account_stages x on x.lifecycle_id = l.id and x.account_id = ${account.id}
    left join lifecycle_stages s on s.id = x.stage_id
    order by l.position, l.name`);
  return result.rows.map((r) => {
    const stages = typeof r.stages === "string" ? JSON.parse(r.stages) : r.stages;
    const position = r.stage_key ? stages.findIndex((s: { key: string }) => s.key === r.stage_key) : -1;
    return {
      lifecycleKey: r.lifecycle_key,
      lifecycleName: r.lifecycle_name,
      stageKey: r.stage_key,
      stageName: r.stage_name,
      stageArchived: Boolean(r.stage_archived),
      since: r.since ? new Date(r.since).toISOString() : null,
      stages,
      position: position >= 0 ? position : null,
    };
  });
}
