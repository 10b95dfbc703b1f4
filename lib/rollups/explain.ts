import "server-only";
import { sql } from "drizzle-orm";
import type { AccountSummary } from "@/lib/dal/accounts";
import { visibleAccount, type Ctx } from "@/lib/dal/viewer";
import { explainAttribute } from "./explain-attribute";
import { npsScore } from "@/lib/format";
import { archivedChildren, finish, n, outsideLine, plural, rows, type ExplainMetric, type LeftOut, type RollupExplanation } from "./explain-parts";
import { mrrOverrideSql } from "./mrr";

export type { Contribution, ExplainMetric, LeftOut, LeftOutReason, RollupExplanation } from "./explain-parts";

/*
 * "Explain this number": where a rolled-up value of a parent comes from. Reads only the parent's
 * row and its direct children's rows (O(children), never the subtree's raw data):
 * - the parent's own part (its own contracts, tickets...), when it has one;
 * - each visible child's part (its whole subtree), largest first, with its share;
 * - what is counted but not shown: children outside the viewer's access, folded into ONE line with
 *   a count and a combined value, never a name or an individual value;
 * - what is not counted and why: archived sub-accounts, accounts without a value, excluded
 *   contracts, opportunities' pipeline.
 * For additive metrics own + contributions + the counted left-out lines add up to `base`.
 * Each account metric is one entry of METRICS below; rolled-up attributes are explained by
 * explain-attribute.ts.
 */

type ChildRow = {
  id: string;
  name: string;
  type_name: string;
  is_opportunity: boolean;
  visible: boolean;
  descendants: number | null;
  mrr: string | null;
  open_tickets: number | null;
  urgent_tickets: number | null;
  nps_count: number | null;
  nps_promoters: number | null;
  nps_detractors: number | null;
  csat_count: number | null;
  csat_sum: number | null;
  health_good: number | null;
  health_average: number | null;
  health_poor: number | null;
  own_health: "good" | "average" | "poor" | null;
};

type ParentRow = {
  descendants: number;
  mrr: string;
  open_tickets: number;
  urgent_tickets: number;
  nps_count: number;
  nps_promoters: number;
  nps_detractors: number;
  csat_count: number;
  csat_sum: number;
  health_good: number;
  health_average: number;
  health_poor: number;
  own_mrr: string;
  own_open_tickets: number;
  own_nps_count: number;
  own_nps_promoters: number;
  own_nps_detractors: number;
  own_csat_count: number;
  own_csat_sum: number;
};

type AccountMetric = Exclude<ExplainMetric, `attribute:${string}`>;

/** What a metric's entry reads from: the parent's row, its live children, and what `load` added. */
type Facts = {
  ctx: Ctx;
  account: AccountSummary;
  parent: ParentRow;
  children: ChildRow[];
  now: Date;
  /** MRR: whether the own figure is an override, and the contracts that do not count. */
  mrr?: { overridden: boolean; excluded: number; excludedMrr: number };
  /** Usage: events of the last 30 days of the account and of each child, by account id. */
  events?: Map<string, number>;
};

type MetricEntry = {
  label: string;
  format: RollupExplanation["format"];
  /** What the parts count: "MRR", "responses", "rated accounts", "events"... */
  baseLabel: string;
  /** Extra reads the entry needs beyond the rollup rows. */
  load?: (facts: Facts) => Promise<Partial<Facts>>;
  /** How to read the total: the number shown, and what the parts add up to. */
  total: (facts: Facts) => { total: number | null; base: number; mix?: RollupExplanation["mix"] };
  /** How to read a part: a child's share of `base` (its whole subtree), with a short reading. */
  part: (child: ChildRow, facts: Facts) => number;
  detail?: (child: ChildRow) => string | null;
  /** The parent's own part, when it has one. */
  own: (facts: Facts) => { value: number; label: string } | null;
  /** How the folded line of children outside access states its value (null: not shown). */
  outside: (value: number) => string | null;
  /** Lines of what is not counted, between the outside-access line and the archived one. */
  notCounted?: (facts: Facts) => LeftOut[];
};

const money = (v: number) => `$${Math.round(v).toLocaleString("en-US")}`;
const count = (v: number) => v.toLocaleString("en-US");
const average = (sum: number, cnt: number) => (cnt ? Math.round((sum / cnt) * 100) / 100 : null);

/** A child's health mix: the accounts below it plus its own band. */
function childMix(c: ChildRow) {
  return {
    good: n(c.health_good) + (c.own_health === "good" ? 1 : 0),
    average: n(c.health_average) + (c.own_health === "average" ? 1 : 0),
    poor: n(c.health_poor) + (c.own_health === "poor" ? 1 : 0),
  };
}
const rated = (m: { good: number; average: number; poor: number }) => m.good + m.average + m.poor;

