/**
 * Rollup upkeep against an independent brute force, on PGlite and on a real Postgres.
 *
 * A seeded PRNG drives a few hundred random operations through the write paths production runs:
 * hierarchy operations (lib/hierarchy), contracts, tickets, surveys, attribute values and usage
 * through the /api/v1 writers (lib/ingest/*), attribute edits as the app saves them
 * (applyAttributeEdits); only health snapshots, which have no writer outside the seed, are written
 * here with their upkeep hook. Afterwards every account's maintained rollups must equal values
 * computed in plain TypeScript from the raw tables (test/support/rollup-check.ts).
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { sql } from "drizzle-orm";
import type { Database, DatabaseHandle, Executor } from "@/db/client";
import {
  accountTypeParents,
  accountTypes,
  attributeDefinitions,
  attributeValues,
  contacts,
  contracts,
  healthSnapshots,
  supportTickets,
  surveyResponses,
  teamMembers,
  teamScopes,
  teams,
  usageActivities,
  usageModules,
  users,
} from "@/db/schema";
import { ActionError } from "@/lib/actions/define";
import { applyAttributeEdits, definitionsOf } from "@/lib/attributes/edit";
import { parseAttributeInput } from "@/lib/attributes/values";
import { findAccount } from "@/lib/dal/accounts";
import { revenueSummary } from "@/lib/dal/revenue";
import { loadViewer, type Ctx, type Viewer } from "@/lib/dal/viewer";
import { archiveAccount, createAccount, deleteAccount, moveAccount } from "@/lib/hierarchy/accounts";
import { setAttributeValues } from "@/lib/ingest/attributes";
import { upsertContracts } from "@/lib/ingest/contracts";
import { IngestError } from "@/lib/ingest/errors";
import { addSurveyResponses } from "@/lib/ingest/surveys";
import { upsertTickets } from "@/lib/ingest/tickets";
import type { ContractItem, TicketItem } from "@/lib/ingest/schemas";
import { ingestUsage } from "@/lib/ingest/usage";
import { afterAttributeValuesChanged } from "@/lib/rollups/attributes";
import { explainRollup, type RollupExplanation } from "@/lib/rollups/explain";
import { rolledUpAttributes } from "@/lib/dal/attributes";
import { afterContractsChanged, afterHealthSnapshot, afterSurveyResponsesChanged, afterTicketsChanged, refreshOwnMetrics } from "@/lib/rollups/own-figures";
import { rebuildAllRollups, rebuildUserWindows } from "@/lib/rollups/rebuild";
import { slideUserWindows } from "@/lib/rollups/user-windows";
import { drivers, openSeededDatabase, openTestDatabase } from "./support/databases";
import { prng, type Prng } from "./support/fuzz";
import { expectRollupsMatchRawRows as expectConsistent } from "./support/rollup-check";


const NOW = new Date("2026-11-16T09:00:00Z");
const DAY = 86_400_000;

// ---------------------------------------------------------------------------------------------
// Fixture: a small world built through the real write paths
// ---------------------------------------------------------------------------------------------

type World = {
  db: Database;
  admin: Ctx;
  /** Type key -> keys of the types its accounts may sit under (from account_type_parents). */
  allowed: Record<string, string[]>;
  opportunityTypes: Set<string>;
  /** Types with a raw `seats` / `mrr_override` attribute. */
  seatTypes: Set<string>;
  overrideTypes: Set<string>;
  /** Activities as the API names them: module key and activity key. */
  activities: { module: string; activity: string }[];
  /** External ids of end users that usage events may name (null: an event with no known user). */
  contacts: (string | null)[];
};

type Fixture = World & {
  types: Record<"company" | "region" | "lob" | "product" | "opportunity", string>;
  userIds: { admin: string; member: string; segment: string };
};

async function q<T>(db: Executor, query: ReturnType<typeof sql>): Promise<T[]> {
  return ((await db.execute(query)) as unknown as { rows: T[] }).rows;
}

/** Runs the reads one after another: they may share one transaction's connection. */
async function inTurn<T extends readonly unknown[]>(reads: { [K in keyof T]: () => Promise<T[K]> }): Promise<T> {
  const out: unknown[] = [];
  for (const read of reads) out.push(await read());
  return out as unknown as T;
}

async function viewerFor(db: Database, userId: string): Promise<Viewer> {
  const viewer = await loadViewer(db, userId);
  if (!viewer) throw new Error("no viewer");
  return viewer;
}

/** What the random operations need to know about a database's types, attributes and activities. */
async function describeWorld(db: Database, adminUserId: string): Promise<World> {
  const [types, links, definitions, activities, contactRows] = await inTurn([
    () => q<{ id: string; key: string; is_opportunity: boolean }>(db, sql`select id, key, is_opportunity from account_types`),
    () => q<{ child: string; parent: string }>(
      db,
      sql`select c.key as child, p.key as parent from account_type_parents l
          join account_types c on c.id = l.child_type_id join account_types p on p.id = l.parent_type_id`,
    ),
    () => q<{ type: string; key: string }>(
      db,
      sql`select t.key as type, d.key from attribute_definitions d join account_types t on t.id = d.account_type_id
          where d.rollup_rule = 'none' and d.deleted_at is null and d.key in ('seats', 'mrr_override')`,
    ),
    () => q<{ module: string; activity: string }>(
      db,
      sql`select m.key as module, a.key as activity from usage_activities a join usage_modules m on m.id = a.module_id order by a.key, a.id`,
    ),
    () => q<{ external_id: string }>(db, sql`select external_id from contacts where external_id is not null order by name, id limit 12`),
  ] as const);
  const allowed: Record<string, string[]> = Object.fromEntries(types.map((t) => [t.key, []]));
  for (const l of links) allowed[l.child].push(l.parent);
  return {
    db,
    admin: { db, viewer: await viewerFor(db, adminUserId) },
    allowed,
    opportunityTypes: new Set(types.filter((t) => t.is_opportunity).map((t) => t.key)),
    seatTypes: new Set(definitions.filter((d) => d.key === "seats").map((d) => d.type)),
    overrideTypes: new Set(definitions.filter((d) => d.key === "mrr_override").map((d) => d.type)),
    activities,
    contacts: [null, ...contactRows.map((c) => c.external_id)],
  };
}

