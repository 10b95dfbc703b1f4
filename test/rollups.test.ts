/**
 * Rollup upkeep against an independent brute force, on PGlite and on a real Postgres.
 *
 * A seeded PRNG drives a few hundred random operations through the real write paths (hierarchy
 * operations, contract / ticket / survey / health / attribute / usage upkeep); afterwards every
 * account's maintained rollups must equal values computed here in plain TypeScript from the raw
 * tables, walking `parent_id` (not the closure table, not the SQL of lib/rollups).
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
  NO_CONTACT,
  USER_WINDOW_DAYS,
} from "@/db/schema";
import { ActionError } from "@/lib/actions/define";
import { findAccount } from "@/lib/dal/accounts";
import { loadViewer, type Ctx, type Viewer } from "@/lib/dal/viewer";
import { archiveAccount, createAccount, deleteAccount, moveAccount } from "@/lib/hierarchy/accounts";
import { explainRollup, rolledUpAttributes, type RollupExplanation } from "@/lib/rollups/explain";
import {
  afterAttributeValuesChanged,
  afterContractsChanged,
  afterHealthSnapshot,
  afterSurveyResponsesChanged,
  afterTicketsChanged,
  ingestUsageEvents,
  slideUserWindows,
} from "@/lib/rollups/maintain";
import { rebuildAllRollups, rebuildUserWindows } from "@/lib/rollups/rebuild";
import { drivers, openSeededDatabase, openTestDatabase } from "./support/databases";


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
  activities: string[];
  /** End users that usage events may name (null: an event with no known user). */
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
    () => q<{ id: string }>(db, sql`select id from usage_activities order by key, id`),
    () => q<{ id: string }>(db, sql`select id from contacts order by name, id limit 12`),
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
    activities: activities.map((a) => a.id),
    contacts: [null, ...contactRows.map((c) => c.id)],
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
    { accountTypeId: types.opportunity, key: "seats", label: "Seats", dataType: "number" },
    { accountTypeId: types.product, key: "mrr_override", label: "MRR override", dataType: "currency" },
    { accountTypeId: types.lob, key: "mrr_override", label: "MRR override", dataType: "currency" },
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
  await db.insert(contacts).values(["Uma User", "Vic Viewer", "Wes Writer", "Xia Exporter"].map((name) => ({ name })));
  // The user windows end on the fixture's "today", so the events it writes (up to 40 days back) fall in them.
  await rebuildUserWindows(db, NOW.toISOString().slice(0, 10));
  return { ...(await describeWorld(db, userIds.admin)), types, userIds };
}

/** Runs one write like a server action does: in a transaction, with the context on it. */
function write<T>(world: World, run: (ctx: Ctx) => Promise<T>): Promise<T> {
  return world.db.transaction((tx) => run({ db: tx, viewer: world.admin.viewer }));
}

