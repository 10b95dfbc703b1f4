import path from "node:path";
import { mkdirSync } from "node:fs";
import { is, sql } from "drizzle-orm";
import { NodePgTransaction } from "drizzle-orm/node-postgres";
import type { NodePgDatabase } from "drizzle-orm/node-postgres";
import * as schema from "./schema";
import { isDatabaseUnavailableError, noteDatabaseError, waitForDatabase } from "./availability";

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
  | {
      driver: "pg";
      url: string;
      poolSize?: number;
      preparedStatements?: boolean;
      /** A read replica: its failures are its own (they never mark the primary down), and nothing is retried. */
      replica?: boolean;
    }
  | { driver: "pglite"; dataDir?: string; loadDataDir?: Blob };

export async function openDatabase(options: OpenOptions): Promise<DatabaseHandle> {
  if (options.driver === "pg") {
    const { Pool } = await import("pg");
    const { drizzle } = await import("drizzle-orm/node-postgres");
    const pg = await import("pg");
    const Base = options.preparedStatements === false ? pg.Client : await preparingClient();
    if (options.replica) {
      const pool = new Pool({ connectionString: options.url, max: options.poolSize ?? 10, connectionTimeoutMillis: 5_000, Client: Base });
      pool.on("error", (err) => console.error("[db] read replica idle client error:", err.message));
      return { db: drizzle(pool, { schema, casing: "snake_case" }), driver: "pg", close: () => pool.end() };
    }
    const pool = new (retryingPool(Pool))({
      connectionString: options.url,
      max: options.poolSize ?? 10,
      // Never wait forever for a connection (the default). A refused connection fails at once
      // anyway; this bounds a server that accepts but never answers, and a pool queue under load.
      connectionTimeoutMillis: 30_000,
      Client: watchedClient(Base),
    });
    // A dropped idle connection must not crash the process; the pool replaces it. A server that
    // shuts down (pg_ctl stop/restart) cuts idle connections first: the app learns it here.
    pool.on("error", (err) => {
      if (!noteDatabaseError(err)) console.error("[db] idle client error:", err.message);
    });
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

/**
 * The node-postgres connection an open transaction runs on, for what the query builder cannot do
 * (COPY); null on PGlite or outside a transaction (a pool has no single connection).
 */
export function transactionPgClient(executor: Executor): import("pg").PoolClient | null {
  const client = (executor as unknown as { session?: { client?: unknown } }).session?.client as
    | (import("pg").PoolClient & { connection?: unknown })
    | undefined;
  return is(executor, NodePgTransaction) && client && typeof client.release === "function" && client.connection ? client : null;
}

/**
 * A pool whose reads outside a transaction (drizzle runs single statements on the pool, each
 * transaction on a client of its own) wait for a restarting Postgres and run again once, so a page
 * being rendered while `pg_ctl restart` cuts its connection completes instead of failing. Only
 * reads are repeated: a write cut before its answer may have committed. Transactions are never
 * retried here: they fail whole and the caller answers "not saved".
 */
export const RETRY_WAIT_MS = 5_000;
const isRead = (text: unknown) => typeof text === "string" && /^\s*(select|with)\b/i.test(text) && !/\b(insert|update|delete|merge)\b/i.test(text);
function retryingPool(Base: typeof import("pg").Pool): typeof import("pg").Pool {
  class RetryingPool extends Base {
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    query(config: any, values?: any, callback?: any): any {
      // eslint-disable-next-line @typescript-eslint/no-explicit-any
      const base = super.query.bind(this) as (...args: any[]) => any;
      const text = typeof config === "string" ? config : config?.text;
      if (typeof values === "function" || typeof callback === "function" || typeof config?.submit === "function" || !isRead(text)) return base(config, values, callback);
      return (base(config, values) as Promise<unknown>).catch(async (error: unknown) => {
        if (!isDatabaseUnavailableError(error) || !(await waitForDatabase(RETRY_WAIT_MS))) throw error;
        return base(config, values);
      });
    }
  }
  return RetryingPool as unknown as typeof import("pg").Pool;
}

/**
 * A Client that reports connection-level failures (refused, cut, server shutting down) to
 * db/availability.ts, which then answers 503 and probes until Postgres is back. The pool itself
 * needs nothing more to recover: a broken client is discarded and the next request connects anew.
 */
function watchedClient(Base: typeof import("pg").Client): typeof import("pg").Client {
  class WatchedClient extends Base {
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    connect(callback?: any): any {
      if (typeof callback === "function") {
        return super.connect((error: Error | undefined) => {
          if (error) noteDatabaseError(error);
          callback(error);
        });
      }
      return super.connect().catch((error: unknown) => {
        noteDatabaseError(error);
        throw error;
      });
    }
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    query(config: any, values?: any, callback?: any): any {
      // eslint-disable-next-line @typescript-eslint/no-explicit-any
      const base = super.query.bind(this) as (...args: any[]) => any;
      const cb = typeof values === "function" ? values : typeof callback === "function" ? callback : undefined;
      if (cb) {
        // eslint-disable-next-line @typescript-eslint/no-explicit-any
        const watched = (error: any, result: any) => {
          if (error) noteDatabaseError(error);
          cb(error, result);
        };
        return typeof values === "function" ? base(config, watched) : base(config, values, watched);
      }
      const result = base(config, values);
      if (result && typeof (result as Promise<unknown>).catch === "function" && typeof (config as { submit?: unknown })?.submit !== "function") {
        return (result as Promise<unknown>).catch((error: unknown) => {
          noteDatabaseError(error);
          throw error;
        });
      }
      return result;
    }
  }
  return WatchedClient as unknown as typeof import("pg").Client;
}

/**
 * Queries over an account's subtree (they join the closure table) cost a few rows for a leaf and
 * 100,000 for a root. A prepared statement switches to a generic plan after five runs; made on
 * leaves, that plan read a root's latest timeline in 1.8 s instead of 2 ms. These run unnamed, so
 * Postgres plans each with its actual parameters.
 */
const SUBTREE_SENSITIVE = /\baccount_closure\b/;

/** How many distinct statements one connection keeps prepared; past it, queries run unnamed. */
export const MAX_PREPARED_PER_CONNECTION = 500;

/**
 * A node-postgres Client that runs every parameterised query as a named prepared statement (the
 * name is a hash of its text), so each connection parses and plans a given query once instead of
 * on every call. The app's queries come from a fixed set of code paths, so the set of texts is
 * small; with Postgres' planning at ~0.1–0.7 ms a statement, this halves the database's CPU per
 * profile. Queries without parameters keep the simple protocol (migrations may hold several
 * commands), queries over a subtree are planned every time (SUBTREE_SENSITIVE), and a connection
 * stops naming new texts past MAX_PREPARED_PER_CONNECTION (texts built from variable-length lists
 * must not grow a backend's memory without bound). If a schema
 * change makes a prepared statement's result type stale, the query is retried once unnamed.
 */
async function preparingClient() {
  const pg = await import("pg");
  const { createHash } = await import("node:crypto");
  type Config = { text?: unknown; name?: string; values?: unknown[] };
  const names = new Map<string, string>();
  const nameFor = (text: string) => {
    let name = names.get(text);
    if (!name) {
      name = "c360_" + createHash("sha1").update(text).digest("base64url");
      if (names.size < 10_000) names.set(text, name);
    }
    return name;
  };
  class PreparingClient extends pg.Client {
    private prepared = new Set<string>();
    private unnamed = new Set<string>();
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    query(config: any, values?: any, callback?: any): any {
      // eslint-disable-next-line @typescript-eslint/no-explicit-any
      const base = super.query.bind(this) as (...args: any[]) => any;
      const c = config as Config | null;
      const cb = typeof values === "function" ? values : callback;
      const params = Array.isArray(values) ? values : c && typeof c === "object" ? c.values : undefined;
      if (
        !c ||
        typeof c !== "object" ||
        typeof (c as { submit?: unknown }).submit === "function" ||
        typeof c.text !== "string" ||
        c.name ||
        !params?.length ||
        SUBTREE_SENSITIVE.test(c.text) ||
        this.unnamed.has(c.text) ||
        (!this.prepared.has(c.text) && this.prepared.size >= MAX_PREPARED_PER_CONNECTION)
      ) {
        return base(config, values, callback);
      }
      const text = c.text;
      this.prepared.add(text);
      const named = { ...c, text, name: nameFor(text) };
      const staleResultType = (error: { code?: string; message?: string } | null) =>
        error?.code === "0A000" && /cached plan must not change result type/.test(error.message ?? "");
      if (typeof cb === "function") {
        // eslint-disable-next-line @typescript-eslint/no-explicit-any
        return base(named, params, (error: any, result: any) => {
          if (!staleResultType(error)) return cb(error, result);
          this.unnamed.add(text);
          base(c, params, cb);
        });
      }
      return (base(named, params) as Promise<unknown>).catch((error) => {
        if (!staleResultType(error)) throw error;
        this.unnamed.add(text);
        return base(c, params);
      });
    }
  }
  return PreparingClient;
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

/**
 * Nothing but what the migrations create (the reserved Opportunity type): no users, no other
 * account types, no accounts. Only then may the demo set be seeded.
 */
export async function isEmpty(db: Database): Promise<boolean> {
  const rows = await db.execute<{ n: number }>(sql`select
    (select count(*) from users) + (select count(*) from accounts) + (select count(*) from account_types where not is_opportunity) as n`);
  return Number(rows.rows[0]?.n ?? 0) === 0;
}
