import "server-only";
import { cache } from "react";
import { cookies, headers } from "next/headers";
import { redirect } from "next/navigation";
import { getDb, getReadDb } from "@/db";
import { auth } from "@/lib/auth";
import { readsFromPrimary, WROTE_COOKIE } from "@/lib/read-your-writes";
import { loadViewer, type Ctx } from "./viewer";

/** The signed-in viewer for this request, loaded once per request; null when signed out. */
export const getContext = cache(async (): Promise<Ctx | null> => {
  const session = await auth();
  const userId = session?.user?.id;
  if (!userId) return null;
  const db = await getDb();
  const viewer = await loadViewer(db, userId);
  if (!viewer) return null;
  // The viewer's own recent write must show in lists too: those reads stay on the primary for a few seconds.
  const fresh = readsFromPrimary({ wroteCookie: (await cookies()).get(WROTE_COOKIE)?.value, serverAction: (await headers()).has("next-action") });
  return { db, viewer, readDb: fresh ? db : await getReadDb() };
});

/** For pages: the context, or a trip to the sign-in page. */
export async function requireContext(): Promise<Ctx> {
  const ctx = await getContext();
  if (!ctx) redirect("/login");
  return ctx;
}
