/**
 * The process's last word on errors nothing else caught: an `uncaughtException` (a throw in a
 * callback or an 'error' event with no listener, e.g. a pg client whose connection Postgres cut
 * while a background worker held it) or an `unhandledRejection` (a promise nobody awaited). Each is
 * logged once with its stack (and its causes') and, when it happened inside a request, that
 * request's id and path, so a log line leads back to the request. A connection-level database
 * error marks the database down (db/availability.ts: 503s, probing, recovery) and the process
 * keeps serving; `next start` itself never exits on these either, and we keep that behaviour.
 *
 * No `server-only` and no database import: instrumentation.ts installs it, and a plain Node child
 * in test/process-errors.test.ts installs it without Next.
 */
import type { AsyncLocalStorage } from "node:async_hooks";
import { noteDatabaseError } from "@/db/availability";

type RequestStoreLike = { type?: string; url?: { pathname?: string }; headers?: { get(name: string): string | null } };

const globalForHandlers = globalThis as typeof globalThis & { __c360ProcessErrorLogging?: boolean };

export function installProcessErrorLogging(): void {
  if (globalForHandlers.__c360ProcessErrorLogging) return;
  globalForHandlers.__c360ProcessErrorLogging = true;
  process.on("uncaughtException", (error) => logUncaught("uncaughtException", error));
  process.on("unhandledRejection", (reason) => logUncaught("unhandledRejection", reason));
}

export function logUncaught(kind: "uncaughtException" | "unhandledRejection", error: unknown): void {
  const transient = noteDatabaseError(error);
  const request = currentRequest();
  const where = request ? ` request=${request.id ?? "-"} path=${request.path ?? "-"}` : " request=- (outside a request)";
  const what = transient ? "transient database error, the app keeps serving (503 until Postgres answers)" : "not handled by the code that raised it";
  console.error(`[${kind}] ${what};${where}\n${describe(error)}`);
}

/** The stack of an error and of each error in its cause chain (drizzle wraps pg's error in `cause`). */
export function describe(error: unknown): string {
  const parts: string[] = [];
  for (let e = error, depth = 0; e !== undefined && e !== null && depth < 5; e = (e as { cause?: unknown }).cause, depth++) {
    const text = e instanceof Error ? (e.stack ?? `${e.name}: ${e.message}`) : typeof e === "object" ? JSON.stringify(e) : String(e);
    const code = (e as { code?: unknown }).code;
    parts.push(`${depth ? "caused by: " : ""}${text}${typeof code === "string" ? ` [code ${code}]` : ""}`);
    if (typeof e !== "object") break;
  }
  return parts.join("\n");
}

/**
 * The request whose async context raised the error, read from Next's own request store (an
 * AsyncLocalStorage Next keeps on globalThis under `@next/work-unit-async-storage@<version>`).
 * The id is the `x-request-id` header the proxy gives every request it sees (proxy.ts). Any
 * surprise (another Next version, no store) answers null: logging must never throw.
 */
function currentRequest(): { id: string | null; path: string | null } | null {
  try {
    const key = Object.getOwnPropertySymbols(globalThis).find((s) => s.description?.startsWith("@next/work-unit-async-storage@"));
    if (!key) return null;
    const storage = (globalThis as unknown as Record<symbol, AsyncLocalStorage<RequestStoreLike> | undefined>)[key];
    const store = storage?.getStore();
    if (!store || store.type !== "request") return null;
    return { id: store.headers?.get("x-request-id") ?? null, path: store.url?.pathname ?? null };
  } catch {
    return null;
  }
}
