import "server-only";
import { surveyResponses } from "@/db/schema";
import type { Ctx } from "@/lib/dal/viewer";
import { afterSurveyResponsesChanged } from "@/lib/rollups/own-figures";
import { accountsByExternalId, contactsByExternalId, IssueList, unknownAccount, unknownContact } from "./resolve";
import type { SurveyResponseItem } from "./schemas";
import { markHealthDirty } from "@/lib/health/dirty";

/**
 * Adds NPS and CSAT responses (they have no external id: send each once, or with an
 * Idempotency-Key); the survey counts are kept up the tree.
 */
export async function addSurveyResponses(ctx: Ctx, items: readonly SurveyResponseItem[], base: (string | number)[] = ["responses"]): Promise<{ created: number }> {
  const issues = new IssueList();
  const accounts = await accountsByExternalId(ctx, items.map((r) => r.accountExternalId));
  const contacts = await contactsByExternalId(ctx.db, items.flatMap((r) => (r.contactExternalId ? [r.contactExternalId] : [])));
  items.forEach((r, i) => {
    if (!accounts.has(r.accountExternalId)) issues.add([...base, i, "accountExternalId"], unknownAccount(r.accountExternalId));
    if (r.contactExternalId && !contacts.has(r.contactExternalId)) issues.add([...base, i, "contactExternalId"], unknownContact(r.contactExternalId));
  });
  issues.throwIfAny();
  await ctx.db.insert(surveyResponses).values(
    items.map((r) => ({
      accountId: accounts.get(r.accountExternalId)!.id,
      contactId: r.contactExternalId ? contacts.get(r.contactExternalId)! : null,
      kind: r.kind,
      score: r.score,
      comment: r.comment ?? null,
      respondedAt: new Date(r.respondedAt),
    })),
  );
  const touched = [...new Set(items.map((r) => accounts.get(r.accountExternalId)!.id))].sort();
  for (const accountId of touched) await afterSurveyResponsesChanged(ctx.db, accountId);
  await markHealthDirty(ctx.db, touched);
  return { created: items.length };
}
