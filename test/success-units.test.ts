/**
 * Success units (issue 16), on both drivers: after random usage writes and threshold changes, with
 * the background worker drained, every stored colour equals a from-scratch computation and every
 * parent's kept counts per colour equal a count over its subtree; each change is kept with time.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { sql, type SQL } from "drizzle-orm";
import { runAction } from "@/lib/actions/define";
import { addDays, todayIso } from "@/lib/days";
import { loadViewer, type Ctx } from "@/lib/dal/viewer";
import { successUnitsOf } from "@/lib/dal/success-units";
import { findAccount } from "@/lib/dal/accounts";
import { ingestUsage } from "@/lib/ingest/usage";
import { archiveAccount, deleteAccount, moveAccount, restoreAccount } from "@/lib/hierarchy/accounts";
import { mergeAccounts } from "@/lib/hierarchy/merge";
import { applySuccessUnits, desiredUnits, rebuildSuccessUnitRollups, rollupsFromScratch } from "@/lib/success-units/compute";
import { queueSuccessUnits } from "@/lib/success-units/queue";
import { setSuccessUnitThresholds } from "@/lib/success-units/thresholds";
import { runSuccessUnits } from "@/lib/success-units/worker";
import { demoNow, drivers, openSeededDatabase } from "./support/databases";

type Seeded = Awaited<ReturnType<typeof openSeededDatabase>>;

/** A small deterministic generator, so a failure can be replayed. */
function rng(seed: number) {
  let s = seed >>> 0;
  return () => ((s = (s * 1664525 + 1013904223) >>> 0) / 2 ** 32);
}

