/**
 * Backup and restore (issue #19, README "Backup and restore"): `pg_dump` of a database in use
 * restores with `pg_restore` into an empty database that then serves the same profiles (the
 * data-access layer's previews), migrates as a no-op, and lists the same file assets, whose
 * objects are what the bucket copy must hold.
 */
import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import path from "node:path";
import { randomBytes } from "node:crypto";
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { migrateDatabase, openDatabase, type DatabaseHandle } from "@/db/client";
import { accountPreview } from "@/lib/dal/preview";
import { loadViewer } from "@/lib/dal/viewer";
import { databaseUrl, withAdmin } from "./support/databases";
import { findPostgresBin, pgTool } from "./support/postgres";

describe("backup and restore (pg_dump / pg_restore)", () => {
  const source = `c360_backup_${randomBytes(4).toString("hex")}`;
  const target = `c360_restore_${randomBytes(4).toString("hex")}`;
  let from: DatabaseHandle;
  let to: DatabaseHandle;
  const dir = mkdtempSync("/tmp/c360-backup-");

  beforeAll(async () => {
    await withAdmin(async (client) => {
      await client.query(`create database ${source} template ${inject("pgDemoTemplate")}`);
      await client.query(`create database ${target}`);
    });
    if (process.getuid?.() === 0) execFileSync("chown", ["postgres", dir]);
    from = await openDatabase({ driver: "pg", url: databaseUrl(source), poolSize: 2 });
    // The database stays in use during the dump: a write in flight on another connection.
    const busy = from.db.execute(sql`select pg_sleep(0.5), count(*) from accounts`);
    const bin = findPostgresBin();
    const file = path.join(dir, "c360.dump");
    await pgTool(bin, "pg_dump", ["--format=custom", "--file", file, databaseUrl(source)]);
    await busy;
    await pgTool(bin, "pg_restore", ["--no-owner", "--exit-on-error", "--dbname", databaseUrl(target), file]);
    to = await openDatabase({ driver: "pg", url: databaseUrl(target), poolSize: 2 });
  }, 60_000);

  afterAll(async () => {
    await from?.close();
    await to?.close();
    rmSync(dir, { recursive: true, force: true });
    await withAdmin(async (client) => {
      await client.query(`drop database if exists ${source}`);
      await client.query(`drop database if exists ${target}`);
    });
  });

  it("the restored database migrates as a no-op and holds the same rows in every table", async () => {
    await migrateDatabase(to);
    const tables = (await from.db.execute<{ t: string }>(sql`select tablename as t from pg_tables where schemaname in ('public', 'drizzle') order by 1`)).rows.map((r) => r.t);
    expect(tables.length).toBeGreaterThan(20);
    const counts = async (db: DatabaseHandle) => {
      const out: Record<string, number> = {};
      for (const t of tables) {
        const schema = t === "__drizzle_migrations" ? "drizzle" : "public";
        out[t] = Number((await db.db.execute<{ n: string }>(sql.raw(`select count(*) as n from "${schema}"."${t}"`))).rows[0].n);
      }
      return out;
    };
    expect(await counts(to)).toEqual(await counts(from));
  });

  it("serves the same profiles and the same asset listing", async () => {
    const leader = (await from.db.execute<{ id: string }>(sql`select id from users where email = 'leader@demo.test'`)).rows[0].id;
    const ids = (await from.db.execute<{ id: string }>(sql`select id from accounts order by id limit 25`)).rows.map((r) => r.id);
    const fromCtx = { db: from.db, viewer: (await loadViewer(from.db, leader))! };
    const toCtx = { db: to.db, viewer: (await loadViewer(to.db, leader))! };
    expect(toCtx.viewer).toEqual(fromCtx.viewer);
    for (const id of ids) expect(await accountPreview(toCtx, id), id).toEqual(await accountPreview(fromCtx, id));
    const files = async (db: DatabaseHandle) => (await db.db.execute<{ k: string }>(sql`select storage_key as k from assets where kind = 'file' order by 1`)).rows.map((r) => r.k);
    expect(await files(to)).toEqual(await files(from));
  });
});
