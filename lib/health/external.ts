import "server-only";
import { sql } from "drizzle-orm";
import { z } from "zod";
import type { Ctx } from "@/lib/dal/viewer";
import { accountsByExternalId, IssueList, pgArray, pgPlainArray as list, unknownAccount } from "@/lib/ingest/resolve";
import { markHealthDirty } from "./dirty";
import { mondayOfDay, today } from "./weeks";

export const healthScoresBody = z
  .object({
    scores: z
      .array(
        z
          .object({
            accountExternalId: z.string({ error: "Give the account external id as a string." }).trim().min(1, "Give the account external id.").max(200, "Use at most 200 characters."),
            score: z.number({ error: "Give the score as a number." }).min(0, "Use a score from 0 to 100.").max(100, "Use a score from 0 to 100."),
            weekOf: z.iso.date({ error: "Use a date as YYYY-MM-DD." }).optional().describe("Any day of the ISO week the score is for; default: today."),
            upsell: z
              .object({ amount: z.number({ error: "Give an amount as a number." }).min(0, "Use 0 or more.").max(1e12, "That amount is too large.").nullish() })
              .strict()
              .optional()
              .describe("Marks the week with an upsell (shown as $ on the health grid)."),
          })
          .strict(),
        { error: "Give scores as an array." },
      )
      .min(1, "Send at least one of scores.")
      .max(1000, "Send at most 1,000 scores per request."),
  })
  .strict();

export type HealthScoreItem = z.infer<typeof healthScoresBody>["scores"][number];

/**
 * Scores from teams that score elsewhere: kept per account and week (a later one for the same week
 * replaces it), and the accounts re-scored through the queue, where an external score wins over the
 * scheme for its week (the snapshot says "external"). Future weeks are refused.
 */
export async function receiveHealthScores(ctx: Ctx, items: readonly HealthScoreItem[], base: (string | number)[] = ["scores"]): Promise<{ received: number; upsells: number }> {
  const issues = new IssueList();
  const accounts = await accountsByExternalId(ctx, items.map((s) => s.accountExternalId));
  const now = today();
  const seen = new Set<string>();
  items.forEach((s, i) => {
    if (!accounts.has(s.accountExternalId)) issues.add([...base, i, "accountExternalId"], unknownAccount(s.accountExternalId));
    if (s.weekOf && mondayOfDay(s.weekOf) > mondayOfDay(now)) issues.add([...base, i, "weekOf"], "That week has not started yet.");
    const key = `${s.accountExternalId}|${mondayOfDay(s.weekOf ?? now)}`;
    if (seen.has(key)) issues.add([...base, i, "weekOf"], "This account has two scores for that week in this request.");
    seen.add(key);
  });
  issues.throwIfAny();
  const ids = items.map((s) => accounts.get(s.accountExternalId)!.id);
  const weeks = items.map((s) => mondayOfDay(s.weekOf ?? now));
  await ctx.db.execute(sql`
    insert into health_external_scores (account_id, week_start, score, received_at)
    select a, w, s, now() from unnest(${list(ids)}::uuid[], ${list(weeks)}::date[], ${list(items.map((s) => s.score))}::real[]) as x(a, w, s)
    order by a, w
    on conflict (account_id, week_start) do update set score = excluded.score, received_at = excluded.received_at`);
  const upsells = items.flatMap((s, i) => (s.upsell ? [{ accountId: ids[i], at: s.weekOf && mondayOfDay(s.weekOf) !== mondayOfDay(now) ? `${s.weekOf}T12:00:00Z` : new Date().toISOString(), amount: s.upsell.amount ?? null }] : []));
  if (upsells.length) {
    await ctx.db.execute(sql`insert into health_upsells (account_id, occurred_at, amount, source)
      select a, t, v, 'api' from unnest(${list(upsells.map((u) => u.accountId))}::uuid[], ${pgArray(upsells.map((u) => u.at))}::timestamptz[], ${list(upsells.map((u) => u.amount))}::numeric[]) as x(a, t, v)`);
  }
  // Past weeks are written straight away (the queue scores the current week only).
  const pastWeeks = weeks.some((w) => w !== mondayOfDay(now));
  if (pastWeeks) {
    const { refreshScores } = await import("./engine");
    for (const week of [...new Set(weeks)].filter((w) => w !== mondayOfDay(now))) {
      const sunday = new Date(Date.parse(`${week}T00:00:00Z`) + 6 * 86_400_000).toISOString().slice(0, 10);
      await refreshScores(ctx.db, ids.filter((_, i) => weeks[i] === week), sunday, false);
    }
  }
  await markHealthDirty(ctx.db, ids);
  return { received: items.length, upsells: upsells.length };
}
