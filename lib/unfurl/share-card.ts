import "server-only";
import type { Executor } from "@/db/client";
import { accountCard, type AccountCard } from "@/lib/dal/account-card";
import { loadViewer } from "@/lib/dal/viewer";
import { readShareToken } from "./share-token";

export type SharedCard =
  | { status: "ok"; accountId: string; expiresAt: Date; card: AccountCard }
  /** Signed by us, but expired, or the sharer lost access to the account (or was disabled). */
  | { status: "unavailable"; accountId: string }
  /** Malformed, tampered with or signed with another secret: nothing in it can be trusted. */
  | { status: "invalid" };

/**
 * The card a share link shows: built within the scope of the user who shared it, as it is now, and
 * without privilege (see accountCard). Only a valid, unexpired token yields account data.
 */
export async function sharedCard(db: Executor, token: unknown, secret: string, now: Date = new Date()): Promise<SharedCard> {
  const share = readShareToken(token, secret, now);
  if (!share) return { status: "invalid" };
  if (share.expired) return { status: "unavailable", accountId: share.accountId };
  const viewer = await loadViewer(db, share.userId);
  const card = viewer ? await accountCard({ db, viewer }, share.accountId, now) : null;
  if (!card) return { status: "unavailable", accountId: share.accountId };
  return { status: "ok", accountId: share.accountId, expiresAt: share.expiresAt, card };
}
