import { campaignsSummary } from "@/lib/dal/activity";
import { formatDate, formatNumber } from "@/lib/format";
import type { WidgetSettings } from "@/lib/widgets/catalog";
import type { WidgetProps } from "../types";
import { EmptyState, WidgetCard } from "../widget-card";

function rate(part: number, whole: number): string {
  return whole ? `${Math.round((part / whole) * 100)}%` : "—";
}

/** Sidebar: campaigns sent to the account's contacts, with sent / opened / clicked counts. */
export async function CampaignsWidget({ ctx, account, settings }: WidgetProps<WidgetSettings<"campaigns">>) {
  const { campaigns, total, totals } = await campaignsSummary(ctx, account, settings.limit);
  return (
    <WidgetCard title={settings.title ?? "Campaigns"} id="campaigns">
      {campaigns.length === 0 ? (
        <EmptyState>No campaigns were sent to contacts of this {account.typeName.toLowerCase()}.</EmptyState>
      ) : (
        <>
          <p className="mb-2 text-xs text-slate-600">
            {total} campaign{total === 1 ? "" : "s"} · open rate {rate(totals.opened, totals.sent)} · click rate {rate(totals.clicked, totals.sent)}
          </p>
          <table className="w-full text-xs">
            <caption className="sr-only">Campaigns sent to contacts of {account.name}</caption>
            <thead className="text-left text-slate-600">
              <tr>
                <th scope="col" className="py-1 font-medium">Campaign</th>
                <th scope="col" className="py-1 text-right font-medium">Sent</th>
                <th scope="col" className="py-1 text-right font-medium">Opened</th>
                <th scope="col" className="py-1 text-right font-medium">Clicked</th>
              </tr>
            </thead>
            <tbody className="divide-y divide-slate-100">
              {campaigns.map((c) => (
                <tr key={c.id}>
                  <th scope="row" className="py-1.5 pr-2 text-left font-normal">
                    <span className="block text-sm text-slate-900">{c.name}</span>
                    <span className="text-slate-600">
                      {formatDate(c.sentAt)} · {c.channel}
                    </span>
                  </th>
                  <td className="py-1.5 text-right tabular-nums">{formatNumber(c.sent)}</td>
                  <td className="py-1.5 text-right tabular-nums">{formatNumber(c.opened)}</td>
                  <td className="py-1.5 text-right tabular-nums">{formatNumber(c.clicked)}</td>
                </tr>
              ))}
            </tbody>
          </table>
          {total > campaigns.length ? <p className="mt-2 text-xs text-slate-600">and {total - campaigns.length} older campaigns</p> : null}
        </>
      )}
    </WidgetCard>
  );
}
