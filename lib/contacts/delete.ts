import "server-only";
import { sql } from "drizzle-orm";
import { visibleAccount, type Ctx } from "@/lib/dal/viewer";
import { IngestError } from "@/lib/ingest/errors";
import { rows } from "@/lib/ingest/resolve";
import type { CONTACT_REFERENCES } from "./merge";
import { contactForWrite, linkedAccountIds, recordContactChange } from "./record";

/*
 * Deleting a contact (DELETE /api/v1/contacts/{id}, issue 17). A contact that any history names
 * (a campaign send, a touchpoint, a ticket, a survey answer, a request, usage) is never deleted:
 * deleting it would silently drop that history (cascades) or orphan it (set null). The caller is
 * told what references it and to merge it into the contact it duplicates instead. Only a contact
 * with nothing but account links is deleted, with a timeline entry on each account it was linked
 * to and an audit row, as the app records contact changes. Contacts have no status or active flag
 * to mark instead.
 */

/** Every reference but the account links, by the name the refusal gives it. */
const HISTORY: Record<Exclude<(typeof CONTACT_REFERENCES)[number], "account_contacts.contact_id">, string> = {
  "touchpoint_participants.contact_id": "touchpoints",
  "campaign_sends.contact_id": "campaign_sends",
  "information_requests.to_contact_id": "information_requests",
  "support_tickets.contact_id": "support_tickets",
  "survey_responses.contact_id": "survey_responses",
  "usage_events.contact_id": "usage_events",
  "usage_daily.contact_id": "usage_days",
  "usage_user_windows.contact_id": "usage_windows",
};

/** How many rows of each kind of history name the contact. */
export async function contactReferences(ctx: Ctx, contactId: string): Promise<Record<string, number>> {
  const counts = Object.entries(HISTORY).map(([reference, name]) => {
    const [table, column] = reference.split(".");
    // usage_events has no index on contact_id (it would slow ingestion): this one scan is the price of a rare delete.
    return sql`(select count(*)::int from ${sql.raw(table)} where ${sql.raw(column)} = ${contactId}::uuid) as ${sql.raw(name)}`;
  });
  const [row] = await rows<Record<string, number>>(ctx.db, sql`select ${sql.join(counts, sql`, `)}`);
  return Object.fromEntries(Object.values(HISTORY).map((name) => [name, Number(row[name])]));
}

export async function deleteContact(ctx: Ctx, contactId: string): Promise<{ id: string; deleted: true }> {
  await contactForWrite(ctx, contactId);
  const [row] = await rows<{ id: string; external_id: string | null; name: string; email: string | null; title: string | null; phone: string | null }>(
    ctx.db,
    sql`select id, external_id, name, email, title, phone from contacts where id = ${contactId}::uuid for update`,
  );
  const accountIds = await linkedAccountIds(ctx, contactId);
  const [{ outside }] = await rows<{ outside: number }>(
    ctx.db,
    sql`select count(*)::int as outside from account_contacts ac join accounts a on a.id = ac.account_id
        where ac.contact_id = ${contactId}::uuid and not (${visibleAccount(ctx.viewer, sql`a.id`, sql`a.type_id`)})`,
  );
  if (outside > 0) throw new IngestError(403, "This contact is also linked to accounts outside this token's reach: only a token that sees all of them may delete it.");
  const references = await contactReferences(ctx, contactId);
  const named = Object.entries(references).filter(([, n]) => n > 0);
  if (named.length) {
    throw new IngestError(
      409,
      `This contact is part of the accounts' history (${named.map(([name, n]) => `${n} ${name.replace(/_/g, " ")}`).join(", ")}), so it was not deleted. If it duplicates another contact, merge it into that one (the contact page's Merge keeps its history); otherwise keep it (PATCH /api/v1/contacts/{id} changes its details).`,
      [],
      { references },
    );
  }
  await ctx.db.execute(sql`delete from contacts where id = ${contactId}::uuid`);
  await recordContactChange(ctx, accountIds, {
    action: "contact.delete",
    contactId,
    title: `${row.name} deleted`,
    snapshot: { change: "deleted", contactId, name: row.name, email: row.email, title: row.title },
    before: row,
  });
  return { id: contactId, deleted: true };
}
