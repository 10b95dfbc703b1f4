import { z } from "zod";
import type { HealthRule, HealthSchemeDefinition, ParentScoring } from "@/db/schema/health";

export type Band = "poor" | "average" | "good";

/** Dimension scores: a raw value at `poor` scores 40 (the poor/average line), at `good` 70. */
export const DIMENSION_POOR_BELOW = 40;
export const DIMENSION_GOOD_FROM = 70;

const days = z.number().int("Use whole days.").min(1, "Use at least 1 day.").max(730, "Use at most 730 days.");
const threshold = z.number({ error: "Enter a number." }).finite().min(-1_000_000).max(1_000_000);
const thresholds = { poor: threshold, good: threshold };

export const TOUCHPOINT_TYPES = ["call", "meeting", "email", "note", "qbr", "chat"] as const;

/** The rule JSON of a dimension (db/schema/health.ts HealthRule), checked before it is stored. */
export const healthRuleSchema = z
  .discriminatedUnion("kind", [
    z.object({ kind: z.literal("usage"), measure: z.enum(["events", "active_users"]), days, basis: z.enum(["absolute", "per_seat", "trend"]), seatsAttribute: z.string().min(1).max(80).optional(), ...thresholds }),
    z.object({ kind: z.literal("adoption"), days, ...thresholds }),
    z.object({ kind: z.literal("engagement"), measure: z.enum(["days_since", "per_quarter"]), touchpointTypes: z.array(z.enum(TOUCHPOINT_TYPES)).min(1, "Choose at least one kind of touchpoint."), ...thresholds }),
    z.object({ kind: z.literal("support"), measure: z.enum(["open", "urgent", "per_period"]), days, ...thresholds }),
    z.object({ kind: z.literal("sentiment"), survey: z.enum(["nps", "csat"]), measure: z.enum(["latest", "average"]), days, ...thresholds }),
    z.object({ kind: z.literal("renewal"), ...thresholds }),
    z.object({ kind: z.literal("attribute"), key: z.string().min(1).max(80), measure: z.enum(["number", "days_since", "days_until"]), ...thresholds }),
  ])
  .refine((r) => r.poor !== r.good, { message: "The poor and good thresholds must differ.", path: ["good"] }) satisfies z.ZodType<HealthRule>;

export const PARENT_SCORING: ParentScoring[] = ["none", "children_equal", "children_arr"];

export const schemeDefinitionSchema = z
  .object({
    poorBelow: z.number().min(0).max(100),
    goodFrom: z.number().min(0).max(100),
    parentScoring: z.enum(["none", "children_equal", "children_arr"]),
    dimensions: z
      .array(
        z.object({
          key: z.string().regex(/^[a-z][a-z0-9_]{0,39}$/, "Use lower-case letters, digits and _ (a letter first)."),
          label: z.string().trim().min(1, "Enter a label.").max(80),
          weight: z.number().min(0, "Use 0 or more.").max(100),
          rule: healthRuleSchema,
        }),
      )
      .max(12, "Use at most 12 dimensions."),
  })
  .refine((d) => d.poorBelow < d.goodFrom, { message: "“Poor below” must be lower than “good from”.", path: ["goodFrom"] })
  .refine((d) => new Set(d.dimensions.map((x) => x.key)).size === d.dimensions.length, { message: "Two dimensions share a key.", path: ["dimensions"] })
  .refine((d) => d.parentScoring !== "none" || d.dimensions.some((x) => x.weight > 0), { message: "Give at least one dimension a weight above 0.", path: ["dimensions"] }) satisfies z.ZodType<HealthSchemeDefinition>;

/** Floors to one decimal, so a rounded score never crosses into the next band. */
function floor1(x: number): number {
  return Math.floor(x * 10 + 1e-9) / 10;
}

/**
 * A raw value on the 0–100 scale of a dimension: linear through (poor, 40) and (good, 70), either
 * direction (poor > good means lower is better), clamped. The band is read from the raw value, so
 * it agrees with the thresholds the admin typed exactly.
 */
export function scoreDimension(raw: number, rule: { poor: number; good: number }): { score: number; band: Band } {
  const t = (raw - rule.poor) / (rule.good - rule.poor);
  const score = Math.min(100, Math.max(0, floor1(DIMENSION_POOR_BELOW + (DIMENSION_GOOD_FROM - DIMENSION_POOR_BELOW) * t)));
  const band: Band = t < 0 ? "poor" : t >= 1 ? "good" : "average";
  return { score, band };
}

export function bandOf(score: number, scheme: { poorBelow: number; goodFrom: number }): Band {
  return score < scheme.poorBelow ? "poor" : score >= scheme.goodFrom ? "good" : "average";
}

/** The weighted mean of the dimensions that have data (null when none has). */
export function overallScore(parts: { weight: number; score: number | null }[]): number | null {
  let sum = 0;
  let weights = 0;
  for (const p of parts) {
    if (p.score === null || p.weight <= 0) continue;
    sum += p.weight * p.score;
    weights += p.weight;
  }
  return weights > 0 ? floor1(sum / weights) : null;
}

/** Words for a rule, for the admin page and the timeline. */
export function describeRule(rule: HealthRule): string {
  const t = `poor at ${rule.poor}, good at ${rule.good}`;
  switch (rule.kind) {
    case "usage":
      return `${rule.measure === "events" ? "Events" : "Distinct active users"} over ${rule.days} days${rule.basis === "per_seat" ? " per seat" : rule.basis === "trend" ? " as % of the previous " + rule.days + " days" : ""} (${t})`;
    case "adoption":
      return `% of modules used in ${rule.days} days (${t})`;
    case "engagement":
      return `${rule.measure === "days_since" ? "Days since the last" : "Per quarter:"} ${rule.touchpointTypes.join(", ")} touchpoint${rule.measure === "per_quarter" ? "s" : ""} (${t})`;
    case "support":
      return `${rule.measure === "open" ? "Open tickets" : rule.measure === "urgent" ? "Open urgent tickets" : `Tickets opened in ${rule.days} days`} (${t})`;
    case "sentiment":
      return `${rule.measure === "latest" ? "Latest" : "Average"} ${rule.survey.toUpperCase()} over ${rule.days} days (${t})`;
    case "renewal":
      return `Days to the next contract end (${t})`;
    case "attribute":
      return `Attribute “${rule.key}”${rule.measure === "number" ? "" : rule.measure === "days_since" ? ": days since" : ": days until"} (${t})`;
  }
}
