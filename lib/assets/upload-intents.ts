import "server-only";
import { and, eq, isNull, sql } from "drizzle-orm";
import { uploadIntents } from "@/db/schema";
import type { Executor } from "@/db/client";
import type { ObjectStorage } from "@/lib/storage";

/**
 * No object in storage without an asset row, even when storage or the process fails mid-upload.
 *
 * Storage and Postgres cannot share a transaction, so an upload first records an intent (the
 * object's key) in its own committed statement, then writes the object, then inserts the asset row
 * and deletes the intent in one transaction. Whatever intent is left names an object nobody owns:
 * the upload failed and storage could not remove the object just then (S3 died after storing it
 * but before answering), the process was killed mid-upload, or a renewal stopped. The
 * "upload-cleanup" worker deletes each such object, tolerating one that never arrived, retrying
 * with backoff while storage is down, and removes the intent once the object is gone.
 *
 * An intent is due for cleanup UPLOAD_INTENT_GRACE_MS after it was last renewed (the upload renews
 * it every UPLOAD_INTENT_RENEW_MS while bytes flow), or at once when the upload already knows it
 * failed. The cleanup's claim sets `abandoned_at`; the asset insert only deletes an intent that is
 * not abandoned, so an upload the cleanup gave up on can never become an asset whose object is
 * being deleted (Postgres orders the two statements on the intent's row).
 */

export const UPLOAD_INTENT_GRACE_MS = 5 * 60_000;
export const UPLOAD_INTENT_RENEW_MS = 60_000;
/** How long a claimed intent stays with one cleanup run before another instance may take it (a run that died). */
const CLAIM_LEASE_MS = 60_000;
const MAX_RETRY_DELAY_MS = 5 * 60_000;
const CLEANUP_BATCH = 20;

const seconds = (ms: number) => sql`${`${ms / 1000} seconds`}::interval`;

/** After `attempts` failed deletions: 1 s, 2 s, 4 s… up to 5 minutes. */
export function cleanupRetryDelayMs(attempts: number): number {
  return Math.min(1000 * 2 ** Math.max(0, attempts - 1), MAX_RETRY_DELAY_MS);
}

/** Before the first byte goes to storage: its own statement, committed (never inside the asset's transaction). */
export async function recordUploadIntent(db: Executor, storageKey: string): Promise<void> {
  await db.insert(uploadIntents).values({ storageKey, dueAt: sql`now() + ${seconds(UPLOAD_INTENT_GRACE_MS)}` });
}

/** Keeps the intent out of the cleanup's reach while the upload runs; call the result to stop. */
export function keepUploadIntent(db: Executor, storageKey: string): () => void {
  const timer = setInterval(() => {
    db.update(uploadIntents)
      .set({ dueAt: sql`now() + ${seconds(UPLOAD_INTENT_GRACE_MS)}` })
      .where(and(eq(uploadIntents.storageKey, storageKey), isNull(uploadIntents.abandonedAt)))
      .catch((error: unknown) => console.error(`[assets] could not renew the upload intent of ${storageKey}`, error));
  }, UPLOAD_INTENT_RENEW_MS);
  timer.unref();
  return () => clearInterval(timer);
}

/** In the asset row's transaction: true when the intent was still the upload's (and is now gone). */
export async function completeUploadIntent(tx: Executor, storageKey: string): Promise<boolean> {
  const rows = await tx
    .delete(uploadIntents)
    .where(and(eq(uploadIntents.storageKey, storageKey), isNull(uploadIntents.abandonedAt)))
    .returning({ storageKey: uploadIntents.storageKey });
  return rows.length === 1;
}

/**
 * The upload failed after its intent was recorded. First the intent is marked abandoned: if it is
 * already gone, the asset's transaction committed after all (only its answer was lost) or the
 * cleanup finished, and the object must stay as it is. Then the object is removed now if storage
 * answers (and the intent with it), else the intent is made due so the cleanup retries at once.
 * Never throws: whatever fails here, the intent stays and the cleanup finishes the job.
 */
