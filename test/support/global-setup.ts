/**
 * Global set-up of the `unit` project, run once per `vitest run` in the main process:
 * - starts ONE throwaway PostgreSQL server (tests create their own databases on it);
 * - seeds the demo data set once per driver: into the template database `c360_demo_template` on
 *   Postgres, and into an in-memory PGlite whose data folder is dumped to a tar file under /tmp;
 * - hands the URL, the fixed "now", the summaries and the dump's path to tests via provide/inject.
 */
import { randomBytes } from "node:crypto";
import { rmSync, writeFileSync } from "node:fs";
import { sql } from "drizzle-orm";
import pg from "pg";
import type { PGlite } from "@electric-sql/pglite";
import type { TestProject } from "vitest/node";
import { migrateDatabase, openDatabase } from "../../db/client";
import { startPostgres } from "./postgres";

/** The fixed clock of the demo data set used by every test (a Monday morning, UTC). */
export const DEMO_NOW = "2026-11-16T09:00:00.000Z";
export const PG_DEMO_TEMPLATE = "c360_demo_template";

declare module "vitest" {
  export interface ProvidedContext {
    /** Superuser URL of the `postgres` database on the run's throwaway server. */
    pgAdminUrl: string;
    /** ISO timestamp the demo data set was generated for. */
    demoNow: string;
    /** JSON of the DemoSummary of the Postgres demo set ("" when seeding failed). */
    demoSummary: string;
    /** JSON `{ pg, pglite }` of each driver's DemoSummary (ids differ between drivers). */
    demoSummaries: string;
    /** Why seeding the demo set failed, or "" when it worked. */
    demoSeedError: string;
    /** Tar dump of the seeded PGlite data folder. */
    pgliteDemoDump: string;
    /** Name of the seeded template database on the Postgres server. */
    pgDemoTemplate: string;
  }
}

function elapsed(start: number): string {
  return `${((performance.now() - start) / 1000).toFixed(2)} s`;
}

type SeedAll = (db: import("../../db/client").Database, options: { now?: Date }) => Promise<unknown>;

async function loadSeedAll(): Promise<SeedAll> {
  // Imported lazily so that a broken or missing seeder fails only the tests that need demo data.
  const mod = (await import("@/db/seed/all")) as { seedAll: SeedAll };
  return mod.seedAll;
}

async function seedPgTemplate(adminUrl: string, seedAll: SeedAll, now: Date): Promise<unknown> {
  const started = performance.now();
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  try {
    await admin.query(`create database ${PG_DEMO_TEMPLATE}`);
  } finally {
    await admin.end();
  }
  const url = new URL(adminUrl);
  url.pathname = `/${PG_DEMO_TEMPLATE}`;
  const handle = await openDatabase({ driver: "pg", url: url.toString(), poolSize: 4 });
  let summary: unknown;
  try {
    await migrateDatabase(handle);
    summary = await seedAll(handle.db, { now });
    await handle.db.execute(sql`analyze`);
  } finally {
    await handle.close();
  }
  // No connection may stay open on a template while it is being copied.
  const admin2 = new pg.Client({ connectionString: adminUrl });
  await admin2.connect();
  try {
    await admin2.query(`alter database ${PG_DEMO_TEMPLATE} with is_template true allow_connections false`);
  } finally {
    await admin2.end();
  }
  console.log(`[global-setup] pg demo template seeded in ${elapsed(started)}`);
  return summary;
}

async function seedPgliteDump(file: string, seedAll: SeedAll, now: Date): Promise<unknown> {
  const started = performance.now();
  const handle = await openDatabase({ driver: "pglite" });
  let summary: unknown;
  try {
    await migrateDatabase(handle);
    summary = await seedAll(handle.db, { now });
    const client = (handle.db as unknown as { $client: PGlite }).$client;
    const dumpStarted = performance.now();
    // After a checkpoint only the WAL segments from its redo point on are needed to start;
    // seeding leaves ~130 MB of older or recycled segments that would slow every load.
    await client.exec("checkpoint");
    const wal = await client.query<{ redo: string; current: string }>(
      "select (select redo_wal_file from pg_control_checkpoint()) as redo, pg_walfile_name(pg_current_wal_lsn()) as current",
    );
    const full = new Uint8Array(await (await client.dumpDataDir("none")).arrayBuffer());
    const { redo, current } = wal.rows[0];
    const next = (parseInt(current.slice(16), 16) + 1).toString(16).toUpperCase().padStart(8, "0");
    const keepUpTo = current.slice(0, 16) + next;
    let tar = dropTarEntries(full, (name) => {
      const segment = /(?:^|\/)pg_wal\/([0-9A-F]{24})$/.exec(name)?.[1];
      return segment !== undefined && (segment < redo || segment > keepUpTo);
    });
    if (!(await loadsAndHasAccounts(tar))) {
      console.warn("[global-setup] the trimmed PGlite dump did not load; using the full dump");
      tar = full;
    }
    writeFileSync(file, tar);
    console.log(
      `[global-setup] pglite demo set seeded in ${elapsed(started)} (dump ${elapsed(dumpStarted)}, ` +
        `${(tar.length / 1e6).toFixed(1)} MB of ${(full.length / 1e6).toFixed(1)} MB)`,
    );
  } finally {
    await handle.close();
  }
  return summary;
}

