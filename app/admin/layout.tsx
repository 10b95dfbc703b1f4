import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { may } from "@/lib/auth/permissions";
import { CollapsibleMenu } from "@/components/app-header/collapsible-menu";
import { ADMIN_SECTIONS } from "./sections";
import { requireContext } from "@/lib/dal/session";
// Webhooks (issue 17).
import { FailingWebhooksNotice } from "./webhooks/failing-notice";

export const metadata: Metadata = { title: { default: "Admin", template: "%s · Admin · Customer 360" } };


/** The admin shell. Admin pages do not exist for anyone else: the same answer as a missing page. */
export default async function AdminLayout({ children }: { children: React.ReactNode }) {
  const ctx = await requireContext();
  const { viewer } = ctx;
  if (!may(viewer, "admin.open")) notFound();
  return (
    <div className="min-h-screen">
      <header className="border-b border-slate-200 bg-white">
        <div className="mx-auto flex max-w-7xl items-center gap-3 px-4 py-3 sm:gap-6">
          <Link href="/" className="shrink-0 font-semibold text-brand-700">
            Customer 360
          </Link>
          <span className="rounded bg-slate-800 px-2 py-0.5 text-xs font-semibold tracking-wide text-white uppercase">Admin</span>
          <Link href="/" className="ml-auto shrink-0 text-sm text-slate-700 underline-offset-2 hover:underline">
            Back to the app
          </Link>
          <span className="min-w-0 truncate text-sm text-slate-700 max-sm:hidden">{viewer.name}</span>
        </div>
      </header>
      {/* On a phone the sections fold behind one button above the page. */}
      <div className="mx-auto flex max-w-7xl flex-col gap-4 px-4 py-4 md:flex-row md:gap-8 md:py-6">
        <nav aria-label="Admin sections" className="md:w-48 md:shrink-0">
          <h2 className="mb-2 text-xs font-semibold tracking-wide text-slate-600 uppercase max-md:hidden">Settings</h2>
          <CollapsibleMenu
            buttonLabel="Settings"
            buttonContent={<SettingsButton />}
            panelClassName="max-md:mt-2 max-md:flex-col max-md:rounded-lg max-md:border max-md:border-slate-200 max-md:bg-white max-md:p-1 md:block"
          >
            <ul className="space-y-1 max-md:w-full">
              <li>
                <Link href="/admin" className="block rounded-md px-2 py-1.5 text-sm font-medium text-slate-800 hover:bg-slate-100 max-md:py-2.5">
                  Overview
                </Link>
              </li>
              {ADMIN_SECTIONS.filter((s) => may(viewer, s.capability)).map((s) => (
                <li key={s.href}>
                  <Link href={s.href} className="block rounded-md px-2 py-1.5 text-sm font-medium text-slate-800 hover:bg-slate-100 max-md:py-2.5">
                    {s.label}
                  </Link>
                </li>
              ))}
            </ul>
          </CollapsibleMenu>
        </nav>
        <main className="min-w-0 flex-1">
          <FailingWebhooksNotice ctx={ctx} />
          {children}
        </main>
      </div>
    </div>
  );
}

function SettingsButton() {
  return (
    <>
      <svg aria-hidden="true" viewBox="0 0 20 20" className="h-5 w-5" fill="none" stroke="currentColor" strokeWidth={1.8} strokeLinecap="round">
        <path d="M3 5.5h14M3 10h14M3 14.5h14" />
      </svg>
      Settings
    </>
  );
}
