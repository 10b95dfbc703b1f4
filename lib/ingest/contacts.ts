import "server-only";
import { sql } from "drizzle-orm";
import { visibleAccount, type Ctx } from "@/lib/dal/viewer";
import { accountsByExternalId, IssueList, pgArray, rows, unknownAccount } from "./resolve";
import type { ContactItem } from "./schemas";

export type ContactUpsertResult = { created: number; updated: number; links: number; contacts: { externalId: string; id: string }[] };

/**
 * Creates or updates contacts by external id and adds or updates their account links (links not
 * listed stay). An email already used by another contact, or an account the caller may not see,
 * refuses the whole request.
 */
export async function upsertContacts(ctx: Ctx, items: readonly ContactItem[], base: (string | number)[] = ["contacts"]): Promise<ContactUpsertResult> {
  const issues = new IssueList();
  const seen = new Map<string, number>();
  const emails = new Map<string, number>();
  items.forEach((c, i) => {
    if (seen.has(c.externalId)) issues.add([...base, i, "externalId"], `The external id “${c.externalId}” appears twice in this request.`);
    seen.set(c.externalId, i);
    const email = c.email?.toLowerCase();
    if (email) {
      if (emails.has(email)) issues.add([...base, i, "email"], `The email ${c.email} appears twice in this request.`);
      emails.set(email, i);
    }
  });
  issues.throwIfAny();

  const accounts = await accountsByExternalId(ctx, items.flatMap((c) => (c.accounts ?? []).map((l) => l.accountExternalId)));
  items.forEach((c, i) =>
    (c.accounts ?? []).forEach((l, j) => {
      if (!accounts.has(l.accountExternalId)) issues.add([...base, i, "accounts", j, "accountExternalId"], unknownAccount(l.accountExternalId));
    }),
  );
  if (emails.size) {
    const taken = await rows<{ email: string; external_id: string | null }>(
      ctx.db,
      sql`select lower(email) as email, external_id from contacts where lower(email) = any(${pgArray([...emails.keys()])}::text[])`,
    );
    for (const t of taken) {
      const i = emails.get(t.email)!;
      if (t.external_id !== items[i].externalId) issues.add([...base, i, "email"], `Another contact already has the email ${items[i].email}.`);
    }
  }
  if (!ctx.viewer.seesAll) {
    // A token limited to a subtree may change only contacts linked to an account inside it.
    const reachable = await rows<{ external_id: string; reachable: boolean }>(
      ctx.db,
      sql`select c.external_id, exists (select 1 from account_contacts l join accounts a on a.id = l.account_id
            where l.contact_id = c.id and ${visibleAccount(ctx.viewer, sql`a.id`, sql`a.type_id`)}) as reachable
          from contacts c where c.external_id = any(${pgArray([...seen.keys()])}::text[])`,
    );
    for (const r of reachable) if (!r.reachable) issues.add([...base, seen.get(r.external_id)!, "externalId"], "This contact is not linked to any account this token may write to.");
  }
  issues.throwIfAny();

  // Two statements for the whole request: the contacts (external ids are unique in it), then their links.
  const written = await rows<{ id: string; external_id: string; created: boolean }>(
    ctx.db,
    sql`insert into contacts (external_id, name, email, title, phone)
        select * from unnest(${pgArray(items.map((c) => c.externalId))}::text[], ${pgArray(items.map((c) => c.name))}::text[],
          ${pgArray(items.map((c) => c.email ?? null))}::text[], ${pgArray(items.map((c) => c.title ?? null))}::text[],
          ${pgArray(items.map((c) => c.phone ?? null))}::text[])
        on conflict (external_id) do update set name = excluded.name,
          email = coalesce(excluded.email, contacts.email), title = coalesce(excluded.title, contacts.title),
          phone = coalesce(excluded.phone, contacts.phone)
        returning id, external_id, (xmax = 0) as created`,
  );
  const writtenBy = new Map(written.map((w) => [w.external_id, w]));
  const result: ContactUpsertResult = { created: 0, updated: 0, links: 0, contacts: [] };
  // One row per (account, contact): a link listed twice counts as written twice, the later one wins.
  const links = new Map<string, { accountId: string; contactId: string; role: string; isKey: boolean }>();
  for (const c of items) {
    const row = writtenBy.get(c.externalId)!;
    if (row.created) result.created++;
    else result.updated++;
    result.contacts.push({ externalId: c.externalId, id: row.id });
    for (const link of c.accounts ?? []) {
      const accountId = accounts.get(link.accountExternalId)!.id;
      links.set(`${accountId}|${row.id}`, { accountId, contactId: row.id, role: link.role, isKey: link.isKey ?? false });
      result.links++;
    }
  }
  if (links.size) {
    const list = [...links.values()];
    await ctx.db.execute(sql`
      insert into account_contacts (account_id, contact_id, role, is_key)
      select * from unnest(${pgArray(list.map((l) => l.accountId))}::uuid[], ${pgArray(list.map((l) => l.contactId))}::uuid[],
        ${pgArray(list.map((l) => l.role))}::text[], ${pgArray(list.map((l) => String(l.isKey)))}::boolean[])
      on conflict (account_id, contact_id) do update set role = excluded.role, is_key = excluded.is_key`);
  }
  return result;
}
