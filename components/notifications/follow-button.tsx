"use client";

import { followAccountAction, unfollowAccountAction } from "@/app/(app)/accounts/[id]/actions";
import { useActionForm } from "@/components/forms";
import { followButtonClass } from "./follow-style";

/**
 * Follow this account, optionally with everything below it (through the hierarchy). Following
 * again with the box changed updates the follow; Unfollow ends it.
 */
export function FollowButton({ accountId, follow, hasChildren }: { accountId: string; follow: { includeBelow: boolean } | null; hasChildren: boolean }) {
  const followForm = useActionForm(followAccountAction);
  const unfollowForm = useActionForm(unfollowAccountAction);
  const result = unfollowForm.result ?? followForm.result;
  const error = result && !result.ok ? result.error : null;
  return (
    <div className="flex flex-wrap items-center gap-2" data-testid="follow">
      <form action={followForm.dispatch} className="flex flex-wrap items-center gap-2">
        <input type="hidden" name="accountId" value={accountId} />
        {hasChildren ? (
          <label className="flex items-center gap-1.5 text-sm text-slate-700">
            <input type="checkbox" name="includeBelow" defaultChecked={follow?.includeBelow ?? false} className="h-4 w-4 rounded border-slate-400" />
            and everything below it
          </label>
        ) : null}
        <button type="submit" disabled={followForm.pending} className={followButtonClass}>
          {follow ? (hasChildren ? "Update follow" : "Following") : "Follow"}
        </button>
      </form>
      {follow ? (
        <form action={unfollowForm.dispatch}>
          <input type="hidden" name="accountId" value={accountId} />
          <button type="submit" disabled={unfollowForm.pending} className={followButtonClass}>
            Unfollow
          </button>
        </form>
      ) : null}
      {follow ? (
        <span className="text-xs text-slate-600" data-testid="follow-state">
          You follow this account{follow.includeBelow ? " and everything below it" : ""}.
        </span>
      ) : null}
      {error ? (
        <span role="alert" className="text-sm text-red-800">
          {error}
        </span>
      ) : null}
    </div>
  );
}
