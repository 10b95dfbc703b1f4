import "server-only";
import { sql } from "drizzle-orm";
import { npsScore } from "@/lib/format";
import { canSeePrivileged, type AccountSummary } from "@/lib/dal/accounts";
import { visibleAccount, type Ctx } from "@/lib/dal/viewer";
import { rolledUpValue, type RollupRule } from "./maintain";

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
 */

export type ExplainMetric = "mrr" | "open_tickets" | "nps" | "csat" | "health" | "events_30d" | `attribute:${string}`;

export const EXPLAIN_METRICS: { metric: ExplainMetric; label: string }[] = [
  { metric: "mrr", label: "MRR" },
  { metric: "open_tickets", label: "Open tickets" },
  { metric: "nps", label: "NPS" },
  { metric: "csat", label: "CSAT" },
  { metric: "health", label: "Health mix" },
  { metric: "events_30d", label: "Usage events, last 30 days" },
];

export type Contribution = {
  accountId: string;
  name: string;
  typeName: string;
  isOpportunity: boolean;
  /** The child's part of `base` (for min/max: the child subtree's min/max). */
  value: number;
  /** value / base, 0..1; null where parts do not add up (min/max). */
  share: number | null;
  /** A short reading of the child's own figure, e.g. "NPS 40" or "2 good · 1 poor". */
  detail: string | null;
};

export type LeftOutReason =
  | "outside_access"
  | "privileged"
  | "archived"
  | "no_value"
  | "no_health"
  | "excluded_contracts"
  | "opportunities";

export type LeftOut = {
  reason: LeftOutReason;
  label: string;
  accounts: number | null;
  value: number | null;
  /** True when the value IS in the total, just not shown account by account (e.g. outside access). */
  inTotal: boolean;
};

export type RollupExplanation = {
  metric: ExplainMetric;
  label: string;
  format: "currency" | "number" | "score" | "decimal";
  /** The number shown on the profile (null when there is nothing to show). */
  total: number | null;
  /** What the parts add up to: own + contributions + left-out lines marked inTotal. */
  base: number;
  /** What the parts count: "MRR", "responses", "rated accounts", "events", "values"... */
  baseLabel: string;
  /** False for min/max: the parts are candidates, the total is the extreme among them. */
  additive: boolean;
  own: { value: number; label: string } | null;
  contributions: Contribution[];
  leftOut: LeftOut[];
  /** Non-archived accounts strictly below (all of them, visible or not). */
  descendants: number;
  /** For health: the mix behind the total. */
  mix?: { good: number; average: number; poor: number };
};

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

async function rows<T>(ctx: Ctx, query: ReturnType<typeof sql>): Promise<T[]> {
  return ((await ctx.db.execute(query)) as unknown as { rows: T[] }).rows;
}

const n = (v: unknown): number => (v === null || v === undefined ? 0 : Number(v));

function plural(count: number, one: string, many = `${one}s`): string {
  return `${count} ${count === 1 ? one : many}`;
}

/** Sorted contributions with shares; min sorts ascending, everything else descending. */
function finish(parts: Omit<Contribution, "share">[], base: number, additive: boolean, ascending = false): Contribution[] {
  return parts
    .map((p) => ({ ...p, share: additive ? (base ? p.value / base : 0) : null }))
    .sort((a, b) => (ascending ? a.value - b.value : b.value - a.value) || a.name.localeCompare(b.name));
}

