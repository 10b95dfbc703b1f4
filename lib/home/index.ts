import "server-only";
import type { Ctx } from "@/lib/dal/viewer";
import { arrByChild, biggestMovers, homeAccountIds, homeAccounts, upcomingRenewals } from "./leader";

/** Everything the leader's home shows, read in parallel once the accounts are known. */
export async function leaderHome(ctx: Ctx) {
  const { ids, led } = await homeAccountIds(ctx);
  const [accounts, children, renewals, movers] = await Promise.all([homeAccounts(ctx, ids), arrByChild(ctx, ids), upcomingRenewals(ctx, ids), biggestMovers(ctx, ids)]);
  return { led, accounts, children, renewals, movers };
}
export type LeaderHomeData = Awaited<ReturnType<typeof leaderHome>>;
