/**
 * Health engine benchmark: `npm run bench:health [-- options]` → bench/results/health.json.
 *
 *   1. Postgres: DATABASE_URL when set (an existing database: the large set, or any seeded one while
 *      developing); else the profile benchmark's cluster (bench/postgres.ts, /tmp/c360-bench-pg),
 *      seeded with the large set (`seedLarge`, reused when present) and stopped at the end.
 *   2. From scratch: every live account (or the first --accounts=N, deepest first) scored for the
 *      current ISO week and written through the engine's own path (lib/health/engine.ts
 *      recomputeEverything: set-based queries per dimension, snapshots upserted, band changes as
 *      timeline entries and events, the health mix of every ancestor), one transaction per chunk.
 *      Reports seconds and the rows written (snapshots, timeline entries, events).
 *   3. Writes, with and without health upkeep, alternating in one run so both see the same machine:
 *      a 10,000-event usage batch (lib/ingest/usage.ts, as POST /api/v1/usage-events runs it) and a
 *      single ticket (lib/ingest/tickets.ts), each in a transaction that is rolled back, so the data
 *      set is unchanged; p50 of --runs samples each. "Without" turns the one markHealthDirty call
 *      off (healthUpkeep in lib/health/dirty.ts). Also the worker's time to re-score the accounts
 *      of one batch (what the queue adds later, outside the write).
 */
