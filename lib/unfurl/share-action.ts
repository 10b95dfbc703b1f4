import "server-only";
import { z } from "zod";
import { findAccount } from "@/lib/dal/accounts";
import type { Ctx } from "@/lib/dal/viewer";
import { shareSecret } from "./secret";
import { shareExpiry, signShareToken } from "./share-token";

export type ShareLink = { path: string; expiresAt: string };

/**
 * "Copy share link" on a profile: a /share link to the account's card, valid for SHARE_LINK_DAYS,
 * for anyone who may see the account. The card it shows stays within the sharer's scope and never
 * shows privileged attributes. Writes nothing.
 */
export const createShareLink = {
  name: "createShareLink",
  schema: z.object({ accountId: z.uuid("Choose an account") }),
  async authorize(ctx: Ctx, input: { accountId: string }) {
    return (await findAccount(ctx, input.accountId)) ? (true as const) : "This account does not exist or is not visible to you.";
  },
  async run(ctx: Ctx, input: { accountId: string }, now: Date = new Date()): Promise<ShareLink> {
    const expiresAt = shareExpiry(now);
    const token = signShareToken({ accountId: input.accountId, userId: ctx.viewer.userId, expiresAt }, shareSecret());
    return { path: `/share/${token}`, expiresAt: expiresAt.toISOString() };
  },
};