async function buildWorld(db: Database): Promise<Fixture> {
  const typeRows = await db
    .insert(accountTypes)
    .values([
      { key: "company", name: "Company", pluralName: "Companies", level: 0 },
      { key: "region", name: "Region", pluralName: "Regions", level: 1 },
      { key: "lob", name: "Line of business", pluralName: "Lines of business", level: 2 },
      { key: "product", name: "Product", pluralName: "Products", level: 3 },
      { key: "opportunity", name: "Opportunity", pluralName: "Opportunities", level: 4, isOpportunity: true, assetLimitMb: 50 },
    ])
    // The migrations created the reserved Opportunity type: take it over.
    .onConflictDoUpdate({ target: accountTypes.key, set: { level: sql`excluded.level` } })
    .returning({ id: accountTypes.id, key: accountTypes.key });
  const types = Object.fromEntries(typeRows.map((t) => [t.key, t.id])) as Fixture["types"];
  await db.insert(accountTypeParents).values([
    { childTypeId: types.region, parentTypeId: types.company },
    { childTypeId: types.lob, parentTypeId: types.region },
    { childTypeId: types.lob, parentTypeId: types.company },
    { childTypeId: types.product, parentTypeId: types.lob },
    { childTypeId: types.product, parentTypeId: types.region },
    { childTypeId: types.opportunity, parentTypeId: types.product },
    { childTypeId: types.opportunity, parentTypeId: types.lob },
  ]);
  await db.insert(attributeDefinitions).values([
    { accountTypeId: types.product, key: "seats", label: "Seats", dataType: "number" },
    { accountTypeId: types.lob, key: "seats", label: "Seats", dataType: "number" },
    // Text on opportunities: a value such as "12" or "n/a", where only plain decimals count as numbers.
    { accountTypeId: types.opportunity, key: "seats", label: "Seats", dataType: "text" },
    { accountTypeId: types.product, key: "mrr_override", label: "MRR override", dataType: "currency" },
    // Text on lines of business: "1200.50" counts as an override, "n/a" does not (lib/rollups/mrr.ts).
    { accountTypeId: types.lob, key: "mrr_override", label: "MRR override", dataType: "text" },
    { accountTypeId: types.region, key: "segment", label: "Segment", dataType: "text" },
    { accountTypeId: types.company, key: "total_seats", label: "Total seats", dataType: "number", rollupRule: "sum", rollupSourceKey: "seats" },
    { accountTypeId: types.company, key: "seat_values", label: "Accounts with seats", dataType: "number", rollupRule: "count", rollupSourceKey: "seats" },
    { accountTypeId: types.region, key: "avg_seats", label: "Average seats", dataType: "number", rollupRule: "avg", rollupSourceKey: "seats" },
    { accountTypeId: types.region, key: "min_seats", label: "Fewest seats", dataType: "number", rollupRule: "min", rollupSourceKey: "seats" },
    { accountTypeId: types.lob, key: "max_seats", label: "Most seats", dataType: "number", rollupRule: "max", rollupSourceKey: "seats" },
    { accountTypeId: types.company, key: "max_seats", label: "Most seats", dataType: "number", rollupRule: "max", rollupSourceKey: "seats" },
  ]);
  const moduleRows = await db
    .insert(usageModules)
    .values([
      { key: "reports", name: "Reports" },
      { key: "alerts", name: "Alerts" },
    ])
    .returning({ id: usageModules.id });
  const activityRows = await db
    .insert(usageActivities)
    .values([
      { moduleId: moduleRows[0].id, key: "run", name: "Run report" },
      { moduleId: moduleRows[0].id, key: "export", name: "Export report" },
      { moduleId: moduleRows[1].id, key: "create", name: "Create alert" },
    ])
    .returning({ id: usageActivities.id });
  const userRows = await db
    .insert(users)
    .values([
      { email: "admin@test", name: "Ada Admin", role: "admin" },
      { email: "member@test", name: "Max Member", role: "member" },
      { email: "segment@test", name: "Sam Segment", role: "member" },
    ])
    .returning({ id: users.id, email: users.email });
  const userIds = {
    admin: userRows.find((u) => u.email === "admin@test")!.id,
    member: userRows.find((u) => u.email === "member@test")!.id,
    segment: userRows.find((u) => u.email === "segment@test")!.id,
  };
  void activityRows;
  await db.insert(contacts).values(["Uma User", "Vic Viewer", "Wes Writer", "Xia Exporter"].map((name) => ({ name, externalId: `contact ${name}` })));
  // The user windows end on the fixture's "today", so the events it writes (up to 40 days back) fall in them.
  await rebuildUserWindows(db, NOW.toISOString().slice(0, 10));
  return { ...(await describeWorld(db, userIds.admin)), types, userIds };
}

/** Runs one write like a server action does: in a transaction, with the context on it. */
function write<T>(world: World, run: (ctx: Ctx) => Promise<T>): Promise<T> {
  return world.db.transaction((tx) => run({ db: tx, viewer: world.admin.viewer }));
}

