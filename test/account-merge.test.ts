/**
 * Merging duplicate accounts (issue 15 item 7), on PGlite and on a real Postgres: two products under
 * different regions, each with sub-accounts, usage, contracts, contacts and attribute values, merge
 * into one; afterwards every rollup equals the raw-row brute force, no row anywhere names the removed
 * id (but the redirect), and refusals change nothing.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { sql } from "drizzle-orm";
import type { DatabaseHandle, Executor } from "@/db/client";
import { accountTypes, contracts, users } from "@/db/schema";
import { runAction } from "@/lib/actions/define";
import { loadViewer, type Ctx } from "@/lib/dal/viewer";
import { mergeAccountsAction, restoreAccountAction } from "@/lib/hierarchy/account-actions";
import { archiveAccount, createAccount } from "@/lib/hierarchy/accounts";
import { mergeAccounts, mergedInto } from "@/lib/hierarchy/merge";
import { ingestUsage } from "@/lib/ingest/usage";
import { afterAttributeValuesChanged } from "@/lib/rollups/attributes";
import { afterContractsChanged, afterHealthSnapshot } from "@/lib/rollups/own-figures";
import { drivers, openTestDatabase } from "./support/databases";
import { expectRollupsMatchRawRows } from "./support/rollup-check";

async function q<T>(db: Executor, query: ReturnType<typeof sql>): Promise<T[]> {
  return ((await db.execute(query)) as unknown as { rows: T[] }).rows;
}

/** Every (table, column) in which a row still holds `id`: uuid columns and uuid[] columns (paths). */
async function referencesTo(db: Executor, id: string): Promise<string[]> {
  const columns = await q<{ table_name: string; column_name: string; data_type: string }>(
    db,
    sql`select table_name, column_name, data_type from information_schema.columns
        where table_schema = 'public' and (data_type = 'uuid' or (data_type = 'ARRAY' and udt_name = '_uuid'))
        order by table_name, column_name`,
  );
  const found: string[] = [];
  for (const c of columns) {
    const column = sql.identifier(c.column_name);
    const test = c.data_type === "uuid" ? sql`${column} = ${id}::uuid` : sql`${id}::uuid = any(${column})`;
    const [{ n }] = await q<{ n: number }>(db, sql`select count(*)::int as n from ${sql.identifier(c.table_name)} where ${test}`);
    if (n > 0) found.push(`${c.table_name}.${c.column_name}`);
  }
  return found;
}

