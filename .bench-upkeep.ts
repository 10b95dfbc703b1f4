/**
 * Upkeep timings on the large data set (100k accounts, 10M events) in a throwaway Postgres 15.
 * Run from the repo root: DATABASE_URL=... NODE_OPTIONS=--conditions=react-server npx tsx ./.bench-upkeep.mts
 */
import { sql } from "drizzle-orm";
import { openDatabase } from "@/db/client";
import { loadViewer } from "@/lib/dal/viewer";
import { moveAccount } from "@/lib/hierarchy/accounts";
import { afterContractsChanged, ingestUsageEvents } from "@/lib/rollups/maintain";

async function main() {
const url = process.env.DATABASE_URL!;
const handle = await openDatabase({ driver: "pg", url, poolSize: 1 });
const db = handle.db;
const rows = async <T,>(q: ReturnType<typeof sql>) => ((await db.execute(q)) as unknown as { rows: T[] }).rows;

function stats(samples: number[]) {
  const s = [...samples].sort((a, b) => a - b);
  const at = (p: number) => s[Math.min(s.length - 1, Math.floor(p * s.length))];
  const total = samples.reduce((a, b) => a + b, 0);
  return { n: s.length, p50: +at(0.5).toFixed(3), p95: +at(0.95).toFixed(3), mean: +(total / s.length).toFixed(3), perSecond: Math.round((1000 * s.length) / total) };
}
async function time(n: number, fn: (i: number) => Promise<unknown>, warmup = Math.min(50, Math.ceil(n / 10))) {
  for (let i = 0; i < warmup; i++) await fn(i);
  const out: number[] = [];
  for (let i = 0; i < n; i++) {
    const t = performance.now();
    await fn(i);
    out.push(performance.now() - t);
  }
  return stats(out);
}

const leaves = (await rows<{ id: string }>(sql`select id from accounts where depth = 4 and archived_at is null order by md5(id::text) limit 2000`)).map((r) => r.id);
const activities = (await rows<{ id: string; module_id: string }>(sql`select id, module_id from usage_activities order by key`));
const [{ ancestors }] = await rows<{ ancestors: number }>(sql`select count(*)::int as ancestors from account_closure where descendant_id = ${leaves[0]}`);
console.log(`leaf has ${ancestors} rollup rows to keep (itself + ${ancestors - 1} ancestors)`);
const now = Date.now();
const event = (i: number) => ({ accountId: leaves[i % leaves.length], activityId: activities[i % activities.length].id, occurredAt: new Date(now - (i % 30) * 86_400_000), count: 1 });

// 1. One event per transaction.
const plainOne = await time(2000, (i) =>
  db.transaction(async (tx) => {
    const e = event(i);
    await tx.execute(sql`insert into usage_events (account_id, module_id, activity_id, occurred_at, count)
      select ${e.accountId}::uuid, module_id, id, ${e.occurredAt.toISOString()}::timestamptz, 1 from usage_activities where id = ${e.activityId}`);
  }),
);
const upkeepOne = await time(2000, (i) => db.transaction((tx) => ingestUsageEvents(tx, [event(i)])));
console.log("single event, no upkeep  ", plainOne);
console.log("single event, with upkeep", upkeepOne);

// 2. 10,000 events per transaction.
const batch = (k: number) => Array.from({ length: 10_000 }, (_, i) => event(k * 10_000 + i * 7));
const plainBatch = await time(
  10,
  (k) =>
    db.transaction(async (tx) => {
      await tx.execute(sql`insert into usage_events (account_id, contact_id, module_id, activity_id, occurred_at, count)
        select x.account_id, x.contact_id, a.module_id, x.activity_id, x.occurred_at, x.count
        from jsonb_to_recordset(${JSON.stringify(batch(k).map((e) => ({ account_id: e.accountId, activity_id: e.activityId, contact_id: null, occurred_at: e.occurredAt.toISOString(), count: 1 })))}::jsonb)
          as x(account_id uuid, activity_id uuid, contact_id uuid, occurred_at timestamptz, count int)
        join usage_activities a on a.id = x.activity_id`);
    }),
  2,
);
const upkeepBatch = await time(10, (k) => db.transaction((tx) => ingestUsageEvents(tx, batch(k))), 2);
console.log("10,000-event batch, no upkeep  ", plainBatch);
console.log("10,000-event batch, with upkeep", upkeepBatch);

// 3. A leaf's MRR change with its 4 ancestors + itself.
const contracts = await rows<{ id: string; account_id: string }>(sql`select c.id, c.account_id from contracts c join accounts a on a.id = c.account_id
  where a.depth = 4 and a.archived_at is null order by md5(c.id::text) limit 500`);
const mrrPlain = await time(500, (i) =>
  db.transaction(async (tx) => {
    const c = contracts[i % contracts.length];
    await tx.execute(sql`update contracts set mrr = mrr + ${i % 2 ? 1 : -1} where id = ${c.id}`);
  }),
);
const mrrUpkeep = await time(500, (i) =>
  db.transaction(async (tx) => {
    const c = contracts[i % contracts.length];
    await tx.execute(sql`update contracts set mrr = mrr + ${i % 2 ? 1 : -1} where id = ${c.id}`);
    await afterContractsChanged(tx, c.account_id);
  }),
);
console.log("leaf MRR change, no upkeep  ", mrrPlain);
console.log("leaf MRR change, with upkeep", mrrUpkeep);

// 4. Subtree moves, back and forth: a division (~49 accounts) between two lines of business of one
// region, and a line of business (~2,000 accounts) between two regions.
const [admin] = await rows<{ id: string }>(sql`select id from users where email = 'admin@demo.test'`);
const viewer = (await loadViewer(db, admin.id))!;
const pick = async (depth: number) => (await rows<{ id: string; parent_id: string }>(sql`select id, parent_id from accounts where depth = ${depth} order by external_id limit 1`))[0];
const division = await pick(3);
const [otherLob] = await rows<{ id: string }>(sql`select id from accounts where depth = 2 and id <> ${division.parent_id} and parent_id = (select parent_id from accounts where id = ${division.parent_id}) limit 1`);
const lob = await pick(2);
const [otherRegion] = await rows<{ id: string }>(sql`select id from accounts where depth = 1 and id <> ${lob.parent_id} limit 1`);
const [{ size: divisionSize }] = await rows<{ size: number }>(sql`select count(*)::int as size from account_closure where ancestor_id = ${division.id}`);
const [{ size: lobSize }] = await rows<{ size: number }>(sql`select count(*)::int as size from account_closure where ancestor_id = ${lob.id}`);
const [{ n: divisionUsage }] = await rows<{ n: number }>(sql`select count(*)::int as n from usage_rollup_daily where account_id = ${division.id}`);
const [{ n: lobUsage }] = await rows<{ n: number }>(sql`select count(*)::int as n from usage_rollup_daily where account_id = ${lob.id}`);
const move = (id: string, a: string, b: string) => (i: number) => db.transaction((tx) => moveAccount({ db: tx, viewer }, id, i % 2 ? a : b));
const divisionMove = await time(20, move(division.id, division.parent_id, otherLob.id), 2);
console.log(`move a division (${divisionSize} accounts, ${divisionUsage} usage rollup rows)`, divisionMove);
const lobMove = await time(6, move(lob.id, lob.parent_id, otherRegion.id), 2);
console.log(`move a line of business (${lobSize} accounts, ${lobUsage} usage rollup rows)`, lobMove);
await handle.close();
}
main().catch((e) => { console.error(e); process.exit(1); });
