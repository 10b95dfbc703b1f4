/**
 * `npm run user:create`, the way the first admin of a new installation is made: the real script,
 * spawned against an empty Postgres database (no migrations yet) and against a new PGlite folder.
 */
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

// Each run starts tsx and opens (and migrates) a database: seconds each on a busy machine.
const SLOW = { timeout: 240_000 };
import bcrypt from "bcryptjs";
import { sql } from "drizzle-orm";
import { openDatabase, type DatabaseHandle } from "@/db/client";
import { checkPasswordToken } from "@/lib/auth/password-tokens";
import { databaseUrl, openBlankDatabase } from "./support/databases";

const repoRoot = path.resolve(__dirname, "..");

type Run = { code: number | null; stdout: string; stderr: string };

/** Runs the script as `npm run user:create` does (tsx), with only the given database settings. */
function userCreate(args: string[], env: Record<string, string>, stdin?: string): Promise<Run> {
  const base = Object.fromEntries(Object.entries(process.env).filter(([k]) => !/^(DATABASE_URL|PGLITE_DIR|AUTH_URL|PUBLIC_URL|DEMO_MODE|SEED_ON_START)$/.test(k)));
  return new Promise((resolve, reject) => {
    const child = spawn(path.join(repoRoot, "node_modules/.bin/tsx"), ["scripts/user-create.ts", ...args], {
      cwd: repoRoot,
      env: { ...base, NODE_ENV: "production", ...env },
      stdio: ["pipe", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (c) => (stdout += c));
    child.stderr.on("data", (c) => (stderr += c));
    child.on("error", reject);
    child.on("exit", (code) => resolve({ code, stdout, stderr }));
    child.stdin.end(stdin ?? "");
  });
}

const linkIn = (stdout: string) => stdout.match(/^(https?:\/\/\S+\/set-password\/([A-Za-z0-9_-]{43}))$/m);

describe("user:create against Postgres (DATABASE_URL)", () => {
  let blank: DatabaseHandle & { name?: string };
  let url: string;
  beforeAll(async () => {
    blank = await openBlankDatabase("pg");
    url = databaseUrl((blank as { name: string }).name);
  });
  afterAll(() => blank?.close());

  it("migrates an empty database, creates the admin and prints a one-time link (base from AUTH_URL)", SLOW, async () => {
    const run = await userCreate(["--email", "Ada@Example.com", "--name", "Ada Admin", "--role", "admin"], { DATABASE_URL: url, AUTH_URL: "https://c360.example.com/api/auth" });
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toContain("Created admin Ada Admin <ada@example.com>");
    const link = linkIn(run.stdout);
    expect(link?.[1]).toMatch(/^https:\/\/c360\.example\.com\/set-password\//);
    expect(await checkPasswordToken(blank.db, link![2])).toMatchObject({ status: "valid", email: "ada@example.com", purpose: "invite" });
    const rows = (await blank.db.execute(sql`select role, password_hash from users`)).rows;
    expect(rows).toEqual([{ role: "admin", password_hash: null }]);
    expect((await blank.db.execute(sql`select key from account_types where is_opportunity`)).rows).toEqual([{ key: "opportunity" }]);
  });

  it("--password-stdin sets the password; a short one or a taken email is refused with exit code 2", SLOW, async () => {
    const ok = await userCreate(["--email", "lee@example.com", "--name", "Lee", "--role", "leadership", "--password-stdin"], { DATABASE_URL: url }, "a long enough secret\n");
    expect(ok.code, ok.stderr).toBe(0);
    expect(linkIn(ok.stdout)).toBeNull();
    const [{ password_hash }] = (await blank.db.execute<{ password_hash: string }>(sql`select password_hash from users where email = 'lee@example.com'`)).rows;
    expect(await bcrypt.compare("a long enough secret", password_hash)).toBe(true);

    const short = await userCreate(["--email", "kim@example.com", "--name", "Kim", "--role", "member", "--password-stdin"], { DATABASE_URL: url }, "short\n");
    expect(short.code).toBe(2);
    expect(short.stderr).toMatch(/at least 10 characters/);
    const taken = await userCreate(["--email", "ADA@example.com", "--name", "Again", "--role", "admin"], { DATABASE_URL: url });
    expect(taken.code).toBe(2);
    expect(taken.stderr).toMatch(/exists already/);
    const badRole = await userCreate(["--email", "x@example.com", "--name", "X", "--role", "owner"], { DATABASE_URL: url });
    expect(badRole.code).toBe(2);
    expect(badRole.stderr).toMatch(/--role must be one of admin, member, leadership, viewer/);
    expect((await blank.db.execute(sql`select email from users order by email`)).rows).toEqual([{ email: "ada@example.com" }, { email: "lee@example.com" }]);
  });
});

describe("user:create against a PGlite folder", () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync("/tmp/c360-user-create-");
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it("creates the admin in a new folder and prints a link on http://localhost:3000", SLOW, async () => {
    const pglite = path.join(dir, "pglite");
    const run = await userCreate(["--email", "ada@example.com", "--name", "Ada Admin", "--role", "admin"], { PGLITE_DIR: pglite });
    expect(run.code, run.stderr).toBe(0);
    const link = linkIn(run.stdout);
    expect(link?.[1]).toMatch(/^http:\/\/localhost:3000\/set-password\//);
    const handle = await openDatabase({ driver: "pglite", dataDir: pglite });
    try {
      expect(await checkPasswordToken(handle.db, link![2])).toMatchObject({ status: "valid", email: "ada@example.com" });
    } finally {
      await handle.close();
    }
  });
});
