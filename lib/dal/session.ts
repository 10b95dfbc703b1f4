import "server-only";
import { cache } from "react";
import { redirect } from "next/navigation";
import { getDb } from "@/db";
import { auth } from "@/lib/auth";
import { loadViewer, type Ctx } from "./viewer";

/** The signed-in viewer for this request, loaded once per request; null when signed out. */
export const getContext = cache(async (): Promise<Ctx | null> => {
  const session = await auth();
  const userId = session?.user?.id;
  if (!userId) return null;
  const db = await getDb();
  const viewer = await loadViewer(db, userId);
  return viewer ? { db, viewer } : null;
});

/** For pages: the context, or a trip to the sign-in page. */
export async function requireContext(): Promise<Ctx> {
  const ctx = await getContext();
  if (!ctx) redirect("/login");
  return ctx;
}
