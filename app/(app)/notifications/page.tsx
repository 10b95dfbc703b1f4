import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { InboxList } from "@/components/notifications/inbox-list";
import { may } from "@/lib/auth/permissions";
import { requireContext } from "@/lib/dal/session";
import { relativeTime } from "@/lib/format";
import { inbox, unreadCount } from "@/lib/notifications/inbox";

export const metadata: Metadata = { title: "Notifications" };

export default async function NotificationsPage() {
  const ctx = await requireContext();
  if (!may(ctx.viewer, "notifications.use")) notFound();
  const [{ items, more }, unread] = await Promise.all([inbox(ctx, { limit: 100 }), unreadCount(ctx)]);
  const now = new Date();
  return (
    <div className="mx-auto max-w-3xl space-y-4">
      <div className="flex flex-wrap items-baseline justify-between gap-2">
        <h1 className="text-2xl font-semibold text-slate-900">Notifications</h1>
        <Link href="/notifications/settings" className="text-sm text-brand-700 underline">
          Mail settings
        </Link>
      </div>
      <InboxList unread={unread} items={items.map((i) => ({ id: i.id, title: i.title, body: i.body, href: i.href, read: i.read, when: relativeTime(i.createdAt, now) }))} />
      {more ? <p className="text-xs text-slate-600">Showing the newest 100.</p> : null}
    </div>
  );
}
