import "server-only";
import { sql } from "drizzle-orm";
import type { Ctx } from "@/lib/dal/viewer";
import { afterTicketsChanged } from "@/lib/rollups/own-figures";
import { emitEvents } from "@/lib/events/emit";
import { accountsByExternalId, contactsByExternalId, IssueList, pgArray, rows, unknownAccount, unknownContact, visibleAccountIds } from "./resolve";
import type { TicketItem } from "./schemas";
import { markHealthDirty } from "@/lib/health/dirty";

export type TicketUpsertResult = { created: number; updated: number; tickets: { externalId: string; id: string }[] };

/** Creates or updates support tickets by external id; open and urgent counts are kept up the tree. */
export async function upsertTickets(ctx: Ctx, items: readonly TicketItem[], base: (string | number)[] = ["tickets"]): Promise<TicketUpsertResult> {
  const issues = new IssueList();
  const seen = new Set<string>();
  items.forEach((t, i) => {
    if (seen.has(t.externalId)) issues.add([...base, i, "externalId"], `The external id “${t.externalId}” appears twice in this request.`);
    seen.add(t.externalId);
    if (t.closedAt && t.closedAt < t.openedAt) issues.add([...base, i, "closedAt"], "The ticket was closed before it was opened.");
  });
  const accounts = await accountsByExternalId(ctx, items.map((t) => t.accountExternalId));
  const contacts = await contactsByExternalId(ctx.db, items.flatMap((t) => (t.contactExternalId ? [t.contactExternalId] : [])));
  items.forEach((t, i) => {
    if (!accounts.has(t.accountExternalId)) issues.add([...base, i, "accountExternalId"], unknownAccount(t.accountExternalId));
    if (t.contactExternalId && !contacts.has(t.contactExternalId)) issues.add([...base, i, "contactExternalId"], unknownContact(t.contactExternalId));
  });
  issues.throwIfAny();
  const stored = await rows<{ external_id: string; account_id: string }>(
    ctx.db,
    sql`select external_id, account_id from support_tickets where external_id = any(${pgArray([...seen])}::text[]) for update`,
  );
  const storedBy = new Map(stored.map((s) => [s.external_id, s.account_id]));
  const visible = await visibleAccountIds(ctx, stored.map((s) => s.account_id));
  items.forEach((t, i) => {
    const accountId = storedBy.get(t.externalId);
    if (accountId && !visible.has(accountId)) issues.add([...base, i, "externalId"], "That ticket belongs to an account this token may not write to.");
  });
  issues.throwIfAny();

  // One statement for the whole request (external ids are unique in it), columns as array literals.
  const accountIds = items.map((t) => accounts.get(t.accountExternalId)!.id);
  const written = await rows<{ id: string; external_id: string; created: boolean }>(
    ctx.db,
    sql`insert into support_tickets (account_id, contact_id, external_id, subject, priority, status, opened_at, closed_at)
        select * from unnest(${pgArray(accountIds)}::uuid[],
          ${pgArray(items.map((t) => (t.contactExternalId ? contacts.get(t.contactExternalId)! : null)))}::uuid[],
          ${pgArray(items.map((t) => t.externalId))}::text[], ${pgArray(items.map((t) => t.subject))}::text[],
          ${pgArray(items.map((t) => t.priority ?? "normal"))}::ticket_priority[], ${pgArray(items.map((t) => t.status ?? "new"))}::ticket_status[],
          ${pgArray(items.map((t) => t.openedAt))}::timestamptz[], ${pgArray(items.map((t) => t.closedAt ?? null))}::timestamptz[])
        on conflict (external_id) do update set account_id = excluded.account_id, contact_id = excluded.contact_id,
          subject = excluded.subject, priority = excluded.priority, status = excluded.status,
          opened_at = excluded.opened_at, closed_at = excluded.closed_at
        returning id, external_id, (xmax = 0) as created`,
  );
  const writtenBy = new Map(written.map((w) => [w.external_id, w]));
  const touched = new Set<string>([...accountIds, ...stored.map((s) => s.account_id)]);
  const result: TicketUpsertResult = { created: 0, updated: 0, tickets: [] };
  for (const t of items) {
    const row = writtenBy.get(t.externalId)!;
    if (row.created) result.created++;
    else result.updated++;
    result.tickets.push({ externalId: t.externalId, id: row.id });
  }
  for (const accountId of [...touched].sort()) await afterTicketsChanged(ctx.db, accountId);
  // A new urgent, open ticket is news for those who follow the account (issue 18).
  const urgent = items.filter((t) => writtenBy.get(t.externalId)!.created && t.priority === "urgent" && !["solved", "closed"].includes(t.status ?? "new"));
  await emitEvents(
    ctx.db,
    urgent.map((t) => ({ type: "ticket.urgent" as const, accountId: accounts.get(t.accountExternalId)!.id, actorId: ctx.viewer.userId, data: { ticketId: writtenBy.get(t.externalId)!.id, subject: t.subject } })),
  );
  await markHealthDirty(ctx.db, touched);
  return result;
}