describe.each(drivers)("success units on %s", (driver) => {
  let seeded: Seeded;
  let admin: Ctx;
  const now = () => demoNow();

  const rows = async <T extends Record<string, unknown>>(query: SQL): Promise<T[]> => (await seeded.db.execute(query)).rows as T[];
  const drain = async () => {
    for (let i = 0; i < 1000 && (await runSuccessUnits(seeded.db, now())); i++);
  };
  const expectConsistent = async () => {
    // Archived accounts are not rated (they count nowhere), so only live ones are compared.
    const accounts = (await rows<{ id: string }>(sql`select id from accounts where archived_at is null`)).map((r) => r.id);
    const want = (await desiredUnits(seeded.db, accounts, now())).map((u) => `${u.accountId}|${u.moduleId}|${u.colour}|${u.activeUsers}`).sort();
    const stored = (
      await rows<{ k: string }>(sql`select u.account_id || '|' || u.module_id || '|' || u.colour || '|' || u.active_users as k
        from success_units u join accounts a on a.id = u.account_id and a.archived_at is null`)
    ).map((r) => r.k).sort();
    expect(stored).toEqual(want);
    const scratch = await rollupsFromScratch(seeded.db);
    expect(await keptCounts()).toEqual(scratch);
    // Every stored colour is the last one its history recorded.
    const [lag] = await rows<{ n: number }>(sql`
      select count(*)::int as n from success_units u
      where u.colour is distinct from (select c.to_colour from success_unit_changes c where c.account_id = u.account_id and c.module_id = u.module_id order by c.id desc limit 1)`);
    expect(lag.n).toBe(0);
    return { units: stored.length, parents: scratch.size };
  };

  /** The kept rows (no row: no units below); structural changes must leave them equal to rollupsFromScratch. */
  const keptCounts = async () => {
    const kept = await rows<{ account_id: string; red: number; amber: number; green: number }>(sql`select * from success_unit_rollups`);
    return new Map(kept.map((r) => [r.account_id, { red: Number(r.red), amber: Number(r.amber), green: Number(r.green) }]));
  };
  const expectCountsFromScratch = async (label: string) => expect(await keptCounts(), label).toEqual(await rollupsFromScratch(seeded.db));

  beforeAll(async () => {
    seeded = await openSeededDatabase(driver);
    admin = { db: seeded.db, viewer: (await loadViewer(seeded.db, seeded.demo.userIds["admin@demo.test"]))! };
  }, 120_000);
  afterAll(() => seeded?.close());

  it("keeps colours and parent counts equal to a from-scratch computation through random usage writes and threshold edits", async () => {
    const modules = await rows<{ id: string; key: string }>(sql`select id, key from usage_modules order by position, key limit 3`);
    const activities = await rows<{ module: string; activity: string }>(sql`
      select m.key as module, a.key as activity from usage_activities a join usage_modules m on m.id = a.module_id where m.key = any(${`{${modules.map((m) => m.key).join(",")}}`}::text[])`);
    for (const [i, m] of modules.entries()) {
      expect(await runAction(setSuccessUnitThresholds, { moduleId: m.id, amberMin: String(1 + i), greenMin: String(3 + i) }, admin)).toMatchObject({ ok: true });
    }
    await drain();
    const first = await expectConsistent();
    expect(first.units).toBeGreaterThan(0);
    expect(first.parents).toBeGreaterThan(first.units / modules.length / 10);

    const accounts = await rows<{ external_id: string }>(sql`
      select a.external_id from accounts a join account_types t on t.id = a.type_id where t.key = 'product' and a.external_id is not null and a.archived_at is null order by a.id limit 40`);
    const contacts = await rows<{ external_id: string }>(sql`select external_id from contacts where external_id is not null order by id limit 30`);
    const random = rng(16);
    const pick = <T>(list: T[]) => list[Math.floor(random() * list.length)];
    const today = todayIso(now());
    for (let round = 0; round < 6; round++) {
      const events = Array.from({ length: 40 }, () => {
        const a = pick(activities);
        return {
          accountExternalId: pick(accounts).external_id,
          module: a.module,
          activity: a.activity,
          occurredAt: `${addDays(today, -Math.floor(random() * 40))}T12:00:00Z`,
          userExternalId: random() < 0.8 ? pick(contacts).external_id : null,
        };
      });
      await seeded.db.transaction((tx) => ingestUsage({ db: tx, viewer: admin.viewer }, events));
      if (round === 3) {
        // Thresholds move: every rated account is recoloured.
        expect(await runAction(setSuccessUnitThresholds, { moduleId: modules[0].id, amberMin: "2", greenMin: "4" }, admin)).toMatchObject({ ok: true });
        expect(await runAction(setSuccessUnitThresholds, { moduleId: modules[2].id, amberMin: "", greenMin: "" }, admin)).toMatchObject({ ok: true });
      }
      // Half the rounds drain only part of the queue before the next write.
      if (round % 2) await runSuccessUnits(seeded.db, now());
      else await drain();
    }
    await drain();
    await expectConsistent();
    const [history] = await rows<{ n: number; removed: number }>(sql`
      select count(*)::int as n, count(*) filter (where to_colour is null)::int as removed from success_unit_changes`);
    expect(history.removed).toBeGreaterThan(0);
    expect(history.n).toBeGreaterThan(first.units);
    expect(await runAction(setSuccessUnitThresholds, { moduleId: modules[0].id, amberMin: "5", greenMin: "5" }, admin)).toMatchObject({
      ok: false,
      fieldErrors: { greenMin: [expect.any(String)] },
    });
  });

  it("keeps every parent's counts through moves, archives, restores, deletes and merges, equal to the full rebuild", async () => {
    // Rated products (the first test set thresholds), each with its parent and whether it has sub-accounts.
    const rated = await rows<{ id: string; parent_id: string; leaf: boolean }>(sql`
      select a.id, a.parent_id, not exists (select 1 from accounts c where c.parent_id = a.id) as leaf
      from accounts a join account_types t on t.id = a.type_id
      where t.key = 'product' and a.archived_at is null and exists (select 1 from success_units u where u.account_id = a.id)
      order by a.id`);
    const parents = [...new Set(rated.map((r) => r.parent_id))];
    expect(parents.length).toBeGreaterThan(3);
    await expectCountsFromScratch("before any structural change");
    const countsOf = async (id: string) => (await keptCounts()).get(id) ?? null;

    // A move: the old parent's chain loses the subtree's counts, the new one's gains them.
    const moving = rated.find((r) => r.parent_id === parents[0])!;
    const oldBefore = await countsOf(parents[0]);
    const newBefore = await countsOf(parents[1]);
    await moveAccount(admin, moving.id, parents[1]);
    await expectCountsFromScratch("after a move");
    expect(await countsOf(parents[0])).not.toEqual(oldBefore);
    expect(await countsOf(parents[1])).not.toEqual(newBefore);

    // An archive takes a whole subtree out of every count; the worker leaves archived accounts alone.
    const archived = parents[2];
    await archiveAccount(admin, archived);
    await expectCountsFromScratch("after an archive");
    expect(await countsOf(archived)).toBeNull();
    // The worker, handed the archived accounts, leaves them (and the counts) alone.
    const subtree = (await rows<{ id: string }>(sql`select descendant_id as id from account_closure where ancestor_id = ${archived}::uuid`)).map((r) => r.id);
    await seeded.db.transaction((tx) => queueSuccessUnits(tx, subtree));
    await drain();
    await expectCountsFromScratch("after an archive and a run of the worker over the archived accounts");
    // A restore puts it back (and queues its colours, which were not rated while archived).
    await restoreAccount(admin, archived);
    await expectCountsFromScratch("after a restore");
    expect(await countsOf(archived)).not.toBeNull();
    await drain();
    await expectConsistent();

    // A delete of a rated leaf, then a merge of two rated products under different parents.
    const leaf = rated.find((r) => r.leaf && r.parent_id === parents[3])!;
    await deleteAccount(admin, leaf.id);
    await expectCountsFromScratch("after a delete");
    const [kept, merged] = [rated.find((r) => r.parent_id === parents[4])!, rated.find((r) => r.parent_id === parents[5])!];
    await mergeAccounts(admin, kept.id, merged.id);
    await expectCountsFromScratch("after a merge");
    await drain();
    await expectConsistent();

    // The kept counts are what the full rebuild writes.
    const before = await keptCounts();
    await rebuildSuccessUnitRollups(seeded.db);
    expect(await keptCounts()).toEqual(before);
    // Two full rollup rebuilds (restore and merge rebuild every other rollup): slow on PGlite under load.
  }, 180_000);

  // Two connections at once: only Postgres has them (PGlite runs one transaction at a time).
  if (driver === "pg") {
    it("does not wait for a write that only references the account (a usage event's foreign-key lock)", async () => {
      const [product] = await rows<{ id: string }>(sql`select id from accounts a where archived_at is null and not exists (select 1 from accounts c where c.parent_id = a.id) order by id limit 1`);
      let release!: () => void;
      const held = new Promise<void>((resolve) => (release = resolve));
      let locked!: () => void;
      const isLocked = new Promise<void>((resolve) => (locked = resolve));
      // What inserting a usage event takes on its account row (a foreign key check), held open.
      const writer = seeded.db.transaction(async (tx) => {
        await tx.execute(sql`select 1 from accounts where id = ${product.id} for key share`);
        locked();
        await held;
      });
      await isLocked;
      try {
        // With `for update` the worker waited here for every usage batch (and deadlocked with them).
        await seeded.db.transaction(async (tx) => {
          await tx.execute(sql`set local lock_timeout = '3s'`);
          await applySuccessUnits(tx, [product.id], now());
        });
      } finally {
        release();
        await writer;
      }
    });
  }

  it("reads a root's counts from one kept row", async () => {
    const root = (await findAccount(admin, seeded.demo.companyId))!;
    const read = await successUnitsOf(admin, root);
    const scratch = (await rollupsFromScratch(seeded.db)).get(root.id);
    expect(read.hasChildren).toBe(true);
    expect(read.subtree).toEqual(scratch ?? null);
  });
});