async function create(world: World, name: string, type: string, parentId: string | null): Promise<string> {
  const { id } = await write(world, (ctx) => createAccount(ctx, { name, typeKey: type, parentId, externalId: `x ${name}` }));
  return id;
}

async function setAttribute(db: Executor, accountId: string, key: string, value: unknown): Promise<void> {
  await db.execute(sql`
    insert into attribute_values (account_id, attribute_id, value)
    select ${accountId}::uuid, d.id, ${JSON.stringify(value)}::jsonb
    from attribute_definitions d join accounts a on a.type_id = d.account_type_id
    where a.id = ${accountId} and d.key = ${key}
    on conflict (account_id, attribute_id) do update set value = excluded.value, version = attribute_values.version + 1`);
}

// ---------------------------------------------------------------------------------------------
// Random operations
// ---------------------------------------------------------------------------------------------

type Live = { id: string; external_id: string | null; type: string; parent_id: string | null; path: string[]; archived: boolean };

async function accountsNow(db: Executor): Promise<Live[]> {
  return q<Live>(
    db,
    sql`select a.id, a.external_id, t.key as type, a.parent_id, a.path, a.archived_at is not null as archived
        from accounts a join account_types t on t.id = a.type_id order by a.created_at, a.id`,
  );
}


/**
 * Runs an /api/v1 write in one transaction, as the route does, and checks it was written exactly
 * when `valid` (a refusal names the items and writes nothing: the brute force would see otherwise).
 */
async function ingest(world: World, run: (ctx: Ctx) => Promise<unknown>, valid: boolean, what: string): Promise<boolean> {
  try {
    await write(world, run);
  } catch (error) {
    if (!(error instanceof IngestError)) throw error;
    expect(valid, `${what} refused: ${JSON.stringify(error.issues)}`).toBe(false);
    return false;
  }
  expect(valid, `${what} should have been refused`).toBe(true);
  return true;
}

/**
 * Sets or clears an attribute value, half the time through /api/v1 (setAttributeValues), half as
 * the app's form saves it (parseAttributeInput, then applyAttributeEdits with the version loaded).
 * True when written; false when refused (an archived account, a value of the wrong shape).
 */
async function editAttribute(world: World, rnd: ReturnType<typeof prng>, account: Live, key: string, value: string | number | null): Promise<boolean> {
  if (rnd.chance(0.5)) {
    const parseable = value === null || typeof value === "string" ? true : value >= 0;
    const definition = (await q<{ data_type: string }>(
      world.db,
      sql`select d.data_type from attribute_definitions d join accounts a on a.type_id = d.account_type_id where a.id = ${account.id} and d.key = ${key} and d.deleted_at is null`,
    ))[0];
    const valid = !account.archived && (definition.data_type === "text" || (parseable && (value === null || !Number.isNaN(Number(value)))));
    return ingest(world, (ctx) => setAttributeValues(ctx, [{ accountExternalId: account.external_id!, key, value }]), valid, `${key} = ${JSON.stringify(value)}`);
  }
  return write(world, async (ctx) => {
    const summary = await findAccount(ctx, account.id);
    if (!summary) {
      expect(account.archived, "a live account is found").toBe(true);
      return false;
    }
    const [definition] = await definitionsOf(ctx, summary, { keys: [key] });
    const parsed = parseAttributeInput({ ...definition, options: definition.options ?? undefined }, value === null ? "" : String(value));
    if (!parsed.ok) return false;
    const [stored] = await q<{ version: number }>(
      ctx.db,
      sql`select version from attribute_values where account_id = ${account.id} and attribute_id = ${definition.id}`,
    );
    await applyAttributeEdits(ctx, summary, [{ definition, value: parsed.value, expectedVersion: Number(stored?.version ?? 0) }], (k) => k);
    return true;
  });
}

function dayOffset(days: number): Date {
  return new Date(NOW.getTime() - days * DAY + 3_600_000 * 5);
}

function mondayOf(weeksAgo: number): string {
  // NOW is a Monday.
  return new Date(NOW.getTime() - weeksAgo * 7 * DAY).toISOString().slice(0, 10);
}

type Stored = { external_id: string; account_id: string };

/**
 * One to three items of an ingest request, each new or naming a stored row (which may move to
 * another account); `valid` is false where the writer must refuse the request (an archived account,
 * or a stored row on an account no longer live).
 */
function requestItems<T extends { externalId: string }>(
  rnd: Prng,
  addressed: Live[],
  existing: Stored[],
  reuse: number,
  liveIds: Set<string>,
  newExternalId: (k: number) => string,
  make: (account: Live, externalId: string) => T,
): { items: T[]; valid: boolean } {
  const items: T[] = [];
  let valid = true;
  for (let k = rnd.int(1, 3); k > 0; k--) {
    const account = rnd.pick(addressed);
    const stored = existing.length && rnd.chance(reuse) ? rnd.pick(existing) : null;
    const externalId = stored?.external_id ?? newExternalId(k);
    if (items.some((i) => i.externalId === externalId)) continue;
    valid &&= !account.archived && (!stored || liveIds.has(stored.account_id));
    items.push(make(account, externalId));
  }
  return { items, valid };
}

