import "server-only";
import { ActionError } from "@/lib/actions/define";
import { findAccount, type AccountSummary } from "@/lib/dal/accounts";
import type { Ctx, Viewer } from "@/lib/dal/viewer";

/** What the Quick Actions (+) bar offers, in the order it shows them. */
export const QUICK_ACTIONS = ["touchpoint", "task", "objective", "successplay", "request", "asset", "presentation"] as const;
export type QuickActionKey = (typeof QUICK_ACTIONS)[number];

/**
 * What a role may do on an account it can see. The account itself must be visible (findAccount):
 * for members that is exactly their scope (team scopes and their own assignments).
 * - viewer: reads only;
 * - leadership: logs touchpoints and tasks (and works on tasks), nothing else;
 * - member and admin: everything.
 */
export function quickActionsFor(viewer: Viewer): QuickActionKey[] {
  switch (viewer.role) {
    case "admin":
    case "member":
      return [...QUICK_ACTIONS];
    case "leadership":
      return ["touchpoint", "task"];
    default:
      return [];
  }
}

export function mayUse(viewer: Viewer, action: QuickActionKey): boolean {
  return quickActionsFor(viewer).includes(action);
}

/** Completing or reopening any task of a visible account. */
export function mayWorkOnTasks(viewer: Viewer): boolean {
  return viewer.role === "admin" || viewer.role === "member";
}

/**
 * Completing or reopening one task of a visible account: admins and members any task; leadership
 * only its own (assigned to them or created by them); viewers read only.
 */
export function mayChangeTask(viewer: Viewer, task: { assigneeId: string | null; createdBy: string | null }): boolean {
  if (mayWorkOnTasks(viewer)) return true;
  if (viewer.role !== "leadership") return false;
  return task.assigneeId === viewer.userId || task.createdBy === viewer.userId;
}

/** Editing attribute values, tags and groups of a visible account (privileged ones need more). */
export function mayEditAttributes(viewer: Viewer): boolean {
  return viewer.role === "admin" || viewer.role === "member";
}

export const NOT_FOUND_MESSAGE = "This account does not exist or you may not act on it.";

export function roleMessage(viewer: Viewer, what: string): string {
  if (viewer.role === "viewer") return `Your role can read profiles but not ${what}.`;
  if (viewer.role === "leadership") return `Leadership can log touchpoints and tasks, not ${what}.`;
  return `You may not ${what} here.`;
}

const ACTION_WORDS: Record<QuickActionKey, string> = {
  touchpoint: "log touchpoints",
  task: "create tasks",
  objective: "add objectives",
  successplay: "apply SuccessPlays",
  request: "request information",
  asset: "add assets",
  presentation: "generate presentations",
};

/**
 * `authorize` for a quick action: the role allows it and the account is visible. Missing and
 * forbidden accounts get the same answer, so a crafted id reveals nothing.
 */
export async function authorizeQuickAction(ctx: Ctx, accountId: string, action: QuickActionKey): Promise<true | string> {
  if (!mayUse(ctx.viewer, action)) return roleMessage(ctx.viewer, ACTION_WORDS[action]);
  const account = await findAccount(ctx, accountId);
  return account ? true : NOT_FOUND_MESSAGE;
}

/** The account inside `run` (the transaction): it was visible at authorization; still must be. */
export async function accountForWrite(ctx: Ctx, accountId: string): Promise<AccountSummary> {
  const account = await findAccount(ctx, accountId);
  if (!account) throw new ActionError(NOT_FOUND_MESSAGE);
  return account;
}
