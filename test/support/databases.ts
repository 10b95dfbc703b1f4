/**
 * Databases for data-layer tests, on BOTH drivers:
 *
 *   describe.each(drivers)("%s", (driver) => {
 *     let h: Awaited<ReturnType<typeof openSeededDatabase>>;
 *     beforeAll(async () => { h = await openSeededDatabase(driver); });
 *     afterAll(() => h.close());
 *   });
 *
 * `openTestDatabase` gives a fresh, empty, migrated database; `openSeededDatabase` a fresh copy of
 * the demo data set seeded once per run by the global set-up (test/support/global-setup.ts).
 */
import { randomBytes } from "node:crypto";
import { readFile } from "node:fs/promises";
import pg from "pg";
import { inject } from "vitest";
import { migrateDatabase, openDatabase, type DatabaseHandle } from "@/db/client";
import type { DemoSummary } from "@/db/seed/demo";

export const drivers = ["pglite", "pg"] as const;
export type Driver = (typeof drivers)[number];

/** The fixed clock the demo data set was generated for. */
export function demoNow(): Date {
  return new Date(inject("demoNow"));
}

/** Runs `fn` with a client connected to the `postgres` database of the run's server as superuser. */
export async function withAdmin<T>(fn: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: inject("pgAdminUrl") });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

/** URL of database `name` on the run's Postgres server. */
export function databaseUrl(name: string): string {
  const url = new URL(inject("pgAdminUrl"));
  url.pathname = `/${name}`;
  return url.toString();
}

function newDatabaseName(): string {
  return `c360_test_${randomBytes(6).toString("hex")}`;
}

async function createDatabase(name: string, template?: string): Promise<void> {
  const statement = template ? `create database ${name} template ${template}` : `create database ${name}`;
  await withAdmin(async (client) => {
    // Copying a template fails while anything is connected to it; retry briefly just in case.
    for (let attempt = 0; ; attempt++) {
      try {
        await client.query(statement);
        return;
      } catch (error) {
        if ((error as { code?: string }).code !== "55006" || attempt >= 20) throw error;
        await new Promise((r) => setTimeout(r, 100));
      }
    }
  });
}

async function dropDatabase(name: string): Promise<void> {
  await withAdmin((client) => client.query(`drop database if exists ${name} with (force)`));
}

/** A Postgres database handle whose close() also drops the database. */
async function openPgDatabase(name: string): Promise<DatabaseHandle & { name: string }> {
  let handle: DatabaseHandle;
  try {
    handle = await openDatabase({ driver: "pg", url: databaseUrl(name), poolSize: 4 });
  } catch (error) {
    await dropDatabase(name);
    throw error;
  }
  let closed = false;
  return {
    ...handle,
    name,
    async close() {
      if (closed) return;
      closed = true;
      try {
        await handle.close();
      } finally {
        await dropDatabase(name);
      }
    },
  };
}

/** A fresh, empty database with every migration applied. */
export async function openTestDatabase(driver: Driver): Promise<DatabaseHandle> {
  if (driver === "pglite") {
    const handle = await openDatabase({ driver: "pglite" });
    try {
      await migrateDatabase(handle);
    } catch (error) {
      await handle.close();
      throw error;
    }
    return handle;
  }
  const name = newDatabaseName();
  await createDatabase(name);
  const handle = await openPgDatabase(name);
  try {
    await migrateDatabase(handle);
  } catch (error) {
    await handle.close();
    throw error;
  }
  return handle;
}

/** A fresh, empty database with NO migrations applied (for tests of the migrations themselves). */
export async function openBlankDatabase(driver: Driver): Promise<DatabaseHandle> {
  if (driver === "pglite") return openDatabase({ driver: "pglite" });
  const name = newDatabaseName();
  await createDatabase(name);
  return openPgDatabase(name);
}

function seededSummary(driver: Driver): DemoSummary {
  const error = inject("demoSeedError");
  if (error) throw new Error(`seeding the demo data set failed in the global set-up:\n${error}`);
  const summaries = JSON.parse(inject("demoSummaries")) as Record<Driver, DemoSummary>;
  return summaries[driver];
}

let pgliteDump: Promise<Buffer> | undefined;

/**
 * A fresh, migrated database holding the demo data set generated for `demoNow()`, plus the
 * generator's summary (ids differ between drivers, so use `demo` of the handle you opened).
 */
export async function openSeededDatabase(driver: Driver): Promise<DatabaseHandle & { demo: DemoSummary }> {
  const demo = seededSummary(driver);
  if (driver === "pglite") {
    pgliteDump ??= readFile(inject("pgliteDemoDump"));
    const bytes = await pgliteDump;
    const handle = await openDatabase({
      driver: "pglite",
      loadDataDir: new Blob([new Uint8Array(bytes)], { type: "application/x-tar" }),
    });
    return { ...handle, demo };
  }
  const name = newDatabaseName();
  await createDatabase(name, inject("pgDemoTemplate"));
  const handle = await openPgDatabase(name);
  return { ...handle, demo };
}