/** Hidden children folded into one line: a count of accounts (with what is below them) and one value. */
function outsideLine(hidden: { value: number; accounts: number }[], valueLabel: (v: number) => string | null): LeftOut | null {
  if (!hidden.length) return null;
  const accounts = hidden.reduce((s, h) => s + h.accounts, 0);
  const value = hidden.reduce((s, h) => s + h.value, 0);
  const shown = valueLabel(value);
  return {
    reason: "outside_access",
    label: `${plural(accounts, "account")} outside your access${shown ? `: ${shown}` : ""}`,
    accounts,
    value,
    inTotal: true,
  };
}

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
  const visible = children.filter((c) => c.visible);
  const hidden = children.filter((c) => !c.visible);
  const size = (c: ChildRow) => 1 + n(c.descendants);
  const leftOut: LeftOut[] = [];
  const archivedLine = archived.children
    ? {
        reason: "archived" as const,
        label: `${plural(archived.children, "archived sub-account")}${archived.accounts > archived.children ? ` (${archived.accounts} accounts with those below)` : ""}: not counted`,
        accounts: archived.accounts,
        value: null,
        inTotal: false,
      }
    : null;
  const base = {
    metric,
    descendants: n(parent.descendants),
  };

  const money = (v: number) => `$${Math.round(v).toLocaleString("en-US")}`;
  const count = (v: number) => v.toLocaleString("en-US");

  switch (metric) {
    case "mrr": {
      const total = n(parent.mrr);
      const [own] = await rows<{ overridden: boolean; excluded: number; excluded_mrr: string | null }>(
        ctx,
        sql`select
          exists (select 1 from attribute_values v join attribute_definitions d on d.id = v.attribute_id
            where v.account_id = ${account.id} and d.key = 'mrr_override' and jsonb_typeof(v.value) = 'number') as overridden,
          (select count(*)::int from contracts c where c.account_id = ${account.id} and (c.excluded or not c.active)) as excluded,
          (select sum(c.mrr) from contracts c where c.account_id = ${account.id} and (c.excluded or not c.active)) as excluded_mrr`,
      );
      const outside = outsideLine(hidden.map((c) => ({ value: n(c.mrr), accounts: size(c) })), money);
      if (outside) leftOut.push(outside);
      if (own?.excluded) {
        leftOut.push({
          reason: "excluded_contracts",
          label: `${plural(own.excluded, "excluded or inactive contract")} on ${account.name}: not counted`,
          accounts: null,
          value: n(own.excluded_mrr),
          inTotal: false,
        });
      }
      const opportunities = visible.filter((c) => c.is_opportunity).length;
      if (opportunities) {
        leftOut.push({
          reason: "opportunities",
          label: `${plural(opportunities, "opportunity", "opportunities")}: pipeline amounts are not MRR (only active contracts count)`,
          accounts: opportunities,
          value: null,
          inTotal: false,
        });
      }
      if (archivedLine) leftOut.push(archivedLine);
      return {
        ...base,
        label: "MRR",
        format: "currency",
        total,
        base: total,
        baseLabel: "MRR",
        additive: true,
        own: n(parent.own_mrr) || own?.overridden ? { value: n(parent.own_mrr), label: own?.overridden ? `${account.name} itself (MRR override)` : `${account.name} itself (own contracts)` } : null,
        contributions: finish(
          visible.map((c) => ({ accountId: c.id, name: c.name, typeName: c.type_name, isOpportunity: c.is_opportunity, value: n(c.mrr), detail: null })),
          total,
          true,
        ),
        leftOut,
      };
    }
    case "open_tickets": {
      const total = n(parent.open_tickets);
      const outside = outsideLine(hidden.map((c) => ({ value: n(c.open_tickets), accounts: size(c) })), count);
      if (outside) leftOut.push(outside);
      if (archivedLine) leftOut.push(archivedLine);
      return {
        ...base,
        label: "Open tickets",
        format: "number",
        total,
        base: total,
        baseLabel: "open tickets",
        additive: true,
        own: n(parent.own_open_tickets) ? { value: n(parent.own_open_tickets), label: `${account.name} itself` } : null,
        contributions: finish(
          visible.map((c) => ({
            accountId: c.id,
            name: c.name,
            typeName: c.type_name,
            isOpportunity: c.is_opportunity,
            value: n(c.open_tickets),
            detail: n(c.urgent_tickets) ? `${n(c.urgent_tickets)} urgent` : null,
          })),
          total,
          true,
        ),
        leftOut,
      };
    }
    case "nps": {
      const responses = n(parent.nps_count);
      const outside = outsideLine(hidden.map((c) => ({ value: n(c.nps_count), accounts: size(c) })), (v) => plural(v, "response"));
      if (outside) leftOut.push(outside);
      if (archivedLine) leftOut.push(archivedLine);
      const ownScore = npsScore({ responses: n(parent.own_nps_count), promoters: n(parent.own_nps_promoters), detractors: n(parent.own_nps_detractors) });
      return {
        ...base,
        label: "NPS",
        format: "score",
        total: npsScore({ responses, promoters: n(parent.nps_promoters), detractors: n(parent.nps_detractors) }),
        base: responses,
        baseLabel: "responses",
        additive: true,
        own: n(parent.own_nps_count) ? { value: n(parent.own_nps_count), label: `${account.name} itself (NPS ${ownScore})` } : null,
        contributions: finish(
          visible.map((c) => ({
            accountId: c.id,
            name: c.name,
            typeName: c.type_name,
            isOpportunity: c.is_opportunity,
            value: n(c.nps_count),
            detail: n(c.nps_count) ? `NPS ${npsScore({ responses: n(c.nps_count), promoters: n(c.nps_promoters), detractors: n(c.nps_detractors) })}` : null,
          })),
          responses,
          true,
        ),
        leftOut,
      };
    }
    case "csat": {
      const responses = n(parent.csat_count);
      const outside = outsideLine(hidden.map((c) => ({ value: n(c.csat_count), accounts: size(c) })), (v) => plural(v, "response"));
      if (outside) leftOut.push(outside);
      if (archivedLine) leftOut.push(archivedLine);
      const avg = (sum: number, cnt: number) => (cnt ? Math.round((sum / cnt) * 100) / 100 : null);
      return {
        ...base,
        label: "CSAT",
        format: "decimal",
        total: avg(n(parent.csat_sum), responses),
        base: responses,
        baseLabel: "responses",
        additive: true,
        own: n(parent.own_csat_count)
          ? { value: n(parent.own_csat_count), label: `${account.name} itself (CSAT ${avg(n(parent.own_csat_sum), n(parent.own_csat_count))})` }
          : null,
        contributions: finish(
          visible.map((c) => ({
            accountId: c.id,
            name: c.name,
            typeName: c.type_name,
            isOpportunity: c.is_opportunity,
            value: n(c.csat_count),
            detail: n(c.csat_count) ? `CSAT ${avg(n(c.csat_sum), n(c.csat_count))}` : null,
          })),
          responses,
          true,
        ),
        leftOut,
      };
    }
    case "health": {
      const mix = { good: n(parent.health_good), average: n(parent.health_average), poor: n(parent.health_poor) };
      const rated = mix.good + mix.average + mix.poor;
      const childMix = (c: ChildRow) => ({
        good: n(c.health_good) + (c.own_health === "good" ? 1 : 0),
        average: n(c.health_average) + (c.own_health === "average" ? 1 : 0),
        poor: n(c.health_poor) + (c.own_health === "poor" ? 1 : 0),
      });
      const ratedIn = (c: ChildRow) => {
        const m = childMix(c);
        return m.good + m.average + m.poor;
      };
      const outside = outsideLine(hidden.map((c) => ({ value: ratedIn(c), accounts: size(c) })), (v) => plural(v, "rated account"));
      if (outside) leftOut.push(outside);
      const unrated = n(parent.descendants) - rated;
      if (unrated > 0) {
        leftOut.push({ reason: "no_health", label: `${plural(unrated, "account")} below without a health score yet`, accounts: unrated, value: null, inTotal: false });
      }
      if (archivedLine) leftOut.push(archivedLine);
      return {
        ...base,
        label: "Health mix",
        format: "number",
        total: rated,
        base: rated,
        baseLabel: "rated accounts",
        additive: true,
        own: null,
        mix,
        contributions: finish(
          visible.map((c) => {
            const m = childMix(c);
            const detail = (["good", "average", "poor"] as const).filter((b) => m[b]).map((b) => `${m[b]} ${b}`).join(" · ");
            return { accountId: c.id, name: c.name, typeName: c.type_name, isOpportunity: c.is_opportunity, value: ratedIn(c), detail: detail || null };
          }),
          rated,
          true,
        ),
        leftOut,
      };
    }
    case "events_30d": {
      const now = options.now ?? new Date();
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
      const events = new Map(usage.map((u) => [u.account_id, n(u.events)]));
      const total = events.get(account.id) ?? 0;
      const ownEvents = total - children.reduce((s, c) => s + (events.get(c.id) ?? 0), 0);
      const outside = outsideLine(hidden.map((c) => ({ value: events.get(c.id) ?? 0, accounts: size(c) })), (v) => plural(v, "event"));
      if (outside) leftOut.push(outside);
      if (archivedLine) leftOut.push(archivedLine);
      return {
        ...base,
        label: "Usage events, last 30 days",
        format: "number",
        total,
        base: total,
        baseLabel: "events",
        additive: true,
        own: ownEvents ? { value: ownEvents, label: `${account.name} itself` } : null,
        contributions: finish(
          visible.map((c) => ({ accountId: c.id, name: c.name, typeName: c.type_name, isOpportunity: c.is_opportunity, value: events.get(c.id) ?? 0, detail: null })),
          total,
          true,
        ),
        leftOut,
      };
    }
  }
  return null;
}

