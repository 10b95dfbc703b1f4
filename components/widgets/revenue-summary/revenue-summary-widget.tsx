import Link from "next/link";
import { revenueSummary } from "@/lib/dal/revenue";
import { formatCurrency } from "@/lib/format";
import { profileHref } from "@/lib/profile/query";
import type { WidgetProps } from "../types";
import { WidgetCard } from "../widget-card";
import { Figure, RolledUpNote } from "../parts/shared";

/**
 * MRR and ARR (12 × MRR) from active, non-excluded contracts, or the manual override shown as such
 * next to the computed value. Parent accounts show the rolled-up MRR of everything below.
 */
export async function RevenueSummaryWidget({ ctx, account, settings }: WidgetProps<{ title?: string }>) {
  const revenue = await revenueSummary(ctx, account);
  const details = (
    <Link prefetch={false} href={profileHref(account.id, {}, { tab: "revenue" })} className="text-xs text-brand-700 underline">
      Revenue tab
    </Link>
  );
  return (
    <WidgetCard title={settings.title ?? "Revenue"} id="revenue-summary" action={details}>
      {revenue.rollup ? (
        <div className="space-y-3">
          <div className="flex flex-wrap items-center gap-2">
            <RolledUpNote descendants={revenue.rollup.descendants} explain={{ accountId: account.id, metric: "mrr" }} />
          </div>
          <dl className="grid grid-cols-2 gap-3">
            <Figure label="MRR (rolled up)" value={formatCurrency(revenue.rollup.mrr)} testId="revenue-mrr" />
            <Figure label="ARR (rolled up)" value={formatCurrency(revenue.rollup.arr)} testId="revenue-arr" />
          </dl>
          {revenue.override !== null || revenue.computedMrr > 0 ? (
            <p className="text-xs text-slate-600">
              This account’s own MRR: {formatCurrency(revenue.mrr)}
              {revenue.override !== null ? ` (override; computed: ${formatCurrency(revenue.computedMrr)})` : ""}
            </p>
          ) : null}
        </div>
      ) : (
        <dl className="grid grid-cols-2 gap-3">
          {revenue.override !== null ? (
            <Figure
              label="MRR"
              value={
                <>
                  {formatCurrency(revenue.override)}{" "}
                  <span className="rounded bg-amber-100 px-1.5 py-0.5 align-middle text-xs font-medium text-amber-900" data-testid="mrr-override">
                    Override
                  </span>
                </>
              }
              hint={<span data-testid="mrr-computed">computed: {formatCurrency(revenue.computedMrr)}</span>}
              testId="revenue-mrr"
            />
          ) : (
            <Figure
              label="MRR"
              value={formatCurrency(revenue.computedMrr)}
              hint={`from ${revenue.contractCount} active ${revenue.contractCount === 1 ? "contract" : "contracts"}`}
              testId="revenue-mrr"
            />
          )}
          <Figure label="ARR" value={formatCurrency(revenue.arr)} hint="12 × MRR" testId="revenue-arr" />
        </dl>
      )}
    </WidgetCard>
  );
}
