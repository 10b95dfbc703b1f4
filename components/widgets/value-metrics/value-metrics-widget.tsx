import Link from "next/link";
import { usageWindowFor, valueMetrics } from "@/lib/dal/usage";
import { formatDate, formatNumber } from "@/lib/format";
import { profileHref } from "@/lib/profile/query";
import type { WidgetSettings } from "@/lib/widgets/catalog";
import type { WidgetProps } from "../types";
import { WidgetCard } from "../widget-card";
import { explainHref } from "../parts/shared";
import { RankedList } from "../parts/ranked-list";

type Settings = WidgetSettings<"value_metrics">;

const PERIOD_CHOICES = [7, 30, 90, 365] as const;

export async function ValueMetricsWidget({ ctx, account, settings, query }: WidgetProps<Settings>) {
  // The URL's period wins once the user picks one; a custom from/to belongs to the Usage tab.
  const window = usageWindowFor({ ...query, from: undefined, to: undefined }, settings.periodDays);
  const metrics = await valueMetrics(ctx, account, window, 5);
  const lastDay = new Date(window.until.getTime() - 86_400_000);

  return (
    <WidgetCard
      title={settings.title || "Value metrics"}
      id="value-metrics"
      action={
        <nav aria-label="Value metrics period" className="flex gap-1 text-xs">
          {PERIOD_CHOICES.map((days) => (
            <Link prefetch={false}
              key={days}
              href={profileHref(account.id, query.raw, { period: String(days) })}
              aria-current={window.days === days ? "true" : undefined}
              className={
                window.days === days
                  ? "rounded bg-brand-700 px-1.5 py-0.5 font-medium text-white"
                  : "rounded px-1.5 py-0.5 text-brand-700 underline underline-offset-2 hover:bg-brand-50"
              }
            >
              {days}d
            </Link>
          ))}
        </nav>
      }
    >
      <p className="text-sm text-slate-700">
        <span className="font-semibold tabular-nums text-slate-900">{formatNumber(metrics.total)}</span> events in the last {window.days} days
        <span className="text-xs text-slate-600">
          {" "}
          ({formatDate(window.since)} – {formatDate(lastDay)})
        </span>
      </p>
      <div className="mt-3 grid gap-4">
        <RankedList
          title="Top users"
          unit="events"
          empty="No known end users were active in this period."
          rows={metrics.topUsers.map((u) => ({ id: u.contactId, name: u.name, href: `/contacts/${u.contactId}`, value: u.events }))}
        />
        <RankedList
          title="Top modules"
          unit="events"
          empty="No module usage in this period."
          rows={metrics.topModules.map((m) => ({ id: m.id, name: m.name, value: m.events }))}
        />
        <RankedList
          title="Top activities"
          unit="events"
          empty="No activity usage in this period."
          rows={metrics.topActivities.map((a) => ({ id: a.id, name: a.name, detail: a.moduleName, value: a.events }))}
        />
      </div>
      <div className="mt-3 flex flex-wrap items-center justify-between gap-2 text-xs text-slate-600">
        <span>
          {metrics.descendants > 0 ? (
            <>
              Rolled up from {formatNumber(metrics.descendants)} {metrics.descendants === 1 ? "account" : "accounts"} below.{" "}
              <Link prefetch={false} href={explainHref(account.id, "events_30d")} className="text-brand-700 underline underline-offset-2">
                Each sub-account&apos;s part (30 days)
              </Link>
            </>
          ) : (
            "This account's own usage."
          )}
        </span>
        <Link prefetch={false} href={profileHref(account.id, {}, { tab: "usage", period: query.raw.period })} className="text-brand-700 underline underline-offset-2">
          Open the Usage tab
        </Link>
      </div>
    </WidgetCard>
  );
}
