import Link from "next/link";
import { may } from "@/lib/auth/permissions";
import { requireContext } from "@/lib/dal/session";
import { signOutAction } from "./actions";

const ROLE_LABEL = { admin: "Admin", member: "Member", leadership: "Leadership", viewer: "Viewer" } as const;

export default async function AppLayout({ children }: { children: React.ReactNode }) {
  const { viewer } = await requireContext();
  return (
    <div className="min-h-screen">
      <header className="border-b border-slate-200 bg-white">
        <nav aria-label="Main" className="mx-auto flex max-w-7xl items-center gap-6 px-4 py-3">
          <Link href="/" className="font-semibold text-brand-700">
            Customer 360
          </Link>
          <Link href="/" className="text-sm text-slate-700 hover:text-slate-900">
            My portfolio
          </Link>
          <Link href="/accounts" className="text-sm text-slate-700 hover:text-slate-900">
            Accounts
          </Link>
          {may(viewer, "admin.open") ? (
            <Link href="/admin" className="text-sm text-slate-700 hover:text-slate-900">
              Admin
            </Link>
          ) : null}
          <form action="/accounts" role="search" className="ml-auto">
            <label htmlFor="global-search" className="sr-only">
              Search accounts
            </label>
            <input
              id="global-search"
              name="q"
              type="search"
              placeholder="Search accounts…"
              className="w-56 rounded-md border border-slate-300 px-3 py-1.5 text-sm focus:border-brand-500 focus:outline-none"
            />
          </form>
          <span className="text-sm text-slate-700">
            {viewer.name} <span className="rounded bg-slate-100 px-1.5 py-0.5 text-xs text-slate-600">{ROLE_LABEL[viewer.role]}</span>
          </span>
          <form action={signOutAction}>
            <button type="submit" className="text-sm text-slate-600 hover:text-slate-900">
              Sign out
            </button>
          </form>
        </nav>
      </header>
      <main className="mx-auto max-w-7xl px-4 py-6">{children}</main>
    </div>
  );
}
