import { successUnitsOf } from "@/lib/dal/success-units";
import { formatDate } from "@/lib/format";
import { ADOPTION_WINDOW_DAYS } from "@/lib/success-units/constants";
import type { WidgetSettings } from "@/lib/widgets/catalog";
import type { WidgetProps } from "../types";
import { EmptyState, WidgetCard } from "../widget-card";
import { COLOUR_WORD, ColourCounts, TrafficDot } from "./traffic-light";

/**
 * The traffic-light strip: one light per rated usage module (active users in the last 30 days
 * against the admin's thresholds), and on a parent the counts per colour over it and below.
 */
export async function SuccessUnitsWidget({ ctx, account, settings }: WidgetProps<WidgetSettings<"success_units">>) {
  const { units, subtree, hasChildren } = await successUnitsOf(ctx, account);
  return (
    <WidgetCard title={settings.title || "Success units"} id="success-units">
      {units.length === 0 && !(hasChildren && subtree) ? (
        <EmptyState>No modules are rated here yet: admins set adoption thresholds per module on the usage data model page.</EmptyState>
      ) : (
        <div className="space-y-3">
          {units.length ? (
            <ul className="flex flex-wrap gap-2" aria-label="Adoption per module" data-testid="success-unit-strip">
              {units.map((u) => (
                <li
                  key={u.moduleKey}
                  className="inline-flex min-w-0 items-center gap-1.5 rounded-full border border-slate-200 px-2.5 py-1 text-xs"
                  title={`${u.activeUsers} active users in ${ADOPTION_WINDOW_DAYS} days; amber from ${u.amberMin}, green from ${u.greenMin}; ${COLOUR_WORD[u.colour].toLowerCase()} since ${formatDate(u.since)}`}
                  data-testid={`success-unit-${u.moduleKey}`}
                  data-colour={u.colour}
                >
                  <TrafficDot colour={u.colour} />
                  <span className="truncate font-medium text-slate-900">{u.moduleName}</span>
                  <span className="text-slate-600">
                    <span className="sr-only">{COLOUR_WORD[u.colour]}, </span>
                    {u.activeUsers} users
                  </span>
                </li>
              ))}
            </ul>
          ) : null}
          {hasChildren && subtree ? <ColourCounts counts={subtree} label="Success units here and below, per colour" /> : null}
          <p className="text-[11px] text-slate-600">Distinct active users per module in the last {ADOPTION_WINDOW_DAYS} days, against thresholds set by admins.</p>
        </div>
      )}
    </WidgetCard>
  );
}
