import type { Database } from "@/db/client";
import { seedDefaultLayouts } from "@/lib/layouts/defaults";
import { rebuildAllRollups } from "@/lib/rollups/rebuild";
import { seedDemo, type DemoSummary } from "./demo";
import { scoreDemoCurrentWeek } from "./demo-health-pass";

export type SeedAllOptions = {
  now?: Date;
  putAsset?: (key: string, bytes: Uint8Array, contentType: string) => Promise<void>;
};

/**
 * The demo data set plus what the app derives from it: default layouts, the current week's health
 * scored by the engine (so the first re-score changes nothing), and rollups (health mix included).
 */
export async function seedAll(db: Database, options: SeedAllOptions = {}): Promise<DemoSummary> {
  const summary = await seedDemo(db, options);
  await seedDefaultLayouts(db);
  await scoreDemoCurrentWeek(db, options.now ?? new Date());
  await rebuildAllRollups(db);
  return summary;
}