async function create(world: World, name: string, type: string, parentId: string | null): Promise<string> {
  const { id } = await write(world, (ctx) => createAccount(ctx, { name, typeKey: type, parentId }));
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

async function clearAttribute(db: Executor, accountId: string, key: string): Promise<void> {
  await db.execute(sql`
    delete from attribute_values v using attribute_definitions d
    where v.attribute_id = d.id and v.account_id = ${accountId} and d.key = ${key}`);
}

// ---------------------------------------------------------------------------------------------
// Brute force: expected rollups straight from raw rows, in TypeScript
// ---------------------------------------------------------------------------------------------

type Expected = {
  rollups: Map<string, Record<string, number | string | null>>;
  usage: Map<string, number>;
  /** `account|period|contact` → events and last day in the window ending on usage_window_state.as_of. */
  windows: Map<string, { events: number; lastDay: string }>;
  attributes: Map<string, { ownPresent: boolean; ownNumber: number | null; countBelow: number; numbersBelow: number; sumBelow: number; minBelow: number | null; maxBelow: number | null }>;
};

const cents = (v: unknown) => Math.round(Number(v) * 100);

function isPresent(value: unknown): boolean {
  return !(value === null || value === undefined || value === "" || (Array.isArray(value) && value.length === 0));
}

function numberOf(value: unknown): number | null {
  if (typeof value === "number") return value;
  if (typeof value === "string" && /^-?[0-9]+(\.[0-9]+)?$/.test(value.trim())) return Number(value.trim());
  return null;
}

async function bruteForce(db: Executor): Promise<Expected> {
  const [state] = await q<{ as_of: string }>(db, sql`select as_of::text from usage_window_state where id = 1`);
  const [accountRows, contractRows, overrideRows, ticketRows, surveyRows, healthRows, usageRows, definitionRows, valueRows] = await inTurn([() => q<{ id: string; parent_id: string | null; type_id: string; archived: boolean }>(db, sql`select id, parent_id, type_id, archived_at is not null as archived from accounts`), () => q<{ account_id: string; mrr: string; active: boolean; excluded: boolean }>(db, sql`select account_id, mrr, active, excluded from contracts`), () => q<{ account_id: string; value: unknown }>(
      db,
      sql`select v.account_id, v.value from attribute_values v join attribute_definitions d on d.id = v.attribute_id where d.key = 'mrr_override'`,
    ), () => q<{ account_id: string; status: string; priority: string }>(db, sql`select account_id, status, priority from support_tickets`), () => q<{ account_id: string; kind: string; score: number }>(db, sql`select account_id, kind, score from survey_responses`), () => q<{ account_id: string; week_start: string; band: string }>(db, sql`select account_id, week_start::text, band from health_snapshots`), () => q<{ account_id: string; day: string; activity_id: string; contact_id: string; events: string }>(db, sql`select account_id, day::text, activity_id, contact_id, events from usage_daily`), () => q<{ id: string; account_type_id: string; key: string; rollup_rule: string; rollup_source_key: string | null; deleted: boolean }>(
      db,
      sql`select id, account_type_id, key, rollup_rule, rollup_source_key, deleted_at is not null as deleted from attribute_definitions`,
    ), () => q<{ account_id: string; attribute_id: string; value: unknown }>(db, sql`select account_id, attribute_id, value from attribute_values`)] as const);
  const byId = new Map(accountRows.map((a) => [a.id, a]));
  const live = accountRows.filter((a) => !a.archived);
  const ancestors = (id: string): string[] => {
    const out: string[] = [];
    for (let p = byId.get(id)!.parent_id; p; p = byId.get(p)!.parent_id) out.push(p);
    return out;
  };

  const own = new Map<string, Record<string, number>>();
  for (const a of live) {
    own.set(a.id, { mrr: 0, open: 0, urgent: 0, npsCount: 0, npsPro: 0, npsDet: 0, csatCount: 0, csatSum: 0 });
  }
  const contractCents = new Map<string, number>();
  for (const c of contractRows) if (c.active && !c.excluded) contractCents.set(c.account_id, (contractCents.get(c.account_id) ?? 0) + cents(c.mrr));
  const overrides = new Map<string, number>();
  for (const o of overrideRows) if (typeof o.value === "number") overrides.set(o.account_id, cents(o.value));
  for (const [id, m] of own) m.mrr = overrides.get(id) ?? contractCents.get(id) ?? 0;
  for (const t of ticketRows) {
    const m = own.get(t.account_id);
    if (!m || !["new", "open", "pending"].includes(t.status)) continue;
    m.open++;
    if (t.priority === "urgent") m.urgent++;
  }
  for (const s of surveyRows) {
    const m = own.get(s.account_id);
    if (!m) continue;
    if (s.kind === "nps") {
      m.npsCount++;
      if (s.score >= 9) m.npsPro++;
      if (s.score <= 6) m.npsDet++;
    } else {
      m.csatCount++;
      m.csatSum += s.score;
    }
  }
  const latest = new Map<string, { week: string; band: string }>();
  for (const h of healthRows) {
    const cur = latest.get(h.account_id);
    if (!cur || h.week_start > cur.week) latest.set(h.account_id, { week: h.week_start, band: h.band });
  }

  const rollups: Expected["rollups"] = new Map();
  for (const a of live) {
    const m = own.get(a.id)!;
    rollups.set(a.id, {
      descendants: 0,
      mrr: m.mrr,
      open_tickets: m.open,
      urgent_tickets: m.urgent,
      nps_count: m.npsCount,
      nps_promoters: m.npsPro,
      nps_detractors: m.npsDet,
      csat_count: m.csatCount,
      csat_sum: m.csatSum,
      health_good: 0,
      health_average: 0,
      health_poor: 0,
      own_mrr: m.mrr,
      own_open_tickets: m.open,
      own_urgent_tickets: m.urgent,
      own_nps_count: m.npsCount,
      own_nps_promoters: m.npsPro,
      own_nps_detractors: m.npsDet,
      own_csat_count: m.csatCount,
      own_csat_sum: m.csatSum,
      own_health: latest.get(a.id)?.band ?? null,
    });
  }
  for (const a of live) {
    const m = own.get(a.id)!;
    const band = latest.get(a.id)?.band;
    for (const up of ancestors(a.id)) {
      const r = rollups.get(up)!;
      expect(r, `ancestor ${up} of a live account is live`).toBeDefined();
      (r.descendants as number)++;
      r.mrr = (r.mrr as number) + m.mrr;
      r.open_tickets = (r.open_tickets as number) + m.open;
      r.urgent_tickets = (r.urgent_tickets as number) + m.urgent;
      r.nps_count = (r.nps_count as number) + m.npsCount;
      r.nps_promoters = (r.nps_promoters as number) + m.npsPro;
      r.nps_detractors = (r.nps_detractors as number) + m.npsDet;
      r.csat_count = (r.csat_count as number) + m.csatCount;
      r.csat_sum = (r.csat_sum as number) + m.csatSum;
      if (band) r[`health_${band}`] = (r[`health_${band}`] as number) + 1;
    }
  }

  const usage: Expected["usage"] = new Map();
  const windows: Expected["windows"] = new Map();
  const asOf = Date.parse(`${state.as_of}T00:00:00Z`);
  for (const u of usageRows) {
    if (byId.get(u.account_id)!.archived) continue;
    const age = (asOf - Date.parse(`${u.day}T00:00:00Z`)) / DAY;
    for (const id of [u.account_id, ...ancestors(u.account_id)]) {
      const key = `${id}|${u.day}|${u.activity_id}`;
      usage.set(key, (usage.get(key) ?? 0) + Number(u.events));
      if (u.contact_id === NO_CONTACT) continue;
      for (const period of USER_WINDOW_DAYS) {
        if (age < 0 || age >= period) continue;
        const wkey = `${id}|${period}|${u.contact_id}`;
        const cur = windows.get(wkey) ?? { events: 0, lastDay: u.day };
        windows.set(wkey, { events: cur.events + Number(u.events), lastDay: u.day > cur.lastDay ? u.day : cur.lastDay });
      }
    }
  }

  const tracked = new Set(definitionRows.filter((d) => !d.deleted && d.rollup_rule !== "none" && d.rollup_source_key).map((d) => d.rollup_source_key!));
  const definitions = new Map(definitionRows.map((d) => [d.id, d]));
  const attributes: Expected["attributes"] = new Map();
  const ownValues = new Map<string, { present: boolean; num: number | null }>();
  for (const v of valueRows) {
    const d = definitions.get(v.attribute_id)!;
    const a = byId.get(v.account_id)!;
    if (a.archived || d.deleted || d.rollup_rule !== "none" || d.account_type_id !== a.type_id || !tracked.has(d.key)) continue;
    if (!isPresent(v.value)) continue;
    ownValues.set(`${a.id}|${d.key}`, { present: true, num: numberOf(v.value) });
  }
  const slot = (id: string, key: string) => {
    const k = `${id}|${key}`;
    let row = attributes.get(k);
    if (!row) {
      row = { ownPresent: false, ownNumber: null, countBelow: 0, numbersBelow: 0, sumBelow: 0, minBelow: null, maxBelow: null };
      attributes.set(k, row);
    }
    return row;
  };
  for (const [k, value] of ownValues) {
    const [id, key] = k.split("|");
    const mine = slot(id, key);
    mine.ownPresent = true;
    mine.ownNumber = value.num;
    for (const up of ancestors(id)) {
      const row = slot(up, key);
      row.countBelow++;
      if (value.num !== null) {
        row.numbersBelow++;
        row.sumBelow += value.num;
        row.minBelow = row.minBelow === null ? value.num : Math.min(row.minBelow, value.num);
        row.maxBelow = row.maxBelow === null ? value.num : Math.max(row.maxBelow, value.num);
      }
    }
  }
  return { rollups, usage, windows, attributes };
}

/** Every maintained cache equals the brute force; also checks closure, path and depth. */
async function expectConsistent(db: Executor, label: string): Promise<void> {
  const expected = await bruteForce(db);
  const [rollupRows, usageRows, attributeRows, accountRows, closureRows] = await inTurn([() => q<Record<string, unknown>>(db, sql`select * from account_rollups`), () => q<{ account_id: string; day: string; activity_id: string; events: string }>(db, sql`select account_id, day::text, activity_id, events from usage_rollup_daily`), () => q<{
      account_id: string;
      source_key: string;
      own_present: boolean;
      own_number: string | null;
      count_below: number;
      numbers_below: number;
      sum_below: string;
      min_below: string | null;
      max_below: string | null;
    }>(db, sql`select * from attribute_rollups`), () => q<{ id: string; parent_id: string | null; path: string[]; depth: number }>(db, sql`select id, parent_id, path, depth from accounts`), () => q<{ ancestor_id: string; descendant_id: string; distance: number }>(db, sql`select ancestor_id, descendant_id, distance from account_closure`)] as const);

  // Hierarchy caches, from parent_id alone.
  const parentOf = new Map(accountRows.map((a) => [a.id, a.parent_id]));
  const expectedClosure = new Set<string>();
  for (const a of accountRows) {
    const chain: string[] = [];
    for (let p = a.parent_id; p; p = parentOf.get(p) ?? null) chain.unshift(p);
    expect(a.path, `${label}: path of ${a.id}`).toEqual(chain);
    expect(a.depth, `${label}: depth of ${a.id}`).toBe(chain.length);
    expectedClosure.add(`${a.id}|${a.id}|0`);
    chain.forEach((up, i) => expectedClosure.add(`${up}|${a.id}|${chain.length - i}`));
  }
  expect(new Set(closureRows.map((c) => `${c.ancestor_id}|${c.descendant_id}|${c.distance}`)), `${label}: closure`).toEqual(expectedClosure);

  // Account rollups: MRR compared in cents.
  const actual = new Map(rollupRows.map((r) => [r.account_id as string, r]));
  expect([...actual.keys()].sort(), `${label}: accounts with a rollup row`).toEqual([...expected.rollups.keys()].sort());
  for (const [id, want] of expected.rollups) {
    const got = actual.get(id)!;
    const normal: Record<string, unknown> = {};
    for (const key of Object.keys(want)) {
      normal[key] = key === "mrr" || key === "own_mrr" ? cents(got[key]) : key === "own_health" ? got[key] : Number(got[key]);
    }
    expect(normal, `${label}: rollup of ${id}`).toEqual(want);
  }

  // Usage per day and activity, no zero rows.
  const gotUsage = new Map(usageRows.map((u) => [`${u.account_id}|${u.day}|${u.activity_id}`, Number(u.events)]));
  expect(gotUsage, `${label}: usage_rollup_daily`).toEqual(expected.usage);

  // Per-user windows, no zero rows.
  const windowRows = await q<{ account_id: string; period_days: number; contact_id: string; events: string; last_day: string }>(
    db,
    sql`select account_id, period_days, contact_id, events, last_day::text from usage_user_windows`,
  );
  const gotWindows = new Map(windowRows.map((w) => [`${w.account_id}|${w.period_days}|${w.contact_id}`, { events: Number(w.events), lastDay: w.last_day }]));
  expect(gotWindows, `${label}: usage_user_windows`).toEqual(expected.windows);

  // Attribute rollups.
  const gotAttributes = new Map(
    attributeRows.map((r) => [
      `${r.account_id}|${r.source_key}`,
      {
        ownPresent: r.own_present,
        ownNumber: r.own_number === null ? null : Number(r.own_number),
        countBelow: Number(r.count_below),
        numbersBelow: Number(r.numbers_below),
        sumBelow: Math.round(Number(r.sum_below) * 1e6) / 1e6,
        minBelow: r.min_below === null ? null : Number(r.min_below),
        maxBelow: r.max_below === null ? null : Number(r.max_below),
      },
    ]),
  );
  for (const row of expected.attributes.values()) row.sumBelow = Math.round(row.sumBelow * 1e6) / 1e6;
  expect(gotAttributes, `${label}: attribute_rollups`).toEqual(expected.attributes);
}

// ---------------------------------------------------------------------------------------------
// Random operations
// ---------------------------------------------------------------------------------------------

/** mulberry32: a tiny seeded PRNG, so a failing run can be replayed. */
function prng(seed: number) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return {
    next,
    int: (min: number, max: number) => min + Math.floor(next() * (max - min + 1)),
    pick: <T>(list: readonly T[]): T => list[Math.floor(next() * list.length)],
    chance: (p: number) => next() < p,
  };
}

