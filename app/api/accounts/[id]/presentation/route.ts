import { contentDisposition } from "@/lib/assets/names";
import { findAccount } from "@/lib/dal/accounts";
import { getContext } from "@/lib/dal/session";
import { buildPresentation, deckFileName } from "@/lib/presentation/deck";

export const dynamic = "force-dynamic";
export const runtime = "nodejs";

const PPTX = "application/vnd.openxmlformats-officedocument.presentationml.presentation";

/** The profile as a PowerPoint deck, built for (and only with what is visible to) the viewer. */
export async function GET(_request: Request, { params }: { params: Promise<{ id: string }> }) {
  const ctx = await getContext();
  if (!ctx) return Response.json({ error: "Sign-in required" }, { status: 401 });
  const account = await findAccount(ctx, (await params).id);
  if (!account) return Response.json({ error: "Account not found" }, { status: 404 });
  const now = new Date();
  const deck = await buildPresentation(ctx, account, now);
  return new Response(new Uint8Array(deck), {
    headers: {
      "Content-Type": PPTX,
      "Content-Disposition": contentDisposition(deckFileName(account, now)),
      "Content-Length": String(deck.length),
      "Cache-Control": "private, no-store",
      "X-Content-Type-Options": "nosniff",
    },
  });
}
