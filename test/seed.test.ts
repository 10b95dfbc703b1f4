/**
 * The demo data set generator against a real (in-memory PGlite) database: counts, the invariants
 * the app relies on, and determinism (same `now`, same rows and ids).
 */
import bcrypt from "bcryptjs";
import { is, sql } from "drizzle-orm";
import { getTableConfig, PgTable } from "drizzle-orm/pg-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { migrateDatabase, openDatabase, type Database, type DatabaseHandle } from "@/db/client";
import * as schema from "@/db/schema";
import { seedDemo, type DemoSummary } from "@/db/seed/demo";

const NOW = new Date("2026-11-16T09:00:00.000Z");
const DAY = 86_400_000;

async function rows<T>(db: Database, query: ReturnType<typeof sql>): Promise<T[]> {
  return (await db.execute(query)).rows as T[];
}
async function one<T>(db: Database, query: ReturnType<typeof sql>): Promise<T> {
  const [row] = await rows<T>(db, query);
  return row;
}
async function num(db: Database, query: ReturnType<typeof sql>): Promise<number> {
  const row = await one<{ n: number | string }>(db, query);
  return Number(row.n);
}

async function openEmpty(): Promise<DatabaseHandle> {
  const handle = await openDatabase({ driver: "pglite" });
  await migrateDatabase(handle);
  return handle;
}