describe.each(drivers)("account merge on %s", (driver) => {
  let handle: DatabaseHandle;
  let admin: Ctx;
  let member: Ctx;
  const types: Record<string, string> = {};
  const ids: Record<string, string> = {};
  const contactIds: Record<string, string> = {};

  const write = <T,>(ctx: Ctx, run: (ctx: Ctx) => Promise<T>) => handle.db.transaction((tx) => run({ db: tx, viewer: ctx.viewer }));
  const make = async (name: string, typeKey: string, parent: string | null) =>
    (await write(admin, (ctx) => createAccount(ctx, { name, typeKey, parentId: parent && ids[parent], externalId: `x ${name}` }))).id;
  const rollup = async (key: string) => (await q<{ descendants: number; mrr: string }>(handle.db, sql`select descendants, mrr from account_rollups where account_id = ${ids[key]}`))[0];
  const usage = async (key: string) =>
    Number((await q<{ n: string }>(handle.db, sql`select coalesce(sum(events), 0) as n from usage_rollup_daily where account_id = ${ids[key]}`))[0].n);
  const counts = async () =>
    (
      await q<Record<string, number>>(
        handle.db,
        sql`select (select count(*)::int from accounts) as accounts, (select count(*)::int from contracts) as contracts,
          (select count(*)::int from usage_events) as events, (select count(*)::int from account_merges) as merges,
          (select count(*)::int from timeline_entries) as timeline, (select count(*)::int from account_contacts) as links`,
      )
    )[0];

  beforeAll(async () => {
    handle = await openTestDatabase(driver);
    const db = handle.db;
    const rows = await db
      .insert(accountTypes)
      .values([
        { key: "company", name: "Company", pluralName: "Companies", level: 0 },
        { key: "region", name: "Region", pluralName: "Regions", level: 1 },
        { key: "product", name: "Product", pluralName: "Products", level: 2 },
        { key: "opportunity", name: "Opportunity", pluralName: "Opportunities", level: 3, isOpportunity: true },
      ])
      // The migrations created the reserved Opportunity type: take it over.
      .onConflictDoUpdate({ target: accountTypes.key, set: { level: sql`excluded.level` } })
      .returning();
    for (const r of rows) types[r.key] = r.id;
    await db.execute(sql`insert into account_type_parents (child_type_id, parent_type_id) values
      (${types.region}, ${types.company}), (${types.product}, ${types.region}), (${types.opportunity}, ${types.product})`);
    await db.execute(sql`insert into attribute_definitions (account_type_id, key, label, data_type, rollup_rule, rollup_source_key) values
      (${types.product}, 'seats', 'Seats', 'number', 'none', null),
      (${types.product}, 'tier', 'Tier', 'text', 'none', null),
      (${types.company}, 'total_seats', 'Total seats', 'number', 'sum', 'seats'),
      (${types.region}, 'max_seats', 'Most seats', 'number', 'max', 'seats')`);
    const [module] = await q<{ id: string }>(db, sql`insert into usage_modules (key, name) values ('reports', 'Reports') returning id`);
    await db.execute(sql`insert into usage_activities (module_id, key, name) values (${module.id}, 'run', 'Run')`);
    const people = await db
      .insert(users)
      .values([
        { email: "admin@test", name: "Admin", role: "admin" },
        { email: "member@test", name: "Member", role: "member" },
      ])
      .returning();
    admin = { db, viewer: (await loadViewer(db, people.find((p) => p.role === "admin")!.id))! };
    member = { db, viewer: (await loadViewer(db, people.find((p) => p.role === "member")!.id))! };

    ids.company = await make("Umbrella", "company", null);
    ids.east = await make("East", "region", "company");
    ids.west = await make("West", "region", "company");
    ids.shop = await make("Shop", "product", "east");
    ids.dup = await make("Shop (duplicate)", "product", "west");
    ids.other = await make("Till", "product", "west");
    ids.dealA = await make("Deal A", "opportunity", "shop");
    ids.dealB = await make("Deal B", "opportunity", "dup");
    ids.dealC = await make("Deal C", "opportunity", "dup");
    // An archived sub-account goes with its parent too (and stays archived).
    ids.dealD = await make("Deal D", "opportunity", "dup");
    await write(admin, (ctx) => archiveAccount(ctx, ids.dealD));

    const contacts = await q<{ id: string; email: string }>(
      db,
      sql`insert into contacts (email, name) values ('both@test', 'Both'), ('dup@test', 'Dup only') returning id, email`,
    );
    for (const c of contacts) contactIds[c.email] = c.id;
    await db.execute(sql`insert into account_contacts (account_id, contact_id, role, is_key) values
      (${ids.shop}, ${contactIds["both@test"]}, 'Champion', false),
      (${ids.dup}, ${contactIds["both@test"]}, 'Buyer', true),
      (${ids.dup}, ${contactIds["dup@test"]}, 'User', false)`);

    await db.transaction(async (tx) => {
      for (const [key, mrr] of [["shop", "1000.00"], ["dup", "300.00"], ["dealB", "50.00"], ["other", "10.00"]] as const) {
        await tx.insert(contracts).values({ accountId: ids[key], name: "Plan", value: "0", mrr, startDate: "2026-01-01" });
        await afterContractsChanged(tx, ids[key]);
      }
      await tx.execute(sql`insert into attribute_values (account_id, attribute_id, value)
        select a.id, d.id, v.value::jsonb from (values (${ids.shop}::uuid, 'seats', '50'), (${ids.dup}::uuid, 'seats', '20'),
          (${ids.dup}::uuid, 'tier', '"gold"'), (${ids.other}::uuid, 'seats', '70')) as v(account_id, key, value)
        join accounts a on a.id = v.account_id join attribute_definitions d on d.key = v.key and d.account_type_id = a.type_id`);
      await tx.execute(sql`insert into attribute_changes (account_id, attribute_id, old_value, new_value)
        select ${ids.dup}::uuid, id, null, '20'::jsonb from attribute_definitions where key = 'seats'`);
      for (const key of ["shop", "dup", "other"]) await afterAttributeValuesChanged(tx, ids[key], ["seats", "tier"]);
      await ingestUsage({ db: tx, viewer: admin.viewer }, [
        { accountExternalId: "x Shop", module: "reports", activity: "run", occurredAt: "2026-11-10T10:00:00Z", count: 7 },
        { accountExternalId: "x Shop (duplicate)", module: "reports", activity: "run", occurredAt: "2026-11-10T11:00:00Z", count: 5 },
        { accountExternalId: "x Shop (duplicate)", module: "reports", activity: "run", occurredAt: "2026-11-12T11:00:00Z", count: 2 },
        { accountExternalId: "x Deal B", module: "reports", activity: "run", occurredAt: "2026-11-11T10:00:00Z", count: 3 },
      ]);
    });
    await db.execute(sql`insert into health_snapshots (account_id, week_start, score, band, dimensions) values
      (${ids.shop}, '2026-11-02', 80, 'good', '{}'), (${ids.dup}, '2026-11-02', 20, 'poor', '{}'), (${ids.dup}, '2026-10-26', 50, 'average', '{}')`);
    for (const key of ["shop", "dup"]) await afterHealthSnapshot(db, ids[key]);
    await db.execute(sql`insert into tasks (account_id, title) values (${ids.dup}, 'Call the duplicate')`);
    await expectRollupsMatchRawRows(db, "before the merge");
  });
  afterAll(async () => {
    await handle?.close();
  });

  it("refuses a merge without confirmation, across types, of an account with itself or by a member, changing nothing", async () => {
    const before = await counts();
    const unconfirmed = await runAction(mergeAccountsAction, { accountId: ids.shop, mergedId: ids.dup }, admin);
    expect(unconfirmed).toMatchObject({ ok: false, fieldErrors: { confirm: ["Tick the box to confirm the merge."] } });
    const acrossTypes = await runAction(mergeAccountsAction, { accountId: ids.shop, mergedId: ids.east, confirm: "on" }, admin);
    expect(acrossTypes).toMatchObject({ ok: false, fieldErrors: { mergedId: ["Choose another Product."] } });
    expect(JSON.stringify(acrossTypes)).toContain("only accounts of the same type can be merged");
    const itself = await runAction(mergeAccountsAction, { accountId: ids.shop, mergedId: ids.shop, confirm: "on" }, admin);
    expect(itself).toMatchObject({ ok: false });
    const byMember = await runAction(mergeAccountsAction, { accountId: ids.shop, mergedId: ids.dup, confirm: "on" }, member);
    expect(byMember.ok).toBe(false);
    await expect(write(member, (ctx) => mergeAccounts(ctx, ids.shop, ids.dup))).rejects.toThrow();
    expect(await counts()).toEqual(before);
    await expectRollupsMatchRawRows(handle.db, "after refusals");
  });

  it("moves everything to the kept product, deletes the duplicate, keeps both regions' rollups right and leaves a redirect", async () => {
    expect(await rollup("east")).toMatchObject({ descendants: 2, mrr: "1000.00" });
    expect(await rollup("west")).toMatchObject({ descendants: 4, mrr: "360.00" });
    expect(await usage("west")).toBe(10);
    const before = await counts();

    const result = await runAction(mergeAccountsAction, { accountId: ids.shop, mergedId: ids.dup, confirm: "on" }, admin);
    expect(result).toMatchObject({ ok: true, data: { id: ids.shop, mergedId: ids.dup, mergedName: "Shop (duplicate)", childrenMoved: 3 } });

    // Both chains of ancestors, and everything else, equal the raw-row brute force.
    await expectRollupsMatchRawRows(handle.db, "after the merge");
    expect(await rollup("east")).toMatchObject({ descendants: 4, mrr: "1350.00" });
    expect(await rollup("west")).toMatchObject({ descendants: 1, mrr: "10.00" });
    expect(await rollup("company")).toMatchObject({ descendants: 7, mrr: "1360.00" });
    expect(await usage("east")).toBe(17);
    expect(await usage("west")).toBe(0);

    // Nothing references the removed id, except the redirect row and the event log (history).
    expect(await referencesTo(handle.db, ids.dup)).toEqual(["account_merges.merged_account_id", "domain_events.account_id"]);
    const [redirect] = await q<{ kept_account_id: string; merged_name: string; merged_by: string }>(
      handle.db,
      sql`select kept_account_id, merged_name, merged_by from account_merges where merged_account_id = ${ids.dup}`,
    );
    expect(redirect).toEqual({ kept_account_id: ids.shop, merged_name: "Shop (duplicate)", merged_by: admin.viewer.userId });
    expect(await mergedInto(handle.db, ids.dup)).toBe(ids.shop);

    // Sub-accounts re-parented with their paths; raw rows moved, none lost.
    const deals = await q<{ id: string; parent_id: string; path: string[]; depth: number; archived: boolean }>(
      handle.db,
      sql`select id, parent_id, path, depth, archived_at is not null as archived from accounts where id in (${ids.dealB}, ${ids.dealC}, ${ids.dealD}) order by name`,
    );
    expect(deals.map((d) => [d.parent_id, d.path, d.depth, d.archived])).toEqual([
      [ids.shop, [ids.company, ids.east, ids.shop], 3, false],
      [ids.shop, [ids.company, ids.east, ids.shop], 3, false],
      [ids.shop, [ids.company, ids.east, ids.shop], 3, true],
    ]);
    const after = await counts();
    expect(after).toMatchObject({ accounts: before.accounts - 1, contracts: before.contracts, events: before.events, merges: before.merges + 1 });
    // usage_daily: the same day and activity summed into one row (7 + 5), the other day moved.
    const daily = await q<{ day: string; events: string }>(handle.db, sql`select day::text, events from usage_daily where account_id = ${ids.shop} order by day`);
    expect(daily.map((d) => [d.day, Number(d.events)])).toEqual([["2026-11-10", 12], ["2026-11-12", 2]]);
    // Contacts: the shared one once, with the kept account's role and key if key on either; the other linked.
    const links = await q<{ contact_id: string; role: string; is_key: boolean }>(
      handle.db,
      sql`select contact_id, role, is_key from account_contacts where account_id = ${ids.shop} order by role`,
    );
    expect(links).toEqual([
      { contact_id: contactIds["both@test"], role: "Champion", is_key: true },
      { contact_id: contactIds["dup@test"], role: "User", is_key: false },
    ]);
    // Attribute values: the kept one's wins, the duplicate's fills a gap; its history moved.
    const values = await q<{ key: string; value: unknown }>(
      handle.db,
      sql`select d.key, v.value from attribute_values v join attribute_definitions d on d.id = v.attribute_id where v.account_id = ${ids.shop} order by d.key`,
    );
    expect(values).toEqual([{ key: "seats", value: 50 }, { key: "tier", value: "gold" }]);
    const [{ n: changes }] = await q<{ n: number }>(handle.db, sql`select count(*)::int as n from attribute_changes where account_id = ${ids.shop}`);
    expect(changes).toBe(1);
    // Health: the kept account's week wins; the duplicate's other week comes along.
    const health = await q<{ week_start: string; band: string }>(
      handle.db,
      sql`select week_start::text, band from health_snapshots where account_id = ${ids.shop} order by week_start`,
    );
    expect(health).toEqual([{ week_start: "2026-10-26", band: "average" }, { week_start: "2026-11-02", band: "good" }]);
    const [{ n: tasks }] = await q<{ n: number }>(handle.db, sql`select count(*)::int as n from tasks where account_id = ${ids.shop}`);
    expect(tasks).toBe(1);
    // On the kept account's timeline and in the audit log.
    const [entry] = await q<{ title: string }>(
      handle.db,
      sql`select title from timeline_entries where account_id = ${ids.shop} and kind = 'hierarchy_change' order by id desc limit 1`,
    );
    expect(entry.title).toBe("Merged Shop (duplicate) into this account");
    const [audit] = await q<{ actor_id: string; target_id: string; details: { mergedId: string } }>(
      handle.db,
      sql`select actor_id, target_id, details from audit_log where action = 'account.merge'`,
    );
    expect(audit).toMatchObject({ actor_id: admin.viewer.userId, target_id: ids.shop, details: { mergedId: ids.dup } });
  });

  it("re-points an earlier redirect when the kept account is merged in turn", async () => {
    ids.shop2 = await make("Shop again", "product", "west");
    await write(admin, (ctx) => mergeAccounts(ctx, ids.shop2, ids.shop));
    expect(await mergedInto(handle.db, ids.dup)).toBe(ids.shop2);
    expect(await mergedInto(handle.db, ids.shop)).toBe(ids.shop2);
    expect(await referencesTo(handle.db, ids.shop)).toEqual(["account_merges.merged_account_id", "domain_events.account_id"]);
    await expectRollupsMatchRawRows(handle.db, "after a second merge");
  });

  it("restores an archived account through its action, once", async () => {
    await write(admin, (ctx) => archiveAccount(ctx, ids.other));
    await expectRollupsMatchRawRows(handle.db, "archived");
    const restored = await runAction(restoreAccountAction, { accountId: ids.other }, admin);
    expect(restored).toMatchObject({ ok: true, data: { id: ids.other, restored: 1 } });
    await expectRollupsMatchRawRows(handle.db, "restored");
    const again = await runAction(restoreAccountAction, { accountId: ids.other }, admin);
    expect(again.ok).toBe(false);
  });
});
