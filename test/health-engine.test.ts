/**
 * The health engine on PGlite and on a real Postgres. The property: after a few hundred random
 * writes through the product's own write paths (usage batches, tickets, surveys, touchpoints,
 * contracts, attribute edits, scheme edits), with the queue drained at random moments and at the
 * end, every account's current score and band equal a from-scratch recomputation; the health mix
 * on every parent still matches the raw rows; and a band change left a timeline entry and an event.
 */
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { eq, sql } from "drizzle-orm";
import type { Executor } from "@/db/client";
import { users } from "@/db/schema";
import type { HealthSchemeDefinition } from "@/db/schema/health";
import { runAction } from "@/lib/actions/define";
import { loadViewer, type Ctx } from "@/lib/dal/viewer";
import { markAccountsDirty, recomputeEverything, scoreAccounts, scoreEverything } from "@/lib/health/engine";
import { measureRule } from "@/lib/health/measure";
import type { LoadedScheme } from "@/lib/health/schemes";
import { previewHealthScheme, saveHealthScheme } from "@/lib/health/admin";
import { receiveHealthScores } from "@/lib/health/external";
import { drainAll, drainHealthDirty, runHealthRecompute } from "@/lib/health/worker";
import { addDaysTo, mondayOfDay, today } from "@/lib/health/weeks";
import { setAttributeValues } from "@/lib/ingest/attributes";
import { upsertContracts } from "@/lib/ingest/contracts";
import { addSurveyResponses } from "@/lib/ingest/surveys";
import { upsertTickets } from "@/lib/ingest/tickets";
import { addTouchpoints } from "@/lib/ingest/touchpoints";
import { ingestUsage } from "@/lib/ingest/usage";
import { demoNow, drivers, openSeededDatabase } from "./support/databases";
import { prng } from "./support/fuzz";
import { expectRollupsMatchRawRows } from "./support/rollup-check";

vi.setConfig({ testTimeout: 240_000 });

async function q<T>(db: Executor, query: ReturnType<typeof sql>): Promise<T[]> {
  return ((await db.execute(query)) as unknown as { rows: T[] }).rows;
}


/** Scheme variants that exercise every rule kind, and parents scored from their children. */
const SCHEMES: HealthSchemeDefinition[] = [
  {
    poorBelow: 40,
    goodFrom: 70,
    parentScoring: "none",
    dimensions: [
      { key: "usage", label: "Usage", weight: 3, rule: { kind: "usage", measure: "events", days: 30, basis: "absolute", poor: 5, good: 60 } },
      { key: "support", label: "Support", weight: 2, rule: { kind: "support", measure: "open", days: 30, poor: 3, good: 0 } },
      { key: "engagement", label: "Engagement", weight: 2, rule: { kind: "engagement", measure: "days_since", touchpointTypes: ["call", "meeting"], poor: 45, good: 10 } },
      { key: "sentiment", label: "Sentiment", weight: 1, rule: { kind: "sentiment", survey: "nps", measure: "latest", days: 90, poor: 6, good: 9 } },
    ],
  },
  {
    poorBelow: 35,
    goodFrom: 65,
    parentScoring: "none",
    dimensions: [
      { key: "users", label: "Active users", weight: 2, rule: { kind: "usage", measure: "active_users", days: 14, basis: "per_seat", seatsAttribute: "employees", poor: 0.001, good: 0.05 } },
      { key: "trend", label: "Usage trend", weight: 1, rule: { kind: "usage", measure: "events", days: 7, basis: "trend", poor: 60, good: 110 } },
      { key: "adoption", label: "Adoption", weight: 2, rule: { kind: "adoption", days: 30, poor: 20, good: 60 } },
      { key: "urgent", label: "Urgent tickets", weight: 1, rule: { kind: "support", measure: "urgent", days: 30, poor: 2, good: 0 } },
      { key: "tickets", label: "Tickets per month", weight: 1, rule: { kind: "support", measure: "per_period", days: 30, poor: 6, good: 1 } },
      { key: "csat", label: "CSAT", weight: 1, rule: { kind: "sentiment", survey: "csat", measure: "average", days: 120, poor: 3, good: 4.5 } },
      { key: "cadence", label: "Touchpoints per quarter", weight: 1, rule: { kind: "engagement", measure: "per_quarter", touchpointTypes: ["call", "meeting", "qbr", "email"], poor: 1, good: 6 } },
      { key: "renewal", label: "Renewal", weight: 1, rule: { kind: "renewal", poor: 30, good: 120 } },
      { key: "size", label: "Employees", weight: 1, rule: { kind: "attribute", key: "employees", measure: "number", poor: 100, good: 2000 } },
      { key: "tenure", label: "Tenure", weight: 1, rule: { kind: "attribute", key: "date_acquired", measure: "days_since", poor: 90, good: 720 } },
    ],
  },
  {
    poorBelow: 45,
    goodFrom: 75,
    parentScoring: "children_arr",
    dimensions: [{ key: "nps", label: "NPS", weight: 1, rule: { kind: "sentiment", survey: "nps", measure: "average", days: 365, poor: 0, good: 40 } }],
  },
  { poorBelow: 40, goodFrom: 70, parentScoring: "children_equal", dimensions: [{ key: "usage", label: "Usage", weight: 1, rule: { kind: "usage", measure: "events", days: 30, basis: "absolute", poor: 10, good: 200 } }] },
];

