/**
 * The last writes of /api/v1 (issue 17, api3 helper), on PGlite and on a real Postgres, run as the
 * handler runs them (zod, then one transaction): campaigns listed, read, changed and deleted (a
 * campaign with sends is refused with 409 and their count, nothing written), campaign sends
 * changed and deleted, a contact deleted only when no history names it (409 with the references
 * otherwise), and every API change of an account's record on its timeline. A subtree token gets
 * the same 404 for another region's record as for a missing one.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { sql } from "drizzle-orm";
import { MUTATIONS } from "@/lib/api/mutations";
import { listRecords, READS, readRecord, type TokenScope } from "@/lib/api/reads";
import { API_SCOPE_KEYS } from "@/lib/api/scopes";
import type { Viewer } from "@/lib/dal/viewer";
import { apiWriteFixture, mutate as mutateAs, post as postAs } from "./support/api-writes";
import { drivers, openSeededDatabase } from "./support/databases";
import { q, refused } from "./support/sql-rows";

describe.each(drivers)("API campaign, contact and history writes on %s", (driver) => {
  let seeded: Awaited<ReturnType<typeof openSeededDatabase>>;
  let admin: Viewer;
  let emea: Viewer;
  let product: { external_id: string; id: string };
  let outside: { external_id: string; id: string };
  let contact: { external_id: string; id: string };
  const scopeOf = (viewer: Viewer): TokenScope => ({ tokenId: "00000000-0000-0000-0000-0000000000ab", scopes: [...API_SCOPE_KEYS], viewer });
  const post = (viewer: Viewer, name: Parameters<typeof postAs>[2], body: unknown) => postAs(seeded.db, viewer, name, body);
  const mutate = (viewer: Viewer, name: Parameters<typeof mutateAs>[2], id: string, body?: unknown) => mutateAs(seeded.db, viewer, name, id, body);
  const count = async (query: ReturnType<typeof sql>) => (await q<{ n: number }>(seeded.db, query))[0].n;
  const latestEntry = async (refId: string) =>
    (await q<{ kind: string; title: string; snapshot: Record<string, unknown>; account_id: string }>(
      seeded.db,
      sql`select kind::text, title, snapshot, account_id from timeline_entries where ref_id = ${refId} order by id desc limit 1`,
    ))[0];

  beforeAll(async () => {
    seeded = await openSeededDatabase(driver);
    ({ admin, emea, product, outside } = await apiWriteFixture(seeded.db));
    [contact] = await q(seeded.db, sql`select external_id, id from contacts where external_id is not null order by external_id limit 1`);
  });
  afterAll(() => seeded?.close());

  it("lists, reads, changes and deletes campaigns; a campaign with sends is refused with their count", async () => {
    const send = (account: string) => ({ accountExternalId: account, contactExternalId: contact.external_id });
    const { ids } = await post(admin, "campaigns", {
      campaigns: [
        { name: "History webinar", channel: "webinar", sentAt: "2026-11-05T09:00:00Z", sends: [send(product.external_id), send(outside.external_id)] },
        { name: "Americas only", sentAt: "2026-11-05T09:00:00Z", sends: [send(outside.external_id)] },
      ],
    });
    const [both, americas] = ids;
    // Lists: filters, the subtree's view (only campaigns with a send there; its own sends counted).
    const page = await listRecords(seeded.db, scopeOf(admin), READS.campaigns, new URLSearchParams({ channel: "webinar", limit: "200" }));
    expect(page.data.map((c) => c.id)).toContain(both);
    expect(page.data.every((c) => c.channel === "webinar")).toBe(true);
    expect(await readRecord(seeded.db, scopeOf(admin), READS.campaigns, both)).toMatchObject({ name: "History webinar", sends: 2, opened: 0, sentAt: expect.stringContaining("2026-11-05") });
    expect(await readRecord(seeded.db, scopeOf(emea), READS.campaigns, both)).toMatchObject({ sends: 1 });
    expect(await readRecord(seeded.db, scopeOf(emea), READS.campaigns, americas), "no send in its subtree").toBeNull();
    const emeaIds = new Set<unknown>();
    for (let cursor: string | null = null, pages = 0; pages === 0 || cursor; pages++) {
      const p = await listRecords(seeded.db, scopeOf(emea), READS.campaigns, new URLSearchParams({ limit: "2", ...(cursor ? { cursor } : {}) }));
      p.data.forEach((c) => emeaIds.add(c.id));
      cursor = p.next_cursor;
    }
    expect(emeaIds.has(both) && !emeaIds.has(americas)).toBe(true);
    const unknown = await refused(() => listRecords(seeded.db, scopeOf(admin), READS.campaigns, new URLSearchParams({ status: "sent" })));
    expect([unknown.status, unknown.message]).toEqual([400, expect.stringMatching(/Allowed filters: name, channel, since, until/)]);

    // Changes: bad bodies name their field; another region's campaign is missing; a shared one is refused.
    expect(MUTATIONS.patchCampaign.body!.safeParse({ name: "" }).error?.issues[0].path).toEqual(["name"]);
    expect(MUTATIONS.patchCampaign.body!.safeParse({ colour: "red" }).success).toBe(false);
    expect(MUTATIONS.patchCampaignSend.body!.safeParse({ openedAt: "yesterday" }).error?.issues[0].path).toEqual(["openedAt"]);
    expect((await refused(() => mutate(emea, "patchCampaign", americas, { name: "Hijacked" }))).status).toBe(404);
    expect((await refused(() => mutate(emea, "patchCampaign", both, { name: "Hijacked" }))).status, "it also went to another region").toBe(403);
    await mutate(admin, "patchCampaign", both, { name: "History webinar (recording)" });
    expect((await readRecord(seeded.db, scopeOf(admin), READS.campaigns, both))?.name).toBe("History webinar (recording)");
    expect(await count(sql`select count(*)::int as n from audit_log where target_id = ${both} and action = 'campaign.update'`)).toBe(1);

    // Deleting a campaign with sends: 409 with their count, nothing written.
    const refusal = await refused(() => mutate(admin, "deleteCampaign", both));
    expect([refusal.status, refusal.extra]).toEqual([409, { references: { campaign_sends: 2 } }]);
    expect(await count(sql`select count(*)::int as n from campaign_sends where campaign_id = ${both}`)).toBe(2);

    // Sends: the subtree token changes its own and never another region's; each change is on the account's timeline.
    const mine = `${both}:${contact.id}:${product.id}`;
    const theirs = `${both}:${contact.id}:${outside.id}`;
    expect((await refused(() => mutate(emea, "patchCampaignSend", theirs, { openedAt: "2026-11-06T10:00:00Z" }))).status).toBe(404);
    expect((await refused(() => mutate(emea, "deleteCampaignSend", theirs))).status).toBe(404);
    await mutate(emea, "patchCampaignSend", mine, { openedAt: "2026-11-06T10:00:00Z" });
    expect(await readRecord(seeded.db, scopeOf(emea), READS.campaignSends, mine)).toMatchObject({ openedAt: expect.stringContaining("2026-11-06") });
    const opened = await latestEntry(both);
    expect(opened).toMatchObject({ kind: "campaign", account_id: product.id, title: expect.stringMatching(/History webinar \(recording\): send to .+ changed \(opened at\)/) });
    expect(opened.snapshot).toMatchObject({ opened: 1, channel: "webinar" });
    await mutate(emea, "deleteCampaignSend", mine);
    expect((await latestEntry(both)).title).toMatch(/deleted$/);
    expect((await refused(() => mutate(emea, "deleteCampaignSend", mine))).status, "deleted twice").toBe(404);
    // With only another region's send left, the subtree token no longer reaches the campaign.
    expect((await refused(() => mutate(emea, "deleteCampaign", both))).status).toBe(404);
    await mutate(admin, "deleteCampaignSend", theirs);
    await mutate(admin, "deleteCampaign", both);
    expect(await readRecord(seeded.db, scopeOf(admin), READS.campaigns, both)).toBeNull();
    expect(await count(sql`select count(*)::int as n from audit_log where target_id = ${both} and action = 'campaign.delete'`)).toBe(1);
  });

  it("deletes a contact only when no history names it, and records the deletion", async () => {
    // A contact named by history: refused with what names it, nothing written.
    const [named] = await q<{ id: string; sends: number; touchpoints: number }>(
      seeded.db,
      sql`select c.id, (select count(*)::int from campaign_sends s where s.contact_id = c.id) as sends,
            (select count(*)::int from touchpoint_participants p where p.contact_id = c.id) as touchpoints
          from contacts c where exists (select 1 from touchpoint_participants p where p.contact_id = c.id)
          and exists (select 1 from account_contacts ac where ac.contact_id = c.id) order by c.id limit 1`,
    );
    const contacts = await count(sql`select count(*)::int as n from contacts`);
    const refusal = await refused(() => mutate(admin, "deleteContact", named.id));
    expect(refusal.status).toBe(409);
    expect(refusal.extra.references).toMatchObject({ campaign_sends: named.sends, touchpoints: named.touchpoints });
    expect(refusal.message).toMatch(/merge/i);
    expect(await count(sql`select count(*)::int as n from contacts`), "nothing written").toBe(contacts);

    // An unreferenced contact: a subtree token cannot reach one of another region; the admin deletes it.
    await post(admin, "contacts", {
      contacts: [
        { externalId: "api3-unused-emea", name: "Una Used", email: "una.used@example.test", accounts: [{ accountExternalId: product.external_id, role: "Champion" }] },
        { externalId: "api3-unused-americas", name: "Otto Other", accounts: [{ accountExternalId: outside.external_id, role: "Champion" }] },
        { externalId: "api3-unused-both", name: "Bea Both", accounts: [{ accountExternalId: product.external_id, role: "User" }, { accountExternalId: outside.external_id, role: "User" }] },
      ],
    });
    const idOf = async (externalId: string) => (await q<{ id: string }>(seeded.db, sql`select id from contacts where external_id = ${externalId}`))[0].id;
    const [mine, theirs, both] = [await idOf("api3-unused-emea"), await idOf("api3-unused-americas"), await idOf("api3-unused-both")];
    expect((await refused(() => mutate(emea, "deleteContact", theirs))).status).toBe(404);
    expect((await refused(() => mutate(emea, "deleteContact", both))).status, "also linked outside its subtree").toBe(403);
    expect(await mutate(emea, "deleteContact", mine)).toEqual({ id: mine, deleted: true });
    expect(await readRecord(seeded.db, scopeOf(admin), READS.contacts, mine)).toBeNull();
    expect(await latestEntry(mine)).toMatchObject({ kind: "contact", account_id: product.id, title: "Una Used deleted" });
    expect(await count(sql`select count(*)::int as n from audit_log where target_id = ${mine} and action = 'contact.delete'`)).toBe(1);
    expect((await refused(() => mutate(admin, "deleteContact", mine))).status, "deleted twice").toBe(404);
  });

  it("puts API changes of invoices, sales, collection records and touchpoints on the account's timeline", async () => {
    const invoice = await post(admin, "invoices", { invoices: [{ accountExternalId: product.external_id, number: "INV-TL-1", amount: 500, issuedOn: "2026-11-01", dueOn: "2026-11-30" }] });
    await mutate(admin, "patchInvoice", invoice.ids[0], { paidOn: "2026-11-20" });
    const paid = await latestEntry(invoice.ids[0]);
    expect(paid).toMatchObject({ kind: "revenue", account_id: product.id, title: "Invoice INV-TL-1 changed (paid on)" });
    expect(paid.snapshot).toMatchObject({ from: { "paid on": null }, to: { "paid on": "2026-11-20" }, via: admin.name });
    const before = await count(sql`select count(*)::int as n from timeline_entries where ref_id = ${invoice.ids[0]}`);
    await refused(() => mutate(admin, "patchInvoice", invoice.ids[0], { dueOn: "2026-10-01" }));
    expect(await count(sql`select count(*)::int as n from timeline_entries where ref_id = ${invoice.ids[0]}`), "a refused change is no entry").toBe(before);
    await mutate(admin, "deleteInvoice", invoice.ids[0]);
    expect((await latestEntry(invoice.ids[0])).title).toBe("Invoice INV-TL-1 deleted");

    const sale = await post(admin, "sales", { sales: [{ accountExternalId: product.external_id, name: "Training", amount: 900, soldOn: "2026-10-15" }] });
    await mutate(admin, "patchSale", sale.ids[0], { amount: 950 });
    expect(await latestEntry(sale.ids[0])).toMatchObject({ kind: "revenue", title: "Sale “Training” changed (amount)" });

    const record = await post(admin, "collectionRecords", { records: [{ collection: "crm_opportunities", accountExternalId: product.external_id, values: { name: "Renewal", stage: "Proposal" } }] });
    await mutate(admin, "patchCollectionRecord", record.ids[0], { values: { stage: "Closed won" } });
    const moved = await latestEntry(record.ids[0]);
    expect(moved).toMatchObject({ kind: "collection_record", title: expect.stringMatching(/record “Renewal” changed \(stage\)$/) });
    expect(moved.snapshot).toMatchObject({ from: { stage: "Proposal" }, to: { stage: "Closed won" } });

    // A corrected touchpoint: the entry of when it was logged stays; a new one shows it corrected.
    const touchpoint = await post(admin, "touchpoints", { touchpoints: [{ accountExternalId: product.external_id, type: "call", subject: "Kickoff", body: "First call", occurredAt: "2026-11-04T15:00:00Z" }] });
    // Touchpoints feed the engagement dimension: a correction queues the account's re-score, as logging does.
    await seeded.db.execute(sql`delete from health_dirty where account_id = ${product.id}`);
    await mutate(admin, "patchTouchpoint", touchpoint.ids[0], { subject: "Kick-off with the new team", body: "First call, agreed the plan" });
    expect(await count(sql`select count(*)::int as n from health_dirty where account_id = ${product.id}`)).toBeGreaterThan(0);
    const entries = await q<{ title: string; snapshot: Record<string, unknown> }>(seeded.db, sql`select title, snapshot from timeline_entries where ref_id = ${touchpoint.ids[0]} order by id`);
    expect(entries.map((e) => e.title)).toEqual(["Call: Kickoff", "Call corrected: Kick-off with the new team"]);
    expect(entries[1].snapshot).toMatchObject({ change: "corrected", subject: "Kick-off with the new team", body: "First call, agreed the plan", });
    expect([...(entries[1].snapshot.fields as string[])].sort()).toEqual(["body", "subject"]);
    // A subtree token: another region's touchpoint is missing, and nothing is written on its timeline.
    const foreign = await post(admin, "touchpoints", { touchpoints: [{ accountExternalId: outside.external_id, type: "note", subject: "Private", occurredAt: "2026-11-04T15:00:00Z" }] });
    expect((await refused(() => mutate(emea, "patchTouchpoint", foreign.ids[0], { subject: "Seen" }))).status).toBe(404);
    expect(await count(sql`select count(*)::int as n from timeline_entries where ref_id = ${foreign.ids[0]}`)).toBe(1);
  });
});
