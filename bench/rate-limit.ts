/**
 * The cost of the per-token rate limit (lib/api/rate-limit.ts) on a throwaway Postgres: one
 * limiter hit (an upsert of the token's minute row) from 1 client, and from 10 clients on the
 * same token (they queue on one row). Run: npx tsx --conditions=react-server bench/rate-limit.ts
 * Compare with an ingest batch: 10,000 usage events take ~190 ms at ~52,000 events/s.
 */
import { performance } from "node:perf_hooks";
import { sql } from "drizzle-orm";
import { migrateDatabase, openDatabase } from "@/db/client";
import { startPostgres } from "../test/support/postgres";
import { hitRateLimit } from "@/lib/api/rate-limit";

async function main() {
  const server = await startPostgres();
  try {
    const handle = await openDatabase({ driver: "pg", url: server.url, poolSize: 10 });
    await migrateDatabase(handle);
    const db = handle.db;
    await db.execute(sql`insert into users (email, name, role) values ('a@b.c', 'A', 'admin')`);
    const [{ id }] = ((await db.execute(sql`insert into api_tokens (name, prefix, token_hash, scopes) values ('t', 'c360_x', 'h', '{usage:write}') returning id`)) as unknown as { rows: { id: string }[] }).rows;
    for (let i = 0; i < 200; i++) await hitRateLimit(db, id, 1_000_000);
    const times: number[] = [];
    for (let i = 0; i < 2000; i++) {
      const t = performance.now();
      await hitRateLimit(db, id, 1_000_000);
      times.push(performance.now() - t);
    }
    times.sort((a, b) => a - b);
    console.log(`1 client: p50 ${times[1000].toFixed(3)} ms, p95 ${times[1900].toFixed(3)} ms`);
    const t0 = performance.now();
    let n = 0;
    const c10: number[] = [];
    await Promise.all(Array.from({ length: 10 }, async () => {
      for (let i = 0; i < 300; i++) {
        const t = performance.now();
        await hitRateLimit(db, id, 1_000_000);
        c10.push(performance.now() - t);
        n++;
      }
    }));
    c10.sort((a, b) => a - b);
    console.log(`10 clients, one token: ${(n / ((performance.now() - t0) / 1000)).toFixed(0)} hits/s, p50 ${c10[Math.floor(c10.length / 2)].toFixed(3)} ms, p95 ${c10[Math.floor(c10.length * 0.95)].toFixed(3)} ms`);
    await handle.close();
  } finally {
    await server.stop();
  }
}
main();
