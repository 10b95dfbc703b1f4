import { Readable } from "node:stream";
import { openDownload } from "@/lib/assets/manage";
import { contentDisposition } from "@/lib/assets/names";
import { getContext } from "@/lib/dal/session";

export const dynamic = "force-dynamic";
export const runtime = "nodejs";

/** Streams a file through the app; who may see it is checked on every request. */
export async function GET(_request: Request, { params }: { params: Promise<{ id: string }> }) {
  const ctx = await getContext();
  if (!ctx) return Response.json({ error: "Sign-in required" }, { status: 401 });
  const result = await openDownload(ctx, (await params).id);
  if (!result.ok) return Response.json({ error: result.error }, { status: result.status });
  const { asset, object } = result;
  const headers = new Headers({
    "Content-Type": asset.contentType || "application/octet-stream",
    "Content-Disposition": contentDisposition(asset.name),
    "X-Content-Type-Options": "nosniff",
    "Cache-Control": "private, no-store",
    "Content-Security-Policy": "default-src 'none'; sandbox",
  });
  if (object.size !== undefined) headers.set("Content-Length", String(object.size));
  return new Response(Readable.toWeb(object.stream) as ReadableStream<Uint8Array>, { headers });
}
