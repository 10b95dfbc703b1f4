import { readFileSync } from "node:fs";
import path from "node:path";
import { eq, is, sql } from "drizzle-orm";
import { getTableConfig, PgTable } from "drizzle-orm/pg-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { MAX_PREPARED_PER_CONNECTION, MIGRATIONS_FOLDER, migrateDatabase, openDatabase, transactionPgClient, type Database, type DatabaseHandle } from "@/db/client";
import * as schema from "@/db/schema";
import { databaseUrl, drivers, openBlankDatabase, openTestDatabase, withAdmin } from "./support/databases";

/** Every table the Drizzle schema declares, with its column names. */
const schemaTables = new Map(
  (Object.values(schema) as unknown[])
    .filter((value): value is PgTable => is(value, PgTable))
    .map((table) => {
      const config = getTableConfig(table);
      return [config.name, config.columns.map((c) => c.name).sort()] as const;
    }),
);

const journal = JSON.parse(readFileSync(path.join(MIGRATIONS_FOLDER, "meta", "_journal.json"), "utf8")) as {
  entries: { tag: string }[];
};

async function rows<T>(db: Database, query: ReturnType<typeof sql>): Promise<T[]> {
  const result = await db.execute(query);
  return result.rows as T[];
}

async function publicTables(db: Database): Promise<string[]> {
  const found = await rows<{ table_name: string }>(
    db,
    sql`select table_name from information_schema.tables
        where table_schema = 'public' and table_type = 'BASE TABLE' order by table_name`,
  );
  return found.map((r) => r.table_name);
}

async function appliedMigrations(db: Database): Promise<number> {
  const [row] = await rows<{ n: number }>(db, sql`select count(*)::int as n from drizzle.__drizzle_migrations`);
  return Number(row.n);
}

it("the schema declares tables and the journal lists migrations", () => {
  expect(schemaTables.size).toBeGreaterThan(10);
  expect(schemaTables.has("accounts")).toBe(true);
  expect(journal.entries.length).toBeGreaterThan(0);
});

describe.each(drivers)("database on %s", (driver) => {
  let handle: DatabaseHandle;

  beforeAll(async () => {
    handle = await openTestDatabase(driver);
  });
  afterAll(async () => {
    await handle?.close();
  });

  it("migrations create exactly the tables declared in db/schema", async () => {
    expect(await publicTables(handle.db)).toEqual([...schemaTables.keys()].sort());
  });

  it("migrations create every column declared in db/schema", async () => {
    const found = await rows<{ table_name: string; column_name: string }>(
      handle.db,
      sql`select table_name, column_name from information_schema.columns where table_schema = 'public'`,
    );
    const actual = new Map<string, string[]>();
    for (const r of found) actual.set(r.table_name, [...(actual.get(r.table_name) ?? []), r.column_name]);
    for (const [table, columns] of schemaTables) {
      expect({ table, columns: (actual.get(table) ?? []).sort() }).toEqual({ table, columns });
    }
  });

  it("records every migration of the journal", async () => {
    expect(await appliedMigrations(handle.db)).toBe(journal.entries.length);
  });

  it("round-trips an account type and an account", async () => {
    const [type] = await handle.db
      .insert(schema.accountTypes)
      .values({ key: "customer", name: "Customer", pluralName: "Customers" })
      .returning();
    expect(type.id).toMatch(/^[0-9a-f-]{36}$/);
    expect(type.level).toBe(0);
    expect(type.isOpportunity).toBe(false);

    const [account] = await handle.db
      .insert(schema.accounts)
      .values({ name: "Acme Corp", typeId: type.id, externalId: "acme-1" })
      .returning();

    const [read] = await handle.db
      .select({
        id: schema.accounts.id,
        name: schema.accounts.name,
        typeKey: schema.accountTypes.key,
        path: schema.accounts.path,
        depth: schema.accounts.depth,
        createdAt: schema.accounts.createdAt,
      })
      .from(schema.accounts)
      .innerJoin(schema.accountTypes, eq(schema.accountTypes.id, schema.accounts.typeId))
      .where(eq(schema.accounts.externalId, "acme-1"));
    expect(read).toMatchObject({ id: account.id, name: "Acme Corp", typeKey: "customer", path: [], depth: 0 });
    expect(read.createdAt).toBeInstanceOf(Date);

    // A child keeps a real reference to its parent.
    const [child] = await handle.db
      .insert(schema.accounts)
      .values({ name: "Acme EMEA", typeId: type.id, parentId: account.id, path: [account.id], depth: 1 })
      .returning();
    const [readChild] = await handle.db.select().from(schema.accounts).where(eq(schema.accounts.id, child.id));
    expect(readChild.parentId).toBe(account.id);
    expect(readChild.path).toEqual([account.id]);

    // Constraints are real: an unknown type is rejected.
    await expect(
      handle.db.insert(schema.accounts).values({ name: "Orphan", typeId: "00000000-0000-0000-0000-000000000000" }),
    ).rejects.toThrow();
  });

  it("migrating again is a no-op that keeps the data", async () => {
    const before = await rows<{ n: number }>(handle.db, sql`select count(*)::int as n from accounts`);
    await migrateDatabase(handle);
    expect(await appliedMigrations(handle.db)).toBe(journal.entries.length);
    expect(await publicTables(handle.db)).toEqual([...schemaTables.keys()].sort());
    const after = await rows<{ n: number }>(handle.db, sql`select count(*)::int as n from accounts`);
    expect(Number(after[0].n)).toBe(Number(before[0].n));
    expect(Number(after[0].n)).toBeGreaterThan(0);
  });

  it("a blank database has no tables until it is migrated", async () => {
    const blank = await openBlankDatabase(driver);
    try {
      expect(await publicTables(blank.db)).toEqual([]);
      await migrateDatabase(blank);
      await migrateDatabase(blank);
      expect(await appliedMigrations(blank.db)).toBe(journal.entries.length);
      expect(await publicTables(blank.db)).toEqual([...schemaTables.keys()].sort());
    } finally {
      await blank.close();
    }
  });
});

