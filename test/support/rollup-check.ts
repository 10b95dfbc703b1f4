/**
 * "The maintained rollups equal an independent brute force": every cache (account_rollups with all
 * own and NPS/CSAT columns, usage_rollup_daily, usage_user_windows, attribute_rollups, the closure
 * table, path and depth) is recomputed here in plain TypeScript from the raw rows, walking
 * `parent_id`: not with the closure table, not with the SQL of lib/rollups (rebuildAllRollups is
 * itself checked against this in test/rollups.test.ts). Also checks usage_daily against the raw
 * usage events it sums.
 */
import { expect } from "vitest";
import { sql } from "drizzle-orm";
import type { Executor } from "@/db/client";
import { NO_CONTACT, USER_WINDOW_DAYS } from "@/db/schema";

const DAY = 86_400_000;

async function q<T>(db: Executor, query: ReturnType<typeof sql>): Promise<T[]> {
  return ((await db.execute(query)) as unknown as { rows: T[] }).rows;
}

/** Runs the reads one after another: they may share one transaction's connection. */
async function inTurn<T extends readonly unknown[]>(reads: { [K in keyof T]: () => Promise<T[K]> }): Promise<T> {
  const out: unknown[] = [];
  for (const read of reads) out.push(await read());
  return out as unknown as T;
}

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
      sql`select v.account_id, v.value from attribute_values v join attribute_definitions d on d.id = v.attribute_id
          join accounts a on a.id = v.account_id and a.type_id = d.account_type_id
          where d.key = 'mrr_override' and d.deleted_at is null`,
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
  for (const o of overrideRows) {
    // A JSON number or a string holding a plain decimal, rounded to cents (half away from zero, as Postgres rounds).
    const amount = numberOf(o.value);
    if (amount !== null) overrides.set(o.account_id, Math.sign(amount) * Math.round(Math.abs(amount) * 100));
  }
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
export async function expectRollupsMatchRawRows(db: Executor, label = "rollups"): Promise<void> {
  await expectDailyMatchesEvents(db, label);
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


/** usage_daily holds exactly the raw usage events, summed per account, UTC day, activity and end user. */
async function expectDailyMatchesEvents(db: Executor, label: string): Promise<void> {
  const daily = await q(db, sql`select account_id, day::text, activity_id, contact_id, events::text from usage_daily order by 1, 2, 3, 4`);
  const fromEvents = await q(db, sql`select account_id, (occurred_at at time zone 'UTC')::date::text as day, activity_id,
      coalesce(contact_id, '00000000-0000-0000-0000-000000000000') as contact_id, sum(count)::text as events
      from usage_events group by 1, 2, 3, 4 order by 1, 2, 3, 4`);
  expect(daily, `${label}: usage_daily`).toEqual(fromEvents);
}

/** Row counts of every table an /api/v1 write touches. */
export async function writeCounts(db: Executor): Promise<Record<string, number | string>> {
  const [row] = await q<Record<string, number | string>>(db, sql`select
    (select count(*)::int from accounts) as accounts, (select count(*)::int from usage_events) as events,
    (select count(*)::int from usage_daily) as daily, (select coalesce(sum(events), 0)::text from usage_rollup_daily) as rolled,
    (select count(*)::int from contacts) as contacts, (select count(*)::int from account_contacts) as links,
    (select count(*)::int from contracts) as contracts, (select count(*)::int from support_tickets) as tickets,
    (select count(*)::int from survey_responses) as surveys, (select count(*)::int from touchpoints) as touchpoints,
    (select count(*)::int from attribute_changes) as changes, (select count(*)::int from api_idempotency_keys) as idempotency_keys,
    (select coalesce(sum(mrr), 0)::text from account_rollups) as mrr, (select count(*)::int from stage_changes) as stage_changes`);
  return row;
}
