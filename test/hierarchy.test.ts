/**
 * Hierarchy rules and structural changes, on PGlite and on a real Postgres: refusals change nothing,
 * a move re-rolls the old and the new ancestors, archive and delete take the subtree out of every
 * total, and the account-type rules (Opportunity is never a parent) hold server-side.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { eq, sql } from "drizzle-orm";
import { z } from "zod";
import type { DatabaseHandle, Executor } from "@/db/client";
import { accountTypes, contracts, users } from "@/db/schema";
import { runAction } from "@/lib/actions/define";
import { loadViewer, type Ctx } from "@/lib/dal/viewer";
import { createAccountType, listAccountTypesWithParents, setAllowedParents } from "@/lib/hierarchy/account-types";
import { archiveAccount, createAccount, deleteAccount, moveAccount, renameAccount, restoreAccount } from "@/lib/hierarchy/accounts";
import { ingestUsage } from "@/lib/ingest/usage";
import { afterAttributeValuesChanged } from "@/lib/rollups/attributes";
import { afterContractsChanged } from "@/lib/rollups/own-figures";
import { drivers, openSeededDatabase, openTestDatabase } from "./support/databases";
import { expectRollupsMatchRawRows } from "./support/rollup-check";


async function q<T>(db: Executor, query: ReturnType<typeof sql>): Promise<T[]> {
  return ((await db.execute(query)) as unknown as { rows: T[] }).rows;
}

/** Everything a structural change may touch, in a comparable form. */
async function snapshot(db: Executor) {
  const out: Record<string, unknown[]> = {};
  for (const [name, query] of [
    ["accounts", sql`select id, parent_id, path, depth, archived_at from accounts order by id`],
    ["closure", sql`select * from account_closure order by ancestor_id, descendant_id`],
    ["rollups", sql`select account_id, descendants, mrr, open_tickets, health_good, own_mrr from account_rollups order by account_id`],
    ["usage", sql`select * from usage_rollup_daily order by account_id, day, module_id`],
    ["attributes", sql`select * from attribute_rollups order by account_id, source_key`],
    ["moves", sql`select count(*)::int as n from account_moves`],
    ["parents", sql`select * from account_type_parents order by child_type_id, parent_type_id`],
  ] as const) {
    out[name] = await q(db, query);
  }
  return out;
}

const moveDefinition = {
  name: "moveAccount",
  schema: z.object({ accountId: z.string(), parentId: z.string().optional() }),
  authorize: () => true as const,
  run: (ctx: Ctx, input: { accountId: string; parentId?: string }) => moveAccount(ctx, input.accountId, input.parentId || null),
};

