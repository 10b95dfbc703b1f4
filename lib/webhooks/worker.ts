import "server-only";
import { getDb } from "@/db";
import type { Worker } from "@/lib/background/workers";
import { runWebhookSender } from "./sender";

/** The webhook sender as a background worker (listed in lib/background/workers.ts). */
export const webhookWorker: Worker = {
  name: "webhooks",
  idleMs: 1000,
  run: async () => runWebhookSender(await getDb()),
};
