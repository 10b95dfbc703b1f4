/**
 * The benchmark's own PostgreSQL cluster, used when DATABASE_URL is not set.
 *
 * Unlike the tests' throwaway clusters (test/support/postgres.ts, whose binaries lookup and port
 * picking are reused here), its folder is kept between runs so the large data set (~2 GB, several
 * minutes to load) is seeded once and reused; the server itself is started for the run and stopped
 * at its end. `BENCH_PG_DIR` moves the folder (default /tmp/c360-bench-pg, outside the project so
 * `next build` never scans it); `npm run bench -- --fresh-db` deletes it first.
 */
import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, rmSync } from "node:fs";
import path from "node:path";
import { findPostgresBin, freePort, pgTool, pgToolSync } from "../test/support/postgres";

const isRoot = typeof process.getuid === "function" && process.getuid() === 0;

export const DEFAULT_PG_DIR = "/tmp/c360-bench-pg";
export const BENCH_DATABASE = "c360_large";

export type BenchPostgres = {
  /** URL of the benchmark database (created when missing). */
  url: string;
  dir: string;
  port: number;
  /** True when the folder already held a cluster (the data set may already be there). */
  reused: boolean;
  stop(): Promise<void>;
};

/**
 * Starts (creating if needed) the cluster in `dir` on a free port. Durability is off (fsync,
 * full-page writes, synchronous commit): it only speeds up loading and changes no read path.
 * Everything else, JIT and work_mem included, keeps PostgreSQL's defaults, as a real install would.
 */
export async function startBenchPostgres(options: { dir?: string; fresh?: boolean; log?: (msg: string) => void } = {}): Promise<BenchPostgres> {
  const log = options.log ?? (() => {});
  const dir = path.resolve(options.dir ?? DEFAULT_PG_DIR);
  const dataDir = path.join(dir, "db");
  const logFile = path.join(dir, "server.log");
  const bin = findPostgresBin();
  if (options.fresh && existsSync(dir)) {
    log(`--fresh-db: deleting ${dir}`);
    if (existsSync(path.join(dataDir, "postmaster.pid"))) await pgTool(bin, "pg_ctl", ["-D", dataDir, "-m", "fast", "-w", "stop"]).catch(() => "");
    rmSync(dir, { recursive: true, force: true });
  }
  const reused = existsSync(path.join(dataDir, "PG_VERSION"));
  if (!reused) {
    mkdirSync(dir, { recursive: true });
    if (isRoot) execFileSync("chown", ["-R", "postgres:postgres", dir]);
    log(`initdb ${dataDir}`);
    await pgTool(bin, "initdb", ["-D", dataDir, "-U", "postgres", "--auth=trust", "-E", "UTF8", "--no-sync"]);
  } else if (existsSync(path.join(dataDir, "postmaster.pid"))) {
    // A previous run was killed before it could stop its server: stop that one first.
    log(`a server from an earlier run still holds ${dataDir}: stopping it`);
    await pgTool(bin, "pg_ctl", ["-D", dataDir, "-m", "fast", "-w", "stop"]).catch(() => "");
  }

  let port = 0;
  let lastError: unknown;
  for (let attempt = 0; attempt < 4 && !port; attempt++) {
    const candidate = await freePort();
    const settings = [
      `-p ${candidate}`,
      `-k ${dir}`,
      "-c listen_addresses=127.0.0.1",
      "-c fsync=off",
      "-c full_page_writes=off",
      "-c synchronous_commit=off",
      "-c shared_buffers=1GB",
      // Room for the bulk load without a checkpoint every few seconds, yet not 8 GB of old WAL kept.
      "-c max_wal_size=2GB",
      "-c checkpoint_timeout=30min",
      "-c max_connections=100",
    ].join(" ");
    try {
      await pgTool(bin, "pg_ctl", ["-D", dataDir, "-l", logFile, "-o", settings, "-w", "-t", "120", "start"]);
      port = candidate;
    } catch (error) {
      lastError = error;
    }
  }
  if (!port) {
    const tail = existsSync(logFile) ? readFileSync(logFile, "utf8").slice(-4000) : "";
    throw new Error(`could not start PostgreSQL in ${dir}: ${(lastError as Error)?.message}\n${tail}`);
  }

  let stopped = false;
  const onExit = () => {
    if (stopped) return;
    stopped = true;
    try {
      pgToolSync(bin, "pg_ctl", ["-D", dataDir, "-m", "fast", "-w", "stop"]);
    } catch {
      /* best effort */
    }
  };
  process.once("exit", onExit);

  const adminUrl = `postgres://postgres@127.0.0.1:${port}/postgres`;
  const pg = (await import("pg")).default;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  try {
    const exists = await admin.query(`select 1 from pg_database where datname = $1`, [BENCH_DATABASE]);
    if (!exists.rowCount) await admin.query(`create database ${BENCH_DATABASE}`);
  } finally {
    await admin.end();
  }

  return {
    url: `postgres://postgres@127.0.0.1:${port}/${BENCH_DATABASE}`,
    dir,
    port,
    reused,
    async stop() {
      if (stopped) return;
      stopped = true;
      process.removeListener("exit", onExit);
      await pgTool(bin, "pg_ctl", ["-D", dataDir, "-m", "fast", "-w", "stop"]);
    },
  };
}
