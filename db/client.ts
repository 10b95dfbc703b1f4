import path from "node:path";
import { mkdirSync } from "node:fs";
import { sql } from "drizzle-orm";
import type { NodePgDatabase } from "drizzle-orm/node-postgres";
import * as schema from "./schema";

/**
 * Both drivers expose the same query builder over the same schema; the app is written against the
 * node-postgres type and PGlite's instance is used through it.
 */
export type Database = NodePgDatabase<typeof schema>;
export type Transaction = Parameters<Parameters<Database["transaction"]>[0]>[0];
/** Either the database or an open transaction: data functions accept both. */
export type Executor = Database | Transaction;

export type DatabaseHandle = {
  db: Database;
  driver: "pg" | "pglite";
  close(): Promise<void>;
};

export const MIGRATIONS_FOLDER = path.join(process.cwd(), "db", "migrations");

export type OpenOptions =
  | { driver: "pg"; url: string; poolSize?: number }
  | { driver: "pglite"; dataDir?: string; loadDataDir?: Blob };

export async function openDatabase(options: OpenOptions): Promise<DatabaseHandle> {
  if (options.driver === "pg") {
    const { Pool } = await import("pg");
    const { drizzle } = await import("drizzle-orm/node-postgres");
    const pool = new Pool({ connectionString: options.url, max: options.poolSize ?? 10 });
    // A dropped idle connection must not crash the process; the pool replaces it.
    pool.on("error", (err) => console.error("[db] idle client error:", err.message));
    const db = drizzle(pool, { schema, casing: "snake_case" });
    return { db, driver: "pg", close: () => pool.end() };
  }
  const { PGlite } = await import("@electric-sql/pglite");
  const { drizzle } = await import("drizzle-orm/pglite");
  if (options.dataDir) mkdirSync(options.dataDir, { recursive: true });
  const client = await PGlite.create({ dataDir: options.dataDir, loadDataDir: options.loadDataDir });
  const db = drizzle(client, { schema, casing: "snake_case" }) as unknown as Database;
  return { db, driver: "pglite", close: () => client.close() };
}

/** Applies committed migrations. On Postgres an advisory lock keeps concurrent instances in line. */
export async function migrateDatabase(handle: DatabaseHandle): Promise<void> {
  if (handle.driver === "pg") {
    const { migrate } = await import("drizzle-orm/node-postgres/migrator");
    await withStartupLock(handle.db, () => migrate(handle.db, { migrationsFolder: MIGRATIONS_FOLDER }));
  } else {
    const { migrate } = await import("drizzle-orm/pglite/migrator");
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    await migrate(handle.db as any, { migrationsFolder: MIGRATIONS_FOLDER });
  }
}

const STARTUP_LOCK = 360_360;

/**
 * Runs `fn` while holding a session-level advisory lock, so that several app instances starting
 * at once against one Postgres migrate and seed exactly once. A pool hands out different
 * connections, so the lock is taken and released on one dedicated client.
 */
export async function withStartupLock<T>(db: Database, fn: () => Promise<T>): Promise<T> {
  const pool = (db as unknown as { $client: import("pg").Pool }).$client;
  if (!pool || typeof pool.connect !== "function") return fn();
  const client = await pool.connect();
  try {
    await client.query("select pg_advisory_lock($1)", [STARTUP_LOCK]);
    return await fn();
  } finally {
    await client.query("select pg_advisory_unlock($1)", [STARTUP_LOCK]).catch(() => {});
    client.release();
  }
}

export async function isEmpty(db: Database): Promise<boolean> {
  const rows = await db.execute<{ n: number }>(sql`select count(*)::int as n from account_types`);
  return Number(rows.rows[0]?.n ?? 0) === 0;
}
