import { deleteAsset } from "@/lib/assets/manage";
import { getContext } from "@/lib/dal/session";

export const dynamic = "force-dynamic";
export const runtime = "nodejs";

/** Removes a file or link: the row is soft-deleted, the stored object removed, the timeline told. */
export async function DELETE(_request: Request, { params }: { params: Promise<{ id: string }> }) {
  const ctx = await getContext();
  if (!ctx) return Response.json({ error: "Sign-in required" }, { status: 401 });
  const result = await deleteAsset(ctx, (await params).id);
  if (!result.ok) return Response.json({ error: result.error }, { status: result.status });
  return Response.json({ deleted: { id: result.id, name: result.name } });
}
