import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { and, eq, gte, lt, sql } from "drizzle-orm";
import { attributeChanges, attributeDefinitions, contracts, users } from "@/db/schema";
import { findAccount, isEmptyValue, type AccountSummary } from "@/lib/dal/accounts";
import { attributeHistory, attributesOf, fieldGroupsOf, headerAttributes, keyInfoOf, recentChanges } from "@/lib/dal/attributes";
import { contactSurveys, contactTouchpoints, contactUsage, findContact } from "@/lib/dal/contacts";
import { contactsOfAccount } from "@/lib/dal/contacts";
import { assignedMembers, viewerWorkingLevels } from "@/lib/dal/people";
import { myAccounts } from "@/lib/dal/portfolio";
import { revenueDetails, revenueSummary } from "@/lib/dal/revenue";
import { csatSummary, npsSummary, supportSummary } from "@/lib/dal/support";
import { loadViewer, type Ctx } from "@/lib/dal/viewer";
import { demoNow, drivers, openSeededDatabase } from "./support/databases";

type Seeded = Awaited<ReturnType<typeof openSeededDatabase>>;

describe.each(drivers)("account facts on %s", (driver) => {
  let seeded: Seeded;
  let admin: Ctx;
  let csm: Ctx;
  let viewer: Ctx;

  const ctxFor = async (email: string): Promise<Ctx> => {
    const [user] = await seeded.db.select({ id: users.id }).from(users).where(eq(users.email, email));
    const loaded = await loadViewer(seeded.db, user.id);
    if (!loaded) throw new Error(`no viewer ${email}`);
    return { db: seeded.db, viewer: loaded };
  };
  const account = async (ctx: Ctx, id: string): Promise<AccountSummary> => {
    const found = await findAccount(ctx, id);
    if (!found) throw new Error(`account ${id} not visible`);
    return found;
  };

  beforeAll(async () => {
    seeded = await openSeededDatabase(driver);
    [admin, csm, viewer] = await Promise.all([ctxFor("admin@demo.test"), ctxFor("csm@demo.test"), ctxFor("viewer@demo.test")]);
  });
  afterAll(async () => {
    await seeded?.close();
  });

  it("shows on Key Info only key attributes that have a value", async () => {
    // Every account with a key-info attribute left empty: Key Info must skip it and keep the rest.
    const rows = await seeded.db.execute<{ account_id: string; key: string }>(sql`
      select a.id as account_id, d.key from accounts a
      join attribute_definitions d on d.account_type_id = a.type_id and d.key_info and d.deleted_at is null and not d.privileged
      left join attribute_values v on v.account_id = a.id and v.attribute_id = d.id
      where v.value is null or v.value = 'null'::jsonb or v.value = '""'::jsonb
      order by a.name, d.key limit 1`);
    expect(rows.rows.length, "the demo set has an account with an empty key-info attribute").toBe(1);
    const { account_id, key } = rows.rows[0];
    const target = await account(admin, account_id);
    const keyInfo = await keyInfoOf(admin, target);
    expect(keyInfo.map((a) => a.key)).not.toContain(key);
    expect(keyInfo.length).toBeGreaterThan(0);
    expect(keyInfo.every((a) => a.keyInfo && !isEmptyValue(a.value))).toBe(true);
    const expected = (await attributesOf(admin, target)).filter((a) => a.keyInfo && !isEmptyValue(a.value)).map((a) => a.key);
    expect(keyInfo.map((a) => a.key)).toEqual(expected);
    // The All view still lists the empty attribute.
    const all = await fieldGroupsOf(admin, target);
    expect(all.groups.flatMap((g) => g.attributes.map((a) => a.key))).toContain(key);
  });

  it("marks attributes rolled up from below on parent accounts", async () => {
    const company = await account(admin, seeded.demo.companyId);
    const attributes = await headerAttributes(admin, company);
    const rules = await seeded.db
      .select({ key: attributeDefinitions.key })
      .from(attributeDefinitions)
      .where(and(eq(attributeDefinitions.accountTypeId, company.typeId), sql`${attributeDefinitions.rollupRule} <> 'none'`));
    expect(rules.length).toBeGreaterThan(0);
    expect(attributes.filter((a) => a.rolledUp).map((a) => a.key).sort()).toEqual(rules.map((r) => r.key).sort());
  });

  it("shows privileged attributes to csm@demo.test only where they are assigned", async () => {
    const assigned = (await myAccounts(csm)).find((a) => a.typeName === "Product");
    expect(assigned).toBeDefined();
    const mine = await account(csm, assigned!.id);
    const privilegedKeys = (await attributesOf(admin, mine)).filter((a) => a.privileged).map((a) => a.key);
    expect(privilegedKeys.length).toBeGreaterThan(0);
    const all = (await fieldGroupsOf(csm, mine)).groups.flatMap((g) => g.attributes.map((a) => a.key));
    expect(all).toEqual(expect.arrayContaining(privilegedKeys));

    // EMEA is visible to the csm (their scope) but they are not assigned there.
    const emea = await account(csm, seeded.demo.emeaRegionId);
    const adminEmea = (await headerAttributes(admin, emea)).filter((a) => a.privileged);
    expect(adminEmea.length).toBeGreaterThan(0);
    const csmEmea = await fieldGroupsOf(csm, emea);
    expect(csmEmea.groups.flatMap((g) => g.attributes).filter((a) => a.privileged)).toEqual([]);
    expect((await keyInfoOf(csm, emea)).filter((a) => a.privileged)).toEqual([]);
    const everything = { since: new Date(0), until: new Date(demoNow().getTime() + 86_400_000) };
    expect((await recentChanges(csm, emea, everything)).filter((c) => c.privileged)).toEqual([]);
    for (const key of adminEmea.map((a) => a.key)) {
      expect(await attributeHistory(csm, emea, key)).toEqual([]);
    }
  });

  it("lists the recent changes of the last 7 days exactly as a direct query does", async () => {
    const until = demoNow();
    const since = new Date(until.getTime() - 7 * 86_400_000);
    const [busiest] = await seeded.db
      .select({ accountId: attributeChanges.accountId, n: sql<number>`count(*)::int` })
      .from(attributeChanges)
      .where(and(gte(attributeChanges.changedAt, since), lt(attributeChanges.changedAt, until)))
      .groupBy(attributeChanges.accountId)
      .orderBy(sql`count(*) desc`)
      .limit(1);
    expect(busiest, "the demo set has attribute changes in the last 7 days").toBeDefined();
    const target = await account(admin, busiest.accountId);
    const direct = await seeded.db
      .select({ id: attributeChanges.id, oldValue: attributeChanges.oldValue, newValue: attributeChanges.newValue })
      .from(attributeChanges)
      .where(and(eq(attributeChanges.accountId, target.id), gte(attributeChanges.changedAt, since), lt(attributeChanges.changedAt, until)));
    const changes = await recentChanges(admin, target, { since, until });
    expect(changes.map((c) => c.id).sort((a, b) => a - b)).toEqual(direct.map((d) => d.id).sort((a, b) => a - b));
    const byId = new Map(direct.map((d) => [d.id, d]));
    for (const change of changes) {
      expect(change.oldValue).toEqual(byId.get(change.id)!.oldValue);
      expect(change.newValue).toEqual(byId.get(change.id)!.newValue);
      expect(change.changedAt.getTime()).toBeGreaterThanOrEqual(since.getTime());
    }
    const sorted = changes.map((c) => c.changedAt.getTime());
    expect(sorted).toEqual([...sorted].sort((a, b) => b - a));

    // One attribute's history holds every change of it, older ones included.
    const key = changes[0].attributeKey;
    const history = await attributeHistory(admin, target, key);
    const [{ n }] = await seeded.db
      .select({ n: sql<number>`count(*)::int` })
      .from(attributeChanges)
      .innerJoin(attributeDefinitions, eq(attributeDefinitions.id, attributeChanges.attributeId))
      .where(and(eq(attributeChanges.accountId, target.id), eq(attributeDefinitions.key, key)));
    expect(history.length).toBe(Number(n));
    expect(history.every((h) => h.attributeKey === key)).toBe(true);
  });

  it("computes MRR from active, non-excluded contracts and shows an override next to it", async () => {
    const product = await account(admin, seeded.demo.busiestProductId);
    const [direct] = await seeded.db
      .select({ mrr: sql<string>`coalesce(sum(${contracts.mrr}), 0)` })
      .from(contracts)
      .where(and(eq(contracts.accountId, product.id), eq(contracts.active, true), eq(contracts.excluded, false)));
    const summary = await revenueSummary(admin, product);
    expect(summary.computedMrr).toBeCloseTo(Number(direct.mrr), 2);
    expect(summary.computedMrr).toBeGreaterThan(0);
    expect(summary.arr).toBeCloseTo(summary.mrr * 12, 2);
    const details = await revenueDetails(admin, product);
    const fromTable = details.contracts.filter((c) => c.active && !c.excluded).reduce((a, c) => a + c.mrr, 0);
    expect(fromTable).toBeCloseTo(summary.computedMrr, 2);

    const overridden = await account(admin, seeded.demo.mrrOverrideProductId);
    const [stored] = await seeded.db.execute<{ value: unknown }>(sql`
      select v.value from attribute_values v join attribute_definitions d on d.id = v.attribute_id
      where d.key = 'mrr_override' and v.account_id = ${overridden.id}`).then((r) => r.rows);
    expect(typeof stored?.value).toBe("number");
    const withOverride = await revenueSummary(admin, overridden);
    expect(withOverride.override).toBe(stored.value);
    expect(withOverride.mrr).toBe(withOverride.override);
    const [computed] = await seeded.db
      .select({ mrr: sql<string>`coalesce(sum(${contracts.mrr}), 0)` })
      .from(contracts)
      .where(and(eq(contracts.accountId, overridden.id), eq(contracts.active, true), eq(contracts.excluded, false)));
    expect(withOverride.computedMrr).toBeCloseTo(Number(computed.mrr), 2);
    expect(withOverride.computedMrr).not.toBe(withOverride.override);
  });

  it("reads parents' revenue, support and surveys from their rollup row", async () => {
    const company = await account(admin, seeded.demo.companyId);
    const [rollup] = await seeded.db.execute<{ mrr: string; descendants: number; open_tickets: number; nps_count: number; csat_count: number }>(
      sql`select mrr, descendants, open_tickets, nps_count, csat_count from account_rollups where account_id = ${company.id}`,
    ).then((r) => r.rows);
    const [revenue, support, nps, csat] = await Promise.all([
      revenueSummary(admin, company),
      supportSummary(admin, company),
      npsSummary(admin, company),
      csatSummary(admin, company),
    ]);
    expect(revenue.rollup).toMatchObject({ descendants: Number(rollup.descendants) });
    expect(revenue.rollup!.mrr).toBeCloseTo(Number(rollup.mrr), 2);
    expect(support.rollup?.openTickets).toBe(Number(rollup.open_tickets));
    expect(nps.responses).toBe(Number(rollup.nps_count));
    expect(nps.rolledUpFrom).toBe(Number(rollup.descendants));
    expect(csat.responses).toBe(Number(rollup.csat_count));
    // A leaf has no rollup: its numbers are its own.
    const product = await account(admin, seeded.demo.busiestProductId);
    expect((await revenueSummary(admin, product)).rollup).toBeNull();
  });

  it("shows a contact linked at product and region level with both roles to admin", async () => {
    const contact = await findContact(admin, seeded.demo.sharedContactId);
    expect(contact).not.toBeNull();
    const byType = new Map(contact!.accounts.map((a) => [a.typeName, a.role]));
    expect(byType.get("Product")).toBeTruthy();
    expect(byType.get("Region")).toBeTruthy();
    expect(byType.get("Product")).not.toBe(byType.get("Region"));
    const [usage, surveys, touchpoints] = await Promise.all([
      contactUsage(admin, contact!, demoNow()),
      contactSurveys(admin, contact!),
      contactTouchpoints(admin, contact!),
    ]);
    expect(usage.total).toBe(usage.byModule.reduce((a, m) => a + m.events, 0));
    expect(surveys.every((s) => contact!.accounts.length > 0 && typeof s.score === "number")).toBe(true);
    expect(touchpoints.total).toBeGreaterThanOrEqual(touchpoints.touchpoints.length);
    expect(touchpoints.touchpoints.length).toBeGreaterThan(0);
    const visibleIds = new Set(contact!.accounts.map((a) => a.accountId));
    expect(surveys.every((s) => visibleIds.has(s.accountId) || s.accountName.length > 0)).toBe(true);
    // The account's contact list carries the same role.
    const region = contact!.accounts.find((a) => a.typeName === "Region")!;
    const listed = await contactsOfAccount(admin, await account(admin, region.accountId));
    expect(listed.contacts.find((c) => c.id === contact!.id)?.role).toBe(region.role);
  });

  it("sums an end user's usage of the last 90 days by module like a direct query", async () => {
    const since = new Date(demoNow().getTime() - 90 * 86_400_000).toISOString().slice(0, 10);
    const [top] = await seeded.db.execute<{ contact_id: string; events: string }>(sql`
      select contact_id, sum(events)::bigint as events from usage_daily
      where account_id = ${seeded.demo.busiestProductId} and day >= ${since} and contact_id <> '00000000-0000-0000-0000-000000000000'
      group by contact_id order by 2 desc limit 1`).then((r) => r.rows);
    expect(top).toBeDefined();
    const contact = (await findContact(admin, top.contact_id))!;
    const linked = contact.accounts.map((a) => a.accountId);
    expect(linked).toContain(seeded.demo.busiestProductId);
    const [direct] = await seeded.db.execute<{ events: string; last: string | Date }>(sql`
      select sum(events)::bigint as events, (select max(day) from usage_daily where contact_id = ${contact.id}
        and account_id in (${sql.join(linked.map((id) => sql`${id}::uuid`), sql`, `)})) as last
      from usage_daily where contact_id = ${contact.id} and day >= ${since}
        and account_id in (${sql.join(linked.map((id) => sql`${id}::uuid`), sql`, `)})`).then((r) => r.rows);
    const usage = await contactUsage(admin, contact, demoNow());
    expect(usage.total).toBe(Number(direct.events));
    expect(usage.total).toBeGreaterThan(0);
    expect(usage.byModule.length).toBeGreaterThan(0);
    expect(String(usage.lastActive)).toBe(direct.last instanceof Date ? direct.last.toISOString().slice(0, 10) : String(direct.last).slice(0, 10));
  });

  it("hides an EMEA-only contact from viewer@demo.test (Americas only)", async () => {
    // The shared contact is linked only inside EMEA (the region and some of its products).
    const id = seeded.demo.sharedContactId;
    const [outside] = await seeded.db.execute<{ n: number }>(sql`
      select count(*)::int as n from account_contacts ac
      where ac.contact_id = ${id} and not exists (select 1 from account_closure c
        where c.descendant_id = ac.account_id and c.ancestor_id = ${seeded.demo.emeaRegionId})`).then((r) => r.rows);
    expect(Number(outside.n)).toBe(0);
    expect(await findContact(admin, id)).not.toBeNull();
    expect(await findContact(viewer, id)).toBeNull();
    expect(await findContact(viewer, "not-a-uuid")).toBeNull();
    expect(await findContact(viewer, "00000000-0000-4000-8000-000000000000")).toBeNull();
  });

  it("lists who is assigned, marks the viewer and their other working levels", async () => {
    const assigned = (await myAccounts(csm)).find((a) => a.typeName === "Product")!;
    const product = await account(csm, assigned.id);
    const members = await assignedMembers(csm, product);
    expect(members.find((m) => m.isViewer)?.roles).toEqual(expect.arrayContaining(assigned.roles));
    expect(members.filter((m) => m.isViewer)).toHaveLength(1);
    const levels = await viewerWorkingLevels(csm, product);
    const expected = (await myAccounts(csm)).filter((a) => a.id !== product.id);
    for (const level of levels) expect(expected.map((a) => a.id)).toContain(level.accountId);
  });
});
