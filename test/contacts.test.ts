/**
 * Contacts written from the app, on PGlite and on a real Postgres: create on an account, edit,
 * link, unlink, key contact, search, and merge two duplicates (every reference moved in one
 * transaction, links on both accounts merged, nothing left naming the removed contact, the merge
 * on every linked account's timeline). Each change is on the timeline and in the audit log.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { sql } from "drizzle-orm";
import { runAction, type ActionResult } from "@/lib/actions/define";
import { createContact, updateContact } from "@/lib/contacts/edit";
import { linkContact, searchContacts, setKeyContact, unlinkContact } from "@/lib/contacts/links";
import { CONTACT_REFERENCES, mergeContacts } from "@/lib/contacts/merge";
import { findContact } from "@/lib/dal/contacts";
import { loadViewer, type Ctx } from "@/lib/dal/viewer";
import { drivers, openSeededDatabase } from "./support/databases";

type Seeded = Awaited<ReturnType<typeof openSeededDatabase>>;

function data<T>(result: ActionResult<T>): T {
  if (!result.ok) throw new Error(`action refused: ${result.error} ${JSON.stringify(result.fieldErrors ?? {})}`);
  return result.data;
}

describe.each(drivers)("contacts in the app on %s", (driver) => {
  let seeded: Seeded;
  let admin: Ctx;
  let csm: Ctx;
  let viewer: Ctx;
  /** A: a product Casey (csm) is assigned to; B: an Americas product Casey cannot see; P: another product Casey sees. */
  let A: string;
  let B: string;
  let P: string;
  let seq = 0;
  const q = async <T,>(query: ReturnType<typeof sql>) => (await seeded.db.execute(query)).rows as T[];
  const ctxFor = async (email: string): Promise<Ctx> => ({ db: seeded.db, viewer: (await loadViewer(seeded.db, seeded.demo.userIds[email]))! });
  const timeline = (accountId: string, contactId: string) =>
    q<{ title: string; snapshot: Record<string, unknown> }>(
      sql`select title, snapshot from timeline_entries where account_id = ${accountId} and kind = 'contact' and ref_id = ${contactId} order by id`,
    );
  const audit = (contactId: string) => q<{ action: string; details: Record<string, unknown> }>(sql`select action, details from audit_log where target_type = 'contact' and target_id = ${contactId} order by id`);
  const newContact = async (accountId: string, extra: Record<string, unknown> = {}) =>
    data(await runAction(createContact, { accountId, name: `Dana Test ${++seq}`, email: `dana.${seq}.${driver}@customer.test`, role: "Champion", ...extra }, admin));

  beforeAll(async () => {
    seeded = await openSeededDatabase(driver);
    [admin, csm, viewer] = await Promise.all([ctxFor("admin@demo.test"), ctxFor("csm@demo.test"), ctxFor("viewer@demo.test")]);
    const products = await q<{ id: string }>(sql`select a.id from assignments s join accounts a on a.id = s.account_id join account_types t on t.id = a.type_id
      where s.user_id = ${seeded.demo.userIds["csm@demo.test"]} and t.key = 'product' and a.archived_at is null order by a.name limit 2`);
    [A, P] = products.map((r) => r.id);
    [{ id: B }] = await q<{ id: string }>(sql`select a.id from accounts a join account_types t on t.id = a.type_id join account_closure c on c.descendant_id = a.id
      where c.ancestor_id = ${seeded.demo.americasRegionId} and t.key = 'product' order by a.name limit 1`);
    expect(P).toBeTruthy();
  });
  afterAll(async () => {
    await seeded?.close();
  });

  it("creates a contact linked to the account, on its timeline and in the audit log", async () => {
    const created = data(
      await runAction(createContact, { accountId: A, name: " Ana Ruiz ", email: `ana.${driver}@customer.test`, title: "VP Ops", phone: "+44 20 7946 0000", role: "Sponsor", isKey: "on" }, csm),
    );
    const contact = await findContact(csm, created.id);
    expect(contact).toMatchObject({ name: "Ana Ruiz", email: `ana.${driver}@customer.test`, title: "VP Ops", phone: "+44 20 7946 0000" });
    expect(contact!.accounts).toEqual([expect.objectContaining({ accountId: A, role: "Sponsor", isKey: true })]);
    expect(await timeline(A, created.id)).toEqual([expect.objectContaining({ title: "Ana Ruiz added as Sponsor (key contact)" })]);
    expect((await audit(created.id)).map((a) => a.action)).toEqual(["contact.create"]);
  });

  it("refuses bad input with field errors and writes nothing", async () => {
    const [before] = await q<{ n: number }>(sql`select count(*)::int as n from contacts`);
    const bad = await runAction(createContact, { accountId: A, name: "", email: "not-an-email", role: "" }, csm);
    expect(bad.ok).toBe(false);
    if (!bad.ok) expect(Object.keys(bad.fieldErrors ?? {}).sort()).toEqual(["email", "name", "role"]);
    const taken = await runAction(createContact, { accountId: A, name: "Ana Again", email: `ANA.${driver}@customer.test`, role: "User" }, csm);
    expect(taken).toMatchObject({ ok: false, fieldErrors: { email: ["Another contact already has this email."] } });
    const [after] = await q<{ n: number }>(sql`select count(*)::int as n from contacts`);
    expect(after.n).toBe(before.n);
  });

  it("refuses roles without contacts.edit and accounts out of scope like missing ones", async () => {
    expect(await runAction(createContact, { accountId: B, name: "Nope", role: "User" }, viewer)).toMatchObject({ ok: false, error: "Your role can read profiles but not change contacts." });
    const hidden = await runAction(createContact, { accountId: B, name: "Nope", role: "User" }, csm);
    const missing = await runAction(createContact, { accountId: "00000000-0000-4000-8000-00000000beef", name: "Nope", role: "User" }, csm);
    expect(hidden).toEqual(missing);
    expect(hidden.ok).toBe(false);
    const onB = await newContact(B);
    expect(await runAction(updateContact, { contactId: onB.id, name: "Renamed" }, csm)).toMatchObject({ ok: false, error: "This contact does not exist or you may not act on it." });
  });

  it("edits name, email, title and phone, on the timeline of every linked account", async () => {
    const c = await newContact(A, { title: "Analyst" });
    data(await runAction(linkContact, { accountId: P, contactId: c.id, role: "User" }, admin));
    const saved = data(await runAction(updateContact, { contactId: c.id, name: "Dana Renamed", email: "", title: "Lead analyst", phone: "555 0100" }, csm));
    expect(saved.changed).toEqual(["name", "email", "title", "phone"]);
    expect(await findContact(csm, c.id)).toMatchObject({ name: "Dana Renamed", email: null, title: "Lead analyst", phone: "555 0100" });
    for (const account of [A, P]) expect((await timeline(account, c.id)).at(-1)!.title).toBe("Dana Renamed's details changed (name, email, title, phone)");
    const [entry] = (await audit(c.id)).filter((a) => a.action === "contact.update");
    expect(entry.details).toMatchObject({ before: { title: "Analyst" }, after: { title: "Lead analyst" } });
    expect(data(await runAction(updateContact, { contactId: c.id, name: "Dana Renamed", title: "Lead analyst", phone: "555 0100" }, csm)).changed).toEqual([]);
  });

  it("searches contacts the viewer can see, links, marks key, unmarks and unlinks", async () => {
    const onB = await newContact(B);
    const c = await newContact(A);
    expect((await searchContactsAs(csm, onB.name)).map((m) => m.id)).toEqual([]);
    expect((await searchContactsAs(admin, onB.name)).map((m) => m.id)).toEqual([onB.id]);
    const found = await searchContactsAs(csm, `dana.${c.name.split(" ").at(-1)}.${driver}@`);
    expect(found).toEqual([expect.objectContaining({ id: c.id, accounts: [expect.any(String)] })]);
    expect(await searchContactsAs(csm, c.name, { excludeAccountId: A })).toEqual([]);
    // The account left out must be one the viewer can see (else refused like a missing one).
    expect(await runAction(searchContacts, { q: c.name, excludeAccountId: B }, csm)).toMatchObject({ ok: false, error: "This account does not exist or you may not act on it." });

    data(await runAction(linkContact, { accountId: P, contactId: c.id, role: "Billing", isKey: "" }, csm));
    expect(await runAction(linkContact, { accountId: P, contactId: c.id, role: "Billing" }, csm)).toMatchObject({ ok: false, fieldErrors: { contactId: ["Already linked here."] } });
    // A contact Casey cannot see, to an account Casey can: refused like a missing contact.
    expect(await runAction(linkContact, { accountId: A, contactId: onB.id, role: "User" }, csm)).toMatchObject({ ok: false, error: "This contact does not exist or you may not act on it." });

    data(await runAction(setKeyContact, { accountId: P, contactId: c.id, isKey: "on" }, csm));
    expect((await findContact(csm, c.id))!.accounts.find((l) => l.accountId === P)).toMatchObject({ role: "Billing", isKey: true });
    data(await runAction(setKeyContact, { accountId: P, contactId: c.id }, csm));
    expect((await findContact(csm, c.id))!.accounts.find((l) => l.accountId === P)!.isKey).toBe(false);

    data(await runAction(unlinkContact, { accountId: P, contactId: c.id }, csm));
    expect((await findContact(csm, c.id))!.accounts.map((l) => l.accountId)).toEqual([A]);
    expect(await runAction(unlinkContact, { accountId: A, contactId: c.id }, csm)).toMatchObject({ ok: false });
    expect((await timeline(P, c.id)).map((e) => e.title)).toEqual([
      `${c.name} linked as Billing`,
      `${c.name} marked as key contact`,
      `${c.name} no longer a key contact`,
      `${c.name} unlinked (was Billing)`,
    ]);
    expect((await audit(c.id)).map((a) => a.action)).toEqual(["contact.create", "contact.link", "contact.key", "contact.unkey", "contact.unlink"]);
  });

  async function searchContactsAs(ctx: Ctx, words: string, extra: Record<string, string> = {}) {
    return data(await runAction(searchContacts, { q: words, ...extra }, ctx));
  }

  it("lists every column naming a contact in the merge", async () => {
    const columns = await q<{ name: string }>(sql`select table_name || '.' || column_name as name from information_schema.columns
      where table_schema = 'public' and column_name like '%contact_id' order by 1`);
    expect(columns.map((c) => c.name).sort()).toEqual([...CONTACT_REFERENCES].sort());
  });

  it("merges a duplicate: every reference moved, shared rows merged, the duplicate gone, on both accounts' timelines", async () => {
    const kept = await newContact(A, { phone: "" });
    const dup = await newContact(P, { phone: "555 0199", title: "Duplicate title" });
    // Both on A (the duplicate is key there), the duplicate alone on P.
    data(await runAction(linkContact, { accountId: A, contactId: dup.id, role: "Other", isKey: "on" }, admin));
    const [{ id: touchpointId }] = await q<{ id: string }>(sql`insert into touchpoints (account_id, type, subject, occurred_at) values (${A}, 'call', 'Merge call', now()) returning id`);
    const [{ id: lonelyTouchpoint }] = await q<{ id: string }>(sql`insert into touchpoints (account_id, type, subject, occurred_at) values (${P}, 'call', 'Dup only', now()) returning id`);
    await q(sql`insert into touchpoint_participants (touchpoint_id, contact_id) values (${touchpointId}, ${kept.id}), (${touchpointId}, ${dup.id}), (${lonelyTouchpoint}, ${dup.id})`);
    const [{ id: campaignId }] = await q<{ id: string }>(sql`insert into campaigns (name, sent_at) values ('Merge campaign', now()) returning id`);
    await q(sql`insert into campaign_sends (campaign_id, contact_id, account_id, sent_at, opened_at) values
      (${campaignId}, ${kept.id}, ${A}, '2026-11-01T10:00:00Z', null), (${campaignId}, ${dup.id}, ${A}, '2026-11-01T10:00:00Z', '2026-11-02T10:00:00Z'),
      (${campaignId}, ${dup.id}, ${P}, '2026-11-01T10:00:00Z', null)`);
    await q(sql`insert into survey_responses (account_id, contact_id, kind, score, responded_at) values (${P}, ${dup.id}, 'nps', 9, now())`);
    await q(sql`insert into support_tickets (account_id, contact_id, subject, opened_at) values (${P}, ${dup.id}, 'Login fails', now())`);
    await q(sql`insert into information_requests (account_id, to_contact_id, question) values (${A}, ${dup.id}, 'Renewal date?')`);
    const [activity] = await q<{ id: string; module_id: string }>(sql`select id, module_id from usage_activities order by key limit 1`);
    await q(sql`insert into usage_events (account_id, contact_id, module_id, activity_id, occurred_at, count) values (${A}, ${dup.id}, ${activity.module_id}, ${activity.id}, now(), 3)`);
    await q(sql`insert into usage_daily (account_id, day, activity_id, module_id, contact_id, events) values
      (${A}, '2026-11-20', ${activity.id}, ${activity.module_id}, ${kept.id}, 5), (${A}, '2026-11-20', ${activity.id}, ${activity.module_id}, ${dup.id}, 3),
      (${A}, '2026-11-21', ${activity.id}, ${activity.module_id}, ${dup.id}, 2)`);
    await q(sql`insert into usage_user_windows (account_id, period_days, contact_id, events, last_day) values
      (${A}, 30, ${kept.id}, 5, '2026-11-20'), (${A}, 30, ${dup.id}, 5, '2026-11-21'), (${P}, 30, ${dup.id}, 4, '2026-11-19')`);

    expect(await runAction(mergeContacts, { contactId: kept.id, duplicateId: kept.id }, csm)).toMatchObject({ ok: false, fieldErrors: { duplicateId: [expect.any(String)] } });
    const merged = data(await runAction(mergeContacts, { contactId: kept.id, duplicateId: dup.id }, csm));
    expect(merged.accountIds.sort()).toEqual([A, P].sort());

    expect(await q(sql`select id from contacts where id = ${dup.id}`)).toEqual([]);
    for (const column of CONTACT_REFERENCES) {
      const [table, name] = column.split(".");
      const [{ n }] = await q<{ n: number }>(sql`select count(*)::int as n from ${sql.identifier(table)} where ${sql.identifier(name)} = ${dup.id}`);
      expect(n, column).toBe(0);
    }
    const profile = (await findContact(admin, kept.id))!;
    expect(profile).toMatchObject({ name: kept.name, phone: "555 0199", title: "Duplicate title" });
    expect(profile.accounts.map((l) => [l.accountId, l.role, l.isKey]).sort()).toEqual(
      [
        [A, "Champion", true],
        [P, "Champion", false],
      ].sort(),
    );
    expect(await q(sql`select touchpoint_id from touchpoint_participants where contact_id = ${kept.id} order by touchpoint_id`)).toHaveLength(2);
    const sends = await q<{ account_id: string; opened_at: unknown }>(sql`select account_id, opened_at from campaign_sends where campaign_id = ${campaignId} order by account_id`);
    expect(sends).toHaveLength(2);
    expect(sends.find((s) => s.account_id === A)!.opened_at).not.toBeNull();
    const daily = await q<{ day: string; events: number }>(sql`select day::text as day, events::int as events from usage_daily where contact_id = ${kept.id} order by day`);
    expect(daily).toEqual([
      { day: "2026-11-20", events: 8 },
      { day: "2026-11-21", events: 2 },
    ]);
    const windows = await q<{ account_id: string; events: number; last_day: string }>(
      sql`select account_id, events::int as events, last_day::text as last_day from usage_user_windows where contact_id = ${kept.id} order by account_id`,
    );
    expect(windows.find((w) => w.account_id === A)).toMatchObject({ events: 10, last_day: "2026-11-21" });
    expect(windows.find((w) => w.account_id === P)).toMatchObject({ events: 4 });
    const [moved] = await q<{ surveys: number; tickets: number; requests: number; events: number }>(sql`select
      (select count(*)::int from survey_responses where contact_id = ${kept.id}) as surveys,
      (select count(*)::int from support_tickets where contact_id = ${kept.id}) as tickets,
      (select count(*)::int from information_requests where to_contact_id = ${kept.id}) as requests,
      (select count(*)::int from usage_events where contact_id = ${kept.id}) as events`);
    expect(moved).toEqual({ surveys: 1, tickets: 1, requests: 1, events: 1 });

    for (const account of [A, P]) expect((await timeline(account, kept.id)).at(-1)!.title).toBe(`${dup.name} merged into ${kept.name}`);
    expect((await audit(kept.id)).at(-1)).toMatchObject({ action: "contact.merge", details: { mergedId: dup.id } });
  });

  it("refuses a merge with a contact the viewer cannot see, writing nothing", async () => {
    const kept = await newContact(A);
    const onB = await newContact(B);
    const hidden = await runAction(mergeContacts, { contactId: kept.id, duplicateId: onB.id }, csm);
    const missing = await runAction(mergeContacts, { contactId: kept.id, duplicateId: "00000000-0000-4000-8000-00000000beef" }, csm);
    expect(hidden).toEqual(missing);
    expect(hidden.ok).toBe(false);
    expect(await q(sql`select id from contacts where id = ${onB.id}`)).toHaveLength(1);
    expect(await runAction(mergeContacts, { contactId: kept.id, duplicateId: onB.id }, viewer)).toMatchObject({ ok: false });
  });
});
