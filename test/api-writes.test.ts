/**
 * The writes issue 17 added to /api/v1 for tables only the seed filled (invoices, sales, collection
 * records, campaigns), PATCH/DELETE of one record (invoices, sales, collection records,
 * touchpoints, contacts), and the one-record reads by a key of several columns, on PGlite and on
 * a real Postgres. Each write runs as the API runs it: zod, then one transaction. A refusal writes
 * nothing; a record outside a subtree token's reach is a 404 like a missing one.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { sql } from "drizzle-orm";
import { ENDPOINTS } from "@/lib/api/endpoints";
import { MUTATIONS } from "@/lib/api/mutations";
import { listRecords, READS, readRecord, type TokenScope } from "@/lib/api/reads";
import { API_SCOPE_KEYS } from "@/lib/api/scopes";
import type { Viewer } from "@/lib/dal/viewer";
import { apiWriteFixture, mutate as mutateAs, post as postAs } from "./support/api-writes";
import { drivers, openSeededDatabase } from "./support/databases";
import { q, refused } from "./support/sql-rows";

describe.each(drivers)("API writes and keyed reads on %s", (driver) => {
  let seeded: Awaited<ReturnType<typeof openSeededDatabase>>;
  let admin: Viewer;
  let emea: Viewer;
  let product: { external_id: string; id: string };
  let outside: { external_id: string; id: string };
  const scopeOf = (viewer: Viewer): TokenScope => ({ tokenId: "00000000-0000-0000-0000-0000000000aa", scopes: [...API_SCOPE_KEYS], viewer });
  const post = (viewer: Viewer, name: Parameters<typeof postAs>[2], body: unknown) => postAs(seeded.db, viewer, name, body);
  const mutate = (viewer: Viewer, name: Parameters<typeof mutateAs>[2], id: string, body?: unknown) => mutateAs(seeded.db, viewer, name, id, body);

  beforeAll(async () => {
    seeded = await openSeededDatabase(driver);
    ({ admin, emea, product, outside } = await apiWriteFixture(seeded.db));
  });
  afterAll(() => seeded?.close());

  it("adds invoices and sales, changes and deletes them by id, and refuses bad input whole", async () => {
    const [contract] = await q<{ external_id: string }>(seeded.db, sql`select external_id from contracts where account_id = ${product.id} and external_id is not null limit 1`);
    const [foreign] = await q<{ external_id: string }>(seeded.db, sql`select external_id from contracts where account_id <> ${product.id} and external_id is not null limit 1`);
    const before = await q<{ n: number }>(seeded.db, sql`select count(*)::int as n from invoices`);
    const bad = await refused(() =>
      post(admin, "invoices", {
        invoices: [
          { accountExternalId: product.external_id, number: "INV-OK", amount: 10, issuedOn: "2026-11-01", dueOn: "2026-11-30" },
          { accountExternalId: product.external_id, contractExternalId: foreign.external_id, number: "INV-X", amount: 10, issuedOn: "2026-11-01", dueOn: "2026-11-30" },
        ],
      }),
    );
    expect(bad.status).toBe(422);
    expect(bad.issues[0].path).toEqual(["invoices", 1, "contractExternalId"]);
    expect(await q<{ n: number }>(seeded.db, sql`select count(*)::int as n from invoices`), "nothing written").toEqual(before);
    expect(ENDPOINTS.invoices.body.safeParse({ invoices: [{ accountExternalId: "x", number: "1", amount: 1, issuedOn: "2026-11-02", dueOn: "2026-11-01" }] }).success).toBe(false);

    const { ids } = await post(admin, "invoices", {
      invoices: [{ accountExternalId: product.external_id, contractExternalId: contract.external_id, number: "INV-API-1", amount: 1234.5, issuedOn: "2026-11-01", dueOn: "2026-11-30" }],
    });
    const read = await readRecord(seeded.db, scopeOf(admin), READS.invoices, ids[0]);
    expect(read).toMatchObject({ accountId: product.id, number: "INV-API-1", amount: 1234.5, paidOn: null, dueOn: "2026-11-30" });
    await mutate(admin, "patchInvoice", ids[0], { paidOn: "2026-11-20" });
    expect((await readRecord(seeded.db, scopeOf(admin), READS.invoices, ids[0]))?.paidOn).toBe("2026-11-20");
    const late = await refused(() => mutate(admin, "patchInvoice", ids[0], { dueOn: "2026-10-01" }));
    expect([late.status, late.issues[0].path]).toEqual([422, ["dueOn"]]);
    expect((await readRecord(seeded.db, scopeOf(admin), READS.invoices, ids[0]))?.dueOn, "the refused change wrote nothing").toBe("2026-11-30");
    const [audit] = await q<{ action: string }>(seeded.db, sql`select action from audit_log where target_id = ${ids[0]} order by id`);
    expect(audit.action).toBe("invoice.update");

    const sale = await post(admin, "sales", { sales: [{ accountExternalId: outside.external_id, name: "Onboarding package", amount: 5000, soldOn: "2026-10-15" }] });
    // A subtree token: the sale of another region is missing, for reading, changing and deleting alike.
    expect(await readRecord(seeded.db, scopeOf(emea), READS.sales, sale.ids[0])).toBeNull();
    expect((await refused(() => mutate(emea, "patchSale", sale.ids[0], { amount: 1 }))).status).toBe(404);
    expect((await refused(() => mutate(emea, "deleteSale", sale.ids[0]))).status).toBe(404);
    expect((await refused(() => post(emea, "sales", { sales: [{ accountExternalId: outside.external_id, name: "x", amount: 1, soldOn: "2026-10-15" }] }))).status).toBe(422);
    await mutate(admin, "patchSale", sale.ids[0], { name: "Onboarding package (revised)" });
    expect((await readRecord(seeded.db, scopeOf(admin), READS.sales, sale.ids[0]))?.name).toBe("Onboarding package (revised)");
    await mutate(admin, "deleteSale", sale.ids[0]);
    expect(await readRecord(seeded.db, scopeOf(admin), READS.sales, sale.ids[0])).toBeNull();
    expect((await refused(() => mutate(admin, "deleteSale", sale.ids[0]))).status, "deleted twice").toBe(404);
    expect(MUTATIONS.patchSale.body!.safeParse({}).success, "an empty PATCH").toBe(false);
  });

  it("adds collection records checked against the collection's columns, and merges a PATCH", async () => {
    const bad = await refused(() =>
      post(admin, "collectionRecords", { records: [{ collection: "crm_opportunities", accountExternalId: product.external_id, values: { name: "Deal", amount: "lots", colour: "red" } }] }),
    );
    expect(bad.issues.map((i) => i.path.join("."))).toEqual(["records.0.values.amount", "records.0.values.colour"]);
    expect((await refused(() => post(admin, "collectionRecords", { records: [{ collection: "nope", accountExternalId: product.external_id, values: {} }] }))).issues[0].path).toEqual(["records", 0, "collection"]);
    const { ids } = await post(admin, "collectionRecords", {
      records: [{ collection: "crm_opportunities", accountExternalId: product.external_id, values: { name: "API expansion", stage: "Proposal", amount: 42000, close_date: "2027-01-31" } }],
    });
    await mutate(admin, "patchCollectionRecord", ids[0], { values: { stage: "Closed won" } });
    const read = await readRecord(seeded.db, scopeOf(admin), READS.collectionRecords, ids[0]);
    expect(read).toMatchObject({ accountId: product.id, collection: "crm_opportunities", values: { name: "API expansion", stage: "Closed won", amount: 42000, close_date: "2027-01-31" } });
    expect((await refused(() => mutate(admin, "patchCollectionRecord", ids[0], { values: { close_date: "soon" } }))).issues[0].path).toEqual(["values", "close_date"]);
    await mutate(admin, "deleteCollectionRecord", ids[0]);
    expect(await readRecord(seeded.db, scopeOf(admin), READS.collectionRecords, ids[0])).toBeNull();
  });

  it("adds a campaign with its sends, all or nothing, and reads a send by its key", async () => {
    const [contact] = await q<{ external_id: string; id: string }>(seeded.db, sql`select external_id, id from contacts where external_id is not null order by external_id limit 1`);
    const campaigns = await q<{ n: number }>(seeded.db, sql`select count(*)::int as n from campaigns`);
    const send = (account: string) => ({ accountExternalId: account, contactExternalId: contact.external_id, openedAt: "2026-11-03T10:00:00Z" });
    const body = { campaigns: [{ name: "API webinar", sentAt: "2026-11-02T09:00:00Z", sends: [send(product.external_id), send(outside.external_id)] }] };
    expect((await refused(() => post(emea, "campaigns", body))).issues[0].path).toEqual(["campaigns", 0, "sends", 1, "accountExternalId"]);
    expect(await q<{ n: number }>(seeded.db, sql`select count(*)::int as n from campaigns`), "nothing written").toEqual(campaigns);
    const { ids } = await post(admin, "campaigns", body);
    const page = await listRecords(seeded.db, scopeOf(emea), READS.campaignSends, new URLSearchParams({ campaignId: ids[0] }));
    expect(page.data, "the subtree token sees its region's send only").toHaveLength(1);
    expect(page.data[0]).toMatchObject({ campaignName: "API webinar", accountId: product.id, contactId: contact.id, sentAt: expect.stringContaining("2026-11-02") });
    expect(await readRecord(seeded.db, scopeOf(emea), READS.campaignSends, String(page.data[0].id))).toEqual(page.data[0]);
    expect(await readRecord(seeded.db, scopeOf(emea), READS.campaignSends, `${ids[0]}:${contact.id}:${outside.id}`), "outside the subtree").toBeNull();
  });

  it("corrects and deletes a touchpoint, and changes a contact's details", async () => {
    const { ids } = await post(admin, "touchpoints", { touchpoints: [{ accountExternalId: product.external_id, type: "call", subject: "Kick-off", occurredAt: "2026-11-04T15:00:00Z" }] });
    await mutate(admin, "patchTouchpoint", ids[0], { subject: "Kick-off call", type: "meeting" });
    expect(await readRecord(seeded.db, scopeOf(admin), READS.touchpoints, ids[0])).toMatchObject({ subject: "Kick-off call", type: "meeting" });
    expect(MUTATIONS.patchTouchpoint.body!.safeParse({ type: "fax" }).success).toBe(false);
    await mutate(admin, "deleteTouchpoint", ids[0]);
    expect(await readRecord(seeded.db, scopeOf(admin), READS.touchpoints, ids[0])).toBeNull();
    // Its history stays: the entry of when it was logged, the correction and the deletion (test/api-history-writes.test.ts).
    expect((await q<{ title: string }>(seeded.db, sql`select title from timeline_entries where ref_id = ${ids[0]} order by id`)).map((e) => e.title)).toEqual([
      "Call: Kick-off",
      "Meeting corrected: Kick-off call",
      "Meeting deleted: Kick-off call",
    ]);

    const [contact] = await q<{ id: string; name: string }>(seeded.db, sql`select c.id, c.name from contacts c join account_contacts ac on ac.contact_id = c.id where ac.account_id = ${product.id} limit 1`);
    await mutate(admin, "patchContact", contact.id, { title: "VP Operations", phone: null });
    expect(await readRecord(seeded.db, scopeOf(admin), READS.contacts, contact.id)).toMatchObject({ name: contact.name, title: "VP Operations", phone: null });
    const [entry] = await q<{ title: string }>(seeded.db, sql`select title from timeline_entries where kind = 'contact' and ref_id = ${contact.id} order by id desc limit 1`);
    expect(entry.title).toMatch(/title/);
    const [stranger] = await q<{ id: string }>(seeded.db, sql`select c.id from contacts c where not exists (select 1 from account_contacts ac join account_closure cl on cl.descendant_id = ac.account_id
      join accounts r on r.id = cl.ancestor_id where ac.contact_id = c.id and r.external_id = 'demo-emea') limit 1`);
    expect((await refused(() => mutate(emea, "patchContact", stranger.id, { title: "x" }))).status).toBe(404);
  });

  it("reads one assignment, health snapshot and lifecycle stage by its key's values, and never outside the subtree", async () => {
    const [{ id: americas }] = await q<{ id: string }>(seeded.db, sql`select id from accounts where external_id = 'demo-americas'`);
    for (const resource of [READS.assignments, READS.healthSnapshots, READS.lifecycleStages, READS.campaignSends]) {
      const mine = (await listRecords(seeded.db, scopeOf(emea), resource, new URLSearchParams({ limit: "1" }))).data[0];
      expect(await readRecord(seeded.db, scopeOf(emea), resource, String(mine.id)), resource.name).toEqual(mine);
      const theirs = (await listRecords(seeded.db, scopeOf(admin), resource, new URLSearchParams({ limit: "1", subtree: americas }))).data[0];
      expect(await readRecord(seeded.db, scopeOf(admin), resource, String(theirs.id)), resource.name).toEqual(theirs);
      expect(await readRecord(seeded.db, scopeOf(emea), resource, String(theirs.id)), `${resource.name} outside the subtree`).toBeNull();
      for (const id of ["", ":", "x:y", `${mine.accountId}`, String(mine.id).replace(/^[^:]+/, "not-a-uuid"), `${mine.id}:extra`]) expect(await readRecord(seeded.db, scopeOf(admin), resource, id), `${resource.name} “${id}”`).toBeNull();
    }
  });
});
