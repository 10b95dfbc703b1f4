import Link from "next/link";
import { ScrollRegion } from "@/components/scroll-region";
import { HealthBadge } from "@/components/health-badge";
import { childContributions } from "@/lib/dal/rollups";
import { formatCurrency } from "@/lib/format";
import type { WidgetSettings } from "@/lib/widgets/catalog";
import type { WidgetProps } from "../types";
import { EmptyState, WidgetCard } from "../widget-card";

export async function HierarchyWidget({ ctx, account, settings }: WidgetProps<WidgetSettings<"hierarchy">>) {
  const children = await childContributions(ctx, account, 12);
  const rows = children.filter((c) => !c.isOpportunity);
  return (
    <WidgetCard title={settings.title || "Sub-accounts and parents"} id="hierarchy">
      {rows.length === 0 ? (
        <EmptyState>{account.typeName} has no sub-accounts{account.parentId ? "; use the breadcrumb to reach its parents" : ""}.</EmptyState>
      ) : (
        <ScrollRegion label="Sub-accounts">
          <table className="w-full text-sm">
            <thead className="text-left text-xs text-slate-600">
              <tr>
                <th className="py-1 font-medium">Sub-account</th>
                <th className="py-1 font-medium">Health</th>
                <th className="py-1 text-right font-medium">MRR</th>
              </tr>
            </thead>
            <tbody className="divide-y divide-slate-100">
              {rows.map((c) => (
                <tr key={c.id}>
                  <td className="py-1.5">
                    <Link prefetch={false} href={`/accounts/${c.id}`} className="text-brand-700 underline underline-offset-2">
                      {c.name}
                    </Link>
                    <span className="ml-1 text-xs text-slate-500">{c.typeName}</span>
                  </td>
                  <td className="py-1.5">
                    <HealthBadge band={c.healthBand} />
                  </td>
                  <td className="py-1.5 text-right tabular-nums">{formatCurrency(c.mrr)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </ScrollRegion>
      )}
    </WidgetCard>
  );
}
