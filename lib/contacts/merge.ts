import "server-only";
import { sql } from "drizzle-orm";
import { z } from "zod";
import { ActionError } from "@/lib/actions/define";
import { actionDefinition } from "@/lib/actions/definition";
import { idField } from "@/lib/actions/fields";
import { may, refusal } from "@/lib/auth/permissions";
import { findContact } from "@/lib/dal/contacts";
import type { Ctx } from "@/lib/dal/viewer";
import { lockForUsage } from "@/lib/rollups/locks";
import { CONTACT_NOT_FOUND, contactForWrite, linkedAccountIds, recordContactChange } from "./record";

/*
 * Merging a duplicate contact into the one kept (the contact page). Everything that names the
 * duplicate moves to the kept contact in the action's one transaction, then the duplicate is
 * deleted. Where a key would collide, the two rows become one:
 *   - account links on both: the kept link stays, key contact if either was;
 *   - touchpoint participants: one row per touchpoint;
 *   - campaign sends (campaign, contact, account): the kept send, opened/clicked at the earlier time;
 *   - usage_daily and usage_user_windows: events added, last day the later one.
 * Every table with a contact id is listed here (test/contacts.test.ts checks none is missed).
 */

/** Tables and columns holding a contact id, each handled below. */
export const CONTACT_REFERENCES = [
  "account_contacts.contact_id",
  "touchpoint_participants.contact_id",
  "campaign_sends.contact_id",
  "information_requests.to_contact_id",
  "support_tickets.contact_id",
  "survey_responses.contact_id",
  "usage_events.contact_id",
  "usage_daily.contact_id",
  "usage_user_windows.contact_id",
] as const;

export type MergeCounts = Record<(typeof CONTACT_REFERENCES)[number], number>;

async function count(ctx: Ctx, statement: ReturnType<typeof sql>): Promise<number> {
  const result = await ctx.db.execute(statement);
  return Number((result as { affectedRows?: number; rowCount?: number }).affectedRows ?? (result as { rowCount?: number }).rowCount ?? 0);
}

/** Moves every reference from `from` to `into` (both exist); returns the rows moved per table. */
export async function moveContactReferences(ctx: Ctx, from: string, into: string): Promise<MergeCounts> {
  // Usage writers hold this lock (shared) while they touch usage_daily and the user windows.
  await lockForUsage(ctx.db);
  const c = (s: ReturnType<typeof sql>) => count(ctx, s);
  const moved = {} as MergeCounts;

  await ctx.db.execute(sql`
    update account_contacts k set is_key = k.is_key or d.is_key
    from account_contacts d where d.contact_id = ${from} and k.contact_id = ${into} and k.account_id = d.account_id`);
  await ctx.db.execute(sql`
    delete from account_contacts d using account_contacts k
    where d.contact_id = ${from} and k.contact_id = ${into} and k.account_id = d.account_id`);
  moved["account_contacts.contact_id"] = await c(sql`update account_contacts set contact_id = ${into} where contact_id = ${from}`);

  await ctx.db.execute(sql`
    delete from touchpoint_participants d using touchpoint_participants k
    where d.contact_id = ${from} and k.contact_id = ${into} and k.touchpoint_id = d.touchpoint_id`);
  moved["touchpoint_participants.contact_id"] = await c(sql`update touchpoint_participants set contact_id = ${into} where contact_id = ${from}`);

  await ctx.db.execute(sql`
    update campaign_sends k set opened_at = least(k.opened_at, d.opened_at), clicked_at = least(k.clicked_at, d.clicked_at), sent_at = least(k.sent_at, d.sent_at)
    from campaign_sends d where d.contact_id = ${from} and k.contact_id = ${into} and k.campaign_id = d.campaign_id and k.account_id = d.account_id`);
  await ctx.db.execute(sql`
    delete from campaign_sends d using campaign_sends k
    where d.contact_id = ${from} and k.contact_id = ${into} and k.campaign_id = d.campaign_id and k.account_id = d.account_id`);
  moved["campaign_sends.contact_id"] = await c(sql`update campaign_sends set contact_id = ${into} where contact_id = ${from}`);

  moved["information_requests.to_contact_id"] = await c(sql`update information_requests set to_contact_id = ${into} where to_contact_id = ${from}`);
  moved["support_tickets.contact_id"] = await c(sql`update support_tickets set contact_id = ${into} where contact_id = ${from}`);
  moved["survey_responses.contact_id"] = await c(sql`update survey_responses set contact_id = ${into} where contact_id = ${from}`);
  moved["usage_events.contact_id"] = await c(sql`update usage_events set contact_id = ${into} where contact_id = ${from}`);

  moved["usage_daily.contact_id"] = await c(sql`
    with gone as (delete from usage_daily where contact_id = ${from} returning account_id, day, activity_id, module_id, events)
    insert into usage_daily (account_id, day, activity_id, module_id, contact_id, events)
    select account_id, day, activity_id, module_id, ${into}::uuid, events from gone
    order by account_id, day, activity_id
    on conflict (account_id, day, activity_id, contact_id) do update set events = usage_daily.events + excluded.events`);
  moved["usage_user_windows.contact_id"] = await c(sql`
    with gone as (delete from usage_user_windows where contact_id = ${from} returning account_id, period_days, events, last_day)
    insert into usage_user_windows (account_id, period_days, contact_id, events, last_day)
    select account_id, period_days, ${into}::uuid, events, last_day from gone
    order by account_id, period_days
    on conflict (account_id, period_days, contact_id) do update set
      events = usage_user_windows.events + excluded.events, last_day = greatest(usage_user_windows.last_day, excluded.last_day)`);
  return moved;
}

