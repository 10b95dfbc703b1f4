import Link from "next/link";
import { DeleteAssetButton } from "@/components/quick-actions/asset-form";
import { AssetLink, assetKindLabel } from "@/components/widgets/parts/asset-link";
import { formatBytes } from "@/lib/format";
import { may } from "@/lib/auth/permissions";
import { assetsOf } from "@/lib/dal/assets";
import { formatDate } from "@/lib/format";
import { profileHref } from "@/lib/profile/query";
import type { TabProps } from "./types";
import { ScrollRegion } from "@/components/scroll-region";

/** Every asset of the account (files and links) in one table, searchable by name. */
export async function AssetsTab({ ctx, account, query, tab }: TabProps) {
  const { assets, total } = await assetsOf(ctx, account, { q: query.q, limit: 1000 });
  // The delete route decides for each asset; the button is offered to the roles that may delete.
  const canDelete = may(ctx.viewer, "asset.delete");
  return (
    <section aria-labelledby="assets-heading" className="rounded-lg border border-slate-200 bg-white">
      <div className="flex flex-wrap items-center justify-between gap-3 border-b border-slate-100 px-4 py-3">
        <h2 id="assets-heading" className="font-semibold">
          Assets <span className="text-sm font-normal text-slate-600">({total})</span>
        </h2>
        <form method="get" action={`/accounts/${account.id}`} role="search" className="flex flex-wrap items-center gap-2">
          <input type="hidden" name="tab" value={tab.key} />
          <label htmlFor="asset-search" className="text-xs text-slate-600">
            Search assets
          </label>
          <input id="asset-search" name="q" type="search" defaultValue={query.q} placeholder="Name or link…" className="w-40 rounded-md sm:w-56 border border-slate-300 px-2 py-1 text-sm" />
          <button type="submit" className="rounded-md border border-slate-300 bg-white px-3 py-1 text-sm font-medium text-slate-800 hover:bg-slate-50">
            Search
          </button>
          {query.q ? (
            <Link prefetch={false} href={profileHref(account.id, {}, { tab: tab.key })} className="text-xs text-brand-700 underline">
              Clear
            </Link>
          ) : null}
        </form>
      </div>
      {assets.length === 0 ? (
        <p className="px-4 py-6 text-sm text-slate-600">{query.q ? `No asset matches “${query.q}”.` : "No files or links yet."}</p>
      ) : (
        <ScrollRegion label="Files and links">
          <table className="w-full text-sm">
            <thead className="bg-slate-50 text-left text-xs text-slate-600 uppercase">
              <tr>
                <th scope="col" className="px-4 py-2 font-medium">Name</th>
                <th scope="col" className="px-4 py-2 font-medium max-sm:hidden">Kind</th>
                <th scope="col" className="px-4 py-2 text-right font-medium">Size</th>
                <th scope="col" className="px-4 py-2 font-medium max-sm:hidden">Uploaded by</th>
                <th scope="col" className="px-4 py-2 font-medium max-sm:hidden">Date</th>
                {canDelete ? (
                  <th scope="col" className="px-4 py-2 font-medium">
                    <span className="sr-only">Actions</span>
                  </th>
                ) : null}
              </tr>
            </thead>
            <tbody className="divide-y divide-slate-100">
              {assets.map((a) => (
                <tr key={a.id} data-testid="asset-row">
                  <td className="px-4 py-2">
                    <AssetLink asset={a} />
                  </td>
                  <td className="px-4 py-2 text-slate-700 max-sm:hidden">{assetKindLabel(a)}</td>
                  <td className="px-4 py-2 text-right text-slate-700 tabular-nums">{a.kind === "file" ? formatBytes(a.sizeBytes) : "—"}</td>
                  <td className="px-4 py-2 text-slate-700 max-sm:hidden">{a.uploadedBy ?? "Unknown"}</td>
                  <td className="px-4 py-2 text-slate-700 max-sm:hidden">{formatDate(a.createdAt)}</td>
                  {canDelete ? (
                    <td className="px-4 py-2 text-right">
                      <DeleteAssetButton assetId={a.id} name={a.name} />
                    </td>
                  ) : null}
                </tr>
              ))}
            </tbody>
          </table>
        </ScrollRegion>
      )}
    </section>
  );
}
