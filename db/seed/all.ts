import type { Database } from "@/db/client";
import { seedDefaultLayouts } from "@/lib/layouts/defaults";
import { rebuildAllRollups } from "@/lib/rollups/rebuild";
import { seedDemo, type DemoSummary } from "./demo";

export type SeedAllOptions = {
  now?: Date;
  putAsset?: (key: string, bytes: Uint8Array, contentType: string) => Promise<void>;
};

/** The demo data set plus what the app derives from it: default layouts and rollups. */
export async function seedAll(db: Database, options: SeedAllOptions = {}): Promise<DemoSummary> {
  const summary = await seedDemo(db, options);
  await seedDefaultLayouts(db);
  await rebuildAllRollups(db);
  return summary;
}
