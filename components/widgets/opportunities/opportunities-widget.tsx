import Link from "next/link";
import { opportunitiesUnder } from "@/lib/dal/rollups";
import { formatCurrency } from "@/lib/format";
import type { WidgetSettings } from "@/lib/widgets/catalog";
import type { WidgetProps } from "../types";
import { EmptyState, WidgetCard } from "../widget-card";

export async function OpportunitiesWidget({ ctx, account, settings }: WidgetProps<WidgetSettings<"opportunities">>) {
  if (!ctx.viewer.seesOpportunities) return null;
  const opportunities = await opportunitiesUnder(ctx, account);
  return (
    <WidgetCard title={settings.title || "Opportunities"} id="opportunities">
      {opportunities.length === 0 ? (
        <EmptyState>No open opportunities.</EmptyState>
      ) : (
        <ul className="divide-y divide-slate-100">
          {opportunities.map((o) => (
            <li key={o.id} className="py-1.5 text-sm">
              <Link prefetch={false} href={`/accounts/${o.id}`} className="font-medium text-brand-700 hover:underline">
                {o.name}
              </Link>
              <p className="text-xs text-slate-600">
                {o.stage ?? "No stage"}
                {o.parentName && o.parentId !== account.id ? ` · on ${o.parentName}` : ""}
                {typeof o.amount === "number" ? ` · ${formatCurrency(o.amount)}` : ""}
              </p>
            </li>
          ))}
        </ul>
      )}
    </WidgetCard>
  );
}
