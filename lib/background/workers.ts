import "server-only";

/**
 * Background work that every instance runs (webhook deliveries, mail, health recomputes...).
 * Servers keep no state: each run claims its rows in Postgres (`for update skip locked`), so any
 * number of instances can run the same worker and a crash loses nothing. A worker is a function
 * that does one bounded batch and says whether more is waiting.
 */
export type Worker = {
  name: string;
  /** Pause between runs when the last run found nothing (ms). */
  idleMs: number;
  /** One bounded batch; resolves to true when more work is already waiting. */
  run: () => Promise<boolean>;
};

/** Listed explicitly; each concept adds its worker here. */
export async function loadWorkers(): Promise<Worker[]> {
  const { getDb } = await import("@/db");
  const { runSuccessUnits } = await import("@/lib/success-units/worker");
  const { healthWorkers } = await import("@/lib/health/workers");
  return [
    // Notifications by mail (issue 18): delivery with retries, and the daily digests.
    ...(await import("@/lib/mail/worker")).mailWorkers(),
    // Webhooks (issue 17).
    (await import("@/lib/webhooks/worker")).webhookWorker,
    // Success units (issue 16): colours follow usage and thresholds within seconds.
    { name: "success-units", idleMs: 2_000, run: async () => runSuccessUnits(await getDb()) },
    // Health (issue 16): the queue of accounts to re-score, and scheme recomputes of past weeks.
    ...(await healthWorkers()),
    // Uploads (issue 19): objects no asset owns after a failed, killed or abandoned upload.
    await uploadCleanupWorker(),
    // Usage drops (issue 18): once a day per account, a fall in usage tells the account's followers.
    await (await import("@/lib/notifications/usage-drops")).usageDropWorker(),
  ];
}

async function uploadCleanupWorker(): Promise<Worker> {
  const [{ getDb }, { defaultStorage }, { cleanUpAbandonedUploads }] = await Promise.all([
    import("@/db"),
    import("@/lib/storage"),
    import("@/lib/assets/upload-intents"),
  ]);
  return {
    name: "upload-cleanup",
    idleMs: 2_000,
    run: async () => (await cleanUpAbandonedUploads({ db: await getDb(), storage: defaultStorage() })).more,
  };
}
