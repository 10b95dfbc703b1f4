import Link from "next/link";
import { rollupOf } from "@/lib/dal/rollups";
import { formatCurrency, formatNumber } from "@/lib/format";
import type { WidgetSettings } from "@/lib/widgets/catalog";
import type { WidgetProps } from "../types";
import { WidgetCard } from "../widget-card";

export async function RollupSummaryWidget({ ctx, account, settings }: WidgetProps<WidgetSettings<"rollup_summary">>) {
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
          <Link prefetch={false} href={`/accounts/${account.id}/explain?metric=mrr`} className="text-brand-700 underline">
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