import { existsSync, mkdirSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { median, percentile } from "./load";
import { mulberry32 as rng } from "../db/seed/random";
import { startBenchPostgres, type BenchPostgres } from "./postgres";
import { allowServerOnly } from "./widgets";

type Options = { accounts: number | null; runs: number; out: string; chunk: number };

const HELP = `npm run bench:health [-- options]
  --accounts=N   recompute only the first N live accounts (deepest first); default: all
  --runs=N       samples per write case and mode (default 15)
  --chunk=N      accounts per recompute transaction (default 5000)
  --out=FILE     write the results to FILE (default bench/results/health.json)
DATABASE_URL, when set, names the database (already seeded); else the profile benchmark's cluster in
BENCH_PG_DIR (default /tmp/c360-bench-pg) with the large set.`;

function parseArgs(argv: string[]): Options {
  const o: Options = { accounts: null, runs: 15, out: "bench/results/health.json", chunk: 5000 };
  for (const arg of argv) {
    const [key, value] = arg.split("=", 2);
    if (key === "--accounts") o.accounts = Math.max(1, Math.trunc(Number(value)));
    else if (key === "--runs") o.runs = Math.max(1, Math.trunc(Number(value)));
    else if (key === "--chunk") o.chunk = Math.max(1, Math.trunc(Number(value)));
    else if (key === "--out") o.out = value;
    else if (key === "--help" || key === "-h") {
      console.log(HELP);
      process.exit(0);
    } else throw new Error(`unknown option ${arg}\n${HELP}`);
  }
  if (![o.runs, o.chunk, o.accounts ?? 1].every(Number.isFinite)) throw new Error(`bad option value\n${HELP}`);
  return o;
}

const log = (msg: string) => console.log(`[bench health ${new Date().toISOString().slice(11, 19)}] ${msg}`);
const r2 = (n: number) => Math.round(n * 100) / 100;


class Rollback extends Error {}

function stats(samples: number[]) {
  const sorted = [...samples].sort((a, b) => a - b);
  return { p50_ms: r2(median(samples)), p95_ms: r2(percentile(sorted, 95)), samples: samples.length };
}

async function main(): Promise<void> {
  const options = parseArgs(process.argv.slice(2));
  allowServerOnly();
  let cluster: BenchPostgres | null = null;
  let url = process.env.DATABASE_URL;
  if (!url) {
    cluster = await startBenchPostgres({ dir: process.env.BENCH_PG_DIR, log });
    url = cluster.url;
    const { seedLarge } = await import("@/db/seed/large");
    log("large set: seeding (or reusing)");
    const summary = await seedLarge(url, log);
    log(summary.skipped ? "large set already there" : `large set seeded in ${Math.round(summary.elapsedMs / 1000)} s`);
  }
  const [{ openDatabase, migrateDatabase }, { sql }, engine, dirty, { today }, viewerMod, usage, tickets] = await Promise.all([
    import("@/db/client"),
    import("drizzle-orm"),
    import("@/lib/health/engine"),
    import("@/lib/health/dirty"),
    import("@/lib/health/weeks"),
    import("@/lib/dal/viewer"),
    import("@/lib/ingest/usage"),
    import("@/lib/ingest/tickets"),
  ]);
  const handle = await openDatabase({ driver: "pg", url, poolSize: 2 });
  try {
    await migrateDatabase(handle);
    const db = handle.db;
    const q = async <T>(query: ReturnType<typeof sql>) => ((await db.execute(query)) as unknown as { rows: T[] }).rows;
    const day = today();
    const [size] = await q<{ accounts: number; events: number }>(sql`select (select count(*)::int from accounts where archived_at is null) as accounts, (select reltuples::bigint from pg_class where relname = 'usage_events') as events`);
    const count = async () =>
      (
        await q<{ snapshots: number; timeline: number; events: number; dirty: number }>(sql`select
          (select count(*)::int from health_snapshots where week_start = date_trunc('week', ${day}::date)::date) as snapshots,
          (select count(*)::int from timeline_entries where kind = 'health_change') as timeline,
          (select count(*)::int from domain_events where type = 'health.band_changed') as events,
          (select count(*)::int from health_dirty) as dirty`)
      )[0];

    // ----- from scratch -----------------------------------------------------------------------
    const before = await count();
    log(`recomputing ${options.accounts ?? size.accounts} of ${size.accounts} accounts from scratch (chunks of ${options.chunk})`);
    const load1 = os.loadavg()[0];
    const started = performance.now();
    const result = await engine.recomputeEverything(db, day, { chunk: options.chunk, limit: options.accounts ?? undefined });
    const seconds = (performance.now() - started) / 1000;
    const after = await count();
    log(`${result.accounts} accounts in ${seconds.toFixed(1)} s (${result.changed} changed)`);

    // ----- writes with and without upkeep ------------------------------------------------------
    const [admin] = await q<{ id: string }>(sql`select id from users where role = 'admin' and disabled_at is null order by created_at limit 1`);
    const viewer = await viewerMod.loadViewer(db, admin.id);
    if (!viewer) throw new Error("no admin user in this database");
    const leaves = (await q<{ external_id: string }>(sql`select a.external_id from accounts a where a.archived_at is null and a.external_id is not null
        and not exists (select 1 from accounts c where c.parent_id = a.id) order by a.external_id limit 2000`)).map((r) => r.external_id);
    const activities = await q<{ module: string; activity: string }>(sql`select m.key as module, a.key as activity from usage_activities a join usage_modules m on m.id = a.module_id order by 1, 2 limit 20`);
    if (!leaves.length || !activities.length) throw new Error("the database has no leaf accounts or usage activities to write to");
    const random = rng(16);
    const batch = () =>
      Array.from({ length: 10_000 }, () => {
        const a = activities[Math.floor(random() * activities.length)];
        return { accountExternalId: leaves[Math.floor(random() * Math.min(leaves.length, 400))], module: a.module, activity: a.activity, occurredAt: new Date(Date.now() - Math.floor(random() * 30 * 86_400_000)).toISOString(), count: 1 };
      });
    const timed = async (run: (tx: import("@/db/client").Transaction) => Promise<unknown>): Promise<number> => {
      let ms = 0;
      try {
        await db.transaction(async (tx) => {
          const t = performance.now();
          await run(tx);
          ms = performance.now() - t;
          throw new Rollback();
        });
      } catch (error) {
        if (!(error instanceof Rollback)) throw error;
      }
      return ms;
    };
    const samples = { usageWith: [] as number[], usageWithout: [] as number[], ticketWith: [] as number[], ticketWithout: [] as number[], worker: [] as number[], workerAccounts: 0 };
    const runs = options.runs + 2; // the first two of each are warm-up
    for (let i = 0; i < runs; i++) {
      for (const on of i % 2 ? [true, false] : [false, true]) {
        dirty.healthUpkeep.enabled = on;
        const events = batch();
        const usageMs = await timed((tx) => usage.ingestUsage({ db: tx, viewer }, events));
        const ticketMs = await timed((tx) =>
          tickets.upsertTickets({ db: tx, viewer }, [{ externalId: `bench-health-${i}-${on}`, accountExternalId: leaves[i % leaves.length], subject: "Bench ticket", priority: "high", status: "open", openedAt: new Date().toISOString() }]),
        );
        if (i < 2) continue;
        (on ? samples.usageWith : samples.usageWithout).push(usageMs);
        (on ? samples.ticketWith : samples.ticketWithout).push(ticketMs);
      }
      if (i >= 2) {
        // What the queue adds later: re-scoring the accounts of one batch (also rolled back).
        dirty.healthUpkeep.enabled = true;
        const events = batch();
        let workerMs = 0;
        await timed(async (tx) => {
          await usage.ingestUsage({ db: tx, viewer }, events);
          const claimed = ((await tx.execute(sql`delete from health_dirty where id in (select id from health_dirty order by id desc limit 10000) returning account_id`)) as unknown as { rows: { account_id: string }[] }).rows;
          const accounts = [...new Set(claimed.map((c) => c.account_id))];
          samples.workerAccounts = accounts.length;
          const t = performance.now();
          await engine.refreshScores(tx, accounts, day, true);
          workerMs = performance.now() - t;
        });
        samples.worker.push(workerMs);
      }
      log(`write samples ${i + 1}/${runs}`);
    }
    dirty.healthUpkeep.enabled = true;
    const usageWith = stats(samples.usageWith);
    const usageWithout = stats(samples.usageWithout);
    const ticketWith = stats(samples.ticketWith);
    const ticketWithout = stats(samples.ticketWithout);
    const out = {
      generatedAt: new Date().toISOString(),
      machine: { cpus: os.cpus().length, model: os.cpus()[0]?.model ?? "", loadavg_at_start: r2(load1), loadavg_at_end: os.loadavg().map(r2) },
      database: { accounts: size.accounts, usage_events_estimate: Number(size.events), url_host: new URL(url).host, reused_cluster: cluster?.reused ?? null },
      recompute_from_scratch: {
        accounts: result.accounts,
        seconds: r2(seconds),
        goal_seconds: 60,
        accounts_per_second: Math.round(result.accounts / seconds),
        changed: result.changed,
        rows_written: {
          accounts_scored: result.accounts,
          snapshots_this_week_after: after.snapshots,
          timeline_entries: after.timeline - before.timeline,
          band_change_events: after.events - before.events,
          parents_queued: after.dirty - before.dirty,
        },
        chunk: options.chunk,
      },
      writes: {
        note: "each write in a transaction that is rolled back; 'with' includes the one markHealthDirty insert of the queue design, 'without' skips it",
        usage_batch_10k: { with_upkeep: usageWith, without_upkeep: usageWithout, overhead_pct: r2(((usageWith.p50_ms - usageWithout.p50_ms) / usageWithout.p50_ms) * 100), limit_pct: 20 },
        single_ticket: { with_upkeep: ticketWith, without_upkeep: ticketWithout, overhead_pct: r2(((ticketWith.p50_ms - ticketWithout.p50_ms) / ticketWithout.p50_ms) * 100) },
        worker_rescore_of_one_batch: { ...stats(samples.worker), accounts: samples.workerAccounts, note: "done later by the health worker, outside the write" },
      },
    };
    const file = path.resolve(options.out);
    if (!existsSync(path.dirname(file))) mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(file, `${JSON.stringify(out, null, 2)}\n`);
    log(`usage batch p50 ${usageWith.p50_ms} ms with upkeep, ${usageWithout.p50_ms} ms without (${out.writes.usage_batch_10k.overhead_pct} %); ticket ${ticketWith.p50_ms} / ${ticketWithout.p50_ms} ms`);
    log(`wrote ${path.relative(process.cwd(), file)}`);
  } finally {
    await handle.close();
    if (cluster) {
      await cluster.stop();
      log("benchmark Postgres stopped");
    }
  }
}

main().catch((error) => {
  console.error(error);
  process.exitCode = 1;
});
