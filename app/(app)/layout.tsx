import { AppHeader } from "@/components/app-header/app-header";
import { requireContext } from "@/lib/dal/session";
import { signOutAction } from "./actions";

export default async function AppLayout({ children }: { children: React.ReactNode }) {
  const { viewer } = await requireContext();
  return (
    <div className="min-h-screen">
      <AppHeader viewer={viewer} signOut={signOutAction} />
      <main className="mx-auto max-w-7xl px-4 py-6">{children}</main>
    </div>
  );
}
