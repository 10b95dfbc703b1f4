import Link from "next/link";
import { assetsOf } from "@/lib/dal/assets";
import { formatBytes, formatDate } from "@/lib/format";
import { profileHref } from "@/lib/profile/query";
import type { WidgetProps } from "../types";
import { EmptyState, WidgetCard } from "../widget-card";
import { AssetLink, assetKindLabel } from "../parts/asset-link";

/** The latest files and links of the account. */
export async function AssetsWidget({ ctx, account, settings }: WidgetProps<{ title?: string }>) {
  const { assets, total } = await assetsOf(ctx, account, { limit: 5 });
  const all = (
    <Link prefetch={false} href={profileHref(account.id, {}, { tab: "assets" })} className="text-xs text-brand-700 underline">
      All {total}
    </Link>
  );
  return (
    <WidgetCard title={settings.title ?? "Assets"} id="assets" action={total ? all : undefined}>
      {assets.length === 0 ? (
        <EmptyState>No files or links yet.</EmptyState>
      ) : (
        <ul className="divide-y divide-slate-100">
          {assets.map((a) => (
            <li key={a.id} className="py-1.5 text-sm" data-testid="asset">
              <AssetLink asset={a} />
              <p className="text-xs text-slate-600">
                {assetKindLabel(a)}
                {a.kind === "file" ? ` · ${formatBytes(a.sizeBytes)}` : ""} · {a.uploadedBy ?? "Unknown"} · {formatDate(a.createdAt)}
              </p>
            </li>
          ))}
        </ul>
      )}
    </WidgetCard>
  );
}