/** A copy of a ustar archive without the entries `drop` selects (by name). */
export function dropTarEntries(tar: Uint8Array, drop: (name: string) => boolean): Uint8Array<ArrayBuffer> {
  const kept: Uint8Array[] = [];
  const text = (from: number, length: number) => {
    const bytes = tar.subarray(from, from + length);
    const end = bytes.indexOf(0);
    return Buffer.from(end === -1 ? bytes : bytes.subarray(0, end)).toString("utf8");
  };
  let offset = 0;
  while (offset + 512 <= tar.length) {
    const header = tar.subarray(offset, offset + 512);
    if (header.every((b) => b === 0)) break; // end-of-archive marker
    const name = text(offset, 100);
    const prefix = text(offset + 257, 6).startsWith("ustar") ? text(offset + 345, 155) : "";
    const size = parseInt(text(offset + 124, 12).trim() || "0", 8);
    const entryLength = 512 + Math.ceil(size / 512) * 512;
    if (!drop(prefix ? `${prefix}/${name}` : name)) kept.push(tar.subarray(offset, offset + entryLength));
    offset += entryLength;
  }
  kept.push(new Uint8Array(1024));
  const out = new Uint8Array(kept.reduce((n, part) => n + part.length, 0));
  let at = 0;
  for (const part of kept) {
    out.set(part, at);
    at += part.length;
  }
  return out;
}

async function loadsAndHasAccounts(tar: Uint8Array<ArrayBuffer>): Promise<boolean> {
  const { PGlite } = await import("@electric-sql/pglite");
  try {
    const db = await PGlite.create({ loadDataDir: new Blob([tar], { type: "application/x-tar" }) });
    try {
      const { rows } = await db.query<{ n: number }>("select count(*)::int as n from accounts");
      return Number(rows[0]?.n) > 0;
    } finally {
      await db.close();
    }
  } catch (error) {
    console.warn(`[global-setup] loading the trimmed PGlite dump failed: ${(error as Error).message}`);
    return false;
  }
}

export default async function setup(project: TestProject) {
  const started = performance.now();
  const server = await startPostgres();
  console.log(`[global-setup] postgres ready at ${server.url} in ${elapsed(started)}`);

  const dump = `/tmp/c360-pglite-demo-${process.pid}-${randomBytes(4).toString("hex")}.tar`;
  const now = new Date(DEMO_NOW);
  project.provide("pgAdminUrl", server.url);
  project.provide("demoNow", DEMO_NOW);
  project.provide("pgliteDemoDump", dump);
  project.provide("pgDemoTemplate", PG_DEMO_TEMPLATE);

  let seedError = "";
  let summaries: { pg: unknown; pglite: unknown } | undefined;
  try {
    const seedAll = await loadSeedAll();
    const [pgSummary, pgliteSummary] = await Promise.all([
      seedPgTemplate(server.url, seedAll, now),
      seedPgliteDump(dump, seedAll, now),
    ]);
    summaries = { pg: pgSummary, pglite: pgliteSummary };
  } catch (error) {
    const e = error as Error;
    seedError = e?.stack || String(error);
    console.error(`[global-setup] seeding the demo data set FAILED; tests that need it will fail:\n${seedError}`);
  }
  project.provide("demoSeedError", seedError);
  project.provide("demoSummary", summaries ? JSON.stringify(summaries.pg) : "");
  project.provide("demoSummaries", summaries ? JSON.stringify(summaries) : "");
  console.log(`[global-setup] ready in ${elapsed(started)} (Node ${process.version})`);

  return async function teardown() {
    rmSync(dump, { force: true });
    await server.stop();
  };
}
