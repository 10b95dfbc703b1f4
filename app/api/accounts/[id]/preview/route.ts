import { accountPreview } from "@/lib/dal/preview";
import { getContext } from "@/lib/dal/session";

export const dynamic = "force-dynamic";

export async function GET(_request: Request, { params }: { params: Promise<{ id: string }> }) {
  const ctx = await getContext();
  if (!ctx) return Response.json({ error: "Sign-in required" }, { status: 401 });
  const preview = await accountPreview(ctx, (await params).id);
  if (!preview) return Response.json({ error: "Account not found" }, { status: 404 });
  return Response.json(preview, { headers: { "Cache-Control": "private, max-age=30" } });
}
