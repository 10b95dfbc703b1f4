import { databaseIsDown, unavailableResponse } from "@/db/availability";
import { uploadFromRequest } from "@/lib/assets/multipart";
import { may } from "@/lib/auth/permissions";
import { findAccount } from "@/lib/dal/accounts";
import { assetHref, assetsOf } from "@/lib/dal/assets";
import { getContext } from "@/lib/dal/session";
import { env } from "@/lib/env";
import { wroteCookie } from "@/lib/read-your-writes";

export const dynamic = "force-dynamic";
// Node streams and the file system / S3 SDK: never the edge runtime.
export const runtime = "nodejs";

type Params = { params: Promise<{ id: string }> };

/** Upload one file to the account (multipart/form-data: optional `name`, then `file`). */
export async function POST(request: Request, { params }: Params) {
  // Uploads bypass the proxy (proxy.ts), so they answer "database down" themselves.
  if (databaseIsDown()) return unavailableResponse("/api/accounts");
  const ctx = await getContext();
  if (!ctx) return Response.json({ error: "Sign-in required" }, { status: 401 });
  const account = await findAccount(ctx, (await params).id);
  if (!account) return Response.json({ error: "Account not found" }, { status: 404 });
  if (!may(ctx.viewer, "asset.add")) return Response.json({ error: "Your role can view files but not upload them" }, { status: 403 });
  const result = await uploadFromRequest(request, ctx, account);
  if (!result.ok) return Response.json({ error: result.error, code: result.code }, { status: result.status });
  const { id, name, contentType, sizeBytes, createdAt } = result.asset;
  return Response.json(
    { asset: { id, name, contentType, sizeBytes, createdAt, href: assetHref({ id, kind: "file", url: null }) } },
    {
      status: 201,
      // The proxy sets this on other writes; uploads bypass it (lib/read-your-writes.ts).
      headers: { Location: `/api/assets/${id}/download`, ...(env().DATABASE_READ_URL ? { "Set-Cookie": wroteCookie(env().https === true) } : {}) },
    },
  );
}

/** The account's assets (files and links), newest first. */
export async function GET(request: Request, { params }: Params) {
  const ctx = await getContext();
  if (!ctx) return Response.json({ error: "Sign-in required" }, { status: 401 });
  const account = await findAccount(ctx, (await params).id);
  if (!account) return Response.json({ error: "Account not found" }, { status: 404 });
  const q = new URL(request.url).searchParams.get("q")?.slice(0, 200) || undefined;
  const { assets, total } = await assetsOf(ctx, account, { q, limit: 500 });
  return Response.json(
    { total, assets: assets.map((a) => ({ ...a, href: assetHref(a) })) },
    { headers: { "Cache-Control": "private, no-store" } },
  );
}
