/**
 * Lifecycles that move (issue 16): a stage change from the Status widget's action, the API and CSV
 * import, on both drivers. Each change is kept with who, when, from, to and the note, on the
 * timeline and as a stage.changed event; archived stages and roles without "stage.change" are
 * refused with nothing written; the layout chosen by stage follows at once.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { sql, type SQL } from "drizzle-orm";
import { layouts } from "@/db/schema";
import { runAction } from "@/lib/actions/define";
import { ENDPOINTS } from "@/lib/api/endpoints";
import { findAccount, type AccountSummary } from "@/lib/dal/accounts";
import { lifecycleStatus } from "@/lib/dal/lifecycle";
import { loadViewer, type Ctx } from "@/lib/dal/viewer";
import { importRows } from "@/lib/import/run";
import { IngestError } from "@/lib/ingest/errors";
import { chooseLayout } from "@/lib/layouts/choose";
import { changeStage } from "@/lib/lifecycle/change-stage";
import { timeInStage } from "@/lib/lifecycle/duration";
import { stageChangesBody } from "@/lib/lifecycle/schemas";
import { drivers, openSeededDatabase } from "./support/databases";

type Seeded = Awaited<ReturnType<typeof openSeededDatabase>>;

describe.each(drivers)("lifecycle stage changes on %s", (driver) => {
  let seeded: Seeded;
  let admin: Ctx;
  let csm: Ctx;
  let viewer: Ctx;
  let product: AccountSummary;
  let journey: { id: string; stages: Record<string, string> };

  const rows = async <T extends Record<string, unknown>>(query: SQL): Promise<T[]> => (await seeded.db.execute(query)).rows as T[];
  const ctxFor = async (email: string): Promise<Ctx> => ({ db: seeded.db, viewer: (await loadViewer(seeded.db, seeded.demo.userIds[email]))! });
  const counts = async () =>
    (await rows<{ changes: number; timeline: number; events: number }>(sql`
      select (select count(*)::int from stage_changes) as changes, (select count(*)::int from timeline_entries where kind = 'lifecycle_change') as timeline,
        (select count(*)::int from domain_events where type = 'stage.changed') as events`))[0];
  const currentStage = async (accountId: string) =>
    (await rows<{ key: string; since: Date | string }>(sql`
      select s.key, x.since from account_stages x join lifecycle_stages s on s.id = x.stage_id where x.account_id = ${accountId} and x.lifecycle_id = ${journey.id}`))[0];

  beforeAll(async () => {
    seeded = await openSeededDatabase(driver);
    admin = await ctxFor("admin@demo.test");
    csm = await ctxFor("csm@demo.test");
    viewer = await ctxFor("viewer@demo.test");
    const [assigned] = await rows<{ account_id: string }>(sql`
      select a.account_id from assignments a join accounts x on x.id = a.account_id join account_types t on t.id = x.type_id
      where a.user_id = ${seeded.demo.userIds["csm@demo.test"]} and t.key = 'product' order by x.name limit 1`);
    product = (await findAccount(csm, assigned.account_id))!;
    const stages = await rows<{ lifecycle_id: string; key: string; id: string }>(sql`
      select s.lifecycle_id, s.key, s.id from lifecycle_stages s join lifecycles l on l.id = s.lifecycle_id where l.key = 'journey'`);
    journey = { id: stages[0].lifecycle_id, stages: Object.fromEntries(stages.map((s) => [s.key, s.id])) };
  }, 120_000);
  afterAll(() => seeded?.close());

  it("moves the account from the Status widget's action, keeping who, when, from, to and the note", async () => {
    const before = await counts();
    const from = await currentStage(product.id);
    const target = Object.keys(journey.stages).find((k) => k !== from?.key)!;
    const result = await runAction(changeStage, { accountId: product.id, lifecycleId: journey.id, stageId: journey.stages[target], note: "Kick-off done" }, csm);
    expect(result).toMatchObject({ ok: true });
    expect((await currentStage(product.id)).key).toBe(target);
    const [change] = await rows<{ from_stage_id: string | null; to_stage_id: string; changed_by: string; note: string; source: string }>(sql`
      select from_stage_id, to_stage_id, changed_by, note, source from stage_changes where account_id = ${product.id} order by changed_at desc, id desc limit 1`);
    expect(change).toEqual({
      from_stage_id: from ? journey.stages[from.key] : null,
      to_stage_id: journey.stages[target],
      changed_by: csm.viewer.userId,
      note: "Kick-off done",
      source: "app",
    });
    expect(await counts()).toEqual({ changes: before.changes + 1, timeline: before.timeline + 1, events: before.events + 1 });
    const [event] = await rows<{ data: Record<string, unknown>; actor_id: string }>(sql`
      select data, actor_id from domain_events where type = 'stage.changed' and account_id = ${product.id} order by id desc limit 1`);
    expect(event).toMatchObject({ actor_id: csm.viewer.userId, data: { lifecycleId: journey.id, toStageId: journey.stages[target], note: "Kick-off done" } });
    // The Status widget's read: the new stage, since now, with the move first in its history.
    const status = (await lifecycleStatus(csm, product)).find((l) => l.lifecycleKey === "journey")!;
    expect(status.stageKey).toBe(target);
    expect(timeInStage(status.since!)).toBe("less than an hour");
    expect(status.history[0]).toMatchObject({ note: "Kick-off done", source: "app" });
    // The same stage again changes nothing.
    const again = await runAction(changeStage, { accountId: product.id, lifecycleId: journey.id, stageId: journey.stages[target] }, csm);
    expect(again).toMatchObject({ ok: true, message: expect.stringMatching(/^Already at/) });
    expect((await counts()).changes).toBe(before.changes + 1);
  });

  it("refuses an archived stage, another lifecycle's stage, a viewer and a forbidden account, writing nothing", async () => {
    const before = await counts();
    const current = (await currentStage(product.id)).key;
    const target = Object.keys(journey.stages).find((k) => k !== current)!;
    await seeded.db.execute(sql`update lifecycle_stages set archived_at = now() where id = ${journey.stages[target]}`);
    try {
      const archived = await runAction(changeStage, { accountId: product.id, lifecycleId: journey.id, stageId: journey.stages[target] }, csm);
      expect(archived).toMatchObject({ ok: false, fieldErrors: { stageId: [expect.stringMatching(/archived/)] } });
    } finally {
      await seeded.db.execute(sql`update lifecycle_stages set archived_at = null where id = ${journey.stages[target]}`);
    }
    const [otherStage] = await rows<{ id: string }>(sql`select s.id from lifecycle_stages s join lifecycles l on l.id = s.lifecycle_id where l.key <> 'journey' limit 1`);
    const wrong = await runAction(changeStage, { accountId: product.id, lifecycleId: journey.id, stageId: otherStage.id }, csm);
    expect(wrong).toMatchObject({ ok: false, fieldErrors: { stageId: [expect.any(String)] } });
    const read = await runAction(changeStage, { accountId: product.id, lifecycleId: journey.id, stageId: journey.stages[target] }, viewer);
    expect(read).toMatchObject({ ok: false });
    const [outside] = await rows<{ id: string }>(sql`
      select a.id from accounts a join account_types t on t.id = a.type_id where t.key = 'product' and not (${seeded.demo.emeaRegionId}::uuid = any(a.path)) limit 1`);
    const hidden = await runAction(changeStage, { accountId: outside.id, lifecycleId: journey.id, stageId: journey.stages[target] }, csm);
    const missing = await runAction(changeStage, { accountId: "00000000-0000-4000-8000-00000000beef", lifecycleId: journey.id, stageId: journey.stages[target] }, csm);
    expect(hidden).toEqual(missing);
    expect(await counts()).toEqual(before);
  });

  it("takes changes through POST /api/v1/stage-changes, all or nothing, in time order", async () => {
    const [target] = await rows<{ external_id: string; id: string }>(sql`
      select a.external_id, a.id from accounts a join account_types t on t.id = a.type_id where t.key = 'product' and a.external_id is not null
      and a.id <> ${product.id} order by a.name limit 1`);
    const keys = Object.keys(journey.stages);
    const current = await currentStage(target.id);
    const [a, b] = keys.filter((k) => k !== current?.key);
    const before = await counts();
    const bad = stageChangesBody.parse({
      changes: [
        { accountExternalId: target.external_id, lifecycle: "journey", stage: a },
        { accountExternalId: target.external_id, lifecycle: "journey", stage: "no-such-stage" },
        { accountExternalId: "nobody", lifecycle: "journey", stage: a },
      ],
    });
    const refused = await seeded.db.transaction((tx) => ENDPOINTS.stageChanges.run({ db: tx, viewer: admin.viewer }, bad)).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(IngestError);
    expect((refused as IngestError).issues.map((i) => i.path)).toEqual([
      ["changes", 1, "stage"],
      ["changes", 2, "accountExternalId"],
    ]);
    expect(await counts()).toEqual(before);
    const t1 = new Date(Date.now() - 60_000).toISOString();
    const good = stageChangesBody.parse({
      changes: [
        { accountExternalId: target.external_id, lifecycle: "journey", stage: b, note: "second", changedAt: new Date(Date.now() - 1000).toISOString() },
        { accountExternalId: target.external_id, lifecycle: "journey", stage: a, note: "first", changedAt: t1 },
      ],
    });
    const done = await seeded.db.transaction((tx) => ENDPOINTS.stageChanges.run({ db: tx, viewer: admin.viewer }, good));
    expect(done).toEqual({ changed: 2, unchanged: 0 });
    expect((await currentStage(target.id)).key).toBe(b);
    const history = await rows<{ from_stage_id: string | null; to_stage_id: string; note: string; source: string }>(sql`
      select from_stage_id, to_stage_id, note, source from stage_changes where account_id = ${target.id} order by changed_at desc, id desc limit 2`);
    expect(history).toEqual([
      { from_stage_id: journey.stages[a], to_stage_id: journey.stages[b], note: "second", source: "api" },
      { from_stage_id: current ? journey.stages[current.key] : null, to_stage_id: journey.stages[a], note: "first", source: "api" },
    ]);
    // Older than the current stage: refused, so the history stays in order.
    const late = stageChangesBody.parse({ changes: [{ accountExternalId: target.external_id, lifecycle: "journey", stage: a, changedAt: t1 }] });
    const lateError = await seeded.db.transaction((tx) => ENDPOINTS.stageChanges.run({ db: tx, viewer: admin.viewer }, late)).catch((e: unknown) => e);
    expect((lateError as IngestError).issues[0].path).toEqual(["changes", 0, "changedAt"]);
  });

  it("imports stage changes from CSV rows, reporting bad lines and writing the rest", async () => {
    const products = await rows<{ external_id: string; id: string }>(sql`
      select a.external_id, a.id from accounts a join account_types t on t.id = a.type_id where t.key = 'product' and a.external_id is not null
      order by a.name desc limit 2`);
    const target = Object.keys(journey.stages)[0];
    const result = await importRows(admin, "stages", [
      { line: 2, values: { accountExternalId: products[0].external_id, lifecycle: "journey", stage: target, note: "from the CRM" } },
      { line: 3, values: { accountExternalId: products[1].external_id, lifecycle: "journey", stage: "nope" } },
      { line: 4, values: { accountExternalId: products[1].external_id, lifecycle: "", stage: target } },
    ]);
    expect(result.imported).toBe(1);
    expect(result.errors.map((e) => e.line)).toEqual([3, 4]);
    expect((await currentStage(products[0].id)).key).toBe(target);
    const [last] = await rows<{ source: string; note: string }>(sql`select source, note from stage_changes where account_id = ${products[0].id} order by id desc limit 1`);
    expect(last).toEqual({ source: "import", note: "from the CRM" });
  });

  it("switches the layout chosen by stage on the next read", async () => {
    const keys = Object.keys(journey.stages);
    const now = (await currentStage(product.id)).key;
    const other = keys.find((k) => k !== now)!;
    const [layout] = await seeded.db
      .insert(layouts)
      .values({
        name: `Stage ${other} layout`,
        accountTypeId: product.typeId,
        status: "published",
        priority: -100,
        criteria: [{ kind: "stage", lifecycleKey: "journey", stageKey: other }],
        definition: (await chooseLayout(csm, product))!.definition,
      })
      .returning({ id: layouts.id });
    expect((await chooseLayout(csm, product))!.id).not.toBe(layout.id);
    expect(await runAction(changeStage, { accountId: product.id, lifecycleId: journey.id, stageId: journey.stages[other] }, csm)).toMatchObject({ ok: true });
    expect((await chooseLayout(csm, product))!.id).toBe(layout.id);
  });
});
