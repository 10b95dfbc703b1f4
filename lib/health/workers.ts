import "server-only";
import type { Worker } from "@/lib/background/workers";

/** The health engine's background work (listed in lib/background/workers.ts). */
export async function healthWorkers(): Promise<Worker[]> {
  const [{ getDb }, { drainHealthDirty, runHealthRecompute }] = await Promise.all([import("@/db"), import("./worker")]);
  return [
    { name: "health-dirty", idleMs: 1000, run: async () => drainHealthDirty(await getDb()) },
    { name: "health-recompute", idleMs: 2000, run: async () => runHealthRecompute(await getDb()) },
  ];
}
