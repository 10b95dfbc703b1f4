import Link from "next/link";
import { may } from "@/lib/auth/permissions";
import type { Ctx } from "@/lib/dal/viewer";
import { unreadCount } from "@/lib/notifications/inbox";

/** The header's bell: a link to the inbox with the unread count (one count on an index of unread rows). */
export async function NotificationBell({ ctx }: { ctx: Ctx }) {
  if (!may(ctx.viewer, "notifications.use")) return null;
  const unread = await unreadCount(ctx);
  return <BellLink unread={unread} />;
}

export function BellLink({ unread }: { unread: number | null }) {
  const label = unread ? `Notifications, ${unread} unread` : "Notifications";
  return (
    <Link
      href="/notifications"
      aria-label={label}
      title={label}
      data-testid="notification-bell"
      className="relative flex min-h-10 min-w-10 shrink-0 items-center justify-center rounded-md text-slate-700 hover:bg-slate-100 hover:text-slate-900"
    >
      <svg aria-hidden="true" viewBox="0 0 20 20" className="h-5 w-5" fill="none" stroke="currentColor" strokeWidth={1.6} strokeLinejoin="round">
        <path d="M10 2.5a5 5 0 0 0-5 5v2.8L3.5 13.5h13L15 10.3V7.5a5 5 0 0 0-5-5Z" />
        <path d="M8 15.5a2 2 0 0 0 4 0" strokeLinecap="round" />
      </svg>
      {unread ? (
        <span data-testid="notification-count" className="absolute -right-0.5 -top-0.5 min-w-5 rounded-full bg-red-700 px-1 text-center text-[11px] font-semibold leading-5 text-white">
          {unread > 99 ? "99+" : unread}
        </span>
      ) : null}
    </Link>
  );
}
