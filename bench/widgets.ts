/**
 * Where a profile request's database time goes: the data-layer calls of the page shell and of each
 * widget of the default Overview layout (lib/layouts/defaults.ts), timed one widget at a time with
 * the app's own DAL functions, for one account. The DAL files `import "server-only"`, which throws
 * outside a React server build: `allowServerOnly()` points it at the package's empty module first
 * (as the tests' alias does). As a script: `DATABASE_URL=… npx tsx bench/widgets.ts [ids…]`.
 *
 * Keep WIDGET_CALLS in step with the widgets' components (components/widgets/**): each entry makes
 * the same calls with the same settings defaults as the component does.
 */
import path from "node:path";
import { sql } from "drizzle-orm";
import { openDatabase } from "@/db/client";
import { allowServerOnly } from "@/db/seed/allow-server-only";
import { median, percentile } from "./load";

/** Makes `import "server-only"` resolve to the package's empty module in this process (shared with the seed CLI). */
export { allowServerOnly };

type Ctx = import("@/lib/dal/viewer").Ctx;
type Account = import("@/lib/dal/accounts").AccountSummary;
type Call = (ctx: Ctx, account: Account) => Promise<unknown>;

async function calls(): Promise<Record<string, Call>> {
  allowServerOnly();
  const [accounts, attributes, activity, timeline, assets, people, contacts, revenue, support, usage, health, lifecycle, rollups, layouts, quick, query] =
    await Promise.all([
      import("@/lib/dal/accounts"),
      import("@/lib/dal/attributes"),
      import("@/lib/dal/activity"),
      import("@/lib/dal/timeline"),
      import("@/lib/dal/assets"),
      import("@/lib/dal/people"),
      import("@/lib/dal/contacts"),
      import("@/lib/dal/revenue"),
      import("@/lib/dal/support"),
      import("@/lib/dal/usage"),
      import("@/lib/dal/health"),
      import("@/lib/dal/lifecycle"),
      import("@/lib/dal/rollups"),
      import("@/lib/layouts/choose"),
      import("@/lib/dal/quick-actions"),
      import("@/lib/profile/query"),
    ]);
  const profileQuery = query.parseProfileQuery({});
  return {
    "(page) breadcrumb, children, layout": (ctx, a) =>
      Promise.all([accounts.ancestorsOf(ctx, a), accounts.childrenOf(ctx, a.id, { limit: 100 }), layouts.chooseLayout(ctx, a)]),
    "(page) quick actions": (ctx, a) => quick.quickActionsData(ctx, a),
    header: (ctx, a) => attributes.keyInfoOf(ctx, a),
    status: (ctx, a) => lifecycle.lifecycleStatus(ctx, a),
    health: (ctx, a) => Promise.all([health.healthOf(ctx, a), health.healthHistory(ctx, a, 52)]),
    rollup_summary: (ctx, a) => rollups.rollupOf(ctx, a),
    hierarchy: (ctx, a) => rollups.childContributions(ctx, a, 12),
    opportunities: (ctx, a) => rollups.opportunitiesUnder(ctx, a),
    value_metrics: (ctx, a) => usage.valueMetrics(ctx, a, usage.usageWindowFor({ ...profileQuery, from: undefined, to: undefined }, 30), 5),
    revenue_summary: (ctx, a) => revenue.revenueSummary(ctx, a),
    support: (ctx, a) => support.supportSummary(ctx, a),
    nps: (ctx, a) => support.npsSummary(ctx, a),
    csat: (ctx, a) => support.csatSummary(ctx, a),
    leaderboards: async (ctx, a) => {
      const window = usage.lastDays(30);
      const board = await usage.childLeaderboard(ctx, a, window, 5);
      return board.children === 0 ? usage.topUsers(ctx, a, window, 5) : board;
    },
    about: (ctx, a) => attributes.aboutOf(ctx, a),
    collection: (ctx, a) => attributes.collectionOf(ctx, a, "crm_opportunities"),
    open_tasks: (ctx, a) => activity.openTasks(ctx, a, 5),
    timeline_latest: (ctx, a) => timeline.latestTimeline(ctx, a, 8),
    assignment: (ctx, a) => Promise.all([people.assignedMembers(ctx, a), people.viewerWorkingLevels(ctx, a)]),
    contacts: (ctx, a) => contacts.contactsOfAccount(ctx, a, 12),
    assets: (ctx, a) => assets.assetsOf(ctx, a, { limit: 5 }),
    tags: (ctx, a) => attributes.tagsOf(ctx, a),
    campaigns: (ctx, a) => activity.campaignsSummary(ctx, a, 5),
    success_plans: (ctx, a) => activity.successPlans(ctx, a),
  };
}