async function randomOperation(world: World, rnd: ReturnType<typeof prng>, counter: { n: number; refused: number }): Promise<string> {
  const all = await accountsNow(world.db);
  const live = all.filter((a) => !a.archived);
  const targets = rnd.chance(0.08) ? all : live; // now and then, write to an archived account too
  const roll = rnd.next();
  counter.n++;
  const db = world.db;

  if (roll < 0.12) {
    // Create at a valid place.
    const childTypes = Object.keys(world.allowed).filter((t) => world.allowed[t].length);
    const type = rnd.pick(childTypes);
    const parents = live.filter((a) => world.allowed[type].includes(a.type));
    if (!parents.length) return "create-skip";
    await create(world, `${type} ${counter.n}`, type, rnd.pick(parents).id);
    return "create";
  }
  if (roll < 0.22) {
    // Move a subtree somewhere: valid or not.
    const movable = live.filter((a) => a.parent_id);
    if (!movable.length) return "move-skip";
    const account = rnd.pick(movable);
    const target = rnd.pick(live);
    const valid =
      target.id !== account.id &&
      !target.path.includes(account.id) &&
      target.id !== account.parent_id &&
      !world.opportunityTypes.has(target.type) &&
      world.allowed[account.type].includes(target.type);
    try {
      await write(world, (ctx) => moveAccount(ctx, account.id, target.id));
      expect(valid, `move ${account.type} under ${target.type} should have been refused`).toBe(true);
      return "move";
    } catch (error) {
      expect(error).toBeInstanceOf(ActionError);
      expect(valid, `valid move refused: ${(error as Error).message}`).toBe(false);
      counter.refused++;
      return "move-refused";
    }
  }
  if (roll < 0.25) {
    const candidates = live.filter((a) => a.parent_id);
    if (!candidates.length) return "archive-skip";
    // Prefer small subtrees, so the world does not empty out.
    const leaves = candidates.filter((a) => !live.some((b) => b.parent_id === a.id));
    const account = rnd.pick(leaves.length && rnd.chance(0.8) ? leaves : candidates);
    await write(world, (ctx) => archiveAccount(ctx, account.id));
    return "archive";
  }
  if (roll < 0.28) {
    const leaves = all.filter((a) => a.parent_id && !all.some((b) => b.parent_id === a.id));
    if (!leaves.length) return "delete-skip";
    await write(world, (ctx) => deleteAccount(ctx, rnd.pick(leaves).id));
    return "delete";
  }
  // From here on the writes go through /api/v1's writers, which know accounts by external id.
  const addressed = targets.filter((a) => a.external_id);
  if (!addressed.length) return "no-external-ids";
  const liveIds = new Set(live.map((a) => a.id));
  if (roll < 0.4) {
    // Contracts: one to three per request, new or existing (an existing one may move to another account).
    const existing = await q<Stored>(db, sql`select external_id, account_id from contracts where external_id is not null`);
    const { items, valid } = requestItems(rnd, addressed, existing, 0.5, liveIds, (k) => `contract ${counter.n}.${k}`, (account, externalId): ContractItem => {
      const mrr = rnd.int(0, 500_000) / 100;
      return {
        externalId,
        accountExternalId: account.external_id!,
        name: `Contract ${counter.n}`,
        value: mrr * 12,
        mrr,
        startDate: "2026-01-01",
        active: rnd.chance(0.85),
        excluded: rnd.chance(0.1),
      };
    });
    return (await ingest(world, (ctx) => upsertContracts(ctx, items), valid, "contracts")) ? "contract" : "contract-refused";
  }
  if (roll < 0.46) {
    const withOverride = addressed.filter((a) => world.overrideTypes.has(a.type));
    if (!withOverride.length) return "override-skip";
    const account = rnd.pick(withOverride);
    const value = rnd.chance(0.3)
      ? null
      : account.type === "lob"
        ? rnd.pick([(rnd.int(0, 200_000) / 100).toFixed(2), String(rnd.int(0, 900)), "n/a", " 12.5 "])
        : rnd.int(0, 200_000) / 100;
    return (await editAttribute(world, rnd, account, "mrr_override", value)) ? "override" : "override-refused";
  }
  if (roll < 0.56) {
    const existing = await q<Stored>(db, sql`select external_id, account_id from support_tickets where external_id is not null`);
    const { items, valid } = requestItems(rnd, addressed, existing, 0.4, liveIds, (k) => `ticket ${counter.n}.${k}`, (account, externalId): TicketItem => ({
      externalId,
      accountExternalId: account.external_id!,
      subject: `Ticket ${counter.n}`,
      priority: rnd.pick(["low", "normal", "high", "urgent"] as const),
      status: rnd.pick(["new", "open", "pending", "solved", "closed"] as const),
      openedAt: dayOffset(rnd.int(0, 60)).toISOString(),
    }));
    return (await ingest(world, (ctx) => upsertTickets(ctx, items), valid, "tickets")) ? "ticket" : "ticket-refused";
  }
  if (roll < 0.64) {
    const items = Array.from({ length: rnd.int(1, 3) }, () => {
      const nps = rnd.chance(0.5);
      return { account: rnd.pick(addressed), kind: nps ? ("nps" as const) : ("csat" as const), score: nps ? rnd.int(0, 10) : rnd.int(1, 5) };
    });
    const valid = items.every((r) => !r.account.archived);
    const written = await ingest(
      world,
      (ctx) =>
        addSurveyResponses(
          ctx,
          items.map((r) => ({ accountExternalId: r.account.external_id!, kind: r.kind, score: r.score, respondedAt: dayOffset(rnd.int(0, 90)).toISOString() })),
        ),
      valid,
      "survey responses",
    );
    return written ? "survey" : "survey-refused";
  }
  if (roll < 0.76) {
    const events = Array.from({ length: rnd.int(1, 25) }, () => {
      const activity = rnd.pick(world.activities);
      return {
        account: rnd.pick(addressed),
        module: activity.module,
        activity: activity.activity,
        userExternalId: rnd.pick(world.contacts),
        occurredAt: dayOffset(rnd.int(0, 40)).toISOString(),
        count: rnd.int(1, 5),
      };
    });
    const valid = events.every((e) => !e.account.archived);
    const written = await ingest(
      world,
      (ctx) => ingestUsage(ctx, events.map(({ account, ...e }) => ({ ...e, accountExternalId: account.external_id! }))),
      valid,
      "usage events",
    );
    return written ? "usage" : "usage-refused";
  }
  if (roll < 0.9) {
    const withSeats = addressed.filter((a) => world.seatTypes.has(a.type));
    if (!withSeats.length) return "seats-skip";
    const account = rnd.pick(withSeats);
    const value =
      account.type === "opportunity"
        ? rnd.pick([String(rnd.int(0, 50)), "n/a", " 7 ", "3.5", null])
        : rnd.chance(0.15)
          ? rnd.pick([null, "many", -5])
          : rnd.int(0, 400);
    return (await editAttribute(world, rnd, account, "seats", value)) ? "seats" : "seats-refused";
  }
  const account = rnd.pick(targets);
  await db.transaction(async (tx) => {
    const score = rnd.int(0, 100);
    await tx
      .insert(healthSnapshots)
      .values({
        accountId: account.id,
        weekStart: mondayOf(rnd.int(0, 6)),
        score,
        band: score >= 70 ? "good" : score < 40 ? "poor" : "average",
        dimensions: {},
      })
      .onConflictDoUpdate({
        target: [healthSnapshots.accountId, healthSnapshots.weekStart],
        set: { score, band: score >= 70 ? "good" : score < 40 ? "poor" : "average" },
      });
    await afterHealthSnapshot(tx, account.id);
  });
  return "health";
}

