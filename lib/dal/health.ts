import "server-only";
import { and, asc, desc, eq, gte, lte } from "drizzle-orm";
import { healthDimensions, healthSchemes, healthSnapshots } from "@/db/schema";
import type { AccountSummary } from "./accounts";
import { rollupOf } from "./rollups";
import type { Ctx } from "./viewer";

export type HealthBand = "poor" | "average" | "good";
/** scheme: the type's dimensions; children: the mean of the children's scores; external: sent through the API. */
export type HealthSource = "scheme" | "children" | "external";

export type HealthDimensionView = {
  key: string;
  label: string;
  weight: number;
  score: number | null;
  band: HealthBand | null;
};

/** Counts of accounts below a parent by the band of their latest snapshot (from `account_rollups`). */
export type HealthMix = { good: number; average: number; poor: number; descendants: number };

export type HealthSummary = {
  latest: { weekStart: string; score: number; band: HealthBand; upsell: boolean; source: HealthSource; schemeVersion: number | null } | null;
  /** The scheme's dimensions in admin order, each with its score in the latest snapshot. */
  dimensions: HealthDimensionView[];
  thresholds: { poorBelow: number; goodFrom: number } | null;
  /** Only for accounts with scored accounts below them (an opportunity alone has no health). */
  mix: HealthMix | null;
};

/** Overall and per-dimension health from the latest weekly snapshot, plus the mix below a parent. */
export async function healthOf(ctx: Ctx, account: AccountSummary): Promise<HealthSummary> {
  const [latestRows, schemeRows, rollupRows] = await Promise.all([
    ctx.db
      .select({
        weekStart: healthSnapshots.weekStart,
        score: healthSnapshots.score,
        band: healthSnapshots.band,
        upsell: healthSnapshots.upsell,
        dimensions: healthSnapshots.dimensions,
        source: healthSnapshots.source,
        schemeVersion: healthSnapshots.schemeVersion,
      })
      .from(healthSnapshots)
      .where(eq(healthSnapshots.accountId, account.id))
      .orderBy(desc(healthSnapshots.weekStart))
      .limit(1),
    ctx.db
      .select({
        poorBelow: healthSchemes.poorBelow,
        goodFrom: healthSchemes.goodFrom,
        key: healthDimensions.key,
        label: healthDimensions.label,
        weight: healthDimensions.weight,
      })
      .from(healthSchemes)
      .leftJoin(healthDimensions, eq(healthDimensions.schemeId, healthSchemes.id))
      .where(eq(healthSchemes.accountTypeId, account.typeId))
      .orderBy(asc(healthDimensions.position), asc(healthDimensions.label)),
    // The account's rollup row, read once per request for every widget that needs it.
    rollupOf(ctx, account),
  ]);
  const snapshot = latestRows[0];
  const scores = snapshot?.dimensions ?? {};
  const dimensions = schemeRows.flatMap((row): HealthDimensionView[] =>
    row.key && row.label
      ? [{ key: row.key, label: row.label, weight: Number(row.weight ?? 1), score: scores[row.key]?.score ?? null, band: scores[row.key]?.band ?? null }]
      : [],
  );
  const rollup = rollupRows ? { descendants: rollupRows.descendants, good: rollupRows.healthGood, average: rollupRows.healthAverage, poor: rollupRows.healthPoor } : null;
  return {
    latest: snapshot
      ? { weekStart: snapshot.weekStart, score: Number(snapshot.score), band: snapshot.band, upsell: snapshot.upsell, source: snapshot.source, schemeVersion: snapshot.schemeVersion }
      : null,
    dimensions,
    thresholds: schemeRows[0] ? { poorBelow: Number(schemeRows[0].poorBelow), goodFrom: Number(schemeRows[0].goodFrom) } : null,
    mix:
      rollup && Number(rollup.good) + Number(rollup.average) + Number(rollup.poor) > 0
        ? { good: Number(rollup.good), average: Number(rollup.average), poor: Number(rollup.poor), descendants: Number(rollup.descendants) }
        : null,
  };
}

export type HealthWeek = {
  /** Monday of the ISO week, `YYYY-MM-DD`. */
  weekStart: string;
  score: number | null;
  band: HealthBand | null;
  upsell: boolean;
  upsellAmount: number | null;
  source: HealthSource | null;
  /** The scheme version the week was scored with (null: external, or history from before versions). */
  schemeVersion: number | null;
};

/**
 * One entry per week for the last `weeks` weeks up to the week of `now`, oldest first. Weeks with no
 * snapshot are present with a null band, so the grid always has `weeks` cells.
 */
export async function healthHistory(ctx: Ctx, account: AccountSummary, weeks = 52, now: Date = new Date()): Promise<HealthWeek[]> {
  const count = Math.min(Math.max(Math.trunc(weeks) || 52, 1), 520);
  const lastWeek = mondayOf(now);
  const firstWeek = addDays(lastWeek, -(count - 1) * 7);
  const rows = await ctx.db
    .select({
      weekStart: healthSnapshots.weekStart,
      score: healthSnapshots.score,
      band: healthSnapshots.band,
      upsell: healthSnapshots.upsell,
      upsellAmount: healthSnapshots.upsellAmount,
      source: healthSnapshots.source,
      schemeVersion: healthSnapshots.schemeVersion,
    })
    .from(healthSnapshots)
    .where(
      and(
        eq(healthSnapshots.accountId, account.id),
        gte(healthSnapshots.weekStart, isoDay(firstWeek)),
        lte(healthSnapshots.weekStart, isoDay(addDays(lastWeek, 6))),
      ),
    )
    .orderBy(asc(healthSnapshots.weekStart));
  // Keyed by the Monday of each snapshot's week, in case a snapshot was stored on another weekday.
  const byWeek = new Map(rows.map((r) => [isoDay(mondayOf(new Date(`${r.weekStart}T00:00:00Z`))), r]));
  return Array.from({ length: count }, (_, i) => {
    const weekStart = isoDay(addDays(firstWeek, i * 7));
    const row = byWeek.get(weekStart);
    return {
      weekStart,
      score: row ? Number(row.score) : null,
      band: row?.band ?? null,
      upsell: row?.upsell ?? false,
      upsellAmount: row?.upsellAmount != null ? Number(row.upsellAmount) : null,
      source: row?.source ?? null,
      schemeVersion: row?.schemeVersion ?? null,
    };
  });
}

export type HealthWeekSummary = { weeks: number; good: number; average: number; poor: number; missing: number; upsells: number; upsellTotal: number };

export function summarizeWeeks(weeks: HealthWeek[]): HealthWeekSummary {
  const summary: HealthWeekSummary = { weeks: weeks.length, good: 0, average: 0, poor: 0, missing: 0, upsells: 0, upsellTotal: 0 };
  for (const week of weeks) {
    if (week.band) summary[week.band] += 1;
    else summary.missing += 1;
    if (week.upsell) {
      summary.upsells += 1;
      summary.upsellTotal += week.upsellAmount ?? 0;
    }
  }
  return summary;
}

function mondayOf(date: Date): Date {
  const day = new Date(Date.UTC(date.getUTCFullYear(), date.getUTCMonth(), date.getUTCDate()));
  const isoDow = (day.getUTCDay() + 6) % 7; // Monday 0 … Sunday 6
  return addDays(day, -isoDow);
}

function addDays(date: Date, days: number): Date {
  return new Date(date.getTime() + days * 86_400_000);
}

function isoDay(date: Date): string {
  return date.toISOString().slice(0, 10);
}
