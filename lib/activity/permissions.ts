import "server-only";
import { ActionError } from "@/lib/actions/define";
import { may, refusal, type Capability } from "@/lib/auth/permissions";
import { findAccount, type AccountSummary } from "@/lib/dal/accounts";
import type { Ctx, Viewer } from "@/lib/dal/viewer";

/**
 * Account-level authorization on top of the role → capability table (lib/auth/permissions.ts):
 * the role's capability, then the account's visibility. No role is named here.
 */

/** What the Quick Actions (+) bar offers, in the order it shows them, and the capability each needs. */
export const QUICK_ACTION_CAPABILITY = {
  touchpoint: "touchpoint.log",
  task: "task.create",
  objective: "objective.add",
  successplay: "successplay.apply",
  request: "request.send",
  asset: "asset.add",
  presentation: "presentation.generate",
} as const satisfies Record<string, Capability>;

export type QuickActionKey = keyof typeof QUICK_ACTION_CAPABILITY;
export const QUICK_ACTIONS = Object.keys(QUICK_ACTION_CAPABILITY) as QuickActionKey[];

/** The quick actions the viewer's role has the capability for. */
export function quickActionsFor(viewer: Viewer): QuickActionKey[] {
  return QUICK_ACTIONS.filter((action) => may(viewer, QUICK_ACTION_CAPABILITY[action]));
}

/**
 * Completing or reopening one task of a visible account: "task.work" on any task, "task.workOwn" on
 * a task assigned to or created by oneself.
 */
export function mayChangeTask(viewer: Viewer, task: { assigneeId: string | null; createdBy: string | null }): boolean {
  if (may(viewer, "task.work")) return true;
  return may(viewer, "task.workOwn") && (task.assigneeId === viewer.userId || task.createdBy === viewer.userId);
}

export const NOT_FOUND_MESSAGE = "This account does not exist or you may not act on it.";

/**
 * `authorize` for a write on an account: the role has `capability` and the account is visible.
 * Missing and forbidden accounts get the same answer, so a crafted id reveals nothing.
 */
export async function authorizeOnAccount(ctx: Ctx, accountId: string, capability: Capability): Promise<true | string> {
  if (!may(ctx.viewer, capability)) return refusal(ctx.viewer, capability);
  const account = await findAccount(ctx, accountId);
  return account ? true : NOT_FOUND_MESSAGE;
}

/** `authorize` for a quick action (see `authorizeOnAccount`). */
export function authorizeQuickAction(ctx: Ctx, accountId: string, action: QuickActionKey): Promise<true | string> {
  return authorizeOnAccount(ctx, accountId, QUICK_ACTION_CAPABILITY[action]);
}

/** The account inside `run` (the transaction): it was visible at authorization; still must be. */
export async function accountForWrite(ctx: Ctx, accountId: string): Promise<AccountSummary> {
  const account = await findAccount(ctx, accountId);
  if (!account) throw new ActionError(NOT_FOUND_MESSAGE);
  return account;
}