/** A starting tree: a company, 2 regions, 2-3 lines of business each, a few products. */
async function plantTree(world: World, rnd: ReturnType<typeof prng>): Promise<void> {
  const company = await create(world, "Globex", "company", null);
  for (let r = 0; r < 2; r++) {
    const region = await create(world, `Region ${r}`, "region", company);
    for (let l = 0; l < rnd.int(2, 3); l++) {
      const lob = await create(world, `LoB ${r}.${l}`, "lob", region);
      for (let p = 0; p < rnd.int(1, 3); p++) await create(world, `Product ${r}.${l}.${p}`, "product", lob);
    }
  }
}

// ---------------------------------------------------------------------------------------------

describe.each(drivers)("rollup upkeep on %s", (driver) => {
  let handle: DatabaseHandle;
  let world: Fixture;

  beforeAll(async () => {
    handle = await openTestDatabase(driver);
    world = await buildWorld(handle.db);
  });
  afterAll(async () => {
    await handle?.close();
  });

  it(
    "matches a brute-force recomputation after hundreds of random operations",
    async () => {
      const seed = Number(process.env.ROLLUP_SEED ?? 20261116);
      const rnd = prng(seed);
      await plantTree(world, rnd);
      await expectConsistent(handle.db, "after planting");
      const operations = driver === "pg" ? 800 : 600;
      const counter = { n: 0, refused: 0 };
      const seen: Record<string, number> = {};
      for (let i = 0; i < operations; i++) {
        const kind = await randomOperation(world, rnd, counter);
        seen[kind] = (seen[kind] ?? 0) + 1;
        if ((i + 1) % 100 === 0) await expectConsistent(handle.db, `seed ${seed}, after ${i + 1} operations`);
      }
      await expectConsistent(handle.db, `seed ${seed}, at the end`);
      // The windows slide day by day (subtracting the days that left them) and after a long gap rebuild.
      const later = (days: number) => new Date(NOW.getTime() + days * DAY).toISOString().slice(0, 10);
      expect(await slideUserWindows(handle.db, later(0))).toBe("current");
      // Events for a day after as_of are left out of the windows until they slide over that day.
      const live = (await accountsNow(handle.db)).filter((a) => !a.archived);
      await write(world, (ctx) =>
        ingestUsage(
          ctx,
          world.contacts.map((userExternalId, i) => ({
            accountExternalId: live[i % live.length].external_id!,
            ...world.activities[0],
            userExternalId,
            occurredAt: new Date(NOW.getTime() + DAY + 7_200_000).toISOString(),
            count: 3,
          })),
        ),
      );
      await expectConsistent(handle.db, "after events dated after as_of");
      expect(await slideUserWindows(handle.db, later(1))).toBe("slid");
      await expectConsistent(handle.db, "after sliding the user windows by 1 day");
      expect(await slideUserWindows(handle.db, later(9))).toBe("slid");
      await expectConsistent(handle.db, "after sliding the user windows by 8 more days");
      expect(await slideUserWindows(handle.db, later(200))).toBe("rebuilt");
      await expectConsistent(handle.db, "after a gap longer than the longest window");
      await rebuildUserWindows(handle.db, later(0));
      // The run really exercised every kind of write.
      for (const kind of ["create", "move", "move-refused", "archive", "delete", "contract", "override", "ticket", "survey", "usage", "seats", "health"]) {
        expect(seen[kind] ?? 0, `operations of kind ${kind}`).toBeGreaterThan(0);
      }

      // The full rebuild agrees with the brute force too (run inside a transaction rolled back).
      await handle.db
        .transaction(async (tx) => {
          await rebuildAllRollups(tx);
          await expectConsistent(tx, "after rebuildAllRollups");
          tx.rollback();
        })
        .catch((error: unknown) => {
          if (!String((error as Error)?.message).includes("Rollback")) throw error;
        });
    },
    // Hundreds of writes through the production writers, each checked, and nine brute-force comparisons.
    300_000,
  );
});

