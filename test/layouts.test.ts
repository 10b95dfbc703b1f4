/**
 * The layout editor's rules on a real database, on both drivers: which layout applies (first match
 * wins, a stage change switches layouts), validation (nothing published on bad input), drafts,
 * versions with who and when, rollback, and admin-only actions.
 */
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { sql, type SQL } from "drizzle-orm";
import { WIDGETS as REGISTERED } from "@/components/widgets/registry";
import { WIDGETS } from "@/lib/widgets/catalog";
import type { LayoutDefinition } from "@/db/schema";
import { runAction, type ActionResult } from "@/lib/actions/define";
import { findAccount, type AccountSummary } from "@/lib/dal/accounts";
import { loadViewer, type Ctx } from "@/lib/dal/viewer";
import { layoutActions } from "@/lib/layouts/actions";
import { loadLayoutCatalog } from "@/lib/layouts/catalog";
import { chooseLayout } from "@/lib/layouts/choose";
import { defaultLayoutFor } from "@/lib/layouts/defaults";
import { layoutProblems } from "@/lib/layouts/validate";
import { MIGRATIONS_FOLDER, type DatabaseHandle } from "@/db/client";
import { drivers, openSeededDatabase, openTestDatabase } from "./support/databases";

type Seeded = Awaited<ReturnType<typeof openSeededDatabase>>;

const definitionWith = (medium: string[]): LayoutDefinition => ({
  tabs: [{ key: "overview", label: "Overview", kind: "overview", zones: { header: [{ id: "header", widget: "header" }], medium: medium.map((w) => ({ id: w, widget: w })) } }],
});

