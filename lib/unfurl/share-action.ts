import "server-only";
import { z } from "zod";
import { actionDefinition } from "@/lib/actions/definition";
import { idField } from "@/lib/actions/fields";
import { authorizeOnAccount } from "@/lib/activity/permissions";
import { shareSecret } from "./secret";
import { shareExpiry, signShareToken } from "./share-token";

export type ShareLink = { path: string; expiresAt: string };

/**
 * "Copy share link" on a profile: a /share link to the account's card, valid for SHARE_LINK_DAYS,
 * for anyone whose role has "share.create" and who may see the account. The card it shows stays
 * within the sharer's scope and never shows privileged attributes. Writes nothing.
 */
export const createShareLink = actionDefinition({
  name: "createShareLink",
  schema: z.object({ accountId: idField("Choose an account.") }),
  authorize: (ctx, input) => authorizeOnAccount(ctx, input.accountId, "share.create"),
  async run(ctx, input): Promise<ShareLink> {
    const expiresAt = shareExpiry(new Date());
    const token = signShareToken({ accountId: input.accountId, userId: ctx.viewer.userId, expiresAt }, shareSecret());
    return { path: `/share/${token}`, expiresAt: expiresAt.toISOString() };
  },
});
