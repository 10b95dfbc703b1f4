import { listUsageModules, usageSeries, usageWindowFor, type UsageSeries } from "@/lib/dal/usage";
import { isoDay, openAccountExport } from "@/lib/export/account-export";
import { exportFileName, type CsvColumn } from "@/lib/export/csv";
import { badQuery, csvResponse } from "@/lib/export/response";
import { PERIODS, parseProfileQuery } from "@/lib/profile/query";

export const dynamic = "force-dynamic";
export const runtime = "nodejs";

const PARAMS = ["period", "from", "to", "module", "tab"];
const DEFAULT_DAYS = 90; // the usage tab's default window

type UsageRow = { period: string; breakdown: string; series: string; events: number };

/**
 * The usage tab's numbers for its window and module filter, one row per period and series: events
 * by module, by activity and by end user (rolled up from the accounts below on a parent).
 */
export async function GET(request: Request, { params }: { params: Promise<{ id: string }> }) {
  const opened = await openAccountExport(request, (await params).id, PARAMS);
  if (!opened.ok) return opened.response;
  const { ctx, account, params: raw } = opened;
  if (raw.period !== undefined && !(PERIODS as readonly number[]).includes(Number(raw.period))) {
    return badQuery(`“period” must be one of ${PERIODS.join(", ")} (days).`);
  }
  for (const name of ["from", "to"] as const) {
    if (raw[name] && !isoDay(raw[name])) return badQuery(`“${name}” must be a date as YYYY-MM-DD.`);
  }
  const modules = await listUsageModules(ctx);
  if (raw.module && !modules.some((m) => m.key === raw.module)) {
    return badQuery(`Unknown module “${raw.module.slice(0, 40)}”. Allowed: ${modules.map((m) => m.key).join(", ")}.`);
  }
  const window = usageWindowFor(parseProfileQuery(raw), DEFAULT_DAYS);
  const series = await usageSeries(ctx, account, { ...window, moduleKey: raw.module, maxSeries: 50, maxUsers: 50 });
  const rowsOf = (breakdown: string, list: UsageSeries[]): UsageRow[] =>
    list.flatMap((s) => series.points.map((period, i) => ({ period, breakdown, series: s.label, events: s.values[i] ?? 0 })));
  const columns: CsvColumn<UsageRow>[] = [
    { header: series.bucket === "day" ? "Day" : "Week of", value: (r) => r.period },
    { header: "Breakdown", value: (r) => r.breakdown },
    { header: "Series", value: (r) => r.series },
    { header: "Events", value: (r) => r.events },
  ];
  async function* rows() {
    yield rowsOf("module", series.modules);
    yield rowsOf("activity", series.activities);
    yield rowsOf("user", series.users);
  }
  return csvResponse(exportFileName([account.name, "usage", raw.module ?? ""]), columns, rows());
}
