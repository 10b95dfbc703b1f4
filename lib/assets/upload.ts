import "server-only";
import { randomUUID } from "node:crypto";
import type { Readable } from "node:stream";
import { eq, sql } from "drizzle-orm";
import { accountTypes, assets, timelineEntries, TIMELINE_LIMIT } from "@/db/schema";
import type { Executor } from "@/db/client";
import { may } from "@/lib/auth/permissions";
import type { AccountSummary } from "@/lib/dal/accounts";
import type { Ctx } from "@/lib/dal/viewer";
import { emitEvent } from "@/lib/events/emit";
import { formatMegabytes } from "@/lib/format";
import { defaultStorage, type ObjectStorage } from "@/lib/storage";
import { refusalForName, UploadRefused } from "./inspect";
import { UploadInspector } from "./inspector";
import { chooseContentType, cleanFileName, displayName, keySafeName } from "./names";
import { noteDatabaseError } from "@/db/availability";
import { abandonUpload, completeUploadIntent, keepUploadIntent, recordUploadIntent } from "./upload-intents";

export type UploadedAsset = {
  id: string;
  accountId: string;
  name: string;
  contentType: string;
  sizeBytes: number;
  storageKey: string;
  createdAt: Date;
};

export type UploadFailureCode = UploadRefused["code"] | "forbidden" | "storage_unavailable" | "database_unavailable" | "failed";
export type UploadResult =
  | { ok: true; asset: UploadedAsset }
  | { ok: false; status: number; code: UploadFailureCode; error: string };

export type StoreUploadInput = {
  ctx: Ctx;
  /** Already checked visible to `ctx.viewer` (findAccount). */
  account: AccountSummary;
  /** The file's name as the client sent it. */
  filename: string;
  /** The file's bytes; read once, never buffered whole. */
  stream: Readable;
  /** The type the client declared (only a hint: the bytes decide). */
  declaredType?: string | null;
  /** A display name typed by the user. */
  name?: string | null;
  /** Content-Length of the request when known: refuses an obviously too large upload before reading it. */
  declaredSize?: number | null;
  /** Defaults to the storage the environment configures. */
  storage?: ObjectStorage;
  /** Aborted when the client goes away. */
  signal?: AbortSignal;
};

export const STORAGE_UNAVAILABLE = "file storage is unavailable: nothing was saved, try again later";
/** Room for the multipart framing and the name field around the file in a request. */
const MULTIPART_SLACK = 1024 * 1024;

/** The account type's limit (100 MB, 50 MB on opportunities unless an admin changed it), in bytes. */
export async function assetLimitBytes(db: Executor, account: AccountSummary): Promise<number> {
  const [row] = await db.select({ mb: accountTypes.assetLimitMb }).from(accountTypes).where(eq(accountTypes.id, account.typeId)).limit(1);
  const mb = row?.mb ?? (account.isOpportunity ? 50 : 100);
  return mb * 1024 * 1024;
}

function failure(status: number, code: UploadFailureCode, error: string): UploadResult {
  return { ok: false, status, code, error };
}

/**
 * Stores one uploaded file for an account: checks the name, holds back the head of the stream to
 * sniff its type, records an upload intent, then streams the rest to storage while counting and
 * scanning it. Only when the whole file is stored and accepted does it write the asset row and its
 * timeline entry, deleting the intent (one transaction). On any failure (limit, refused type,
 * interrupted upload, storage error, database error) no row is written and the object is removed,
 * at once or, when storage cannot do it then, by the upload cleanup (lib/assets/upload-intents.ts).
 */
