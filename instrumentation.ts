/** Opens, migrates and (first time) seeds the database as the server starts, not on the first visit. */
export async function register() {
  if (process.env.NEXT_RUNTIME !== "nodejs") return;
  const { env } = await import("@/lib/env");
  env(); // fail fast, naming the variable, on a bad environment
  // First, so even a failure during start-up is logged with its stack (and request id later on).
  const { installProcessErrorLogging } = await import("@/lib/observability/process-errors");
  installProcessErrorLogging();
  const { getDatabaseHandle } = await import("@/db");
  const workers = env().BACKGROUND_WORKERS === "on";
  const { drainOnSigterm, startBackgroundWorkers } = await import("@/lib/background/runner");
  drainOnSigterm();
  // Postgres may not answer yet (both started at once): keep trying, so background workers start
  // once it does; requests meanwhile retry the start-up themselves and answer 503.
  void (async () => {
    for (let attempt = 0; ; attempt++) {
      try {
        await getDatabaseHandle();
        break;
      } catch (error) {
        if (attempt === 0) console.error("[db] start-up failed (retrying every 2 s):", error);
        await new Promise((r) => setTimeout(r, 2_000));
      }
    }
    if (workers) await startBackgroundWorkers();
  })();
}

/**
 * A request that failed because Postgres is unreachable marks it down: later ones get a 503 at once.
 * Next logs the error itself (with its digest); this line ties the digest the user may quote to the
 * request's id and path.
 */
export async function onRequestError(error: unknown, request: { path: string; method: string; headers: Record<string, string | string[] | undefined> }) {
  if (process.env.NEXT_RUNTIME !== "nodejs") return;
  const { noteDatabaseError } = await import("@/db/availability");
  const transient = noteDatabaseError(error);
  const digest = (error as { digest?: unknown })?.digest;
  console.error(`[request error] request=${request.headers["x-request-id"] ?? "-"} ${request.method} ${request.path} digest=${typeof digest === "string" ? digest : "-"}${transient ? " (database unavailable)" : ""}`);
}