/** The account metrics that can be explained, in the order the explain page lists them. */
const METRICS: Record<AccountMetric, MetricEntry> = {
  mrr: {
    label: "MRR",
    format: "currency",
    baseLabel: "MRR",
    load: async ({ ctx, account }) => {
      const [own] = await rows<{ overridden: boolean; excluded: number; excluded_mrr: string | null }>(
        ctx,
        sql`select
          ${mrrOverrideSql(sql`${account.id}::uuid`)} is not null as overridden,
          (select count(*)::int from contracts c where c.account_id = ${account.id} and (c.excluded or not c.active)) as excluded,
          (select sum(c.mrr) from contracts c where c.account_id = ${account.id} and (c.excluded or not c.active)) as excluded_mrr`,
      );
      return { mrr: { overridden: Boolean(own?.overridden), excluded: n(own?.excluded), excludedMrr: n(own?.excluded_mrr) } };
    },
    total: ({ parent }) => ({ total: n(parent.mrr), base: n(parent.mrr) }),
    part: (c) => n(c.mrr),
    own: ({ parent, account, mrr }) =>
      n(parent.own_mrr) || mrr?.overridden
        ? { value: n(parent.own_mrr), label: mrr?.overridden ? `${account.name} itself (MRR override)` : `${account.name} itself (own contracts)` }
        : null,
    outside: money,
    notCounted: ({ account, children, mrr }) => {
      const lines: LeftOut[] = [];
      if (mrr?.excluded) {
        lines.push({
          reason: "excluded_contracts",
          label: `${plural(mrr.excluded, "excluded or inactive contract")} on ${account.name}: not counted`,
          accounts: null,
          value: mrr.excludedMrr,
          inTotal: false,
        });
      }
      const opportunities = children.filter((c) => c.visible && c.is_opportunity).length;
      if (opportunities) {
        lines.push({
          reason: "opportunities",
          label: `${plural(opportunities, "opportunity", "opportunities")}: pipeline amounts are not MRR (only active contracts count)`,
          accounts: opportunities,
          value: null,
          inTotal: false,
        });
      }
      return lines;
    },
  },
  open_tickets: {
    label: "Open tickets",
    format: "number",
    baseLabel: "open tickets",
    total: ({ parent }) => ({ total: n(parent.open_tickets), base: n(parent.open_tickets) }),
    part: (c) => n(c.open_tickets),
    detail: (c) => (n(c.urgent_tickets) ? `${n(c.urgent_tickets)} urgent` : null),
    own: ({ parent, account }) => (n(parent.own_open_tickets) ? { value: n(parent.own_open_tickets), label: `${account.name} itself` } : null),
    outside: count,
  },
  nps: {
    label: "NPS",
    format: "score",
    baseLabel: "responses",
    total: ({ parent }) => ({ total: npsScore({ responses: n(parent.nps_count), promoters: n(parent.nps_promoters), detractors: n(parent.nps_detractors) }), base: n(parent.nps_count) }),
    part: (c) => n(c.nps_count),
    detail: (c) => (n(c.nps_count) ? `NPS ${npsScore({ responses: n(c.nps_count), promoters: n(c.nps_promoters), detractors: n(c.nps_detractors) })}` : null),
    own: ({ parent, account }) =>
      n(parent.own_nps_count)
        ? { value: n(parent.own_nps_count), label: `${account.name} itself (NPS ${npsScore({ responses: n(parent.own_nps_count), promoters: n(parent.own_nps_promoters), detractors: n(parent.own_nps_detractors) })})` }
        : null,
    outside: (v) => plural(v, "response"),
  },
  csat: {
    label: "CSAT",
    format: "decimal",
    baseLabel: "responses",
    total: ({ parent }) => ({ total: average(n(parent.csat_sum), n(parent.csat_count)), base: n(parent.csat_count) }),
    part: (c) => n(c.csat_count),
    detail: (c) => (n(c.csat_count) ? `CSAT ${average(n(c.csat_sum), n(c.csat_count))}` : null),
    own: ({ parent, account }) =>
      n(parent.own_csat_count)
        ? { value: n(parent.own_csat_count), label: `${account.name} itself (CSAT ${average(n(parent.own_csat_sum), n(parent.own_csat_count))})` }
        : null,
    outside: (v) => plural(v, "response"),
  },
  health: {
    label: "Health mix",
    format: "number",
    baseLabel: "rated accounts",
    total: ({ parent }) => {
      const mix = { good: n(parent.health_good), average: n(parent.health_average), poor: n(parent.health_poor) };
      return { total: rated(mix), base: rated(mix), mix };
    },
    part: (c) => rated(childMix(c)),
    detail: (c) => {
      const m = childMix(c);
      return (["good", "average", "poor"] as const).filter((b) => m[b]).map((b) => `${m[b]} ${b}`).join(" · ") || null;
    },
    own: () => null,
    outside: (v) => plural(v, "rated account"),
    notCounted: ({ parent }) => {
      const unrated = n(parent.descendants) - (n(parent.health_good) + n(parent.health_average) + n(parent.health_poor));
      return unrated > 0 ? [{ reason: "no_health", label: `${plural(unrated, "account")} below without a health score yet`, accounts: unrated, value: null, inTotal: false }] : [];
    },
  },
  events_30d: {
    label: "Usage events, last 30 days",
    format: "number",
    baseLabel: "events",
    load: async ({ ctx, account, now }) => {
      const from = new Date(now.getTime() - 29 * 86_400_000).toISOString().slice(0, 10);
      const usage = await rows<{ account_id: string; events: string }>(
        ctx,
        sql`select u.account_id, sum(u.events)::bigint as events
          from usage_rollup_daily u
          where (u.account_id = ${account.id}
              or u.account_id in (select id from accounts where parent_id = ${account.id} and archived_at is null))
            and u.day >= ${from}::date and u.day <= ${now.toISOString().slice(0, 10)}::date
          group by u.account_id`,
      );
      return { events: new Map(usage.map((u) => [u.account_id, n(u.events)])) };
    },
    total: ({ account, events }) => {
      const total = events?.get(account.id) ?? 0;
      return { total, base: total };
    },
    part: (c, { events }) => events?.get(c.id) ?? 0,
    own: ({ account, children, events }) => {
      const ownEvents = (events?.get(account.id) ?? 0) - children.reduce((s, c) => s + (events?.get(c.id) ?? 0), 0);
      return ownEvents ? { value: ownEvents, label: `${account.name} itself` } : null;
    },
    outside: (v) => plural(v, "event"),
  },
};