export async function storeUpload(input: StoreUploadInput): Promise<UploadResult> {
  const { ctx, account, stream: source } = input;
  const drain = () => {
    // The rest of the client's body is read and dropped, so the response can still reach it.
    if (!source.destroyed) source.resume();
  };
  if (!may(ctx.viewer, "asset.add")) {
    drain();
    return failure(403, "forbidden", "Your role can view files but not upload them");
  }
  const fileName = cleanFileName(input.filename);
  const name = displayName(input.name, fileName);
  const refusedName = refusalForName(fileName) ?? refusalForName(name);
  if (refusedName) {
    drain();
    return failure(refusedName.status, refusedName.code, refusedName.message);
  }
  const limitBytes = await assetLimitBytes(ctx.db, account);
  if (input.declaredSize && input.declaredSize > limitBytes + MULTIPART_SLACK) {
    drain();
    return failure(413, "too_large", `“${name}” is larger than the limit of ${formatMegabytes(limitBytes)} for this account`);
  }

  const storage = input.storage ?? defaultStorage();
  const assetId = randomUUID();
  const storageKey = `accounts/${account.id}/${assetId}/${keySafeName(fileName)}`;
  const inspector = new UploadInspector(name, limitBytes);
  // Its failures are read from `head`, `refusal` and the storage's rejection, never as an event.
  inspector.on("error", () => {});
  const interrupted = () => new UploadRefused(400, "interrupted", "The upload was interrupted before the whole file arrived; nothing was saved");
  const onSourceError = () => inspector.fail(interrupted());
  const onAbort = () => inspector.fail(interrupted());
  source.on("error", onSourceError);
  input.signal?.addEventListener("abort", onAbort, { once: true });
  if (input.signal?.aborted) onAbort();
  source.pipe(inspector);

  let intentRecorded = false;
  let stopRenewing = () => {};
  try {
    const verdict = await inspector.head;
    const contentType = chooseContentType(fileName, verdict.mime, input.declaredType);
    // Committed before the first byte goes to storage: whatever happens next, the object is found again.
    await recordUploadIntent(ctx.db, storageKey);
    intentRecorded = true;
    stopRenewing = keepUploadIntent(ctx.db, storageKey);
    try {
      await storage.put(storageKey, inspector, { contentType });
    } catch (error) {
      if (inspector.refusal) throw inspector.refusal;
      if (error instanceof UploadRefused) throw error;
      throw new StorageFailure(error);
    } finally {
      stopRenewing();
    }
    if (inspector.refusal) throw inspector.refusal;
    const sizeBytes = inspector.bytes;
    const asset = await ctx.db.transaction(async (tx) => {
      // Gone only if the cleanup already gave this upload up (it stalled past the grace period).
      if (!(await completeUploadIntent(tx, storageKey))) throw new StorageFailure(new Error("the upload intent was abandoned by the cleanup"));
      const createdAt = new Date();
      const [row] = await tx
        .insert(assets)
        .values({ id: assetId, accountId: account.id, kind: "file", name, storageKey, contentType, sizeBytes, uploadedBy: ctx.viewer.userId, createdAt })
        .returning({ id: assets.id, createdAt: assets.createdAt });
      await recordAssetEntry(tx, account.id, ctx.viewer.userId, assetId, `Asset added: ${name}`, { name, kind: "file", contentType, sizeBytes }, createdAt);
      await emitEvent(tx, { type: "asset.added", accountId: account.id, actorId: ctx.viewer.userId, data: { assetId, name } });
      return { id: row.id, accountId: account.id, name, contentType, sizeBytes, storageKey, createdAt: row.createdAt };
    });
    return { ok: true, asset };
  } catch (error) {
    stopRenewing();
    source.unpipe(inspector);
    if (!inspector.destroyed) inspector.destroy();
    drain();
    if (intentRecorded) await abandonUpload(ctx.db, storage, storageKey);
    if (error instanceof UploadRefused) return failure(error.status, error.code, error.message);
    if (error instanceof StorageFailure) {
      console.error(`[assets] storage failed for ${storageKey}`, error.cause);
      return failure(503, "storage_unavailable", STORAGE_UNAVAILABLE);
    }
    if (noteDatabaseError(error)) return failure(503, "database_unavailable", "The database is not answering (restarting?); the file was not saved. Try again in a few seconds.");
    console.error(`[assets] upload of ${storageKey} failed`, error);
    return failure(500, "failed", "Something went wrong; nothing was saved. Try again.");
  } finally {
    source.off("error", onSourceError);
    input.signal?.removeEventListener("abort", onAbort);
  }
}

class StorageFailure extends Error {
  constructor(readonly cause: unknown) {
    super("storage failed");
  }
}

/**
 * The asset's timeline entry, in the caller's transaction; the account's timeline keeps its newest
 * TIMELINE_LIMIT entries (older ones are pruned on write).
 */
export async function recordAssetEntry(
  db: Executor,
  accountId: string,
  actorId: string,
  assetId: string,
  title: string,
  snapshot: Record<string, unknown>,
  occurredAt: Date,
): Promise<void> {
  await db.insert(timelineEntries).values({ accountId, kind: "asset", refId: assetId, actorId, title, snapshot, occurredAt });
  await db.execute(sql`
    delete from timeline_entries where id in (
      select id from timeline_entries where account_id = ${accountId}::uuid
      order by occurred_at desc, id desc offset ${TIMELINE_LIMIT})`);
}
