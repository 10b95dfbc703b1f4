/**
 * The three profiles the benchmark opens, from the large data set (db/seed/large.ts): ids there are
 * `md5('acct-' || i)::uuid`, so they are known without asking the seed.
 */
import { createHash } from "node:crypto";
import type pg from "pg";

export function md5Uuid(text: string): string {
  const hex = createHash("md5").update(text).digest("hex");
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/**
 * leaf: the first product (depth 4) — the large set's designated leaf, with 2,000 timeline entries
 * and the most usage, so the busiest kind of leaf; mid: the first division (depth 3, ~49 products
 * below); root: the ultimate parent (~100,000 accounts below).
 */
export const LARGE_IDS = { leaf: md5Uuid("acct-2056"), mid: md5Uuid("acct-56"), root: md5Uuid("acct-0") } as const;
export type CaseName = keyof typeof LARGE_IDS;

export type BenchAccount = {
  id: string;
  name: string;
  typeName: string;
  depth: number;
  descendants: number;
  timelineEntries: number;
  usageDailyRows: number;
};

/** Loads and checks the three accounts; fails when the database does not hold the large set. */
export async function describeAccounts(client: pg.Client, ids: Record<CaseName, string> = LARGE_IDS): Promise<Record<CaseName, BenchAccount>> {
  const out = {} as Record<CaseName, BenchAccount>;
  for (const [label, id] of Object.entries(ids) as [CaseName, string][]) {
    const { rows } = await client.query<{ name: string; type_name: string; depth: number; descendants: number | null; timeline: string; usage: string }>(
      `select a.name, t.name as type_name, a.depth, r.descendants,
         (select count(*) from timeline_entries te where te.account_id = a.id) as timeline,
         (select count(*) from usage_daily u where u.account_id = a.id) as usage
       from accounts a join account_types t on t.id = a.type_id left join account_rollups r on r.account_id = a.id
       where a.id = $1 and a.archived_at is null`,
      [id],
    );
    if (!rows.length) throw new Error(`the ${label} account ${id} is not in the database: is this the large data set?`);
    const r = rows[0];
    if (r.descendants == null) throw new Error(`the ${label} account ${id} has no account_rollups row: were the rollups built?`);
    out[label] = {
      id,
      name: r.name,
      typeName: r.type_name,
      depth: Number(r.depth),
      descendants: Number(r.descendants),
      timelineEntries: Number(r.timeline),
      usageDailyRows: Number(r.usage),
    };
  }
  return out;
}