describe.each(drivers)("layouts on %s", (driver) => {
  let seeded: Seeded;
  let admin: Ctx;
  let csm: Ctx;
  let leader: Ctx;
  let product: AccountSummary;
  let productTypeId: string;
  let emeaTeamId: string;

  const rows = async <T extends Record<string, unknown>>(query: SQL): Promise<T[]> => (await seeded.db.execute(query)).rows as T[];
  const one = async <T extends Record<string, unknown>>(query: SQL): Promise<T> => (await rows<T>(query))[0];
  const ctxFor = async (email: string): Promise<Ctx> => {
    const v = await loadViewer(seeded.db, seeded.demo.userIds[email]);
    if (!v) throw new Error(`no viewer ${email}`);
    return { db: seeded.db, viewer: v };
  };
  const ok = <T,>(result: ActionResult<T>): T => {
    expect(result, JSON.stringify(result)).toMatchObject({ ok: true });
    return (result as Extract<ActionResult<T>, { ok: true }>).data;
  };
  const layoutState = async (id: string) =>
    one<{ status: string; version: number; definition: LayoutDefinition; draft: LayoutDefinition | null; versions: number }>(sql`
      select status, version, definition, draft, (select count(*)::int from layout_versions v where v.layout_id = l.id) as versions
      from layouts l where id = ${id}`);
  /** Creates a layout for products, saves `definition` as its draft and publishes it. */
  const published = async (name: string, definition: LayoutDefinition, criteria: unknown[] = [], teamId = "") => {
    const { id } = ok(await runAction(layoutActions.create, { name, accountTypeId: productTypeId, teamId }, admin));
    ok(await runAction(layoutActions.targeting, { id, name, teamId, priority: "10", criteria: JSON.stringify(criteria) }, admin));
    ok(await runAction(layoutActions.saveDraft, { id, definition: JSON.stringify(definition) }, admin));
    ok(await runAction(layoutActions.publish, { id }, admin));
    return id;
  };
  const setStage = async (account: AccountSummary, lifecycle: string, stage: string) => {
    await seeded.db.execute(sql`
      update account_stages x set stage_id = s.id from lifecycles l join lifecycle_stages s on s.lifecycle_id = l.id
      where x.account_id = ${account.id} and x.lifecycle_id = l.id and l.key = ${lifecycle} and s.key = ${stage}`);
  };

  beforeAll(async () => {
    seeded = await openSeededDatabase(driver);
    [admin, csm, leader] = await Promise.all(["admin@demo.test", "csm@demo.test", "leader@demo.test"].map(ctxFor));
    productTypeId = (await one<{ id: string }>(sql`select id from account_types where key = 'product'`)).id;
    emeaTeamId = (await one<{ id: string }>(sql`select id from teams where key = 'emea'`)).id;
    // An EMEA product with a journey stage, visible to the EMEA CSM and to leadership.
    const row = await one<{ id: string }>(sql`
      select a.id from accounts a join account_types t on t.id = a.type_id join account_closure c on c.descendant_id = a.id
      join account_stages x on x.account_id = a.id join lifecycles l on l.id = x.lifecycle_id and l.key = 'journey'
      where t.key = 'product' and c.ancestor_id = ${seeded.demo.emeaRegionId} order by a.name limit 1`);
    product = (await findAccount(admin, row.id))!;
  });
  afterAll(() => seeded?.close());

  it("publishes the built-in defaults as valid layouts", async () => {
    const types = await rows<{ id: string; key: string; is_opportunity: boolean; level: number }>(sql`select id, key, is_opportunity, level from account_types`);
    for (const type of types) {
      const { catalog } = (await loadLayoutCatalog(seeded.db, type.id))!;
      expect(layoutProblems(defaultLayoutFor({ key: type.key, isOpportunity: type.is_opportunity, level: type.level }), [], catalog)).toEqual([]);
    }
  });

  it("an account matching two layouts gets the first; changing its stage switches its layout", async () => {
    const stages = await rows<{ key: string }>(sql`
      select s.key from lifecycle_stages s join lifecycles l on l.id = s.lifecycle_id where l.key = 'journey' order by s.position`);
    const current = (await one<{ key: string }>(sql`
      select s.key from account_stages x join lifecycle_stages s on s.id = x.stage_id join lifecycles l on l.id = x.lifecycle_id
      where x.account_id = ${product.id} and l.key = 'journey'`)).key;
    const other = stages.find((s) => s.key !== current)!.key;
    const segment = (await one<{ value: unknown }>(sql`
      select v.value from attribute_values v join attribute_definitions d on d.id = v.attribute_id where v.account_id = ${product.id} and d.key = 'segment'`)).value;

    const byStage = await published("By stage", definitionWith(["nps"]), [{ kind: "stage", lifecycleKey: "journey", stageKey: current }]);
    const bySegment = await published("By segment", definitionWith(["csat"]), [{ kind: "attribute", attributeKey: "segment", equals: segment }]);
    // Both match; the earlier one (priority order) wins.
    await seeded.db.execute(sql`update layouts set priority = 5 where id = ${byStage}`);
    await seeded.db.execute(sql`update layouts set priority = 6 where id = ${bySegment}`);
    let chosen = await chooseLayout(admin, product);
    expect(chosen?.id).toBe(byStage);
    expect(chosen?.reason).toContain(`journey stage is “${current}”`);

    // Swap the order with the editor's move action: now the segment layout is first.
    ok(await runAction(layoutActions.move, { id: bySegment, direction: "up" }, admin));
    chosen = await chooseLayout(admin, product);
    expect(chosen?.id).toBe(bySegment);
    expect(chosen?.skipped).toEqual([]);
    ok(await runAction(layoutActions.move, { id: bySegment, direction: "down" }, admin));
    expect((await chooseLayout(admin, product))?.id).toBe(byStage);

    // The account moves to another stage: the stage layout no longer matches, the segment one does.
    await setStage(product, "journey", other);
    chosen = await chooseLayout(admin, product);
    expect(chosen?.id).toBe(bySegment);
    expect(chosen?.skipped.map((s) => s.name)).toContain("By stage");
    await setStage(product, "journey", current);
    expect((await chooseLayout(admin, product))?.id).toBe(byStage);

    await seeded.db.execute(sql`delete from layouts where id in (${byStage}, ${bySegment})`);
  });

  it("a layout for a team applies to its members only; a team criterion likewise", async () => {
    const forTeam = await published("EMEA team", definitionWith(["support"]), [], emeaTeamId);
    expect((await chooseLayout(csm, product))?.id).toBe(forTeam);
    expect((await chooseLayout(leader, product))?.id).not.toBe(forTeam);
    await seeded.db.execute(sql`update layouts set team_id = null, criteria = ${JSON.stringify([{ kind: "team", teamId: emeaTeamId }])}::jsonb where id = ${forTeam}`);
    expect((await chooseLayout(csm, product))?.id).toBe(forTeam);
    const other = await chooseLayout(leader, product);
    expect(other?.id).not.toBe(forTeam);
    expect(other?.skipped.find((s) => s.id === forTeam)?.why).toBe("needs viewer in team EMEA");
    await seeded.db.execute(sql`delete from layouts where id = ${forTeam}`);
  });

  it("refuses to publish bad layouts with clear messages and publishes nothing", async () => {
    const { id } = ok(await runAction(layoutActions.create, { name: "Bad", accountTypeId: productTypeId, teamId: "" }, admin));
    const before = await layoutState(id);
    const refusal = async (definition: LayoutDefinition) => {
      const saved = ok(await runAction(layoutActions.saveDraft, { id, definition: JSON.stringify(definition) }, admin));
      const result = await runAction(layoutActions.publish, { id }, admin);
      expect(result.ok).toBe(false);
      const after = await layoutState(id);
      expect(after.status).toBe("draft");
      expect(after.version).toBe(before.version);
      expect(after.versions).toBe(0);
      return { saved: saved.problems.map((p) => p.message), published: (result as Extract<ActionResult, { ok: false }>).fieldErrors?.layout ?? [] };
    };

    const noTabs = await refusal({ tabs: [] });
    expect(noTabs.published).toEqual(["A layout needs at least one tab."]);
    expect(noTabs.saved).toEqual(noTabs.published);

    const duplicate = await refusal({
      tabs: [
        { key: "overview", label: "Overview", kind: "overview", zones: {} },
        { key: "overview", label: "Again", kind: "timeline" },
      ],
    });
    expect(duplicate.published).toEqual(["Tab “Again”: the key “overview” is already used by another tab; each tab needs its own key."]);

    const unknownWidget = await refusal(definitionWith(["nps", "no_such_widget"]));
    expect(unknownWidget.published).toEqual(["Tab “Overview”, main zone: there is no widget “no_such_widget”. Remove it."]);

    const wrongZone = await refusal({ tabs: [{ key: "o", label: "O", kind: "overview", zones: { sidebar: [{ id: "h", widget: "health" }] } }] });
    expect(wrongZone.published[0]).toContain("“Health” cannot go in the sidebar zone");

    const badSettings = await refusal({ tabs: [{ key: "o", label: "O", kind: "overview", zones: { medium: [{ id: "h", widget: "health", settings: { weeks: 500 } }] } }] });
    expect(badSettings.published[0]).toMatch(/^Tab “O”, “Health”: weeks: /);

    const badAttributes = await refusal({
      tabs: [{ key: "o", label: "O", kind: "overview", zones: { header: [{ id: "h", widget: "header", settings: { attributes: ["no_such_attribute"] } }] } }],
      fieldGroups: [{ name: "G", featured: true, attributes: ["no_such_attribute"] }],
    });
    expect(badAttributes.published).toEqual([
      "Tab “O”, “Profile header”: there is no attribute “no_such_attribute” on Product.",
      "Field group “G”: there is no attribute “no_such_attribute” on Product.",
    ]);

    const badLink = await refusal({ tabs: [{ key: "docs", label: "Docs", kind: "embed", url: "javascript:alert(1)" }] });
    expect(badLink.published).toEqual(["Tab “Docs”: an embedded tab needs an http(s) link."]);

    // Malformed drafts are not even stored.
    const malformed = await runAction(layoutActions.saveDraft, { id, definition: "{not json" }, admin);
    expect(malformed).toMatchObject({ ok: false, fieldErrors: { definition: ["The layout could not be read."] } });
    const badKey = await runAction(layoutActions.saveDraft, { id, definition: JSON.stringify({ tabs: [{ key: "Bad Key!", label: "x", kind: "overview" }] }) }, admin);
    expect(badKey.ok).toBe(false);
    expect(JSON.stringify(badKey)).toContain("A tab key is 1–40 lowercase letters");
    await seeded.db.execute(sql`delete from layouts where id = ${id}`);
  });

  it("refuses criteria on an attribute of another account type, saving nothing", async () => {
    const { id } = ok(await runAction(layoutActions.create, { name: "Criteria", accountTypeId: productTypeId, teamId: "" }, admin));
    // An attribute that exists on another type but not on products.
    const foreign = await one<{ key: string; type: string }>(sql`
      select d.key, t.name as type from attribute_definitions d join account_types t on t.id = d.account_type_id
      where t.key <> 'product' and d.deleted_at is null
        and d.key not in (select key from attribute_definitions where account_type_id = ${productTypeId}) order by d.key limit 1`);
    const result = await runAction(
      layoutActions.targeting,
      { id, name: "Criteria", teamId: "", priority: "10", criteria: JSON.stringify([{ kind: "attribute", attributeKey: foreign.key, equals: "x" }]) },
      admin,
    );
    expect(result).toMatchObject({
      ok: false,
      error: "Check the conditions: nothing was saved.",
      fieldErrors: { criteria: [`Criterion 1: “${foreign.key}” is an attribute of ${foreign.type}, not of Product. Pick an attribute of Product.`] },
    });
    expect((await one<{ criteria: unknown[] }>(sql`select criteria from layouts where id = ${id}`)).criteria).toEqual([]);

    // Criteria that became invalid later (written around the editor) also block publishing.
    await seeded.db.execute(sql`update layouts set criteria = ${JSON.stringify([{ kind: "stage", lifecycleKey: "journey", stageKey: "nope" }])}::jsonb where id = ${id}`);
    const publish = await runAction(layoutActions.publish, { id }, admin);
    expect(publish).toMatchObject({ ok: false, fieldErrors: { layout: ["Criterion 1: the lifecycle “journey” has no stage “nope”."] } });
    expect((await layoutState(id)).versions).toBe(0);
    await seeded.db.execute(sql`delete from layouts where id = ${id}`);
  });

  it("drafts do not reach profiles; publishing makes versions with who and when; rollback publishes an old one again", async () => {
    const id = await published("Versions", definitionWith(["nps"]), [], emeaTeamId);
    const v1 = await layoutState(id);
    expect(v1).toMatchObject({ status: "published", version: 1, versions: 1, draft: null });

    // Editing changes only the draft: the profile still renders version 1.
    ok(await runAction(layoutActions.saveDraft, { id, definition: JSON.stringify(definitionWith(["csat"])) }, admin));
    expect((await chooseLayout(csm, product))?.definition).toEqual(definitionWith(["nps"]));
    expect(ok(await runAction(layoutActions.publish, { id }, admin))).toEqual({ version: 2 });
    expect((await chooseLayout(csm, product))?.definition).toEqual(definitionWith(["csat"]));

    const history = await rows<{ version: number; published_by: string; published_at: Date }>(sql`
      select version, published_by, published_at from layout_versions where layout_id = ${id} order by version`);
    expect(history.map((h) => h.version)).toEqual([1, 2]);
    expect(history.every((h) => h.published_by === admin.viewer.userId && !Number.isNaN(new Date(h.published_at).getTime()))).toBe(true);

    // Nothing to publish twice.
    expect(await runAction(layoutActions.publish, { id }, admin)).toMatchObject({ ok: false, error: "There are no unpublished changes." });

    // Roll back to version 1: version 3 equals version 1, and a pending draft is dropped.
    ok(await runAction(layoutActions.saveDraft, { id, definition: JSON.stringify(definitionWith(["support"])) }, admin));
    expect(ok(await runAction(layoutActions.rollback, { id, version: "1" }, admin))).toEqual({ version: 3, from: 1 });
    const v3 = await layoutState(id);
    expect(v3).toMatchObject({ status: "published", version: 3, versions: 3, draft: null });
    expect(v3.definition).toEqual(definitionWith(["nps"]));
    expect((await chooseLayout(csm, product))?.definition).toEqual(definitionWith(["nps"]));
    expect(await runAction(layoutActions.rollback, { id, version: "9" }, admin)).toMatchObject({ ok: false, error: "There is no version 9 of this layout." });

    // Duplicating gives an unpublished draft that applies to nobody yet.
    const copy = ok(await runAction(layoutActions.duplicate, { id }, admin));
    expect(await layoutState(copy.id)).toMatchObject({ status: "draft", version: 0, versions: 0 });
    expect((await chooseLayout(csm, product))?.id).toBe(id);
    ok(await runAction(layoutActions.remove, { id: copy.id }, admin));
    ok(await runAction(layoutActions.remove, { id }, admin));
    expect(await rows(sql`select 1 from layout_versions where layout_id = ${id}`)).toEqual([]);
  });

  it("only admins may run the editor's actions", async () => {
    const layout = await one<{ id: string }>(sql`select id from layouts order by priority limit 1`);
    const before = await rows(sql`select id, version, draft, criteria, priority from layouts order by id`);
    const attempts: [keyof typeof layoutActions, Record<string, unknown>][] = [
      ["create", { name: "x", accountTypeId: productTypeId, teamId: "" }],
      ["duplicate", { id: layout.id }],
      ["remove", { id: layout.id }],
      ["move", { id: layout.id, direction: "down" }],
      ["targeting", { id: layout.id, name: "x", teamId: "", priority: "1", criteria: "[]" }],
      ["saveDraft", { id: layout.id, definition: JSON.stringify(definitionWith([])) }],
      ["discardDraft", { id: layout.id }],
      ["publish", { id: layout.id }],
      ["rollback", { id: layout.id, version: "1" }],
    ];
    for (const [name, input] of attempts) {
      for (const who of [csm, leader]) {
        expect(await runAction(layoutActions[name] as Parameters<typeof runAction>[0], input, who)).toEqual({ ok: false, error: "Only admins can change layouts." });
      }
    }
    expect(await rows(sql`select id, version, draft, criteria, priority from layouts order by id`)).toEqual(before);
    expect(Object.keys(layoutActions).sort()).toEqual(attempts.map(([n]) => n).sort());
  });

  it("every widget has a settings schema that accepts no settings", () => {
    for (const widget of WIDGETS) expect(widget.settings.safeParse({}).success, widget.key).toBe(true);
  });

  it("the registry has a component for every widget of the catalog, in its order", () => {
    expect(REGISTERED.map((w) => w.key)).toEqual(WIDGETS.map((w) => w.key));
    for (const widget of REGISTERED) expect(typeof widget.Component, widget.key).toBe("function");
  });
});

