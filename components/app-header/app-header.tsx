import Link from "next/link";
import { may } from "@/lib/auth/permissions";
import type { Viewer } from "@/lib/dal/viewer";
import { CollapsibleMenu } from "./collapsible-menu";
import { PaletteButton } from "@/components/command-palette/palette-button";
import { ADMIN_SECTIONS } from "@/app/admin/sections";

const ROLE_LABEL = { admin: "Admin", member: "Member", leadership: "Leadership", viewer: "Viewer" } as const;

const navLink = "text-sm text-slate-700 hover:text-slate-900 max-md:rounded-md max-md:px-3 max-md:py-2.5 max-md:text-base max-md:hover:bg-slate-100";

/**
 * The signed-in app's top bar. From `md` up everything sits in one row; on a phone the row keeps the
 * name, the search box (one tap away: it stays in the bar) and a menu button that opens the links,
 * who is signed in and Sign out as a panel under the bar.
 */
export function AppHeader({ viewer, signOut, bell }: { viewer: Pick<Viewer, "name" | "role">; signOut: () => Promise<void>; bell?: React.ReactNode }) {
  return (
    <header className="relative border-b border-slate-200 bg-white">
      <nav aria-label="Main" className="mx-auto flex max-w-7xl items-center gap-3 px-4 py-3 md:gap-6">
        <Link href="/" className="shrink-0 font-semibold text-brand-700">
          Customer 360
        </Link>
        <form action="/accounts" role="search" className="min-w-0 flex-1 md:order-last md:ml-auto md:flex-none">
          <label htmlFor="global-search" className="sr-only">
            Search accounts
          </label>
          <input
            id="global-search"
            name="q"
            type="search"
            placeholder="Search accounts…"
            className="w-full rounded-md border border-slate-300 px-3 py-1.5 text-sm focus:border-brand-500 focus:outline-none md:w-56"
          />
        </form>
        {/* The notification bell (issue 18): always in the bar, phones included. */}
        <div className="md:order-last">{bell}</div>
        {/* The command palette (issue 18): admin pages are offered only to those who may open them. */}
        <PaletteButton pages={[{ href: "/", label: "Home" }, { href: "/accounts", label: "Accounts" }, ...(may(viewer, "admin.open") ? ADMIN_SECTIONS.filter((s) => may(viewer, s.capability)).map(({ href, label }) => ({ href, label })) : [])]} />
        <CollapsibleMenu
          buttonLabel="Menu"
          panelClassName="max-md:absolute max-md:inset-x-0 max-md:top-full max-md:z-30 max-md:flex-col max-md:gap-1 max-md:border-b max-md:border-slate-200 max-md:bg-white max-md:p-3 max-md:shadow-lg md:contents"
        >
          <Link href="/" className={navLink}>
            My portfolio
          </Link>
          <Link href="/accounts" className={navLink}>
            Accounts
          </Link>
          {may(viewer, "admin.open") ? (
            <Link href="/admin" className={navLink}>
              Admin
            </Link>
          ) : null}
          <div className="flex items-center justify-between gap-6 max-md:mt-1 max-md:border-t max-md:border-slate-100 max-md:px-3 max-md:pt-3 md:order-last">
            <Link href="/account/password" className="text-sm text-slate-700 hover:text-slate-900" title="Change your password">
              {viewer.name} <span className="rounded bg-slate-100 px-1.5 py-0.5 text-xs text-slate-600">{ROLE_LABEL[viewer.role]}</span>
            </Link>
            <form action={signOut}>
              <button type="submit" className="text-sm text-slate-600 hover:text-slate-900 max-md:rounded-md max-md:border max-md:border-slate-300 max-md:px-3 max-md:py-1.5">
                Sign out
              </button>
            </form>
          </div>
        </CollapsibleMenu>
      </nav>
    </header>
  );
}
