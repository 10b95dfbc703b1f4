/**
 * Saved views and the list's state (issue 18): the URL spelling, the filters as SQL on both drivers
 * (every row inside the viewer's scope, each filter checked against the data it names), the list
 * neighbours j / k walk, and who may open a saved view.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { sql } from "drizzle-orm";
import { runAction } from "@/lib/actions/define";
import { loadViewer, type Ctx } from "@/lib/dal/viewer";
import { createTask } from "@/lib/activity/tasks";
import { leaderHome } from "@/lib/home";
import { biggestMovers, homeAccountIds, homeAccounts, stageMoves, upcomingRenewals } from "@/lib/home/leader";
import { changeStage } from "@/lib/lifecycle/change-stage";
import { listNeighbours, listView } from "@/lib/views/query";
import { listPosition } from "@/lib/views/profile-links";
import { deleteView, findSavedView, listSavedViews, saveView } from "@/lib/views/saved";
import { paletteSearch } from "@/lib/views/search";
import { DEFAULT_COLUMNS, parseListRef, parseViewState, viewQueryString } from "@/lib/views/state";
import { drivers, openSeededDatabase } from "./support/databases";

describe("the list's state in the URL", () => {
  it("reads every filter, keeps one spelling and drops what it does not know", () => {
    const state = parseViewState(
      new URLSearchParams("sort=-mrr&health=poor,average,bogus&type=product&a.segment=Enterprise&a.BAD=x&renewal=90&quiet=30&user=me&role=CSM&cols=mrr,health,a.segment,nope&x=1"),
    );
    expect(state).toMatchObject({ type: "product", health: ["average", "poor"], attributes: [{ key: "segment", value: "Enterprise" }], renewal: 90, quiet: 30, user: "me", role: "CSM", sort: "mrr", desc: true });
    expect(state.columns).toEqual(["mrr", "health", "a.segment"]);
    const spelled = viewQueryString(state);
    expect(spelled).toBe("type=product&health=average%2Cpoor&user=me&role=CSM&a.segment=Enterprise&renewal=90&quiet=30&cols=mrr%2Chealth%2Ca.segment&sort=-mrr");
    expect(viewQueryString(parseViewState(new URLSearchParams(spelled)))).toBe(spelled);
  });

  it("takes the older csm=<id>, ticked column boxes, and falls back on junk", () => {
    const id = "0b6f3a52-3f1e-4d7a-9b1c-2a4e5f6a7b8c";
    expect(parseViewState({ csm: id })).toMatchObject({ user: id, role: "CSM" });
    expect(parseViewState({ col: ["stage", "touch"] }).columns).toEqual(["stage", "touch"]);
    const junk = parseViewState({ sort: "'; drop table accounts", under: "nope", renewal: "-4", quiet: "1e9", type: "A B" });
    expect(junk).toMatchObject({ sort: "level", desc: false, under: undefined, renewal: undefined, quiet: undefined, type: undefined, columns: DEFAULT_COLUMNS });
    expect(parseListRef("view:not-an-id")).toBeNull();
    expect(parseListRef("all")).toEqual({ kind: "query", query: "" });
    expect(parseListRef("health=poor&junk=1")).toEqual({ kind: "query", query: "health=poor" });
  });
});

describe.each(drivers)("views on %s", (driver) => {
  let seeded: Awaited<ReturnType<typeof openSeededDatabase>>;
  const ctxFor = async (email: string): Promise<Ctx> => {
    const viewer = await loadViewer(seeded.db, seeded.demo.userIds[email]);
    if (!viewer) throw new Error(`no viewer ${email}`);
    return { db: seeded.db, viewer };
  };
  const underAmericas = async (ids: string[]) => {
    if (!ids.length) return true;
    const { rows } = await seeded.db.execute<{ n: number | string }>(sql`
      select count(*) as n from account_closure where ancestor_id = ${seeded.demo.americasRegionId} and descendant_id in (${sql.join(ids.map((i) => sql`${i}::uuid`), sql`, `)})`);
    return Number(rows[0].n) === ids.length;
  };

  beforeAll(async () => {
    seeded = await openSeededDatabase(driver);
  });
  afterAll(async () => {
    await seeded?.close();
  });

  it("keeps every row inside the viewer's scope, whatever the filters", async () => {
    const viewer = await ctxFor("viewer@demo.test");
    const all = await listView(viewer, parseViewState({}), { limit: 1000, offset: 0 });
    expect(all.total).toBeGreaterThan(10);
    expect(await underAmericas(all.rows.map((r) => r.id))).toBe(true);
    // A filter naming an account outside the scope finds nothing, rather than its subtree.
    const outside = await listView(viewer, parseViewState({ under: seeded.demo.emeaRegionId }), { limit: 10, offset: 0 });
    expect(outside.total).toBe(0);
    const admin = await ctxFor("admin@demo.test");
    expect((await listView(admin, parseViewState({ under: seeded.demo.emeaRegionId }), { limit: 1, offset: 0 })).total).toBeGreaterThan(10);
  });

  it("pushes each filter into SQL and answers what it names", async () => {
    const admin = await ctxFor("admin@demo.test");
    const page = { limit: 500, offset: 0 };
    const check = async (query: string, rule: string) => {
      const { rows, total } = await listView(admin, parseViewState(new URLSearchParams(query)), page);
      expect(total, query).toBeGreaterThan(0);
      const ids = rows.map((r) => r.id);
      const { rows: bad } = await seeded.db.execute<{ id: string }>(sql`
        select a.id from accounts a where a.id in (${sql.join(ids.map((i) => sql`${i}::uuid`), sql`, `)}) and not (${sql.raw(rule)})`);
      expect(bad, query).toEqual([]);
      return total;
    };
    await check("type=product", "exists (select 1 from account_types t where t.id = a.type_id and t.key = 'product')");
    await check("health=poor", "(select band from health_snapshots h where h.account_id = a.id order by week_start desc limit 1) = 'poor'");
    await check(`parent=${seeded.demo.emeaRegionId}`, `a.parent_id = '${seeded.demo.emeaRegionId}'`);
    await check(`under=${seeded.demo.emeaRegionId}&type=product`, `exists (select 1 from account_closure c where c.descendant_id = a.id and c.ancestor_id = '${seeded.demo.emeaRegionId}')`);
    await check("a.segment=Enterprise", "exists (select 1 from attribute_values v join attribute_definitions d on d.id = v.attribute_id where v.account_id = a.id and d.key = 'segment' and v.value = '\"Enterprise\"')");
    await check("role=CSM&user=" + seeded.demo.userIds["csm@demo.test"], `exists (select 1 from assignments s where s.account_id = a.id and s.role = 'CSM' and s.user_id = '${seeded.demo.userIds["csm@demo.test"]}')`);
    await check("quiet=30&type=product", "not exists (select 1 from touchpoints t where t.account_id = a.id and t.occurred_at > now() - interval '30 days')");
    // "me" is whoever opens the view.
    const casey = await ctxFor("csm@demo.test");
    const mine = await listView(casey, parseViewState({ user: "me" }), page);
    expect(mine.total).toBeGreaterThan(0);
    const { rows: assigned } = await seeded.db.execute<{ n: number | string }>(sql`select count(distinct account_id) as n from assignments s join accounts a on a.id = s.account_id where s.user_id = ${casey.viewer.userId} and a.archived_at is null`);
    expect(mine.total).toBe(Number(assigned[0].n));
  });

  it("sorts, pages and shows the chosen columns; j / k walk that same order", async () => {
    const admin = await ctxFor("admin@demo.test");
    const state = parseViewState(new URLSearchParams("type=product&sort=-mrr&cols=mrr,a.segment,health"));
    const { rows } = await listView(admin, state, { limit: 30, offset: 0 });
    const mrr = rows.map((r) => Number(r.values.mrr ?? 0));
    expect(mrr).toEqual([...mrr].sort((x, y) => y - x));
    expect(rows.some((r) => r.values["a.segment"])).toBe(true);
    const second = await listView(admin, state, { limit: 29, offset: 1 });
    expect(second.rows.map((r) => r.id)).toEqual(rows.slice(1).map((r) => r.id));
    expect(await listNeighbours(admin, state, rows[5].id)).toEqual({ previousId: rows[4].id, nextId: rows[6].id });
    expect((await listNeighbours(admin, state, rows[0].id)).previousId).toBeNull();
    // The profile's reading of ?list= gives the same neighbours, in the list's own spelling; no list, no lookup.
    const spelled = viewQueryString(state);
    expect(await listPosition(admin, rows[5].id, spelled)).toEqual({ param: spelled, previousId: rows[4].id, nextId: rows[6].id });
    expect(await listPosition(admin, rows[5].id, undefined)).toBeNull();
    expect(await listPosition(admin, rows[5].id, "view:00000000-0000-4000-8000-000000000000")).toBeNull();
    // The default order (level, then name) too.
    const byLevel = parseViewState({ health: "poor" });
    const list = await listView(admin, byLevel, { limit: 3, offset: 0 });
    expect(await listNeighbours(admin, byLevel, list.rows[1].id)).toEqual({ previousId: list.rows[0].id, nextId: list.rows[2].id });
  });

  it("never offers or filters by privileged attributes to those who may not read them", async () => {
    const { rows } = await seeded.db.execute<{ key: string }>(sql`select key from attribute_definitions where privileged and deleted_at is null limit 1`);
    const key = rows[0].key;
    const casey = await ctxFor("csm@demo.test");
    const withColumn = await listView(casey, parseViewState({ cols: `a.${key}`, type: "product" }), { limit: 200, offset: 0 });
    expect(withColumn.rows.every((r) => r.values[`a.${key}`] === null)).toBe(true);
    const admin = await ctxFor("admin@demo.test");
    const seen = await listView(admin, parseViewState({ cols: `a.${key}`, type: "product" }), { limit: 200, offset: 0 });
    expect(seen.rows.some((r) => r.values[`a.${key}`] !== null)).toBe(true);
  });

  it("shares a view with a team, keeps a private one private, and lets only the owner change it", async () => {
    const casey = await ctxFor("csm@demo.test");
    const jonas = await ctxFor("jonas.becker@demo.test");
    const val = await ctxFor("viewer@demo.test");
    const emea = casey.viewer.teamIds[0];
    const shared = await runAction(saveView, { name: "EMEA at risk", query: "health=poor&sort=-mrr&bogus=1", teamId: emea }, casey);
    expect(shared.ok).toBe(true);
    const mine = await runAction(saveView, { name: "Casey only", query: "user=me" }, casey);
    if (!shared.ok || !mine.ok) throw new Error("not saved");
    expect((await findSavedView(casey, shared.data.id))?.query).toBe("health=poor&sort=-mrr");
    expect((await findSavedView(jonas, shared.data.id))?.name).toBe("EMEA at risk");
    expect(await findSavedView(jonas, mine.data.id)).toBeNull();
    expect(await findSavedView(val, shared.data.id)).toBeNull();
    expect((await listSavedViews(jonas)).map((v) => v.name)).toContain("EMEA at risk");
    expect((await listSavedViews(val)).map((v) => v.name)).not.toContain("EMEA at risk");
    // Sharing with a team one is not in is refused beside the field; others cannot change or delete it.
    const foreign = await runAction(saveView, { name: "Sneaky", query: "", teamId: val.viewer.teamIds[0] }, casey);
    expect(foreign.ok ? null : foreign.fieldErrors?.teamId).toBeTruthy();
    expect((await runAction(saveView, { name: "Hijacked", query: "", viewId: shared.data.id }, jonas)).ok).toBe(false);
    expect((await runAction(deleteView, { viewId: shared.data.id }, jonas)).ok).toBe(false);
    expect((await findSavedView(casey, shared.data.id))?.name).toBe("EMEA at risk");
    expect((await runAction(deleteView, { viewId: mine.data.id }, casey)).ok).toBe(true);
    expect(await findSavedView(casey, mine.data.id)).toBeNull();
  });

  it("finds accounts and contacts for the palette only within the viewer's scope", async () => {
    const val = await ctxFor("viewer@demo.test");
    expect((await paletteSearch(val, "EMEA")).accounts).toEqual([]);
    const found = await paletteSearch(val, "americ");
    expect(found.accounts[0]?.name).toBe("Americas");
    expect(await underAmericas(found.accounts.map((a) => a.id))).toBe(true);
  });

  it("rolls a leader's home up from the precomputed rows", async () => {
    const lee = await ctxFor("leader@demo.test");
    const { ids, led } = await homeAccountIds(lee);
    expect(led).toBe(true);
    expect(ids).toEqual([seeded.demo.companyId]);
    const [company] = await homeAccounts(lee, ids);
    const { rows } = await seeded.db.execute<{ n: number | string; mrr: string }>(sql`
      select count(*) as n, (select mrr from account_rollups where account_id = ${seeded.demo.companyId}) as mrr from accounts where archived_at is null`);
    expect(company.descendants + 1).toBe(Number(rows[0].n));
    expect(company.health.good + company.health.average + company.health.poor + company.health.none).toBe(Number(rows[0].n));
    expect(company.arr).toBeCloseTo(Number(rows[0].mrr) * 12, 2);
    const renewals = await upcomingRenewals(lee, ids, 3650);
    expect(renewals.map((r) => r.endDate)).toEqual([...renewals.map((r) => r.endDate)].sort());
    const movers = await biggestMovers(lee, ids);
    for (const m of movers) expect(m.score !== m.previousScore || m.band !== m.previousBand).toBe(true);
  });

  it("adds the week's lifecycle stage moves below the leader's accounts, and the leader's own open tasks", async () => {
    const lee = await ctxFor("leader@demo.test");
    const admin = await ctxFor("admin@demo.test");
    // Two products under EMEA (four levels below the company the leader's home stands on), each at a stage of the onboarding lifecycle.
    const { rows: at } = await seeded.db.execute<{ account_id: string; name: string; lifecycle_id: string; stage_id: string; other_id: string; stage: string; other: string }>(sql`
      select st.account_id, a.name, st.lifecycle_id, st.stage_id, o.id as other_id, s.name as stage, o.name as other
      from account_stages st join accounts a on a.id = st.account_id join account_types t on t.id = a.type_id and t.key = 'product'
      join lifecycles l on l.id = st.lifecycle_id and l.key = 'onboarding' join lifecycle_stages s on s.id = st.stage_id
      join lateral (select id, name from lifecycle_stages x where x.lifecycle_id = st.lifecycle_id and x.id <> st.stage_id and x.archived_at is null order by x.position limit 1) o on true
      join account_closure c on c.descendant_id = a.id and c.ancestor_id = ${seeded.demo.emeaRegionId}
      where a.archived_at is null order by a.name limit 2`);
    expect(at.length).toBe(2);
    const move = (r: (typeof at)[number], stageId: string) => runAction(changeStage, { accountId: r.account_id, lifecycleId: r.lifecycle_id, stageId }, admin);
    expect((await move(at[0], at[0].other_id)).ok).toBe(true);
    // There and back within the week is no move.
    expect((await move(at[1], at[1].other_id)).ok).toBe(true);
    expect((await move(at[1], at[1].stage_id)).ok).toBe(true);
    const { ids } = await homeAccountIds(lee);
    const moves = await stageMoves(lee, ids, 50);
    expect(moves.find((m) => m.id === at[0].account_id)).toMatchObject({ name: at[0].name, fromStage: at[0].stage, toStage: at[0].other, typeName: "Product" });
    expect(moves.some((m) => m.id === at[1].account_id)).toBe(false);
    // Only people who may see the account: the viewer (Americas) hears of no EMEA move, even from the company.
    const val = await ctxFor("viewer@demo.test");
    expect((await stageMoves(val, [seeded.demo.companyId], 50)).some((m) => m.id === at[0].account_id)).toBe(false);
    // A week later it has left the list.
    expect((await stageMoves(lee, ids, 50, new Date(Date.now() + 8 * 86_400_000))).some((m) => m.id === at[0].account_id)).toBe(false);

    // The leader's open tasks come with the leadership view.
    const task = await runAction(createTask, { accountId: at[0].account_id, title: "Leader: call the sponsor", priority: "high", assigneeId: lee.viewer.userId }, admin);
    expect(task.ok, JSON.stringify(task)).toBe(true);
    const home = await leaderHome(lee);
    expect(home.led).toBe(true);
    expect(home.tasks.map((t) => t.title)).toContain("Leader: call the sponsor");
    expect(home.stages.some((m) => m.id === at[0].account_id)).toBe(true);
  });
});
