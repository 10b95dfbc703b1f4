import Link from "next/link";
import type { AccountSummary, ChildPage, Crumb } from "@/lib/dal/accounts";

const SEARCH_FROM = 100;

/**
 * Breadcrumb of ancestors up to the ultimate parent, the account's name, type and level, and jumps
 * to the parent and to sub-accounts (with a search box once there are 100 or more).
 */
export function ProfileBanner({
  account,
  crumbs,
  subAccounts,
  subQuery,
}: {
  account: AccountSummary;
  crumbs: Crumb[];
  subAccounts: ChildPage;
  subQuery?: string;
}) {
  const parent = crumbs.at(-1);
  return (
    <div className="rounded-lg border border-slate-200 bg-white px-5 py-4">
      <nav aria-label="Breadcrumb">
        <ol className="flex flex-wrap items-center gap-1 text-sm text-slate-600">
          {crumbs.map((c, i) => (
            <li key={c.id ?? `hidden-${i}`} className="flex items-center gap-1">
              {c.id ? (
                <Link prefetch={false} href={`/accounts/${c.id}`} className="text-brand-700 underline underline-offset-2" title={c.typeName}>
                  {c.name}
                </Link>
              ) : (
                <span title={`A ${c.typeName} outside your access`}>…</span>
              )}
              <span aria-hidden="true">›</span>
            </li>
          ))}
          <li aria-current="page" className="font-medium text-slate-900">
            {account.name}
          </li>
        </ol>
      </nav>
      <div className="mt-2 flex flex-wrap items-center gap-3">
        <h1 className="text-2xl font-semibold">{account.name}</h1>
        <span className="rounded bg-brand-50 px-2 py-0.5 text-xs font-medium text-brand-700">{account.typeName}</span>
        <span className="text-xs text-slate-500">Level {account.depth + 1}</span>
        <div className="ml-auto flex items-center gap-4 text-sm">
          {parent?.id ? (
            <Link prefetch={false} href={`/accounts/${parent.id}`} className="text-brand-700 underline underline-offset-2">
              ↑ {parent.name}
            </Link>
          ) : null}
          {subAccounts.total > 0 || subQuery ? (
            <details className="relative" open={Boolean(subQuery)}>
              <summary className="cursor-pointer text-brand-700 hover:underline">Sub-accounts ({subAccounts.total})</summary>
              <div className="absolute right-0 z-20 mt-2 max-h-96 w-80 overflow-auto rounded-md border border-slate-200 bg-white p-2 shadow-lg">
                {subAccounts.total >= SEARCH_FROM || subQuery ? (
                  <form role="search" className="mb-2">
                    <label htmlFor="sub" className="sr-only">
                      Search sub-accounts
                    </label>
                    <input id="sub" name="sub" type="search" defaultValue={subQuery} placeholder="Search sub-accounts…" className="w-full rounded-md border border-slate-300 px-2 py-1 text-sm" />
                  </form>
                ) : null}
                <ul>
                  {subAccounts.children.map((c) => (
                    <li key={c.id}>
                      <Link prefetch={false} href={`/accounts/${c.id}`} className="block rounded px-2 py-1 hover:bg-slate-50">
                        <span className="text-slate-900">{c.name}</span> <span className="text-xs text-slate-500">{c.typeName}</span>
                      </Link>
                    </li>
                  ))}
                  {subAccounts.children.length === 0 ? <li className="px-2 py-1 text-slate-500">No match</li> : null}
                </ul>
              </div>
            </details>
          ) : null}
        </div>
      </div>
    </div>
  );
}
