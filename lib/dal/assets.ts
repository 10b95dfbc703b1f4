import "server-only";
import { and, desc, eq, ilike, isNull, or, sql } from "drizzle-orm";
import { accounts, assets, users } from "@/db/schema";
import { httpUrl } from "@/lib/urls";
import type { AccountSummary } from "./accounts";
import { isUuid, laggingDb, visibleAccount, type Ctx } from "./viewer";

export type AssetRow = {
  id: string;
  kind: "file" | "link";
  name: string;
  url: string | null;
  contentType: string | null;
  sizeBytes: number | null;
  uploadedBy: string | null;
  createdAt: Date;
};

const assetColumns = {
  id: assets.id,
  kind: assets.kind,
  name: assets.name,
  url: assets.url,
  contentType: assets.contentType,
  sizeBytes: assets.sizeBytes,
  uploadedBy: users.name,
  createdAt: assets.createdAt,
};

function escapeLike(q: string): string {
  return q.replace(/[\\%_]/g, (c) => `\\${c}`);
}

/**
 * The account's assets (files and links, deleted ones left out), newest first, optionally narrowed
 * by a search on name or link.
 */
export async function assetsOf(
  ctx: Ctx,
  account: AccountSummary,
  options: { q?: string; limit?: number } = {},
): Promise<{ assets: AssetRow[]; total: number }> {
  const pattern = options.q ? `%${escapeLike(options.q)}%` : undefined;
  const where = and(
    eq(assets.accountId, account.id),
    isNull(assets.deletedAt),
    pattern ? or(ilike(assets.name, pattern), ilike(assets.url, pattern)) : undefined,
  );
  const [rows, [{ total }]] = await Promise.all([
    laggingDb(ctx)
      .select(assetColumns)
      .from(assets)
      .leftJoin(users, eq(users.id, assets.uploadedBy))
      .where(where)
      .orderBy(desc(assets.createdAt), desc(assets.id))
      .limit(options.limit ?? 500),
    laggingDb(ctx).select({ total: sql<number>`count(*)::int` }).from(assets).where(where),
  ]);
  return { assets: rows.map((r) => ({ ...r, sizeBytes: r.sizeBytes === null ? null : Number(r.sizeBytes) })), total: Number(total) };
}

/** Where an asset opens: files through the download route, links only when they are http(s). */
export function assetHref(asset: Pick<AssetRow, "id" | "kind" | "url">): string | null {
  if (asset.kind === "file") return `/api/assets/${asset.id}/download`;
  return httpUrl(asset.url);
}

export type StoredAsset = {
  id: string;
  accountId: string;
  kind: "file" | "link";
  name: string;
  storageKey: string | null;
  contentType: string | null;
  sizeBytes: number | null;
  uploadedBy: string | null;
};

/**
 * One asset that is not deleted, on an account that is not archived and that the viewer may see;
 * otherwise null (missing, deleted and forbidden are the same answer). Checked on every download.
 */
export async function findAsset(ctx: Ctx, id: unknown): Promise<StoredAsset | null> {
  if (!isUuid(id)) return null;
  const [row] = await ctx.db
    .select({
      id: assets.id,
      accountId: assets.accountId,
      kind: assets.kind,
      name: assets.name,
      storageKey: assets.storageKey,
      contentType: assets.contentType,
      sizeBytes: assets.sizeBytes,
      uploadedBy: assets.uploadedBy,
    })
    .from(assets)
    .innerJoin(accounts, eq(accounts.id, assets.accountId))
    .where(and(eq(assets.id, id), isNull(assets.deletedAt), isNull(accounts.archivedAt), visibleAccount(ctx.viewer, accounts.id, accounts.typeId)))
    .limit(1);
  return row ? { ...row, sizeBytes: row.sizeBytes === null ? null : Number(row.sizeBytes) } : null;
}
