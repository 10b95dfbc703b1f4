import * as s from "@/db/schema";
import type { Random } from "../random";
import { type Band, bandOf, GOOD_FROM, HEALTH_DIMENSIONS, type HealthWeek, POOR_BELOW, REGIONS, WEEKS } from "./catalogue";
import { ACCOUNT_TYPES } from "./hierarchy";
import type { Account, DemoContext, Hierarchy, TypeKey } from "./model";
import type { AddTimeline } from "./timeline";
import { clamp, DAY, HOUR, isoDay, mondayOf, round1 } from "./time";

export type Health = {
  /** Monday of each of the `WEEKS` weeks of history, oldest first. */
  weekStarts: number[];
  latestBand(account: Account): Band | null;
};

/**
 * A year of weekly health: products drift around a target with the odd dip, parents aggregate their
 * children; one health scheme per type (version 1), the snapshots, and band changes on the timeline.
 */
export function buildHealth(ctx: DemoContext, tree: Hierarchy, typeIds: Record<TypeKey, string>, addTimeline: AddTimeline): Health {
  const thisMonday = mondayOf(ctx.now);
  const weekStarts = Array.from({ length: WEEKS }, (_, i) => thisMonday - (WEEKS - 1 - i) * 7 * DAY);
  const hr = ctx.root.fork("health");
  buildProductWeeks(hr, weekStarts, tree);
  const { company, regions, lobs } = tree;
  for (const lob of lobs) aggregateHealth(hr, weekStarts, lob, lob.children.filter((c) => c.type === "product"));
  for (const region of REGIONS) aggregateHealth(hr, weekStarts, regions[region.key], regions[region.key].children);
  aggregateHealth(hr, weekStarts, company, Object.values(regions));
  buildSchemes(ctx, typeIds, weekStarts);
  buildSnapshots(ctx, tree, addTimeline);
  const latestBand = (account: Account): Band | null => account.weeks[account.weeks.length - 1]?.band ?? null;
  return { weekStarts, latestBand };
}

function makeWeek(weekStarts: number[], index: number, dims: Record<string, number>): HealthWeek {
  const score = round1(HEALTH_DIMENSIONS.reduce((sum, d) => sum + d.weight * dims[d.key], 0) / HEALTH_DIMENSIONS.reduce((sum, d) => sum + d.weight, 0));
  return { index, weekStart: weekStarts[index], dims, score, band: bandOf(score), upsell: false, upsellAmount: null };
}

/** Each product's weeks: every dimension drifts towards its own target, with an occasional dip and upsell signal. */
function buildProductWeeks(hr: Random, weekStarts: number[], { products, busiest }: Hierarchy): void {
  for (const product of products) {
    const base = product === busiest ? 78 : clamp(hr.normal(64, 15), 22, 92);
    const targets: Record<string, number> = {};
    const current: Record<string, number> = {};
    for (const d of HEALTH_DIMENSIONS) {
      targets[d.key] = clamp(base + hr.normal(0, 9), 10, 98);
      current[d.key] = clamp(targets[d.key] + hr.normal(0, 6), 5, 99);
    }
    if (product === busiest || hr.chance(0.12)) {
      const start = product === busiest ? WEEKS - 8 : hr.int(20, WEEKS - 4);
      product.dip = [start, Math.min(WEEKS - 1, start + (product === busiest ? 3 : hr.int(2, 6)))];
    }
    const firstWeek = weekStarts.findIndex((w) => w + 7 * DAY > product.createdAt);
    const upsellProne = product === busiest || hr.chance(0.3);
    for (let i = Math.max(0, firstWeek); i < WEEKS; i++) {
      const dims: Record<string, number> = {};
      for (const d of HEALTH_DIMENSIONS) {
        current[d.key] = clamp(current[d.key] + hr.normal(0, 3.5) + 0.15 * (targets[d.key] - current[d.key]), 3, 99);
        let value = current[d.key];
        if (product.dip && i >= product.dip[0] && i <= product.dip[1]) value -= d.key === "usage" ? 34 : d.key === "engagement" ? 24 : 14;
        dims[d.key] = round1(clamp(value, 1, 100));
      }
      const week = makeWeek(weekStarts, i, dims);
      if (upsellProne && i > firstWeek + 4 && hr.chance(1 / 15)) {
        week.upsell = true;
        week.upsellAmount = hr.int(10, 160) * 500;
      }
      product.weeks.push(week);
    }
  }
}