describe("demo data set", () => {
  let handle: DatabaseHandle;
  let db: Database;
  let demo: DemoSummary;
  let seedMs = 0;
  const stored = new Map<string, { bytes: Uint8Array; contentType: string }>();

  beforeAll(async () => {
    handle = await openEmpty();
    db = handle.db;
    const started = performance.now();
    demo = await seedDemo(db, {
      now: NOW,
      putAsset: async (key, bytes, contentType) => {
        stored.set(key, { bytes, contentType });
      },
    });
    seedMs = performance.now() - started;
    // A figure for the notes, not an assertion: timings on these machines are noisy.
    console.log(`[seed.test] seedDemo on in-memory PGlite: ${(seedMs / 1000).toFixed(1)} s`);
  }, 180_000);

  afterAll(async () => {
    await handle?.close();
  });

  it("reports the row count of every table it wrote", async () => {
    const tables = (Object.values(schema) as unknown[]).filter((value): value is PgTable => is(value, PgTable));
    for (const table of tables) {
      const name = getTableConfig(table).name;
      const n = await num(db, sql`select count(*)::int as n from ${sql.identifier(name)}`);
      // The migrations themselves write the one row of usage_window_state (the day the user windows
      // end on), the 6 usual assignment roles (0009_assignment_roles) and the day of the last daily
      // health re-score (0022_health_engine).
      const fromMigrations: Record<string, number> = { usage_window_state: 1, assignment_roles: 6, health_sweep: 1 };
      expect(n, name).toBe(fromMigrations[name] ?? demo.counts[name] ?? 0);
    }
    // The app seeds layouts and rollups after this generator; it writes none itself.
    expect(demo.counts.layouts ?? 0).toBe(0);
    expect(demo.counts.account_rollups ?? 0).toBe(0);
  });

  it("builds one company > 3 regions > ~36 lines of business > ~240 products, plus opportunities", async () => {
    const byType = await rows<{ key: string; n: number }>(
      db,
      sql`select t.key, count(a.id)::int as n from account_types t left join accounts a on a.type_id = t.id group by t.key`,
    );
    const count = Object.fromEntries(byType.map((r) => [r.key, Number(r.n)]));
    expect(count.company).toBe(1);
    expect(count.region).toBe(3);
    expect(count.line_of_business).toBeGreaterThanOrEqual(30);
    expect(count.line_of_business).toBeLessThanOrEqual(40);
    expect(count.product).toBeGreaterThanOrEqual(200);
    expect(count.product).toBeLessThanOrEqual(260);
    expect(count.opportunity).toBeGreaterThanOrEqual(15);
    expect(count.opportunity).toBeLessThanOrEqual(25);
    const total = Object.values(count).reduce((a, b) => a + b, 0);
    expect(total).toBeGreaterThanOrEqual(280);
    expect(total).toBeLessThanOrEqual(320);

    const regions = await rows<{ name: string; id: string; external_id: string }>(
      db,
      sql`select a.name, a.id, a.external_id from accounts a join account_types t on t.id = a.type_id where t.key = 'region' order by a.name`,
    );
    expect(regions.map((r) => r.name)).toEqual(["APAC", "Americas", "EMEA"]);
    expect(regions.find((r) => r.name === "EMEA")!.id).toBe(demo.emeaRegionId);
    expect(regions.find((r) => r.name === "Americas")!.id).toBe(demo.americasRegionId);
    expect(regions.map((r) => r.external_id).sort()).toEqual(["demo-americas", "demo-apac", "demo-emea"]);

    const names = await rows<{ name: string }>(db, sql`select name from accounts where id = ${demo.busiestProductId}`);
    expect(names[0].name).toBe("Payments Hub — Retail Banking EMEA");
    expect(await num(db, sql`select count(*) - count(distinct name) as n from accounts`)).toBe(0);
    expect(await num(db, sql`select count(*) as n from accounts where external_id is null`)).toBe(0);
  });

  it("follows the type hierarchy rules: opportunities are reserved and never parents", async () => {
    const types = await rows<{ key: string; name: string; level: number; is_opportunity: boolean; asset_limit_mb: number }>(
      db,
      sql`select key, name, level, is_opportunity, asset_limit_mb from account_types order by level`,
    );
    expect(types.map((t) => [t.key, t.name, t.level])).toEqual([
      ["company", "Company", 0],
      ["region", "Region", 1],
      ["line_of_business", "Line of business", 2],
      ["product", "Product", 3],
      ["opportunity", "Opportunity", 4],
    ]);
    const opportunity = types.find((t) => t.key === "opportunity")!;
    expect(opportunity.is_opportunity).toBe(true);
    expect(opportunity.asset_limit_mb).toBe(50);

    const rules = await rows<{ child: string; parent: string }>(
      db,
      sql`select c.key as child, p.key as parent from account_type_parents r
          join account_types c on c.id = r.child_type_id join account_types p on p.id = r.parent_type_id
          order by 1, 2`,
    );
    expect(rules.map((r) => `${r.child}<-${r.parent}`)).toEqual([
      "line_of_business<-region",
      "opportunity<-line_of_business",
      "opportunity<-product",
      "product<-line_of_business",
      "region<-company",
    ]);
    // Every account's parent has a type allowed by the rules.
    expect(
      await num(
        db,
        sql`select count(*) as n from accounts a join accounts p on p.id = a.parent_id
            where not exists (select 1 from account_type_parents r where r.child_type_id = a.type_id and r.parent_type_id = p.type_id)`,
      ),
    ).toBe(0);
    expect(await num(db, sql`select count(*) as n from accounts where parent_id is null`)).toBe(1);
  });

  it("builds the closure, paths and depths (rebuildClosure)", async () => {
    expect(await num(db, sql`select count(*) as n from account_closure where distance = 0`)).toBe(await num(db, sql`select count(*) as n from accounts`));
    const product = await one<{ path: string[]; depth: number }>(db, sql`select path, depth from accounts where id = ${demo.busiestProductId}`);
    expect(product.depth).toBe(3);
    expect(product.path[0]).toBe(demo.companyId);
    expect(product.path[1]).toBe(demo.emeaRegionId);
    expect(await num(db, sql`select count(*) as n from account_closure where ancestor_id = ${demo.companyId}`)).toBe(
      await num(db, sql`select count(*) as n from accounts`),
    );
    // The moved product keeps its history.
    expect(await num(db, sql`select count(*) as n from account_moves where old_parent_id is not null`)).toBe(1);
  });

  it("creates the demo users, teams and scopes", async () => {
    const users = await rows<{ email: string; name: string; role: string; password_hash: string }>(
      db,
      sql`select email, name, role, password_hash from users order by email`,
    );
    const byEmail = new Map(users.map((u) => [u.email, u]));
    expect(byEmail.get("admin@demo.test")).toMatchObject({ name: "Ada Admin", role: "admin" });
    expect(byEmail.get("csm@demo.test")).toMatchObject({ name: "Casey CSM", role: "member" });
    expect(byEmail.get("leader@demo.test")).toMatchObject({ name: "Lee Leader", role: "leadership" });
    expect(byEmail.get("viewer@demo.test")).toMatchObject({ name: "Val Viewer", role: "viewer" });
    expect(users.filter((u) => u.role === "member").length).toBeGreaterThanOrEqual(13);
    expect(await bcrypt.compare("demo", byEmail.get("csm@demo.test")!.password_hash)).toBe(true);
    expect(await bcrypt.compare("wrong", byEmail.get("csm@demo.test")!.password_hash)).toBe(false);

    const teams = await rows<{ key: string; name: string; sees: boolean; kind: string; root: string | null; members: string[] }>(
      db,
      sql`select t.key, t.name, t.sees_opportunities as sees, s.kind, s.root_account_id as root,
            (select array_agg(u.email order by u.email) from team_members m join users u on u.id = m.user_id where m.team_id = t.id) as members
          from teams t join team_scopes s on s.team_id = t.id order by t.key`,
    );
    const team = Object.fromEntries(teams.map((t) => [t.key, t]));
    expect(team.emea).toMatchObject({ name: "EMEA", sees: true, kind: "subtree", root: demo.emeaRegionId });
    expect(team.emea.members).toContain("csm@demo.test");
    expect(team.americas).toMatchObject({ sees: true, kind: "subtree", root: demo.americasRegionId });
    expect(team.apac).toMatchObject({ kind: "subtree", root: demo.apacRegionId });
    expect(team["americas-viewers"]).toMatchObject({ sees: false, kind: "subtree", root: demo.americasRegionId, members: ["viewer@demo.test"] });
    expect(team.leadership).toMatchObject({ kind: "all", members: ["leader@demo.test"] });
    for (const key of ["emea", "americas", "apac"]) expect(team[key].members.length).toBeGreaterThanOrEqual(4);
  });

  it("assigns a CSM and an AE to every product and line of business; csm@ works EMEA products and two LOBs", async () => {
    const missing = await num(
      db,
      sql`select count(*) as n from accounts a join account_types t on t.id = a.type_id
          where t.key in ('product', 'line_of_business')
            and (not exists (select 1 from assignments s where s.account_id = a.id and s.role = 'CSM')
              or not exists (select 1 from assignments s where s.account_id = a.id and s.role = 'AE'))`,
    );
    expect(missing).toBe(0);
    const casey = await rows<{ type: string; role: string; in_emea: boolean }>(
      db,
      sql`select t.key as type, s.role,
            exists (select 1 from account_closure c where c.descendant_id = a.id and c.ancestor_id = ${demo.emeaRegionId}) as in_emea
          from assignments s join users u on u.id = s.user_id join accounts a on a.id = s.account_id
          join account_types t on t.id = a.type_id where u.email = 'csm@demo.test'`,
    );
    expect(casey.length).toBeGreaterThanOrEqual(20);
    expect(casey.length).toBeLessThanOrEqual(30);
    expect(casey.every((r) => r.in_emea && r.role === "CSM")).toBe(true);
    expect(casey.filter((r) => r.type === "line_of_business").length).toBe(2);
    expect(casey.some((r) => r.type === "region")).toBe(false);
    const roles = await rows<{ role: string }>(db, sql`select distinct role from assignments order by role`);
    expect(roles.map((r) => r.role)).toEqual(expect.arrayContaining(["AE", "CSM", "SE", "Support manager"]));
    expect(await num(db, sql`select count(*) as n from assignments s join users u on u.id = s.user_id where u.email = 'viewer@demo.test'`)).toBe(0);
  });

  it("defines the company-profile attributes on every non-opportunity type", async () => {
    const defs = await rows<{ type: string; key: string; data_type: string; privileged: boolean; key_info: boolean; rollup_rule: string; rollup_source_key: string | null }>(
      db,
      sql`select t.key as type, d.key, d.data_type, d.privileged, d.key_info, d.rollup_rule, d.rollup_source_key
          from attribute_definitions d join account_types t on t.id = d.account_type_id`,
    );
    const expected: Record<string, string> = {
      executive_summary: "text",
      employees: "number",
      date_acquired: "date",
      yearly_revenue: "currency",
      year_established: "number",
      mrr_override: "currency",
      segment: "select",
      renewal_date: "date",
      website: "url",
      industry: "select",
      csm_notes: "text",
      discount_pct: "number",
      is_strategic: "boolean",
      seats: "number",
      arr: "currency",
    };
    for (const type of ["company", "region", "line_of_business", "product"]) {
      const mine = defs.filter((d) => d.type === type);
      for (const [key, dataType] of Object.entries(expected)) {
        expect(mine.find((d) => d.key === key)?.data_type, `${type}.${key}`).toBe(dataType);
      }
      expect(mine.filter((d) => d.privileged).map((d) => d.key).sort()).toEqual(["csm_notes", "discount_pct"]);
      const keyInfo = mine.filter((d) => d.key_info).length;
      expect(keyInfo).toBeGreaterThanOrEqual(5);
      expect(keyInfo).toBeLessThanOrEqual(7);
      const rolled = mine.filter((d) => d.rollup_rule !== "none");
      if (type === "product") expect(rolled).toEqual([]);
      else expect(rolled.map((d) => `${d.key}:${d.rollup_rule}:${d.rollup_source_key}`).sort()).toEqual(["arr:sum:arr", "seats:sum:seats"]);
    }
    const groups = await rows<{ name: string; featured: boolean }>(db, sql`select distinct name, featured from field_groups order by name`);
    expect(groups).toEqual(expect.arrayContaining([{ name: "Key facts", featured: true }, { name: "Commercial", featured: true }, { name: "Details", featured: false }]));
  });

  it("leaves some attributes empty and sets mrr_override on one product, unlike its contracts' MRR", async () => {
    const perAccount = await rows<{ n: number }>(db, sql`select count(*)::int as n from attribute_values group by account_id`);
    expect(Math.min(...perAccount.map((r) => Number(r.n)))).toBeLessThan(15);
    const overrides = await rows<{ account_id: string; value: number }>(
      db,
      sql`select v.account_id, v.value from attribute_values v join attribute_definitions d on d.id = v.attribute_id where d.key = 'mrr_override'`,
    );
    expect(overrides.length).toBeGreaterThanOrEqual(1);
    expect(overrides.length).toBeLessThanOrEqual(2);
    expect(overrides.map((o) => o.account_id)).toContain(demo.mrrOverrideProductId);
    const computed = await num(db, sql`select coalesce(sum(mrr), 0) as n from contracts where account_id = ${demo.mrrOverrideProductId} and active and not excluded`);
    const override = Number(overrides.find((o) => o.account_id === demo.mrrOverrideProductId)!.value);
    expect(computed).toBeGreaterThan(0);
    expect(override).not.toBe(computed);
    // Values keep their JSON types.
    const types = await rows<{ key: string; t: string }>(
      db,
      sql`select distinct d.key, jsonb_typeof(v.value) as t from attribute_values v join attribute_definitions d on d.id = v.attribute_id`,
    );
    const typeOf = (key: string) => [...new Set(types.filter((t) => t.key === key).map((t) => t.t))];
    expect(typeOf("seats")).toEqual(["number"]);
    expect(typeOf("is_strategic")).toEqual(["boolean"]);
    expect(typeOf("renewal_date")).toEqual(["string"]);
  });

  it("keeps an attribute history consistent with the current values, with recent changes", async () => {
    const inconsistent = await num(
      db,
      sql`select count(*) as n from attribute_values v
          left join lateral (select c.new_value from attribute_changes c
            where c.account_id = v.account_id and c.attribute_id = v.attribute_id order by c.changed_at desc, c.id desc limit 1) last on true
          where last.new_value is distinct from v.value`,
    );
    expect(inconsistent).toBe(0);
    const versions = await num(
      db,
      sql`select count(*) as n from attribute_values v
          where v.version <> (select count(*) from attribute_changes c where c.account_id = v.account_id and c.attribute_id = v.attribute_id)`,
    );
    expect(versions).toBe(0);
    // Each change starts from the previous value.
    const broken = await num(
      db,
      sql`select count(*) as n from (
            select old_value, lag(new_value) over (partition by account_id, attribute_id order by changed_at, id) as previous
            from attribute_changes) x
          where x.old_value is distinct from x.previous`,
    );
    expect(broken).toBe(0);
    const recent = await num(db, sql`select count(distinct account_id) as n from attribute_changes where source = 'app' and changed_at >= ${new Date(NOW.getTime() - 7 * DAY)}`);
    expect(recent).toBeGreaterThanOrEqual(10);
    expect(await num(db, sql`select count(*) as n from attribute_changes where changed_at > ${NOW}`)).toBe(0);
    const busiestChanges = await num(db, sql`select count(*) as n from attribute_changes where account_id = ${demo.busiestProductId} and source = 'app'`);
    expect(busiestChanges).toBeGreaterThanOrEqual(5);
  });

  it("writes 52 weekly health snapshots per product and parent, consistent with the scheme", async () => {
    const schemes = await rows<{ type: string; dims: string[]; poor_below: number; good_from: number }>(
      db,
      sql`select t.key as type, array_agg(d.key order by d.position) as dims, s.poor_below, s.good_from
          from health_schemes s join account_types t on t.id = s.account_type_id join health_dimensions d on d.scheme_id = s.id
          group by t.key, s.poor_below, s.good_from`,
    );
    expect(schemes.map((s) => s.type).sort()).toEqual(["company", "line_of_business", "product", "region"]);
    for (const scheme of schemes) {
      expect(scheme.dims).toEqual(["usage", "engagement", "support", "sentiment"]);
      expect([Number(scheme.poor_below), Number(scheme.good_from)]).toEqual([40, 70]);
    }
    const weeks = await rows<{ week_start: string }>(db, sql`select week_start::text from health_snapshots where account_id = ${demo.busiestProductId} order by week_start`);
    expect(weeks.length).toBe(52);
    expect(weeks[weeks.length - 1].week_start).toBe("2026-11-16");
    expect(weeks[0].week_start).toBe("2025-11-24");
    expect(await num(db, sql`select count(*) as n from health_snapshots where extract(isodow from week_start) <> 1`)).toBe(0);
    for (const id of [demo.companyId, demo.emeaRegionId]) {
      expect(await num(db, sql`select count(*) as n from health_snapshots where account_id = ${id}`)).toBe(52);
    }
    const products = await rows<{ n: number }>(
      db,
      sql`select count(h.week_start)::int as n from accounts a join account_types t on t.id = a.type_id and t.key = 'product'
          left join health_snapshots h on h.account_id = a.id group by a.id`,
    );
    expect(products.filter((p) => Number(p.n) === 52).length).toBeGreaterThan(products.length * 0.8);
    expect(Math.min(...products.map((p) => Number(p.n)))).toBeGreaterThan(0);
    expect(await num(db, sql`select count(*) as n from health_snapshots h join accounts a on a.id = h.account_id join account_types t on t.id = a.type_id where t.is_opportunity`)).toBe(0);
    // Bands follow the thresholds; the overall score is the weighted mean of the dimensions.
    expect(
      await num(
        db,
        sql`select count(*) as n from health_snapshots where band::text <> case when score < 40 then 'poor' when score >= 70 then 'good' else 'average' end`,
      ),
    ).toBe(0);
    expect(
      await num(
        db,
        sql`select count(*) as n from health_snapshots
            where abs(score - ((dimensions->'usage'->>'score')::float * 0.35 + (dimensions->'engagement'->>'score')::float * 0.25
              + (dimensions->'support'->>'score')::float * 0.2 + (dimensions->'sentiment'->>'score')::float * 0.2)) > 0.06`,
      ),
    ).toBe(0);
    const upsells = await num(db, sql`select count(*) as n from health_snapshots where upsell and upsell_amount > 0`);
    expect(upsells).toBeGreaterThan(50);
    const bands = await rows<{ band: string }>(db, sql`select distinct band::text as band from health_snapshots order by 1`);
    expect(bands.map((b) => b.band)).toEqual(["average", "good", "poor"]);
    // The busiest product had a visible dip: not every week is good.
    const busiestBands = await rows<{ band: string }>(db, sql`select distinct band::text as band from health_snapshots where account_id = ${demo.busiestProductId}`);
    expect(busiestBands.length).toBeGreaterThan(1);
  });

  it("puts every product at a stage of both lifecycles, consistent with the stage history", async () => {
    const lifecycles = await rows<{ key: string; stages: string[] }>(
      db,
      sql`select l.key, array_agg(s.key order by s.position) as stages from lifecycles l join lifecycle_stages s on s.lifecycle_id = l.id group by l.key order by l.key`,
    );
    expect(lifecycles).toEqual([
      { key: "journey", stages: ["onboarding", "adoption", "nurture", "renewal", "expansion"] },
      { key: "onboarding", stages: ["kickoff", "configuration", "training", "go_live"] },
    ]);
    const productsWithoutBoth = await num(
      db,
      sql`select count(*) as n from accounts a join account_types t on t.id = a.type_id and t.key = 'product'
          where (select count(*) from account_stages x where x.account_id = a.id) <> 2`,
    );
    expect(productsWithoutBoth).toBe(0);
    const inconsistent = await num(
      db,
      sql`select count(*) as n from account_stages x
          left join lateral (select c.to_stage_id, c.changed_at from stage_changes c
            where c.account_id = x.account_id and c.lifecycle_id = x.lifecycle_id order by c.changed_at desc, c.id desc limit 1) last on true
          where last.to_stage_id is distinct from x.stage_id or last.changed_at is distinct from x.since`,
    );
    expect(inconsistent).toBe(0);
    const chained = await num(
      db,
      sql`select count(*) as n from (
            select from_stage_id, lag(to_stage_id) over (partition by account_id, lifecycle_id order by changed_at, id) as previous
            from stage_changes) x
          where x.from_stage_id is distinct from x.previous`,
    );
    expect(chained).toBe(0);
    const journey = await rows<{ key: string }>(
      db,
      sql`select distinct s.key from account_stages x join lifecycle_stages s on s.id = x.stage_id join lifecycles l on l.id = x.lifecycle_id where l.key = 'journey'`,
    );
    expect(journey.length).toBeGreaterThanOrEqual(4);
  });

  it("records usage on products only, by their own contacts, with consistent daily aggregates", async () => {
    const events = await num(db, sql`select count(*) as n from usage_events`);
    expect(events).toBeGreaterThanOrEqual(60_000);
    expect(events).toBeLessThanOrEqual(150_000);
    expect(
      await num(db, sql`select count(*) as n from usage_events e join accounts a on a.id = e.account_id join account_types t on t.id = a.type_id where t.key <> 'product'`),
    ).toBe(0);
    expect(
      await num(
        db,
        sql`select count(*) as n from usage_events e where e.contact_id is not null
            and not exists (select 1 from account_contacts ac where ac.account_id = e.account_id and ac.contact_id = e.contact_id)`,
      ),
    ).toBe(0);
    expect(await num(db, sql`select count(*) as n from usage_events where occurred_at > ${NOW} or occurred_at < ${new Date(NOW.getTime() - 366 * DAY)}`)).toBe(0);
    const mismatches = await num(
      db,
      sql`with expected as (
            select account_id, (occurred_at at time zone 'UTC')::date as day, activity_id, module_id,
              coalesce(contact_id, ${schema.NO_CONTACT}::uuid) as contact_id, sum(count) as events
            from usage_events group by 1, 2, 3, 4, 5)
          select count(*) as n from expected e full join usage_daily u
            on u.account_id = e.account_id and u.day = e.day and u.activity_id = e.activity_id and u.contact_id = e.contact_id
          where e.events is distinct from u.events or e.module_id is distinct from u.module_id`,
    );
    expect(mismatches).toBe(0);
    expect(await num(db, sql`select count(*) as n from usage_daily where contact_id = ${schema.NO_CONTACT}::uuid`)).toBeGreaterThan(0);
    const modules = await rows<{ key: string; n: number }>(db, sql`select m.key, count(a.id)::int as n from usage_modules m join usage_activities a on a.module_id = m.id group by m.key`);
    expect(modules.length).toBeGreaterThanOrEqual(5);
    expect(modules.every((m) => Number(m.n) >= 3 && Number(m.n) <= 4)).toBe(true);
    // A handful of products are far busier; the busiest is the named one.
    const top = await rows<{ account_id: string; n: number }>(
      db,
      sql`select account_id, sum(events)::float8 as n from usage_daily group by account_id order by n desc limit 10`,
    );
    expect(top[0].account_id).toBe(demo.busiestProductId);
    expect(Number(top[0].n)).toBeGreaterThan(Number(top[9].n) * 2);
  });

  it("links ~400 contacts with roles, some at several levels", async () => {
    const contacts = await num(db, sql`select count(*) as n from contacts`);
    expect(contacts).toBeGreaterThanOrEqual(350);
    expect(contacts).toBeLessThanOrEqual(450);
    expect(await num(db, sql`select count(*) - count(distinct lower(email)) as n from contacts`)).toBe(0);
    const links = await rows<{ type: string; role: string; is_key: boolean }>(
      db,
      sql`select t.key as type, ac.role, ac.is_key from account_contacts ac join accounts a on a.id = ac.account_id
          join account_types t on t.id = a.type_id where ac.contact_id = ${demo.sharedContactId}`,
    );
    expect(links.length).toBeGreaterThanOrEqual(3);
    expect(new Set(links.map((l) => l.type)).size).toBeGreaterThanOrEqual(2);
    expect(new Set(links.map((l) => l.role)).size).toBeGreaterThanOrEqual(2);
    expect(new Set(links.map((l) => l.is_key)).size).toBe(2);
    const roles = await rows<{ role: string }>(db, sql`select distinct role from account_contacts`);
    expect(roles.map((r) => r.role)).toEqual(expect.arrayContaining(["Champion", "Executive sponsor", "End user", "Billing"]));
  });

  it("fills the busiest product's timeline to exactly 2,000 entries, and no account beyond", async () => {
    expect(await num(db, sql`select count(*) as n from timeline_entries where account_id = ${demo.busiestProductId}`)).toBe(2000);
    expect(await num(db, sql`select max(n) as n from (select count(*) as n from timeline_entries group by account_id) x`)).toBe(2000);
    const kinds = await rows<{ kind: string }>(db, sql`select distinct kind::text as kind from timeline_entries order by 1`);
    expect(kinds.map((k) => k.kind)).toEqual(
      expect.arrayContaining(["asset", "attribute_change", "campaign", "health_change", "lifecycle_change", "task", "touchpoint"]),
    );
    const touchpoint = await one<{ snapshot: Record<string, unknown> }>(
      db,
      sql`select snapshot from timeline_entries where kind = 'touchpoint' and account_id = ${demo.busiestProductId} order by occurred_at desc limit 1`,
    );
    expect(touchpoint.snapshot).toMatchObject({ type: expect.any(String), subject: expect.any(String), body: expect.any(String), participants: expect.any(Array) });
    const task = await one<{ snapshot: Record<string, unknown> }>(db, sql`select snapshot from timeline_entries where kind = 'task' limit 1`);
    expect(task.snapshot).toMatchObject({ title: expect.any(String), priority: expect.any(String), assignee: expect.any(String) });
    // Privileged values never reach the timeline, which every viewer of the account may read.
    expect(await num(db, sql`select count(*) as n from timeline_entries where kind = 'attribute_change' and snapshot->>'attributeKey' in ('csm_notes', 'discount_pct')`)).toBe(0);
    expect(await num(db, sql`select count(*) as n from timeline_entries where occurred_at > ${NOW}`)).toBe(0);
    const others = await rows<{ n: number }>(
      db,
      sql`select count(*)::int as n from timeline_entries where account_id <> ${demo.busiestProductId} group by account_id`,
    );
    expect(Math.max(...others.map((o) => Number(o.n)))).toBeLessThan(200);
  });

  it("gives csm@ open tasks from overdue to next month, and done tasks a completion time", async () => {
    const today = NOW.toISOString().slice(0, 10);
    const open = await rows<{ due_date: string; priority: string }>(
      db,
      sql`select t.due_date::text, t.priority::text from tasks t join users u on u.id = t.assignee_id
          where u.email = 'csm@demo.test' and t.status in ('open', 'in_progress')`,
    );
    expect(open.length).toBeGreaterThanOrEqual(10);
    expect(open.some((t) => t.due_date < today)).toBe(true);
    expect(open.some((t) => t.due_date > today)).toBe(true);
    expect(new Set(open.map((t) => t.priority)).size).toBeGreaterThanOrEqual(3);
    expect(await num(db, sql`select count(*) as n from tasks where (status = 'done') <> (completed_at is not null)`)).toBe(0);
    expect(await num(db, sql`select count(*) as n from tasks where objective_id is not null`)).toBeGreaterThan(20);
    expect(await num(db, sql`select count(*) as n from tasks where playbook_id is not null`)).toBeGreaterThan(10);
    const plans = await rows<{ n: number }>(db, sql`select count(*)::int as n from objectives group by plan_id`);
    expect(plans.every((p) => Number(p.n) >= 2 && Number(p.n) <= 4)).toBe(true);
    const playbooks = await rows<{ n: number }>(db, sql`select count(*)::int as n from playbook_steps group by playbook_id`);
    expect(playbooks.length).toBe(3);
    expect(playbooks.every((p) => Number(p.n) >= 3 && Number(p.n) <= 5)).toBe(true);
    expect(await num(db, sql`select count(*) as n from campaigns`)).toBe(4);
    const requests = await rows<{ status: string }>(db, sql`select distinct status::text as status from information_requests`);
    expect(requests.map((r) => r.status)).toEqual(expect.arrayContaining(["open", "answered"]));
  });

  it("has revenue, support, surveys, tags, groups and the CRM collection", async () => {
    const contracts = await one<{ active: number; inactive: number; excluded: number }>(
      db,
      sql`select count(*) filter (where active)::int as active, count(*) filter (where not active)::int as inactive,
            count(*) filter (where excluded)::int as excluded from contracts`,
    );
    expect(Number(contracts.active)).toBeGreaterThan(200);
    expect(Number(contracts.inactive)).toBeGreaterThan(20);
    expect(Number(contracts.excluded)).toBeGreaterThanOrEqual(3);
    expect(await num(db, sql`select count(*) as n from invoices where paid_on is null`)).toBeGreaterThan(0);
    expect(await num(db, sql`select count(*) as n from invoices where paid_on is not null`)).toBeGreaterThan(0);
    expect(await num(db, sql`select count(*) as n from sales`)).toBeGreaterThan(0);
    const tickets = await one<{ closed: number; open: number; urgent_open: number }>(
      db,
      sql`select count(*) filter (where status in ('solved', 'closed'))::int as closed,
            count(*) filter (where status in ('new', 'open', 'pending'))::int as open,
            count(*) filter (where status in ('new', 'open', 'pending') and priority = 'urgent')::int as urgent_open from support_tickets`,
    );
    expect(Number(tickets.closed)).toBeGreaterThan(Number(tickets.open));
    expect(Number(tickets.open)).toBeGreaterThan(0);
    expect(Number(tickets.urgent_open)).toBeGreaterThan(0);
    expect(await num(db, sql`select count(*) as n from survey_responses where (kind = 'nps' and score not between 0 and 10) or (kind = 'csat' and score not between 1 and 5)`)).toBe(0);
    expect(await num(db, sql`select count(*) as n from survey_responses where kind = 'nps'`)).toBeGreaterThan(100);
    expect(await num(db, sql`select count(*) as n from survey_responses where kind = 'csat'`)).toBeGreaterThan(100);
    const tags = await rows<{ name: string }>(db, sql`select distinct t.name from account_tags a join tags t on t.id = a.tag_id`);
    expect(tags.map((t) => t.name)).toEqual(expect.arrayContaining(["Reference", "At risk", "Expansion", "Beta program"]));
    const groups = await rows<{ name: string; n: number }>(db, sql`select g.name, count(m.account_id)::int as n from account_groups g join account_group_members m on m.group_id = g.id group by g.name order by g.name`);
    expect(groups.map((g) => g.name)).toEqual(["Strategic", "Tech touch"]);
    const collection = await one<{ key: string; columns: { key: string }[]; records: number }>(
      db,
      sql`select c.key, c.columns, (select count(*)::int from collection_records r where r.collection_id = c.id) as records from collections c`,
    );
    expect(collection.key).toBe("crm_opportunities");
    expect(collection.columns.map((c) => c.key)).toEqual(expect.arrayContaining(["stage", "amount", "close_date", "owner"]));
    expect(Number(collection.records)).toBeGreaterThan(30);
  });

  it("stores file assets through putAsset under accounts/<accountId>/<assetId>/", async () => {
    const files = await rows<{ id: string; account_id: string; storage_key: string; content_type: string; size_bytes: number }>(
      db,
      sql`select id, account_id, storage_key, content_type, size_bytes from assets where kind = 'file'`,
    );
    expect(files.length).toBeGreaterThanOrEqual(2);
    expect(stored.size).toBe(files.length);
    for (const file of files) {
      expect(file.storage_key.startsWith(`accounts/${file.account_id}/${file.id}/`)).toBe(true);
      const object = stored.get(file.storage_key)!;
      expect(object.contentType).toBe(file.content_type);
      expect(object.bytes.length).toBe(Number(file.size_bytes));
    }
    const pdf = [...stored.values()].find((o) => o.contentType === "application/pdf")!;
    const text = new TextDecoder().decode(pdf.bytes);
    expect(text.startsWith("%PDF-1.4")).toBe(true);
    expect(text.trimEnd().endsWith("%%EOF")).toBe(true);
    expect(await num(db, sql`select count(*) as n from assets where kind = 'link' and url like 'https://%'`)).toBeGreaterThan(10);
  });

  it("refuses a database that is not empty", async () => {
    await expect(seedDemo(db, { now: NOW })).rejects.toThrow(/empty database/);
  });

  it("is deterministic: the same `now` gives the same accounts, ids and contents", async () => {
    const other = await openEmpty();
    try {
      const again = await seedDemo(other.db, { now: NOW, putAsset: async () => {} });
      const list = (d: Database) => rows<{ id: string; name: string; parent_id: string | null; external_id: string }>(d, sql`select id, name, parent_id, external_id from accounts order by id`);
      expect(await list(other.db)).toEqual(await list(db));
      expect(again.busiestProductId).toBe(demo.busiestProductId);
      expect(again.userIds).toEqual(demo.userIds);
      const fingerprint = (d: Database) =>
        one<{ h: string }>(
          d,
          sql`select md5(string_agg(x, '|' order by x)) as h from (
                select account_id::text || week_start::text || score::text as x from health_snapshots
                union all select account_id::text || occurred_at::text || count::text from usage_events
                union all select account_id::text || title || occurred_at::text from timeline_entries
                union all select account_id::text || attribute_id::text || coalesce(new_value::text, '') || changed_at::text from attribute_changes) t`,
        );
      expect(await fingerprint(other.db)).toEqual(await fingerprint(db));
      expect(again.counts).toEqual(demo.counts);
    } finally {
      await other.close();
    }
  }, 180_000);

  it("dates everything relative to `now`", async () => {
    const later = await openEmpty();
    try {
      const shifted = new Date(NOW.getTime() + 30 * DAY);
      await seedDemo(later.db, { now: shifted });
      const latest = await one<{ week: string; event: Date }>(
        later.db,
        sql`select (select max(week_start)::text from health_snapshots) as week, (select max(occurred_at) from usage_events) as event`,
      );
      expect(latest.week).toBe("2026-12-14");
      expect(new Date(latest.event).getTime()).toBeLessThanOrEqual(shifted.getTime());
      expect(new Date(latest.event).getTime()).toBeGreaterThan(shifted.getTime() - 2 * DAY);
    } finally {
      await later.close();
    }
  }, 180_000);
});
