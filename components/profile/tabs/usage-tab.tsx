import Link from "next/link";
import { UsageTimeChart } from "@/components/charts/usage-time-chart-lazy";
import { EmptyState, WidgetCard } from "@/components/widgets/widget-card";
import { listUsageModules, topUsers, usageSeries, usageWindowFor, type UsageSeries, type UsageSeriesSet } from "@/lib/dal/usage";
import { formatDate, formatNumber } from "@/lib/format";
import { profileHref } from "@/lib/profile/query";
import type { TabProps } from "./types";
import { ScrollRegion } from "@/components/scroll-region";
import { DownloadCsvLink } from "@/components/download-csv-link";

const PERIOD_CHOICES = [7, 30, 90, 180, 365] as const;
const DEFAULT_DAYS = 90;
const DAY = 86_400_000;

const linkClass = "text-brand-700 underline underline-offset-2 hover:text-brand-600";
const chipClass = (active: boolean) =>
  active
    ? "rounded-full bg-brand-700 px-2.5 py-0.5 text-xs font-medium text-white"
    : "rounded-full border border-slate-300 px-2.5 py-0.5 text-xs text-brand-700 underline-offset-2 hover:bg-brand-50 hover:underline";

/** The export of the window and module the tab shows. */
function usageExportHref(accountId: string, window: { custom: boolean; days: number; since: Date }, lastDay: Date, moduleKey: string | undefined): string {
  const qs = new URLSearchParams(window.custom ? { from: isoDay(window.since), to: isoDay(lastDay) } : { period: String(window.days) });
  if (moduleKey) qs.set("module", moduleKey);
  return `/accounts/export/${accountId}/usage?${qs}`;
}

/**
 * Usage over time: by module, by activity (filterable by module), by end user, and the top users.
 * Everything the view depends on (period or from/to, module) is in the URL.
 */