type Live = { id: string; type: string; parent_id: string | null; path: string[]; archived: boolean };

async function accountsNow(db: Executor): Promise<Live[]> {
  return q<Live>(
    db,
    sql`select a.id, t.key as type, a.parent_id, a.path, a.archived_at is not null as archived
        from accounts a join account_types t on t.id = a.type_id order by a.created_at, a.id`,
  );
}


function dayOffset(days: number): Date {
  return new Date(NOW.getTime() - days * DAY + 3_600_000 * 5);
}

function mondayOf(weeksAgo: number): string {
  // NOW is a Monday.
  return new Date(NOW.getTime() - weeksAgo * 7 * DAY).toISOString().slice(0, 10);
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
  if (roll < 0.4) {
    // Contracts: add, change or remove.
    const existing = await q<{ id: string; account_id: string }>(db, sql`select id, account_id from contracts`);
    await db.transaction(async (tx) => {
      const op = existing.length ? rnd.int(0, 2) : 0;
      let accountId: string;
      if (op === 0) {
        accountId = rnd.pick(targets).id;
        const mrr = (rnd.int(1, 500_000) / 100).toFixed(2);
        await tx.insert(contracts).values({
          accountId,
          name: `Contract ${counter.n}`,
          value: String(Number(mrr) * 12),
          mrr,
          startDate: "2026-01-01",
          active: rnd.chance(0.85),
          excluded: rnd.chance(0.1),
        });
      } else {
        const contract = rnd.pick(existing);
        accountId = contract.account_id;
        if (op === 1) {
          await tx.execute(sql`update contracts set mrr = ${(rnd.int(0, 300_000) / 100).toFixed(2)}, active = ${rnd.chance(0.8)},
            excluded = ${rnd.chance(0.1)} where id = ${contract.id}`);
        } else {
          await tx.execute(sql`delete from contracts where id = ${contract.id}`);
        }
      }
      await afterContractsChanged(tx, accountId);
    });
    return "contract";
  }
  if (roll < 0.46) {
    const withOverride = targets.filter((a) => world.overrideTypes.has(a.type));
    if (!withOverride.length) return "override-skip";
    const account = rnd.pick(withOverride);
    await db.transaction(async (tx) => {
      if (rnd.chance(0.6)) await setAttribute(tx, account.id, "mrr_override", rnd.int(0, 200_000) / 100);
      else if (rnd.chance(0.5)) await clearAttribute(tx, account.id, "mrr_override");
      else await setAttribute(tx, account.id, "mrr_override", null);
      await afterAttributeValuesChanged(tx, account.id, ["mrr_override"]);
    });
    return "override";
  }
  if (roll < 0.56) {
    const existing = await q<{ id: string; account_id: string }>(db, sql`select id, account_id from support_tickets`);
    await db.transaction(async (tx) => {
      let accountId: string;
      if (!existing.length || rnd.chance(0.6)) {
        accountId = rnd.pick(targets).id;
        await tx.insert(supportTickets).values({
          accountId,
          subject: `Ticket ${counter.n}`,
          priority: rnd.pick(["low", "normal", "high", "urgent"] as const),
          status: rnd.pick(["new", "open", "pending", "solved", "closed"] as const),
          openedAt: dayOffset(rnd.int(0, 60)),
        });
      } else {
        const ticket = rnd.pick(existing);
        accountId = ticket.account_id;
        if (rnd.chance(0.8)) {
          await tx.execute(sql`update support_tickets set status = ${rnd.pick(["new", "open", "pending", "solved", "closed"])},
            priority = ${rnd.pick(["low", "normal", "high", "urgent"])} where id = ${ticket.id}`);
        } else {
          await tx.execute(sql`delete from support_tickets where id = ${ticket.id}`);
        }
      }
      await afterTicketsChanged(tx, accountId);
    });
    return "ticket";
  }
  if (roll < 0.64) {
    const account = rnd.pick(targets);
    await db.transaction(async (tx) => {
      const nps = rnd.chance(0.5);
      await tx.insert(surveyResponses).values({
        accountId: account.id,
        kind: nps ? "nps" : "csat",
        score: nps ? rnd.int(0, 10) : rnd.int(1, 5),
        respondedAt: dayOffset(rnd.int(0, 90)),
      });
      await afterSurveyResponsesChanged(tx, account.id);
    });
    return "survey";
  }
  if (roll < 0.76) {
    const size = rnd.int(1, 25);
    const events = Array.from({ length: size }, () => ({
      accountId: rnd.pick(targets).id,
      activityId: rnd.pick(world.activities),
      contactId: rnd.pick(world.contacts),
      occurredAt: dayOffset(rnd.int(0, 40)),
      count: rnd.int(1, 5),
    }));
    await db.transaction((tx) => ingestUsageEvents(tx, events, rnd.chance(0.2) ? { idempotencyKey: `batch-${counter.n % 7}` } : {}));
    return "usage";
  }
  if (roll < 0.9) {
    const withSeats = targets.filter((a) => world.seatTypes.has(a.type));
    if (!withSeats.length) return "seats-skip";
    const account = rnd.pick(withSeats);
    await db.transaction(async (tx) => {
      const choice = rnd.int(0, 5);
      if (choice <= 2) await setAttribute(tx, account.id, "seats", rnd.int(-5, 400));
      else if (choice === 3) await setAttribute(tx, account.id, "seats", String(rnd.int(0, 50)));
      else if (choice === 4) await setAttribute(tx, account.id, "seats", rnd.pick(["n/a", "", null]));
      else await clearAttribute(tx, account.id, "seats");
      await afterAttributeValuesChanged(tx, account.id, ["seats"]);
    });
    return "seats";
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
      await handle.db.transaction((tx) =>
        ingestUsageEvents(
          tx,
          world.contacts.map((contactId, i) => ({
            accountId: live[i % live.length].id,
            activityId: world.activities[0],
            contactId,
            occurredAt: new Date(NOW.getTime() + DAY + 7_200_000),
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
    120_000,
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
  }, 90_000);
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
      await ingestUsageEvents(tx, [
        { accountId: ids.payments, activityId: world.activities[0], occurredAt: dayOffset(1), count: 30 },
        { accountId: ids.cards, activityId: world.activities[2], occurredAt: dayOffset(3), count: 12 },
        { accountId: ids.deal, activityId: world.activities[1], occurredAt: dayOffset(2), count: 5 },
        { accountId: ids.banking, activityId: world.activities[1], occurredAt: dayOffset(2), count: 2 },
        { accountId: ids.payments, activityId: world.activities[0], occurredAt: dayOffset(45), count: 1000 },
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