async function archivedChildren(ctx: Ctx, accountId: string): Promise<{ children: number; accounts: number }> {
  const [row] = await rows<{ children: number; accounts: number }>(
    ctx,
    sql`select count(distinct a.id)::int as children, count(c.descendant_id)::int as accounts
      from accounts a join account_closure c on c.ancestor_id = a.id
      where a.parent_id = ${accountId} and a.archived_at is not null`,
  );
  return { children: n(row?.children), accounts: n(row?.accounts) };
}

type AttributeDefinitionRow = {
  id: string;
  key: string;
  label: string;
  data_type: string;
  rollup_rule: RollupRule;
  rollup_source_key: string;
  privileged: boolean;
  source_privileged: boolean;
};

type AttributeChildRow = {
  id: string;
  name: string;
  type_name: string;
  is_opportunity: boolean;
  visible: boolean;
  descendants: number | null;
  own_present: boolean | null;
  own_number: string | null;
  count_below: number | null;
  numbers_below: number | null;
  sum_below: string | null;
  min_below: string | null;
  max_below: string | null;
};

/** A rolled-up attribute of the account's type, by key. */
async function explainAttribute(ctx: Ctx, account: AccountSummary, key: string): Promise<RollupExplanation | null> {
  const [definition] = await rows<AttributeDefinitionRow>(
    ctx,
    sql`select d.id, d.key, d.label, d.data_type, d.rollup_rule, d.rollup_source_key, d.privileged,
        exists (select 1 from attribute_definitions s where s.key = d.rollup_source_key and s.privileged
          and s.deleted_at is null and s.rollup_rule = 'none') as source_privileged
      from attribute_definitions d
      where d.account_type_id = ${account.typeId} and d.key = ${key} and d.deleted_at is null
        and d.rollup_rule <> 'none' and d.rollup_source_key is not null
      limit 1`,
  );
  if (!definition) return null;
  const privilegedOk = await canSeePrivileged(ctx, account.id);
  if (definition.privileged && !privilegedOk) return null;

  const sourceKey = definition.rollup_source_key;
  const [parentRows, children, archived, descendantRows] = await Promise.all([
    rows<{ count_below: number; numbers_below: number; sum_below: string; min_below: string | null; max_below: string | null }>(
      ctx,
      sql`select count_below, numbers_below, sum_below, min_below, max_below from attribute_rollups
        where account_id = ${account.id} and source_key = ${sourceKey}`,
    ),
    rows<AttributeChildRow>(
      ctx,
      sql`select a.id, a.name, t.name as type_name, t.is_opportunity,
          ${visibleAccount(ctx.viewer, sql`a.id`, sql`a.type_id`)} as visible,
          ar.descendants, r.own_present, r.own_number, r.count_below, r.numbers_below, r.sum_below, r.min_below, r.max_below
        from accounts a
        join account_types t on t.id = a.type_id
        left join account_rollups ar on ar.account_id = a.id
        left join attribute_rollups r on r.account_id = a.id and r.source_key = ${sourceKey}
        where a.parent_id = ${account.id} and a.archived_at is null`,
    ),
    archivedChildren(ctx, account.id),
    rows<{ descendants: number }>(ctx, sql`select descendants from account_rollups where account_id = ${account.id}`),
  ]);
  if (!descendantRows[0]) return null;
  const rule = definition.rollup_rule;
  const p = parentRows[0];
  const total = rolledUpValue(
    rule,
    p ? { countBelow: n(p.count_below), numbersBelow: n(p.numbers_below), sumBelow: p.sum_below, minBelow: p.min_below, maxBelow: p.max_below } : null,
  );
  // Each child's subtree, inclusive of the child itself.
  const part = (c: AttributeChildRow) => {
    const own = c.own_number === null ? null : Number(c.own_number);
    const extremes = [own, c.min_below === null ? null : Number(c.min_below), c.max_below === null ? null : Number(c.max_below)].filter(
      (v): v is number => v !== null,
    );
    return {
      count: (c.own_present ? 1 : 0) + n(c.count_below),
      numbers: (own === null ? 0 : 1) + n(c.numbers_below),
      sum: (own ?? 0) + n(c.sum_below),
      min: extremes.length ? Math.min(...extremes) : null,
      max: extremes.length ? Math.max(...extremes) : null,
    };
  };
  const additive = rule === "sum" || rule === "count" || rule === "avg";
  const valueOf = (c: AttributeChildRow): number | null => {
    const x = part(c);
    if (rule === "sum") return x.numbers ? x.sum : 0;
    if (rule === "count") return x.count;
    if (rule === "avg") return x.numbers;
    return rule === "min" ? x.min : x.max;
  };
  const baseValue = rule === "sum" ? n(p?.sum_below) : rule === "count" ? n(p?.count_below) : rule === "avg" ? n(p?.numbers_below) : (total ?? 0);
  const baseLabel = rule === "avg" ? "values averaged" : rule === "count" ? "accounts with a value" : definition.label;
  const leftOut: LeftOut[] = [];
  const showChild = (c: AttributeChildRow) => c.visible && (!definition.source_privileged || privilegedOk);
  const withValue = children.filter((c) => part(c).count > 0 && valueOf(c) !== null);
  const shown = withValue.filter(showChild);
  const folded = withValue.filter((c) => !showChild(c));
  const foldedVisible = folded.filter((c) => c.visible);
  const foldedHidden = folded.filter((c) => !c.visible);
  const fold = (list: AttributeChildRow[]) =>
    list.map((c) => ({ value: valueOf(c) ?? 0, accounts: 1 + n(c.descendants) }));
  const outside = outsideLine(fold(foldedHidden), (v) => (additive ? v.toLocaleString("en-US") : null));
  if (outside) {
    if (!additive) outside.value = null;
    leftOut.push(outside);
  }
  if (foldedVisible.length) {
    const accounts = foldedVisible.reduce((s, c) => s + 1 + n(c.descendants), 0);
    const value = additive ? foldedVisible.reduce((s, c) => s + (valueOf(c) ?? 0), 0) : null;
    leftOut.push({
      reason: "privileged",
      label: `${plural(accounts, "account")} whose ${definition.label} values are privileged`,
      accounts,
      value,
      inTotal: true,
    });
  }
  const missing = n(descendantRows[0].descendants) - n(p?.count_below);
  if (missing > 0) {
    leftOut.push({ reason: "no_value", label: `${plural(missing, "account")} below without a ${sourceKey} value`, accounts: missing, value: null, inTotal: false });
  }
  if (archived.children) {
    leftOut.push({
      reason: "archived",
      label: `${plural(archived.children, "archived sub-account")}: not counted`,
      accounts: archived.accounts,
      value: null,
      inTotal: false,
    });
  }
  return {
    metric: `attribute:${key}`,
    label: definition.label,
    format: definition.data_type === "currency" ? "currency" : rule === "avg" ? "decimal" : "number",
    total,
    base: baseValue,
    baseLabel,
    additive,
    own: null,
    contributions: finish(
      shown.map((c) => {
        const x = part(c);
        return {
          accountId: c.id,
          name: c.name,
          typeName: c.type_name,
          isOpportunity: c.is_opportunity,
          value: valueOf(c) ?? 0,
          detail: rule === "avg" && x.numbers ? `average ${Math.round((x.sum / x.numbers) * 100) / 100}` : null,
        };
      }),
      baseValue,
      additive,
      rule === "min",
    ),
    leftOut,
    descendants: n(descendantRows[0].descendants),
  };
}
