import Link from "next/link";
import { successPlans } from "@/lib/dal/activity";
import { formatDate } from "@/lib/format";
import { profileHref } from "@/lib/profile/query";
import type { WidgetSettings } from "@/lib/widgets/catalog";
import type { WidgetProps } from "../types";
import { EmptyState, WidgetCard } from "../widget-card";
import { ProgressBar } from "../parts/progress-bar";

/**
 * Sidebar: success plans (workflows) with a progress bar each. A plan's progress is the average of
 * its objectives' progress, which is what the label says.
 */
export async function SuccessPlansWidget({ ctx, account, settings }: WidgetProps<WidgetSettings<"success_plans">>) {
  const plans = await successPlans(ctx, account);
  return (
    <WidgetCard
      title={settings.title ?? "Success plans"}
      id="success-plans"
      action={
        <Link prefetch={false} href={profileHref(account.id, {}, { tab: "plan" })} className="text-xs text-brand-700 underline-offset-2 hover:underline">
          Plan
        </Link>
      }
    >
      {plans.length === 0 ? (
        <EmptyState>No active success plans.</EmptyState>
      ) : (
        <ul className="space-y-4">
          {plans.map((plan) => (
            <li key={plan.id} data-testid="success-plan">
              <div className="flex items-baseline justify-between gap-2">
                <span className="text-sm font-medium text-slate-900">{plan.name}</span>
                <span className="shrink-0 text-xs text-slate-600">
                  {plan.status === "completed" ? "Completed" : plan.dueDate ? `Due ${formatDate(plan.dueDate)}` : ""}
                </span>
              </div>
              <p className="mb-1 text-xs text-slate-600">Average progress of {plan.objectives.length} objective{plan.objectives.length === 1 ? "" : "s"}</p>
              <ProgressBar value={plan.progress} label={`${plan.name}: average objective progress`} />
              {settings.showObjectives && plan.objectives.length ? (
                <ul className="mt-2 space-y-1.5 border-l-2 border-slate-100 pl-3">
                  {plan.objectives.map((o) => (
                    <li key={o.id} className="text-xs">
                      <div className="flex justify-between gap-2 text-slate-700">
                        <span>{o.title}</span>
                        {o.dueDate ? <span className="shrink-0 text-slate-600">{formatDate(o.dueDate)}</span> : null}
                      </div>
                      <ProgressBar value={o.progress} label={`Objective ${o.title}`} size="sm" />
                    </li>
                  ))}
                </ul>
              ) : null}
            </li>
          ))}
        </ul>
      )}
    </WidgetCard>
  );
}