/**
 * The hand-written part of the success_units_in_layouts migration: stored default layouts of existing installs get the
 * success units widget where the default layout has it; layouts an admin published stay as they are.
 */
describe.each(drivers)("the success units layout migration on %s", (driver) => {
  // Found by its name, not its number (merges renumber migrations).
  const file = readdirSync(MIGRATIONS_FOLDER).find((f) => f.endsWith("_success_units_in_layouts.sql"))!;
  const migration = readFileSync(path.join(MIGRATIONS_FOLDER, file), "utf8");
  const handWritten = migration.slice(migration.indexOf("-- hand-written:")).split("--> statement-breakpoint");
  let handle: DatabaseHandle;
  beforeAll(async () => {
    handle = await openTestDatabase(driver);
  }, 180_000);
  afterAll(() => handle?.close());

  const withoutUnits = (definition: LayoutDefinition): LayoutDefinition => ({
    ...definition,
    tabs: definition.tabs.map((t) => (t.zones?.medium ? { ...t, zones: { ...t.zones, medium: t.zones.medium.filter((w) => w.widget !== "success_units") } } : t)),
  });

  it("adds the widget to never-published defaults (a new version each) and leaves admins' layouts and opportunities alone", async () => {
    const db = handle.db;
    const one = async <T,>(query: SQL) => ((await db.execute(query)).rows as T[])[0];
    const type = async (key: string, level: number) =>
      (await one<{ id: string }>(sql`insert into account_types (key, name, plural_name, level) values (${key}, ${key}, ${key}, ${level}) returning id`)).id;
    const company = await type("company", 0);
    const product = await type("product", 1);
    const opportunity = (await one<{ id: string }>(sql`select id from account_types where is_opportunity`)).id;
    const admin = (await one<{ id: string }>(sql`insert into users (email, name, role) values ('layouts-admin@example.test', 'Admin', 'admin') returning id`)).id;
    const layout = async (typeId: string, definition: LayoutDefinition, publishedBy: string | null) => {
      const { id } = await one<{ id: string }>(sql`insert into layouts (name, account_type_id, priority, definition, version) values ('L', ${typeId}, 1000, ${JSON.stringify(definition)}::jsonb, 1) returning id`);
      await db.execute(sql`insert into layout_versions (layout_id, version, definition, published_by) values (${id}, 1, ${JSON.stringify(definition)}::jsonb, ${publishedBy})`);
      return id;
    };
    const companyDefault = defaultLayoutFor({ key: "company", isOpportunity: false, level: 0 });
    const productDefault = defaultLayoutFor({ key: "product", isOpportunity: false, level: 1 });
    const opportunityDefault = defaultLayoutFor({ key: "opportunity", isOpportunity: true, level: 2 });
    expect(JSON.stringify(companyDefault)).toContain('"success_units"');
    // An install seeded before the widget existed, one admin-published layout, an opportunity's default.
    const untouched = await layout(company, withoutUnits(companyDefault), null);
    const noStatus = withoutUnits(productDefault);
    noStatus.tabs[0].zones!.medium = noStatus.tabs[0].zones!.medium!.filter((w) => w.widget !== "status");
    const withoutStatus = await layout(product, noStatus, null);
    const customised = await layout(company, withoutUnits(companyDefault), admin);
    const opp = await layout(opportunity, opportunityDefault, null);

    const run = async () => {
      for (const statement of handWritten) await db.execute(sql.raw(statement));
    };
    const state = async (id: string) => {
      const row = await one<{ version: number; definition: LayoutDefinition }>(sql`select version, definition from layouts where id = ${id}`);
      const versions = ((await db.execute(sql`select version, definition from layout_versions where layout_id = ${id} order by version`)).rows as { version: number; definition: LayoutDefinition }[]);
      return { version: Number(row.version), definition: row.definition, versions: versions.map((v) => Number(v.version)), latest: versions.at(-1)!.definition };
    };
    await run();
    // Exactly today's default: the widget right after Status, kept as version 2 with its own row.
    expect(await state(untouched)).toEqual({ version: 2, definition: companyDefault, versions: [1, 2], latest: companyDefault });
    const first = await state(withoutStatus);
    expect(first.version).toBe(2);
    expect(first.definition.tabs[0].zones!.medium![0]).toEqual({ id: "success_units", widget: "success_units" });
    expect(first.definition.tabs[0].zones!.medium!.slice(1)).toEqual(noStatus.tabs[0].zones!.medium);
    expect(await state(customised)).toEqual({ version: 1, definition: withoutUnits(companyDefault), versions: [1], latest: withoutUnits(companyDefault) });
    expect(await state(opp)).toEqual({ version: 1, definition: opportunityDefault, versions: [1], latest: opportunityDefault });
    // Run again: nothing more (the widget is there now).
    await run();
    expect((await state(untouched)).versions).toEqual([1, 2]);
  });
});
