/**
 * The data model as admins define it (lib/data-model/*), on PGlite and on a real Postgres:
 * attributes (create, archive, type changes refused with a count, rollup rule changes re-running
 * rollups), lifecycle stages (reorder, archive), and usage activities (created on first use by
 * ingestion, merged with their history). Every write keeps the rollups equal to a full rebuild.
 */
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { eq, sql } from "drizzle-orm";
import type { Executor } from "@/db/client";
import { users } from "@/db/schema";
import { runAction } from "@/lib/actions/define";
import { findAccount } from "@/lib/dal/accounts";
import { attributesOf } from "@/lib/dal/attributes";
import { lifecycleStatus } from "@/lib/dal/lifecycle";
import { loadViewer, type Ctx } from "@/lib/dal/viewer";
import { archiveAttribute, createAttribute, updateAttribute } from "@/lib/data-model/attributes";
import { archiveLifecycleStage, moveLifecycleStage } from "@/lib/data-model/lifecycles";
import { mergeUsageActivities } from "@/lib/data-model/usage";
import { ingestUsage } from "@/lib/ingest/usage";
import { drivers, openSeededDatabase } from "./support/databases";
import { expectRollupsMatchRawRows } from "./support/rollup-check";

// Each comparison with a full rebuild recomputes every rollup of the demo set: slow on a busy machine.
vi.setConfig({ testTimeout: 300_000, hookTimeout: 300_000 });

async function q<T>(db: Executor, query: ReturnType<typeof sql>): Promise<T[]> {
  return ((await db.execute(query)) as unknown as { rows: T[] }).rows;
}