describe("migrations on pg", () => {
  it("several instances migrating one fresh database at once all succeed (advisory lock)", async () => {
    const name = `c360_test_concurrent_${Date.now().toString(36)}`;
    await withAdmin((c) => c.query(`create database ${name}`));
    const handles: DatabaseHandle[] = [];
    try {
      for (let i = 0; i < 3; i++) handles.push(await openDatabase({ driver: "pg", url: databaseUrl(name), poolSize: 2 }));
      const results = await Promise.allSettled(handles.map((h) => migrateDatabase(h)));
      expect(results.map((r) => (r.status === "rejected" ? String(r.reason) : "ok"))).toEqual(["ok", "ok", "ok"]);
      expect(await appliedMigrations(handles[0].db)).toBe(journal.entries.length);
      expect(await publicTables(handles[0].db)).toEqual([...schemaTables.keys()].sort());
    } finally {
      await Promise.all(handles.map((h) => h.close()));
      await withAdmin((c) => c.query(`drop database if exists ${name} with (force)`));
    }
  });
});

describe("queries on pg run as named prepared statements", () => {
  const name = `c360_test_prepared_${Date.now().toString(36)}`;
  const opened: DatabaseHandle[] = [];
  const open = async (preparedStatements?: boolean) => {
    // One connection, so every query of a test meets the statements the earlier ones prepared.
    const handle = await openDatabase({ driver: "pg", url: databaseUrl(name), poolSize: 1, preparedStatements });
    opened.push(handle);
    return handle.db;
  };
  const prepared = async (db: Database) =>
    (await rows<{ name: string; statement: string }>(db, sql`select name, statement from pg_prepared_statements order by name`)).filter((r) =>
      r.name.startsWith("c360_"),
    );

  beforeAll(async () => {
    await withAdmin((c) => c.query(`create database ${name}`));
    const db = await open();
    await db.execute(sql`create table probe (id int primary key, label text)`);
    await db.execute(sql`insert into probe values (1, 'one'), (2, 'two')`);
  });
  afterAll(async () => {
    await Promise.all(opened.map((h) => h.close()));
    await withAdmin((c) => c.query(`drop database if exists ${name} with (force)`));
  });

  it("a parameterised query is prepared once per connection and reused; one without parameters is not", async () => {
    const db = await open();
    const before = (await prepared(db)).length;
    for (const id of [1, 2, 1]) {
      expect(await rows<{ label: string }>(db, sql`select label from probe where id = ${id}`)).toEqual([{ label: id === 1 ? "one" : "two" }]);
    }
    await db.execute(sql`select count(*) from probe`);
    const after = await prepared(db);
    expect(after.filter((r) => r.statement.includes("from probe where id = $1"))).toHaveLength(1);
    expect(after.length - before).toBe(1);
  });

  it("a connection keeps at most MAX_PREPARED_PER_CONNECTION statements; past that, queries still run", async () => {
    const db = await open();
    const extra = 20;
    for (let i = 0; i < MAX_PREPARED_PER_CONNECTION + extra; i++) {
      const [row] = await rows<{ n: number }>(db, sql`select ${sql.raw(String(i))}::int + ${1}::int as n`);
      expect(row.n).toBe(i + 1);
    }
    expect((await prepared(db)).length).toBe(MAX_PREPARED_PER_CONNECTION);
  });

  it("a query over a subtree (the closure table) is planned with its own parameters every time", async () => {
    const db = await open();
    await db.execute(sql`create table if not exists account_closure (ancestor_id int, descendant_id int)`);
    const before = (await prepared(db)).length;
    for (let i = 0; i < 3; i++) await rows(db, sql`select count(*) from account_closure where ancestor_id = ${i}`);
    expect((await prepared(db)).length).toBe(before);
  });

  it("DATABASE_PREPARED_STATEMENTS=false leaves every query unnamed", async () => {
    const db = await open(false);
    await rows(db, sql`select label from probe where id = ${1}`);
    expect(await prepared(db)).toEqual([]);
  });

  it("a statement whose result type a schema change made stale is retried unnamed, once", async () => {
    const db = await open();
    const read = () => rows<Record<string, unknown>>(db, sql`select * from probe where id = ${1}`);
    expect(await read()).toEqual([{ id: 1, label: "one" }]);
    await db.execute(sql`alter table probe add column note text`);
    expect(await read()).toEqual([{ id: 1, label: "one", note: null }]);
    expect(await read()).toEqual([{ id: 1, label: "one", note: null }]);
  });

  it("COPY can reach the connection of an open transaction, and only there", async () => {
    const db = await open();
    expect(transactionPgClient(db)).toBeNull();
    await db.transaction(async (tx) => {
      const client = transactionPgClient(tx);
      expect(client).not.toBeNull();
      const viaClient = await client!.query<{ pid: number }>("select pg_backend_pid() as pid");
      const [viaTx] = await rows<{ pid: number }>(tx as unknown as Database, sql`select pg_backend_pid() as pid`);
      expect(viaClient.rows[0].pid).toBe(viaTx.pid);
    });
    const pglite = await openDatabase({ driver: "pglite" });
    try {
      await pglite.db.transaction(async (tx) => expect(transactionPgClient(tx)).toBeNull());
    } finally {
      await pglite.close();
    }
  });
});
