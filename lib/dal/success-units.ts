import "server-only";
import { sql } from "drizzle-orm";
import type { SuccessUnitColour } from "@/db/schema";
import type { AccountSummary } from "./accounts";
import type { Ctx } from "./viewer";

export type SuccessUnitView = { moduleKey: string; moduleName: string; colour: SuccessUnitColour; activeUsers: number; since: Date; amberMin: number; greenMin: number };
export type SuccessUnitCounts = { red: number; amber: number; green: number };
export type SuccessUnitsOf = { units: SuccessUnitView[]; subtree: SuccessUnitCounts | null; hasChildren: boolean };

/**
 * The account's stored colours (its own modules) and the kept counts per colour over it and every
 * account below: two indexed reads, the same at a root of 100,000 accounts as at a leaf.
 */
export async function successUnitsOf(ctx: Ctx, account: AccountSummary): Promise<SuccessUnitsOf> {
  const [units, rollup] = await Promise.all([
    ctx.db.execute<{ module_key: string; module_name: string; colour: SuccessUnitColour; active_users: number; since: string | Date; amber_min: number; green_min: number }>(sql`
      select m.key as module_key, m.name as module_name, u.colour, u.active_users, u.since, t.amber_min, t.green_min
      from success_units u join usage_modules m on m.id = u.module_id join success_unit_thresholds t on t.module_id = u.module_id
      where u.account_id = ${account.id}::uuid and not m.hidden
      order by m.position, m.name`),
    ctx.db.execute<{ red: number; amber: number; green: number; has_children: boolean }>(sql`
      select r.red, r.amber, r.green, exists (select 1 from accounts c where c.parent_id = ${account.id}::uuid and c.archived_at is null) as has_children
      from (select 1) one left join success_unit_rollups r on r.account_id = ${account.id}::uuid`),
  ]);
  const r = rollup.rows[0];
  return {
    units: units.rows.map((u) => ({
      moduleKey: u.module_key,
      moduleName: u.module_name,
      colour: u.colour,
      activeUsers: Number(u.active_users),
      since: new Date(u.since),
      amberMin: Number(u.amber_min),
      greenMin: Number(u.green_min),
    })),
    subtree: r && r.red !== null ? { red: Number(r.red), amber: Number(r.amber), green: Number(r.green) } : null,
    hasChildren: Boolean(r?.has_children),
  };
}
