"use client";

import Link from "next/link";
import { markAllNotificationsReadAction, markNotificationReadAction } from "@/app/(app)/notifications/actions";
import { FormStatus, useActionForm } from "@/components/forms";

export type InboxLine = { id: number; title: string; body: string; href: string; when: string; read: boolean };

/** The inbox: newest first, unread ones marked, each with Mark read; one Mark all read. */
export function InboxList({ items, unread }: { items: InboxLine[]; unread: number }) {
  const all = useActionForm(markAllNotificationsReadAction);
  return (
    <div className="space-y-3">
      <div className="flex flex-wrap items-center justify-between gap-2">
        <p className="text-sm text-slate-700" data-testid="inbox-unread">
          {unread ? `${unread} unread` : "All read"}
        </p>
        {unread ? (
          <form action={all.dispatch}>
            <button type="submit" disabled={all.pending} className="rounded-md border border-slate-300 bg-white px-2.5 py-1 text-sm font-medium text-brand-700 hover:border-brand-500">
              Mark all read
            </button>
          </form>
        ) : null}
      </div>
      <FormStatus result={all.result} />
      {items.length === 0 ? (
        <p className="rounded-lg border border-dashed border-slate-300 bg-white p-6 text-center text-sm text-slate-600">
          Nothing yet. Follow an account from its profile, and changes to it arrive here; so do mentions, questions and assignments.
        </p>
      ) : (
        <ul className="divide-y divide-slate-100 rounded-lg border border-slate-200 bg-white" aria-label="Notifications">
          {items.map((item) => (
            <InboxRow key={item.id} item={item} />
          ))}
        </ul>
      )}
    </div>
  );
}

function InboxRow({ item }: { item: InboxLine }) {
  const form = useActionForm(markNotificationReadAction);
  return (
    <li className={`flex items-start gap-3 p-3 ${item.read ? "" : "bg-brand-50/40"}`} data-testid="inbox-item" data-read={item.read}>
      <span aria-hidden="true" className={`mt-1.5 h-2 w-2 shrink-0 rounded-full ${item.read ? "bg-transparent" : "bg-brand-600"}`} />
      <div className="min-w-0 flex-1">
        <Link href={item.href} className={`break-words text-sm text-slate-900 underline-offset-2 hover:underline ${item.read ? "" : "font-semibold"}`}>
          {item.read ? null : <span className="sr-only">Unread: </span>}
          {item.title}
        </Link>
        {item.body ? <p className="mt-0.5 break-words text-sm text-slate-700">{item.body}</p> : null}
        <p className="mt-0.5 text-xs text-slate-500">{item.when}</p>
      </div>
      {item.read ? null : (
        <form action={form.dispatch} className="shrink-0">
          <input type="hidden" name="notificationId" value={item.id} />
          <button type="submit" disabled={form.pending} aria-label={`Mark read: ${item.title}`} className="rounded border border-slate-300 px-2 py-0.5 text-xs text-slate-700 hover:border-brand-500">
            Mark read
          </button>
        </form>
      )}
    </li>
  );
}
