import { Suspense } from "react";
import { AppHeader } from "@/components/app-header/app-header";
import { BellLink, NotificationBell } from "@/components/notifications/bell";
import { requireContext } from "@/lib/dal/session";
import { signOutAction } from "./actions";

export default async function AppLayout({ children }: { children: React.ReactNode }) {
  const ctx = await requireContext();
  const { viewer } = ctx;
  return (
    <div className="min-h-screen">
      <AppHeader
        viewer={viewer}
        signOut={signOutAction}
        bell={
          <Suspense fallback={<BellLink unread={null} />}>
            <NotificationBell ctx={ctx} />
          </Suspense>
        }
      />
      <main className="mx-auto max-w-7xl px-4 py-6">{children}</main>
    </div>
  );
}