describe.each(drivers)("health engine on %s", (driver) => {
  let seeded: Awaited<ReturnType<typeof openSeededDatabase>>;
  let admin: Ctx;
  const write = <T>(run: (ctx: Ctx) => Promise<T>) => seeded.db.transaction((tx) => run({ db: tx, viewer: admin.viewer }));

  beforeAll(async () => {
    seeded = await openSeededDatabase(driver);
    const [user] = await seeded.db.select({ id: users.id }).from(users).where(eq(users.email, "admin@demo.test"));
    admin = { db: seeded.db, viewer: (await loadViewer(seeded.db, user.id))! };
  });
  afterAll(async () => {
    await seeded?.close();
  });

  async function expectCurrentEqualsScratch(label: string) {
    const day = today();
    const scratch = await scoreEverything(seeded.db, day);
    const stored = await q<{ account_id: string; score: number; band: string; source: string }>(
      seeded.db,
      sql`select s.account_id, s.score, s.band, s.source from health_snapshots s join accounts a on a.id = s.account_id
          where a.archived_at is null and s.week_start = ${mondayOfDay(day)}::date`,
    );
    const storedBy = new Map(stored.map((s) => [s.account_id, s]));
    const mismatches: string[] = [];
    const ids = await q<{ id: string; name: string }>(seeded.db, sql`select id, name from accounts where archived_at is null`);
    for (const { id, name } of ids) {
      const want = scratch.get(id);
      const got = storedBy.get(id);
      if (!want && !got) continue;
      if (!want || !got || Number(got.score) !== want.score || got.band !== want.band || got.source !== want.source) {
        mismatches.push(`${name}: stored ${got ? `${got.score}/${got.band}/${got.source}` : "none"}, from scratch ${want ? `${want.score}/${want.band}/${want.source}` : "none"}`);
      }
    }
    expect(mismatches, label).toEqual([]);
    return scratch;
  }

  it("finds the seeded current week already scored as the engine scores it: a re-score right after seeding changes nothing", async () => {
    const day = today(demoNow());
    const announced = async () =>
      (
        await q<{ timeline: number; events: number }>(
          seeded.db,
          sql`select (select count(*)::int from timeline_entries where kind = 'health_change') as timeline,
                     (select count(*)::int from domain_events where type = 'health.band_changed') as events`,
        )
      )[0];
    const before = await announced();
    const result = await recomputeEverything(seeded.db, day);
    expect(result.accounts).toBeGreaterThan(100);
    expect(result.changed).toBe(0);
    expect(await announced()).toEqual(before);
    // The seeded story of this week agrees with the written bands (no "changed to good" beside an average week).
    const [stale] = await q<{ n: number }>(
      seeded.db,
      sql`select count(*)::int as n from timeline_entries t join health_snapshots s on s.account_id = t.account_id and s.week_start = ${mondayOfDay(day)}::date
          where t.kind = 'health_change' and t.snapshot->>'weekStart' = ${mondayOfDay(day)} and t.snapshot->>'to' <> s.band::text`,
    );
    expect(stale.n).toBe(0);
  });

  it("keeps every account's current score equal to a from-scratch recomputation through random writes", async () => {
    const r = prng(driver === "pg" ? 1616 : 6161);
    // Today's daily re-score: the seeded current week becomes the engine's.
    await seeded.db.transaction((tx) => markAccountsDirty(tx, null));
    await drainAll(seeded.db);
    const first = await expectCurrentEqualsScratch("after the daily re-score");
    expect(first.size).toBeGreaterThan(10);

    const accounts = await q<{ external_id: string; id: string; type_key: string; type_id: string }>(
      seeded.db,
      sql`select a.external_id, a.id, t.key as type_key, t.id as type_id from accounts a join account_types t on t.id = a.type_id
          where a.archived_at is null and a.external_id is not null and not t.is_opportunity order by a.external_id`,
    );
    const products = accounts.filter((a) => a.type_key === "product").slice(0, 14);
    const targets = [...products, ...accounts.filter((a) => a.type_key !== "product").slice(0, 6)];
    const types = [...new Set(accounts.map((a) => a.type_id))];
    const now = Date.now();
    const at = (daysAgo: number) => new Date(now - daysAgo * 86_400_000 - r.int(0, 3_600_000)).toISOString();
    let ticketN = 0;
    let contractN = 0;
    const kinds: Record<string, number> = {};

    for (let step = 0; step < 220; step++) {
      const account = r.pick(targets);
      const kind = r.pick(["usage", "usage", "ticket", "ticket", "survey", "touchpoint", "contract", "attribute", "scheme", "drain", "drain", "external"] as const);
      kinds[kind] = (kinds[kind] ?? 0) + 1;
      switch (kind) {
        case "usage":
          await write((ctx) =>
            ingestUsage(
              ctx,
              Array.from({ length: r.int(1, 40) }, () => ({ accountExternalId: r.pick(targets).external_id, module: r.pick(["reports", "billing", "api"]), activity: r.pick(["view", "export"]), occurredAt: at(r.int(0, 40)), count: r.int(1, 5) })),
            ),
          );
          break;
        case "ticket": {
          const reuse = ticketN > 0 && r.next() < 0.4;
          const id = `prop-ticket-${reuse ? r.int(0, ticketN - 1) : ticketN++}`;
          const closed = r.next() < 0.4;
          await write((ctx) =>
            upsertTickets(ctx, [{ externalId: id, accountExternalId: account.external_id, subject: "Property", priority: r.pick(["low", "normal", "high", "urgent"] as const), status: closed ? "solved" : r.pick(["new", "open", "pending"] as const), openedAt: at(r.int(2, 50)), closedAt: closed ? at(r.int(0, 1)) : null }]),
          );
          break;
        }
        case "survey": {
          const nps = r.next() < 0.6;
          await write((ctx) => addSurveyResponses(ctx, [{ accountExternalId: account.external_id, kind: nps ? "nps" : "csat", score: nps ? r.int(0, 10) : r.int(1, 5), respondedAt: at(r.int(0, 100)) }]));
          break;
        }
        case "touchpoint":
          await write((ctx) => addTouchpoints(ctx, [{ accountExternalId: account.external_id, type: r.pick(["call", "meeting", "email", "qbr", "note"] as const), subject: "Property", occurredAt: at(r.int(0, 70)) }]));
          break;
        case "contract": {
          const reuse = contractN > 0 && r.next() < 0.5;
          const id = `prop-contract-${reuse ? r.int(0, contractN - 1) : contractN++}`;
          const start = new Date(now - r.int(100, 400) * 86_400_000).toISOString().slice(0, 10);
          const end = new Date(now + r.int(-10, 300) * 86_400_000).toISOString().slice(0, 10);
          await write((ctx) => upsertContracts(ctx, [{ externalId: id, accountExternalId: account.external_id, name: "Property", value: r.int(1, 50) * 1000, mrr: r.int(1, 40) * 100, startDate: start, endDate: end }]));
          break;
        }
        case "attribute": {
          const date = new Date(now - r.int(0, 1000) * 86_400_000).toISOString().slice(0, 10);
          await write((ctx) =>
            setAttributeValues(ctx, r.next() < 0.5 ? [{ accountExternalId: account.external_id, key: "employees", value: r.int(0, 5000) }] : [{ accountExternalId: account.external_id, key: "date_acquired", value: date }]),
          );
          break;
        }
        case "scheme": {
          const result = await runAction(saveHealthScheme, { accountTypeId: r.pick(types), definition: JSON.stringify(r.pick(SCHEMES)) }, admin);
          expect(result.ok, JSON.stringify(result)).toBe(true);
          break;
        }
        case "external":
          await write((ctx) => receiveHealthScores(ctx, [{ accountExternalId: account.external_id, score: r.int(0, 100), ...(r.next() < 0.3 ? { upsell: { amount: 1000 } } : {}) }]));
          break;
        case "drain":
          await drainHealthDirty(seeded.db, new Date(), r.int(1, 50));
          break;
      }
    }
    expect(Object.keys(kinds).length).toBeGreaterThanOrEqual(9);
    await drainAll(seeded.db);
    await expectCurrentEqualsScratch("after random writes");
    await expectRollupsMatchRawRows(seeded.db, "health mix after the engine");

    // Band changes were announced: a timeline entry naming what moved, and an event, for each.
    const [changes] = await q<{ timeline: number; events: number }>(
      seeded.db,
      sql`select (select count(*)::int from timeline_entries where kind = 'health_change' and ref_id is not null) as timeline,
                 (select count(*)::int from domain_events where type = 'health.band_changed') as events`,
    );
    expect(changes.timeline).toBeGreaterThan(0);
    expect(changes.events).toBe(changes.timeline);
  });

  it("previews a scheme on real accounts, keeps every version and recomputes past weeks in the background", async () => {
    const [type] = await q<{ id: string }>(seeded.db, sql`select id from account_types where key = 'product'`);
    const strict: HealthSchemeDefinition = { ...SCHEMES[0], poorBelow: 90, goodFrom: 99 };
    const preview = await runAction(previewHealthScheme, { accountTypeId: type.id, definition: JSON.stringify(strict) }, admin);
    if (!preview.ok) throw new Error(preview.error);
    expect(preview.data.length).toBe(20);
    expect(preview.data.some((p) => p.after?.band === "poor")).toBe(true);

    const bad = await runAction(saveHealthScheme, { accountTypeId: type.id, definition: JSON.stringify({ ...strict, goodFrom: 10 }) }, admin);
    expect(bad.ok).toBe(false);
    if (!bad.ok) expect(bad.fieldErrors?.goodFrom?.[0]).toMatch(/lower/);

    const saved = await runAction(saveHealthScheme, { accountTypeId: type.id, definition: JSON.stringify(strict) }, admin);
    if (!saved.ok) throw new Error(saved.error);
    const versions = await q<{ version: number }>(seeded.db, sql`select v.version from health_scheme_versions v join health_schemes s on s.id = v.scheme_id where s.account_type_id = ${type.id}::uuid order by v.version`);
    expect(versions.map((v) => v.version)).toEqual(Array.from({ length: saved.data.version }, (_, i) => i + 1));
    while (await runHealthRecompute(seeded.db)) {
      // drain the recompute
    }
    const [job] = await q<{ done: number; total: number; finished: boolean }>(
      seeded.db,
      sql`select done, total, finished_at is not null as finished from health_recomputes j join health_schemes s on s.id = j.scheme_id where s.account_type_id = ${type.id}::uuid order by j.created_at desc limit 1`,
    );
    expect(job).toEqual({ done: job.total, total: job.total, finished: true });
    const [past] = await q<{ n: number }>(
      seeded.db,
      sql`select count(*)::int as n from health_snapshots s join accounts a on a.id = s.account_id
          where a.type_id = ${type.id}::uuid and s.scheme_version = ${saved.data.version} and s.week_start < ${mondayOfDay(today())}::date`,
    );
    expect(past.n).toBeGreaterThan(0);
    await drainAll(seeded.db);
    await expectCurrentEqualsScratch("after a saved scheme");
  });

  it("scores a past week with an attribute's value as it stood then (its history), not today's", async () => {
    const d = today(demoNow());
    // A product with no history of the attribute: the history below is the whole story.
    const [account] = await q<{ id: string; external_id: string; type_id: string; value: unknown }>(
      seeded.db,
      sql`select a.id, a.external_id, a.type_id, v.value from accounts a join account_types t on t.id = a.type_id and t.key = 'product'
          join attribute_definitions def on def.account_type_id = t.id and def.key = 'employees'
          left join attribute_values v on v.account_id = a.id and v.attribute_id = def.id
          where a.archived_at is null and a.external_id is not null and a.created_at < ${addDaysTo(d, -60)}::date
            and not exists (select 1 from attribute_changes c where c.account_id = a.id and c.attribute_id = def.id)
            and exists (select 1 from usage_daily u where u.account_id = a.id and u.day > ${addDaysTo(d, -50)}::date and u.day <= ${addDaysTo(d, -20)}::date)
          order by a.external_id limit 1`,
    );
    const before = account.value === null || account.value === undefined ? undefined : Number(account.value);
    for (const value of [100, 3000]) await write((ctx) => setAttributeValues(ctx, [{ accountExternalId: account.external_id, key: "employees", value }]));
    // The two edits as if made 30 and 10 days before the demo's today.
    await seeded.db.execute(sql`
      update attribute_changes c set changed_at = (${d}::date - (case when c.new_value = '100'::jsonb then 30 else 10 end))::timestamp at time zone 'UTC' + interval '12 hours'
      where c.account_id = ${account.id}::uuid and c.attribute_id = (select id from attribute_definitions where account_type_id = ${account.type_id}::uuid and key = 'employees')`);

    const rule = { kind: "attribute", key: "employees", measure: "number", poor: 100, good: 2000 } as const;
    const measured = async (asOf: string) => (await measureRule(seeded.db, rule, [account.id], asOf)).get(account.id);
    expect(await measured(addDaysTo(d, -40))).toBe(before);
    expect(await measured(addDaysTo(d, -20))).toBe(100);
    expect(await measured(addDaysTo(d, -11))).toBe(100);
    expect(await measured(addDaysTo(d, -10))).toBe(3000); // changed at noon: the end of that day reads 3,000
    expect(await measured(d)).toBe(3000);

    // The engine's weekly score follows: a week in the middle is scored with 100 (poor line), today with 3,000.
    const scheme: LoadedScheme = {
      id: "attribute-history", accountTypeId: account.type_id, name: "Size", version: 1, poorBelow: 40, goodFrom: 70, parentScoring: "none",
      dimensions: [{ key: "size", label: "Employees", weight: 1, rule }],
    };
    const scored = async (asOf: string) => (await scoreAccounts(seeded.db, [account.id], asOf, { schemes: new Map([[account.type_id, scheme]]) })).get(account.id);
    expect(await scored(addDaysTo(d, -20))).toMatchObject({ score: 40, band: "average", dimensions: { size: { score: 40, band: "average" } } });
    expect(await scored(d)).toMatchObject({ band: "good", dimensions: { size: { band: "good" } } });

    // Usage per seat reads the seats attribute the same way.
    const perSeat = { kind: "usage", measure: "events", days: 30, basis: "per_seat", seatsAttribute: "employees", poor: 0.1, good: 1 } as const;
    const absolute = { ...perSeat, basis: "absolute" } as const;
    const events = (await measureRule(seeded.db, absolute, [account.id], addDaysTo(d, -20))).get(account.id)!;
    expect(events).toBeGreaterThan(0);
    expect((await measureRule(seeded.db, perSeat, [account.id], addDaysTo(d, -20))).get(account.id)).toBe(Math.round((events / 100) * 10_000) / 10_000);
  });
});
