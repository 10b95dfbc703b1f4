import "server-only";
import type { Ctx } from "@/lib/dal/viewer";
import { findSavedView, type SavedView } from "./saved";
import { parseListRef, parseViewState, type ViewState } from "./state";

/**
 * The list a profile was opened from (`?list=view:<id>` or `?list=<query>`), as a state to query
 * with, or null when there is none or the view may not be opened by this viewer.
 */
export async function resolveList(ctx: Ctx, list: string | undefined): Promise<{ state: ViewState; view: SavedView | null; param: string } | null> {
  const ref = parseListRef(list);
  if (!ref) return null;
  if (ref.kind === "query") return { state: parseViewState(new URLSearchParams(ref.query)), view: null, param: ref.query || "all" };
  const view = await findSavedView(ctx, ref.id);
  return view ? { state: parseViewState(new URLSearchParams(view.query)), view, param: `view:${view.id}` } : null;
}
