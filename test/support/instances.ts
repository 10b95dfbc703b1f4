/**
 * Several `next start` instances on fixed ports behind Debian's haproxy, for the two-instance test
 * and the soak's faults: each instance in its own process group (so a signal reaches next-server),
 * stoppable with SIGTERM (drain) or SIGKILL (crash) and startable again on the same port.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { existsSync, openSync, closeSync, readFileSync, writeFileSync, mkdtempSync, rmSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export type Instance = {
  name: string;
  port: number;
  url: string;
  logFile: string;
  pid(): number | undefined;
  start(): Promise<void>;
  /** Signals the whole group and waits until it is gone; resolves with how long that took. */
  stop(signal?: NodeJS.Signals): Promise<number>;
};

function groupAlive(pgid: number): boolean {
  try {
    process.kill(-pgid, 0);
    return true;
  } catch {
    return false;
  }
}

/** An instance of the production build; `env` is the whole environment the server gets. */
export function nextInstance(name: string, port: number, env: NodeJS.ProcessEnv): Instance {
  const logFile = `/tmp/c360-${name}-${port}.log`;
  let child: ChildProcess | null = null;
  const onExit = () => {
    if (child?.pid) {
      try {
        process.kill(-child.pid, "SIGKILL");
      } catch {
        /* gone */
      }
    }
  };
  const instance: Instance = {
    name,
    port,
    url: `http://127.0.0.1:${port}`,
    logFile,
    pid: () => child?.pid,
    async start() {
      if (!existsSync(path.join(repoRoot, ".next", "BUILD_ID"))) throw new Error("No production build in .next: run `npx next build` first.");
      const fd = openSync(logFile, "a");
      child = spawn(process.execPath, [path.join(repoRoot, "node_modules/next/dist/bin/next"), "start", "-p", String(port), "-H", "127.0.0.1"], {
        cwd: repoRoot,
        env: { ...env, PORT: String(port), NODE_ENV: "production", NEXT_TELEMETRY_DISABLED: "1" },
        detached: true,
        stdio: ["ignore", fd, fd],
      });
      closeSync(fd);
      process.once("exit", onExit);
      const deadline = Date.now() + 120_000;
      for (;;) {
        if (child.exitCode !== null || child.signalCode !== null) throw new Error(`${name} exited before it was ready:\n${readFileSync(logFile, "utf8").slice(-3000)}`);
        try {
          const res = await fetch(`${instance.url}/api/health`, { signal: AbortSignal.timeout(5_000) });
          if (res.status === 200) return;
        } catch {
          /* not yet */
        }
        if (Date.now() > deadline) throw new Error(`${name} not ready in 120 s:\n${readFileSync(logFile, "utf8").slice(-3000)}`);
        await sleep(100);
      }
    },
    async stop(signal: NodeJS.Signals = "SIGTERM") {
      const pid = child?.pid;
      if (!pid) return 0;
      process.removeListener("exit", onExit);
      const started = Date.now();
      try {
        process.kill(-pid, signal);
      } catch {
        /* gone */
      }
      while (groupAlive(pid) && Date.now() - started < 30_000) await sleep(25);
      if (groupAlive(pid)) process.kill(-pid, "SIGKILL");
      child = null;
      return Date.now() - started;
    },
  };
  return instance;
}

/**
 * The haproxy configuration the README shows: health checks on /api/health every second (down
 * after 2 failures, up after 2 successes; a slow answer under load is not a failure), a request that cannot connect is retried on the other
 * instance, and one connection per request to the instances, so an instance that closes its idle
 * connections while draining never catches a request on one of them.
 */
export function haproxyConfig(listenPort: number, backends: { name: string; port: number }[]): string {
  return `global
    maxconn 2000

defaults
    mode http
    timeout connect 2s
    timeout client 60s
    timeout server 60s
    option http-server-close
    retries 3
    option redispatch 1
    retry-on conn-failure empty-response response-timeout

frontend c360
    bind 127.0.0.1:${listenPort}
    default_backend c360_app

backend c360_app
    balance roundrobin
    option httpchk GET /api/health
    http-check expect status 200
    timeout check 5s
    default-server inter 1s fall 2 rise 2
${backends.map((b) => `    server ${b.name} 127.0.0.1:${b.port} check`).join("\n")}
`;
}

export type Haproxy = { url: string; stop(): Promise<void> };

/** haproxy in the foreground (-db) on `listenPort`, in its own process group. */
export async function startHaproxy(listenPort: number, backends: { name: string; port: number }[]): Promise<Haproxy> {
  const dir = mkdtempSync("/tmp/c360-haproxy-");
  const config = path.join(dir, "haproxy.cfg");
  writeFileSync(config, haproxyConfig(listenPort, backends));
  const bin = existsSync("/usr/sbin/haproxy") ? "/usr/sbin/haproxy" : "haproxy";
  const log = openSync(path.join(dir, "haproxy.log"), "a");
  const child = spawn(bin, ["-db", "-f", config], { detached: true, stdio: ["ignore", log, log] });
  closeSync(log);
  const onExit = () => child.kill("SIGKILL");
  process.once("exit", onExit);
  const url = `http://127.0.0.1:${listenPort}`;
  const deadline = Date.now() + 10_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`haproxy exited: ${readFileSync(path.join(dir, "haproxy.log"), "utf8")}`);
    try {
      const res = await fetch(`${url}/api/health`);
      if (res.status === 200) break;
    } catch {
      /* not yet */
    }
    if (Date.now() > deadline) throw new Error(`haproxy not answering: ${readFileSync(path.join(dir, "haproxy.log"), "utf8")}`);
    await sleep(100);
  }
  return {
    url,
    async stop() {
      process.removeListener("exit", onExit);
      if (child.exitCode === null) {
        const exited = new Promise((r) => child.once("exit", r));
        child.kill("SIGTERM");
        await exited;
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