export async function abandonUpload(db: Executor, storage: ObjectStorage, storageKey: string): Promise<void> {
  let ours: boolean;
  try {
    const rows = await db
      .update(uploadIntents)
      .set({ abandonedAt: sql`coalesce(${uploadIntents.abandonedAt}, now())` })
      .where(eq(uploadIntents.storageKey, storageKey))
      .returning({ storageKey: uploadIntents.storageKey });
    ours = rows.length === 1;
  } catch (error) {
    console.error(`[assets] the database did not answer about ${storageKey}; the upload cleanup will remove it`, describe(error));
    return;
  }
  if (!ours) return;
  try {
    await storage.delete(storageKey);
  } catch (error) {
    console.error(`[assets] could not remove ${storageKey} now; the upload cleanup will`, describe(error));
    await db
      .update(uploadIntents)
      .set({ dueAt: sql`now()`, lastError: describe(error) })
      .where(eq(uploadIntents.storageKey, storageKey))
      .catch((dbError: unknown) => console.error(`[assets] could not mark the upload intent of ${storageKey} due`, describe(dbError)));
    return;
  }
  await db
    .delete(uploadIntents)
    .where(eq(uploadIntents.storageKey, storageKey))
    .catch((error: unknown) => console.error(`[assets] removed ${storageKey} but not its upload intent; the cleanup will`, describe(error)));
}

export type UploadCleanupRun = { removed: number; failed: number; more: boolean };

/**
 * One bounded batch of the "upload-cleanup" worker: claims due intents (`for update skip locked`,
 * so several instances share the work), deletes each object, then its intent. When storage fails,
 * the rest of the batch is put back with the same backoff instead of hammering a store that is
 * down. `asOf` stands in for the clock when choosing due intents (tests; an operator's "retry now").
 */
export async function cleanUpAbandonedUploads(options: { db: Executor; storage: ObjectStorage; batchSize?: number; asOf?: Date }): Promise<UploadCleanupRun> {
  const { db, storage } = options;
  const batchSize = options.batchSize ?? CLEANUP_BATCH;
  const asOf = options.asOf ? sql`${options.asOf.toISOString()}::timestamptz` : sql`now()`;
  const claimed = await db.execute<{ storage_key: string; attempts: number }>(sql`
    update upload_intents
       set abandoned_at = coalesce(abandoned_at, now()), due_at = now() + ${seconds(CLAIM_LEASE_MS)}, attempts = attempts + 1
     where storage_key in (
       select storage_key from upload_intents where due_at <= ${asOf}
        order by due_at limit ${batchSize} for update skip locked)
    returning storage_key, attempts`);
  let removed = 0;
  let failed = 0;
  let storageError: unknown = null;
  for (const { storage_key: storageKey, attempts } of claimed.rows) {
    if (!storageError) {
      const gone = await storage.delete(storageKey).then(
        () => true,
        (error: unknown) => {
          storageError = error;
          console.error(`[upload-cleanup] could not remove ${storageKey} (attempt ${attempts}); retrying later:`, describe(error));
          return false;
        },
      );
      if (gone) {
        await db.delete(uploadIntents).where(eq(uploadIntents.storageKey, storageKey));
        removed++;
        continue;
      }
    }
    failed++;
    await db
      .update(uploadIntents)
      .set({ dueAt: sql`now() + ${seconds(cleanupRetryDelayMs(Number(attempts)))}`, lastError: describe(storageError) })
      .where(eq(uploadIntents.storageKey, storageKey));
  }
  return { removed, failed, more: claimed.rows.length === batchSize && !storageError };
}

function describe(error: unknown): string {
  const e = error as { name?: string; code?: string; message?: string } | null;
  return [e?.name, e?.code, e?.message].filter(Boolean).join(": ").slice(0, 500) || String(error);
}
