import Link from "next/link";
import { z } from "zod";
import { HealthBadge } from "@/components/health-badge";
import { lifecycleStatus } from "@/lib/dal/lifecycle";
import { childContributions, opportunitiesUnder, rollupOf } from "@/lib/dal/rollups";
import { formatCurrency, formatDate, formatNumber } from "@/lib/format";
import type { WidgetDefinition, WidgetProps } from "../types";
import { EmptyState, WidgetCard } from "../widget-card";

const noSettings = z.object({ title: z.string().max(80).optional() });
type Titled = z.infer<typeof noSettings>;

async function StatusWidget({ ctx, account, settings }: WidgetProps<Titled>) {
  const lifecycles = await lifecycleStatus(ctx, account);
  return (
    <WidgetCard title={settings.title || "Status"} id="status">
      {lifecycles.length === 0 ? (
        <EmptyState>No lifecycles are defined.</EmptyState>
      ) : (
        <ul className="space-y-3">
          {lifecycles.map((l) => (
            <li key={l.lifecycleKey}>
              <div className="flex items-baseline justify-between gap-2">
                <span className="text-xs font-medium text-slate-600 uppercase">{l.lifecycleName}</span>
                <span className="text-xs text-slate-500">{l.since ? `since ${formatDate(l.since)}` : ""}</span>
              </div>
              <p className="text-sm font-semibold" data-testid={`stage-${l.lifecycleKey}`}>
                {l.stageName ?? "Not started"}
                {l.stageArchived ? <span className="ml-2 rounded bg-slate-100 px-1.5 py-0.5 text-xs font-medium text-slate-700">Archived stage</span> : null}
              </p>
              <ol className="mt-1 flex gap-1" aria-label={`${l.lifecycleName} stages`}>
                {l.stages.map((s, i) => (
                  <li
                    key={s.key}
                    title={s.name}
                    aria-current={i === l.position ? "step" : undefined}
                    className={`h-1.5 flex-1 rounded ${l.position === null ? "bg-slate-200" : i < l.position ? "bg-brand-500" : i === l.position ? "bg-brand-700" : "bg-slate-200"}`}
                  >
                    <span className="sr-only">{s.name}</span>
                  </li>
                ))}
              </ol>
            </li>
          ))}
        </ul>
      )}
    </WidgetCard>
  );
}

async function HierarchyWidget({ ctx, account, settings }: WidgetProps<Titled>) {
  const children = await childContributions(ctx, account, 12);
  const rows = children.filter((c) => !c.isOpportunity);
  return (
    <WidgetCard title={settings.title || "Sub-accounts and parents"} id="hierarchy">
      {rows.length === 0 ? (
        <EmptyState>{account.typeName} has no sub-accounts{account.parentId ? "; use the breadcrumb to reach its parents" : ""}.</EmptyState>
      ) : (
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
                  <Link href={`/accounts/${c.id}`} className="text-brand-700 hover:underline">
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
      )}
    </WidgetCard>
  );
}

async function OpportunitiesWidget({ ctx, account, settings }: WidgetProps<Titled>) {
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
              <Link href={`/accounts/${o.id}`} className="font-medium text-brand-700 hover:underline">
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

async function RollupSummaryWidget({ ctx, account, settings }: WidgetProps<Titled>) {
  const rollup = await rollupOf(ctx, account);
  if (!rollup || rollup.descendants === 0) return null;
  const mrr = Number(rollup.mrr);
  const rated = rollup.healthGood + rollup.healthAverage + rollup.healthPoor;
  const nps = rollup.npsCount ? Math.round(((rollup.npsPromoters - rollup.npsDetractors) / rollup.npsCount) * 100) : null;
  const pct = (n: number) => (rated ? `${(n / rated) * 100}%` : "0%");
  return (
    <WidgetCard
      title={settings.title || "Rolled up"}
      id="rollup-summary"
      action={
        <span className="text-xs text-slate-600">
          from {formatNumber(rollup.descendants)} accounts below ·{" "}
          <Link href={`/accounts/${account.id}/explain?metric=mrr`} className="text-brand-700 underline">
            Explain
          </Link>
        </span>
      }
    >
      <dl className="grid grid-cols-2 gap-3 text-sm">
        <div>
          <dt className="text-xs text-slate-500">MRR</dt>
          <dd className="text-lg font-semibold tabular-nums" data-testid="rollup-mrr">
            {formatCurrency(mrr)}
          </dd>
        </div>
        <div>
          <dt className="text-xs text-slate-500">ARR</dt>
          <dd className="text-lg font-semibold tabular-nums">{formatCurrency(mrr * 12)}</dd>
        </div>
        <div>
          <dt className="text-xs text-slate-500">Open tickets</dt>
          <dd className="font-semibold tabular-nums">
            {formatNumber(rollup.openTickets)} {rollup.urgentTickets ? <span className="text-xs text-red-700">({rollup.urgentTickets} urgent)</span> : null}
          </dd>
        </div>
        <div>
          <dt className="text-xs text-slate-500">NPS</dt>
          <dd className="font-semibold tabular-nums">{nps === null ? "—" : nps}</dd>
        </div>
      </dl>
      <div className="mt-3">
        <p className="text-xs text-slate-500">Health of accounts below ({rated} rated)</p>
        <div className="mt-1 flex h-3 overflow-hidden rounded" role="img" aria-label={`${rollup.healthGood} good, ${rollup.healthAverage} average, ${rollup.healthPoor} poor`}>
          <div className="bg-good" style={{ width: pct(rollup.healthGood) }} />
          <div className="bg-average" style={{ width: pct(rollup.healthAverage) }} />
          <div className="bg-poor" style={{ width: pct(rollup.healthPoor) }} />
        </div>
        <p className="mt-1 flex gap-3 text-xs text-slate-600">
          <span>{rollup.healthGood} good</span>
          <span>{rollup.healthAverage} average</span>
          <span>{rollup.healthPoor} poor</span>
        </p>
      </div>
    </WidgetCard>
  );
}

export const hierarchyWidgets: WidgetDefinition[] = [
  { key: "status", title: "Status", description: "Current stage in every lifecycle, and since when.", zones: ["medium", "sidebar"], settings: noSettings, Component: StatusWidget },
  { key: "hierarchy", title: "Sub-accounts and parents", description: "Accounts directly below, with health and MRR.", zones: ["medium", "sidebar"], settings: noSettings, Component: HierarchyWidget, skeletonRows: 5 },
  { key: "opportunities", title: "Opportunities", description: "Opportunities below this account (teams allowed to see them only).", zones: ["medium", "sidebar"], settings: noSettings, Component: OpportunitiesWidget },
  { key: "rollup_summary", title: "Rolled up", description: "Totals of every account below: MRR, ARR, tickets, NPS, health mix.", zones: ["medium"], settings: noSettings, Component: RollupSummaryWidget },
];
