/**
 * Whether Postgres is answering, as this process last saw it. A connection refused or cut (the
 * server stopped, restarted, or is starting up) marks the database down; the proxy then answers
 * 503 at once (a page that refreshes itself, or JSON on /api/*) instead of letting every request
 * fail its way to a 500. While down, one probe per PROBE_EVERY_MS opens a fresh connection; the
 * first that answers marks it up again, so the app serves within a second of Postgres returning,
 * with no restart (the pool's broken connections are discarded and new ones made on demand).
 *
 * State lives on globalThis: the proxy, route handlers, pages and instrumentation are separate
 * bundles in one process and must share it. No database or server-only import here: the proxy
 * loads this module.
 */

export const PROBE_EVERY_MS = 250;

type State = {
  downSince: number | null;
  reason: string | null;
  probing: boolean;
  probe: (() => Promise<void>) | null;
};

const globalForAvailability = globalThis as typeof globalThis & { __c360DbAvailability?: State };

function state(): State {
  globalForAvailability.__c360DbAvailability ??= { downSince: null, reason: null, probing: false, probe: null };
  return globalForAvailability.__c360DbAvailability;
}

/**
 * Connection-level failures (not a bad query): the server is gone, restarting, or refusing. Not the
 * pool's "timeout exceeded when trying to connect": under load that only means every connection
 * was busy, and the soak showed it flipping a healthy app to 503.
 */
const UNAVAILABLE_CODES = new Set([
  "ECONNREFUSED",
  "ECONNRESET",
  "EPIPE",
  "ETIMEDOUT",
  "ENOTFOUND",
  "EAI_AGAIN",
  "57P01", // admin_shutdown: pg_ctl stop / restart -m fast
  "57P02", // crash_shutdown
  "57P03", // cannot_connect_now: starting up or shutting down
  "08000",
  "08001",
  "08003",
  "08004",
  "08006",
]);
const UNAVAILABLE_MESSAGES = /Connection terminated|Client has encountered a connection error|the database system is (starting up|shutting down|in recovery mode)|terminating connection due to administrator command/i;

/** True for an error (or any error in its cause chain) that means "the database is not reachable". */
export function isDatabaseUnavailableError(error: unknown): boolean {
  for (let e = error, depth = 0; e && typeof e === "object" && depth < 6; e = (e as { cause?: unknown }).cause, depth++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === "string" && UNAVAILABLE_CODES.has(code)) return true;
    const message = (e as { message?: unknown }).message;
    if (typeof message === "string" && UNAVAILABLE_MESSAGES.test(message)) return true;
    // AggregateError (Node's happy-eyeballs connect) keeps the real errors in `errors`.
    const errors = (e as { errors?: unknown }).errors;
    if (Array.isArray(errors) && errors.some((inner) => isDatabaseUnavailableError(inner))) return true;
  }
  return false;
}

/** How the process checks that Postgres answers again (set by db/index.ts for the pg driver). */
export function setAvailabilityProbe(probe: () => Promise<void>): void {
  state().probe = probe;
}

/** Marks the database down when `error` is a connection failure; returns whether it was. */
export function noteDatabaseError(error: unknown): boolean {
  if (!isDatabaseUnavailableError(error)) return false;
  markDatabaseDown((error as Error)?.message ?? String(error));
  return true;
}

export function markDatabaseDown(reason: string): void {
  const s = state();
  if (s.downSince === null) {
    s.downSince = Date.now();
    s.reason = reason;
    console.error(`[db] database unavailable (${reason}): answering 503 until it is back`);
  }
  if (!s.probing && s.probe) void probeUntilUp(s);
}

export function databaseIsDown(): boolean {
  return state().downSince !== null;
}

/** Since when (ms since the epoch) the database is down, or null. */
export function databaseDownSince(): number | null {
  return state().downSince;
}

/** Resolves true once the database answers again (at once when it is not down), false after `ms`. */
export async function waitForDatabase(ms: number): Promise<boolean> {
  const deadline = Date.now() + ms;
  while (state().downSince !== null) {
    if (Date.now() > deadline) return false;
    await new Promise((r) => setTimeout(r, 50));
  }
  return true;
}

async function probeUntilUp(s: State): Promise<void> {
  s.probing = true;
  try {
    while (s.downSince !== null && s.probe) {
      try {
        await s.probe();
        console.log(`[db] database answering again after ${Date.now() - s.downSince} ms`);
        s.downSince = null;
        s.reason = null;
      } catch {
        await new Promise((r) => setTimeout(r, PROBE_EVERY_MS));
      }
    }
  } finally {
    s.probing = false;
  }
}

/** The answer while the database is down: JSON for API paths, a short page that retries itself otherwise. */
export function unavailableResponse(pathname: string): Response {
  const headers = { "Retry-After": "2", "Cache-Control": "no-store" };
  if (pathname.startsWith("/api/")) {
    return Response.json(
      { error: "The database is not answering (restarting?); nothing was written. Retry in a few seconds.", issues: [] },
      { status: 503, headers },
    );
  }
  const page = `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<meta http-equiv="refresh" content="3"><title>Briefly unavailable · Customer 360</title>
<style>body{font-family:system-ui,sans-serif;display:flex;min-height:80vh;align-items:center;justify-content:center;margin:0;padding:1rem;color:#0f172a}main{max-width:28rem;text-align:center}p{color:#475569;font-size:.9rem}</style></head>
<body><main><h1>Customer 360 is briefly unavailable</h1><p>The database is not answering, probably because it is restarting. This page tries again by itself every few seconds; nothing you saved before is lost.</p></main></body></html>`;
  return new Response(page, { status: 503, headers: { ...headers, "Content-Type": "text/html; charset=utf-8" } });
}
