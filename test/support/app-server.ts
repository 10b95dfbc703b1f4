/**
 * Starts the production build (`next start`) on a free port with the given environment, in its own
 * process group, and waits for /api/health. Used by the e2e global set-up (on a throwaway Postgres)
 * and by the quick-start test (on a fresh PGlite folder).
 */
import { spawn, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import { createWriteStream, existsSync, mkdtempSync, rmSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { freePort } from "./postgres";

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const READY_TIMEOUT_MS = 120_000;

function sleep(ms: number) {
  return new Promise((r) => setTimeout(r, ms));
}

async function stopGroup(child: ChildProcess): Promise<void> {
  if (child.pid === undefined || child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  const kill = (signal: NodeJS.Signals) => {
    try {
      process.kill(-child.pid!, signal); // the whole group: `next` and its next-server child
    } catch {
      /* already gone */
    }
  };
  kill("SIGTERM");
  const done = await Promise.race([exited.then(() => true), sleep(10_000).then(() => false)]);
  if (!done) {
    kill("SIGKILL");
    await Promise.race([exited, sleep(5_000)]);
  }
  // The group may outlive its leader (next-server): make sure nothing is left.
  kill("SIGKILL");
}


export type AppServer = { baseURL: string; logFile: string; stop(): Promise<void> };

/**
 * `database`: a Postgres URL, or "pglite" for a fresh embedded database in a temp folder.
 * `extraEnv` may be a function of the server's base URL (e.g. for AUTH_URL, which single sign-on
 * needs so both legs of the OAuth redirect name the same host).
 */
export async function startAppServer(database: string, extraEnv: Record<string, string> | ((baseURL: string) => Record<string, string>) = {}): Promise<AppServer> {
  if (!existsSync(path.join(repoRoot, ".next", "BUILD_ID"))) {
    throw new Error("No production build in .next: run `npx next build` first (scripts/test.sh does).");
  }
  const started = performance.now();
  const work = mkdtempSync("/tmp/c360-e2e-");
  const port = await freePort();
  const baseURL = `http://127.0.0.1:${port}`;
  const logFile = `/tmp/c360-e2e-server-${port}.log`;
  const log = createWriteStream(logFile);
  let tail = "";
  const capture = (chunk: Buffer) => {
    log.write(chunk);
    tail = (tail + chunk.toString("utf8")).slice(-8000);
  };

  const env: NodeJS.ProcessEnv = { ...process.env };
  delete env.DATABASE_URL;
  delete env.SEED_ON_START;
  if (database !== "pglite") Object.assign(env, { DATABASE_URL: database, SEED_ON_START: "true" });
  Object.assign(env, {
    NODE_ENV: "production",
    PGLITE_DIR: path.join(work, "pglite"),
    ASSET_DIR: path.join(work, "assets"),
    DEMO_MODE: "true",
    AUTH_SECRET: randomBytes(32).toString("hex"),
    AUTH_TRUST_HOST: "true",
    PORT: String(port),
    NEXT_TELEMETRY_DISABLED: "1",
    ...(typeof extraEnv === "function" ? extraEnv(baseURL) : extraEnv),
  });

  // process.execPath, not the `#!/usr/bin/env node` of node_modules/.bin/next: the server runs on the
  // same Node as the tests (scripts/test.sh runs them on Node 24 and the unit suites also on Node 20).
  const child = spawn(process.execPath, [path.join(repoRoot, "node_modules/next/dist/bin/next"), "start", "-p", String(port), "-H", "127.0.0.1"], {
    cwd: repoRoot,
    env,
    detached: true,
    stdio: ["ignore", "pipe", "pipe"],
  });
  child.stdout!.on("data", capture);
  child.stderr!.on("data", capture);
  let exitInfo: string | undefined;
  child.once("exit", (code, signal) => {
    exitInfo = `exited with ${signal ?? `code ${code}`}`;
  });
  // If the runner dies without teardown, do not leave the server behind.
  const onExit = () => {
    try {
      process.kill(-child.pid!, "SIGKILL");
    } catch {
      /* gone */
    }
  };
  process.once("exit", onExit);

  const teardown = async () => {
    process.removeListener("exit", onExit);
    await stopGroup(child);
    log.end();
    rmSync(work, { recursive: true, force: true });
  };

  try {
    const deadline = Date.now() + READY_TIMEOUT_MS;
    let last = "no answer yet";
    for (;;) {
      if (exitInfo) throw new Error(`next start ${exitInfo} before it was ready`);
      try {
        const res = await fetch(`${baseURL}/api/health`, { signal: AbortSignal.timeout(10_000) });
        if (res.status === 200) break;
        last = `HTTP ${res.status}: ${(await res.text()).slice(0, 300)}`;
      } catch (error) {
        last = (error as Error).message;
      }
      if (Date.now() > deadline) throw new Error(`GET /api/health did not answer 200 within ${READY_TIMEOUT_MS / 1000} s (last: ${last})`);
      await sleep(250);
    }
  } catch (error) {
    await teardown();
    throw new Error(`${(error as Error).message}\n--- server output (tail; full log: ${logFile}) ---\n${tail}`);
  }

  console.log(`[e2e] next start (${database === "pglite" ? "PGlite" : "Postgres"}) on Node ${process.version} ready at ${baseURL} in ${((performance.now() - started) / 1000).toFixed(1)} s (log: ${logFile})`);
  return { baseURL, logFile, stop: teardown };
}