/** A parent's weeks: the mean of its children's dimensions plus slowly drifting noise; lines of business sometimes show an upsell. */
function aggregateHealth(hr: Random, weekStarts: number[], parent: Account, from: Account[]): void {
  const noise: Record<string, number> = {};
  for (const d of HEALTH_DIMENSIONS) noise[d.key] = hr.normal(0, 3);
  for (let i = 0; i < WEEKS; i++) {
    const rows = from.map((c) => c.weeks.find((w) => w.index === i)).filter((w): w is HealthWeek => Boolean(w));
    if (!rows.length) continue;
    const dims: Record<string, number> = {};
    for (const d of HEALTH_DIMENSIONS) {
      noise[d.key] = clamp(noise[d.key] * 0.8 + hr.normal(0, 1.5), -8, 8);
      dims[d.key] = round1(clamp(rows.reduce((sum, w) => sum + w.dims[d.key], 0) / rows.length + noise[d.key], 1, 100));
    }
    const week = makeWeek(weekStarts, i, dims);
    if (parent.type === "line_of_business" && hr.chance(1 / 40)) {
      week.upsell = true;
      week.upsellAmount = hr.int(40, 400) * 500;
    }
    parent.weeks.push(week);
  }
}

/** One health scheme per account type except opportunities, at version 1. */
function buildSchemes({ ids, store }: DemoContext, typeIds: Record<TypeKey, string>, weekStarts: number[]): void {
  const healthTypes: TypeKey[] = ["company", "region", "line_of_business", "product"];
  for (const typeKey of healthTypes) {
    const schemeId = ids.uuid();
    store.add(s.healthSchemes, { id: schemeId, accountTypeId: typeIds[typeKey], name: `${ACCOUNT_TYPES.find((t) => t.key === typeKey)!.name} health`, poorBelow: POOR_BELOW, goodFrom: GOOD_FROM });
    HEALTH_DIMENSIONS.forEach((d, i) =>
      store.add(s.healthDimensions, { id: ids.uuid(), schemeId, key: d.key, label: d.label, weight: d.weight, rule: d.rule, poorBelow: POOR_BELOW, goodFrom: GOOD_FROM, position: i }),
    );
    // Version 1, as if an admin had saved it when the history began.
    store.add(s.healthSchemeVersions, {
      schemeId,
      version: 1,
      definition: { poorBelow: POOR_BELOW, goodFrom: GOOD_FROM, parentScoring: "none", dimensions: HEALTH_DIMENSIONS.map((d) => ({ key: d.key, label: d.label, weight: d.weight, rule: d.rule })) },
      createdBy: null,
      createdAt: new Date(weekStarts[0]),
    });
  }
}

/** A snapshot per account and week, and a timeline entry where the band changed. */
function buildSnapshots({ now, store }: DemoContext, { accounts }: Hierarchy, addTimeline: AddTimeline): void {
  for (const account of accounts) {
    let previous: HealthWeek | null = null;
    for (const week of account.weeks) {
      const computedAt = Math.min(week.weekStart + 7 * DAY, now);
      store.add(s.healthSnapshots, {
        accountId: account.id,
        weekStart: isoDay(week.weekStart),
        score: week.score,
        band: week.band,
        dimensions: Object.fromEntries(HEALTH_DIMENSIONS.map((d) => [d.key, { score: week.dims[d.key], band: bandOf(week.dims[d.key]) }])),
        upsell: week.upsell,
        upsellAmount: week.upsellAmount === null ? null : week.upsellAmount.toFixed(2),
        schemeVersion: 1,
        computedAt: new Date(computedAt),
      });
      if (previous && previous.band !== week.band) {
        addTimeline(account, "health_change", computedAt - HOUR, `Health changed from ${previous.band} to ${week.band}`, { from: previous.band, to: week.band, score: week.score, weekStart: isoDay(week.weekStart) }, null, null);
      }
      previous = week;
    }
  }
}
