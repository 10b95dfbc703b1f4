/**
 * What the operations tests and the soak run on: a throwaway Postgres with an empty database, an
 * s3rver (a real S3-compatible server, in a child process, stoppable and restartable on the same
 * port and folder), API tokens, and sign-in as a browser does it (bench/server.ts).
 */
import { spawn, type ChildProcess } from "node:child_process";
import { createHash, randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import pg from "pg";
import { freePort, startPostgres, type PostgresServer } from "./postgres";

export { signIn } from "../../bench/server";
export const DEMO_PASSWORD = "demo";

export type S3Server = { endpoint: string; bucket: string; dir: string; start(): Promise<void>; stop(): Promise<void>; destroy(): Promise<void>; running(): boolean };

/** s3rver on a free port; stop() and start() keep its folder and port (the fault: the store goes away and comes back). */
export async function startS3Server(bucket = "c360-ops"): Promise<S3Server> {
  const dir = mkdtempSync("/tmp/c360-s3rver-");
  const port = await freePort();
  const bin = path.join(path.dirname(createRequire(import.meta.url).resolve("s3rver/package.json")), "bin", "s3rver.js");
  let child: ChildProcess | null = null;
  const onExit = () => child?.kill("SIGKILL");
  process.once("exit", onExit);
  const server: S3Server = {
    endpoint: `http://127.0.0.1:${port}`,
    bucket,
    dir,
    running: () => child !== null && child.exitCode === null && child.signalCode === null,
    async start() {
      const proc = spawn(process.execPath, [bin, "-d", dir, "-a", "127.0.0.1", "-p", String(port), "-s", "--configure-bucket", bucket], { stdio: ["ignore", "pipe", "pipe"] });
      child = proc;
      let output = "";
      await new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`s3rver did not start within 20 s:\n${output}`)), 20_000);
        proc.stdout!.on("data", (data: Buffer) => {
          output += data.toString();
          if (/listening on/i.test(output)) {
            clearTimeout(timer);
            resolve();
          }
        });
        proc.stderr!.on("data", (data: Buffer) => (output += data.toString()));
        proc.once("exit", (code) => {
          clearTimeout(timer);
          reject(new Error(`s3rver exited with ${code}:\n${output}`));
        });
      });
    },
    async stop() {
      const proc = child;
      if (!proc || proc.exitCode !== null || proc.signalCode !== null) return;
      const exited = new Promise((resolve) => proc.once("exit", resolve));
      proc.kill("SIGKILL"); // gone at once, mid-request, like a crashed store
      await exited;
    },
    async destroy() {
      process.removeListener("exit", onExit);
      await server.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
  await server.start();
  return server;
}

/** The environment that points the app at the S3 server. */
export function s3Env(s3: S3Server): Record<string, string> {
  return { S3_ENDPOINT: s3.endpoint, S3_BUCKET: s3.bucket, S3_ACCESS_KEY_ID: "S3RVER", S3_SECRET_ACCESS_KEY: "S3RVER", S3_FORCE_PATH_STYLE: "true" };
}

/** A throwaway Postgres with an empty database `name`; `url` points at it. */
export async function startPostgresWithDatabase(name = "c360_ops"): Promise<{ server: PostgresServer; url: string }> {
  const server = await startPostgres();
  const admin = new pg.Client({ connectionString: server.url });
  await admin.connect();
  await admin.query(`create database ${name}`);
  await admin.end();
  const url = new URL(server.url);
  url.pathname = `/${name}`;
  return { server, url: url.toString() };
}

export const ALL_API_SCOPES = ["accounts:write", "attributes:write", "usage:write", "contacts:write", "contracts:write", "tickets:write", "surveys:write", "touchpoints:write", "assignments:write"];

/** An API token of admin@demo.test with every scope, written straight into the database. */
export async function makeApiToken(databaseUrl: string, name = "ops test"): Promise<string> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    const admin = await client.query<{ id: string }>("select id from users where email = 'admin@demo.test'");
    const token = `c360_${randomBytes(32).toString("base64url")}`;
    await client.query(
      "insert into api_tokens (name, prefix, token_hash, scopes, created_by) values ($1, $2, $3, $4::text[], $5)",
      [name, token.slice(0, 11), createHash("sha256").update(token).digest("hex"), `{${ALL_API_SCOPES.join(",")}}`, admin.rows[0].id],
    );
    return token;
  } finally {
    await client.end();
  }
}

/** Runs `fn` with a short-lived client on `url`. */
export async function withClient<T>(url: string, fn: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}