describe.each(drivers)("hierarchy on %s", (driver) => {
  let handle: DatabaseHandle;
  let admin: Ctx;
  let member: Ctx;
  const types: Record<string, string> = {};
  const ids: Record<string, string> = {};

  const write = <T,>(ctx: Ctx, run: (ctx: Ctx) => Promise<T>) => handle.db.transaction((tx) => run({ db: tx, viewer: ctx.viewer }));
  const make = async (name: string, typeKey: string, parent: string | null) =>
    (await write(admin, (ctx) => createAccount(ctx, { name, typeKey, parentId: parent && ids[parent], externalId: `x ${name}` }))).id;
  const rollup = async (key: string) =>
    (await q<{ descendants: number; mrr: string; health_good: number }>(handle.db, sql`select * from account_rollups where account_id = ${ids[key]}`))[0];
  const usage = async (key: string) =>
    Number((await q<{ n: string }>(handle.db, sql`select coalesce(sum(events), 0) as n from usage_rollup_daily where account_id = ${ids[key]}`))[0].n);
  const seats = async (key: string) =>
    (await q<{ sum_below: string; max_below: string | null }>(handle.db, sql`select sum_below, max_below from attribute_rollups where account_id = ${ids[key]} and source_key = 'seats'`))[0];

  beforeAll(async () => {
    handle = await openTestDatabase(driver);
    const db = handle.db;
    const rows = await db
      .insert(accountTypes)
      .values([
        { key: "company", name: "Company", pluralName: "Companies", level: 0 },
        { key: "region", name: "Region", pluralName: "Regions", level: 1 },
        { key: "lob", name: "Line of business", pluralName: "Lines of business", level: 2 },
        { key: "product", name: "Product", pluralName: "Products", level: 3 },
        { key: "opportunity", name: "Opportunity", pluralName: "Opportunities", level: 4, isOpportunity: true },
      ])
      // The migrations created the reserved Opportunity type: take it over.
      .onConflictDoUpdate({ target: accountTypes.key, set: { level: sql`excluded.level` } })
      .returning();
    for (const r of rows) types[r.key] = r.id;
    await db.execute(sql`insert into account_type_parents (child_type_id, parent_type_id) values
      (${types.region}, ${types.company}), (${types.lob}, ${types.region}), (${types.product}, ${types.lob}),
      (${types.product}, ${types.region}), (${types.opportunity}, ${types.product})`);
    await db.execute(sql`insert into attribute_definitions (account_type_id, key, label, data_type, rollup_rule, rollup_source_key) values
      (${types.product}, 'seats', 'Seats', 'number', 'none', null),
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
    ids.retail = await make("Retail", "lob", "east");
    ids.cloud = await make("Cloud", "lob", "west");
    ids.shop = await make("Shop", "product", "retail");
    ids.till = await make("Till", "product", "retail");
    ids.deal = await make("Big deal", "opportunity", "shop");
    await db.transaction(async (tx) => {
      for (const [key, mrr, seatCount] of [["shop", "1000.00", 50], ["till", "250.00", 5], ["cloud", "4000.00", null]] as const) {
        await tx.insert(contracts).values({ accountId: ids[key], name: "Plan", value: "0", mrr, startDate: "2026-01-01" });
        await afterContractsChanged(tx, ids[key]);
        if (seatCount !== null) {
          await tx.execute(sql`insert into attribute_values (account_id, attribute_id, value)
            select ${ids[key]}::uuid, id, ${JSON.stringify(seatCount)}::jsonb from attribute_definitions where key = 'seats'`);
          await afterAttributeValuesChanged(tx, ids[key], ["seats"]);
        }
      }
      await ingestUsage({ db: tx, viewer: admin.viewer }, [
        { accountExternalId: "x Shop", module: "reports", activity: "run", occurredAt: "2026-11-10T10:00:00Z", count: 7 },
        { accountExternalId: "x Big deal", module: "reports", activity: "run", occurredAt: "2026-11-11T10:00:00Z", count: 3 },
      ]);
    });
  });
  afterAll(async () => {
    await handle?.close();
  });

  it("refuses a move under an opportunity or under the account's own subtree, changing nothing", async () => {
    const before = await snapshot(handle.db);
    const cases: [string, string, RegExp][] = [
      ["till", "deal", /Big deal is an opportunity, and an opportunity can never have sub-accounts/],
      ["retail", "shop", /Shop is one of Retail's own sub-accounts/],
      ["west", "deal", /Big deal is an opportunity/],
      ["east", "deal", /Big deal is one of East.s own sub-accounts/],
      ["retail", "retail", /Retail cannot be moved under itself/],
      ["shop", "company", /A Product can sit under a Region or Line of business, not under a Company \(Umbrella\)/],
      ["retail", "east", /Retail already sits under East/],
    ];
    for (const [account, parent, message] of cases) {
      const result = await runAction(moveDefinition, { accountId: ids[account], parentId: ids[parent] }, admin);
      expect(result.ok, `${account} under ${parent}`).toBe(false);
      expect(result.ok ? "" : result.error).toMatch(message);
    }
    const toTop = await runAction(moveDefinition, { accountId: ids.retail }, admin);
    expect(toTop).toMatchObject({ ok: false, error: "A Line of business account must sit under a Region." });
    // Members may move accounts they see ("accounts.edit"); this one sees none of them.
    const unseen = await runAction(moveDefinition, { accountId: ids.till, parentId: ids.cloud }, member);
    expect(unseen).toMatchObject({ ok: false, error: "That account was not found." });
    const unknown = await runAction(moveDefinition, { accountId: ids.till, parentId: "00000000-0000-4000-8000-000000000000" }, admin);
    expect(unknown).toMatchObject({ ok: false, error: "The new parent account was not found." });
    expect(await snapshot(handle.db)).toEqual(before);

    // Creating is held to the same rules.
    await expect(write(admin, (ctx) => createAccount(ctx, { name: "Sub-deal", typeKey: "product", parentId: ids.deal }))).rejects.toThrow(
      /opportunity can never have sub-accounts/,
    );
    await expect(write(admin, (ctx) => createAccount(ctx, { name: "Orphan", typeKey: "product", parentId: null }))).rejects.toThrow(
      /A Product account must sit under a Region or Line of business/,
    );
    await expect(write(admin, (ctx) => createAccount(ctx, { name: "Second root", typeKey: "region", parentId: null }))).rejects.toThrow(
      /must sit under a Company/,
    );
    expect(await snapshot(handle.db)).toEqual(before);
  });

  it("moves a subtree: old ancestors lose it, new ones gain it, paths follow", async () => {
    expect(await rollup("east")).toMatchObject({ descendants: 4, mrr: "1250.00" });
    expect(await rollup("west")).toMatchObject({ descendants: 1, mrr: "4000.00" });
    expect(await usage("east")).toBe(10);
    expect(await seats("east")).toMatchObject({ max_below: "50" });

    const result = await runAction(moveDefinition, { accountId: ids.retail, parentId: ids.west }, admin);
    expect(result).toMatchObject({ ok: true, data: { accountsMoved: 4, oldParentId: ids.east, newParentId: ids.west } });

    expect(await rollup("east")).toMatchObject({ descendants: 0, mrr: "0.00" });
    expect(await rollup("west")).toMatchObject({ descendants: 5, mrr: "5250.00" });
    expect(await rollup("company")).toMatchObject({ descendants: 7, mrr: "5250.00" });
    expect(await usage("east")).toBe(0);
    expect(await usage("west")).toBe(10);
    expect(await seats("east")).toBeUndefined();
    expect(await seats("west")).toMatchObject({ sum_below: "55", max_below: "50" });
    const [deal] = await q<{ path: string[]; depth: number }>(handle.db, sql`select path, depth from accounts where id = ${ids.deal}`);
    expect(deal).toEqual({ path: [ids.company, ids.west, ids.retail, ids.shop], depth: 4 });
    const history = await q<{ old_parent_id: string; new_parent_id: string }>(
      handle.db,
      sql`select old_parent_id, new_parent_id from account_moves where account_id = ${ids.retail} order by id desc limit 1`,
    );
    expect(history[0]).toEqual({ old_parent_id: ids.east, new_parent_id: ids.west });
    // A product may also sit right under a region.
    await write(admin, (ctx) => moveAccount(ctx, ids.till, ids.east));
    expect(await rollup("east")).toMatchObject({ descendants: 1, mrr: "250.00" });
    expect(await seats("east")).toMatchObject({ sum_below: "5", max_below: "5" });
    expect(await seats("west")).toMatchObject({ sum_below: "50", max_below: "50" });
  });

  it("archives a subtree out of every total, then deletes only leaves", async () => {
    const archived = await write(admin, (ctx) => archiveAccount(ctx, ids.shop));
    expect(archived).toEqual({ id: ids.shop, archived: 2 });
    expect(await rollup("west")).toMatchObject({ descendants: 2, mrr: "4000.00" });
    expect(await rollup("company")).toMatchObject({ descendants: 5, mrr: "4250.00" });
    expect(await usage("company")).toBe(0);
    expect(await seats("west")).toBeUndefined();
    expect(await rollup("shop")).toBeUndefined();
    await expect(write(admin, (ctx) => archiveAccount(ctx, ids.shop))).rejects.toThrow(/not found, or it is already archived/);

    await expect(write(admin, (ctx) => deleteAccount(ctx, ids.shop))).rejects.toThrow("Shop has 1 sub-account: move or delete it first.");
    await write(admin, (ctx) => deleteAccount(ctx, ids.deal));
    await write(admin, (ctx) => deleteAccount(ctx, ids.shop));
    await write(admin, (ctx) => deleteAccount(ctx, ids.till));
    expect(await rollup("east")).toMatchObject({ descendants: 0, mrr: "0.00" });
    expect(await rollup("company")).toMatchObject({ descendants: 4, mrr: "4000.00" });
    await expect(write(member, (ctx) => deleteAccount(ctx, ids.cloud))).rejects.toThrow("Only admins can delete accounts.");
  });

  it("keeps Opportunity out of allowed parents, server-side, and guards parents in use", async () => {
    const before = await snapshot(handle.db);
    await expect(write(admin, (ctx) => setAllowedParents(ctx, types.product, [types.lob, types.opportunity]))).rejects.toThrow(
      "Opportunity is the reserved opportunity type: it can never be a parent.",
    );
    await expect(write(admin, (ctx) => setAllowedParents(ctx, types.opportunity, [types.opportunity]))).rejects.toThrow(/never be a parent/);
    // Cloud and Retail (Lines of business) sit under West (a Region): Region cannot stop being their parent type.
    await expect(write(admin, (ctx) => setAllowedParents(ctx, types.lob, [types.company]))).rejects.toThrow(
      "2 Lines of business sit under a Region: move them before removing Region as an allowed parent.",
    );
    await expect(write(member, (ctx) => setAllowedParents(ctx, types.lob, [types.region]))).rejects.toThrow("Only admins can change account types.");
    expect(await snapshot(handle.db)).toEqual(before);

    await write(admin, (ctx) => setAllowedParents(ctx, types.lob, [types.region, types.company]));
    const created = await write(admin, (ctx) =>
      createAccountType(ctx, { key: "division", name: "Division", pluralName: "Divisions", level: 3, assetLimitMb: 100, parentTypeIds: [types.lob] }),
    );
    await expect(
      write(admin, (ctx) => createAccountType(ctx, { key: "division", name: "division", pluralName: "x", level: 1, assetLimitMb: 1, parentTypeIds: [] })),
    ).rejects.toMatchObject({ fieldErrors: { key: ["Another account type already uses this key."], name: ["Another account type already has this name."] } });
    const listed = await listAccountTypesWithParents(admin);
    expect(listed.find((t) => t.key === "lob")?.parentTypeIds.sort()).toEqual([types.region, types.company].sort());
    expect(listed.find((t) => t.id === created.id)).toMatchObject({ name: "Division", parentTypeIds: [types.lob], accounts: 0 });
    expect(await listAccountTypesWithParents(member)).toEqual([]);
    const [audit] = await q<{ n: number }>(handle.db, sql`select count(*)::int as n from audit_log where action like 'account_type.%'`);
    expect(audit.n).toBe(2);
  });
});

describe.each(drivers)("hierarchy of the demo data set on %s", (driver) => {
  let handle: Awaited<ReturnType<typeof openSeededDatabase>>;
  beforeAll(async () => {
    handle = await openSeededDatabase(driver);
  });
  afterAll(async () => {
    await handle?.close();
  });

  it("refuses to move a region under its own product or under an opportunity, changing nothing", async () => {
    const [adminRow] = await handle.db.select({ id: users.id }).from(users).where(eq(users.email, "admin@demo.test"));
    const admin: Ctx = { db: handle.db, viewer: (await loadViewer(handle.db, adminRow.id))! };
    const before = await snapshot(handle.db);
    const underOwnProduct = await runAction(moveDefinition, { accountId: handle.demo.emeaRegionId, parentId: handle.demo.busiestProductId }, admin);
    expect(underOwnProduct).toMatchObject({ ok: false });
    expect(underOwnProduct.ok ? "" : underOwnProduct.error).toContain("own sub-account");
    const underOpportunity = await runAction(moveDefinition, { accountId: handle.demo.americasRegionId, parentId: handle.demo.opportunityId }, admin);
    expect(underOpportunity.ok ? "" : underOpportunity.error).toContain("an opportunity can never have sub-accounts");
    expect(await snapshot(handle.db)).toEqual(before);
  });

  it("archives a line of business (who and when kept), restores it, and renames: every ancestor's rollups equal a rebuild after each", async () => {
    const [adminRow] = await handle.db.select({ id: users.id }).from(users).where(eq(users.email, "admin@demo.test"));
    const admin: Ctx = { db: handle.db, viewer: (await loadViewer(handle.db, adminRow.id))! };
    const [lob] = await q<{ id: string; name: string; parent_id: string }>(handle.db, sql`
      select a.id, a.name, a.parent_id from accounts a join account_types t on t.id = a.type_id
      where t.key = 'line_of_business' and a.archived_at is null order by a.name limit 1`);
    const parentTotals = async () =>
      (await q<{ descendants: number; mrr: string }>(handle.db, sql`select descendants, mrr::text from account_rollups where account_id = ${lob.parent_id}`))[0];
    const before = await parentTotals();
    const write = <T,>(run: (ctx: Ctx) => Promise<T>) => handle.db.transaction((tx) => run({ db: tx, viewer: admin.viewer }));

    const archived = await write((ctx) => archiveAccount(ctx, lob.id));
    expect(archived.archived).toBeGreaterThan(1);
    const [row] = await q<{ archived_by: string; archived_at: string | null }>(handle.db, sql`select archived_by, archived_at from accounts where id = ${lob.id}`);
    expect(row.archived_by).toBe(adminRow.id);
    expect(row.archived_at).not.toBeNull();
    expect((await parentTotals()).descendants).toBe(before.descendants - archived.archived);
    await expectRollupsMatchRawRows(handle.db);

    const restored = await write((ctx) => restoreAccount(ctx, lob.id));
    expect(restored.restored).toBe(archived.archived);
    expect(await parentTotals()).toEqual(before);
    await expectRollupsMatchRawRows(handle.db);
    await expect(write((ctx) => restoreAccount(ctx, lob.id))).rejects.toThrow(`${lob.name} is not archived.`);

    await write((ctx) => renameAccount(ctx, lob.id, `${lob.name} (renamed)`));
    const titles = await q<{ title: string }>(handle.db, sql`select title from timeline_entries where account_id = ${lob.id} and kind = 'hierarchy_change' order by id`);
    expect(titles.map((t) => t.title).slice(-3)).toEqual([
      `Archived with ${archived.archived - 1} sub-account${archived.archived === 2 ? "" : "s"}`,
      `Restored with ${archived.archived - 1} sub-account${archived.archived === 2 ? "" : "s"}`,
      `Renamed from ${lob.name} to ${lob.name} (renamed)`,
    ]);
    // Restore and the two checks each rebuild every rollup of the demo data set.
  }, 240_000);
});
