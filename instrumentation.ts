/** Opens, migrates and (first time) seeds the database as the server starts, not on the first visit. */
export async function register() {
  if (process.env.NEXT_RUNTIME !== "nodejs") return;
  const { env } = await import("@/lib/env");
  env(); // fail fast, naming the variable, on a bad environment
  const { getDatabaseHandle } = await import("@/db");
  const ready = getDatabaseHandle();
  ready.catch((error) => console.error("[db] start-up failed:", error));
  if (env().BACKGROUND_WORKERS === "on") {
    const { startBackgroundWorkers } = await import("@/lib/background/runner");
    ready.then(() => startBackgroundWorkers()).catch(() => {});
  }
}
