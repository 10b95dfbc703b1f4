import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { NotificationSettingsForm } from "@/components/notifications/settings-form";
import { may } from "@/lib/auth/permissions";
import { requireContext } from "@/lib/dal/session";
import { mailEnabled } from "@/lib/mail/config";
import { preferencesOf } from "@/lib/notifications/settings";

export const metadata: Metadata = { title: "Notification settings" };

export default async function NotificationSettingsPage() {
  const ctx = await requireContext();
  if (!may(ctx.viewer, "notifications.use")) notFound();
  const preferences = await preferencesOf(ctx);
  return (
    <div className="max-w-md space-y-4">
      <div>
        <h1 className="text-2xl font-semibold text-slate-900">Notification settings</h1>
        <p className="mt-1 text-sm text-slate-700">
          How mail reaches {ctx.viewer.email}. Your <Link href="/notifications" className="text-brand-700 underline">inbox</Link> always fills.
        </p>
      </div>
      <div className="rounded-lg border border-slate-200 bg-white p-4">
        <NotificationSettingsForm emailMode={preferences.emailMode} digestHour={preferences.digestHour} mailConfigured={mailEnabled()} />
      </div>
    </div>
  );
}
