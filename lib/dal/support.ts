import "server-only";
import { and, desc, eq, inArray, isNotNull, ne, sql } from "drizzle-orm";
import { contacts, supportTickets, surveyResponses } from "@/db/schema";
import { npsScore } from "@/lib/format";
import type { AccountSummary } from "./accounts";
import { parentRollupOf } from "./rollups";
import type { Ctx } from "./viewer";

export const OPEN_STATUSES = ["new", "open", "pending"] as const;
export const TICKET_PRIORITIES = ["urgent", "high", "normal", "low"] as const;

type Rolled = { descendants: number } | null;

export type TicketRow = { id: string; subject: string; priority: string; status: string; openedAt: Date; contactName: string | null };

export type SupportSummary = {
  open: number;
  byPriority: Record<string, number>;
  byStatus: Record<string, number>;
  latest: TicketRow[];
  /** Parent accounts: totals over the account and everything below it. */
  rollup: (Rolled & { openTickets: number; urgentTickets: number }) | null;
};

/** Open tickets of the account by priority and status, the latest few, and rolled-up totals on parents. */
export async function supportSummary(ctx: Ctx, account: AccountSummary, latestCount = 5): Promise<SupportSummary> {
  const open = and(eq(supportTickets.accountId, account.id), inArray(supportTickets.status, [...OPEN_STATUSES]));
  const [counts, latest, rollup] = await Promise.all([
    ctx.db
      .select({ priority: supportTickets.priority, status: supportTickets.status, n: sql<number>`count(*)::int` })
      .from(supportTickets)
      .where(open)
      .groupBy(supportTickets.priority, supportTickets.status),
    ctx.db
      .select({
        id: supportTickets.id,
        subject: supportTickets.subject,
        priority: supportTickets.priority,
        status: supportTickets.status,
        openedAt: supportTickets.openedAt,
        contactName: contacts.name,
      })
      .from(supportTickets)
      .leftJoin(contacts, eq(contacts.id, supportTickets.contactId))
      .where(open)
      .orderBy(desc(supportTickets.openedAt))
      .limit(latestCount),
    parentRollupOf(ctx, account),
  ]);
  const byPriority: Record<string, number> = {};
  const byStatus: Record<string, number> = {};
  let total = 0;
  for (const c of counts) {
    const n = Number(c.n);
    byPriority[c.priority] = (byPriority[c.priority] ?? 0) + n;
    byStatus[c.status] = (byStatus[c.status] ?? 0) + n;
    total += n;
  }
  return {
    open: total,
    byPriority,
    byStatus,
    latest,
    rollup: rollup ? { descendants: rollup.descendants, openTickets: rollup.openTickets, urgentTickets: rollup.urgentTickets } : null,
  };
}

export type SurveyComment = { id: string; score: number; comment: string; respondedAt: Date; contactName: string | null };

async function latestComments(ctx: Ctx, account: AccountSummary, kind: "nps" | "csat", limit: number): Promise<SurveyComment[]> {
  const rows = await ctx.db
    .select({
      id: surveyResponses.id,
      score: surveyResponses.score,
      comment: surveyResponses.comment,
      respondedAt: surveyResponses.respondedAt,
      contactName: contacts.name,
    })
    .from(surveyResponses)
    .leftJoin(contacts, eq(contacts.id, surveyResponses.contactId))
    .where(
      and(
        eq(surveyResponses.accountId, account.id),
        eq(surveyResponses.kind, kind),
        isNotNull(surveyResponses.comment),
        ne(surveyResponses.comment, ""),
      ),
    )
    .orderBy(desc(surveyResponses.respondedAt))
    .limit(limit);
  return rows.map((r) => ({ ...r, comment: r.comment ?? "" }));
}

export type NpsSummary = {
  /** %promoters − %detractors, rounded; null without responses. */
  score: number | null;
  responses: number;
  promoters: number;
  passives: number;
  detractors: number;
  comments: SurveyComment[];
  rolledUpFrom: number | null;
};

/** NPS of the account (0–10 answers: 9–10 promoters, 0–6 detractors); parents read their rollup. */
export async function npsSummary(ctx: Ctx, account: AccountSummary, commentCount = 3): Promise<NpsSummary> {
  const [[own], comments, rollup] = await Promise.all([
    ctx.db
      .select({
        responses: sql<number>`count(*)::int`,
        promoters: sql<number>`(count(*) filter (where ${surveyResponses.score} >= 9))::int`,
        detractors: sql<number>`(count(*) filter (where ${surveyResponses.score} <= 6))::int`,
      })
      .from(surveyResponses)
      .where(and(eq(surveyResponses.accountId, account.id), eq(surveyResponses.kind, "nps"))),
    latestComments(ctx, account, "nps", commentCount),
    parentRollupOf(ctx, account),
  ]);
  const counts = rollup
    ? { responses: rollup.npsCount, promoters: rollup.npsPromoters, detractors: rollup.npsDetractors }
    : { responses: Number(own?.responses ?? 0), promoters: Number(own?.promoters ?? 0), detractors: Number(own?.detractors ?? 0) };
  return {
    score: npsScore(counts),
    ...counts,
    passives: counts.responses - counts.promoters - counts.detractors,
    comments,
    rolledUpFrom: rollup ? rollup.descendants : null,
  };
}

export type CsatSummary = { average: number | null; responses: number; comments: SurveyComment[]; rolledUpFrom: number | null };

/** Average CSAT (1–5) and response count; parents read their rollup. */
export async function csatSummary(ctx: Ctx, account: AccountSummary, commentCount = 3): Promise<CsatSummary> {
  const [[own], comments, rollup] = await Promise.all([
    ctx.db
      .select({ responses: sql<number>`count(*)::int`, sum: sql<number>`coalesce(sum(${surveyResponses.score}), 0)::int` })
      .from(surveyResponses)
      .where(and(eq(surveyResponses.accountId, account.id), eq(surveyResponses.kind, "csat"))),
    latestComments(ctx, account, "csat", commentCount),
    parentRollupOf(ctx, account),
  ]);
  const responses = rollup ? rollup.csatCount : Number(own?.responses ?? 0);
  const sum = rollup ? rollup.csatSum : Number(own?.sum ?? 0);
  return {
    average: responses ? sum / responses : null,
    responses,
    comments,
    rolledUpFrom: rollup ? rollup.descendants : null,
  };
}
