import "server-only";
import { myOpenTasks } from "@/lib/dal/portfolio";
import type { Ctx } from "@/lib/dal/viewer";
import { arrByChild, biggestMovers, homeAccountIds, homeAccounts, stageMoves, upcomingRenewals } from "./leader";

/**
 * Everything the leader's home shows, read in parallel once the accounts are known: the rollups,
 * the movers (health and lifecycle stage), and the leader's own open tasks, which a leader with
 * work assigned needs here as much as anyone.
 */
export async function leaderHome(ctx: Ctx) {
  const [{ ids, led }, tasks] = await Promise.all([homeAccountIds(ctx), myOpenTasks(ctx)]);
  const [accounts, children, renewals, movers, stages] = await Promise.all([
    homeAccounts(ctx, ids),
    arrByChild(ctx, ids),
    upcomingRenewals(ctx, ids),
    biggestMovers(ctx, ids),
    stageMoves(ctx, ids),
  ]);
  return { led, accounts, children, renewals, movers, stages, tasks };
}
export type LeaderHomeData = Awaited<ReturnType<typeof leaderHome>>;
