import { execFile, execFileSync } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import net from "node:net";
import path from "node:path";
import { promisify } from "node:util";

const run = promisify(execFile);

export type PostgresServer = { url: string; port: number; dir: string; stop(): Promise<void> };

/** The directory holding `initdb` and `pg_ctl`: $PG_BIN, the newest /usr/lib/postgresql/N/bin, or PATH. */
export function findPostgresBin(): string {
  const candidates: string[] = [];
  if (process.env.PG_BIN) candidates.push(process.env.PG_BIN);
  const debianRoot = "/usr/lib/postgresql";
  if (existsSync(debianRoot)) {
    const versions = readdirSync(debianRoot)
      .filter((v) => /^\d+(\.\d+)?$/.test(v))
      .sort((a, b) => Number(b) - Number(a));
    for (const v of versions) candidates.push(path.join(debianRoot, v, "bin"));
  }
  for (const dir of (process.env.PATH ?? "").split(path.delimiter)) if (dir) candidates.push(dir);
  const found = candidates.find((dir) => existsSync(path.join(dir, "initdb")) && existsSync(path.join(dir, "pg_ctl")));
  if (!found) {
    throw new Error(
      "PostgreSQL server binaries (initdb, pg_ctl) not found in $PG_BIN, /usr/lib/postgresql/*/bin or PATH. " +
        "Install them with: sudo apt-get install -y postgresql",
    );
  }
  return found;
}

/** A port that was free a moment ago (the kernel picks it). */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.on("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      const port = typeof address === "object" && address ? address.port : 0;
      server.close(() => (port ? resolve(port) : reject(new Error("could not pick a free port"))));
    });
  });
}

const isRoot = typeof process.getuid === "function" && process.getuid() === 0;

export function shellQuote(s: string): string {
  return `'${s.replace(/'/g, `'\\''`)}'`;
}

/**
 * Runs a Postgres tool and returns its output; as root it runs as the `postgres` OS user (initdb
 * and postgres refuse root). Shared with the benchmark's own cluster (bench/postgres.ts).
 */
export async function pgTool(bin: string, tool: string, args: string[]): Promise<string> {
  const exe = path.join(bin, tool);
  try {
    const { stdout } = isRoot
      ? await run("su", ["postgres", "-s", "/bin/sh", "-c", [exe, ...args].map(shellQuote).join(" ")], { maxBuffer: 16 * 1024 * 1024 })
      : await run(exe, args, { maxBuffer: 16 * 1024 * 1024 });
    return stdout;
  } catch (error) {
    const e = error as Error & { stdout?: string; stderr?: string };
    throw new Error(`${tool} ${args.join(" ")} failed: ${e.message}\n${e.stdout ?? ""}\n${e.stderr ?? ""}`);
  }
}

export function pgToolSync(bin: string, tool: string, args: string[]): void {
  const exe = path.join(bin, tool);
  if (isRoot) {
    execFileSync("su", ["postgres", "-s", "/bin/sh", "-c", [exe, ...args].map(shellQuote).join(" ")], { stdio: "ignore" });
  } else {
    execFileSync(exe, args, { stdio: "ignore" });
  }
}

/**
 * Starts a throwaway PostgreSQL cluster under a fresh /tmp/c360-pg-XXXX folder, listening on
 * 127.0.0.1 on a free port with trust authentication and durability off (it is thrown away).
 * `url` points at the `postgres` database as the `postgres` superuser.
 */
export async function startPostgres(): Promise<PostgresServer> {
  const bin = findPostgresBin();
  const dir = mkdtempSync("/tmp/c360-pg-");
  const dataDir = path.join(dir, "db");
  const logFile = path.join(dir, "server.log");
  if (isRoot) execFileSync("chown", ["-R", "postgres:postgres", dir]);

  try {
    await pgTool(bin, "initdb", ["-D", dataDir, "-U", "postgres", "--auth=trust", "-E", "UTF8", "--no-sync"]);
  } catch (error) {
    rmSync(dir, { recursive: true, force: true });
    throw error;
  }

  let port = 0;
  let lastError: unknown;
  // Another process may grab the port between picking and binding it: try a few.
  for (let attempt = 0; attempt < 4 && !port; attempt++) {
    const candidate = await freePort();
    const options = [
      `-p ${candidate}`,
      `-k ${dir}`,
      "-c listen_addresses=127.0.0.1",
      "-c fsync=off",
      "-c full_page_writes=off",
      "-c synchronous_commit=off",
    ].join(" ");
    try {
      await pgTool(bin, "pg_ctl", ["-D", dataDir, "-l", logFile, "-o", options, "-w", "-t", "60", "start"]);
      port = candidate;
    } catch (error) {
      lastError = error;
    }
  }
  if (!port) {
    const log = existsSync(logFile) ? readFileSync(logFile, "utf8").slice(-4000) : "";
    rmSync(dir, { recursive: true, force: true });
    throw new Error(`could not start PostgreSQL: ${(lastError as Error)?.message}\n${log}`);
  }

  let stopped = false;
  // If the runner dies without calling stop(), do not leave a postmaster behind.
  const onExit = () => {
    if (stopped) return;
    stopped = true;
    try {
      pgToolSync(bin, "pg_ctl", ["-D", dataDir, "-m", "immediate", "stop"]);
    } catch {
      /* best effort */
    }
    rmSync(dir, { recursive: true, force: true });
  };
  process.once("exit", onExit);

  return {
    url: `postgres://postgres@127.0.0.1:${port}/postgres`,
    port,
    dir,
    async stop() {
      if (stopped) return;
      stopped = true;
      process.removeListener("exit", onExit);
      try {
        await pgTool(bin, "pg_ctl", ["-D", dataDir, "-m", "fast", "-w", "stop"]);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    },
  };
}
