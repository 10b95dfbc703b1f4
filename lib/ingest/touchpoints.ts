import "server-only";
import { randomUUID } from "node:crypto";
import { sql } from "drizzle-orm";
import { recordTimeline, type NewTimelineEntry } from "@/lib/activity/timeline";
import { touchpointTypeLabel } from "@/lib/activity/touchpoints";
import type { Ctx } from "@/lib/dal/viewer";
import { emitEvents } from "@/lib/events/emit";
import { accountsByExternalId, contactsByExternalId, IssueList, pgArray, rows, unknownAccount, unknownContact } from "./resolve";
import type { TouchpointItem } from "./schemas";
import { markHealthDirty } from "@/lib/health/dirty";
import { mentionProblems, recordMentions, renderedText } from "@/lib/mentions/record";
import { mentionedUserIds } from "@/lib/mentions/tokens";

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
  // @mentions (issue 18) as in the app's form: `<@user-id>` tokens of people who can see the account.
  for (const [i, t] of items.entries()) {
    if (issues.full) break;
    const account = accounts.get(t.accountExternalId);
    if (!account || !mentionedUserIds(t.body).length) continue;
    for (const message of await mentionProblems(ctx, account.id, t.body)) issues.add([...base, i, "body"], message);
  }
  issues.throwIfAny();
  // Ids are made here, so the touchpoints, their participants and the timeline go in as one
  // statement each, whatever the request's size.
  const ids = items.map(() => randomUUID());
  const participants: { touchpointId: string; contactId: string }[] = [];
  // The timeline's snapshot shows names where the body has mention tokens.
  const rendered: string[] = [];
  for (const t of items) rendered.push(mentionedUserIds(t.body).length ? await renderedText(ctx, t.body) : (t.body ?? ""));
  const timeline = new Map<string, NewTimelineEntry[]>();
  items.forEach((t, i) => {
    const id = ids[i];
    const accountId = accounts.get(t.accountExternalId)!.id;
    const occurredAt = new Date(t.occurredAt);
    const people = [...new Set(t.contactExternalIds ?? [])].map((c) => contacts.get(c)!);
    for (const contactId of people) participants.push({ touchpointId: id, contactId });
    const entries = timeline.get(accountId) ?? [];
    entries.push({
      accountId,
      kind: "touchpoint",
      refId: id,
      actorId: ctx.viewer.userId,
      title: `${touchpointTypeLabel(t.type)}: ${t.subject}`,
      snapshot: {
        type: t.type,
        subject: t.subject,
        body: rendered[i],
        date: occurredAt.toISOString().slice(0, 10),
        participants: people.map((id) => names.get(id) ?? ""),
        via: ctx.viewer.name,
      },
      occurredAt,
    });
    timeline.set(accountId, entries);
  });
  if (items.length) {
    await ctx.db.execute(sql`
      insert into touchpoints (id, account_id, type, subject, body, occurred_at, author_id)
      select p.id, p.account_id, p.type, p.subject, p.body, p.occurred_at, ${ctx.viewer.userId}::uuid
      from unnest(${pgArray(ids)}::uuid[], ${pgArray(items.map((t) => accounts.get(t.accountExternalId)!.id))}::uuid[],
        ${pgArray(items.map((t) => t.type))}::touchpoint_type[], ${pgArray(items.map((t) => t.subject))}::text[],
        ${pgArray(items.map((t) => t.body ?? ""))}::text[], ${pgArray(items.map((t) => new Date(t.occurredAt).toISOString()))}::timestamptz[])
        as p(id, account_id, type, subject, body, occurred_at)`);
  }
  if (participants.length) {
    await ctx.db.execute(sql`
      insert into touchpoint_participants (touchpoint_id, contact_id)
      select * from unnest(${pgArray(participants.map((p) => p.touchpointId))}::uuid[], ${pgArray(participants.map((p) => p.contactId))}::uuid[])`);
  }
  for (const accountId of [...timeline.keys()].sort()) await recordTimeline(ctx.db, timeline.get(accountId)!);
  for (const [i, t] of items.entries()) {
    if (!mentionedUserIds(t.body).length) continue;
    await recordMentions(ctx, { accountId: accounts.get(t.accountExternalId)!.id, kind: "touchpoint", id: ids[i], text: t.body!, what: t.type === "qbr" ? "a QBR" : `a ${t.type}` });
  }
  await emitEvents(
    ctx.db,
    items.map((t, i) => ({
      type: "touchpoint.logged" as const,
      accountId: accounts.get(t.accountExternalId)!.id,
      actorId: ctx.viewer.userId,
      data: { touchpointId: ids[i], type: t.type, subject: t.subject },
    })),
  );
  await markHealthDirty(ctx.db, timeline.keys());
  return { created: items.length, ids };
}
