/**
 * A read replica (issue 19, DATABASE_READ_URL): a real streaming standby on loopback, made with
 * `pg_basebackup -R` from a throwaway primary holding the demo data set. With replay paused on the
 * standby, the lagging reads (search, lists) miss a fresh write, which proves they are served by
 * the replica, while the viewer's own reads after their write (and the profile) see it on the
 * primary. Postgres only: PGlite has no replication.
 */
import { execFileSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import path from "node:path";
import { eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { openDatabase, type DatabaseHandle } from "@/db/client";
import { accounts, users } from "@/db/schema";
import { findAccount, searchAccounts } from "@/lib/dal/accounts";
import { loadViewer, type Ctx, type Viewer } from "@/lib/dal/viewer";
import { mayWrite, READ_YOUR_WRITES_SECONDS, readsFromPrimary, wroteCookie } from "@/lib/read-your-writes";
import { databaseUrl, withAdmin } from "./support/databases";
import { findPostgresBin, freePort, pgTool, startPostgres, type PostgresServer } from "./support/postgres";

describe("read replica (pg_basebackup -R standby on loopback)", () => {
  const bin = findPostgresBin();
  const dir = mkdtempSync("/tmp/c360-replica-");
  const standbyData = path.join(dir, "db");
  let primary: PostgresServer;
  let standbyStarted = false;
  let main: DatabaseHandle;
  let replica: DatabaseHandle;
  let viewer: Viewer;
  let accountId: string;

  beforeAll(async () => {
    primary = await startPostgres();
    if (process.getuid?.() === 0) execFileSync("chown", ["postgres", dir]);
    // The demo data set on the primary (dump of the run's seeded template).
    const dump = path.join(dir, "demo.dump");
    const copy = `c360_replica_src_${randomBytes(4).toString("hex")}`;
    await withAdmin((client) => client.query(`create database ${copy} template ${inject("pgDemoTemplate")}`));
    try {
      await pgTool(bin, "pg_dump", ["--format=custom", "--file", dump, databaseUrl(copy)]);
    } finally {
      await withAdmin((client) => client.query(`drop database if exists ${copy}`));
    }
    const primaryUrl = (name: string) => Object.assign(new URL(primary.url), { pathname: `/${name}` }).toString();
    await pgTool(bin, "psql", [primary.url, "-c", "create database c360"]);
    await pgTool(bin, "pg_restore", ["--no-owner", "--exit-on-error", "--dbname", primaryUrl("c360"), dump]);

    // The standby: a base backup that writes its own primary_conninfo and standby.signal (-R).
    await pgTool(bin, "pg_basebackup", ["-D", standbyData, "-R", "-X", "stream", "--checkpoint=fast", "-h", "127.0.0.1", "-p", String(primary.port), "-U", "postgres"]);
    const port = await freePort();
    const options = [`-p ${port}`, `-k ${dir}`, "-c listen_addresses=127.0.0.1", "-c fsync=off"].join(" ");
    await pgTool(bin, "pg_ctl", ["-D", standbyData, "-l", path.join(dir, "standby.log"), "-o", options, "-w", "-t", "60", "start"]);
    standbyStarted = true;

    main = await openDatabase({ driver: "pg", url: primaryUrl("c360"), poolSize: 2 });
    replica = await openDatabase({ driver: "pg", url: `postgres://postgres@127.0.0.1:${port}/c360`, poolSize: 2, replica: true });
    const [admin] = await main.db.select({ id: users.id }).from(users).where(eq(users.email, "admin@demo.test"));
    viewer = (await loadViewer(main.db, admin.id))!;
    const [leaf] = await main.db.select({ id: accounts.id }).from(accounts).where(sql`archived_at is null and parent_id is not null`).limit(1);
    accountId = leaf.id;
  }, 120_000);

  afterAll(async () => {
    await main?.close();
    await replica?.close();
    if (standbyStarted) await pgTool(bin, "pg_ctl", ["-D", standbyData, "-m", "immediate", "-w", "stop"]).catch(() => {});
    await primary?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  const until = async (condition: () => Promise<boolean>, ms = 15_000) => {
    for (const deadline = Date.now() + ms; Date.now() < deadline; await new Promise((r) => setTimeout(r, 50))) {
      if (await condition()) return true;
    }
    return false;
  };
  const rename = (name: string) => main.db.update(accounts).set({ name }).where(eq(accounts.id, accountId));
  /** As getContext() builds it: lagging reads on the replica unless this viewer just wrote. */
  const ctxFor = (wroteCookieValue: string | undefined): Ctx => ({
    db: main.db,
    viewer,
    readDb: readsFromPrimary({ wroteCookie: wroteCookieValue, serverAction: false }) ? main.db : replica.db,
  });
  const found = async (ctx: Ctx, q: string) => (await searchAccounts(ctx, { q })).accounts.map((a) => a.id);

  it("is a read-only standby, and a write on the primary appears on it", async () => {
    expect((await replica.db.execute<{ r: boolean }>(sql`select pg_is_in_recovery() as r`)).rows[0].r).toBe(true);
    const refused = await replica.db.execute(sql`update accounts set name = name where false`).catch((error: { cause?: { code?: string } }) => error);
    expect((refused as { cause?: { code?: string } }).cause?.code).toBe("25006"); // read_only_sql_transaction
    const name = `Replicated ${randomBytes(3).toString("hex")}`;
    await rename(name);
    expect(await until(async () => (await replica.db.select({ name: accounts.name }).from(accounts).where(eq(accounts.id, accountId)))[0]?.name === name)).toBe(true);
  });

  it("replay paused: the list lags (served by the replica) while the writer's own reads and the profile show the write; resumed, the list catches up", async () => {
    await replica.db.execute(sql`select pg_wal_replay_pause()`);
    try {
      expect(await until(async () => (await replica.db.execute<{ s: string }>(sql`select pg_get_wal_replay_pause_state() as s`)).rows[0].s === "paused")).toBe(true);
      const name = `Lagging ${randomBytes(3).toString("hex")}`;
      await rename(name);

      // Another viewer (no cookie): search goes to the replica, which has not replayed the rename.
      expect(await found(ctxFor(undefined), name)).toEqual([]);
      // The writer, holding the cookie their write set: the same search on the primary finds it.
      expect(await found(ctxFor("1"), name)).toEqual([accountId]);
      // The profile always reads the primary.
      expect((await findAccount(ctxFor(undefined), accountId))?.name).toBe(name);
    } finally {
      await replica.db.execute(sql`select pg_wal_replay_resume()`);
    }
    const name = (await main.db.select({ name: accounts.name }).from(accounts).where(eq(accounts.id, accountId)))[0].name;
    expect(await until(async () => (await found(ctxFor(undefined), name)).includes(accountId))).toBe(true);
  });

  it("writing requests set a short-lived cookie; a server action's own render reads the primary", () => {
    expect(["POST", "PUT", "PATCH", "DELETE"].every(mayWrite)).toBe(true);
    expect(["GET", "HEAD", "OPTIONS"].some(mayWrite)).toBe(false);
    expect(wroteCookie(true)).toBe(`c360_wrote=1; Max-Age=${READ_YOUR_WRITES_SECONDS}; Path=/; HttpOnly; SameSite=Lax; Secure`);
    expect(readsFromPrimary({ wroteCookie: undefined, serverAction: true })).toBe(true);
    expect(readsFromPrimary({ wroteCookie: undefined, serverAction: false })).toBe(false);
  });
});
