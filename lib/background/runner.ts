import "server-only";
import { loadWorkers, type Worker } from "./workers";

type RunnerState = { stopping: boolean; running: Promise<void>[] };
const globalForRunner = globalThis as typeof globalThis & { __c360Runner?: RunnerState };

/**
 * Starts every worker in this process (once). Off with BACKGROUND_WORKERS=off, for example on
 * instances that should only serve pages. A failing run is logged and retried after its idle pause.
 */
export async function startBackgroundWorkers(): Promise<void> {
  if (globalForRunner.__c360Runner) return;
  const state: RunnerState = { stopping: false, running: [] };
  globalForRunner.__c360Runner = state;
  for (const worker of await loadWorkers()) state.running.push(loop(worker, state));
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