export type WidgetTiming = { median_ms: number; p95_ms: number };

/**
 * Median and p95 time of each widget's calls for each account, `runs` times each (after 3 warm-up
 * runs), as `email` sees them. Widgets a type's layout leaves out (rollup_summary on products) are
 * timed anyway: the point is to see which reads grow with the subtree.
 */
export async function profileWidgets(
  url: string,
  accountIds: Record<string, string>,
  options: { email?: string; runs?: number } = {},
): Promise<Record<string, Record<string, WidgetTiming>>> {
  const runs = options.runs ?? 15;
  const handle = await openDatabase({ driver: "pg", url, poolSize: 4 });
  try {
    allowServerOnly();
    const { loadViewer } = await import("@/lib/dal/viewer");
    const { findAccount } = await import("@/lib/dal/accounts");
    const db = handle.db;
    const { rows } = await db.execute<{ id: string }>(sql`select id from users where lower(email) = ${options.email ?? "leader@demo.test"}`);
    if (!rows.length) throw new Error(`widget timing: no user ${options.email ?? "leader@demo.test"}`);
    const viewer = await loadViewer(db, String(rows[0].id));
    if (!viewer) throw new Error("widget timing: could not load the viewer");
    const ctx: Ctx = { db, viewer };
    const table = await calls();
    const out: Record<string, Record<string, WidgetTiming>> = {};
    for (const [label, id] of Object.entries(accountIds)) {
      const account = await findAccount(ctx, id);
      if (!account) throw new Error(`widget timing: account ${id} not found or not visible`);
      out[label] = {};
      for (const [widget, call] of Object.entries(table)) {
        const times: number[] = [];
        for (let i = 0; i < runs + 3; i++) {
          const t0 = performance.now();
          await call(ctx, account);
          if (i >= 3) times.push(performance.now() - t0);
        }
        const sorted = times.sort((a, b) => a - b);
        out[label][widget] = { median_ms: round(median(sorted)), p95_ms: round(percentile(sorted, 95)) };
      }
    }
    return out;
  } finally {
    await handle.close();
  }
}

function round(n: number): number {
  return Math.round(n * 100) / 100;
}

export function widgetTable(timings: Record<string, Record<string, WidgetTiming>>): string {
  const labels = Object.keys(timings);
  const widgets = Object.keys(timings[labels[0]] ?? {});
  const width = Math.max(...widgets.map((w) => w.length), 6);
  const lines = [`  ${"widget".padEnd(width)}  ${labels.map((l) => `${l} ms`.padStart(10)).join("  ")}`];
  for (const w of widgets) {
    lines.push(`  ${w.padEnd(width)}  ${labels.map((l) => timings[l][w].median_ms.toFixed(2).padStart(10)).join("  ")}`);
  }
  return lines.join("\n");
}

// As a script: time the widgets of the large set's leaf, division and root (or the ids given).
async function main(): Promise<void> {
  const url = process.env.DATABASE_URL;
  if (!url) {
    console.error("widgets: set DATABASE_URL to the large data set's database");
    process.exitCode = 2;
    return;
  }
  const ids = process.argv.slice(2);
  const { LARGE_IDS } = await import("./accounts");
  const accountIds = ids.length ? Object.fromEntries(ids.map((id, i) => [`#${i + 1}`, id])) : LARGE_IDS;
  const timings = await profileWidgets(url, accountIds, { runs: Number(process.env.RUNS ?? 15) });
  console.log(widgetTable(timings));
}

if (process.argv[1] && /widgets\.ts$/.test(process.argv[1])) {
  main().catch((error) => {
    console.error(error);
    process.exitCode = 1;
  });
}