export async function UsageTab({ ctx, account, query }: TabProps) {
  const window = usageWindowFor(query, DEFAULT_DAYS);
  const modules = await listUsageModules(ctx);
  // An unknown module in a pasted link shows every module instead of an empty chart.
  const moduleKey = modules.find((m) => m.key === query.raw.module)?.key;
  const [series, users] = await Promise.all([usageSeries(ctx, account, { ...window, moduleKey }), topUsers(ctx, account, window, 20)]);
  const lastDay = new Date(window.until.getTime() - DAY);
  const labels = pointLabels(series, window.since, lastDay);
  const bucketWord = series.bucket === "day" ? "daily" : "weekly";
  const range = `${formatDate(window.since)} – ${formatDate(lastDay)}`;
  const tab = query.tab ?? "usage";
  const moduleName = modules.find((m) => m.key === moduleKey)?.name;
  const partialWeeks = series.bucket === "week" ? partialWeekNote(window.since, window.until) : null;

  return (
    <div className="space-y-4">
      <div className="flex flex-wrap items-end justify-between gap-3 rounded-lg border border-slate-200 bg-white px-4 py-3">
        <div>
          <h2 className="text-base font-semibold text-slate-900">Usage</h2>
          <p className="text-sm text-slate-700">
            <span className="font-semibold tabular-nums">{formatNumber(series.total)}</span> events, {range} ({bucketWord})
          </p>
          {series.descendants > 0 ? (
            <p className="text-xs text-slate-600">
              Rolled up from {formatNumber(series.descendants)} {series.descendants === 1 ? "account" : "accounts"} below {account.name}.
            </p>
          ) : null}
          {series.total ? <DownloadCsvLink href={usageExportHref(account.id, window, lastDay, moduleKey)} className="mt-1 inline-block" /> : null}
        </div>
        <div className="flex flex-wrap items-end gap-4">
          <nav aria-label="Usage period" className="flex flex-wrap items-center gap-1">
            <span className="mr-1 text-xs text-slate-600">Last</span>
            {PERIOD_CHOICES.map((days) => {
              const active = !window.custom && window.days === days;
              return (
                <Link prefetch={false}
                  key={days}
                  href={profileHref(account.id, query.raw, { tab, period: String(days), from: undefined, to: undefined })}
                  aria-current={active ? "true" : undefined}
                  className={chipClass(active)}
                >
                  {days} days
                </Link>
              );
            })}
          </nav>
          <form method="get" action={`/accounts/${account.id}`} className="flex flex-wrap items-end gap-2" aria-label="Custom date range">
            <input type="hidden" name="tab" value={tab} />
            {moduleKey ? <input type="hidden" name="module" value={moduleKey} /> : null}
            <label className="flex flex-col text-xs text-slate-700">
              From
              <input
                type="date"
                name="from"
                defaultValue={isoDay(window.since)}
                className="rounded border border-slate-300 px-2 py-1 text-sm text-slate-900"
              />
            </label>
            <label className="flex flex-col text-xs text-slate-700">
              To
              <input type="date" name="to" defaultValue={isoDay(lastDay)} className="rounded border border-slate-300 px-2 py-1 text-sm text-slate-900" />
            </label>
            <button type="submit" className="rounded bg-brand-700 px-3 py-1.5 text-sm font-medium text-white hover:bg-brand-600">
              Apply range
            </button>
            {window.custom ? (
              <Link prefetch={false} href={profileHref(account.id, query.raw, { from: undefined, to: undefined })} className={`text-sm ${linkClass}`}>
                Clear range
              </Link>
            ) : null}
          </form>
        </div>
      </div>

      {series.total === 0 ? (
        <WidgetCard title="Events by module" id="usage-modules">
          <EmptyState>No usage was recorded for this account in {range}. Try a longer period.</EmptyState>
        </WidgetCard>
      ) : (
        <div className="grid grid-cols-1 gap-4 xl:grid-cols-2">
          <WidgetCard title="Events by module" id="usage-modules">
            <UsageTimeChart
              kind="area"
              points={series.points}
              pointLabels={labels}
              series={series.modules}
              summary={chartSummary("Events by module", bucketWord, range, series.modules)}
            />
            <SeriesTotals series={series.modules} />
            {partialWeeks ? <p className="mt-1 text-xs text-slate-600">{partialWeeks}</p> : null}
          </WidgetCard>

          <WidgetCard title={moduleName ? `Events by activity in ${moduleName}` : "Events by activity"} id="usage-activities">
            <nav aria-label="Filter activities by module" className="mb-2 flex flex-wrap gap-1">
              <Link prefetch={false}
                href={profileHref(account.id, query.raw, { tab, module: undefined })}
                aria-current={!moduleKey ? "true" : undefined}
                className={chipClass(!moduleKey)}
              >
                All modules
              </Link>
              {modules.map((m) => (
                <Link prefetch={false}
                  key={m.key}
                  href={profileHref(account.id, query.raw, { tab, module: m.key })}
                  aria-current={m.key === moduleKey ? "true" : undefined}
                  className={chipClass(m.key === moduleKey)}
                >
                  {m.name}
                </Link>
              ))}
            </nav>
            {series.activities.length ? (
              <>
                <UsageTimeChart
                  kind="area"
                  points={series.points}
                  pointLabels={labels}
                  series={series.activities}
                  summary={chartSummary(moduleName ? `Events by activity in ${moduleName}` : "Events by activity", bucketWord, range, series.activities)}
                />
                <SeriesTotals series={series.activities} />
              </>
            ) : (
              <EmptyState>No activity in {moduleName ?? "any module"} in this period.</EmptyState>
            )}
          </WidgetCard>

          <WidgetCard title="Events by user" id="usage-users">
            {series.users.length ? (
              <>
                <UsageTimeChart
                  kind="line"
                  points={series.points}
                  pointLabels={labels}
                  series={series.users}
                  summary={chartSummary(`Events of the ${series.users.length} most active users`, bucketWord, range, series.users)}
                />
                <SeriesTotals series={series.users} />
              </>
            ) : (
              <EmptyState>No known end users were active in this period.</EmptyState>
            )}
          </WidgetCard>

          <WidgetCard title="Top users" id="usage-top-users">
            {users.length ? (
              <ScrollRegion label="Top users">
                <table className="w-full text-sm">
                  <caption className="sr-only">Top users by events, {range}</caption>
                  <thead>
                    <tr className="border-b border-slate-200 text-left text-xs text-slate-600">
                      <th scope="col" className="py-1 pr-2 font-medium">
                        Name
                      </th>
                      <th scope="col" className="py-1 pr-2 text-right font-medium">
                        Events
                      </th>
                      <th scope="col" className="py-1 text-right font-medium">
                        Last active
                      </th>
                    </tr>
                  </thead>
                  <tbody>
                    {users.map((u) => (
                      <tr key={u.contactId} className="border-b border-slate-100 last:border-0">
                        <td className="py-1 pr-2">
                          <Link prefetch={false} href={`/contacts/${u.contactId}`} className={linkClass}>
                            {u.name}
                          </Link>
                        </td>
                        <td className="py-1 pr-2 text-right tabular-nums">{formatNumber(u.events)}</td>
                        <td className="py-1 text-right text-slate-700">{formatDate(u.lastActive)}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </ScrollRegion>
            ) : (
              <EmptyState>No known end users were active in this period.</EmptyState>
            )}
          </WidgetCard>
        </div>
      )}
    </div>
  );
}

function SeriesTotals({ series }: { series: UsageSeries[] }) {
  return (
    <p className="mt-2 text-xs text-slate-600">
      Totals:{" "}
      {series.map((s, i) => (
        <span key={s.key}>
          {i ? " · " : ""}
          {s.label} <span className="tabular-nums text-slate-800">{formatNumber(s.total)}</span>
        </span>
      ))}
    </p>
  );
}

function chartSummary(what: string, bucketWord: string, range: string, series: UsageSeries[]): string {
  const totals = series.map((s) => `${s.label} ${formatNumber(s.total)}`).join("; ");
  return `${what}, ${bucketWord}, ${range}${totals ? `: ${totals}` : ""}`;
}

/** Short axis labels: day and month, with the year when the window spans two years. */
function pointLabels(series: UsageSeriesSet, since: Date, lastDay: Date): string[] {
  const withYear = since.getUTCFullYear() !== lastDay.getUTCFullYear();
  const format = new Intl.DateTimeFormat("en-GB", { day: "numeric", month: "short", ...(withYear ? { year: "2-digit" } : {}), timeZone: "UTC" });
  return series.points.map((p) => format.format(new Date(`${p}T00:00:00Z`)));
}

/** Weekly points start on Mondays; a window that does not starts or ends mid-week. */
function partialWeekNote(since: Date, until: Date): string | null {
  const firstPartial = since.getUTCDay() !== 1;
  const lastPartial = until.getUTCDay() !== 1;
  if (firstPartial && lastPartial) return "Weeks start on Monday; the first and last weeks are partial.";
  if (firstPartial) return "Weeks start on Monday; the first week is partial.";
  if (lastPartial) return "Weeks start on Monday; the last week is partial.";
  return null;
}

function isoDay(date: Date): string {
  return date.toISOString().slice(0, 10);
}
