import { getContext } from "@/lib/dal/session";
import { paletteSearch } from "@/lib/views/search";

export const dynamic = "force-dynamic";

/** The command palette's search (components/command-palette): accounts and contacts the viewer may see. */
export async function GET(request: Request) {
  const ctx = await getContext();
  if (!ctx) return Response.json({ error: "Sign-in required" }, { status: 401 });
  const q = new URL(request.url).searchParams.get("q") ?? "";
  return Response.json(await paletteSearch(ctx, q), { headers: { "Cache-Control": "private, no-store" } });
}
