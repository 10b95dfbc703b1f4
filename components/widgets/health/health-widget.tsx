import Link from "next/link";
import { HealthGridChart, type HealthGridWeek } from "@/components/charts/health-grid-chart";
import { HealthTrendChart } from "@/components/charts/health-trend-chart";
import { markup, type Markup } from "@/components/charts/markup";
import { BAND_COLORS } from "@/components/charts/palette";
import { HealthBadge } from "@/components/health-badge";
import { healthHistory, healthOf, summarizeWeeks, type HealthMix, type HealthWeek } from "@/lib/dal/health";
import { formatCurrency, formatDate, formatNumber } from "@/lib/format";
import type { WidgetSettings } from "@/lib/widgets/catalog";
import type { WidgetProps } from "../types";
import { EmptyState, WidgetCard } from "../widget-card";
import { explainHref } from "../parts/shared";

type Settings = WidgetSettings<"health">;

export async function HealthWidget({ ctx, account, settings }: WidgetProps<Settings>) {
  const [health, weeks] = await Promise.all([healthOf(ctx, account), healthHistory(ctx, account, settings.weeks)]);
  const summary = summarizeWeeks(weeks);
  const gridWeeks: HealthGridWeek[] = weeks.map((w) => ({
    weekStart: w.weekStart,
    label: formatDate(w.weekStart),
    score: w.score,
    band: w.band,
    upsell: w.upsell,
    upsellLabel: w.upsell ? (w.upsellAmount != null ? formatCurrency(w.upsellAmount) : "amount not recorded") : null,
    scoredWith: scoredWith(w),
  }));
  const gridSummary =
    `${summary.weeks} weeks: ${summary.good} good, ${summary.average} average, ${summary.poor} poor` +
    `${summary.missing ? `, ${summary.missing} without a snapshot` : ""}; ` +
    `${summary.upsells} ${summary.upsells === 1 ? "upsell" : "upsells"}${summary.upsells ? ` (${formatCurrency(summary.upsellTotal)})` : ""}`;
  const scored = weeks.filter((w) => w.score != null);
  const trendSummary = scored.length
    ? `Overall health score over ${weeks.length} weeks: from ${Math.round(scored[0].score!)} in the week of ${formatDate(scored[0].weekStart)} to ${Math.round(scored[scored.length - 1].score!)} in the week of ${formatDate(scored[scored.length - 1].weekStart)}`
    : "No health scores in this period";

  return (
    <WidgetCard title={settings.title || "Health"} id="health">
      {health.latest ? (
        <div className="flex flex-wrap items-start gap-x-6 gap-y-3">
          <div>
            <p className="text-xs text-slate-600">Overall</p>
            <p className="flex items-center gap-2">
              <span className="text-3xl font-semibold tabular-nums text-slate-900">{Math.round(health.latest.score)}</span>
              <HealthBadge band={health.latest.band} empty="No data" />
            </p>
            <p className="text-xs text-slate-600">
              Week of {formatDate(health.latest.weekStart)}
              {health.latest.source === "external" ? (
                <span className="ml-1.5 rounded bg-slate-100 px-1.5 py-0.5 font-medium text-slate-700" data-testid="health-external">
                  External
                </span>
              ) : health.latest.source === "children" ? (
                <span className="ml-1.5 rounded bg-slate-100 px-1.5 py-0.5 font-medium text-slate-700">From accounts below</span>
              ) : health.latest.schemeVersion != null ? (
                <span className="ml-1.5" data-testid="health-scheme-version">· scheme v{health.latest.schemeVersion}</span>
              ) : null}
            </p>
          </div>
          {health.dimensions.length ? (
            <dl className="grid grid-cols-[max-content_max-content] content-start items-center gap-x-4 gap-y-1 text-sm">
              {health.dimensions.map((d) => (
                <div key={d.key} className="contents">
                  <dt className="text-slate-700">{d.label}</dt>
                  <dd>
                    <HealthBadge band={d.band} score={d.score} empty="No data" />
                  </dd>
                </div>
              ))}
            </dl>
          ) : null}
        </div>
      ) : (
        <EmptyState>No health snapshot yet for this account.</EmptyState>
      )}

      {scored.length === 0 ? (
        health.mix ? <HealthMixBar mix={health.mix} accountId={account.id} /> : null
      ) : (
      <>
      <h3 className="mt-4 text-xs font-semibold uppercase tracking-wide text-slate-600">Last {weeks.length} weeks</h3>
      <HealthGridChart weeks={gridWeeks} summary={gridSummary} />
      <GridLegend />
      <div dangerouslySetInnerHTML={weeklyTable(gridWeeks)} />
      <p className="mt-1 text-xs text-slate-600">{gridSummary}</p>

      <h3 className="mt-4 mb-2 text-xs font-semibold uppercase tracking-wide text-slate-600">Overall score trend</h3>
      <HealthTrendChart
        points={weeks.map((w) => ({ weekStart: w.weekStart, label: formatDate(w.weekStart), score: w.score }))}
        thresholds={health.thresholds}
        summary={trendSummary}
      />

      {health.mix ? <HealthMixBar mix={health.mix} accountId={account.id} /> : null}
      </>
      )}
    </WidgetCard>
  );
}