describe.each(drivers)("rollups of the demo data set on %s", (driver) => {
  let handle: Awaited<ReturnType<typeof openSeededDatabase>>;

  beforeAll(async () => {
    handle = await openSeededDatabase(driver);
  });
  afterAll(async () => {
    await handle?.close();
  });

  it("are right after seeding, and stay right through random operations on real data", async () => {
    await expectConsistent(handle.db, "demo data as seeded");
    const world = await describeWorld(handle.db, handle.demo.userIds["admin@demo.test"]);
    const rnd = prng(Number(process.env.ROLLUP_SEED ?? 7));
    const counter = { n: 0, refused: 0 };
    for (let i = 0; i < (driver === "pg" ? 150 : 80); i++) await randomOperation(world, rnd, counter);
    await expectConsistent(handle.db, "demo data after random operations");
    // Each operation runs the production writer (several statements), and the brute force reads every raw row twice.
  }, 240_000);
});

// ---------------------------------------------------------------------------------------------
// Explain this number
// ---------------------------------------------------------------------------------------------

describe.each(drivers)("explain a rolled-up number on %s", (driver) => {
  let handle: DatabaseHandle;
  let world: Fixture;
  const ids: Record<string, string> = {};

  beforeAll(async () => {
    handle = await openTestDatabase(driver);
    world = await buildWorld(handle.db);
    const db = handle.db;
    ids.company = await create(world, "Initech", "company", null);
    ids.americas = await create(world, "Americas", "region", ids.company);
    ids.emea = await create(world, "EMEA", "region", ids.company);
    ids.retail = await create(world, "Retail", "lob", ids.americas);
    ids.banking = await create(world, "Banking", "lob", ids.americas);
    ids.payments = await create(world, "Payments", "product", ids.banking);
    ids.cards = await create(world, "Cards", "product", ids.banking);
    ids.deal = await create(world, "Secret Megadeal", "opportunity", ids.banking);
    ids.insurance = await create(world, "Insurance", "lob", ids.emea);
    ids.legacy = await create(world, "Legacy Unit", "lob", ids.americas);

    const money: [string, string][] = [
      ["americas", "100.00"],
      ["retail", "1200.00"],
      ["payments", "3000.50"],
      ["cards", "800.00"],
      ["deal", "450.00"],
      ["insurance", "999.00"],
      ["legacy", "70.00"],
    ];
    await db.transaction(async (tx) => {
      for (const [key, mrr] of money) {
        await tx.insert(contracts).values({ accountId: ids[key], name: `${key} plan`, value: "1", mrr, startDate: "2026-01-01" });
        await afterContractsChanged(tx, ids[key]);
      }
      await tx.insert(contracts).values({ accountId: ids.banking, name: "Old plan", value: "1", mrr: "40.00", startDate: "2025-01-01", active: false });
      await afterContractsChanged(tx, ids.banking);
      for (const [key, seats] of [["payments", 40], ["cards", 10], ["deal", 25], ["retail", 7]] as const) {
        await setAttribute(tx, ids[key], "seats", seats);
        await afterAttributeValuesChanged(tx, ids[key], ["seats"]);
      }
      for (const [key, score] of [["payments", 10], ["payments", 3], ["cards", 9], ["deal", 0]] as const) {
        await tx.insert(surveyResponses).values({ accountId: ids[key], kind: "nps", score, respondedAt: NOW });
        await afterSurveyResponsesChanged(tx, ids[key]);
      }
      for (const [key, band] of [["payments", "good"], ["cards", "poor"], ["retail", "good"], ["deal", "average"]] as const) {
        await tx.insert(healthSnapshots).values({ accountId: ids[key], weekStart: mondayOf(0), score: 50, band, dimensions: {} });
        await afterHealthSnapshot(tx, ids[key]);
      }
      await tx.insert(supportTickets).values([
        { accountId: ids.payments, subject: "Down", priority: "urgent", status: "open", openedAt: NOW },
        { accountId: ids.deal, subject: "Question", status: "new", openedAt: NOW },
      ]);
      await afterTicketsChanged(tx, ids.payments);
      await afterTicketsChanged(tx, ids.deal);
      const usage = (name: string, activity: number, days: number, count: number) => ({
        accountExternalId: `x ${name}`,
        ...world.activities[activity],
        occurredAt: dayOffset(days).toISOString(),
        count,
      });
      await ingestUsage({ db: tx, viewer: world.admin.viewer }, [
        usage("Payments", 0, 1, 30),
        usage("Cards", 2, 3, 12),
        usage("Secret Megadeal", 1, 2, 5),
        usage("Banking", 1, 2, 2),
        usage("Payments", 0, 45, 1000),
      ]);
    });
    await write(world, (ctx) => archiveAccount(ctx, ids.legacy));
    await setAttribute(db, ids.americas, "segment", "enterprise");

    // A member who sees the Americas subtree, without opportunities; another who sees only
    // accounts whose segment is enterprise (Americas itself, none of its children).
    const [americasTeam, segmentTeam] = await db
      .insert(teams)
      .values([
        { key: "americas", name: "Americas team" },
        { key: "enterprise", name: "Enterprise team" },
      ])
      .returning({ id: teams.id });
    await db.insert(teamMembers).values([
      { teamId: americasTeam.id, userId: world.userIds.member },
      { teamId: segmentTeam.id, userId: world.userIds.segment },
    ]);
    await db.insert(teamScopes).values([
      { teamId: americasTeam.id, kind: "subtree", rootAccountId: ids.americas },
      { teamId: segmentTeam.id, kind: "attribute", attributeKey: "segment", attributeValue: "enterprise" },
    ]);
  });
  afterAll(async () => {
    await handle?.close();
  });

  const ctxOf = async (who: "admin" | "member" | "segment"): Promise<Ctx> => ({ db: handle.db, viewer: await viewerFor(handle.db, world.userIds[who]) });

  function partsAddUp(e: RollupExplanation) {
    const parts = (e.own?.value ?? 0) + e.contributions.reduce((s, c) => s + c.value, 0) + e.leftOut.filter((l) => l.inTotal).reduce((s, l) => s + (l.value ?? 0), 0);
    expect(parts).toBeCloseTo(e.base, 6);
    const shares = e.contributions.reduce((s, c) => s + (c.share ?? 0), 0);
    expect(shares).toBeLessThanOrEqual(1 + 1e-9);
  }

  it("splits each additive metric into parts that add up to the total, largest first", async () => {
    const admin = await ctxOf("admin");
    const banking = (await findAccount(admin, ids.banking))!;
    const mrr = (await explainRollup(admin, banking, "mrr"))!;
    expect(mrr.total).toBeCloseTo(3000.5 + 800 + 450, 2);
    expect(mrr.contributions.map((c) => [c.name, c.value])).toEqual([
      ["Payments", 3000.5],
      ["Cards", 800],
      ["Secret Megadeal", 450],
    ]);
    expect(mrr.contributions[0].share).toBeCloseTo(3000.5 / 4250.5, 6);
    expect(mrr.own).toBeNull();
    expect(mrr.leftOut.map((l) => l.reason)).toEqual(expect.arrayContaining(["excluded_contracts", "opportunities"]));
    partsAddUp(mrr);

    const americas = (await findAccount(admin, ids.americas))!;
    for (const metric of ["mrr", "open_tickets", "nps", "csat", "health", "events_30d", "attribute:avg_seats", "attribute:min_seats"] as const) {
      const e = (await explainRollup(admin, americas, metric, { now: NOW }))!;
      expect(e, metric).not.toBeNull();
      if (e.additive) partsAddUp(e);
    }
    const americasMrr = (await explainRollup(admin, americas, "mrr"))!;
    expect(americasMrr.total).toBeCloseTo(100 + 1200 + 4250.5, 2);
    expect(americasMrr.own).toMatchObject({ value: 100 });
    expect(americasMrr.leftOut.find((l) => l.reason === "archived")).toMatchObject({ accounts: 1, inTotal: false });
    expect(americasMrr.contributions.map((c) => c.name)).toEqual(["Banking", "Retail"]);

    const events = (await explainRollup(admin, americas, "events_30d", { now: NOW }))!;
    expect(events.total).toBe(30 + 12 + 5 + 2); // the 45-day-old batch is outside the window
    expect(events.contributions).toEqual([expect.objectContaining({ name: "Banking", value: 49, share: 1 }), expect.objectContaining({ name: "Retail", value: 0 })]);

    const health = (await explainRollup(admin, americas, "health"))!;
    expect(health.mix).toEqual({ good: 2, average: 1, poor: 1 });
    expect(health.contributions[0]).toMatchObject({ name: "Banking", value: 3, detail: "1 good · 1 average · 1 poor" });

    const avg = (await explainRollup(admin, americas, "attribute:avg_seats"))!;
    expect(avg.total).toBeCloseTo((40 + 10 + 25 + 7) / 4, 6);
    const min = (await explainRollup(admin, americas, "attribute:min_seats"))!;
    expect(min.total).toBe(7);
    expect(min.contributions.map((c) => [c.name, c.value, c.share])).toEqual([
      ["Retail", 7, null],
      ["Banking", 10, null],
    ]);
    const company = (await findAccount(admin, ids.company))!;
    const total = (await explainRollup(admin, company, "attribute:total_seats"))!;
    expect(total.total).toBe(82);
    partsAddUp(total);
    expect(await explainRollup(admin, company, "attribute:no_such_rollup")).toBeNull();
    // The parent's rolled-up attributes read as their rollup, from its one row per source key.
    const values = Object.fromEntries((await rolledUpAttributes(admin, company)).map((a) => [a.key, a.value]));
    expect(values).toEqual({ total_seats: 82, seat_values: 4, max_seats: 40 });
    const americasValues = Object.fromEntries((await rolledUpAttributes(admin, americas)).map((a) => [a.key, a.value]));
    expect(americasValues).toEqual({ avg_seats: 20.5, min_seats: 7 });
  });

  it("folds accounts outside the viewer's access into one line, without names", async () => {
    const member = await ctxOf("member");
    const banking = (await findAccount(member, ids.banking))!;
    expect(banking).not.toBeNull();
    for (const metric of ["mrr", "open_tickets", "nps", "health", "events_30d"] as const) {
      const e = (await explainRollup(member, banking, metric, { now: NOW }))!;
      expect(JSON.stringify(e), metric).not.toContain("Secret Megadeal");
      expect(e.contributions.map((c) => c.accountId)).not.toContain(ids.deal);
      partsAddUp(e);
    }
    const mrr = (await explainRollup(member, banking, "mrr"))!;
    const outside = mrr.leftOut.find((l) => l.reason === "outside_access")!;
    expect(outside).toMatchObject({ accounts: 1, value: 450, inTotal: true, label: "1 account outside your access: $450" });
    expect(mrr.total).toBeCloseTo(4250.5, 2);

    // Seeing a parent through an attribute scope does not reveal its children.
    const segment = await ctxOf("segment");
    const americas = (await findAccount(segment, ids.americas))!;
    expect(americas).not.toBeNull();
    const hidden = (await explainRollup(segment, americas, "mrr"))!;
    expect(hidden.contributions).toEqual([]);
    expect(hidden.leftOut.find((l) => l.reason === "outside_access")).toMatchObject({ accounts: 5, value: 5450.5 });
    const text = JSON.stringify(hidden);
    for (const name of ["Retail", "Banking", "Payments", "Cards", "Secret Megadeal"]) expect(text).not.toContain(name);
    partsAddUp(hidden);
  });
});