/** Merge `duplicateId` into `contactId` (kept): both must be linked to an account the viewer can see. */
export const mergeContacts = actionDefinition({
  name: "mergeContacts",
  schema: z.object({ contactId: idField("Unknown contact."), duplicateId: idField("Choose the duplicate to merge into this contact.") }),
  async authorize(ctx, input) {
    if (!may(ctx.viewer, "contacts.edit")) return refusal(ctx.viewer, "contacts.edit");
    const [kept, duplicate] = await Promise.all([findContact(ctx, input.contactId), findContact(ctx, input.duplicateId)]);
    return kept && duplicate ? true : CONTACT_NOT_FOUND;
  },
  async run(ctx, input) {
    if (input.contactId === input.duplicateId) throw new ActionError("Check the highlighted fields.", { duplicateId: ["Choose another contact: a contact cannot be merged into itself."] });
    const kept = await contactForWrite(ctx, input.contactId);
    const duplicate = await contactForWrite(ctx, input.duplicateId);
    // Lock both rows (in id order, so two opposite merges cannot deadlock) and read them as they are.
    const { rows } = await ctx.db.execute<{
      id: string;
      external_id: string | null;
      name: string;
      email: string | null;
      title: string | null;
      phone: string | null;
      attributes: Record<string, unknown>;
    }>(
      sql`select id, external_id, name, email, title, phone, attributes from contacts where id in (${kept.id}, ${duplicate.id}) order by id for update`,
    );
    const keptRow = rows.find((r) => r.id === kept.id);
    const duplicateRow = rows.find((r) => r.id === duplicate.id);
    if (!keptRow || !duplicateRow) throw new ActionError(CONTACT_NOT_FOUND);
    const accountIds = [...new Set([...(await linkedAccountIds(ctx, kept.id)), ...(await linkedAccountIds(ctx, duplicate.id))])];
    const moved = await moveContactReferences(ctx, duplicate.id, kept.id);
    // The kept contact's blanks are filled from the duplicate (its own values win); email and
    // external id move only after the duplicate is gone (both are unique). An external id the kept
    // contact already has wins: the duplicate's is then dropped (the audit row keeps it).
    await ctx.db.execute(sql`delete from contacts where id = ${duplicate.id}`);
    await ctx.db.execute(sql`
      update contacts set email = coalesce(email, ${duplicateRow.email}), title = coalesce(title, ${duplicateRow.title}),
        phone = coalesce(phone, ${duplicateRow.phone}), external_id = coalesce(external_id, ${duplicateRow.external_id}),
        attributes = ${JSON.stringify(duplicateRow.attributes ?? {})}::jsonb || attributes
      where id = ${kept.id}`);
    await recordContactChange(ctx, accountIds, {
      action: "contact.merge",
      contactId: kept.id,
      title: `${duplicateRow.name} merged into ${keptRow.name}`,
      snapshot: { change: "merged", contactId: kept.id, name: keptRow.name, mergedId: duplicate.id, mergedName: duplicateRow.name, mergedEmail: duplicateRow.email, moved },
      before: { kept: keptRow, merged: duplicateRow },
    });
    return { id: kept.id, name: keptRow.name, mergedName: duplicateRow.name, accountIds };
  },
  revalidate: (input, data) => [`/contacts/${input.contactId}`, ...data.accountIds.map((id) => `/accounts/${id}`)],
  message: (data) => `${data.mergedName} merged into ${data.name}.`,
});
