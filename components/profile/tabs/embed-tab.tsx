import type { LayoutTab } from "@/db/schema";
import { httpUrl } from "@/lib/urls";

/** A custom tab that embeds an admin-given link. Only http(s) links are ever framed. */
export function EmbedTab({ tab }: { tab: LayoutTab }) {
  const url = httpUrl(tab.url);
  if (!url) {
    return <p className="rounded-lg border border-slate-200 bg-white p-6 text-sm text-slate-600">This tab has no valid link. An admin can set one in the layout editor.</p>;
  }
  return (
    <div className="overflow-hidden rounded-lg border border-slate-200 bg-white">
      <div className="flex items-center justify-between border-b border-slate-100 px-4 py-2 text-sm">
        <span className="font-medium">{tab.label}</span>
        <a href={url} target="_blank" rel="noopener noreferrer" className="text-brand-700 hover:underline">
          Open in a new window ↗
        </a>
      </div>
      <iframe title={tab.label} src={url} className="h-[70vh] w-full" sandbox="allow-scripts allow-same-origin allow-forms allow-popups" referrerPolicy="no-referrer" />
    </div>
  );
}
