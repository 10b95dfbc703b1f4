import "server-only";
import { sql } from "drizzle-orm";
import { ancestorsOf, findAccount } from "./accounts";
import type { Ctx } from "./viewer";

export type AccountPreview = {
  id: string;
  name: string;
  typeName: string;
  level: number;
  path: string[];
  healthBand: "good" | "average" | "poor" | null;
  healthScore: number | null;
  recentWeeks: ("good" | "average" | "poor")[];
  mrr: number;
  arr: number;
  rolledUp: boolean;
  journeyStage: string | null;
  csm: string | null;
  /** Success units (traffic lights) of the account's own modules. */
  successUnits: { module: string; colour: "red" | "amber" | "green" }[];
  /** Counts per colour over the account and below (parents), or null when none is rated. */
  successCounts: { red: number; amber: number; green: number } | null;
};

/**
 * The condensed profile shown on hover in lists and as a link preview: name, place in the
 * hierarchy, recent health, MRR/ARR, journey stage and CSM. Same visibility as the profile.
 */
export async function accountPreview(ctx: Ctx, id: unknown): Promise<AccountPreview | null> {
  const account = await findAccount(ctx, id);
  if (!account) return null;
  const [crumbs, facts] = await Promise.all([
    ancestorsOf(ctx, account),
    ctx.db.execute<{
      weeks: { band: "good" | "average" | "poor"; score: number }[] | string | null;
      mrr: string | null;
      descendants: number | null;
      stage: string | null;
      csm: string | null;
      units: { module: string; colour: "red" | "amber" | "green" }[] | string | null;
      counts: { red: number; amber: number; green: number } | string | null;
    }>(sql`
      select
        (select json_agg(json_build_object('band', w.band, 'score', w.score) order by w.week_start)
           from (select band, score, week_start from health_snapshots where account_id = ${account.id}
                 order by week_start desc limit 12) w) as weeks,
        (select mrr from account_rollups where account_id = ${account.id}) as mrr,
        (select descendants from account_rollups where account_id = ${account.id}) as descendants,
        (select s.name from account_stages x join lifecycle_stages s on s.id = x.stage_id
           join lifecycles l on l.id = x.lifecycle_id where x.account_id = ${account.id} and l.key = 'journey') as stage,
        (select u.name from assignments a join users u on u.id = a.user_id
           where a.account_id = ${account.id} and a.role = 'CSM' order by u.name limit 1) as csm,
        (select json_agg(json_build_object('module', m.name, 'colour', su.colour) order by m.position, m.name)
           from success_units su join usage_modules m on m.id = su.module_id where su.account_id = ${account.id} and not m.hidden) as units,
        (select json_build_object('red', r.red, 'amber', r.amber, 'green', r.green) from success_unit_rollups r where r.account_id = ${account.id}) as counts`),
  ]);
  const row = facts.rows[0];
  const weeks = (typeof row.weeks === "string" ? JSON.parse(row.weeks) : row.weeks) ?? [];
  const latest = weeks.at(-1);
  const mrr = Number(row.mrr ?? 0);
  return {
    id: account.id,
    name: account.name,
    typeName: account.typeName,
    level: account.depth + 1,
    path: crumbs.map((c) => c.name ?? "…"),
    healthBand: latest?.band ?? null,
    healthScore: latest ? Number(latest.score) : null,
    recentWeeks: weeks.map((w: { band: "good" | "average" | "poor" }) => w.band),
    mrr,
    arr: mrr * 12,
    rolledUp: Number(row.descendants ?? 0) > 0,
    journeyStage: row.stage,
    csm: row.csm,
    successUnits: (typeof row.units === "string" ? JSON.parse(row.units) : row.units) ?? [],
    successCounts: (typeof row.counts === "string" ? JSON.parse(row.counts) : row.counts) ?? null,
  };
}
