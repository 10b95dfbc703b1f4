import "server-only";
import { sql } from "drizzle-orm";
import type { Ctx } from "@/lib/dal/viewer";

/* The shape of an explanation and the small helpers both kinds of explanation (account metrics in
 * explain.ts, rolled-up attributes in explain-attribute.ts) build it with. */

export type ExplainMetric = "mrr" | "open_tickets" | "nps" | "csat" | "health" | "events_30d" | `attribute:${string}`;

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

export async function rows<T>(ctx: Ctx, query: ReturnType<typeof sql>): Promise<T[]> {
  return ((await ctx.db.execute(query)) as unknown as { rows: T[] }).rows;
}

export const n = (v: unknown): number => (v === null || v === undefined ? 0 : Number(v));

export function plural(count: number, one: string, many = `${one}s`): string {
  return `${count} ${count === 1 ? one : many}`;
}

/** Sorted contributions with shares; min sorts ascending, everything else descending. */
export function finish(parts: Omit<Contribution, "share">[], base: number, additive: boolean, ascending = false): Contribution[] {
  return parts
    .map((p) => ({ ...p, share: additive ? (base ? p.value / base : 0) : null }))
    .sort((a, b) => (ascending ? a.value - b.value : b.value - a.value) || a.name.localeCompare(b.name));
}

/** Hidden children folded into one line: a count of accounts (with what is below them) and one value. */
export function outsideLine(hidden: { value: number; accounts: number }[], valueLabel: (v: number) => string | null): LeftOut | null {
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

/** Archived direct children, and how many accounts they hold with those below (none of them counted). */
export async function archivedChildren(ctx: Ctx, accountId: string): Promise<{ children: number; accounts: number }> {
  const [row] = await rows<{ children: number; accounts: number }>(
    ctx,
    sql`select count(distinct a.id)::int as children, count(c.descendant_id)::int as accounts
      from accounts a join account_closure c on c.ancestor_id = a.id
      where a.parent_id = ${accountId} and a.archived_at is not null`,
  );
  return { children: n(row?.children), accounts: n(row?.accounts) };
}

