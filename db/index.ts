import "server-only";
import path from "node:path";
import { env } from "@/lib/env";
import { noteDatabaseError, setAvailabilityProbe } from "./availability";
import { isEmpty, migrateDatabase, openDatabase, withStartupLock, type Database, type DatabaseHandle } from "./client";

type DbState = { ready: Promise<DatabaseHandle> };
const globalForDb = globalThis as typeof globalThis & { __c360Db?: DbState; __c360ReadDb?: Promise<Database> };

/**
 * The process-wide database: node-postgres when DATABASE_URL is set, else embedded PGlite in
 * PGLITE_DIR. Opened once per process (PGlite must never be opened twice on one folder), migrated,
 * and seeded with the demo set on first start when the database is empty and seeding is on.
 */
export function getDatabaseHandle(): Promise<DatabaseHandle> {
  globalForDb.__c360Db ??= { ready: start() };
  return globalForDb.__c360Db.ready;
}

export async function getDb(): Promise<Database> {
  return (await getDatabaseHandle()).db;
}

/**
 * The database for reads that may lag a few seconds behind the last write: lists, search, usage
 * charts (the callers say so through `laggingDb(ctx)` in lib/dal/viewer.ts). The streaming
 * replica at DATABASE_READ_URL when set, else the primary. Everything else, and every read of a
 * viewer who wrote in the last few seconds (lib/read-your-writes.ts), uses getDb().
 */
export async function getReadDb(): Promise<Database> {
  const url = env().DATABASE_READ_URL;
  if (!url) return getDb();
  await getDatabaseHandle(); // the primary first: it migrates, the replica follows
  globalForDb.__c360ReadDb ??= openDatabase({ driver: "pg", url, replica: true, preparedStatements: env().DATABASE_PREPARED_STATEMENTS })
    .then((handle) => {
      console.log("[db] read replica ready");
      return handle.db;
    })
    .catch((error: unknown) => {
      globalForDb.__c360ReadDb = undefined;
      throw error;
    });
  return globalForDb.__c360ReadDb;
}

async function start(): Promise<DatabaseHandle> {
  const config = env();
  const started = Date.now();
  if (config.DATABASE_URL) setAvailabilityProbe(probeFor(config.DATABASE_URL));
  const handle = config.DATABASE_URL
    ? await openDatabase({ driver: "pg", url: config.DATABASE_URL, preparedStatements: config.DATABASE_PREPARED_STATEMENTS })
    : await openDatabase({ driver: "pglite", dataDir: path.resolve(config.PGLITE_DIR) });
  try {
    await migrateDatabase(handle);
    if (config.seedOnStart) {
      await withStartupLock(handle.db, async () => {
        if (!(await isEmpty(handle.db))) return;
        console.log("[db] empty database: seeding the demo data set…");
        const { seedAll } = await import("./seed/all");
        const { putObject } = await import("@/lib/storage");
        await seedAll(handle.db, { putAsset: (key, bytes, contentType) => putObject(key, bytes, { contentType }) });
      });
    }
  } catch (error) {
    // Let a later request retry instead of caching a failed start-up forever.
    globalForDb.__c360Db = undefined;
    await handle.close().catch(() => {});
    noteDatabaseError(error);
    throw error;
  }
  console.log(`[db] ${handle.driver} ready in ${Date.now() - started} ms`);
  return handle;
}

/** One fresh connection and `select 1`: does Postgres answer again? (db/availability.ts) */
function probeFor(url: string): () => Promise<void> {
  return async () => {
    const { Client } = await import("pg");
    const client = new Client({ connectionString: url, connectionTimeoutMillis: 1_000 });
    client.on("error", () => {});
    try {
      await client.connect();
      await client.query("select 1");
    } finally {
      await client.end().catch(() => {});
    }
  };
}