describe.each(drivers)("data model admin on %s", (driver) => {
  let seeded: Awaited<ReturnType<typeof openSeededDatabase>>;
  let admin: Ctx;
  let csm: Ctx;
  let product: { external_id: string; id: string; type_id: string };

  const definition = async (typeKey: string, key: string) => {
    const [row] = await q<{ id: string; label: string; data_type: string; options: string[] | null; group_id: string | null; position: number; key_info: boolean; privileged: boolean; rollup_rule: string; rollup_source_key: string | null; deleted_at: string | null }>(
      seeded.db,
      sql`select d.* from attribute_definitions d join account_types t on t.id = d.account_type_id where t.key = ${typeKey} and d.key = ${key}`,
    );
    return row;
  };
  /** The form fields of an existing definition, changed by `change`. */
  const formOf = (d: Awaited<ReturnType<typeof definition>>, change: Record<string, unknown>) => ({
    attributeId: d.id,
    label: d.label,
    dataType: d.data_type,
    options: (d.options ?? []).join("\n"),
    groupId: d.group_id ?? "",
    position: String(d.position),
    keyInfo: d.key_info ? "on" : undefined,
    privileged: d.privileged ? "on" : undefined,
    rollupRule: d.rollup_rule,
    rollupSourceKey: d.rollup_source_key ?? "",
    ...change,
  });

  beforeAll(async () => {
    seeded = await openSeededDatabase(driver);
    const ctxOf = async (email: string) => {
      const [user] = await seeded.db.select({ id: users.id }).from(users).where(eq(users.email, email));
      return { db: seeded.db, viewer: (await loadViewer(seeded.db, user.id))! };
    };
    admin = await ctxOf("admin@demo.test");
    csm = await ctxOf("csm@demo.test");
    [product] = await q(seeded.db, sql`select a.external_id, a.id, a.type_id from accounts a join account_types t on t.id = a.type_id
      where t.key = 'product' and a.archived_at is null and a.external_id is not null order by a.external_id limit 1`);
  });
  afterAll(async () => {
    await seeded?.close();
  });

  describe("usage modules and activities", () => {
    it("creates a module and activity the first time a batch names them, once, and keeps rollups exact", async () => {
      const before = await q<{ n: number }>(seeded.db, sql`select count(*)::int as n from usage_activities`);
      const events = Array.from({ length: 40 }, (_, i) => ({
        accountExternalId: product.external_id,
        module: "reports_new",
        activity: i % 2 ? "export_pdf" : "schedule_report",
        occurredAt: `2026-11-${String(1 + (i % 20)).padStart(2, "0")}T09:00:00Z`,
      }));
      const result = await seeded.db.transaction((tx) => ingestUsage({ db: tx, viewer: admin.viewer }, events));
      expect(result.inserted).toBe(40);
      const created = await q<{ module: string; module_name: string; key: string; name: string }>(
        seeded.db,
        sql`select m.key as module, m.name as module_name, a.key, a.name from usage_activities a join usage_modules m on m.id = a.module_id where m.key = 'reports_new' order by a.key`,
      );
      expect(created).toEqual([
        { module: "reports_new", module_name: "Reports new", key: "export_pdf", name: "Export pdf" },
        { module: "reports_new", module_name: "Reports new", key: "schedule_report", name: "Schedule report" },
      ]);
      // Again: nothing new is created.
      await seeded.db.transaction((tx) => ingestUsage({ db: tx, viewer: admin.viewer }, events.slice(0, 5)));
      const after = await q<{ n: number }>(seeded.db, sql`select count(*)::int as n from usage_activities`);
      expect(after[0].n).toBe(before[0].n + 2);
      await expectRollupsMatchRawRows(seeded.db);
    });

    it("does not create anything when the batch is refused", async () => {
      const before = await q<{ n: number }>(seeded.db, sql`select count(*)::int as n from usage_activities`);
      await expect(
        seeded.db.transaction((tx) =>
          ingestUsage({ db: tx, viewer: admin.viewer }, [{ accountExternalId: "nobody-here", module: "ghost_module", activity: "ghost", occurredAt: "2026-11-01T10:00:00Z" }]),
        ),
      ).rejects.toThrow(/Check the listed fields/);
      expect((await q<{ n: number }>(seeded.db, sql`select count(*)::int as n from usage_activities`))[0].n).toBe(before[0].n);
    });

    it("merges an activity into another: history moves in one transaction, rollups equal a rebuild, the old name keeps counting", async () => {
      const [merged] = await q<{ id: string }>(seeded.db, sql`select a.id from usage_activities a join usage_modules m on m.id = a.module_id where m.key = 'reports_new' and a.key = 'export_pdf'`);
      const [kept] = await q<{ id: string; module_id: string }>(seeded.db, sql`select id, module_id from usage_activities where key = 'view_dashboard'`);
      const totals = async () =>
        (await q<{ merged: string; kept: string; events: string }>(
          seeded.db,
          sql`select (select coalesce(sum(events), 0) from usage_daily where activity_id = ${merged.id})::text as merged,
                     (select coalesce(sum(events), 0) from usage_daily where activity_id = ${kept.id})::text as kept,
                     (select coalesce(sum(count), 0) from usage_events)::text as events`,
        ))[0];
      const before = await totals();
      // 20 events of the first batch and 2 of the second.
      expect(Number(before.merged)).toBe(22);

      const same = await runAction(mergeUsageActivities, { activityId: merged.id, keptId: merged.id }, admin);
      expect(same.ok).toBe(false);
      if (!same.ok) expect(same.fieldErrors?.keptId).toBeTruthy();
      const refused = await runAction(mergeUsageActivities, { activityId: merged.id, keptId: kept.id }, csm);
      expect(refused).toMatchObject({ ok: false });

      const result = await runAction(mergeUsageActivities, { activityId: merged.id, keptId: kept.id }, admin);
      expect(result).toMatchObject({ ok: true, data: { events: 22 } });
      const after = await q<{ kept: string; events: string; left: number; raw_left: number }>(
        seeded.db,
        sql`select (select coalesce(sum(events), 0) from usage_daily where activity_id = ${kept.id})::text as kept,
                   (select coalesce(sum(count), 0) from usage_events)::text as events,
                   (select count(*)::int from usage_activities where id = ${merged.id}) as left,
                   (select count(*)::int from usage_events where activity_id = ${merged.id}) as raw_left`,
      );
      expect(after[0]).toEqual({ kept: String(Number(before.kept) + 22), events: before.events, left: 0, raw_left: 0 });
      const [moduleOk] = await q<{ n: number }>(seeded.db, sql`select count(*)::int as n from usage_rollup_daily where activity_id = ${kept.id} and module_id <> ${kept.module_id}`);
      expect(moduleOk.n).toBe(0);
      await expectRollupsMatchRawRows(seeded.db);

      // An event still naming the merged activity counts on the kept one, and creates nothing.
      const count = (await q<{ n: number }>(seeded.db, sql`select count(*)::int as n from usage_activities`))[0].n;
      await seeded.db.transaction((tx) =>
        ingestUsage({ db: tx, viewer: admin.viewer }, [{ accountExternalId: product.external_id, module: "reports_new", activity: "export_pdf", occurredAt: "2026-11-03T10:00:00Z" }]),
      );
      expect((await q<{ n: number }>(seeded.db, sql`select count(*)::int as n from usage_activities`))[0].n).toBe(count);
      const [now] = await q<{ kept: string }>(seeded.db, sql`select coalesce(sum(events), 0)::text as kept from usage_daily where activity_id = ${kept.id}`);
      expect(Number(now.kept)).toBe(Number(before.kept) + 23);
      await expectRollupsMatchRawRows(seeded.db);
    });
  });

  describe("attributes", () => {
    it("creates an attribute, refusing a duplicate key and a select without options beside the field", async () => {
      const base = { accountTypeId: product.type_id, label: "Renewal risk", dataType: "select", position: "20", rollupRule: "none" };
      const noOptions = await runAction(createAttribute, { ...base, key: "renewal_risk" }, admin);
      expect(noOptions.ok).toBe(false);
      if (!noOptions.ok) expect(noOptions.fieldErrors?.options?.[0]).toMatch(/options/);
      const created = await runAction(createAttribute, { ...base, key: "renewal_risk", options: "Low\nMedium\nHigh" }, admin);
      expect(created.ok).toBe(true);
      expect((await definition("product", "renewal_risk")).options).toEqual(["Low", "Medium", "High"]);
      const duplicate = await runAction(createAttribute, { ...base, key: "renewal_risk", options: "Low" }, admin);
      expect(duplicate.ok).toBe(false);
      if (!duplicate.ok) expect(duplicate.fieldErrors?.key?.[0]).toMatch(/already has/);
      const member = await runAction(createAttribute, { ...base, key: "other_risk", options: "Low" }, csm);
      expect(member.ok).toBe(false);
    });

    it("refuses a data type change that some stored values would not survive, saying how many", async () => {
      const website = await definition("product", "website");
      const [{ n }] = await q<{ n: number }>(seeded.db, sql`select count(*)::int as n from attribute_values where attribute_id = ${website.id} and value is not null and value <> 'null'::jsonb`);
      expect(n).toBeGreaterThan(0);
      const refused = await runAction(updateAttribute, formOf(website, { dataType: "number" }), admin);
      expect(refused.ok).toBe(false);
      if (!refused.ok) {
        expect(refused.error).toContain(`${n.toLocaleString("en-US")} of ${n.toLocaleString("en-US")} stored value`);
        expect(refused.fieldErrors?.dataType?.[0]).toContain("would not convert to Number");
      }
      expect((await definition("product", "website")).data_type).toBe("url");
      // Text to long text converts everything.
      const summary = await definition("product", "executive_summary");
      const ok = await runAction(updateAttribute, formOf(summary, { dataType: "long_text" }), admin);
      expect(ok.ok).toBe(true);
      expect((await definition("product", "executive_summary")).data_type).toBe("long_text");
    });

    it("re-runs the rollups of an attribute whose rollup rule changes, in the same transaction", async () => {
      const employees = await definition("line_of_business", "employees");
      expect(employees.rollup_rule).toBe("none");
      const rowsOf = async () => (await q<{ n: number }>(seeded.db, sql`select count(*)::int as n from attribute_rollups where source_key = 'employees'`))[0].n;
      expect(await rowsOf()).toBe(0);
      const result = await runAction(updateAttribute, formOf(employees, { rollupRule: "sum" }), admin);
      expect(result.ok).toBe(true);
      expect(await rowsOf()).toBeGreaterThan(0);
      const [lob] = await q<{ id: string; sum_below: number; children_sum: number }>(
        seeded.db,
        sql`select r.account_id as id, r.sum_below::float8 as sum_below,
              (select coalesce(sum((v.value #>> '{}')::numeric), 0)::float8 from account_closure c join accounts d on d.id = c.descendant_id and d.archived_at is null
                join attribute_definitions dd on dd.account_type_id = d.type_id and dd.key = 'employees' and dd.rollup_rule = 'none' and dd.deleted_at is null
                join attribute_values v on v.account_id = d.id and v.attribute_id = dd.id and jsonb_typeof(v.value) = 'number'
               where c.ancestor_id = r.account_id and c.distance > 0) as children_sum
            from attribute_rollups r join accounts a on a.id = r.account_id join account_types t on t.id = a.type_id
            where r.source_key = 'employees' and t.key = 'line_of_business' and r.count_below > 0 limit 1`,
      );
      expect(lob.sum_below).toBe(lob.children_sum);
      await expectRollupsMatchRawRows(seeded.db);
      // Back to none: the key is no longer rolled up anywhere.
      const back = await runAction(updateAttribute, formOf(await definition("line_of_business", "employees"), { rollupRule: "none", rollupSourceKey: "" }), admin);
      expect(back.ok).toBe(true);
      expect(await rowsOf()).toBe(0);
    }, 600_000);

    it("archives an attribute with values (kept, with history) and deletes one that never held a value", async () => {
      const employees = await definition("product", "employees");
      const [{ values }] = await q<{ values: number }>(seeded.db, sql`select count(*)::int as values from attribute_values where attribute_id = ${employees.id}`);
      expect(values).toBeGreaterThan(0);
      const archived = await runAction(archiveAttribute, { attributeId: employees.id }, admin);
      expect(archived).toMatchObject({ ok: true, data: { archived: true } });
      expect((await definition("product", "employees")).deleted_at).not.toBeNull();
      const [{ kept }] = await q<{ kept: number }>(seeded.db, sql`select count(*)::int as kept from attribute_values where attribute_id = ${employees.id}`);
      expect(kept).toBe(values);
      // It leaves the profile.
      const account = await findAccount(admin, product.id);
      const shown = await attributesOf(admin, account!);
      expect(shown.some((a) => a.key === "employees")).toBe(false);

      const unused = await definition("product", "renewal_risk");
      const deleted = await runAction(archiveAttribute, { attributeId: unused.id }, admin);
      expect(deleted).toMatchObject({ ok: true, data: { archived: false } });
      expect(await definition("product", "renewal_risk")).toBeUndefined();
      await expectRollupsMatchRawRows(seeded.db);
    });
  });

  describe("lifecycles", () => {
    const stages = async () =>
      (await q<{ key: string; archived: boolean }>(
        seeded.db,
        sql`select s.key, s.archived_at is not null as archived from lifecycle_stages s join lifecycles l on l.id = s.lifecycle_id where l.key = 'journey' order by s.position`,
      )).map((s) => (s.archived ? `${s.key}*` : s.key));

    it("reorders stages one place at a time", async () => {
      expect(await stages()).toEqual(["onboarding", "adoption", "nurture", "renewal", "expansion"]);
      const [adoption] = await q<{ id: string }>(seeded.db, sql`select s.id from lifecycle_stages s join lifecycles l on l.id = s.lifecycle_id where l.key = 'journey' and s.key = 'adoption'`);
      expect((await runAction(moveLifecycleStage, { stageId: adoption.id, direction: "up" }, admin)).ok).toBe(true);
      expect(await stages()).toEqual(["adoption", "onboarding", "nurture", "renewal", "expansion"]);
      // Already first: nothing moves.
      expect((await runAction(moveLifecycleStage, { stageId: adoption.id, direction: "up" }, admin)).ok).toBe(true);
      expect(await stages()).toEqual(["adoption", "onboarding", "nurture", "renewal", "expansion"]);
      expect((await runAction(moveLifecycleStage, { stageId: adoption.id, direction: "down" }, admin)).ok).toBe(true);
      expect(await stages()).toEqual(["onboarding", "adoption", "nurture", "renewal", "expansion"]);
      expect((await runAction(moveLifecycleStage, { stageId: adoption.id, direction: "down" }, csm)).ok).toBe(false);
    });

    it("archives a stage: accounts at it keep it, shown as archived; others no longer see it offered", async () => {
      const [at] = await q<{ account_id: string; stage_id: string; key: string }>(
        seeded.db,
        sql`select x.account_id, x.stage_id, s.key from account_stages x join lifecycle_stages s on s.id = x.stage_id join lifecycles l on l.id = x.lifecycle_id
            join accounts a on a.id = x.account_id and a.archived_at is null where l.key = 'journey' order by s.position desc limit 1`,
      );
      const [other] = await q<{ account_id: string }>(
        seeded.db,
        sql`select x.account_id from account_stages x join lifecycles l on l.id = x.lifecycle_id join accounts a on a.id = x.account_id and a.archived_at is null
            where l.key = 'journey' and x.stage_id <> ${at.stage_id} limit 1`,
      );
      const result = await runAction(archiveLifecycleStage, { stageId: at.stage_id, archived: "true" }, admin);
      expect(result.ok).toBe(true);
      if (result.ok) expect(result.data.accounts).toBeGreaterThan(0);
      const [still] = await q<{ stage_id: string }>(seeded.db, sql`select stage_id from account_stages x join lifecycles l on l.id = x.lifecycle_id where l.key = 'journey' and x.account_id = ${at.account_id}`);
      expect(still.stage_id).toBe(at.stage_id);
      const mine = (await lifecycleStatus(admin, (await findAccount(admin, at.account_id))!)).find((l) => l.lifecycleKey === "journey")!;
      expect(mine).toMatchObject({ stageKey: at.key, stageArchived: true });
      expect(mine.stages.map((s) => s.key)).toContain(at.key);
      const theirs = (await lifecycleStatus(admin, (await findAccount(admin, other.account_id))!)).find((l) => l.lifecycleKey === "journey")!;
      expect(theirs.stageArchived).toBe(false);
      expect(theirs.stages.map((s) => s.key)).not.toContain(at.key);
      const restored = await runAction(archiveLifecycleStage, { stageId: at.stage_id, archived: "false" }, admin);
      expect(restored.ok).toBe(true);
      expect(await stages()).not.toContain(`${at.key}*`);
    });
  });
});
