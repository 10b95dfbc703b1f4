import "server-only";
import { loadWorkers, type Worker } from "./workers";

type RunnerState = { stopping: boolean; running: Promise<void>[] };
const globalForRunner = globalThis as typeof globalThis & { __c360Runner?: RunnerState; __c360Draining?: boolean };

/**
 * Starts every worker in this process (once). Off with BACKGROUND_WORKERS=off, for example on
 * instances that should only serve pages. A failing run is logged and retried after its idle pause.
 */
export async function startBackgroundWorkers(): Promise<void> {
  if (globalForRunner.__c360Runner || globalForRunner.__c360Draining) return;
  const state: RunnerState = { stopping: false, running: [] };
  globalForRunner.__c360Runner = state;
  for (const worker of await loadWorkers()) state.running.push(loop(worker, state));
}

/**
 * `next start` itself drains on SIGTERM: it stops listening, lets the requests in flight finish, then
 * exits. What it does not know about are our background workers: let their current batch finish (each
 * runs in its own transaction, so even a cut one writes nothing) and start no more. Installed by
 * instrumentation.ts before the workers start, so a SIGTERM that comes first means they never do.
 * (Here rather than in instrumentation.ts, which Next also compiles for the edge, where `process.once`
 * does not exist: the build warned about it.)
 */
export function drainOnSigterm(): void {
  process.once("SIGTERM", () => {
    globalForRunner.__c360Draining = true;
    void stopBackgroundWorkers().catch(() => {});
  });
}

/** Lets the current batches finish and stops (SIGTERM drain). */
export async function stopBackgroundWorkers(): Promise<void> {
  const state = globalForRunner.__c360Runner;
  if (!state) return;
  state.stopping = true;
  await Promise.allSettled(state.running);
  globalForRunner.__c360Runner = undefined;
}

async function loop(worker: Worker, state: RunnerState): Promise<void> {
  while (!state.stopping) {
    let more = false;
    try {
      more = await worker.run();
    } catch (error) {
      console.error(`[worker ${worker.name}]`, error);
    }
    if (!more && !state.stopping) await sleep(worker.idleMs, state);
  }
}

async function sleep(ms: number, state: RunnerState): Promise<void> {
  const step = Math.min(ms, 250);
  for (let waited = 0; waited < ms && !state.stopping; waited += step) await new Promise((r) => setTimeout(r, step));
}
