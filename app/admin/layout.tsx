import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { may } from "@/lib/auth/permissions";
import { requireContext } from "@/lib/dal/session";
import { ADMIN_SECTIONS } from "./sections";

export const metadata: Metadata = { title: { default: "Admin", template: "%s · Admin · Customer 360" } };


/** The admin shell. Admin pages do not exist for anyone else: the same answer as a missing page. */
export default async function AdminLayout({ children }: { children: React.ReactNode }) {
  const { viewer } = await requireContext();
  if (!may(viewer, "admin.open")) notFound();
  return (
    <div className="min-h-screen">
      <header className="border-b border-slate-200 bg-white">
        <div className="mx-auto flex max-w-7xl items-center gap-6 px-4 py-3">
          <Link href="/" className="font-semibold text-brand-700">
            Customer 360
          </Link>
          <span className="rounded bg-slate-800 px-2 py-0.5 text-xs font-semibold tracking-wide text-white uppercase">Admin</span>
          <Link href="/" className="ml-auto text-sm text-slate-700 underline-offset-2 hover:underline">
            Back to the app
          </Link>
          <span className="text-sm text-slate-700">{viewer.name}</span>
        </div>
      </header>
      <div className="mx-auto flex max-w-7xl gap-8 px-4 py-6">
        <nav aria-label="Admin sections" className="w-48 shrink-0">
          <h2 className="mb-2 text-xs font-semibold tracking-wide text-slate-600 uppercase">Settings</h2>
          <ul className="space-y-1">
            <li>
              <Link href="/admin" className="block rounded-md px-2 py-1.5 text-sm font-medium text-slate-800 hover:bg-slate-100">
                Overview
              </Link>
            </li>
            {ADMIN_SECTIONS.filter((s) => may(viewer, s.capability)).map((s) => (
              <li key={s.href}>
                <Link href={s.href} className="block rounded-md px-2 py-1.5 text-sm font-medium text-slate-800 hover:bg-slate-100">
                  {s.label}
                </Link>
              </li>
            ))}
          </ul>
        </nav>
        <main className="min-w-0 flex-1">{children}</main>
      </div>
    </div>
  );
}