/** The grid's weeks as a table for screen readers: one markup string, like the drawings (components/charts/markup.ts). */
function weeklyTable(weeks: HealthGridWeek[]): Markup {
  const rows = weeks.map(
    (w) =>
      markup`<tr><td>${w.label}</td><td>${w.band ?? "no snapshot"}</td><td>${w.score != null ? Math.round(w.score) : "—"}</td><td>${w.scoredWith ?? "—"}</td><td>${w.upsellLabel ?? "—"}</td></tr>`,
  );
  return markup`<table class="sr-only"><caption>Weekly health, last ${weeks.length} weeks</caption><thead><tr><th scope="col">Week of</th><th scope="col">Band</th><th scope="col">Score</th><th scope="col">Scored with</th><th scope="col">Upsell</th></tr></thead><tbody>${rows}</tbody></table>`;
}

function scoredWith(week: HealthWeek): string | null {
  if (!week.band) return null;
  if (week.source === "external") return "an external score";
  if (week.source === "children") return `the accounts below${week.schemeVersion != null ? ` (scheme v${week.schemeVersion})` : ""}`;
  return week.schemeVersion != null ? `scheme v${week.schemeVersion}` : null;
}

function GridLegend() {
  const items = [
    { label: "Good", color: BAND_COLORS.good },
    { label: "Average", color: BAND_COLORS.average },
    { label: "Poor", color: BAND_COLORS.poor },
    { label: "No snapshot", color: BAND_COLORS.none },
  ];
  return (
    <ul className="mt-1 flex flex-wrap gap-x-3 gap-y-1 text-xs text-slate-700" aria-label="Grid legend">
      {items.map((item) => (
        <li key={item.label} className="flex items-center gap-1">
          <span aria-hidden="true" className="inline-block h-2.5 w-2.5 rounded-sm" style={{ background: item.color }} />
          {item.label}
        </li>
      ))}
      <li className="flex items-center gap-1">
        <span aria-hidden="true" className="font-bold text-green-900">
          $
        </span>
        Upsell
      </li>
    </ul>
  );
}

function HealthMixBar({ mix, accountId }: { mix: HealthMix; accountId: string }) {
  // Accounts below without a snapshot (opportunities, brand-new accounts) have no band to count.
  const scored = mix.good + mix.average + mix.poor;
  const parts = [
    { key: "good", label: "good", n: mix.good, color: BAND_COLORS.good },
    { key: "average", label: "average", n: mix.average, color: BAND_COLORS.average },
    { key: "poor", label: "poor", n: mix.poor, color: BAND_COLORS.poor },
  ].filter((p) => p.n > 0);
  return (
    <div className="mt-4 border-t border-slate-100 pt-3">
      <h3 className="text-xs font-semibold uppercase tracking-wide text-slate-600">Accounts below</h3>
      <div className="mt-1 flex h-3 w-full overflow-hidden rounded-full bg-slate-100" aria-hidden="true">
        {parts.map((p) => (
          <span key={p.key} style={{ width: `${(p.n / scored) * 100}%`, background: p.color }} />
        ))}
      </div>
      <p className="mt-1 text-sm text-slate-800">
        {parts.map((p, i) => (
          <span key={p.key}>
            {i ? " · " : ""}
            <span className="font-medium tabular-nums">{formatNumber(p.n)}</span> {p.label}
          </span>
        ))}
      </p>
      <p className="text-xs text-slate-600">
        Rolled up from the latest weekly snapshots of {formatNumber(scored)} accounts below.{" "}
        <Link prefetch={false} href={explainHref(accountId, "health")} className="text-brand-700 underline underline-offset-2">
          Explain the mix
        </Link>
      </p>
    </div>
  );
}
