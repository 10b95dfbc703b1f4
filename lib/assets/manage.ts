import "server-only";
import { and, eq, isNull } from "drizzle-orm";
import { assets } from "@/db/schema";
import { may } from "@/lib/auth/permissions";
import { findAsset, type StoredAsset } from "@/lib/dal/assets";
import type { Ctx, Viewer } from "@/lib/dal/viewer";
import { defaultStorage, type ObjectStorage, type StoredObject } from "@/lib/storage";
import { recordAssetEntry } from "./upload";

export type DownloadResult =
  | { ok: true; asset: StoredAsset; object: StoredObject }
  | { ok: false; status: 404 | 503; error: string };

/** The file's bytes, after checking (again, on every call) that the viewer may see its account. */
export async function openDownload(ctx: Ctx, assetId: unknown, storage: ObjectStorage = defaultStorage()): Promise<DownloadResult> {
  const asset = await findAsset(ctx, assetId);
  if (!asset || asset.kind !== "file" || !asset.storageKey) return { ok: false, status: 404, error: "Asset not found" };
  try {
    const object = await storage.get(asset.storageKey);
    if (!object) return { ok: false, status: 404, error: "Asset not found" };
    return { ok: true, asset, object };
  } catch (error) {
    console.error(`[assets] reading ${asset.storageKey} failed`, error);
    return { ok: false, status: 503, error: "file storage is unavailable: try again later" };
  }
}

/**
 * Who may remove an asset of an account they can see: roles with "asset.delete" (admins, members),
 * and whoever uploaded it.
 */
export function canDeleteAsset(viewer: Viewer, asset: Pick<StoredAsset, "uploadedBy">): boolean {
  return may(viewer, "asset.delete") || asset.uploadedBy === viewer.userId;
}

export type DeleteResult = { ok: true; id: string; name: string } | { ok: false; status: 404 | 503; error: string };

/**
 * Soft-deletes the row (deleted_at), writes a timeline entry and removes the stored object, in one
 * transaction: if the storage cannot remove the object, the row stays as it was.
 */
export async function deleteAsset(ctx: Ctx, assetId: unknown, storage: ObjectStorage = defaultStorage()): Promise<DeleteResult> {
  const asset = await findAsset(ctx, assetId);
  if (!asset || !canDeleteAsset(ctx.viewer, asset)) return { ok: false, status: 404, error: "Asset not found" };
  try {
    const removed = await ctx.db.transaction(async (tx) => {
      const now = new Date();
      const [row] = await tx
        .update(assets)
        .set({ deletedAt: now })
        .where(and(eq(assets.id, asset.id), isNull(assets.deletedAt)))
        .returning({ id: assets.id });
      if (!row) return false; // removed by someone else a moment ago
      await recordAssetEntry(
        tx,
        asset.accountId,
        ctx.viewer.userId,
        asset.id,
        `Asset removed: ${asset.name}`,
        { name: asset.name, kind: asset.kind, contentType: asset.contentType, sizeBytes: asset.sizeBytes, removed: true },
        now,
      );
      if (asset.storageKey) {
        try {
          await storage.delete(asset.storageKey);
        } catch (error) {
          throw new StorageDeleteFailed(error);
        }
      }
      return true;
    });
    if (!removed) return { ok: false, status: 404, error: "Asset not found" };
    return { ok: true, id: asset.id, name: asset.name };
  } catch (error) {
    if (error instanceof StorageDeleteFailed) {
      console.error(`[assets] removing ${asset.storageKey} failed`, error.cause);
      return { ok: false, status: 503, error: "file storage is unavailable: the file was not removed, try again later" };
    }
    throw error;
  }
}

class StorageDeleteFailed extends Error {
  constructor(readonly cause: unknown) {
    super("storage delete failed");
  }
}
