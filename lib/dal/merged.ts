import "server-only";
import { notFound, redirect } from "next/navigation";
import { findAccount } from "@/lib/dal/accounts";
import type { Ctx } from "@/lib/dal/viewer";
import { mergedInto } from "@/lib/hierarchy/merge";

type Query = Record<string, string | string[] | undefined>;

/**
 * For a profile page whose account was not found: if the id is an account merged away
 * (account_merges) and the viewer may see the account kept, redirect there (same sub-path and
 * query); otherwise the usual not-found, which says nothing about whether the id ever existed.
 */
export async function redirectIfMerged(ctx: Ctx, id: string, subPath = "", query: Query = {}): Promise<never> {
  const keptId = await mergedInto(ctx.db, id);
  if (keptId && (await findAccount(ctx, keptId))) {
    const search = new URLSearchParams();
    for (const [key, value] of Object.entries(query)) {
      for (const v of Array.isArray(value) ? value : value === undefined ? [] : [value]) search.append(key, v);
    }
    const qs = search.toString();
    redirect(`/accounts/${keptId}${subPath}${qs ? `?${qs}` : ""}`);
  }
  notFound();
}
