/**
 * The app under test: a production build (`next build`) served by `next start` in its own process
 * group (detached = setsid), so stopping it stops `next-server` too (STACK-NOTES), and a signed-in
 * session obtained the way a browser gets one (CSRF token, then the credentials callback).
 */
import { spawn, type ChildProcess } from "node:child_process";
import { closeSync, openSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { freePort } from "../test/support/postgres";

const require = createRequire(path.join(process.cwd(), "package.json"));

function nextBin(): string {
  return require.resolve("next/dist/bin/next");
}

function tail(file: string, chars = 4000): string {
  try {
    return readFileSync(file, "utf8").slice(-chars);
  } catch {
    return "";
  }
}

/** Runs `next build` in the current directory; resolves with its duration in ms. */
export async function nextBuild(env: NodeJS.ProcessEnv, logFile: string): Promise<number> {
  const fd = openSync(logFile, "w");
  const started = performance.now();
  try {
    const child = spawn(process.execPath, [nextBin(), "build"], { cwd: process.cwd(), env, stdio: ["ignore", fd, fd] });
    const code = await new Promise<number | null>((resolve, reject) => {
      child.on("error", reject);
      child.on("exit", (c) => resolve(c));
    });
    if (code !== 0) throw new Error(`next build failed (exit ${code}); log: ${logFile}\n${tail(logFile)}`);
  } finally {
    closeSync(fd);
  }
  return performance.now() - started;
}

export type RunningServer = { baseUrl: string; pid: number; logFile: string; readyMs: number; stop(): Promise<void> };

/** Starts `next start` on a free port and waits until /api/health answers 200 (database ready). */
export async function nextStart(env: NodeJS.ProcessEnv, logFile: string): Promise<RunningServer> {
  const port = await freePort();
  const fd = openSync(logFile, "w");
  const started = performance.now();
  const child: ChildProcess = spawn(process.execPath, [nextBin(), "start", "-p", String(port), "-H", "127.0.0.1"], {
    cwd: process.cwd(),
    env,
    stdio: ["ignore", fd, fd],
    // A new session and process group: the whole group is signalled on stop.
    detached: true,
  });
  closeSync(fd);
  const pid = child.pid!;
  let exited = false;
  child.on("exit", () => (exited = true));

  const killGroup = (signal: NodeJS.Signals) => {
    try {
      process.kill(-pid, signal);
    } catch {
      /* already gone */
    }
  };
  const onExit = () => killGroup("SIGKILL");
  process.once("exit", onExit);

  const stop = async () => {
    process.removeListener("exit", onExit);
    killGroup("SIGTERM");
    const deadline = Date.now() + 10_000;
    while (Date.now() < deadline && groupAlive(pid)) await sleep(100);
    if (groupAlive(pid)) killGroup("SIGKILL");
  };

  const baseUrl = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 120_000;
  for (;;) {
    if (exited) throw new Error(`next start exited early; log: ${logFile}\n${tail(logFile)}`);
    try {
      const res = await fetch(`${baseUrl}/api/health`);
      if (res.status === 200) break;
    } catch {
      /* not listening yet */
    }
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`next start did not become ready in 120 s; log: ${logFile}\n${tail(logFile)}`);
    }
    await sleep(200);
  }
  return { baseUrl, pid, logFile, readyMs: performance.now() - started, stop };
}

function groupAlive(pgid: number): boolean {
  try {
    process.kill(-pgid, 0);
    return true;
  } catch {
    return false;
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

function cookiePairs(res: Response): Map<string, string> {
  const out = new Map<string, string>();
  for (const line of res.headers.getSetCookie()) {
    const pair = line.split(";")[0];
    const eq = pair.indexOf("=");
    if (eq > 0) out.set(pair.slice(0, eq).trim(), pair.slice(eq + 1).trim());
  }
  return out;
}

function cookieHeader(jar: Map<string, string>): string {
  return [...jar].map(([k, v]) => `${k}=${v}`).join("; ");
}

/**
 * Signs in with the credentials provider as a browser would and returns the Cookie header of the
 * session. Fails when the session does not name the user.
 */
export async function signIn(baseUrl: string, email: string, password: string): Promise<string> {
  const jar = new Map<string, string>();
  const csrf = await fetch(`${baseUrl}/api/auth/csrf`);
  if (csrf.status !== 200) throw new Error(`sign-in: GET /api/auth/csrf answered ${csrf.status}`);
  for (const [k, v] of cookiePairs(csrf)) jar.set(k, v);
  const { csrfToken } = (await csrf.json()) as { csrfToken?: string };
  if (!csrfToken) throw new Error("sign-in: no csrfToken");
  const callback = await fetch(`${baseUrl}/api/auth/callback/credentials`, {
    method: "POST",
    redirect: "manual",
    headers: { "content-type": "application/x-www-form-urlencoded", cookie: cookieHeader(jar) },
    body: new URLSearchParams({ csrfToken, email, password, callbackUrl: `${baseUrl}/` }).toString(),
  });
  for (const [k, v] of cookiePairs(callback)) jar.set(k, v);
  const location = callback.headers.get("location") ?? "";
  if (![...jar.keys()].some((k) => k.includes("session-token"))) {
    throw new Error(`sign-in as ${email} failed: status ${callback.status}, location ${location || "(none)"}`);
  }
  const session = await fetch(`${baseUrl}/api/auth/session`, { headers: { cookie: cookieHeader(jar) } });
  const body = (await session.json()) as { user?: { email?: string } } | null;
  if (body?.user?.email?.toLowerCase() !== email.toLowerCase()) {
    throw new Error(`sign-in as ${email}: the session names ${JSON.stringify(body?.user ?? null)}`);
  }
  // Only the session cookie is needed from here on.
  return cookieHeader(new Map([...jar].filter(([k]) => k.includes("session-token"))));
}
