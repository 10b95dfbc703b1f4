import { Suspense } from "react";
import type { Ctx } from "@/lib/dal/viewer";
import { followOf } from "@/lib/notifications/follows";
import { FollowButton } from "./follow-button";
import { followButtonClass } from "./follow-style";

type Props = { ctx: Ctx; accountId: string; hasChildren: boolean };

/**
 * The profile's Follow control, streamed: the viewer's follow (one indexed read) is read inside
 * its own Suspense boundary, like the header's bell, so it never holds the profile's first byte.
 * Until it arrives a disabled Follow button keeps the bar's place.
 */
export function FollowControl(props: Props) {
  return (
    <Suspense fallback={<FollowPlaceholder hasChildren={props.hasChildren} />}>
      <FollowState {...props} />
    </Suspense>
  );
}

async function FollowState({ ctx, accountId, hasChildren }: Props) {
  const follow = await followOf(ctx, accountId);
  return <FollowButton accountId={accountId} follow={follow} hasChildren={hasChildren} />;
}

function FollowPlaceholder({ hasChildren }: { hasChildren: boolean }) {
  return (
    <div className="flex flex-wrap items-center gap-2" data-testid="follow-loading" aria-busy="true">
      {hasChildren ? (
        <label className="flex items-center gap-1.5 text-sm text-slate-700">
          <input type="checkbox" disabled className="h-4 w-4 rounded border-slate-400" />
          and everything below it
        </label>
      ) : null}
      <button type="button" disabled className={followButtonClass}>
        Follow
      </button>
    </div>
  );
}