export const EXPLAIN_METRICS: { metric: ExplainMetric; label: string }[] = (Object.keys(METRICS) as AccountMetric[]).map((metric) => ({
  metric,
  label: METRICS[metric].label,
}));

/**
 * Explains one rolled-up number of `account` (already checked visible for the viewer). Returns null
 * for an account without rollups (archived) or an attribute the viewer may not see or that is not
 * rolled up.
 */
export async function explainRollup(
  ctx: Ctx,
  account: AccountSummary,
  metric: ExplainMetric,
  options: { now?: Date } = {},
): Promise<RollupExplanation | null> {
  if (metric.startsWith("attribute:")) return explainAttribute(ctx, account, metric.slice("attribute:".length));
  const entry = METRICS[metric as AccountMetric];
  if (!entry) return null;

  const [parentRows, children, archived] = await Promise.all([
    rows<ParentRow>(ctx, sql`select * from account_rollups where account_id = ${account.id}`),
    rows<ChildRow>(
      ctx,
      sql`
      select a.id, a.name, t.name as type_name, t.is_opportunity,
        ${visibleAccount(ctx.viewer, sql`a.id`, sql`a.type_id`)} as visible,
        r.descendants, r.mrr, r.open_tickets, r.urgent_tickets, r.nps_count, r.nps_promoters, r.nps_detractors,
        r.csat_count, r.csat_sum, r.health_good, r.health_average, r.health_poor, r.own_health
      from accounts a
      join account_types t on t.id = a.type_id
      left join account_rollups r on r.account_id = a.id
      where a.parent_id = ${account.id} and a.archived_at is null`,
    ),
    archivedChildren(ctx, account.id),
  ]);
  const parent = parentRows[0];
  if (!parent) return null;
  let facts: Facts = { ctx, account, parent, children, now: options.now ?? new Date() };
  if (entry.load) facts = { ...facts, ...(await entry.load(facts)) };

  const { total, base, mix } = entry.total(facts);
  const leftOut: LeftOut[] = [];
  const outside = outsideLine(
    children.filter((c) => !c.visible).map((c) => ({ value: entry.part(c, facts), accounts: 1 + n(c.descendants) })),
    entry.outside,
  );
  if (outside) leftOut.push(outside);
  leftOut.push(...(entry.notCounted?.(facts) ?? []));
  if (archived.children) {
    leftOut.push({
      reason: "archived",
      label: `${plural(archived.children, "archived sub-account")}${archived.accounts > archived.children ? ` (${archived.accounts} accounts with those below)` : ""}: not counted`,
      accounts: archived.accounts,
      value: null,
      inTotal: false,
    });
  }
  return {
    metric,
    descendants: n(parent.descendants),
    label: entry.label,
    format: entry.format,
    total,
    base,
    baseLabel: entry.baseLabel,
    additive: true,
    own: entry.own(facts),
    ...(mix ? { mix } : {}),
    contributions: finish(
      children
        .filter((c) => c.visible)
        .map((c) => ({
          accountId: c.id,
          name: c.name,
          typeName: c.type_name,
          isOpportunity: c.is_opportunity,
          value: entry.part(c, facts),
          detail: entry.detail?.(c) ?? null,
        })),
      base,
      true,
    ),
    leftOut,
  };
}