// ---------------------------------------------------------------------------------------------
// Effective MRR: one rule (lib/rollups/mrr.ts) for the rollups, the revenue widget and explain
// ---------------------------------------------------------------------------------------------

describe.each(drivers)("effective MRR on %s", (driver) => {
  let handle: DatabaseHandle;
  let world: Fixture;
  const ids: Record<string, string> = {};

  beforeAll(async () => {
    handle = await openTestDatabase(driver);
    world = await buildWorld(handle.db);
    ids.company = await create(world, "Acme", "company", null);
    ids.region = await create(world, "North", "region", ids.company);
    ids.lob = await create(world, "Lob A", "lob", ids.region);
    ids.p1 = await create(world, "P1", "product", ids.lob);
    ids.p2 = await create(world, "P2", "product", ids.lob);
    await write(world, (ctx) =>
      upsertContracts(ctx, [
        { externalId: "c-p1", accountExternalId: "x P1", name: "P1 plan", value: 1200, mrr: 100, startDate: "2026-01-01" },
        { externalId: "c-p2", accountExternalId: "x P2", name: "P2 plan", value: 2400, mrr: 200, startDate: "2026-01-01" },
        { externalId: "c-lob", accountExternalId: "x Lob A", name: "Lob plan", value: 600, mrr: 50, startDate: "2026-01-01" },
        { externalId: "c-old", accountExternalId: "x Lob A", name: "Old plan", value: 600, mrr: 999, startDate: "2025-01-01", excluded: true },
      ]),
    );
  });
  afterAll(async () => {
    await handle?.close();
  });

  const setOverride = (name: string, value: string | number | null) =>
    write(world, (ctx) => setAttributeValues(ctx, [{ accountExternalId: `x ${name}`, key: "mrr_override", value }]));

  /** The account's MRR as each reader sees it: they must agree. */
  async function readers(key: string) {
    const ctx = world.admin;
    const account = (await findAccount(ctx, ids[key]))!;
    const [row] = await q<{ own_mrr: string }>(handle.db, sql`select own_mrr::text from account_rollups where account_id = ${ids[key]}`);
    const revenue = await revenueSummary(ctx, account);
    const explained = (await explainRollup(ctx, account, "mrr"))!;
    return {
      rollup: Number(row.own_mrr),
      revenue: revenue.mrr,
      override: revenue.override,
      explainOwn: explained.own,
    };
  }

  it("counts an override over the contracts, a numeric string as a number, and ignores deleted definitions", async () => {
    // Computed from contracts (the excluded one is not counted).
    expect(await readers("lob")).toEqual({ rollup: 50, revenue: 50, override: null, explainOwn: { value: 50, label: "Lob A itself (own contracts)" } });
    // A JSON number overrides the contracts.
    await setOverride("P1", 80);
    expect(await readers("p1")).toMatchObject({ rollup: 80, revenue: 80, override: 80, explainOwn: { value: 80, label: "P1 itself (MRR override)" } });
    // A string holding a plain decimal (a text attribute here) is an override too.
    await setOverride("Lob A", " 1200.5 ");
    expect(await readers("lob")).toEqual({ rollup: 1200.5, revenue: 1200.5, override: 1200.5, explainOwn: { value: 1200.5, label: "Lob A itself (MRR override)" } });
    // Any other string is not: the contracts count again.
    await setOverride("Lob A", "n/a");
    expect(await readers("lob")).toEqual({ rollup: 50, revenue: 50, override: null, explainOwn: { value: 50, label: "Lob A itself (own contracts)" } });
    await setOverride("P2", 300);
    expect(await readers("p2")).toMatchObject({ rollup: 300, revenue: 300, override: 300 });
    const [company] = await q<{ mrr: string }>(handle.db, sql`select mrr::text from account_rollups where account_id = ${ids.company}`);
    expect(Number(company.mrr)).toBe(50 + 80 + 300);
    await expectConsistent(handle.db, "with overrides");

    // A deleted definition's values stay stored but count nowhere (no app writer deletes one yet:
    // the soft delete is written here, then the account's own MRR upkeep runs).
    await handle.db.execute(sql`update attribute_definitions set deleted_at = now()
      where key = 'mrr_override' and account_type_id = ${world.types.product}`);
    await handle.db.transaction(async (tx) => {
      for (const key of ["p1", "p2"]) await refreshOwnMetrics(tx, ids[key], ["mrr"]);
    });
    expect(await readers("p1")).toMatchObject({ rollup: 100, revenue: 100, override: null, explainOwn: { value: 100, label: "P1 itself (own contracts)" } });
    expect(await readers("p2")).toMatchObject({ rollup: 200, revenue: 200, override: null });
    await expectConsistent(handle.db, "after deleting the product override definition");
    // The full rebuild applies the same rule.
    await handle.db
      .transaction(async (tx) => {
        await rebuildAllRollups(tx);
        await expectConsistent(tx, "after rebuildAllRollups");
        tx.rollback();
      })
      .catch((error: unknown) => {
        if (!String((error as Error)?.message).includes("Rollback")) throw error;
      });
  });
});
