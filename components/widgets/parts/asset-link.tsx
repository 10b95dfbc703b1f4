import { assetHref, type AssetRow } from "@/lib/dal/assets";

/** An asset's name as a link: files through the download route, links in a new tab. */
export function AssetLink({ asset }: { asset: AssetRow }) {
  const href = assetHref(asset);
  if (!href) return <span>{asset.name}</span>;
  if (asset.kind === "link") {
    return (
      <a href={href} target="_blank" rel="noopener noreferrer" className="font-medium text-brand-700 underline">
        {asset.name}
        <span className="sr-only"> (opens in a new tab)</span>
        <span aria-hidden="true"> ↗</span>
      </a>
    );
  }
  return (
    <a href={href} className="font-medium text-brand-700 underline">
      {asset.name}
    </a>
  );
}

export function assetKindLabel(asset: Pick<AssetRow, "kind" | "contentType" | "name">): string {
  if (asset.kind === "link") return "Link";
  const ext = asset.name.includes(".") ? asset.name.split(".").pop()!.toUpperCase() : null;
  return ext && ext.length <= 5 ? `${ext} file` : "File";
}
