import "server-only";
import { sql } from "drizzle-orm";
import { touchpointParticipants, touchpoints } from "@/db/schema";
import { recordTimeline, type NewTimelineEntry } from "@/lib/activity/timeline";
import { touchpointTypeLabel } from "@/lib/activity/touchpoints";
import type { Ctx } from "@/lib/dal/viewer";
import { accountsByExternalId, contactsByExternalId, IssueList, pgArray, rows, unknownAccount, unknownContact } from "./resolve";
import type { TouchpointItem } from "./schemas";

/**
 * Logs touchpoints (from a CRM, a mail or meeting tool) with their contact participants and their
 * timeline entries, as the quick action does. Like every API write they are attributed to the
 * admin the token acts for, and the timeline says which token ("via API token “…”"). They have no
 * external id: send each once, or with an Idempotency-Key.
 */
export async function addTouchpoints(ctx: Ctx, items: readonly TouchpointItem[], base: (string | number)[] = ["touchpoints"]): Promise<{ created: number; ids: string[] }> {
  const issues = new IssueList();
  const accounts = await accountsByExternalId(ctx, items.map((t) => t.accountExternalId));
  const contacts = await contactsByExternalId(ctx.db, items.flatMap((t) => t.contactExternalIds ?? []));
  const names = new Map(
    (await rows<{ id: string; name: string }>(ctx.db, sql`select id, name from contacts where id = any(${pgArray([...contacts.values()])}::uuid[])`)).map((r) => [r.id, r.name]),
  );
  items.forEach((t, i) => {
    if (!accounts.has(t.accountExternalId)) issues.add([...base, i, "accountExternalId"], unknownAccount(t.accountExternalId));
    (t.contactExternalIds ?? []).forEach((c, j) => {
      if (!contacts.has(c)) issues.add([...base, i, "contactExternalIds", j], unknownContact(c));
    });
  });
  issues.throwIfAny();
  const ids: string[] = [];
  const timeline = new Map<string, NewTimelineEntry[]>();
  for (const t of items) {
    const accountId = accounts.get(t.accountExternalId)!.id;
    const occurredAt = new Date(t.occurredAt);
    const [row] = await ctx.db
      .insert(touchpoints)
      .values({ accountId, type: t.type, subject: t.subject, body: t.body ?? "", occurredAt, authorId: ctx.viewer.userId })
      .returning({ id: touchpoints.id });
    ids.push(row.id);
    const people = [...new Set(t.contactExternalIds ?? [])].map((c) => contacts.get(c)!);
    if (people.length) await ctx.db.insert(touchpointParticipants).values(people.map((contactId) => ({ touchpointId: row.id, contactId, userId: null })));
    const entries = timeline.get(accountId) ?? [];
    entries.push({
      accountId,
      kind: "touchpoint",
      refId: row.id,
      actorId: ctx.viewer.userId,
      title: `${touchpointTypeLabel(t.type)}: ${t.subject}`,
      snapshot: {
        type: t.type,
        subject: t.subject,
        body: t.body ?? "",
        date: occurredAt.toISOString().slice(0, 10),
        participants: people.map((id) => names.get(id) ?? ""),
        via: ctx.viewer.name,
      },
      occurredAt,
    });
    timeline.set(accountId, entries);
  }
  for (const accountId of [...timeline.keys()].sort()) await recordTimeline(ctx.db, timeline.get(accountId)!);
  return { created: items.length, ids };
}
